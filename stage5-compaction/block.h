/*
 * block.h - a block: a run of sorted key/value entries, about 4 KiB, read
 * and checked as one unit. Tables are made of blocks (table.h).
 *
 *     block    := entry* restart* num_restarts trailer
 *     entry    := shared:varint unshared:varint vlen:varint key_delta value
 *     restart  := fixed32      offset of an entry whose shared == 0
 *     num_restarts := fixed32
 *     trailer  := crc:fixed32  masked crc32c of everything before it
 *
 * Keys are prefix-compressed: an entry stores only the bytes of its key
 * after those it shares with the previous key. Every BLOCK_RESTART_INTERVAL
 * entries the compression restarts (shared = 0) and the entry's offset is
 * kept in the restart array, so a search is a binary search over restart
 * points (whose keys are whole) and then a short linear walk: never a scan
 * of the whole block. (LevelDB's block format, without compression.)
 */
#ifndef KV_BLOCK_H
#define KV_BLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "iter.h"
#include "kv.h"

#define BLOCK_RESTART_INTERVAL 16
#define BLOCK_TRAILER_SIZE     4
/* The smallest block: no entries, its restart count and its trailer. */
#define BLOCK_MIN_SIZE         (4 + BLOCK_TRAILER_SIZE)

/* --- building ------------------------------------------------------------ */

typedef struct block_builder {
    kv_buf buf; /* entries so far */
    uint32_t *restarts;
    size_t nrestarts, restarts_cap;
    int since_restart; /* entries since the last restart point */
    kv_buf last_key;
    size_t entries;
} block_builder;

void block_builder_init(block_builder *b);
void block_builder_free(block_builder *b);
/* Adds an entry. Keys must arrive in strictly increasing order. */
void block_builder_add(block_builder *b, kv_slice key, kv_slice value);
/* The size the block would have if finished now, trailer included. */
size_t block_builder_size(const block_builder *b);
/* Appends the restart array and the trailer; returns the whole block,
 * valid until the builder is reset or freed. */
kv_slice block_builder_finish(block_builder *b);
/* Empties the builder for the next block. */
void block_builder_reset(block_builder *b);

/* --- reading ------------------------------------------------------------- */

typedef struct block {
    char *data; /* the block as on disk, trailer included (owned) */
    size_t size;
    size_t restarts; /* offset of the restart array */
    uint32_t nrestarts;
    const char *path; /* for error messages: the file ... */
    uint64_t offset;  /* ... and where the block sits in it */
} block;

/*
 * Checks the block in data[0..size) (its crc and the shape of its restart
 * array) and takes ownership of data, which must come from xmalloc.
 * On failure returns KV_CORRUPTION naming path and offset, and frees data.
 */
kv_status block_parse(block *b, char *data, size_t size, const char *path,
                      uint64_t offset);
void block_free(block *b);

/* The number of entries (walks the block; for dump and tests). */
size_t block_count(const block *b);

/*
 * An iterator over the block's entries: kind() is always ENTRY_PUT (a block
 * stores bytes; the table layer gives values a meaning). A malformed entry
 * ends the walk with KV_CORRUPTION. The block must outlive the iterator.
 */
iter *block_iter_new(const block *b);

#endif
