/*
 * test_view.c - what readers share (view.h): a copy of a version is equal
 * to it and independent of it, and views share one copy of the tables
 * until the set changes, so making a view costs O(1) whatever the number
 * of tables:
 *   - a memtable switch makes a new view that shares the previous view's
 *     version (pointer-equal), while the flush it starts is held;
 *   - the flush's end makes a new version, and a view taken before it
 *     still reads its own (its memtable and its version).
 * No timing assertion: a held flush (io_fault_hold) makes the order exact.
 */
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "suite.h"
#include "testing.h"

#define WAIT_MS 10000

static void meta_add(version *v, int level, uint64_t number, const char *lo,
                     const char *hi) {
    table_meta m;
    table_meta_set(&m, number, 100 * number, number, kv_str(lo), kv_str(hi));
    CHECK_OK(version_add(v, level, &m));
    table_meta_free(&m);
}

/* 1 if a and b hold the same tables, fields and keys, level by level,
 * and the same thresholds and compact pointers. */
static int same_version(const version *a, const version *b) {
    if (a->l0_trigger != b->l0_trigger) return 0;
    if (a->level1_max_bytes != b->level1_max_bytes) return 0;
    for (int l = 0; l < VERSION_LEVELS; l++) {
        if (a->count[l] != b->count[l]) return 0;
        const kv_buf *p = &a->compact_pointer[l], *q = &b->compact_pointer[l];
        if (kv_compare((kv_slice){p->data, p->size},
                       (kv_slice){q->data, q->size}) != 0)
            return 0;
        for (size_t i = 0; i < a->count[l]; i++) {
            const table_meta *x = &a->tables[l][i], *y = &b->tables[l][i];
            if (x->number != y->number || x->size != y->size ||
                x->entries != y->entries ||
                kv_compare(table_meta_smallest(x), table_meta_smallest(y)) ||
                kv_compare(table_meta_largest(x), table_meta_largest(y)))
                return 0;
        }
    }
    return 1;
}

/* version_copy: equal to the original, and still whole after the original
 * changes and is freed (AddressSanitizer would see a shared key). */
static void test_version_copy(void) {
    version *v = version_new();
    v->l0_trigger = 100;
    v->level1_max_bytes = 100; /* L1 holds 700: picked, its pointer set */
    meta_add(v, 0, 9, "c", "q");
    meta_add(v, 0, 8, "a", "z");
    meta_add(v, 1, 3, "a", "f");
    meta_add(v, 1, 4, "g", "m");
    meta_add(v, 2, 5, "b", "y");
    version_pick p;
    CHECK(version_pick_compaction(v, &p) == 1 && p.level == 1);
    version_pick_free(&p);
    CHECK(v->compact_pointer[1].size == 1);
    version *c = version_copy(v);
    CHECK(same_version(v, c));
    CHECK_OK(version_remove(v, 1, 4));
    meta_add(v, 1, 10, "h", "i");
    CHECK(!same_version(v, c));
    version_free(v);
    CHECK(c->count[0] == 2 && c->tables[0][0].number == 8);
    CHECK(c->count[1] == 2 && c->tables[1][1].number == 4);
    CHECK(kv_compare(table_meta_largest(&c->tables[1][1]), kv_str("m")) == 0);
    meta_add(c, 1, 11, "n", "p"); /* the copy takes edits of its own */
    CHECK(c->count[1] == 3 && c->tables[1][2].number == 11);
    version *empty = version_new(), *e = version_copy(empty);
    CHECK(same_version(empty, e));
    version_free(empty);
    version_free(e);
    version_free(c);
}

/* The current view and the version it shares, with a reference. */
static view *current(kv_db *db, const shared_version **sv) {
    pthread_mutex_lock(&db->mu);
    view *v = db->current;
    view_ref(v);
    *sv = view_version(v);
    pthread_mutex_unlock(&db->mu);
    return v;
}

static int has_imm(kv_db *db) {
    pthread_mutex_lock(&db->mu);
    int yes = db->imm != NULL;
    pthread_mutex_unlock(&db->mu);
    return yes;
}

/* A memtable switch shares the tables' version (no copy); the flush that
 * adds a table makes a new one; an old view keeps its own. */
static void test_views_share_a_version(void) {
    static const kv_option opts[] = {
        {"memtable_bytes", "1024"}, {"l0_trigger", "100"}, {NULL, NULL}};
    char d[512], k[16], val[101];
    memset(val, 'v', 100);
    val[100] = '\0';
    kv_db *db;
    io_env *env = io_env_new_faulty();
    CHECK_OK(suite_open(suite_path(d, sizeof d, "db"), opts, env, &db));
    const shared_version *sv0, *sv1, *sv2;
    view *v0 = current(db, &sv0);
    io_fault_hold(env, IO_OP_WRITE, 1, ".sst.tmp");
    int puts = 0;
    kv_status s = kv_ok();
    while (s.code == KV_OK && puts < 100 && !has_imm(db)) {
        snprintf(k, sizeof k, "k%03d", puts++);
        s = kv_put(db, kv_str(k), kv_str(val));
    }
    int held = io_fault_wait_held(env, WAIT_MS);
    view *v1 = current(db, &sv1);
    uint64_t flushes = suite_stat(db, "flushes");
    io_fault_release(env);
    /* the flush counts itself before its view is installed, with imm
     * gone: wait for both */
    for (int i = 0;
         i < WAIT_MS && (suite_stat(db, "flushes") == 0 || has_imm(db)); i++)
        usleep(1000);
    view *v2 = current(db, &sv2);
    kv_buf b = {0};
    int kind = -1, missing = -1, kind2 = -1;
    kv_status g0 = view_get(v0, kv_str("k000"), &kind, &b);
    kv_status gm = view_get(v0, kv_str("zzz"), &missing, &b);
    kv_status g2 = view_get(v2, kv_str("k000"), &kind2, &b);
    kv_buf_free(&b);
    view_unref(v0);
    view_unref(v1);
    view_unref(v2);
    kv_status c = kv_close(db);
    io_env_free(env);
    CHECK_OK(s);
    CHECKF(held, "no flush started after %d puts", puts);
    CHECK(flushes == 0);
    CHECK(v1 != v0);   /* the switch made a view (it names imm) ... */
    CHECK(sv1 == sv0); /* ... sharing the tables' version: no copy */
    CHECK(sv2 != sv1); /* the flush's table: a new version */
    CHECK_OK(g0);
    CHECK(kind == ENTRY_PUT); /* v0 holds the memtable that was flushed */
    CHECK_OK(gm);
    CHECK(missing == 0); /* v0 searched its own version, still whole */
    CHECK_OK(g2);
    CHECK(kind2 == ENTRY_PUT);
    CHECK_OK(c);
}

TEST_TABLE(view, TEST(test_version_copy), TEST(test_views_share_a_version));
