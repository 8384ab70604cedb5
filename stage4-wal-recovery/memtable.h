/*
 * memtable.h - the sorted in-memory table every write goes to first.
 *
 * A skip list: a sorted linked list where each node also carries a random
 * number of "express lane" links that skip ahead, so a search is O(log n)
 * on average with no rebalancing. (Stage 6's concurrent readers are why the
 * course picks a skip list over a balanced tree: a skip list can be read
 * while one writer inserts, with no lock.)
 *
 * One node per key. A put or delete of a key already present replaces the
 * node's entry (the old bytes stay allocated until the memtable is freed).
 * Every byte is allocated from an arena owned by the memtable, and
 * memtable_bytes() is the arena's size: what `memtable_bytes` (the option)
 * is compared against to decide when to flush.
 */
#ifndef KV_MEMTABLE_H
#define KV_MEMTABLE_H

#include <stddef.h>

#include "iter.h"
#include "kv.h"

typedef struct memtable memtable;

memtable *memtable_new(void);
/* Frees the memtable. Iterators over it must be freed first. */
void memtable_free(memtable *mt);

/* Adds or replaces key's entry. kind is ENTRY_PUT or ENTRY_DELETE (value
 * empty). Copies key and value. Cannot fail (out of memory aborts). */
void memtable_put(memtable *mt, kv_slice key, int kind, kv_slice value);

/*
 * Looks key up: 0 when the memtable has no entry for it, else the entry's
 * kind, with *value pointing into the memtable (valid until the next put).
 */
int memtable_get(const memtable *mt, kv_slice key, kv_slice *value);

/* Bytes allocated: nodes, keys and values, replaced ones included. */
size_t memtable_bytes(const memtable *mt);
/* Distinct keys held. */
size_t memtable_count(const memtable *mt);

/* An iterator over the entries in key order, tombstones included. It stays
 * valid across later puts (it may or may not see them). Each position's
 * kind and value are one entry, read when the iterator got there: a later
 * put of that key is not seen until the iterator moves. */
iter *memtable_iter_new(const memtable *mt);

#endif
