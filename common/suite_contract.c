/*
 * suite_contract.c - the contract tests (table `contract`): kv.h's promises,
 * written as checks that every stage must pass.
 *
 * Each test opens a store in its own directory with the stage's test
 * options, drives it through kv.h alone, and reopens it at least once where
 * durability across a clean close is part of the promise. The short
 * put/get/delete sequences are tables of steps run by run_steps; the tests
 * with big, binary or invalid keys and values, options, foreign
 * directories, stats, dump and scans are written out.
 */
#include "suite.h"
#include "testing.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define TEST_OPTS (kv_stage_expect.test_options)

/* Writes text into path, creating or replacing it. 0 on success. */
static int write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    int rc = fputs(text, f) < 0 ? -1 : 0;
    return fclose(f) == 0 ? rc : -1;
}

/* Opens dir with the stage's test options; the test fails if it cannot. */
#define OPEN(dir, db) CHECK_OK(suite_open((dir), TEST_OPTS, NULL, &(db)))
#define REOPEN(dir, db)                                                        \
    do {                                                                       \
        CHECK_OK(kv_close(db));                                                \
        db = NULL;                                                             \
        OPEN(dir, db);                                                         \
    } while (0)
/* key must map to exactly the bytes of value (a kv_slice). */
#define CHECK_GET(db, key, value, buf)                                         \
    do {                                                                       \
        CHECK_OK(kv_get((db), (key), (buf)));                                  \
        CHECK(suite_same((buf), (value)));                                     \
    } while (0)

/* --- short sequences, as tables of steps -----------------------------------
 */

/* One step of a short sequence: a call and what it must return. */
typedef enum step_op {
    PUT,        /* kv_put(key, value) is OK */
    DEL,        /* kv_delete(key) is OK (a missing key too) */
    GET,        /* kv_get(key) is OK with exactly value */
    MISSING,    /* kv_get(key) is KV_NOT_FOUND */
    CLOSE_OPEN, /* kv_close, then kv_open again: both OK */
} step_op;

typedef struct step {
    step_op op;
    const char *key, *value;
} step;

/* Runs steps on a new store "db" in the test's directory, then closes it.
 * The first step that goes wrong fails the test, naming its index. */
static void run_steps(const step *steps, size_t count) {
    char d[512];
    kv_db *db = NULL;
    kv_buf v = {0};
    OPEN(suite_path(d, sizeof d, "db"), db);
    for (size_t i = 0; i < count && !test_failed(); i++) {
        const step *t = &steps[i];
        kv_status s = kv_ok();
        if (t->op == PUT) s = kv_put(db, kv_str(t->key), kv_str(t->value));
        if (t->op == DEL) s = kv_delete(db, kv_str(t->key));
        if (t->op == GET || t->op == MISSING)
            s = kv_get(db, kv_str(t->key), &v);
        if (t->op == CLOSE_OPEN) REOPEN(d, db);
        kv_code want = t->op == MISSING ? KV_NOT_FOUND : KV_OK;
        CHECKF(s.code == want, "step %zu (%s): got %s (%s), want %s", i,
               t->key ? t->key : "reopen", kv_code_name(s.code), s.msg,
               kv_code_name(want));
        CHECKF(t->op != GET || suite_same(&v, kv_str(t->value)),
               "step %zu: get %s: a wrong value (%zu bytes)", i, t->key,
               v.size);
    }
    CHECK_OK(kv_close(db));
    kv_buf_free(&v);
}

#define RUN_STEPS(...)                                                         \
    do {                                                                       \
        static const step steps_[] = {__VA_ARGS__};                            \
        run_steps(steps_, sizeof steps_ / sizeof steps_[0]);                   \
    } while (0)

static void test_put_get_delete(void) {
    RUN_STEPS({PUT, "apple", "red"}, {GET, "apple", "red"},
              {DEL, "apple", NULL}, {MISSING, "apple", NULL},
              {PUT, "apple", "green"}, {GET, "apple", "green"});
}

static void test_overwrite(void) {
    RUN_STEPS({PUT, "k", "first value"}, {PUT, "k", "second, longer value"},
              {GET, "k", "second, longer value"}, {PUT, "k", "3rd"},
              {GET, "k", "3rd"}, {CLOSE_OPEN, NULL, NULL}, {GET, "k", "3rd"});
}

/* A key never put is not found, nor a prefix or an extension of a present
 * one; deleting a missing key is fine. */
static void test_missing_key(void) {
    RUN_STEPS({MISSING, "nope", NULL}, {DEL, "nope", NULL}, {PUT, "yes", "1"},
              {MISSING, "nope", NULL}, {MISSING, "ye", NULL},
              {MISSING, "yes!", NULL}, {DEL, "nope", NULL}, {GET, "yes", "1"});
}

/* An empty value is a value, not a delete. */
static void test_empty_value(void) {
    RUN_STEPS({PUT, "k", "something"}, {PUT, "k", ""}, {GET, "k", ""},
              {CLOSE_OPEN, NULL, NULL}, {GET, "k", ""}, {DEL, "k", NULL},
              {MISSING, "k", NULL});
}

/* --- written-out tests ------------------------------------------------------
 */

static void test_key_limits(void) {
    char d[512];
    kv_db *db = NULL;
    kv_buf v = {0};
    char *big = xmalloc(KV_MAX_KEY + 1);
    memset(big, 'k', KV_MAX_KEY + 1);
    kv_slice max = {big, KV_MAX_KEY}, over = {big, KV_MAX_KEY + 1};
    kv_slice empty = {"", 0};
    OPEN(suite_path(d, sizeof d, "db"), db);
    CHECK_CODE(kv_put(db, empty, kv_str("v")), KV_INVALID_ARGUMENT);
    CHECK_CODE(kv_get(db, empty, &v), KV_INVALID_ARGUMENT);
    CHECK_CODE(kv_delete(db, empty), KV_INVALID_ARGUMENT);
    CHECK_CODE(kv_put(db, over, kv_str("v")), KV_INVALID_ARGUMENT);
    CHECK_OK(kv_put(db, max, kv_str("max")));
    CHECK_GET(db, max, kv_str("max"), &v);
    REOPEN(d, db);
    CHECK_GET(db, max, kv_str("max"), &v);
    CHECK_OK(kv_close(db));
    kv_buf_free(&v);
    free(big);
}

/* A value one byte too long is refused before its bytes are read: the
 * slice claims KV_MAX_VALUE + 1 bytes over a 16-byte buffer. */
static void test_value_limit(void) {
    char d[512], small[16] = "small";
    kv_db *db = NULL;
    kv_buf v = {0};
    OPEN(suite_path(d, sizeof d, "db"), db);
    kv_slice huge = {small, (size_t)KV_MAX_VALUE + 1};
    CHECK_CODE(kv_put(db, kv_str("k"), huge), KV_INVALID_ARGUMENT);
    CHECK_CODE(kv_get(db, kv_str("k"), &v), KV_NOT_FOUND);
    CHECK_OK(kv_close(db));
    kv_buf_free(&v);
}

static void test_binary_bytes(void) {
    static const kv_slice keys[] = {
        {"a", 1},  {"a\0", 2},      {"a\0b", 3}, {"a\0c", 3},
        {"\0", 1}, {"\xff\xff", 2}, {"\xff", 1}, {"\0\0\0\xff", 4}};
    static const kv_slice vals[] = {
        {"\0", 1},   {"\0\0", 2}, {"x\0y", 3},         {"\xff\0\xff", 3},
        {"\xff", 1}, {"v\0", 2},  {"\0\xff\0\xff", 4}, {"plain", 5}};
    const size_t n = sizeof keys / sizeof keys[0];
    char d[512];
    kv_db *db = NULL;
    kv_buf v = {0};
    OPEN(suite_path(d, sizeof d, "db"), db);
    for (size_t i = 0; i < n; i++) CHECK_OK(kv_put(db, keys[i], vals[i]));
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < n; i++) CHECK_GET(db, keys[i], vals[i], &v);
        REOPEN(d, db);
    }
    CHECK_OK(kv_close(db));
    kv_buf_free(&v);
}

static void test_big_value(void) {
    const size_t n = 1u << 20;
    char d[512];
    kv_db *db = NULL;
    kv_buf v = {0};
    char *big = xmalloc(n);
    uint64_t st = test_seed();
    for (size_t i = 0; i < n; i++) big[i] = (char)suite_rand(&st);
    kv_slice value = {big, n};
    OPEN(suite_path(d, sizeof d, "db"), db);
    CHECK_OK(kv_put(db, kv_str("before"), kv_str("b")));
    CHECK_OK(kv_put(db, kv_str("big"), value));
    CHECK_OK(kv_put(db, kv_str("c-after"), kv_str("a")));
    for (int round = 0; round < 2; round++) {
        CHECK_GET(db, kv_str("big"), value, &v);
        CHECK_GET(db, kv_str("before"), kv_str("b"), &v);
        CHECK_GET(db, kv_str("c-after"), kv_str("a"), &v);
        REOPEN(d, db);
    }
    CHECK_OK(kv_close(db));
    kv_buf_free(&v);
    free(big);
}

/* 100 keys, 10 overwritten, 20 deleted: all as left after two reopens. */
static void test_survives_reopen(void) {
    char d[512], key[32], val[64];
    kv_db *db = NULL;
    kv_buf v = {0};
    OPEN(suite_path(d, sizeof d, "db"), db);
    for (int i = 0; i < 100; i++) {
        snprintf(key, sizeof key, "key%03d", i);
        snprintf(val, sizeof val, "value %d", i);
        CHECK_OK(kv_put(db, kv_str(key), kv_str(val)));
    }
    for (int i = 0; i < 30; i++) {
        snprintf(key, sizeof key, "key%03d", i * 3);
        snprintf(val, sizeof val, "new value %d", i * 3);
        CHECK_OK(i < 10 ? kv_put(db, kv_str(key), kv_str(val))
                        : kv_delete(db, kv_str(key)));
    }
    for (int round = 0; round < 2; round++) {
        REOPEN(d, db);
        for (int i = 0; i < 100; i++) {
            snprintf(key, sizeof key, "key%03d", i);
            int overwritten = i % 3 == 0 && i < 30;
            int deleted = i % 3 == 0 && i >= 30 && i < 90;
            snprintf(val, sizeof val, "%svalue %d", overwritten ? "new " : "",
                     i);
            if (deleted)
                CHECK_CODE(kv_get(db, kv_str(key), &v), KV_NOT_FOUND);
            else
                CHECK_GET(db, kv_str(key), kv_str(val), &v);
        }
    }
    CHECK_OK(kv_close(db));
    kv_buf_free(&v);
}

static void test_unknown_option(void) {
    char d[512];
    kv_db *db = (kv_db *)&db;
    const kv_option opts[] = {{"no_such_option", "1"}, {NULL, NULL}};
    kv_status s = suite_open(suite_path(d, sizeof d, "db"), opts, NULL, &db);
    CHECKF(s.code == KV_INVALID_ARGUMENT, "got %s: %s", kv_code_name(s.code),
           s.msg);
    CHECKF(strstr(s.msg, "no_such_option") != NULL, "message: %s", s.msg);
    CHECK(db == NULL);
}

static void test_other_stage_refused(void) {
    char d[512], store[600];
    const char *text = "kv-course store\nstage: stage9-other\n";
    kv_db *db = (kv_db *)&db;
    CHECK(mkdir(suite_path(d, sizeof d, "db"), 0755) == 0);
    snprintf(store, sizeof store, "%s/STORE", d);
    CHECK(write_text(store, text) == 0);
    kv_status s = suite_open(d, TEST_OPTS, NULL, &db);
    CHECKF(s.code == KV_INVALID_ARGUMENT, "got %s: %s", kv_code_name(s.code),
           s.msg);
    CHECK(db == NULL);
    char got[128] = "";
    FILE *f = fopen(store, "r");
    CHECK(f != NULL);
    size_t n = fread(got, 1, sizeof got - 1, f);
    fclose(f);
    CHECKF(n == strlen(text) && memcmp(got, text, n) == 0, "STORE was changed");
}

static void test_foreign_dir_refused(void) {
    char d[512], path[600];
    kv_db *db = (kv_db *)&db;
    CHECK(mkdir(suite_path(d, sizeof d, "db"), 0755) == 0);
    snprintf(path, sizeof path, "%s/notes.txt", d);
    CHECK(write_text(path, "not a store\n") == 0);
    kv_status s = suite_open(d, TEST_OPTS, NULL, &db);
    CHECKF(s.code == KV_INVALID_ARGUMENT, "got %s: %s", kv_code_name(s.code),
           s.msg);
    CHECK(db == NULL);
    snprintf(path, sizeof path, "%s/STORE", d);
    CHECK(access(path, F_OK) != 0);
}

/* kv_stats' I/O counters lie between two snapshots of the env's counts,
 * both taken relative to the moment kv_open began. */
static void check_io_stats(kv_db *db, io_env *env, io_counts at_open) {
    static const char *const names[6] = {"reads",  "bytes_read",
                                         "writes", "bytes_written",
                                         "syncs",  "files_opened"};
    kv_stat st[KV_STATS_MAX];
    io_counts a = io_counts_sub(io_env_counts(env), at_open);
    size_t n = kv_stats(db, st, KV_STATS_MAX);
    io_counts b = io_counts_sub(io_env_counts(env), at_open);
    uint64_t lo[6] = {a.reads,         a.bytes_read, a.writes,
                      a.bytes_written, a.syncs,      a.files_opened};
    uint64_t hi[6] = {b.reads,         b.bytes_read, b.writes,
                      b.bytes_written, b.syncs,      b.files_opened};
    CHECKF(n >= 6 && n <= KV_STATS_MAX, "kv_stats returned %zu", n);
    for (size_t i = 0; i < 6; i++) {
        CHECKF(strcmp(st[i].name, names[i]) == 0, "stat %zu is '%s', want '%s'",
               i, st[i].name, names[i]);
        CHECKF(st[i].value >= lo[i] && st[i].value <= hi[i],
               "%s = %llu, but the env counted %llu since open", names[i],
               (unsigned long long)st[i].value, (unsigned long long)lo[i]);
    }
    CHECK(kv_stats(db, st, 3) <= 3);
    CHECK(strcmp(st[2].name, "writes") == 0);
}

static void test_stats(void) {
    char d[512], key[32];
    kv_db *db = NULL;
    kv_buf v = {0};
    io_env *env = io_env_new();
    io_counts c0 = io_env_counts(env);
    CHECK_OK(suite_open(suite_path(d, sizeof d, "db"), TEST_OPTS, env, &db));
    /* A new store: STORE was written and synced through the env. */
    CHECK(suite_stat(db, "writes") > 0 && suite_stat(db, "bytes_written") > 0);
    CHECK(suite_stat(db, "syncs") > 0 && suite_stat(db, "files_opened") > 0);
    check_io_stats(db, env, c0);
    for (int i = 0; i < 50 && !test_failed(); i++) {
        snprintf(key, sizeof key, "key%d", i);
        CHECK_OK(kv_put(db, kv_str(key), kv_str("value")));
        CHECK_OK(kv_get(db, kv_str(key), &v));
    }
    check_io_stats(db, env, c0);
    CHECK_OK(kv_close(db));
    c0 = io_env_counts(env);
    CHECK_OK(suite_open(d, TEST_OPTS, env, &db));
    check_io_stats(db, env, c0);
    CHECK_OK(kv_get(db, kv_str("key7"), &v));
    check_io_stats(db, env, c0);
    CHECK_OK(kv_close(db));
    io_env_free(env);
    kv_buf_free(&v);
}

static void test_dump(void) {
    char d[512], missing[512];
    kv_db *db = NULL;
    OPEN(suite_path(d, sizeof d, "db"), db);
    CHECK_OK(kv_put(db, kv_str("alpha"), kv_str("1")));
    CHECK_OK(kv_put(db, kv_str("beta"), kv_str("2")));
    CHECK_OK(kv_delete(db, kv_str("alpha")));
    CHECK_OK(kv_close(db));
    FILE *f = tmpfile();
    CHECK(f != NULL);
    kv_status s = kv_dump(d, NULL, f);
    long size = ftell(f);
    kv_status s2 =
        kv_dump(suite_path(missing, sizeof missing, "missing"), NULL, f);
    fclose(f);
    CHECKF(s.code == KV_OK, "kv_dump: %s", s.msg);
    CHECK(size > 0);
    CHECK(s2.code != KV_OK);
    CHECK(access(missing, F_OK) != 0);
}

/* Scans from start and writes "k=v," per pair into out (for short tests). */
static kv_status scan_text(kv_db *db, const char *start, char *out, size_t n) {
    kv_iter *it;
    kv_status s = kv_iter_new(db, &it);
    if (s.code != KV_OK) return s;
    size_t len = 0;
    out[0] = '\0';
    for (kv_iter_seek(it, kv_str(start)); kv_iter_valid(it); kv_iter_next(it)) {
        kv_slice k = kv_iter_key(it), v = kv_iter_value(it);
        int w = snprintf(out + len, n - len, "%.*s=%.*s,", (int)k.size, k.data,
                         (int)v.size, v.data);
        len += w > 0 && (size_t)w < n - len ? (size_t)w : 0;
    }
    s = kv_iter_status(it);
    kv_iter_free(it);
    return s;
}

static void test_iterator(void) {
    char d[512], got[512];
    kv_db *db = NULL;
    OPEN(suite_path(d, sizeof d, "db"), db);
    kv_status s = scan_text(db, "", got, sizeof got);
    if (s.code == KV_NOT_SUPPORTED) {
        kv_close(db);
        test_skip("this stage does not scan (KV_NOT_SUPPORTED)");
        return;
    }
    CHECK_OK(s);
    CHECKF(strcmp(got, "") == 0, "empty store scans to '%s'", got);
    const char *keys[] = {"d", "b", "f", "a", "e", "c", "g"};
    for (size_t i = 0; i < 7; i++)
        CHECK_OK(kv_put(db, kv_str(keys[i]), kv_str("old")));
    CHECK_OK(kv_put(db, kv_str("c"), kv_str("new")));
    CHECK_OK(kv_delete(db, kv_str("e")));
    CHECK_OK(kv_delete(db, kv_str("a")));
    for (int round = 0; round < 2; round++) {
        CHECK_OK(scan_text(db, "", got, sizeof got));
        CHECKF(strcmp(got, "b=old,c=new,d=old,f=old,g=old,") == 0, "scan: %s",
               got);
        CHECK_OK(scan_text(db, "d", got, sizeof got));
        CHECKF(strcmp(got, "d=old,f=old,g=old,") == 0, "seek d: %s", got);
        CHECK_OK(scan_text(db, "cc", got, sizeof got));
        CHECKF(strcmp(got, "d=old,f=old,g=old,") == 0, "seek cc: %s", got);
        CHECK_OK(scan_text(db, "e", got, sizeof got));
        CHECKF(strcmp(got, "f=old,g=old,") == 0, "seek e: %s", got);
        CHECK_OK(scan_text(db, "h", got, sizeof got));
        CHECKF(strcmp(got, "") == 0, "seek h: %s", got);
        REOPEN(d, db);
    }
    CHECK_OK(kv_close(db));
}

TEST_TABLE(contract, TEST(test_put_get_delete), TEST(test_overwrite),
           TEST(test_missing_key), TEST(test_key_limits),
           TEST(test_value_limit), TEST(test_binary_bytes),
           TEST(test_empty_value), TEST(test_big_value),
           TEST(test_survives_reopen), TEST(test_unknown_option),
           TEST(test_other_stage_refused), TEST(test_foreign_dir_refused),
           TEST(test_stats), TEST(test_dump), TEST(test_iterator))
