/*
 * test_io_map.c - mapped reads (io_map.c) and read faults: a mapped read
 * is counted exactly as a pread of the same bytes, reads in place, stops
 * at the end of the file, and a faulty env fails or damages the nth read,
 * mapped or not, without touching the file.
 */
#include <string.h>

#include "io.h"
#include "test_files.h"
#include "testing.h"

/* Opens p and maps it whole into *m; the file is closed, the mapping
 * stays. Errors: the first failed call's. */
static kv_status map_file(io_env *env, const char *p, io_map **m) {
    io_file *f;
    uint64_t size;
    kv_status s = io_open_read(env, p, &f);
    if (s.code != KV_OK) return s;
    s = io_size(f, &size);
    if (s.code == KV_OK) s = io_map_open(f, size, m);
    kv_status c = io_close(f);
    return s.code == KV_OK ? c : s;
}

static void test_map_counts_as_pread(void) {
    io_env *env = io_env_new();
    char p[PATH_MAX_], buf[16];
    in_dir(p, "f");
    CHECK_OK(put_file(env, p, "0123456789abcdef", 0, 0));
    io_map *m;
    CHECK_OK(map_file(env, p, &m));
    CHECK(strcmp(io_map_path(m), p) == 0);
    io_counts c0 = io_env_counts(env);
    const char *got;
    CHECK_OK(io_map_read(m, 10, 6, &got));
    CHECK(memcmp(got, "abcdef", 6) == 0);
    io_counts d = io_counts_sub(io_env_counts(env), c0);
    CHECK(d.reads == 1 && d.bytes_read == 6 && d.files_opened == 0);
    io_file *f; /* the same bytes by pread: the same counts */
    CHECK_OK(io_open_read(env, p, &f));
    c0 = io_env_counts(env);
    CHECK_OK(io_pread_full(f, buf, 6, 10));
    io_counts e = io_counts_sub(io_env_counts(env), c0);
    CHECK(e.reads == d.reads && e.bytes_read == d.bytes_read);
    CHECK_OK(io_close(f));
    const char *a, *b; /* in place: the same bytes, twice, no copy */
    CHECK_OK(io_map_read(m, 0, 4, &a));
    CHECK_OK(io_map_read(m, 0, 4, &b));
    CHECK(a == b);
    io_map_close(m);
    io_map_close(NULL);
    io_env_free(env);
}

static void test_map_past_end(void) {
    io_env *env = io_env_new();
    char p[PATH_MAX_];
    in_dir(p, "f");
    CHECK_OK(put_file(env, p, "0123456789", 0, 0));
    io_map *m;
    CHECK_OK(map_file(env, p, &m));
    const char *got;
    CHECK_OK(io_map_read(m, 10, 0, &got)); /* empty, at the end: fine */
    kv_status s = io_map_read(m, 6, 5, &got);
    CHECK(s.code == KV_IO_ERROR);
    CHECKF(has(s, p) && has(s, "short read at offset 6: wanted 5 bytes"),
           "%s", s.msg);
    s = io_map_read(m, UINT64_MAX - 1, 4, &got); /* no overflow */
    CHECK(s.code == KV_IO_ERROR);
    io_map_close(m);
    in_dir(p, "empty"); /* an empty file maps, and holds nothing */
    CHECK_OK(put_file(env, p, "", 0, 0));
    CHECK_OK(map_file(env, p, &m));
    CHECK(io_map_read(m, 0, 1, &got).code == KV_IO_ERROR);
    io_map_close(m);
    io_env_free(env);
}

/* The nth read fails, mapped or not; reads before and after do not. */
static void test_read_fault_fails_nth(void) {
    io_env *env = io_env_new_faulty();
    char p[PATH_MAX_], q[PATH_MAX_], buf[4];
    in_dir(p, "t.sst");
    in_dir(q, "other");
    CHECK_OK(put_file(env, p, "0123456789", 1, 1));
    CHECK_OK(put_file(env, q, "0123456789", 1, 1));
    io_map *m;
    CHECK_OK(map_file(env, p, &m));
    io_file *f, *g;
    CHECK_OK(io_open_read(env, p, &f));
    CHECK_OK(io_open_read(env, q, &g));
    const char *got;
    uint64_t calls = io_fault_calls(env, IO_OP_ANY);
    io_fault_read_at(env, 3, ".sst", 0); /* reads of q do not count */
    CHECK_OK(io_map_read(m, 0, 4, &got));
    CHECK_OK(io_pread_full(g, buf, 4, 0));
    CHECK_OK(io_pread_full(f, buf, 4, 0));
    kv_status s = io_map_read(m, 2, 4, &got);
    CHECK(s.code == KV_IO_ERROR);
    CHECKF(has(s, p) && has(s, "injected read fault at offset 2"), "%s",
           s.msg);
    CHECK_OK(io_map_read(m, 2, 4, &got)); /* only the one */
    CHECK(memcmp(got, "2345", 4) == 0);
    io_fault_read_at(env, 1, NULL, 0); /* and a pread */
    s = io_pread_full(g, buf, 4, 0);
    CHECKF(s.code == KV_IO_ERROR && has(s, q), "%s", s.msg);
    io_fault_crash(env); /* reads go on in the crashed state */
    CHECK_OK(io_pread_full(f, buf, 4, 0));
    CHECK_OK(io_map_read(m, 0, 4, &got));
    CHECK(io_fault_calls(env, IO_OP_ANY) == calls); /* reads are apart */
    io_map_close(m);
    CHECK_OK(io_close(f));
    CHECK_OK(io_close(g));
    io_env_free(env);
}

/* A damaged read returns the bytes with the middle one changed; the file
 * and the next read are intact. */
static void test_read_fault_damages(void) {
    io_env *env = io_env_new_faulty();
    char p[PATH_MAX_], buf[8];
    in_dir(p, "f");
    CHECK_OK(put_file(env, p, "0123456789", 1, 1));
    io_map *m;
    CHECK_OK(map_file(env, p, &m));
    const char *got;
    io_fault_read_at(env, 1, NULL, 1);
    CHECK_OK(io_map_read(m, 2, 4, &got));
    CHECK(memcmp(got, "23", 2) == 0 && got[2] == ('4' ^ (char)0xff) &&
          got[3] == '5');
    const char *again;
    CHECK_OK(io_map_read(m, 2, 4, &again));
    CHECK(memcmp(again, "2345", 4) == 0 && again != got);
    CHECK(memcmp(got, "23", 2) == 0); /* the copy lives until close */
    io_file *f;
    CHECK_OK(io_open_read(env, p, &f));
    io_fault_read_at(env, 1, NULL, 1);
    CHECK_OK(io_pread_full(f, buf, 8, 0));
    CHECK(memcmp(buf, "0123", 4) == 0 && buf[4] == ('4' ^ (char)0xff));
    CHECK_OK(io_close(f));
    io_map_close(m);
    CHECK(holds(env, p, "0123456789"));
    io_env_free(env);
}

TEST_TABLE(io_map, TEST(test_map_counts_as_pread), TEST(test_map_past_end),
           TEST(test_read_fault_fails_nth), TEST(test_read_fault_damages))
