/*
 * test_readahead.c - the readahead buffer (readahead.h) alone, and under a
 * table's iterator: a walk of a table of about 1.2 MB takes a handful of
 * preads instead of one per block, a seek still reads one block, and a
 * damaged block met on the walk is still reported, naming the file and
 * the block's offset. Counts from the I/O layer, exact.
 */
#include <stdlib.h>
#include <string.h>

#include "readahead.h"
#include "suite.h"
#include "table.h"
#include "testing.h"

#define ENTRIES 10000 /* of 112 bytes: about 1.2 MB, 300 blocks */

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

static kv_status build(io_env *env, const char *path, uint64_t *size) {
    table_builder *tb;
    char k[32], v[100];
    kv_status s = table_builder_new(env, path, &tb);
    for (int i = 0; i < ENTRIES && s.code == KV_OK; i++)
        s = table_builder_add(tb, key_of(i, k), ENTRY_PUT, value_of(i, v));
    if (s.code != KV_OK) return s;
    return table_builder_finish(tb, size);
}

/* Reads since *c0, and *c0 moved to now. */
static io_counts since(io_env *env, io_counts *c0) {
    io_counts now = io_env_counts(env), d = io_counts_sub(now, *c0);
    *c0 = now;
    return d;
}

/* A range inside the buffer costs no pread; one past it refills from its
 * own offset; the limit caps the refill, but never below the size asked. */
static void test_buffer(void) {
    io_env *env = io_env_new();
    const char *path = path_of("f");
    io_file *f;
    static char bytes[600000];
    for (size_t i = 0; i < sizeof bytes; i++) bytes[i] = (char)(i * 7);
    CHECK_OK(io_open_append(env, path, 1, &f));
    CHECK_OK(io_append(f, bytes, sizeof bytes));
    CHECK_OK(io_close(f));
    CHECK_OK(io_open_read(env, path, &f));
    readahead r = {0};
    io_counts c0 = io_env_counts(env);
    char *out;
    CHECK_OK(readahead_read(&r, f, 100, 50, sizeof bytes, &out));
    CHECK(memcmp(out, bytes + 100, 50) == 0);
    free(out);
    io_counts d = since(env, &c0);
    CHECK(d.reads == 1 && d.bytes_read == READAHEAD_BYTES);
    CHECK_OK(readahead_read(&r, f, 5000, 4000, sizeof bytes, &out));
    CHECK(memcmp(out, bytes + 5000, 4000) == 0);
    free(out);
    CHECK(since(env, &c0).reads == 0);
    uint64_t past = 100 + READAHEAD_BYTES - 10; /* straddles the end */
    CHECK_OK(readahead_read(&r, f, past, 20, sizeof bytes, &out));
    CHECK(memcmp(out, bytes + past, 20) == 0);
    free(out);
    d = since(env, &c0);
    CHECK(d.reads == 1 && d.bytes_read == READAHEAD_BYTES);
    CHECK_OK(readahead_read(&r, f, 590000, 100, 590050, &out));
    CHECK(memcmp(out, bytes + 590000, 100) == 0);
    free(out);
    d = since(env, &c0);
    CHECK(d.reads == 1 && d.bytes_read == 100); /* the size, past the limit */
    readahead_free(&r);
    CHECK_OK(io_close(f));
    io_env_free(env);
}

/* A walk of the whole table: every entry, in order, in at most
 * 2 + size / READAHEAD_BYTES preads (the first block alone, then the
 * refills) reading at most the table plus one buffer; a seek and a few
 * nexts inside one block: one pread of that block. */
static void test_walk_reads_ahead(void) {
    io_env *env = io_env_new();
    const char *path = path_of("t.sst");
    uint64_t size;
    CHECK_OK(build(env, path, &size));
    table *t;
    CHECK_OK(table_open(env, path, &t));
    io_counts c0 = io_env_counts(env);
    iter *it = table_iter_new(t);
    char k[32], v[100];
    int n = 0, ok = 1;
    for (iter_seek(it, kv_str("")); iter_valid(it); iter_next(it), n++)
        ok = ok && kv_compare(iter_key(it), key_of(n, k)) == 0 &&
             kv_compare(iter_value(it), value_of(n, v)) == 0;
    CHECK_OK(iter_status(it));
    CHECK(ok && n == ENTRIES);
    io_counts d = since(env, &c0);
    CHECKF(d.reads >= 3 && d.reads <= 2 + size / READAHEAD_BYTES &&
               d.bytes_read <= size + READAHEAD_BYTES,
           "%llu reads, %llu bytes for a table of %llu bytes",
           (unsigned long long)d.reads, (unsigned long long)d.bytes_read,
           (unsigned long long)size);
    iter_seek(it, key_of(5000, k));
    for (int i = 0; i < 3 && iter_valid(it); i++) iter_next(it);
    CHECK(iter_valid(it) && kv_compare(iter_key(it), key_of(5003, k)) == 0);
    d = since(env, &c0);
    CHECK(d.reads == 1 && d.bytes_read <= 2 * TABLE_BLOCK_SIZE);
    iter_free(it);
    table_close(t);
    io_env_free(env);
}

/* A byte flipped in a block the walk reads through the buffer: the walk
 * stops there with KV_CORRUPTION naming the file and the block, never
 * yielding a damaged entry. */
static void test_walk_detects_damage(void) {
    io_env *env = io_env_new();
    const char *path = path_of("t.sst");
    uint64_t size;
    CHECK_OK(build(env, path, &size));
    CHECK(suite_flip_byte(path, size / 2, 0x40) == 0);
    table *t;
    CHECK_OK(table_open(env, path, &t));
    iter *it = table_iter_new(t);
    char k[32];
    int n = 0, ok = 1;
    for (iter_seek(it, kv_str("")); iter_valid(it); iter_next(it), n++)
        ok = ok && kv_compare(iter_key(it), key_of(n, k)) == 0;
    kv_status s = iter_status(it);
    CHECK(ok && n > 0 && n < ENTRIES);
    CHECKF(s.code == KV_CORRUPTION && strstr(s.msg, "t.sst") &&
               strstr(s.msg, "block at offset"),
           "%s", s.msg);
    iter_free(it);
    table_close(t);
    io_env_free(env);
}

TEST_TABLE(readahead, TEST(test_buffer), TEST(test_walk_reads_ahead),
           TEST(test_walk_detects_damage))
