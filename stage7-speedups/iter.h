/*
 * iter.h - the internal iterator: one shape for every sorted source of
 * stage 3 (the memtable, a block, a table) and for the merge of them all.
 *
 * An iterator walks entries in increasing key order. An entry is a key, a
 * kind (a value, or a tombstone saying the key was deleted) and a value.
 * Tombstones are visible here: the merge needs them to hide older values;
 * only the store's own kv_iter (engine.c) skips them.
 *
 * Usage:
 *     for (iter_seek(it, start); iter_valid(it); iter_next(it)) ...
 *     s = iter_status(it);   // an error (a bad block, say) ends the walk
 *     iter_free(it);
 * Key and value slices stay valid until the next move.
 */
#ifndef KV_ITER_H
#define KV_ITER_H

#include "kv.h"

enum { ENTRY_PUT = 1, ENTRY_DELETE = 2 };

typedef struct iter iter;

typedef struct iter_ops {
    void (*seek)(iter *it,
                 kv_slice target); /* first entry with key >= target */
    void (*next)(iter *it);
    int (*valid)(const iter *it);
    kv_slice (*key)(const iter *it);
    int (*kind)(const iter *it); /* ENTRY_PUT or ENTRY_DELETE */
    kv_slice (*value)(const iter *it);
    kv_status (*status)(const iter *it);
    void (*free)(iter *it);
} iter_ops;

/* Every iterator struct begins with this, so an iter * can point at it. */
struct iter {
    const iter_ops *ops;
};

static inline void iter_seek(iter *it, kv_slice t) { it->ops->seek(it, t); }
static inline void iter_next(iter *it) { it->ops->next(it); }
static inline int iter_valid(const iter *it) { return it->ops->valid(it); }
static inline kv_slice iter_key(const iter *it) { return it->ops->key(it); }
static inline int iter_kind(const iter *it) { return it->ops->kind(it); }
static inline kv_slice iter_value(const iter *it) { return it->ops->value(it); }
static inline kv_status iter_status(const iter *it) {
    return it->ops->status(it);
}
static inline void iter_free(iter *it) {
    if (it) it->ops->free(it);
}

#endif
