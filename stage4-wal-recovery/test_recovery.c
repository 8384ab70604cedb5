/*
 * test_recovery.c - crash recovery (engine.c): a log cut at every byte of
 * its last records, a crash at every I/O call of a flush, and power loss at
 * random points with sync=always (nothing acknowledged lost) and with
 * sync=none (the store holds a prefix of the writes).
 *
 * Writes here are op i: key "k<i % KEYS>" gets "op<i>:" plus filler, or is
 * deleted; states[j][k] is the op whose value key k holds after j ops (-1:
 * none), so a store can be matched against every prefix of the history.
 */
#include <stdlib.h>
#include <string.h>

#include "kv.h"
#include "log.h"
#include "suite.h"
#include "testing.h"

#define KEYS    20
#define MAX_OPS 400

typedef int history[MAX_OPS + 1][KEYS];

/* Op i of the sequence seeded by seed: *key, and *del or the value. */
static void op_make(uint64_t seed, int i, int *key, int *del, char *val,
                    size_t *len) {
    uint64_t st = seed * 1000003u + (uint64_t)i;
    *key = (int)(suite_rand(&st) % KEYS);
    *del = suite_rand(&st) % 100 < 15;
    int n = snprintf(val, 200, "op%d:", i);
    *len = (size_t)n + suite_rand(&st) % 120;
    for (size_t j = (size_t)n; j < *len; j++) val[j] = 'a' + (char)(j % 26);
}

/* Runs op i on db and records the state after it in h[i + 1]. */
static kv_status op_run(kv_db *db, uint64_t seed, int i, history h) {
    char key[16], val[200];
    int k, del;
    size_t len;
    op_make(seed, i, &k, &del, val, &len);
    snprintf(key, sizeof key, "k%d", k);
    memcpy(h[i + 1], h[i], sizeof h[i]);
    h[i + 1][k] = del ? -1 : i;
    return del ? kv_delete(db, kv_str(key))
               : kv_put(db, kv_str(key), (kv_slice){val, len});
}

/* The op whose value each key holds in db (-1 none, -2 an unknown value or
 * an error) into have[]. */
static void store_state(kv_db *db, uint64_t seed, int have[KEYS]) {
    kv_buf v = {0};
    char key[16], want[200];
    for (int k = 0; k < KEYS; k++) {
        snprintf(key, sizeof key, "k%d", k);
        kv_status s = kv_get(db, kv_str(key), &v);
        have[k] = s.code == KV_NOT_FOUND ? -1 : -2;
        if (s.code != KV_OK) continue;
        int i = v.size > 2 ? atoi(v.data + 2) : -1, kk, del;
        size_t len;
        if (i < 0 || i >= MAX_OPS) continue;
        op_make(seed, i, &kk, &del, want, &len);
        if (kk == k && !del && suite_same(&v, (kv_slice){want, len}))
            have[k] = i;
    }
    kv_buf_free(&v);
}

/* The largest j <= n with h[j] equal to db's state, or -1. */
static int match_prefix(kv_db *db, uint64_t seed, history h, int n) {
    int have[KEYS];
    store_state(db, seed, have);
    for (int j = n; j >= 0; j--)
        if (memcmp(have, h[j], sizeof have) == 0) return j;
    return -1;
}

/* --- a torn log --------------------------------------------------------- */

/* 12 ops, left as a kill -9 leaves them (the log holds every record); the
 * log is cut at every byte of its last three records. Each cut opens to
 * the prefix of whole records, and a put after it survives a reopen. */
static void test_torn_tail_every_byte(void) {
    static history h;
    char base[512], work[512], path[1024];
    uint64_t head = log_record_size(6, 8); /* the store's record (wal.h) */
    uint64_t ends[13] = {0};
    io_env *env = io_env_new_faulty();
    kv_db *db;
    CHECK_OK(suite_open(suite_path(base, sizeof base, "base"), NULL, env, &db));
    memset(h[0], 0xff, sizeof h[0]); /* -1: nothing */
    for (int i = 0; i < 12; i++) {
        CHECK_OK(op_run(db, 1, i, h));
        ends[i + 1] = head + suite_stat(db, "log_bytes");
    }
    io_fault_crash(env);
    kv_close(db);
    io_env_free(env);
    suite_path(work, sizeof work, "work");
    snprintf(path, sizeof path, "%s/000001.log", work);
    for (uint64_t cut = ends[9]; cut <= ends[12] && !test_failed(); cut++) {
        int whole = 0;
        while (whole < 12 && ends[whole + 1] <= cut) whole++;
        suite_rmrf(work);
        suite_copy_dir(base, work);
        CHECK(suite_cut_file(path, cut) == 0);
        CHECK_OK(suite_open(work, NULL, NULL, &db));
        int j = match_prefix(db, 1, h, 12);
        kv_status s = kv_put(db, kv_str("new"), kv_str("after the cut"));
        kv_close(db); /* flushes: the next open reads the table */
        CHECKF(j == whole, "cut %llu: a prefix of %d ops, want %d",
               (unsigned long long)cut, j, whole);
        CHECK_OK(s);
        CHECK_OK(suite_open(work, NULL, NULL, &db));
        kv_buf v = {0};
        s = kv_get(db, kv_str("new"), &v);
        int same = suite_same(&v, kv_str("after the cut"));
        j = match_prefix(db, 1, h, 12);
        kv_buf_free(&v);
        kv_close(db);
        CHECK_OK(s);
        CHECKF(same && j == whole, "cut %llu: after reopen %d",
               (unsigned long long)cut, j);
    }
}

/* --- a crash at every I/O call of a flush ---------------------------------
 */

#define FLUSH_OPTS                                                             \
    {                                                                          \
        {"memtable_bytes", "2048"}, {"sync", "always"}, { NULL, NULL }         \
    }

/* Runs ops 0.. on a fresh store in dir until one flushes; *flush_op is
 * that op and *calls the I/O calls it made. */
static kv_status count_flush_calls(const char *dir, int *flush_op,
                                   uint64_t *calls, history h) {
    kv_option opts[] = FLUSH_OPTS;
    io_env *env = io_env_new_faulty();
    kv_db *db;
    suite_rmrf(dir);
    kv_status s = suite_open(dir, opts, env, &db);
    *flush_op = -1;
    for (int i = 0; i < MAX_OPS && s.code == KV_OK && *flush_op < 0; i++) {
        uint64_t before = io_fault_calls(env, IO_OP_ANY);
        s = op_run(db, 2, i, h);
        *calls = io_fault_calls(env, IO_OP_ANY) - before;
        if (suite_stat(db, "flushes") == 1) *flush_op = i;
    }
    kv_close(db);
    io_env_free(env);
    return s;
}

static void test_crash_every_flush_call(void) {
    static history h;
    char d[512];
    kv_option opts[] = FLUSH_OPTS;
    int flush_op;
    uint64_t calls = 0;
    memset(h[0], 0xff, sizeof h[0]);
    suite_path(d, sizeof d, "db");
    CHECK_OK(count_flush_calls(d, &flush_op, &calls, h));
    CHECK(flush_op > 0 && calls >= 8); /* table, rename, syncs, log, remove */
    for (uint64_t n = 1; n <= calls && !test_failed(); n++) {
        io_env *env = io_env_new_faulty();
        kv_db *db;
        suite_rmrf(d);
        CHECK_OK(suite_open(d, opts, env, &db));
        for (int i = 0; i < flush_op; i++) CHECK_OK(op_run(db, 2, i, h));
        io_fault_fail_at(env, IO_OP_ANY, n);
        int acked = op_run(db, 2, flush_op, h).code == KV_OK;
        kv_close(db); /* its error is expected */
        CHECK_OK(io_fault_power_loss(env));
        io_env_free(env);
        CHECK_OK(suite_open(d, opts, NULL, &db));
        int j = match_prefix(db, 2, h, flush_op + 1);
        CHECK(suite_count_files(d, ".tmp") == 0);
        kv_close(db);
        CHECKF(j == flush_op + 1 || (j == flush_op && !acked),
               "crash at call %llu of %llu: a prefix of %d ops, %d acked",
               (unsigned long long)n, (unsigned long long)calls, j,
               flush_op + acked);
    }
}

/* --- power loss at random points ------------------------------------------
 */

/* Rounds of random ops with flushes, each ended by a crash and a power
 * loss at a random point; the store must then hold a prefix of the ops no
 * shorter than `durable` says: every op with sync=always, else any. */
static void power_loss_rounds(const char *sync, int durable) {
    static history h;
    char d[512];
    kv_option opts[] = {
        {"memtable_bytes", "2048"}, {"sync", sync}, {NULL, NULL}};
    uint64_t st = test_seed();
    for (int round = 0; round < 5 && !test_failed(); round++) {
        uint64_t seed = 100 + (uint64_t)round;
        int n = 50 + (int)(suite_rand(&st) % 300), i;
        io_env *env = io_env_new_faulty();
        kv_db *db;
        memset(h[0], 0xff, sizeof h[0]);
        suite_path(d, sizeof d, sync);
        suite_rmrf(d);
        CHECK_OK(suite_open(d, opts, env, &db));
        for (i = 0; i < n && !test_failed(); i++)
            CHECK_OK(op_run(db, seed, i, h));
        io_fault_crash(env);
        kv_close(db);
        CHECK_OK(io_fault_power_loss(env));
        io_env_free(env);
        CHECK_OK(suite_open(d, opts, NULL, &db));
        int j = match_prefix(db, seed, h, n);
        kv_status s = op_run(db, seed, j < 0 ? 0 : j, h); /* still writable */
        kv_close(db);
        CHECKF(j >= 0, "sync=%s round %d: not a prefix of the %d ops", sync,
               round, n);
        CHECKF(!durable || j == n,
               "sync=%s round %d: %d of %d acknowledged ops survived", sync,
               round, j, n);
        CHECK_OK(s);
    }
}

static void test_power_loss_sync_always(void) {
    power_loss_rounds("always", 1);
}
static void test_power_loss_sync_none(void) { power_loss_rounds("none", 0); }

/* --- a stray table ------------------------------------------------------ */

/* A table from another store, planted with a number above every log: the
 * log holding acknowledged writes must not be taken for obsolete. Open
 * fails naming the stray and removes nothing; once it is moved away, every
 * acknowledged write is there and the stray's value never was. */
static void test_stray_table(void) {
    char other[512], base[512], work[512], path[1024], stray[1024];
    kv_db *db;
    kv_buf v = {0};
    suite_path(other, sizeof other, "other");
    suite_path(base, sizeof base, "base");
    suite_path(work, sizeof work, "work");
    CHECK_OK(suite_open(other, NULL, NULL, &db));
    CHECK_OK(kv_put(db, kv_str("a"), kv_str("foreign")));
    CHECK_OK(kv_put(db, kv_str("z"), kv_str("foreign")));
    CHECK_OK(kv_close(db)); /* flushed: 000001.sst */
    CHECK_OK(suite_open(base, NULL, NULL, &db));
    CHECK_OK(kv_put(db, kv_str("a"), kv_str("ours")));
    CHECK_OK(kv_put(db, kv_str("b"), kv_str("ours too")));
    suite_copy_dir(base, work); /* a kill -9: the writes are in the log */
    CHECK_OK(kv_close(db));
    snprintf(path, sizeof path, "%s/000001.sst", other);
    snprintf(stray, sizeof stray, "%s/000999.sst", work);
    CHECK(suite_copy_file(path, stray) == 0);

    kv_status s = suite_open(work, NULL, NULL, &db);
    CHECKF(s.code == KV_CORRUPTION && strstr(s.msg, "000999.sst") &&
               strstr(s.msg, "000001.log"),
           "%s", s.msg);
    CHECK(suite_exists(work, "000001.log")); /* nothing removed */
    CHECK(remove(stray) == 0);
    CHECK_OK(suite_open(work, NULL, NULL, &db));
    CHECK_OK(kv_get(db, kv_str("a"), &v));
    CHECK(suite_same(&v, kv_str("ours")));
    CHECK_OK(kv_get(db, kv_str("b"), &v));
    CHECK(suite_same(&v, kv_str("ours too")));
    CHECK_CODE(kv_get(db, kv_str("z"), &v), KV_NOT_FOUND);
    CHECK_OK(kv_close(db));
    kv_buf_free(&v);
}

TEST_TABLE(recovery, TEST(test_torn_tail_every_byte),
           TEST(test_crash_every_flush_call), TEST(test_power_loss_sync_always),
           TEST(test_power_loss_sync_none), TEST(test_stray_table))
