/*
 * test_manifest_damage.c - a damaged MANIFEST (manifest.h: which damage a
 * crash can leave, and what open does with the rest).
 *
 * A store with a few flushes and a compaction is closed; its manifest is
 * then cut to zero bytes, cut inside its first record (the snapshot),
 * given a flipped byte there, and cut at every record boundary and in the
 * middle of every record. What no crash can leave fails the open with an
 * error naming the manifest and an offset. A cut after the first record is
 * a torn tail or a shorter manifest: open either fails naming the manifest
 * (a table or the log it names is gone), or opens with every key. Either
 * way open deleted no file but a .tmp one: each is still in the store or
 * in lost/. The whole manifest opens with every key.
 *
 * The log the manifest names, removed, fails the open the same way; so
 * does a live table replaced by another store's (its size is not the one
 * the manifest recorded).
 *
 * A table copied in from another store (000999.sst) is set aside, never
 * served nor deleted; a second one of that name, at the next open, goes
 * to lost/000999.sst.1; kv dump lists both.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kv.h"
#include "log.h"
#include "suite.h"
#include "testing.h"

#define KEYS 200

static const kv_option opts[] = {{"memtable_bytes", "4096"},
                                 {"l0_trigger", "2"},
                                 {0, 0}};

/* The offsets where the manifest's records start, then its size, in
 * ends[0..*n]. */
static kv_status record_ends(const char *path, uint64_t *ends, size_t cap,
                             size_t *n) {
    io_env *env = io_env_new();
    io_file *f;
    uint64_t size = 0;
    kv_status s = io_open_read(env, path, &f);
    if (s.code == KV_OK) s = io_size(f, &size);
    *n = 0;
    if (s.code == KV_OK) {
        log_reader r;
        log_record rec;
        int more = 1;
        log_reader_init(&r, f, size);
        while (s.code == KV_OK && more && *n < cap - 1) {
            s = log_reader_next(&r, &rec, &more);
            if (s.code == KV_OK && more) ends[(*n)++] = rec.offset;
        }
        ends[*n] = size;
        log_reader_free(&r);
    }
    if (s.code == KV_OK) io_close(f);
    io_env_free(env);
    return s;
}

/* 1 when db holds every key with its value. */
static int holds_all(kv_db *db) {
    kv_buf v = {0};
    char k[16];
    int ok = 1;
    for (int i = 0; i < KEYS && ok; i++) {
        snprintf(k, sizeof k, "key%04d", i);
        ok = kv_get(db, kv_str(k), &v).code == KV_OK && suite_same(&v, kv_str(k));
    }
    kv_buf_free(&v);
    return ok;
}

/* The base store copied to work, its manifest cut to size (or, with
 * flip, a byte at flip - 1 flipped), then opened: checks as at the top. */
static void try_damage(const char *base, const char *work, uint64_t size,
                       uint64_t flip, int must_fail, int must_hold) {
    char path[1024];
    kv_db *db;
    suite_rmrf(work);
    suite_copy_dir(base, work);
    snprintf(path, sizeof path, "%s/MANIFEST", work);
    if (flip)
        CHECK(suite_flip_byte(path, flip - 1, 0x40) == 0);
    else
        CHECK(suite_cut_file(path, size) == 0);
    int tables = suite_count_files(work, ".sst");
    char **before = suite_files(work);
    kv_status s = suite_open(work, opts, NULL, &db);
    const char *gone = suite_gone(work, before);
    CHECKF(gone == NULL, "cut %llu, flip %llu: %s deleted",
           (unsigned long long)size, (unsigned long long)flip, gone);
    suite_files_free(before);
    if (s.code == KV_OK) {
        CHECKF(!must_fail, "cut %llu, flip %llu: opened",
               (unsigned long long)size, (unsigned long long)flip);
        CHECKF(holds_all(db), "cut %llu: opened without every key",
               (unsigned long long)size);
        CHECK_OK(kv_close(db));
        return;
    }
    CHECKF(!must_hold, "%s", s.msg);
    CHECKF(strstr(s.msg, "MANIFEST") != NULL, "%s", s.msg);
    CHECKF(!must_fail || strstr(s.msg, "offset") != NULL, "%s", s.msg);
    CHECK(suite_count_files(work, ".sst") == tables); /* nothing moved */
}

/* A new store in dir holding every key (holds_all), closed. */
static void fill_keys(const char *dir) {
    char k[16];
    kv_db *db;
    CHECK_OK(suite_open(dir, opts, NULL, &db));
    for (int i = 0; i < KEYS; i++) {
        snprintf(k, sizeof k, "key%04d", i);
        CHECK_OK(kv_put(db, kv_str(k), kv_str(k)));
    }
    CHECK_OK(kv_close(db));
}

static void test_damaged_manifest(void) {
    char base[512], work[512], path[1024];
    uint64_t ends[256];
    size_t n;
    suite_path(base, sizeof base, "base");
    suite_path(work, sizeof work, "work");
    fill_keys(base);
    snprintf(path, sizeof path, "%s/MANIFEST", base);
    CHECK_OK(record_ends(path, ends, 256, &n));
    CHECK(n >= 3); /* a snapshot, then flushes and compactions */
    try_damage(base, work, 0, 0, 1, 0);
    try_damage(base, work, ends[1] / 2, 0, 1, 0);
    try_damage(base, work, ends[1] - 1, 0, 1, 0);
    try_damage(base, work, 0, 1, 1, 0);           /* the header's crc */
    try_damage(base, work, 0, ends[1] - 1, 1, 0); /* the snapshot's data */
    for (size_t i = 1; i < n && !test_failed(); i++) {
        try_damage(base, work, ends[i], 0, 0, 0);
        try_damage(base, work, ends[i] + (ends[i + 1] - ends[i]) / 2, 0, 0, 0);
    }
    try_damage(base, work, ends[n], 0, 0, 1); /* whole: every key */
}

/* The path of a table of dir (the last one listed) in buf. */
static void a_table(const char *dir, char *buf, size_t n) {
    char **names = suite_files(dir);
    for (size_t i = 0; names[i]; i++)
        if (strstr(names[i], ".sst") && !strstr(names[i], ".tmp"))
            snprintf(buf, n, "%s/%s", dir, names[i]);
    suite_files_free(names);
}

/* Two closed stores: `other` with one key in one table, `dir` with KEYS. */
static void two_stores(const char *other, const char *dir) {
    kv_db *db;
    CHECK_OK(suite_open(other, opts, NULL, &db));
    CHECK_OK(kv_put(db, kv_str("foreign"), kv_str("x")));
    CHECK_OK(kv_close(db)); /* its one table */
    fill_keys(dir);
}

/* Copies the one table of the store from into dir as 000999.sst. */
static void plant(const char *from, const char *dir) {
    char src[1024], dst[1024];
    a_table(from, src, sizeof src);
    snprintf(dst, sizeof dst, "%s/000999.sst", dir);
    CHECK(suite_copy_file(src, dst) == 0);
}

static void test_foreign_table(void) {
    char other[512], d[512];
    kv_db *db;
    kv_buf v = {0};
    suite_path(other, sizeof other, "other");
    suite_path(d, sizeof d, "db");
    two_stores(other, d);
    for (int round = 0; round < 2; round++) {
        plant(other, d);
        CHECK_OK(suite_open(d, opts, NULL, &db));
        CHECK(suite_stat(db, "files_set_aside") == 1);
        CHECK(kv_get(db, kv_str("foreign"), &v).code == KV_NOT_FOUND);
        CHECK(holds_all(db));
        CHECK_OK(kv_close(db));
        CHECK(!suite_exists(d, "000999.sst"));
        CHECK(suite_exists(d, "lost/000999.sst"));
        /* the first one set aside is never replaced */
        CHECK(suite_exists(d, "lost/000999.sst.1") == round);
    }
    kv_buf_free(&v);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    CHECK_OK(kv_dump(d, NULL, out));
    fclose(out);
    CHECKF(strstr(text, "lost/000999.sst: set aside by open") &&
               strstr(text, "lost/000999.sst.1: set aside by open"),
           "%s", text);
    free(text);
}

/* The log the manifest names, removed by hand: open fails naming the
 * manifest and the log, and moves nothing; put back, it opens whole. */
static void test_named_log_removed(void) {
    char d[512], from[1024], to[1100];
    kv_db *db;
    suite_path(d, sizeof d, "db");
    fill_keys(d);
    char **names = suite_files(d);
    int logs = 0;
    for (size_t i = 0; names[i]; i++)
        if (strstr(names[i], ".log")) {
            snprintf(from, sizeof from, "%s/%s", d, names[i]);
            logs++;
        }
    CHECK(logs == 1); /* a clean close leaves the one log the manifest names */
    snprintf(to, sizeof to, "%s.away", from);
    CHECK(rename(from, to) == 0);
    int tables = suite_count_files(d, ".sst");
    kv_status s = suite_open(d, opts, NULL, &db);
    CHECK(s.code == KV_CORRUPTION);
    CHECKF(strstr(s.msg, "MANIFEST") && strstr(s.msg, ".log") &&
               strstr(s.msg, "missing"),
           "%s", s.msg);
    CHECK(suite_count_files(d, ".sst") == tables); /* nothing moved */
    CHECK(!suite_exists(d, "lost"));
    CHECK(rename(to, from) == 0);
    CHECK_OK(suite_open(d, opts, NULL, &db));
    CHECK(holds_all(db));
    CHECK_OK(kv_close(db));
    suite_files_free(names);
}

/* A live table replaced by another store's under its own name: open fails
 * naming the file and the sizes, and moves nothing; with the table put
 * back it opens whole. */
static void test_live_table_replaced(void) {
    char other[512], d[512], victim[1024], keep[1100], src[1024];
    kv_db *db;
    suite_path(other, sizeof other, "other");
    suite_path(d, sizeof d, "db");
    two_stores(other, d);
    a_table(other, src, sizeof src);
    a_table(d, victim, sizeof victim);
    snprintf(keep, sizeof keep, "%s.keep", victim);
    CHECK(rename(victim, keep) == 0);
    CHECK(suite_copy_file(src, victim) == 0);
    int tables = suite_count_files(d, ".sst");
    kv_status s = suite_open(d, opts, NULL, &db);
    CHECK(s.code == KV_CORRUPTION);
    CHECKF(strstr(s.msg, victim) && strstr(s.msg, "bytes"), "%s", s.msg);
    CHECK(suite_count_files(d, ".sst") == tables); /* nothing moved */
    CHECK(rename(keep, victim) == 0);
    CHECK_OK(suite_open(d, opts, NULL, &db));
    CHECK(holds_all(db));
    CHECK_OK(kv_close(db));
}

TEST_TABLE(manifest_damage, TEST(test_damaged_manifest),
           TEST(test_foreign_table), TEST(test_named_log_removed),
           TEST(test_live_table_replaced))
