/*
 * test_compaction_engine.c - compaction inside the engine (engine.c,
 * tableset.c): a crash at every I/O call of a compaction, space and read
 * amplification under overwrites and deletes, the manifest's log_number
 * (a log numbered below a compaction output is still replayed), and a
 * missing manifest.
 *
 * Keys are "k<i>", values "v<i>.<round>" plus filler; the model is the
 * round each key holds (-1: deleted or never put).
 */
#include <stdlib.h>
#include <string.h>

#include "kv.h"
#include "suite.h"
#include "testing.h"

#define KEYS 60

/* Small sizes, so a few hundred writes make levels 0 to 2. */
#define SMALL_OPTS(sync, l1)                                                   \
    {                                                                          \
        {"memtable_bytes", "1024"}, {"table_bytes", "1024"},                   \
            {"level1_bytes", l1}, {"sync", sync}, {                            \
            NULL, NULL                                                         \
        }                                                                      \
    }

static kv_slice key_of(char *buf, int k) {
    snprintf(buf, 16, "k%d", k);
    return kv_str(buf);
}

/* Key k's value in round r: about 100 bytes. */
static kv_slice value_of(char *buf, int k, int r) {
    int n = snprintf(buf, 128, "v%d.%d:", k, r);
    for (int j = n; j < 100; j++) buf[j] = (char)('a' + (k + j + r) % 26);
    return (kv_slice){buf, 100};
}

/* Puts every key (round r) or, with del, deletes every key with k % 3 == 0
 * and marks it in model. */
static kv_status round_run(kv_db *db, int r, int del, int model[KEYS]) {
    char k[16], v[128];
    kv_status s = kv_ok();
    for (int i = 0; i < KEYS && s.code == KV_OK; i++) {
        if (del && i % 3 != 0) continue;
        s = del ? kv_delete(db, key_of(k, i))
                : kv_put(db, key_of(k, i), value_of(v, i, r));
        if (s.code == KV_OK) model[i] = del ? -1 : r;
    }
    return s;
}

/* 1 when every key holds exactly what the model says and a full scan
 * yields exactly the live keys; else 0 with the difference in why. */
static int matches(kv_db *db, const int model[KEYS], char *why, size_t n) {
    char k[16], v[128];
    kv_buf got = {0};
    int ok = 1, live = 0;
    for (int i = 0; i < KEYS && ok; i++) {
        kv_status s = kv_get(db, key_of(k, i), &got);
        live += model[i] >= 0;
        if (model[i] < 0
                ? s.code == KV_NOT_FOUND
                : s.code == KV_OK && suite_same(&got, value_of(v, i, model[i])))
            continue;
        snprintf(why, n, "key %d: %.100s (want round %d)", i, s.msg, model[i]);
        ok = 0;
    }
    kv_iter *it;
    int seen = 0;
    if (ok && kv_iter_new(db, &it).code == KV_OK) {
        for (kv_iter_seek(it, kv_str("")); kv_iter_valid(it); kv_iter_next(it))
            seen++;
        kv_iter_free(it);
        if (seen != live) {
            snprintf(why, n, "scan: %d keys, want %d", seen, live);
            ok = 0;
        }
    }
    kv_buf_free(&got);
    return ok;
}

/* --- a crash at every call of a compaction ------------------------------- */

/* A store in dir with tables in L0 and L1 and 7 rounds of history. */
static kv_status base_store(const char *dir, int model[KEYS]) {
    kv_option opts[] = SMALL_OPTS("always", "1048576");
    kv_db *db;
    kv_status s = suite_open(dir, opts, NULL, &db);
    char k[16], v[128];
    for (int r = 0; r < 6 && s.code == KV_OK; r++)
        s = round_run(db, r, r == 4, model);
    if (s.code == KV_OK) s = kv_compact(db);          /* all in L1 */
    for (int i = 0; i < 12 && s.code == KV_OK; i++) { /* then 2 L0 tables */
        s = kv_put(db, key_of(k, i * 5), value_of(v, i * 5, 6));
        model[i * 5] = 6;
    }
    kv_status c = db ? kv_close(db) : kv_ok();
    return s.code != KV_OK ? s : c;
}

/*
 * The base store copied, opened with sync=always, a round of puts made
 * (acknowledged, so in the synced log), then kv_compact (a flush and the
 * merge of every L0 table with L1) fails at its call n, and the power goes
 * out. After a reopen every acknowledged write is there, exactly, no
 * file is left that the manifest does not name, and open deleted none but
 * .tmp files (the others are in lost/); the store then compacts and holds
 * the same again. n runs until kv_compact makes no more calls.
 */
static void test_crash_every_compaction_call(void) {
    char base[512], d[512], why[256];
    kv_option opts[] = SMALL_OPTS("always", "1048576");
    int model[KEYS], want[KEYS];
    memset(model, 0xff, sizeof model);
    suite_path(base, sizeof base, "base");
    suite_path(d, sizeof d, "db");
    CHECK_OK(base_store(base, model));
    uint64_t n = 1, done = 0;
    for (; !done && n < 10000 && !test_failed(); n++) {
        io_env *env = io_env_new_faulty();
        kv_db *db;
        memcpy(want, model, sizeof want);
        suite_rmrf(d);
        suite_copy_dir(base, d);
        CHECK_OK(suite_open(d, opts, env, &db));
        CHECK(suite_stat(db, "tables_l0") >= 1);
        CHECK(suite_stat(db, "tables_l1") >= 1);
        CHECK_OK(round_run(db, 7, 0, want));
        io_fault_fail_at(env, IO_OP_ANY, n);
        kv_status s = kv_compact(db);
        done = !io_fault_crashed(env); /* else s may be OK all the same:
                                          the fault hit a best-effort remove */
        CHECKF(!done || s.code == KV_OK, "%s", s.msg);
        if (done) CHECK(suite_stat(db, "compactions") >= 1);
        kv_close(db); /* its error is expected after the crash */
        CHECK_OK(io_fault_power_loss(env));
        io_env_free(env);
        char **before = suite_files(d);
        CHECK_OK(suite_open(d, opts, NULL, &db));
        const char *gone = suite_gone(d, before); /* set aside, not deleted */
        CHECKF(gone == NULL, "crash at call %llu: open deleted %s",
               (unsigned long long)n, gone);
        suite_files_free(before);
        int ok = matches(db, want, why, sizeof why);
        uint64_t tables = suite_stat(db, "tables");
        int stray = suite_count_files(d, ".tmp") +
                    (int)((uint64_t)suite_count_files(d, ".sst") != tables);
        kv_status c = kv_compact(db);
        ok = ok && matches(db, want, why, sizeof why);
        kv_close(db);
        CHECKF(ok, "crash at call %llu: %s", (unsigned long long)n, why);
        CHECKF(!stray, "crash at call %llu: files the manifest does not name",
               (unsigned long long)n);
        CHECKF(suite_count_files(d, ".log") == 1, "crash at call %llu: %d logs",
               (unsigned long long)n, suite_count_files(d, ".log"));
        CHECK_OK(c);
    }
    CHECKF(done && n > 20, "kv_compact made %llu calls", (unsigned long long)n);
}

/* --- space and read amplification ---------------------------------------- */

/* 60 keys of 100 bytes, overwritten 40 times, then a third deleted: the
 * directory stays within 4x the live data plus 16 KiB at every round (the
 * tables, the log and the manifest, on disk), a get reads at most one
 * block per L0 table and one per level (exact read calls), and once every
 * key is deleted kv_compact leaves no table at all (nothing lies below
 * L1, so every tombstone is dropped with what it hid). */
static void test_space_bounded(void) {
    char d[512], k[16];
    kv_option opts[] = SMALL_OPTS("none", "1048576");
    int model[KEYS];
    kv_db *db;
    kv_buf v = {0};
    memset(model, 0xff, sizeof model);
    suite_path(d, sizeof d, "db");
    CHECK_OK(suite_open(d, opts, NULL, &db));
    uint64_t live = KEYS * (3 + 100), worst = 0;
    for (int r = 0; r < 40 && !test_failed(); r++) {
        CHECK_OK(round_run(db, r, 0, model));
        uint64_t bytes = suite_dir_bytes(d);
        if (bytes > worst) worst = bytes;
        uint64_t before = suite_stat(db, "reads");
        CHECK_OK(kv_get(db, key_of(k, r % KEYS), &v));
        uint64_t reads = suite_stat(db, "reads") - before;
        CHECKF(reads <= suite_stat(db, "tables_l0") + 6,
               "round %d: a get made %llu reads", r, (unsigned long long)reads);
    }
    kv_buf_free(&v);
    CHECKF(worst <= 4 * live + 16384, "%llu bytes on disk for %llu live",
           (unsigned long long)worst, (unsigned long long)live);
    CHECK(suite_stat(db, "compactions") > 5);
    uint64_t wa = suite_stat(db, "write_amplification_x100");
    CHECKF(wa > 100 && wa < 3000, "write amplification x100: %llu",
           (unsigned long long)wa);
    for (int i = 0; i < KEYS; i++) CHECK_OK(kv_delete(db, key_of(k, i)));
    CHECK_OK(kv_compact(db));
    CHECK(suite_stat(db, "tables") == 0);
    CHECK_OK(kv_close(db));
    CHECK(suite_count_files(d, ".sst") == 0);
}

/* --- the manifest's log_number ------------------------------------------- */

/* With level1_bytes small, compactions cascade and their outputs take
 * numbers above the log being filled. Writes made after one (in that log)
 * survive a power loss: open replays every log from log_number on, where
 * stage 4's rule (a log below the highest table is obsolete) would drop
 * them. */
static void test_log_below_compaction_output(void) {
    char d[512], why[256], k[16], v[128];
    kv_option opts[] = SMALL_OPTS("always", "2048");
    int model[KEYS], after = -1;
    kv_db *db;
    io_env *env = io_env_new_faulty();
    memset(model, 0xff, sizeof model);
    suite_path(d, sizeof d, "db");
    CHECK_OK(suite_open(d, opts, env, &db));
    uint64_t compactions = 0;
    for (int i = 0; i < 2000 && after < 3; i++) {
        int key = (i * 7) % KEYS;
        CHECK_OK(kv_put(db, key_of(k, key), value_of(v, key, i)));
        model[key] = i;
        if (after >= 0) after++;
        if (after < 0 && suite_stat(db, "compactions") > compactions &&
            suite_stat(db, "tables_l2") > 0)
            after = 0; /* this put's flush compacted: 3 more, then crash */
        compactions = suite_stat(db, "compactions");
    }
    CHECK(after == 3);
    unsigned long long log = suite_highest_number(d, ".log"),
                       sst = suite_highest_number(d, ".sst");
    CHECKF(log < sst, "log %llu, highest table %llu", log, sst);
    io_fault_crash(env);
    kv_close(db);
    CHECK_OK(io_fault_power_loss(env));
    io_env_free(env);
    CHECK_OK(suite_open(d, opts, NULL, &db));
    int ok = matches(db, model, why, sizeof why);
    kv_close(db);
    CHECKF(ok, "%s", why);
}

/* --- a missing manifest --------------------------------------------------- */

/* A store of this stage whose MANIFEST is gone but whose tables are there
 * does not open (the tables' levels are lost); one without tables does. */
static void test_missing_manifest(void) {
    char d[512], path[600];
    kv_option opts[] = SMALL_OPTS("none", "1048576");
    int model[KEYS];
    kv_db *db;
    suite_path(d, sizeof d, "db");
    snprintf(path, sizeof path, "%s/MANIFEST", d);
    CHECK_OK(suite_open(d, opts, NULL, &db));
    CHECK_OK(kv_close(db));
    CHECK(remove(path) == 0);
    CHECK_OK(suite_open(d, opts, NULL, &db)); /* no tables: a new set */
    CHECK_OK(round_run(db, 0, 0, model));
    CHECK_OK(kv_close(db));
    CHECK(suite_count_files(d, ".sst") > 0);
    CHECK(remove(path) == 0);
    kv_status s = suite_open(d, opts, NULL, &db);
    CHECKF(s.code == KV_CORRUPTION && strstr(s.msg, "MANIFEST: missing"), "%s",
           s.msg);
}

TEST_TABLE(compaction_engine, TEST(test_crash_every_compaction_call),
           TEST(test_space_bounded), TEST(test_log_below_compaction_output),
           TEST(test_missing_manifest))
