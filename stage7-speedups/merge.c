/*
 * merge.c - the merging iterator (merge.h): many sorted iterators as one.
 *
 * The merge keeps every child positioned at its own current entry and
 * yields the smallest key among them. When several children hold that key,
 * the one given first (the newest) wins, and a move past the key moves
 * every child that holds it, so older versions are never yielded.
 *
 * Finding the smallest key is the work of a step. Stage 3's merge scans
 * the children, k comparisons a step, fine for the few dozen tables of the
 * early stages' stores. Stage 7's store iterator keeps k small first: one
 * child per level 1..6, not one per table (level_iter.h). But L0 still
 * gives one child per table, and a store whose compactions lag holds a
 * dozen. So the children are in a binary heap ordered by (key, child): the
 * root holds the smallest key, the newest child on a tie. A step moves the
 * root's child and sifts it down, two comparisons a level it descends. The
 * children tied on the key it leaves hang below the root (no child's key
 * is smaller than its parent's): two comparisons more find them, and none
 * at all when the last sift left the root's child where it was, above a
 * larger key. A scan that stays in one child (the largest level, most of
 * the time) costs two comparisons a step.
 *
 * Errors: a child that fails ends the walk of the whole merge (yielding
 * the keys of the others would resurrect values the failed child hides),
 * and status() is the first child's error, in the order given. A failed
 * child is never valid (its error ended its walk), so a child is asked for
 * its status only when a move left it not valid.
 */
#include <assert.h>
#include <stdlib.h>

#include "merge.h"

#define NONE ((size_t)-1)

/* A child's current entry as the heap sees it: its key, read once a move. */
typedef struct head {
    kv_slice key; /* valid until the child moves */
    int valid;    /* 0: the child is past its last entry (or failed) */
} head;

typedef struct merge_iter {
    iter base;
    iter **children; /* owned; [0] is the newest */
    size_t n;
    size_t current; /* the child whose entry is yielded, or NONE */
    head *head;     /* head[i]: child i's current entry */
    size_t *heap;   /* the n child numbers, a min-heap by before() */
    int failed;     /* a child failed: the walk is over */
    int alone;      /* 1: no child below the root holds the root's key */
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

/* Compares child a's key with child b's: < 0, 0 or > 0 as kv_compare,
 * a child past its end after every child that is not (two such: 0). */
static int compare_heads(const merge_iter *m, size_t a, size_t b) {
    if (!m->head[a].valid) return !m->head[b].valid ? 0 : 1;
    if (!m->head[b].valid) return -1;
    return kv_compare(m->head[a].key, m->head[b].key);
}

/* 1 when child a's entry comes first: the smaller key, the newer child
 * (the smaller number) on a tie. */
static int before(const merge_iter *m, size_t a, size_t b) {
    int c = compare_heads(m, a, b);
    return c < 0 || (c == 0 && a < b);
}

/* Reads child i's entry after it moved; a child that failed marks the
 * merge failed. */
static void load(merge_iter *m, size_t i) {
    iter *c = m->children[i];
    m->head[i].valid = iter_valid(c);
    if (m->head[i].valid)
        m->head[i].key = iter_key(c);
    else if (iter_status(c).code != KV_OK)
        m->failed = 1;
}

/*
 * Moves the child at heap position pos down until no child below it comes
 * before it. The subtrees below pos must be heaps. Returns 1 when, where
 * the child stops, no child below it holds its key (its key is smaller than
 * the first one below, or nothing is below), 0 when one may.
 */
static int sift_down(merge_iter *m, size_t pos) {
    size_t *h = m->heap, x = h[pos];
    int c = 1;
    for (;;) {
        size_t below = 2 * pos + 1;
        if (below >= m->n) break;
        if (below + 1 < m->n && before(m, h[below + 1], h[below])) below++;
        c = compare_heads(m, x, h[below]);
        if (c < 0 || (c == 0 && x < h[below])) break;
        h[pos] = h[below];
        pos = below;
        c = 1;
    }
    h[pos] = x;
    return c != 0;
}

/* 1 if no child in the heap comes before the one above it: the order the
 * heap's comment states (checked after each seek; a step keeps it). */
static int is_heap(const merge_iter *m) {
    for (size_t pos = 1; pos < m->n; pos++)
        if (before(m, m->heap[pos], m->heap[(pos - 1) / 2])) return 0;
    return 1;
}

/* Points current at the root's child, or at NONE when every child is past
 * its end or one failed. */
static void set_current(merge_iter *m) {
    int done = m->failed || m->n == 0 || !m->head[m->heap[0]].valid;
    m->current = done ? NONE : m->heap[0];
}

static void merge_seek(iter *it, kv_slice target) {
    merge_iter *m = (merge_iter *)it;
    m->failed = 0;
    m->alone = 0;
    for (size_t i = 0; i < m->n; i++) {
        iter_seek(m->children[i], target);
        load(m, i);
        m->heap[i] = i;
    }
    for (size_t pos = m->n / 2; pos-- > 0;) sift_down(m, pos);
    assert(is_heap(m));
    set_current(m);
}

/*
 * Moves past `key` every child in the subtree at heap position pos that
 * holds it, and leaves the subtree a heap. A child whose key differs holds
 * a larger key, and so does everything below it: the walk stops there. The
 * deepest move first, so each sift_down finds heaps below it.
 */
static void skip_tied(merge_iter *m, size_t pos, kv_slice key) {
    if (pos >= m->n) return;
    size_t i = m->heap[pos];
    if (!m->head[i].valid || kv_compare(m->head[i].key, key) != 0) return;
    skip_tied(m, 2 * pos + 1, key);
    skip_tied(m, 2 * pos + 2, key);
    iter_next(m->children[i]);
    load(m, i);
    sift_down(m, pos);
}

/* Moves past the current key in every child that holds it: the others
 * first (the root's key slice is valid only until its child moves), then
 * the root's own child. */
static void merge_next(iter *it) {
    merge_iter *m = (merge_iter *)it;
    if (m->current == NONE) return;
    size_t top = m->current;
    if (!m->alone) {
        skip_tied(m, 1, m->head[top].key);
        skip_tied(m, 2, m->head[top].key);
    }
    iter_next(m->children[top]);
    load(m, top);
    int alone = sift_down(m, 0);
    m->alone = alone && m->heap[0] == top; /* known only if it stayed */
    set_current(m);
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
    free(m->head);
    free(m->heap);
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
    m->head = xcalloc(n ? n : 1, sizeof *m->head);
    m->heap = xmalloc((n ? n : 1) * sizeof *m->heap);
    for (size_t i = 0; i < n; i++) m->children[i] = children[i];
    m->n = n;
    m->current = NONE;
    return &m->base;
}
