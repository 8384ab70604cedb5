/*
 * test_move.c - stage 7's rules for keeping writes moving: a
 * compaction that would copy its tables unchanged moves them instead
 * (move.h), a compaction pauses between its outputs to flush a memtable
 * the writer switched out (bg_between_outputs), and writes sleep, then
 * writers wait, while L0 holds too many tables (bg.c), each counted.
 *
 * The threaded tests hold a call in the I/O layer (io_fault_hold) to see
 * what happens at a known point: no timing is asserted, only order and
 * counts; a wait is bounded (WAIT_MS) so a broken engine fails, not hangs.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kv.h"
#include "move.h"
#include "suite.h"
#include "testing.h"
#include "version.h"

#define WAIT_MS   10000
#define VALUE_LEN 80

static kv_slice key_of(char *buf, int k) {
    snprintf(buf, 16, "key%05d", k);
    return kv_str(buf);
}

/* Key k's value in round r: "r<r>:" plus filler. */
static kv_slice value_of(char *buf, int k, int r) {
    int n = snprintf(buf, VALUE_LEN + 1, "r%d:", r);
    for (int j = n; j < VALUE_LEN; j++) buf[j] = (char)('a' + (k + j) % 26);
    return (kv_slice){buf, VALUE_LEN};
}

/* Puts keys [from, to) in round r. */
static kv_status put_range(kv_db *db, int from, int to, int r) {
    char k[16], v[VALUE_LEN + 1];
    kv_status s = kv_ok();
    for (int i = from; i < to && s.code == KV_OK; i++)
        s = kv_put(db, key_of(k, i), value_of(v, i, r));
    return s;
}

/* 1 if keys [from, to) all hold round r. */
static int holds(kv_db *db, int from, int to, int r) {
    char k[16], v[VALUE_LEN + 1];
    kv_buf b = {0};
    int ok = 1;
    for (int i = from; i < to && ok; i++)
        ok = kv_get(db, key_of(k, i), &b).code == KV_OK &&
             suite_same(&b, value_of(v, i, r));
    kv_buf_free(&b);
    return ok;
}

static void wait_idle(kv_db *db) {
    while (suite_stat(db, "bg_busy") != 0) usleep(1000);
}

/* --- move_possible -------------------------------------------------------- */

/* Adds table number to level with range [lo, hi] and size bytes. */
static void add(version *v, int level, uint64_t number, uint64_t size,
                const char *lo, const char *hi) {
    table_meta m;
    table_meta_set(&m, number, size, 10, kv_str(lo), kv_str(hi));
    CHECK_OK(version_add(v, level, &m));
    table_meta_free(&m);
}

/* The L0 pick (every L0 table and the L1 tables they meet), as
 * tableset.c makes it for kv_compact, through the policy here: l0_trigger
 * is 1 so the policy picks L0. */
static int pick(version *v, version_pick *p) {
    v->l0_trigger = 1;
    return version_pick_compaction(v, p);
}

/* Disjoint L0 tables over an empty L1 move; overlapping ones, or one
 * meeting an L1 table, or one landing on too much of L2, do not. */
static void test_move_possible(void) {
    version *v = version_new();
    version_pick p;
    add(v, 0, 1, 100, "a", "c");
    add(v, 0, 2, 100, "d", "f");
    CHECK(pick(v, &p) && p.level == 0 && p.n[0] == 2 && p.n[1] == 0);
    CHECK(move_possible(v, &p, 1000));
    version_edit e;
    version_edit_init(&e);
    move_edit(&p, &e);
    version_pick_free(&p);
    CHECK(e.nremoves == 2 && e.nadds == 2 && e.adds[0].level == 1);
    CHECK_OK(version_apply(v, &e));
    version_edit_free(&e);
    CHECK(v->count[0] == 0 && v->count[1] == 2);

    add(v, 0, 3, 100, "b", "b"); /* meets table 1 in L1 */
    CHECK(pick(v, &p) && p.n[1] == 1);
    CHECK(!move_possible(v, &p, 1000));
    version_pick_free(&p);
    CHECK_OK(version_remove(v, 0, 3));

    add(v, 0, 4, 100, "g", "m");
    add(v, 0, 5, 100, "k", "p"); /* overlaps table 4 */
    CHECK(pick(v, &p) && p.n[1] == 0);
    CHECK(!move_possible(v, &p, 1000));
    version_pick_free(&p);
    CHECK_OK(version_remove(v, 0, 5));

    add(v, 2, 6, 20001, "h", "i"); /* under table 4: 10 x 2000 < 20001 */
    CHECK(pick(v, &p) && p.n[1] == 0);
    CHECK(!move_possible(v, &p, 2000));
    CHECK(move_possible(v, &p, 2001));
    version_pick_free(&p);
    version_free(v);
}

/* Sequential keys: every flush holds keys past every table before it, so
 * every compaction the policy picks is a move: no table is rewritten
 * (bytes_compacted 0), and after a reopen the levels and every key are
 * there. */
static void test_sequential_fill_moves(void) {
    static const kv_option opts[] = {{"memtable_bytes", "2048"},
                                     {"table_bytes", "2048"},
                                     {"level1_bytes", "8192"},
                                     {"l0_trigger", "2"},
                                     {NULL, NULL}};
    char d[512];
    kv_db *db;
    CHECK_OK(suite_open(suite_path(d, sizeof d, "db"), opts, NULL, &db));
    CHECK_OK(put_range(db, 0, 1000, 1));
    wait_idle(db);
    uint64_t moves = suite_stat(db, "moves");
    uint64_t compactions = suite_stat(db, "compactions");
    uint64_t compacted = suite_stat(db, "bytes_compacted");
    uint64_t deep = suite_stat(db, "tables_l2") + suite_stat(db, "tables_l3");
    CHECK_OK(kv_close(db));
    CHECKF(moves >= 10, "%llu moves", (unsigned long long)moves);
    CHECK(compactions == 0 && compacted == 0);
    CHECK(deep >= 1);
    CHECK_OK(suite_open(d, opts, NULL, &db));
    CHECK(suite_stat(db, "tables_l2") + suite_stat(db, "tables_l3") == deep);
    CHECK(holds(db, 0, 1000, 1));
    CHECK_OK(kv_close(db));
}

/* --- threads and held calls ----------------------------------------------- */

/* A call run in its own thread: kv_compact, or puts of keys [from, to). */
typedef struct call {
    kv_db *db;
    int compact, from, to;
    kv_status s;
    _Atomic int done;
} call;

static void *call_main(void *arg) {
    call *c = arg;
    c->s = c->compact ? kv_compact(c->db) : put_range(c->db, c->from, c->to, 2);
    atomic_store(&c->done, 1);
    return NULL;
}

/* Keys [0, n) in two rounds, so L0's tables overlap (no move), closed. */
static kv_status base_store(const char *d, const kv_option *opts, int n) {
    kv_db *db;
    kv_status s = suite_open(d, opts, NULL, &db);
    if (s.code == KV_OK) s = put_range(db, 0, n, 0);
    if (s.code == KV_OK) s = put_range(db, 0, n, 1);
    kv_status c = db ? kv_close(db) : kv_ok();
    return s.code != KV_OK ? s : c;
}

/*
 * kv_compact held at its first output's first write; meanwhile the writer
 * fills the memtable once (it becomes the immutable one). Released, the
 * compaction finishes that output, and the next table renamed into place
 * is the flush's (numbered by its log, below every output), while the
 * compaction is still unfinished: the writer waited for one output, not
 * for the whole compaction.
 */
static void test_flush_between_outputs(void) {
    static const kv_option opts[] = {{"memtable_bytes", "4096"},
                                     {"table_bytes", "1024"},
                                     {"l0_trigger", "100"},
                                     {NULL, NULL}};
    char d[512];
    kv_db *db;
    io_env *env = io_env_new_faulty();
    CHECK_OK(base_store(suite_path(d, sizeof d, "db"), opts, 200));
    CHECK_OK(suite_open(d, opts, env, &db));
    io_fault_hold(env, IO_OP_WRITE, 1, ".sst.tmp");
    call comp = {.db = db, .compact = 1};
    pthread_t tc;
    pthread_create(&tc, NULL, call_main, &comp);
    int held = io_fault_wait_held(env, WAIT_MS), renamed = 0, unfinished = 0;
    unsigned long long tmp = 0, highest = 0;
    uint64_t flushes = 0;
    if (held) {
        CHECK_OK(put_range(db, 0, 45, 2)); /* one switch: ~31 fill 4 KiB */
        flushes = suite_stat(db, "flushes");
        io_fault_release_hold(env, IO_OP_RENAME, 2, ".sst.tmp");
        renamed = io_fault_wait_held(env, WAIT_MS);
        if (suite_count_files(d, ".sst.tmp") == 1) /* the one not renamed */
            tmp = suite_highest_number(d, ".sst.tmp");
        highest = suite_highest_number(d, ".sst");
        unfinished = !atomic_load(&comp.done);
    }
    io_fault_release(env);
    pthread_join(tc, NULL);
    CHECKF(held, "kv_compact wrote no table");
    CHECK(flushes == 0);
    CHECKF(renamed && tmp != 0, "no second rename (%llu)", tmp);
    CHECKF(tmp < highest, "the table renamed second is %llu, after output %llu",
           tmp, highest);
    CHECK(unfinished);
    CHECK_OK(comp.s);
    CHECK(holds(db, 0, 45, 2) && holds(db, 45, 200, 1));
    CHECK(suite_stat(db, "flushes") >= 1);
    CHECK_OK(kv_close(db));
    io_env_free(env);
}

/*
 * A store reopened with l0_trigger 1 holds more than L0_STOP (3) x 1 L0
 * tables. A writer that fills the memtable finds L0 full and waits (a
 * stall, counted; the memtable not switched), which asks for the
 * compaction that frees it; that compaction is held at its first write
 * meanwhile. Released, the writer goes on and every put lands.
 */
static void test_l0_full_stalls_writer(void) {
    static const kv_option base[] = {{"memtable_bytes", "1024"},
                                     {"l0_trigger", "100"},
                                     {NULL, NULL}};
    static const kv_option opts[] = {{"memtable_bytes", "1024"},
                                     {"l0_trigger", "1"},
                                     {NULL, NULL}};
    char d[512];
    kv_db *db;
    io_env *env = io_env_new_faulty();
    CHECK_OK(base_store(suite_path(d, sizeof d, "db"), base, 40));
    CHECK_OK(suite_open(d, opts, env, &db));
    uint64_t l0 = suite_stat(db, "tables_l0");
    io_fault_hold(env, IO_OP_WRITE, 1, ".sst.tmp");
    call w = {.db = db, .from = 0, .to = 40};
    pthread_t tw;
    pthread_create(&tw, NULL, call_main, &w);
    int held = io_fault_wait_held(env, WAIT_MS);
    uint64_t stalls = 0, flushes = 1;
    for (int i = 0; held && i < WAIT_MS && stalls == 0; i++) {
        stalls = suite_stat(db, "stalls");
        if (stalls == 0) usleep(1000);
    }
    int writer_done = atomic_load(&w.done), logs = 0;
    if (held) {
        flushes = suite_stat(db, "flushes");
        /* a switch would have made one more log */
        logs = suite_count_files(d, ".log");
    }
    io_fault_release(env);
    pthread_join(tw, NULL);
    CHECKF(l0 >= 3, "%llu L0 tables", (unsigned long long)l0);
    CHECKF(held, "no compaction started");
    CHECKF(stalls >= 1, "the writer never stalled");
    CHECK(!writer_done && flushes == 0);
    CHECKF(logs == 1, "%d logs: the memtable was switched", logs);
    CHECK_OK(w.s);
    CHECK(holds(db, 0, 40, 2));
    wait_idle(db);
    CHECK(suite_stat(db, "tables_l0") < 3);
    CHECK_OK(kv_close(db));
    io_env_free(env);
}

/*
 * A store of l0 L0 tables, reopened (no compaction starts at open: no
 * flush asks for one): with l0_trigger l0 / 2 (LevelDB's threshold, 2t,
 * reached; a copy of the store) no write sleeps; with l0 / 3 (stage 7's,
 * 3t, reached) every write sleeps once, counted in slowdowns, and none
 * stalls (five puts do not fill the memtable); kv_compact's own switch of
 * the memtable does not sleep; with L0 emptied, no write sleeps.
 */
static void test_l0_slowdown(void) {
    static const kv_option base[] = {{"memtable_bytes", "1024"},
                                     {"l0_trigger", "100"},
                                     {NULL, NULL}};
    char d[512], trigger[24];
    kv_db *db;
    CHECK_OK(base_store(suite_path(d, sizeof d, "db"), base, 40));
    CHECK_OK(suite_open(d, base, NULL, &db));
    uint64_t l0 = suite_stat(db, "tables_l0");
    CHECK_OK(kv_close(db));
    CHECKF(l0 >= 4, "%llu L0 tables", (unsigned long long)l0);
    const kv_option opts[] = {{"memtable_bytes", "1024"},
                              {"l0_trigger", trigger},
                              {NULL, NULL}};
    /* LevelDB's threshold, 2t, on a second store just like it: no sleep */
    char d2[512];
    CHECK_OK(base_store(suite_path(d2, sizeof d2, "db2"), base, 40));
    snprintf(trigger, sizeof trigger, "%llu", (unsigned long long)(l0 / 2));
    CHECK_OK(suite_open(d2, opts, NULL, &db));
    CHECK(suite_stat(db, "tables_l0") == l0);
    CHECK_OK(put_range(db, 0, 5, 2));
    CHECK(suite_stat(db, "slowdowns") == 0);
    CHECK_OK(kv_close(db));
    snprintf(trigger, sizeof trigger, "%llu", (unsigned long long)(l0 / 3));
    CHECK_OK(suite_open(d, opts, NULL, &db));
    CHECK_OK(put_range(db, 0, 5, 2));
    CHECK(suite_stat(db, "slowdowns") == 5);
    CHECK(suite_stat(db, "stalls") == 0);
    CHECK_OK(kv_compact(db));
    CHECK(suite_stat(db, "tables_l0") == 0);
    CHECK(suite_stat(db, "slowdowns") == 5);
    CHECK_OK(put_range(db, 5, 10, 2));
    CHECK(suite_stat(db, "slowdowns") == 5);
    CHECK(holds(db, 0, 10, 2) && holds(db, 10, 40, 1));
    CHECK_OK(kv_close(db));
}

TEST_TABLE(move, TEST(test_move_possible), TEST(test_sequential_fill_moves),
           TEST(test_flush_between_outputs), TEST(test_l0_full_stalls_writer),
           TEST(test_l0_slowdown))
