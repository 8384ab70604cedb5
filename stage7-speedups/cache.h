/*
 * cache.h - the block cache: data blocks already read, checked and parsed,
 * kept in memory so that a get of a hot key reads nothing from the disk.
 * (LevelDB's block cache: a sharded LRU cache of a capacity in bytes.)
 *
 * A block is named by (table id, block offset). Every table opened with a
 * cache takes a fresh id (cache_new_id), never reused, so a block of a
 * table closed (compacted away) can never be found again: it just ages
 * out of the cache.
 *
 * The cache holds at most `capacity` bytes of blocks; inserting past that
 * evicts the least recently used blocks. It is split into shards (up to
 * CACHE_SHARDS, each a mutex, a hash table and an LRU list; a block's
 * shard is picked by its hash), so threads reading different blocks
 * rarely wait for the same mutex. Each shard holds capacity / shards
 * bytes; a small cache has fewer shards, so that every shard still holds
 * several blocks.
 *
 * A lookup or an insert returns a handle: a reference on the block. The
 * block stays valid until the handle is released, even if another thread
 * evicts it meanwhile (it is then freed by the last release). Every
 * function is safe from any thread; hits and misses are atomic counters.
 */
#ifndef KV_CACHE_H
#define KV_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "block.h"

#define CACHE_SHARDS          16
#define CACHE_MIN_SHARD_BYTES (64u << 10) /* 16 blocks of 4 KiB */

typedef struct cache cache;
typedef struct cache_handle cache_handle;

/* A cache of capacity bytes of blocks (capacity > 0). Never NULL. */
cache *cache_new(size_t capacity);
/* Frees the cache and every block in it. Every handle must have been
 * released. NULL is a no-op. */
void cache_free(cache *c);

/* A number never returned before by this cache: a table's id. */
uint64_t cache_new_id(cache *c);

/*
 * The block (id, offset), with a reference for the caller (cache_release),
 * and it becomes the most recently used; NULL if the cache does not hold
 * it. Counts a hit or a miss.
 */
cache_handle *cache_lookup(cache *c, uint64_t id, uint64_t offset);
/*
 * Puts the block *b (parsed and checked, block_parse) in the cache as
 * (id, offset), replacing any block already there under that name. The
 * cache takes b's bytes (*b is emptied) and charges b->size bytes, then
 * evicts least recently used blocks while the shard is over its capacity.
 * Returns a handle on the new block for the caller (cache_release): valid
 * even if the block was evicted at once. Cannot fail.
 */
cache_handle *cache_insert(cache *c, uint64_t id, uint64_t offset, block *b);
/* The block a handle holds: valid until cache_release(h). */
const block *cache_block(const cache_handle *h);
/* Drops the caller's reference; the last one of an evicted block frees
 * it. */
void cache_release(cache *c, cache_handle *h);

/* Lookups that found their block (*hits) and that did not (*misses). */
void cache_stats(cache *c, uint64_t *hits, uint64_t *misses);
/* Bytes of blocks the cache holds now (released or not; evicted blocks
 * still held by a handle are not counted). */
size_t cache_usage(cache *c);

#endif
