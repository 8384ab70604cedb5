/*
 * test_kv.c - the helpers of kv.c: slices and buffers, key and value
 * limits, byte order, options by name, the STORE marker, and the I/O
 * counters as stats. The common tests link no stage, so this file names
 * the stage the helpers speak for.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kv.h"
#include "testing.h"

const char kv_stage_name[] = "common-tests";
const int kv_thread_safe = 0;

#define CHECK_MSG(expr, want_code, want)                                       \
    do {                                                                       \
        kv_status m_ = (expr);                                                 \
        CHECKF(m_.code == (want_code) && strcmp(m_.msg, (want)) == 0,          \
               "%s: got %s \"%s\", want %s \"%s\"", #expr,                     \
               kv_code_name(m_.code), m_.msg, kv_code_name(want_code),         \
               (want));                                                        \
    } while (0)

/* --- slices, buffers, limits, order -------------------------------------- */

static void test_buf(void) {
    kv_buf b = {0};
    kv_buf_set(&b, "abc", 3);
    CHECK(b.size == 3 && memcmp(b.data, "abc", 4) == 0); /* NUL-terminated */
    kv_buf_append(&b, "\0de", 3);
    CHECK(b.size == 6 && memcmp(b.data, "abc\0de", 6) == 0);
    for (int i = 0; i < 1000; i++) kv_buf_append(&b, "x", 1);
    CHECK(b.size == 1006 && b.cap > b.size && b.data[1005] == 'x');
    kv_buf_set(&b, NULL, 0);
    CHECK(b.size == 0 && b.data[0] == '\0');
    kv_buf_free(&b);
    CHECK(b.data == NULL && b.size == 0 && b.cap == 0);
    kv_buf_free(&b); /* twice is harmless */
    kv_slice s = kv_str("hello");
    CHECK(s.size == 5 && memcmp(s.data, "hello", 5) == 0);
}

static void test_check_key_value(void) {
    static char big[2000];
    kv_slice k = {big, 0};
    CHECK_MSG(kv_check_key(k), KV_INVALID_ARGUMENT, "empty key");
    k.size = 1;
    CHECK_OK(kv_check_key(k));
    k.size = KV_MAX_KEY;
    CHECK_OK(kv_check_key(k));
    k.size = KV_MAX_KEY + 1;
    CHECK_MSG(kv_check_key(k), KV_INVALID_ARGUMENT,
              "key of 1025 bytes is longer than the limit of 1024");
    k.size = 2000;
    CHECK_MSG(kv_check_key(k), KV_INVALID_ARGUMENT,
              "key of 2000 bytes is longer than the limit of 1024");
    /* Values are only measured, so a fake pointer-free slice will do. */
    kv_slice v = {NULL, 0};
    CHECK_OK(kv_check_value(v));
    v.size = KV_MAX_VALUE;
    CHECK_OK(kv_check_value(v));
    v.size = KV_MAX_VALUE + 1;
    CHECK_MSG(kv_check_value(v), KV_INVALID_ARGUMENT,
              "value of 67108865 bytes is longer than the limit of 67108864");
}

static int sign(int x) { return (x > 0) - (x < 0); }

static void test_compare(void) {
    static const struct {
        kv_slice a, b;
        int want;
    } cases[] = {
        {{"", 0}, {"", 0}, 0},
        {{"a", 1}, {"b", 1}, -1},
        {{"a", 1}, {"ab", 2}, -1}, /* a prefix sorts first */
        {{"ab", 2}, {"a", 1}, 1},
        {{"ab\0", 3}, {"ab", 2}, 1}, /* NUL is a byte like any other */
        {{"a\0b", 3}, {"a\0c", 3}, -1},
        {{"\x80", 1}, {"\x7f", 1}, 1}, /* bytes compare unsigned */
        {{"\xff", 1}, {"a", 1}, 1},
        {{"abc", 3}, {"abc", 3}, 0},
        {{"", 0}, {"\0", 1}, -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECKF(sign(kv_compare(cases[i].a, cases[i].b)) == cases[i].want,
               "case %zu", i);
        CHECKF(sign(kv_compare(cases[i].b, cases[i].a)) == -cases[i].want,
               "case %zu reversed", i);
    }
}

/* --- options ------------------------------------------------------------- */

static void test_config_check(void) {
    static const char *const none[] = {NULL};
    static const char *const two[] = {"memtable_bytes", "sync", NULL};
    kv_option opts[] = {{"sync", "always"}, {"bloom_bits", "10"}};
    kv_config cfg = {NULL, opts, 1};
    CHECK_OK(kv_config_check(NULL, none));
    CHECK_OK(kv_config_check(&cfg, two));
    CHECK_MSG(kv_config_check(&cfg, none), KV_INVALID_ARGUMENT,
              "unknown option 'sync' (common-tests knows: none)");
    cfg.count = 2;
    CHECK_MSG(kv_config_check(&cfg, two), KV_INVALID_ARGUMENT,
              "unknown option 'bloom_bits' (common-tests knows: "
              "memtable_bytes, sync)");
    cfg.count = 0;
    CHECK_OK(kv_config_check(&cfg, none));
}

static void test_config_get(void) {
    kv_option opts[] = {
        {"sync", "none"}, {"memtable_bytes", "1k"}, {"sync", "always"}};
    kv_config cfg = {NULL, opts, 3};
    CHECK(strcmp(kv_config_get(&cfg, "sync"), "always") == 0); /* last wins */
    CHECK(strcmp(kv_config_get(&cfg, "memtable_bytes"), "1k") == 0);
    CHECK(kv_config_get(&cfg, "bloom_bits") == NULL);
    CHECK(kv_config_get(NULL, "sync") == NULL);
}

/* Parses value as option "n" in [min, max]; returns the status. */
static kv_status parse(const char *value, uint64_t min, uint64_t max,
                       uint64_t *out) {
    kv_option opt = {"n", value};
    kv_config cfg = {NULL, &opt, 1};
    return kv_config_u64(&cfg, "n", 7, min, max, out);
}

static void test_config_u64(void) {
    static const struct {
        const char *in;
        uint64_t want;
    } good[] = {
        {"0", 0},         {"4096", 4096},
        {"4k", 4096},     {"4K", 4096},
        {"2m", 2u << 20}, {"3G", 3ull << 30},
        {"007", 7},       {"18446744073709551615", UINT64_MAX},
    };
    uint64_t v = 1;
    kv_config empty = {NULL, NULL, 0};
    CHECK_OK(kv_config_u64(&empty, "n", 7, 10, 20, &v));
    CHECK(v == 7); /* unset: the default, unchecked against the range */
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        CHECK_OK(parse(good[i].in, 0, UINT64_MAX, &v));
        CHECKF(v == good[i].want, "'%s' gave %llu", good[i].in,
               (unsigned long long)v);
    }
    static const char *const bad[] = {"",   "abc", "12x", "-1",   " 1", "1 ",
                                      "+5", "4kb", "k",   "0x10", "1.5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char want[128];
        snprintf(want, sizeof want, "option n: '%s' is not a number", bad[i]);
        CHECK_MSG(parse(bad[i], 0, UINT64_MAX, &v), KV_INVALID_ARGUMENT, want);
        CHECK(v == 7);
    }
    kv_option opt = {"memtable_bytes", "abc"};
    kv_config cfg = {NULL, &opt, 1};
    CHECK_MSG(kv_config_u64(&cfg, "memtable_bytes", 1, 1, 2, &v),
              KV_INVALID_ARGUMENT,
              "option memtable_bytes: 'abc' is not a number");
    CHECK_MSG(parse("5", 1024, 1u << 30, &v), KV_INVALID_ARGUMENT,
              "option n: '5' is out of range (min 1024, max 1073741824)");
    CHECK_MSG(parse("2G", 1024, 1u << 30, &v), KV_INVALID_ARGUMENT,
              "option n: '2G' is out of range (min 1024, max 1073741824)");
    CHECK_OK(parse("1G", 1024, 1u << 30, &v));
    CHECK(v == 1u << 30);
    CHECK_CODE(parse("18446744073709551616", 0, UINT64_MAX, &v),
               KV_INVALID_ARGUMENT);
    CHECK_CODE(parse("17179869184G", 0, UINT64_MAX, &v), KV_INVALID_ARGUMENT);
}

/* The option errors are told apart from the others (kv exits 2 for them). */
static void test_option_error(void) {
    const kv_option bad[] = {{"knob", "1"}, {"n", "x"}};
    const char *const known[] = {"n", NULL};
    kv_config cfg = {NULL, bad, 1};
    uint64_t v;
    CHECK(kv_is_option_error(kv_config_check(&cfg, known)));
    cfg.options = bad + 1;
    CHECK(kv_is_option_error(kv_config_u64(&cfg, "n", 0, 0, 9, &v)));
    CHECK(kv_is_option_error(kv_error(KV_INVALID_ARGUMENT, "option sync: 'x' "
                                                           "is not one of")));
    CHECK(!kv_is_option_error(kv_error(KV_INVALID_ARGUMENT, "d holds a x")));
    CHECK(!kv_is_option_error(kv_error(KV_IO_ERROR, "option: d: denied")));
    CHECK(!kv_is_option_error(kv_ok()));
}

/* --- the STORE marker ---------------------------------------------------- */

static const char want_marker[] = "kv-course store\nstage: common-tests\n";
/* A written marker: want_marker, then "id: " and 16 hex digits. */
#define MARKER_LEN (sizeof want_marker - 1 + 21)

/* 1 if buf is a marker of this stage with an id line. */
static int is_marker(const char *buf) {
    size_t n = strlen(want_marker);
    return strlen(buf) == MARKER_LEN && strncmp(buf, want_marker, n) == 0 &&
           strncmp(buf + n, "id: ", 4) == 0 &&
           strspn(buf + n + 4, "0123456789abcdef") == 16 &&
           buf[MARKER_LEN - 1] == '\n';
}

/* Writes text to dir/name with stdio; 0 on success. */
static int put_file(const char *dir, const char *name, const char *text,
                    size_t n) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    size_t w = fwrite(text, 1, n, f);
    return (fclose(f) == 0 && w == n) ? 0 : -1;
}

/* Reads dir/name into buf (NUL-terminated); the byte count, or -1. */
static long get_file(const char *dir, const char *name, char *buf, size_t cap) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    size_t n = fread(buf, 1, cap - 1, f);
    fclose(f);
    buf[n] = '\0';
    return (long)n;
}

/* kv_store_claim, its lock dropped at once: these tests look at STORE. */
static kv_status claim(io_env *env, const char *dir, int *created) {
    io_file *lock = NULL;
    kv_status s = kv_store_claim(env, dir, created, &lock);
    kv_status u = io_unlock(lock); /* NULL after a failure: a no-op */
    return kv_is_ok(s) ? u : s;
}

static void test_claim_new_dir(void) {
    char dir[4096], buf[512];
    snprintf(dir, sizeof dir, "%s/a/store", test_dir());
    io_env *env = io_env_new();
    int created = -1;
    kv_status s = claim(env, dir, &created);
    io_counts c = io_env_counts(env);
    io_env_free(env);
    CHECK_OK(s);
    CHECK(created == 1);
    CHECK(get_file(dir, "STORE", buf, sizeof buf) == (long)MARKER_LEN);
    CHECK(is_marker(buf));
    CHECK(get_file(dir, "STORE.tmp", buf, sizeof buf) == -1);
    /* One write; the file, the store dir and its new parent entry synced. */
    CHECKF(c.writes == 1 && c.bytes_written == MARKER_LEN,
           "writes %llu", (unsigned long long)c.writes);
    CHECKF(c.syncs == 3, "syncs %llu", (unsigned long long)c.syncs);
}

static void test_claim_reopen(void) {
    const char *dir = test_dir(); /* exists and is empty */
    io_env *env = io_env_new();
    int created = -1;
    kv_status s = claim(env, dir, &created);
    io_counts c0 = io_env_counts(env);
    int created2 = -1;
    kv_status s2 = claim(env, dir, &created2);
    io_counts c = io_counts_sub(io_env_counts(env), c0);
    io_env_free(env);
    CHECK_OK(s);
    CHECK(created == 1);
    CHECKF(c0.syncs == 2, "syncs %llu", (unsigned long long)c0.syncs);
    CHECK_OK(s2);
    CHECK(created2 == 0);
    /* Reopening reads the marker and writes nothing. */
    CHECK(c.writes == 0 && c.syncs == 0 && c.files_opened == 1);
    CHECK(c.bytes_read == MARKER_LEN);
}

/* Claims dir and expects the status code and the message "<dir><tail>". */
static void claim_fails(const char *dir, kv_code code, const char *tail) {
    char want[512];
    snprintf(want, sizeof want, "%s%s", dir, tail);
    io_env *env = io_env_new();
    int created = -1;
    kv_status s = claim(env, dir, &created);
    io_env_free(env);
    CHECK_MSG(s, code, want);
    CHECK(created == 0);
}

static void test_claim_other_stage(void) {
    const char *dir = test_dir();
    const char *other = "kv-course store\nstage: stage2-hash-index\n";
    CHECK(put_file(dir, "STORE", other, strlen(other)) == 0);
    claim_fails(dir, KV_INVALID_ARGUMENT,
                " holds a stage2-hash-index store; this is common-tests");
}

static void test_claim_foreign_dir(void) {
    const char *dir = test_dir();
    char buf[64];
    CHECK(put_file(dir, "notes.txt", "hi\n", 3) == 0);
    CHECK(put_file(dir, "STORE.tmp", "junk", 4) == 0);
    claim_fails(dir, KV_INVALID_ARGUMENT,
                " is not empty and holds no kv store (no STORE file)");
    if (test_failed()) return;
    CHECK(get_file(dir, "STORE", buf, sizeof buf) == -1);
    CHECK(get_file(dir, "LOCK", buf, sizeof buf) == -1); /* not locked */
    CHECK(get_file(dir, "notes.txt", buf, sizeof buf) == 3);
}

static void test_claim_leftover_tmp(void) {
    const char *dir = test_dir();
    char buf[512];
    CHECK(put_file(dir, "STORE.tmp", "kv-course st", 12) == 0);
    io_env *env = io_env_new();
    int created = -1;
    kv_status s = claim(env, dir, &created);
    io_env_free(env);
    CHECK_OK(s);
    CHECK(created == 1);
    CHECK(get_file(dir, "STORE", buf, sizeof buf) > 0);
    CHECK(is_marker(buf));
    CHECK(get_file(dir, "STORE.tmp", buf, sizeof buf) == -1);
}

/* A planted STORE.tmp link is removed, never written through. */
static void test_claim_tmp_symlink(void) {
    char dir[4096], victim[4096], link[4200], buf[512];
    snprintf(dir, sizeof dir, "%s/store", test_dir());
    snprintf(victim, sizeof victim, "%s/victim", test_dir());
    snprintf(link, sizeof link, "%s/STORE.tmp", dir);
    CHECK(put_file(test_dir(), "victim", "precious\n", 9) == 0);
    CHECK(mkdir(dir, 0755) == 0 && symlink(victim, link) == 0);
    io_env *env = io_env_new();
    int created = -1;
    kv_status s = claim(env, dir, &created);
    io_env_free(env);
    CHECK_OK(s);
    CHECK(created == 1);
    CHECK(get_file(test_dir(), "victim", buf, sizeof buf) == 9);
    CHECK(strcmp(buf, "precious\n") == 0);
    CHECK(get_file(dir, "STORE", buf, sizeof buf) > 0);
    CHECK(is_marker(buf));
    CHECK(get_file(dir, "STORE.tmp", buf, sizeof buf) == -1);
}

/* One claim at a time: a second is refused until the first lets go. */
static void test_claim_lock(void) {
    const char *dir = test_dir();
    char want[512];
    snprintf(want, sizeof want,
             "store %s is in use: another process (or another open in "
             "this one) holds its LOCK",
             dir);
    io_env *env = io_env_new();
    io_file *held = NULL, *second = NULL;
    int created = -1, created2 = -1;
    kv_status s = kv_store_claim(env, dir, &created, &held);
    kv_status s2 = kv_store_claim(env, dir, &created2, &second);
    kv_status u = io_unlock(held);
    kv_status s3 = kv_store_claim(env, dir, &created2, &second);
    kv_status u2 = io_unlock(second);
    io_env_free(env);
    CHECK_OK(s);
    CHECK(created == 1 && held != NULL);
    CHECK_MSG(s2, KV_IO_ERROR, want);
    CHECK_OK(u);
    CHECK_OK(s3);
    CHECK(created2 == 0);
    CHECK_OK(u2);
    CHECK(get_file(dir, "LOCK", want, sizeof want) == 0); /* it stays, empty */
}

static void test_claim_garbled(void) {
    static char long_marker[400];
    snprintf(long_marker, sizeof long_marker,
             "kv-course store\nstage: %0300d\n", 0);
    const char *const garbled[] = {
        "",
        "hello",
        "kv-course store\nstage: common-tests", /* no final newline */
        "kv-course store\nstage: \n",           /* no stage */
        "kv-course store\nstage: a\nb\n",       /* two lines of stage */
        "KV-course store\nstage: common-tests\n",
        long_marker,
    };
    const char *dir = test_dir();
    for (size_t i = 0; i < sizeof garbled / sizeof garbled[0]; i++) {
        CHECK(put_file(dir, "STORE", garbled[i], strlen(garbled[i])) == 0);
        claim_fails(dir, KV_CORRUPTION, "/STORE: not a kv-course store marker");
        CHECKF(!test_failed(), "marker %zu", i);
    }
    CHECK(put_file(dir, "STORE", "kv-course store\nstage: common\0tests\n",
                   36) == 0);
    claim_fails(dir, KV_CORRUPTION, "/STORE: not a kv-course store marker");
}

/* A claim that returned OK survives power loss; a failed one leaves no STORE.
 */
static void test_claim_power_loss(void) {
    char dir[4096], buf[512];
    snprintf(dir, sizeof dir, "%s/store", test_dir());
    io_env *env = io_env_new_faulty();
    int created = -1;
    kv_status s = claim(env, dir, &created);
    kv_status p = io_fault_power_loss(env);
    io_env_free(env);
    CHECK_OK(s);
    CHECK_OK(p);
    CHECK(created == 1);
    CHECK(get_file(dir, "STORE", buf, sizeof buf) > 0);
    CHECK(is_marker(buf));

    snprintf(dir, sizeof dir, "%s/store2", test_dir());
    env = io_env_new_faulty();
    io_fault_fail_at(env, IO_OP_RENAME, 1);
    s = claim(env, dir, &created);
    p = io_fault_power_loss(env);
    long got = get_file(dir, "STORE", buf, sizeof buf);
    int created2 = -1;
    kv_status s2 = claim(env, dir, &created2); /* after the reboot */
    io_env_free(env);
    CHECK_CODE(s, KV_IO_ERROR);
    CHECK(created == 0);
    CHECK_OK(p);
    CHECK(got == -1);
    CHECK_OK(s2);
    CHECK(created2 == 1);
}

/* --- stats --------------------------------------------------------------- */

static void test_io_stats(void) {
    static const char *const names[] = {"reads",  "bytes_read",
                                        "writes", "bytes_written",
                                        "syncs",  "files_opened"};
    kv_stat st[KV_STATS_MAX];
    io_env *env = io_env_new();
    io_counts start = io_env_counts(env);
    int created;
    kv_status s = claim(env, test_dir(), &created);
    size_t n = kv_io_stats(env, st, KV_STATS_MAX);
    kv_stat since[KV_STATS_MAX];
    size_t n2 = kv_io_stats_since(env, io_env_counts(env), since, KV_STATS_MAX);
    size_t n3 = kv_io_stats_since(env, start, st + 6, 3);
    io_env_free(env);
    CHECK_OK(s);
    CHECK(n == 6 && n2 == 6 && n3 == 3);
    for (size_t i = 0; i < 6; i++) {
        CHECK(strcmp(st[i].name, names[i]) == 0);
        CHECK(strcmp(since[i].name, names[i]) == 0);
        CHECK(since[i].value == 0);
    }
    CHECK(st[2].value == 1 && st[3].value == MARKER_LEN);
    CHECK(st[4].value == 2 && st[5].value == 1);
    CHECK(st[8].value == 1 && strcmp(st[8].name, "writes") == 0);
}

/* Each new store draws its own id, which kv_store_id reads back as the
 * marker spells it; a marker without an id line (the course's first
 * stores) is still a store, of id 0. */
static void test_store_id(void) {
    char a[4096], b[4096], buf[512], hex[24];
    snprintf(a, sizeof a, "%s/a", test_dir());
    snprintf(b, sizeof b, "%s/b", test_dir());
    io_env *env = io_env_new();
    int created;
    uint64_t ida = 0, idb = 0, id0 = 1;
    CHECK_OK(claim(env, a, &created));
    CHECK_OK(claim(env, b, &created));
    CHECK_OK(kv_store_id(env, a, &ida));
    CHECK_OK(kv_store_id(env, b, &idb));
    CHECK(ida != 0 && idb != 0 && ida != idb);
    CHECK(get_file(a, "STORE", buf, sizeof buf) == (long)MARKER_LEN);
    snprintf(hex, sizeof hex, "id: %016llx\n", (unsigned long long)ida);
    CHECK(strcmp(buf + strlen(want_marker), hex) == 0);
    CHECK(put_file(b, "STORE", want_marker, strlen(want_marker)) == 0);
    CHECK_OK(claim(env, b, &created));
    CHECK_OK(kv_store_id(env, b, &id0));
    CHECK(id0 == 0);
    io_env_free(env);
}

TEST_TABLE(kv, TEST(test_buf), TEST(test_check_key_value), TEST(test_compare),
           TEST(test_config_check), TEST(test_config_get),
           TEST(test_config_u64), TEST(test_option_error),
           TEST(test_claim_new_dir), TEST(test_claim_reopen),
           TEST(test_claim_other_stage), TEST(test_claim_foreign_dir),
           TEST(test_claim_leftover_tmp), TEST(test_claim_tmp_symlink),
           TEST(test_claim_lock), TEST(test_claim_garbled),
           TEST(test_claim_power_loss), TEST(test_io_stats),
           TEST(test_store_id))
