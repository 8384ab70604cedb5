/*
 * move.c - deciding that a compaction can be a move, and the edit that
 * makes it (move.h says why).
 *
 * The disjointness check sorts the inputs by smallest key and compares
 * each with the next: a pick has at most a few L0 tables or one table of
 * a deeper level, so the copy of pointers it sorts is small.
 */
#include "move.h"

#include <stdlib.h>

static int by_smallest(const void *a, const void *b) {
    const table_meta *x = *(table_meta *const *)a;
    const table_meta *y = *(table_meta *const *)b;
    return kv_compare(table_meta_smallest(x), table_meta_smallest(y));
}

/* 1 if the n tables' ranges are pairwise disjoint. */
static int disjoint(table_meta *const *tables, size_t n) {
    table_meta **sorted = xmalloc((n ? n : 1) * sizeof *sorted);
    for (size_t i = 0; i < n; i++) sorted[i] = tables[i];
    qsort(sorted, n, sizeof *sorted, by_smallest);
    int ok = 1;
    for (size_t i = 1; i < n && ok; i++)
        ok = kv_compare(table_meta_largest(sorted[i - 1]),
                        table_meta_smallest(sorted[i])) < 0;
    free(sorted);
    return ok;
}

/* Bytes of level l's tables that meet [lo, hi] (0 past the last level). */
static uint64_t overlap_bytes(const version *v, int l, kv_slice lo,
                              kv_slice hi) {
    if (l >= VERSION_LEVELS) return 0;
    table_meta **found;
    size_t n = version_overlapping(v, l, lo, hi, &found);
    uint64_t bytes = 0;
    for (size_t i = 0; i < n; i++) bytes += found[i]->size;
    free(found);
    return bytes;
}

int move_possible(const version *v, const version_pick *p,
                  uint64_t table_bytes) {
    if (p->n[0] == 0 || p->n[1] != 0) return 0;
    if (!disjoint(p->inputs[0], p->n[0])) return 0;
    for (size_t i = 0; i < p->n[0]; i++) {
        const table_meta *m = p->inputs[0][i];
        if (overlap_bytes(v, p->level + 2, table_meta_smallest(m),
                          table_meta_largest(m)) >
            MOVE_MAX_GRANDPARENT * table_bytes)
            return 0;
    }
    return 1;
}

void move_edit(const version_pick *p, version_edit *e) {
    for (size_t i = 0; i < p->n[0]; i++) {
        version_edit_remove(e, p->level, p->inputs[0][i]->number);
        version_edit_add(e, p->level + 1, p->inputs[0][i]);
    }
}
