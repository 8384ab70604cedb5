/*
 * test_wal.c - the write-ahead log as the engine uses it (wal.h, engine.c):
 * what one put costs in I/O calls under each sync policy, the `sync`
 * option's values, records larger than the reader's 64 KiB chunk replayed
 * whole, the log_bytes stat, and a bad record in the middle of a log
 * reported as corruption with its file and offset; a new log never
 * written through a planted link. Stage 1's test_log.c covers the record
 * reader itself.
 */
#include <stdlib.h>
#include <string.h>

#include "kv.h"
#include "log.h"
#include "suite.h"
#include "testing.h"
#include "wal.h"

/* Closes db as a killed process would leave it: the env crashes first, so
 * the close cannot flush, and the log keeps every record. Frees env. */
static void crash_close(kv_db *db, io_env *env) {
    io_fault_crash(env);
    kv_close(db); /* fails: the env has crashed */
    io_env_free(env);
}

/* One put (or delete) under the given sync policy costs exactly one write
 * and `syncs` syncs, when no flush happens. */
static void check_put_cost(const char *sync, uint64_t syncs) {
    char d[512];
    kv_option opts[] = {{"sync", sync}, {NULL, NULL}};
    io_env *env = io_env_new();
    kv_db *db;
    CHECK_OK(suite_open(suite_path(d, sizeof d, sync), opts, env, &db));
    for (int i = 0; i < 20 && !test_failed(); i++) {
        char key[16];
        snprintf(key, sizeof key, "k%d", i);
        io_counts a = io_env_counts(env);
        CHECK_OK(i % 4 == 3 ? kv_delete(db, kv_str(key))
                            : kv_put(db, kv_str(key), kv_str("a value")));
        io_counts c = io_counts_sub(io_env_counts(env), a);
        CHECKF(c.writes == 1 && c.syncs == syncs && c.reads == 0,
               "sync=%s: op %d made %llu writes, %llu syncs, %llu reads", sync,
               i, (unsigned long long)c.writes, (unsigned long long)c.syncs,
               (unsigned long long)c.reads);
    }
    CHECK(suite_stat(db, "flushes") == 0);
    CHECK_OK(kv_close(db));
    io_env_free(env);
}

static void test_put_sync_none_one_write(void) { check_put_cost("none", 0); }
static void test_put_sync_always_one_sync(void) { check_put_cost("always", 1); }

static void test_sync_option_values(void) {
    char d[512];
    kv_db *db = NULL;
    kv_option bad[] = {{"sync", "sometimes"}, {NULL, NULL}};
    kv_status s = suite_open(suite_path(d, sizeof d, "db"), bad, NULL, &db);
    CHECK_CODE(s, KV_INVALID_ARGUMENT);
    CHECK(db == NULL);
    CHECKF(strstr(s.msg, "none") && strstr(s.msg, "always"), "%s", s.msg);
    kv_option unknown[] = {{"block_size", "10"}, {NULL, NULL}};
    s = suite_open(d, unknown, NULL, &db);
    CHECK_CODE(s, KV_INVALID_ARGUMENT);
    CHECKF(strstr(s.msg, "memtable_bytes") && strstr(s.msg, "sync") &&
               strstr(s.msg, "bloom_bits"),
           "%s", s.msg);
    kv_option wide[] = {{"bloom_bits", "31"}, {NULL, NULL}}; /* 0..30 */
    s = suite_open(d, wide, NULL, &db);
    CHECK_CODE(s, KV_INVALID_ARGUMENT);
    CHECKF(strstr(s.msg, "bloom_bits"), "%s", s.msg);
}

/* A value of n bytes that depends on seed. */
static void fill_value(kv_buf *b, size_t n, unsigned seed) {
    b->size = 0;
    for (size_t i = 0; i < n; i++) {
        char c = (char)('a' + (i * 31 + seed * 7) % 26);
        kv_buf_append(b, &c, 1);
    }
}

/* Values of 1 byte to 300 KiB, so records start and end on every side of
 * the reader's 64 KiB chunks, replayed after a crash. */
static void test_big_records_replayed(void) {
    static const size_t sizes[] = {
        1, 70000, 3, 65536 - 17 - 2, 200000, 10, 131072, 300000, 5};
    const size_t count = sizeof sizes / sizeof sizes[0];
    char d[512], key[16];
    kv_buf v = {0}, got = {0};
    io_env *env = io_env_new_faulty();
    kv_db *db;
    kv_option opts[] = {{"memtable_bytes", "16777216"}, {NULL, NULL}};
    CHECK_OK(suite_open(suite_path(d, sizeof d, "db"), opts, env, &db));
    for (size_t i = 0; i < count && !test_failed(); i++) {
        snprintf(key, sizeof key, "big%zu", i);
        fill_value(&v, sizes[i], (unsigned)i);
        CHECK_OK(kv_put(db, kv_str(key), (kv_slice){v.data, v.size}));
    }
    crash_close(db, env);
    CHECK_OK(suite_open(d, opts, NULL, &db));
    CHECK(suite_stat(db, "tables") == 0); /* all of it came from the log */
    for (size_t i = 0; i < count && !test_failed(); i++) {
        snprintf(key, sizeof key, "big%zu", i);
        fill_value(&v, sizes[i], (unsigned)i);
        CHECK_OK(kv_get(db, kv_str(key), &got));
        CHECKF(suite_same(&got, (kv_slice){v.data, v.size}), "%s differs", key);
    }
    CHECK_OK(kv_close(db));
    kv_buf_free(&v);
    kv_buf_free(&got);
}

/* log_bytes grows by one record per write and is 0 after a clean close
 * (which flushes). */
static void test_log_bytes_stat(void) {
    char d[512];
    kv_db *db;
    CHECK_OK(suite_open(suite_path(d, sizeof d, "db"), NULL, NULL, &db));
    CHECK(suite_stat(db, "log_bytes") == 0);
    CHECK_OK(kv_put(db, kv_str("alpha"), kv_str("12345")));
    CHECK(suite_stat(db, "log_bytes") == log_record_size(5, 5));
    CHECK_OK(kv_delete(db, kv_str("alpha")));
    CHECK(suite_stat(db, "log_bytes") ==
          log_record_size(5, 5) + log_record_size(5, 0));
    CHECK_OK(kv_close(db));
    CHECK_OK(suite_open(d, NULL, NULL, &db));
    CHECK(suite_stat(db, "log_bytes") == 0);
    CHECK(suite_stat(db, "tables") == 1);
    CHECK_OK(kv_close(db));
}

/* A flipped byte in a record that is not the last: open fails with
 * KV_CORRUPTION naming the log and the record's offset. */
static void test_corrupt_middle_record(void) {
    char d[512], path[1024], want[64];
    io_env *env = io_env_new_faulty();
    kv_db *db;
    CHECK_OK(suite_open(suite_path(d, sizeof d, "db"), NULL, env, &db));
    for (int i = 0; i < 5; i++) {
        char key[16];
        snprintf(key, sizeof key, "key%d", i);
        CHECK_OK(kv_put(db, kv_str(key), kv_str("value")));
    }
    crash_close(db, env);
    uint64_t rec = log_record_size(4, 5); /* every write's is this size */
    uint64_t at = log_record_size(6, 8) + 2 * rec; /* after the store's */
    snprintf(path, sizeof path, "%s/000001.log", d);
    CHECK(suite_flip_byte(path, at + LOG_HEADER_SIZE + 1, 0x01) == 0);
    kv_status s = suite_open(d, NULL, NULL, &db);
    CHECK_CODE(s, KV_CORRUPTION);
    CHECK(db == NULL);
    snprintf(want, sizeof want, "offset %llu", (unsigned long long)at);
    CHECKF(strstr(s.msg, "000001.log") && strstr(s.msg, want), "%s", s.msg);
    /* The failed open must not have flushed half a replay: still corrupt. */
    CHECK_CODE(suite_open(d, NULL, NULL, &db), KV_CORRUPTION);
}

/* A new log is a new file: a name planted as a hard link to another file
 * is refused (naming it), and that file is untouched. */
static void test_create_refuses_planted_link(void) {
    char victim[512], path[512];
    io_env *env = io_env_new();
    wal *w;
    suite_path(victim, sizeof victim, "victim");
    suite_path(path, sizeof path, "000009.log");
    CHECK(suite_plant_link(victim, path) == 0);
    kv_status s = wal_create(env, path, 1, &w);
    CHECKF(s.code == KV_IO_ERROR && strstr(s.msg, path) && w == NULL, "%s",
           s.msg);
    CHECK(suite_victim_kept(victim));
    io_env_free(env);
}

/* A log names its store in its first record: replayed as another store's,
 * it is refused naming the file and both ids, and nothing of it applied;
 * as its own, its writes are applied and the store's record is not. */
static void test_log_names_its_store(void) {
    char path[512];
    io_env *env = io_env_new();
    wal *w;
    uint64_t end, records = 9;
    suite_path(path, sizeof path, "000007.log");
    CHECK_OK(wal_create(env, path, 0x1234, &w));
    CHECK(wal_size(w) == 0); /* the store's record is not a write */
    CHECK_OK(wal_append(w, LOG_PUT, kv_str("k"), kv_str("v"), 0));
    CHECK_OK(wal_close(w));
    memtable *mt = memtable_new();
    kv_status s = wal_replay(env, path, 0x5678, mt, &end, &records);
    CHECKF(s.code == KV_CORRUPTION && strstr(s.msg, path) &&
               strstr(s.msg, "another store") &&
               strstr(s.msg, "0000000000001234") &&
               strstr(s.msg, "0000000000005678"),
           "%s", s.msg);
    CHECK(memtable_count(mt) == 0 && records == 0);
    CHECK_OK(wal_replay(env, path, 0x1234, mt, &end, &records));
    CHECK(memtable_count(mt) == 1 && records == 1);
    CHECK(end == log_record_size(6, 8) + log_record_size(1, 1));
    memtable_free(mt);
    io_env_free(env);
}

/* A log copied in from another store of the same stage, numbered above
 * this store's own, is refused at open (naming it), never replayed, and
 * moves nothing; taken away again, the store opens with every key. */
static void test_log_of_another_store_refused(void) {
    char a[512], b[512], from[1024], to[1024];
    kv_db *db;
    kv_buf v = {0};
    suite_path(a, sizeof a, "a");
    suite_path(b, sizeof b, "b");
    io_env *env = io_env_new_faulty();
    CHECK_OK(suite_open(a, NULL, env, &db));
    CHECK_OK(kv_put(db, kv_str("k"), kv_str("from a")));
    crash_close(db, env); /* a's put stays in its log */
    CHECK_OK(suite_open(b, NULL, NULL, &db));
    CHECK_OK(kv_put(db, kv_str("k"), kv_str("from b")));
    CHECK_OK(kv_close(db));
    char **names = suite_files(a);
    for (size_t i = 0; names[i]; i++)
        if (strstr(names[i], ".log"))
            snprintf(from, sizeof from, "%s/%s", a, names[i]);
    suite_files_free(names);
    snprintf(to, sizeof to, "%s/999999.log", b);
    CHECK(suite_copy_file(from, to) == 0);
    char **before = suite_files(b);
    kv_status s = suite_open(b, NULL, NULL, &db);
    CHECKF(s.code == KV_CORRUPTION && strstr(s.msg, "999999.log") &&
               strstr(s.msg, "another store"),
           "%s", s.msg);
    CHECK(suite_gone(b, before) == NULL);
    suite_files_free(before);
    CHECK(remove(to) == 0);
    CHECK_OK(suite_open(b, NULL, NULL, &db));
    CHECK_OK(kv_get(db, kv_str("k"), &v));
    CHECK(suite_same(&v, kv_str("from b")));
    CHECK_OK(kv_close(db));
    kv_buf_free(&v);
}

TEST_TABLE(wal, TEST(test_put_sync_none_one_write),
           TEST(test_put_sync_always_one_sync), TEST(test_sync_option_values),
           TEST(test_big_records_replayed), TEST(test_log_bytes_stat),
           TEST(test_corrupt_middle_record),
           TEST(test_create_refuses_planted_link),
           TEST(test_log_names_its_store),
           TEST(test_log_of_another_store_refused))
