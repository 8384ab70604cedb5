/*
 * view.c - reference-counted snapshots of the store for readers; the story
 * is in view.h.
 *
 * A view copies the live version (its table_metas: numbers, levels, key
 * ranges), so version_lookup answers from the copy while the background
 * thread changes the real one, and keeps its tables in an array sorted by
 * number (found by binary search, as tableset.c does). Copying costs
 * O(tables) allocations, once per flush, compaction or memtable switch;
 * a get copies nothing.
 */
#include "view.h"

#include <assert.h>
#include <stdlib.h>

#include "level_iter.h"
#include "merge.h"
#include "table.h"

struct view {
    _Atomic int refs;
    shared_mem *mem, *imm; /* imm may be NULL */
    version *v;            /* a copy of the live version */
    uint64_t *numbers;     /* the tables' numbers, ascending */
    table **tables;        /* tables[i] is numbers[i]'s */
    size_t n;
};

shared_mem *shared_mem_new(void) {
    shared_mem *m = xmalloc(sizeof *m);
    m->mt = memtable_new();
    atomic_init(&m->refs, 1);
    return m;
}

void shared_mem_ref(shared_mem *m) {
    int was = atomic_fetch_add(&m->refs, 1);
    assert(was > 0); /* a reference is taken only by one who holds one */
    (void)was;
}

void shared_mem_unref(shared_mem *m) {
    if (m == NULL) return;
    int was = atomic_fetch_sub(&m->refs, 1);
    assert(was > 0); /* never dropped more often than taken */
    if (was > 1) return;
    memtable_free(m->mt);
    free(m);
}

static int by_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

view *view_new(shared_mem *mem, shared_mem *imm, const tableset *ts) {
    view *w = xcalloc(1, sizeof *w);
    atomic_init(&w->refs, 1);
    w->mem = mem;
    w->imm = imm;
    shared_mem_ref(mem);
    if (imm) shared_mem_ref(imm);
    const version *v = tableset_version(ts);
    w->v = version_new();
    size_t total = 0;
    for (int l = 0; l < VERSION_LEVELS; l++) total += v->count[l];
    w->numbers = xmalloc((total ? total : 1) * sizeof *w->numbers);
    w->tables = xmalloc((total ? total : 1) * sizeof *w->tables);
    for (int l = 0; l < VERSION_LEVELS; l++)
        for (size_t i = 0; i < v->count[l]; i++) {
            kv_status s = version_add(w->v, l, &v->tables[l][i]);
            assert(s.code == KV_OK); /* a copy of a valid version */
            (void)s;
            w->numbers[w->n++] = v->tables[l][i].number;
        }
    qsort(w->numbers, w->n, sizeof *w->numbers, by_u64);
    for (size_t i = 0; i < w->n; i++) {
        w->tables[i] = tableset_table(ts, w->numbers[i]);
        assert(w->tables[i] != NULL); /* every live table is open */
        table_ref(w->tables[i]);
    }
    return w;
}

void view_ref(view *v) {
    int was = atomic_fetch_add(&v->refs, 1);
    assert(was > 0);
    (void)was;
}

void view_unref(view *v) {
    if (v == NULL) return;
    int was = atomic_fetch_sub(&v->refs, 1);
    assert(was > 0);
    if (was > 1) return;
    shared_mem_unref(v->mem);
    shared_mem_unref(v->imm);
    for (size_t i = 0; i < v->n; i++) table_close(v->tables[i]);
    version_free(v->v);
    free(v->numbers);
    free(v->tables);
    free(v);
}

/* The view's table numbered number (always there for one its version
 * names). */
static table *find(const view *v, uint64_t number) {
    size_t lo = 0, hi = v->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->numbers[mid] < number)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < v->n && v->numbers[lo] == number ? v->tables[lo] : NULL;
}

/* key in one memtable: its kind (0: none), the value copied. */
static int mem_get(shared_mem *m, kv_slice key, kv_buf *value) {
    kv_slice v;
    int kind = m ? memtable_get(m->mt, key, &v) : 0;
    if (kind == ENTRY_PUT) kv_buf_set(value, v.data, v.size);
    return kind;
}

/* How many tables a get's lookup holds on the stack: L0's and one a
 * level (VERSION_LOOKUP_MAX) fit while L0 holds at most 9, as it mostly
 * does (writers slow down at 8); a larger lookup is allocated. */
#define GET_TABLES_ON_STACK 16

/* The memtables, then the tables version_lookup names, into an array on
 * the stack (unless L0 holds many tables): no allocation per get. */
kv_status view_get(view *v, kv_slice key, int *kind, kv_buf *value) {
    *kind = mem_get(v->mem, key, value);
    if (*kind == 0) *kind = mem_get(v->imm, key, value);
    if (*kind != 0) return kv_ok();
    table_meta *few[GET_TABLES_ON_STACK], **found = few;
    if (VERSION_LOOKUP_MAX(v->v) > GET_TABLES_ON_STACK)
        found = xmalloc(VERSION_LOOKUP_MAX(v->v) * sizeof *found);
    size_t n = version_lookup_to(v->v, key, found);
    kv_status s = kv_ok();
    for (size_t i = 0; i < n && *kind == 0 && s.code == KV_OK; i++)
        s = table_get(find(v, found[i]->number), key, kind, value);
    if (found != few) free(found);
    return s;
}

iter *view_iter_new(view *v) {
    iter **children = xmalloc((v->n + 2) * sizeof *children);
    size_t k = 0;
    children[k++] = memtable_iter_new(v->mem->mt);
    if (v->imm) children[k++] = memtable_iter_new(v->imm->mt);
    for (size_t i = v->v->count[0]; i-- > 0;) /* L0 newest first */
        children[k++] = table_iter_new(find(v, v->v->tables[0][i].number));
    table **level = xmalloc((v->n ? v->n : 1) * sizeof *level);
    for (int l = 1; l < VERSION_LEVELS; l++) { /* one child per level */
        size_t n = v->v->count[l];
        if (n == 0) continue;
        for (size_t i = 0; i < n; i++)
            level[i] = find(v, v->v->tables[l][i].number);
        children[k++] = level_iter_new(level, v->v->tables[l], n);
    }
    iter *merge = merge_iter_new(children, k);
    free(level);
    free(children);
    return merge;
}

void view_filter_stats(const view *v, uint64_t *checks, uint64_t *negatives) {
    *checks = *negatives = 0;
    for (size_t i = 0; i < v->n; i++) {
        uint64_t c, n;
        table_filter_stats(v->tables[i], &c, &n);
        *checks += c;
        *negatives += n;
    }
}
