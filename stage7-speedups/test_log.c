/*
 * test_log.c - unit tests for the record log (log.h): encoding, the
 * sequential reader, the torn tail and corruption.
 */
#include <stdlib.h>
#include <string.h>

#include "kv.h"
#include "log.h"
#include "suite.h"
#include "testing.h"

/* Writes n records key%d -> value of (i * 37) % 300 bytes to path. */
static kv_status write_log(io_env *env, const char *path, int n,
                           uint64_t *ends) {
    io_file *f;
    kv_buf rec = {0}, val = {0};
    kv_status s = io_open_append(env, path, 1, &f);
    if (s.code != KV_OK) return s;
    uint64_t end = 0;
    for (int i = 0; i < n && s.code == KV_OK; i++) {
        char key[32];
        snprintf(key, sizeof key, "key%d", i);
        val.size = 0;
        for (int j = 0; j < (i * 37) % 300; j++) kv_buf_append(&val, "v", 1);
        if (i % 5 == 4)
            log_encode(&rec, LOG_DELETE, kv_str(key), (kv_slice){"", 0});
        else
            log_encode(&rec, LOG_PUT, kv_str(key),
                       (kv_slice){val.data, val.size});
        s = io_append(f, rec.data, rec.size);
        end += rec.size;
        if (ends) ends[i] = end;
    }
    kv_buf_free(&rec);
    kv_buf_free(&val);
    kv_status c = io_close(f);
    return s.code == KV_OK ? c : s;
}

/* Reads path to its end: the number of records and the status. */
static kv_status read_log(io_env *env, const char *path, int *count,
                          uint64_t *end) {
    io_file *f;
    uint64_t size;
    kv_status s = io_open_read(env, path, &f);
    if (s.code != KV_OK) return s;
    io_size(f, &size);
    log_reader r;
    log_record rec;
    int more = 1;
    *count = 0;
    log_reader_init(&r, f, size);
    while (more) {
        s = log_reader_next(&r, &rec, &more);
        if (s.code != KV_OK) break;
        if (more) {
            char key[32];
            snprintf(key, sizeof key, "key%d", *count);
            if (kv_compare(rec.key, kv_str(key)) != 0 ||
                rec.type != (*count % 5 == 4 ? LOG_DELETE : LOG_PUT))
                s = kv_error(KV_CORRUPTION, "record %d is wrong", *count);
            (*count)++;
        }
    }
    *end = r.offset;
    log_reader_free(&r);
    io_close(f);
    return s;
}

static char *path_in_test_dir(const char *name) {
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", test_dir(), name);
    return path;
}

static void test_round_trip(void) {
    io_env *env = io_env_new();
    char *path = path_in_test_dir("a.log");
    uint64_t ends[500], end;
    int count;
    CHECK_OK(write_log(env, path, 500, ends));
    CHECK_OK(read_log(env, path, &count, &end));
    CHECKF(count == 500, "read %d records", count);
    CHECK(end == ends[499]);
    io_env_free(env);
}

/* A scan reads the log in 64 KiB chunks: few calls, every byte once. */
static void test_scan_reads_in_chunks(void) {
    io_env *env = io_env_new();
    char *path = path_in_test_dir("a.log");
    uint64_t ends[2000], end;
    int count;
    CHECK_OK(write_log(env, path, 2000, ends));
    io_counts before = io_env_counts(env);
    CHECK_OK(read_log(env, path, &count, &end));
    io_counts d = io_counts_sub(io_env_counts(env), before);
    uint64_t chunks = (ends[1999] + 65535) / 65536;
    CHECKF(d.bytes_read >= ends[1999] && d.reads <= 2 * chunks + 1,
           "%llu reads, %llu bytes for a %llu-byte log",
           (unsigned long long)d.reads, (unsigned long long)d.bytes_read,
           (unsigned long long)ends[1999]);
    io_env_free(env);
}

/* A record larger than the read chunk is read whole. */
static void test_big_record(void) {
    io_env *env = io_env_new();
    char *path = path_in_test_dir("big.log");
    size_t n = 300 * 1000;
    char *v = xmalloc(n);
    for (size_t i = 0; i < n; i++) v[i] = (char)(i * 7);
    kv_buf rec = {0};
    io_file *f;
    CHECK_OK(io_open_append(env, path, 1, &f));
    log_encode(&rec, LOG_PUT, kv_str("big"), (kv_slice){v, n});
    CHECK_OK(io_append(f, rec.data, rec.size));
    log_encode(&rec, LOG_PUT, kv_str("small"), kv_str("x"));
    CHECK_OK(io_append(f, rec.data, rec.size));
    CHECK_OK(io_close(f));

    CHECK_OK(io_open_read(env, path, &f));
    log_reader r;
    log_record got;
    int more;
    log_reader_init(&r, f, log_record_size(3, n) + log_record_size(5, 1));
    kv_status s = log_reader_next(&r, &got, &more);
    int ok = s.code == KV_OK && more && got.value.size == n &&
             memcmp(got.value.data, v, n) == 0;
    s = log_reader_next(&r, &got, &more);
    ok = ok && s.code == KV_OK && more &&
         kv_compare(got.key, kv_str("small")) == 0;
    log_reader_free(&r);
    io_close(f);
    kv_buf_free(&rec);
    free(v);
    io_env_free(env);
    CHECK(ok);
}

/* Cut anywhere: the reader ends, without error, after the last whole record. */
static void test_torn_tail_every_byte(void) {
    io_env *env = io_env_new();
    char *path = path_in_test_dir("t.log");
    uint64_t ends[12];
    CHECK_OK(write_log(env, path, 12, ends));
    for (uint64_t cut = ends[8]; cut <= ends[11]; cut++) {
        CHECK(suite_cut_file(path, cut) == 0);
        int count, want = 0;
        uint64_t end;
        while (want < 12 && ends[want] <= cut) want++;
        CHECK_OK(read_log(env, path, &count, &end));
        CHECKF(count == want && end == (want ? ends[want - 1] : 0),
               "cut at %llu: %d records, end %llu; want %d",
               (unsigned long long)cut, count, (unsigned long long)end, want);
        CHECK_OK(write_log(env, path, 12, NULL)); /* restore */
    }
    io_env_free(env);
}

/* Zeros where the last record should be (data never reached the disk). */
static void test_zero_tail_is_torn(void) {
    io_env *env = io_env_new();
    char *path = path_in_test_dir("z.log");
    uint64_t ends[5], end;
    int count;
    CHECK_OK(write_log(env, path, 5, ends));
    io_file *f;
    char zeros[100] = {0};
    CHECK_OK(io_open_append(env, path, 0, &f));
    CHECK_OK(io_append(f, zeros, sizeof zeros));
    CHECK_OK(io_close(f));
    CHECK_OK(read_log(env, path, &count, &end));
    CHECK(count == 5 && end == ends[4]);
    io_env_free(env);
}

/* Any flipped byte before the tail is corruption, named with its offset. */
static void test_flip_is_corruption(void) {
    io_env *env = io_env_new();
    char *path = path_in_test_dir("c.log");
    uint64_t ends[6];
    CHECK_OK(write_log(env, path, 6, ends));
    for (uint64_t off = 0; off < ends[5]; off++) {
        CHECK(suite_flip_byte(path, off, 0x01) == 0);
        int count, rec = 0;
        uint64_t end;
        while (ends[rec] <= off) rec++;
        kv_status s = read_log(env, path, &count, &end);
        char where[64];
        snprintf(where, sizeof where,
                 "offset %llu:", (unsigned long long)(rec ? ends[rec - 1] : 0));
        CHECKF(s.code == KV_CORRUPTION && strstr(s.msg, where) != NULL &&
                   strstr(s.msg, "c.log") != NULL,
               "flip at %llu: %s: %s", (unsigned long long)off,
               kv_code_name(s.code), s.msg);
        CHECK(suite_flip_byte(path, off, 0x01) == 0);
    }
    io_env_free(env);
}

TEST_TABLE(log, TEST(test_round_trip), TEST(test_scan_reads_in_chunks),
           TEST(test_big_record), TEST(test_torn_tail_every_byte),
           TEST(test_zero_tail_is_torn), TEST(test_flip_is_corruption))
