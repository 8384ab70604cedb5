/*
 * version.c - the live tables by level, edits to them, and the compaction
 * choice (the policy is described in version.h).
 *
 * Each level is a sorted array of table_meta: level 0 by file number (oldest
 * first), levels 1..6 by smallest key, their ranges disjoint. Levels hold
 * tens to thousands of tables, so the checks and queries below are simple
 * linear scans, except the get path (version_lookup), which binary-searches
 * levels 1..6 as every get goes through it.
 */
#include "version.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* --- table_meta and edits --------------------------------------------------
 */

void table_meta_set(table_meta *m, uint64_t number, uint64_t size,
                    uint64_t entries, kv_slice smallest, kv_slice largest) {
    memset(m, 0, sizeof *m);
    m->number = number;
    m->size = size;
    m->entries = entries;
    kv_buf_set(&m->smallest, smallest.data, smallest.size);
    kv_buf_set(&m->largest, largest.data, largest.size);
}

void table_meta_free(table_meta *m) {
    kv_buf_free(&m->smallest);
    kv_buf_free(&m->largest);
}

kv_slice table_meta_smallest(const table_meta *m) {
    return (kv_slice){m->smallest.data, m->smallest.size};
}

kv_slice table_meta_largest(const table_meta *m) {
    return (kv_slice){m->largest.data, m->largest.size};
}

/* A copy of m with its own keys. */
static table_meta meta_copy(const table_meta *m) {
    table_meta c;
    table_meta_set(&c, m->number, m->size, m->entries, table_meta_smallest(m),
                   table_meta_largest(m));
    return c;
}

void version_edit_init(version_edit *e) { memset(e, 0, sizeof *e); }

void version_edit_free(version_edit *e) {
    for (size_t i = 0; i < e->nadds; i++) table_meta_free(&e->adds[i].meta);
    free(e->adds);
    free(e->removes);
    version_edit_init(e);
}

void version_edit_add(version_edit *e, int level, const table_meta *m) {
    if (e->nadds == e->adds_cap) {
        e->adds_cap = e->adds_cap ? 2 * e->adds_cap : 8;
        e->adds = xrealloc(e->adds, e->adds_cap * sizeof *e->adds);
    }
    e->adds[e->nadds++] = (edit_add){level, meta_copy(m)};
}

void version_edit_remove(version_edit *e, int level, uint64_t number) {
    if (e->nremoves == e->removes_cap) {
        e->removes_cap = e->removes_cap ? 2 * e->removes_cap : 8;
        e->removes = xrealloc(e->removes, e->removes_cap * sizeof *e->removes);
    }
    e->removes[e->nremoves++] = (edit_remove){level, number};
}

/* --- the version ---------------------------------------------------------- */

version *version_new(void) {
    version *v = xcalloc(1, sizeof *v);
    v->l0_trigger = VERSION_L0_TRIGGER;
    v->level1_max_bytes = VERSION_L1_MAX_BYTES;
    return v;
}

void version_free(version *v) {
    if (v == NULL) return;
    for (int l = 0; l < VERSION_LEVELS; l++) {
        for (size_t i = 0; i < v->count[l]; i++)
            table_meta_free(&v->tables[l][i]);
        free(v->tables[l]);
        kv_buf_free(&v->compact_pointer[l]);
    }
    free(v);
}

version *version_copy(const version *v) {
    version *c = version_new();
    c->l0_trigger = v->l0_trigger;
    c->level1_max_bytes = v->level1_max_bytes;
    for (int l = 0; l < VERSION_LEVELS; l++) {
        c->count[l] = c->cap[l] = v->count[l];
        if (v->count[l] > 0)
            c->tables[l] = xmalloc(v->count[l] * sizeof *c->tables[l]);
        for (size_t i = 0; i < v->count[l]; i++)
            c->tables[l][i] = meta_copy(&v->tables[l][i]);
        if (v->compact_pointer[l].size > 0)
            kv_buf_set(&c->compact_pointer[l], v->compact_pointer[l].data,
                       v->compact_pointer[l].size);
    }
    return c;
}

int version_has(const version *v, uint64_t number) {
    for (int l = 0; l < VERSION_LEVELS; l++)
        for (size_t i = 0; i < v->count[l]; i++)
            if (v->tables[l][i].number == number) return 1;
    return 0;
}

/* Where m goes in level l: L0 after every lower number, others before the
 * first table with a larger smallest key. */
static size_t insert_pos(const version *v, int l, const table_meta *m) {
    size_t i = 0;
    if (l == 0) {
        while (i < v->count[0] && v->tables[0][i].number < m->number) i++;
    } else {
        while (i < v->count[l] &&
               kv_compare(table_meta_smallest(&v->tables[l][i]),
                          table_meta_smallest(m)) <= 0)
            i++;
    }
    return i;
}

kv_status version_add(version *v, int level, const table_meta *m) {
    if (level < 0 || level >= VERSION_LEVELS)
        return kv_error(KV_INVALID_ARGUMENT, "table %llu: bad level %d",
                        (unsigned long long)m->number, level);
    if (kv_compare(table_meta_smallest(m), table_meta_largest(m)) > 0)
        return kv_error(KV_INVALID_ARGUMENT,
                        "table %llu: smallest key > largest key",
                        (unsigned long long)m->number);
    if (version_has(v, m->number))
        return kv_error(KV_INVALID_ARGUMENT, "table %llu: added twice",
                        (unsigned long long)m->number);
    size_t pos = insert_pos(v, level, m);
    table_meta *t = v->tables[level];
    if (level > 0 &&
        ((pos > 0 && kv_compare(table_meta_largest(&t[pos - 1]),
                                table_meta_smallest(m)) >= 0) ||
         (pos < v->count[level] && kv_compare(table_meta_smallest(&t[pos]),
                                              table_meta_largest(m)) <= 0)))
        return kv_error(KV_INVALID_ARGUMENT,
                        "table %llu: overlaps a table of level %d",
                        (unsigned long long)m->number, level);
    if (v->count[level] == v->cap[level]) {
        v->cap[level] = v->cap[level] ? 2 * v->cap[level] : 8;
        v->tables[level] =
            xrealloc(v->tables[level], v->cap[level] * sizeof *t);
        t = v->tables[level];
    }
    memmove(t + pos + 1, t + pos, (v->count[level] - pos) * sizeof *t);
    t[pos] = meta_copy(m);
    v->count[level]++;
    return kv_ok();
}

kv_status version_remove(version *v, int level, uint64_t number) {
    if (level >= 0 && level < VERSION_LEVELS) {
        table_meta *t = v->tables[level];
        for (size_t i = 0; i < v->count[level]; i++) {
            if (t[i].number != number) continue;
            table_meta_free(&t[i]);
            memmove(t + i, t + i + 1, (v->count[level] - i - 1) * sizeof *t);
            v->count[level]--;
            return kv_ok();
        }
    }
    return kv_error(KV_INVALID_ARGUMENT, "table %llu: not in level %d",
                    (unsigned long long)number, level);
}

/* 1 if every level is in the order version.h states: L0 by ascending
 * number, every other level by smallest key, its ranges disjoint. */
static int in_order(const version *v) {
    for (size_t i = 1; i < v->count[0]; i++)
        if (v->tables[0][i - 1].number >= v->tables[0][i].number) return 0;
    for (int l = 1; l < VERSION_LEVELS; l++)
        for (size_t i = 1; i < v->count[l]; i++)
            if (kv_compare(table_meta_largest(&v->tables[l][i - 1]),
                           table_meta_smallest(&v->tables[l][i])) >= 0)
                return 0;
    return 1;
}

kv_status version_apply(version *v, const version_edit *e) {
    kv_status s = kv_ok();
    for (size_t i = 0; i < e->nremoves && s.code == KV_OK; i++)
        s = version_remove(v, e->removes[i].level, e->removes[i].number);
    for (size_t i = 0; i < e->nadds && s.code == KV_OK; i++)
        s = version_add(v, e->adds[i].level, &e->adds[i].meta);
    assert(in_order(v));
    return s;
}

/* --- queries -------------------------------------------------------------- */

uint64_t version_level_bytes(const version *v, int level) {
    uint64_t n = 0;
    for (size_t i = 0; i < v->count[level]; i++) n += v->tables[level][i].size;
    return n;
}

size_t version_level_tables(const version *v, int level) {
    return v->count[level];
}

uint64_t version_max_bytes(const version *v, int level) {
    uint64_t n = v->level1_max_bytes;
    for (int l = 1; l < level; l++) n *= 10;
    return n;
}

/* 1 if m's range meets [lo, hi]. */
static int meets(const table_meta *m, kv_slice lo, kv_slice hi) {
    return kv_compare(table_meta_largest(m), lo) >= 0 &&
           kv_compare(table_meta_smallest(m), hi) <= 0;
}

size_t version_overlapping(const version *v, int level, kv_slice smallest,
                           kv_slice largest, table_meta ***out) {
    size_t n = 0;
    *out = NULL;
    for (size_t i = 0; i < v->count[level]; i++) {
        if (!meets(&v->tables[level][i], smallest, largest)) continue;
        if (n == 0) *out = xmalloc(v->count[level] * sizeof **out);
        (*out)[n++] = &v->tables[level][i];
    }
    return n;
}

/* The table of level l >= 1 whose range covers key, or NULL: the first
 * table whose largest key is >= key, by binary search. */
static table_meta *covering(const version *v, int l, kv_slice key) {
    size_t lo = 0, hi = v->count[l];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (kv_compare(table_meta_largest(&v->tables[l][mid]), key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == v->count[l]) return NULL;
    table_meta *m = &v->tables[l][lo];
    return kv_compare(table_meta_smallest(m), key) <= 0 ? m : NULL;
}

int version_key_may_exist_below(const version *v, int level, kv_slice key) {
    for (int l = level + 1; l < VERSION_LEVELS; l++)
        if (covering(v, l, key)) return 1;
    return 0;
}

size_t version_lookup_to(const version *v, kv_slice key, table_meta **out) {
    size_t n = 0;
    for (size_t i = v->count[0]; i-- > 0;)
        if (meets(&v->tables[0][i], key, key)) out[n++] = &v->tables[0][i];
    for (int l = 1; l < VERSION_LEVELS; l++) {
        table_meta *m = covering(v, l, key);
        if (m) out[n++] = m;
    }
    return n;
}

size_t version_lookup(const version *v, kv_slice key, table_meta ***out) {
    *out = xmalloc(VERSION_LOOKUP_MAX(v) * sizeof **out);
    size_t n = version_lookup_to(v, key, *out);
    if (n == 0) {
        free(*out);
        *out = NULL;
    }
    return n;
}

/* --- choosing a compaction ----------------------------------------------- */

/* The level with the highest score >= 1, or -1. Ties go to the lower level.
 * The last level has nowhere to go and is never chosen. */
static int pick_level(const version *v) {
    int best = -1;
    double best_score = 1.0;
    for (int l = 0; l < VERSION_LEVELS - 1; l++) {
        double score = l == 0 ? (double)v->count[0] / (double)v->l0_trigger
                              : (double)version_level_bytes(v, l) /
                                    (double)version_max_bytes(v, l);
        if (score >= best_score && (best < 0 || score > best_score)) {
            best = l;
            best_score = score;
        }
    }
    return best;
}

/* The round-robin choice in level l >= 1: the first table whose smallest
 * key is after the compact pointer, else the first table. */
static size_t round_robin(const version *v, int l) {
    const kv_buf *p = &v->compact_pointer[l];
    for (size_t i = 0; i < v->count[l]; i++)
        if (kv_compare(table_meta_smallest(&v->tables[l][i]),
                       (kv_slice){p->data, p->size}) > 0)
            return i;
    return 0;
}

/* Fills p with tables first .. first + n - 1 of level l and the tables of
 * level l + 1 their combined range meets. */
static void pick_tables(const version *v, int l, size_t first, size_t n,
                        version_pick *p) {
    p->level = l;
    p->inputs[0] = xmalloc(n * sizeof *p->inputs[0]);
    p->n[0] = n;
    kv_slice lo = table_meta_smallest(&v->tables[l][first]);
    kv_slice hi = table_meta_largest(&v->tables[l][first]);
    for (size_t i = 0; i < n; i++) {
        table_meta *m = &v->tables[l][first + i];
        p->inputs[0][i] = m;
        if (kv_compare(table_meta_smallest(m), lo) < 0)
            lo = table_meta_smallest(m);
        if (kv_compare(table_meta_largest(m), hi) > 0)
            hi = table_meta_largest(m);
    }
    p->n[1] = version_overlapping(v, l + 1, lo, hi, &p->inputs[1]);
}

int version_pick_l0(const version *v, version_pick *p) {
    memset(p, 0, sizeof *p);
    if (v->count[0] == 0) return 0;
    pick_tables(v, 0, 0, v->count[0], p);
    return 1;
}

int version_pick_compaction(version *v, version_pick *p) {
    memset(p, 0, sizeof *p);
    int l = pick_level(v);
    if (l < 0) return 0;
    if (l == 0) return version_pick_l0(v, p);
    size_t first = round_robin(v, l);
    const kv_buf *big = &v->tables[l][first].largest;
    kv_buf_set(&v->compact_pointer[l], big->data, big->size);
    pick_tables(v, l, first, 1, p);
    return 1;
}

void version_pick_free(version_pick *p) {
    free(p->inputs[0]);
    free(p->inputs[1]);
    memset(p, 0, sizeof *p);
}
