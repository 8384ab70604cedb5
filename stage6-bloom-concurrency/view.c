/*
 * view.c - reference-counted snapshots of the store for readers; the story
 * is in view.h.
 *
 * A shared version copies the live version (its table_metas: numbers,
 * levels, key ranges), so version_lookup answers from the copy while the
 * background thread changes the real one, and keeps its tables in an array
 * sorted by number (found by binary search, as tableset.c does). Copying
 * costs O(tables) allocations, once per flush or compaction, by the
 * background thread with no lock held; a view, made also at each memtable
 * switch, and a get copy nothing.
 */
#include "view.h"

#include <assert.h>
#include <stdlib.h>

#include "merge.h"
#include "table.h"

struct shared_version {
    _Atomic int refs;
    version *v;        /* a copy of the live version */
    uint64_t *numbers; /* the tables' numbers, ascending */
    table **tables;    /* tables[i] is numbers[i]'s */
    size_t n;
};

struct view {
    _Atomic int refs;
    shared_mem *mem, *imm; /* imm may be NULL */
    shared_version *sv;
    const version *v; /* sv->v */
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

shared_version *shared_version_new(const tableset *ts) {
    shared_version *sv = xcalloc(1, sizeof *sv);
    atomic_init(&sv->refs, 1);
    sv->v = version_copy(tableset_version(ts));
    size_t total = 0;
    for (int l = 0; l < VERSION_LEVELS; l++) total += sv->v->count[l];
    sv->numbers = xmalloc((total ? total : 1) * sizeof *sv->numbers);
    sv->tables = xmalloc((total ? total : 1) * sizeof *sv->tables);
    for (int l = 0; l < VERSION_LEVELS; l++)
        for (size_t i = 0; i < sv->v->count[l]; i++)
            sv->numbers[sv->n++] = sv->v->tables[l][i].number;
    qsort(sv->numbers, sv->n, sizeof *sv->numbers, by_u64);
    for (size_t i = 0; i < sv->n; i++) {
        sv->tables[i] = tableset_table(ts, sv->numbers[i]);
        assert(sv->tables[i] != NULL); /* every live table is open */
        table_ref(sv->tables[i]);
    }
    return sv;
}

void shared_version_ref(shared_version *sv) {
    int was = atomic_fetch_add(&sv->refs, 1);
    assert(was > 0);
    (void)was;
}

void shared_version_unref(shared_version *sv) {
    if (sv == NULL) return;
    int was = atomic_fetch_sub(&sv->refs, 1);
    assert(was > 0);
    if (was > 1) return;
    for (size_t i = 0; i < sv->n; i++) table_close(sv->tables[i]);
    version_free(sv->v);
    free(sv->numbers);
    free(sv->tables);
    free(sv);
}

view *view_new(shared_mem *mem, shared_mem *imm, shared_version *sv) {
    view *w = xcalloc(1, sizeof *w);
    atomic_init(&w->refs, 1);
    w->mem = mem;
    w->imm = imm;
    w->sv = sv;
    w->v = sv->v;
    shared_mem_ref(mem);
    if (imm) shared_mem_ref(imm);
    shared_version_ref(sv);
    return w;
}

const shared_version *view_version(const view *v) { return v->sv; }

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
    shared_version_unref(v->sv);
    free(v);
}

/* The view's table numbered number (always there for one its version
 * names). */
static table *find(const view *v, uint64_t number) {
    const shared_version *sv = v->sv;
    size_t lo = 0, hi = sv->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sv->numbers[mid] < number)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < sv->n && sv->numbers[lo] == number ? sv->tables[lo] : NULL;
}

/* key in one memtable: its kind (0: none), the value copied. */
static int mem_get(shared_mem *m, kv_slice key, kv_buf *value) {
    kv_slice v;
    int kind = m ? memtable_get(m->mt, key, &v) : 0;
    if (kind == ENTRY_PUT) kv_buf_set(value, v.data, v.size);
    return kind;
}

kv_status view_get(view *v, kv_slice key, int *kind, kv_buf *value) {
    *kind = mem_get(v->mem, key, value);
    if (*kind == 0) *kind = mem_get(v->imm, key, value);
    if (*kind != 0) return kv_ok();
    table_meta **found;
    size_t n = version_lookup(v->v, key, &found);
    kv_status s = kv_ok();
    for (size_t i = 0; i < n && *kind == 0 && s.code == KV_OK; i++)
        s = table_get(find(v, found[i]->number), key, kind, value);
    free(found);
    return s;
}

iter *view_iter_new(view *v) {
    iter **children = xmalloc((v->sv->n + 2) * sizeof *children);
    size_t k = 0;
    children[k++] = memtable_iter_new(v->mem->mt);
    if (v->imm) children[k++] = memtable_iter_new(v->imm->mt);
    for (size_t i = v->v->count[0]; i-- > 0;) /* L0 newest first */
        children[k++] = table_iter_new(find(v, v->v->tables[0][i].number));
    for (int l = 1; l < VERSION_LEVELS; l++)
        for (size_t i = 0; i < v->v->count[l]; i++)
            children[k++] = table_iter_new(find(v, v->v->tables[l][i].number));
    iter *merge = merge_iter_new(children, k);
    free(children);
    return merge;
}

void view_filter_stats(const view *v, uint64_t *checks, uint64_t *negatives) {
    *checks = *negatives = 0;
    for (size_t i = 0; i < v->sv->n; i++) {
        uint64_t c, n;
        table_filter_stats(v->sv->tables[i], &c, &n);
        *checks += c;
        *negatives += n;
    }
}
