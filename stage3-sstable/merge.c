/*
 * merge.c - the merging iterator (merge.h): many sorted iterators as one.
 *
 * The merge keeps every child positioned at its own current entry and
 * yields the smallest key among them. When several children hold that key,
 * the one given first (the newest) wins, and a move past the key moves
 * every child that holds it, so older versions are never yielded.
 *
 * Finding the smallest key is a linear scan of the children, k comparisons
 * a step. Here k is the memtable plus the tables, which is small: stage 3
 * has no compaction, but a store of a few dozen tables is already large for
 * the course. A heap would make a step O(log k); stage 7 keeps its children
 * in one.
 *
 * Errors: a child that fails ends the walk of the whole merge (yielding
 * the keys of the others would resurrect values the failed child hides),
 * and status() is the first child's error, in the order given.
 */
#include <stdlib.h>

#include "merge.h"

#define NONE ((size_t)-1)

typedef struct merge_iter {
    iter base;
    iter **children; /* owned; [0] is the newest */
    size_t n;
    size_t current; /* the child whose entry is yielded, or NONE */
} merge_iter;

/* The first child's error, or OK. Cannot fail. */
static kv_status merge_status(const iter *it) {
    const merge_iter *m = (const merge_iter *)it;
    for (size_t i = 0; i < m->n; i++) {
        kv_status s = iter_status(m->children[i]);
        if (s.code != KV_OK) return s;
    }
    return kv_ok();
}

/* Points current at the child with the smallest key, the newest on a tie
 * (a strict < keeps the first one found), or NONE after an error. */
static void find_smallest(merge_iter *m) {
    m->current = NONE;
    if (merge_status(&m->base).code != KV_OK) return;
    for (size_t i = 0; i < m->n; i++) {
        if (!iter_valid(m->children[i])) continue;
        if (m->current == NONE ||
            kv_compare(iter_key(m->children[i]),
                       iter_key(m->children[m->current])) < 0)
            m->current = i;
    }
}

static void merge_seek(iter *it, kv_slice target) {
    merge_iter *m = (merge_iter *)it;
    for (size_t i = 0; i < m->n; i++) iter_seek(m->children[i], target);
    find_smallest(m);
}

/*
 * Moves past the current key in every child that holds it. The others go
 * first: the current child's key slice is what they are compared with,
 * and it is valid only until that child moves.
 */
static void merge_next(iter *it) {
    merge_iter *m = (merge_iter *)it;
    if (m->current == NONE) return;
    iter *cur = m->children[m->current];
    kv_slice key = iter_key(cur);
    for (size_t i = 0; i < m->n; i++) {
        iter *c = m->children[i];
        if (i != m->current && iter_valid(c) &&
            kv_compare(iter_key(c), key) == 0)
            iter_next(c);
    }
    iter_next(cur);
    find_smallest(m);
}

static int merge_valid(const iter *it) {
    return ((const merge_iter *)it)->current != NONE;
}

static kv_slice merge_key(const iter *it) {
    const merge_iter *m = (const merge_iter *)it;
    return iter_key(m->children[m->current]);
}

static int merge_kind(const iter *it) {
    const merge_iter *m = (const merge_iter *)it;
    return iter_kind(m->children[m->current]);
}

static kv_slice merge_value(const iter *it) {
    const merge_iter *m = (const merge_iter *)it;
    return iter_value(m->children[m->current]);
}

static void merge_free(iter *it) {
    merge_iter *m = (merge_iter *)it;
    for (size_t i = 0; i < m->n; i++) iter_free(m->children[i]);
    free(m->children);
    free(m);
}

static const iter_ops merge_ops = {
    merge_seek, merge_next,  merge_valid,  merge_key,
    merge_kind, merge_value, merge_status, merge_free,
};

/* Copies the n child pointers; the merge owns the children from here on.
 * Starts unpositioned. Cannot fail. */
iter *merge_iter_new(iter **children, size_t n) {
    merge_iter *m = xcalloc(1, sizeof *m);
    m->base.ops = &merge_ops;
    m->children = xmalloc((n ? n : 1) * sizeof *m->children);
    for (size_t i = 0; i < n; i++) m->children[i] = children[i];
    m->n = n;
    m->current = NONE;
    return &m->base;
}
