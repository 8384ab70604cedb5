/*
 * level_iter.c - the level iterator (level_iter.h): the tables of a level
 * walked one after another, in key order.
 *
 * A seek picks the one table that can hold the first key >= target: the
 * first whose largest key is >= target, found by binary search over the
 * largest keys (every table before it holds only smaller keys). It opens
 * that table's iterator and seeks it there. A next moves the open table
 * iterator; when that runs off the end of its table, the iterator is closed
 * and the next table's is opened at its first key. So at most one table
 * iterator (and one data block) is in memory at a time, and a seek reads one
 * data block for the whole level, not one per table.
 *
 * What it saves: the store's iterator (view.c) merges the memtables, each
 * L0 table and one level iterator per non-empty level, instead of one child
 * per table. A merge step costs a comparison per child, so a store of a
 * million entries (59 tables: 3 in L0, 56 in levels 1 and 2) is walked by a
 * merge of 6 children instead of 60. The level iterator's own step is the
 * table iterator's step, plus, once per table, opening the next one (no
 * I/O: the index is in memory since table_open).
 *
 * Errors: a table iterator that fails (a bad block, a read error) ends the
 * walk; status() is its error until the next seek, as for a table iterator.
 */
#include "level_iter.h"

#include <stdlib.h>

typedef struct level_iter {
    iter base;
    table **tables;          /* not owned; tables[i] is metas[i]'s */
    const table_meta *metas; /* not owned; sorted, disjoint */
    size_t n;
    iter *it; /* over tables[i], standing on an entry; or NULL */
    size_t i;
    kv_status status;
} level_iter;

static void close_table(level_iter *l) {
    iter_free(l->it);
    l->it = NULL;
}

/* Opens table i's iterator, unpositioned; the one open already if it is
 * table i's. Cannot fail (a table iterator reads nothing until a seek). */
static void open_table(level_iter *l, size_t i) {
    if (l->it != NULL && l->i == i) return;
    close_table(l);
    l->it = table_iter_new(l->tables[i]);
    l->i = i;
}

/* Moves on to the next tables until the open iterator stands on an entry,
 * the level ends, or an error ends the walk (its status becomes ours). */
static void settle(level_iter *l) {
    while (l->it != NULL && !iter_valid(l->it)) {
        l->status = iter_status(l->it);
        if (l->status.code != KV_OK || l->i + 1 == l->n) {
            close_table(l);
            return;
        }
        open_table(l, l->i + 1);
        iter_seek(l->it, (kv_slice){"", 0}); /* its first entry */
    }
}

static void level_seek(iter *it, kv_slice target) {
    level_iter *l = (level_iter *)it;
    size_t lo = 0, hi = l->n; /* the first table with largest >= target */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (kv_compare(table_meta_largest(&l->metas[mid]), target) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    l->status = kv_ok();
    if (lo == l->n) { /* past the level's last key */
        close_table(l);
        return;
    }
    open_table(l, lo);
    iter_seek(l->it, target);
    settle(l);
}

static void level_next(iter *it) {
    level_iter *l = (level_iter *)it;
    if (l->it == NULL) return;
    iter_next(l->it);
    settle(l);
}

static int level_valid(const iter *it) {
    return ((const level_iter *)it)->it != NULL;
}

static kv_slice level_key(const iter *it) {
    return iter_key(((const level_iter *)it)->it);
}

static int level_kind(const iter *it) {
    return iter_kind(((const level_iter *)it)->it);
}

static kv_slice level_value(const iter *it) {
    return iter_value(((const level_iter *)it)->it);
}

static kv_status level_status(const iter *it) {
    return ((const level_iter *)it)->status;
}

static void level_free(iter *it) {
    level_iter *l = (level_iter *)it;
    close_table(l);
    free(l->tables);
    free(l);
}

static const iter_ops level_ops = {
    level_seek, level_next,  level_valid,  level_key,
    level_kind, level_value, level_status, level_free,
};

iter *level_iter_new(table *const *tables, const table_meta *metas, size_t n) {
    level_iter *l = xcalloc(1, sizeof *l);
    l->base.ops = &level_ops;
    l->tables = xmalloc((n ? n : 1) * sizeof *l->tables);
    for (size_t i = 0; i < n; i++) l->tables[i] = tables[i];
    l->metas = metas;
    l->n = n;
    l->status = kv_ok();
    return &l->base;
}
