/*
 * test_mapped.c - tables read in place from a mapping (table_open_mapped,
 * stage 7): a get reads one block, counted as a pread of it; a walk reads
 * each block once; the file's descriptor is closed after open; each block
 * is checked the first time it is read (a damaged first read is reported,
 * naming the file and the block's offset, and the block stays unchecked)
 * and trusted afterwards (a damaged later read is served: the trade-off
 * chapter 7 states); a failed read is an error, not a wrong answer; the
 * option mmap=0 or 1 gives the same answers and read counts. Counts
 * from the I/O layer, exact; faults from the faulty env.
 */
#include <stdlib.h>
#include <string.h>

#include "kv.h"
#include "suite.h"
#include "table.h"
#include "testing.h"

#define ENTRIES 2000 /* of 112 bytes: about 240 KB, 60 blocks */

static const char *path_of(const char *name) {
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", test_dir(), name);
    return path;
}

static kv_slice key_of(int i, char *buf) {
    snprintf(buf, 32, "key%08d", i);
    return kv_str(buf);
}

/* Entry i's value: 100 bytes, its first ones the entry's number. */
static kv_slice value_of(int i, char *buf) {
    memset(buf, 'a' + i % 26, 100);
    snprintf(buf, 12, "%010d", i);
    return (kv_slice){buf, 100};
}

static kv_status build(io_env *env, const char *path) {
    table_builder *tb;
    char k[32], v[100];
    uint64_t size;
    kv_status s = table_builder_new(env, path, &tb);
    for (int i = 0; i < ENTRIES && s.code == KV_OK; i++)
        s = table_builder_add(tb, key_of(i, k), ENTRY_PUT, value_of(i, v));
    if (s.code != KV_OK) return s;
    return table_builder_finish(tb, &size);
}

/* Gets entry i from t: KV_OK and *same = whether it holds i's value. */
static kv_status get(table *t, int i, int *same) {
    char k[32], v[100];
    int kind;
    kv_buf got = {0};
    kv_status s = table_get(t, key_of(i, k), &kind, &got);
    *same = s.code == KV_OK && kind == ENTRY_PUT && got.size == 100 &&
            memcmp(got.data, value_of(i, v).data, 100) == 0;
    kv_buf_free(&got);
    return s;
}

static void test_get_and_walk_counts(void) {
    io_env *env = io_env_new();
    const char *path = path_of("t.sst");
    CHECK_OK(build(env, path));
    table *t, *p;
    io_counts c0 = io_env_counts(env);
    CHECK_OK(table_open_mapped(env, path, &t));
    io_counts open = io_counts_sub(io_env_counts(env), c0);
    c0 = io_env_counts(env);
    CHECK_OK(table_open(env, path, &p)); /* open reads what pread's does */
    io_counts open_p = io_counts_sub(io_env_counts(env), c0);
    CHECK(open.reads == open_p.reads && open.bytes_read == open_p.bytes_read);
    CHECK(open.reads == 2 && open.files_opened == 1);
    int same;
    for (int i = 0; i < ENTRIES; i += 97) { /* one block a get, each */
        c0 = io_env_counts(env);
        CHECK_OK(get(t, i, &same));
        CHECK(same);
        io_counts d = io_counts_sub(io_env_counts(env), c0);
        CHECK(d.reads == 1 && d.bytes_read > 0 && d.bytes_read <= 8192);
    }
    c0 = io_env_counts(env); /* a walk: one read per block, in place */
    iter *it = table_iter_new(t);
    int n = 0;
    for (iter_seek(it, kv_str("")); iter_valid(it); iter_next(it)) n++;
    CHECK_OK(iter_status(it));
    iter_free(it);
    io_counts walk = io_counts_sub(io_env_counts(env), c0);
    uint64_t size;
    CHECK_OK(io_file_size(env, path, &size));
    CHECK(n == ENTRIES && walk.reads > 40 && walk.reads < 80 &&
          walk.bytes_read < size);
    table_close(p);
    table_close(t);
    io_env_free(env);
}

/* The first read of a block is checked; a damaged one is reported and
 * the block stays unchecked, so a good read after it is checked too. */
static void test_first_read_checked(void) {
    io_env *env = io_env_new_faulty();
    const char *path = path_of("t.sst");
    CHECK_OK(build(env, path));
    table *t;
    CHECK_OK(table_open_mapped(env, path, &t));
    int same;
    io_fault_read_at(env, 1, ".sst", 1); /* the next read comes back bad */
    kv_status s = get(t, 500, &same);
    CHECK_CODE(s, KV_CORRUPTION);
    CHECKF(strstr(s.msg, path) && strstr(s.msg, "block at offset") &&
               strstr(s.msg, "checksum mismatch"),
           "%s", s.msg);
    CHECK_OK(get(t, 500, &same)); /* a good read: checked, served */
    CHECK(same);
    io_fault_read_at(env, 1, ".sst", 0); /* a failed read: an error */
    s = get(t, 500, &same);
    CHECKF(s.code == KV_IO_ERROR && strstr(s.msg, "injected read fault"),
           "%s", s.msg);
    table_close(t);
    io_env_free(env);
}

/* Checked once: a block read and checked before is trusted, so bytes
 * damaged on a later read are not caught by its crc (the same damage on
 * the first read of a block is). What the get then answers depends on
 * where the damaged byte fell; it is never a checksum mismatch. */
static void test_later_reads_trusted(void) {
    io_env *env = io_env_new_faulty();
    const char *path = path_of("t.sst");
    CHECK_OK(build(env, path));
    table *t;
    CHECK_OK(table_open_mapped(env, path, &t));
    int same;
    CHECK_OK(get(t, 700, &same)); /* checks 700's block */
    CHECK(same);
    io_fault_read_at(env, 1, ".sst", 1);
    kv_status s = get(t, 700, &same); /* the same block, damaged: trusted */
    CHECKF(s.code != KV_CORRUPTION || !strstr(s.msg, "checksum"), "%s",
           s.msg);
    io_fault_read_at(env, 1, ".sst", 1);
    s = get(t, 1900, &same); /* a block never read: caught */
    CHECKF(s.code == KV_CORRUPTION && strstr(s.msg, "checksum mismatch"),
           "%s", s.msg);
    table_close(t);
    io_env_free(env);
}

/* The descriptor is closed once the table is mapped: many tables need no
 * file descriptor each. */
static void test_descriptor_closed(void) {
    io_env *env = io_env_new_faulty();
    const char *path = path_of("t.sst");
    CHECK_OK(build(env, path));
    table *t;
    CHECK_OK(table_open_mapped(env, path, &t));
    CHECK_OK(io_fault_power_loss(env)); /* fails if a file is still open */
    int same;
    CHECK_OK(get(t, 3, &same));
    CHECK(same);
    table_close(t);
    io_env_free(env);
}

/* The option: mmap=0 and mmap=1 give the same answers with the same
 * read counts (a mapped read is counted as the pread it replaces); any
 * other value is refused, naming it. */
static void test_store_option(void) {
    char d[512], k[32], v[100];
    uint64_t reads[2];
    for (int m = 0; m < 2; m++) {
        kv_option opts[] = {{"mmap", m ? "1" : "0"}, {NULL, NULL}};
        kv_db *db;
        kv_buf got = {0};
        suite_path(d, sizeof d, m ? "mapped" : "pread");
        CHECK_OK(suite_open(d, opts, NULL, &db));
        for (int i = 0; i < ENTRIES; i++)
            CHECK_OK(kv_put(db, key_of(i, k), value_of(i, v)));
        CHECK_OK(kv_compact(db));
        uint64_t before = suite_stat(db, "reads");
        for (int i = 0; i < ENTRIES; i += 101) {
            CHECK_OK(kv_get(db, key_of(i, k), &got));
            CHECK(suite_same(&got, value_of(i, v)));
        }
        reads[m] = suite_stat(db, "reads") - before;
        kv_buf_free(&got);
        CHECK_OK(kv_close(db));
    }
    CHECKF(reads[0] == reads[1] && reads[0] > 0, "reads %llu and %llu",
           (unsigned long long)reads[0], (unsigned long long)reads[1]);
    kv_option bad[] = {{"mmap", "2"}, {NULL, NULL}};
    kv_db *db;
    kv_status s = suite_open(suite_path(d, sizeof d, "bad"), bad, NULL, &db);
    CHECK_CODE(s, KV_INVALID_ARGUMENT);
    CHECKF(strstr(s.msg, "mmap"), "%s", s.msg);
}

TEST_TABLE(mapped, TEST(test_get_and_walk_counts),
           TEST(test_first_read_checked), TEST(test_later_reads_trusted),
           TEST(test_descriptor_closed), TEST(test_store_option))
