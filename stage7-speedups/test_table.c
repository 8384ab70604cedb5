/*
 * test_table.c - unit tests for sorted tables (table.h): build and reopen,
 * exact read counts (open reads 2 blocks, a get at most 1 more), the
 * two-level iterator, streaming writes, bad input to the builder, and
 * corruption of every region (data, index, footer), truncation and files
 * that are not tables. Then the bloom filter: it is there and exact in
 * size, open still reads twice, no present key is ever missed, a missing
 * key the index cannot rule out costs a data read only as often as the
 * filter's false-positive rate (counted over 10,000 keys), bloom_bits 0
 * gives stage 5's table, any damaged filter byte fails the open, and the
 * counters stay exact under many threads.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bloom.h"
#include "coding.h"
#include "crc32c.h"
#include "suite.h"
#include "table.h"
#include "testing.h"

#define BIG_VALUE (100 * 1024)

/* Key i: "key%08d" of 2 * i, so the odd numbers are missing keys. */
static kv_slice key_of(int i, char *buf) {
    snprintf(buf, 32, "key%08d", 2 * i);
    return kv_str(buf);
}

static kv_slice missing_of(int i, char *buf) {
    snprintf(buf, 32, "key%08d", 2 * i + 1);
    return kv_str(buf);
}

/* Entry i: a tombstone when i % 7 == 3, an empty value when i % 11 == 5,
 * the 100 KiB value at big, else i % 60 bytes of a letter. */
static int kind_of(int i) { return i % 7 == 3 ? ENTRY_DELETE : ENTRY_PUT; }

static kv_slice value_of(int i, int big, char *buf) {
    size_t n = (size_t)(i % 60);
    if (kind_of(i) == ENTRY_DELETE || i % 11 == 5) n = 0;
    if (i == big) n = BIG_VALUE;
    memset(buf, 'a' + i % 26, n);
    return (kv_slice){buf, n};
}

static const char *path_of(const char *name) {
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", test_dir(), name);
    return path;
}

/* The bloom_bits build() gives its tables: 0 (no filter, stage 5's table)
 * but in the filter tests, which set it and put it back. */
static int build_bloom_bits;

/* Builds a table of n entries (the big value at big; -1 for none). With
 * mid, *mid is the env's counts after half the entries. */
static kv_status build(io_env *env, const char *path, int n, int big,
                       io_counts *mid, uint64_t *size) {
    table_builder *tb;
    kv_status s = table_builder_new_filtered(env, path, build_bloom_bits, &tb);
    if (s.code != KV_OK) return s;
    char k[32], *v = xmalloc(BIG_VALUE);
    for (int i = 0; i < n && s.code == KV_OK; i++) {
        if (mid && i == n / 2) *mid = io_env_counts(env);
        s = table_builder_add(tb, key_of(i, k), kind_of(i),
                              value_of(i, big, v));
    }
    free(v);
    if (s.code != KV_OK) {
        table_builder_abandon(tb);
        return s;
    }
    return table_builder_finish(tb, size);
}

/* 1 if kind and got are entry i's answer. */
static int answer_right(int i, int big, int kind, const kv_buf *got, char *v) {
    if (kind != kind_of(i)) return 0;
    return kind == ENTRY_DELETE || kv_compare((kv_slice){got->data, got->size},
                                              value_of(i, big, v)) == 0;
}

/* Checks that table_get of entry i answers right; 1 if so. */
static int get_right(table *t, int i, int big, kv_buf *got, char *v) {
    char k[32];
    int kind = -1;
    if (table_get(t, key_of(i, k), &kind, got).code != KV_OK) return 0;
    return answer_right(i, big, kind, got, v);
}

static void test_round_trip(void) {
    enum { N = 5000, BIG = 2500 };
    io_env *env = io_env_new();
    const char *path = path_of("t.sst");
    io_counts mid, c0, c1;
    uint64_t size;
    CHECK_OK(build(env, path, N, BIG, &mid, &size));
    /* Streaming: half the data blocks were written during the adds. */
    io_counts end = io_env_counts(env);
    CHECKF(mid.writes >= 10 && mid.bytes_written >= 10 * TABLE_BLOCK_SIZE,
           "only %llu writes mid-way", (unsigned long long)mid.writes);
    CHECK(end.bytes_written == size && end.writes >= mid.writes + 10);

    table *t;
    c0 = io_env_counts(env);
    CHECK_OK(table_open(env, path, &t));
    c1 = io_counts_sub(io_env_counts(env), c0);
    CHECKF(c1.reads == 2, "open read %llu times", (unsigned long long)c1.reads);
    CHECK(table_entries(t) == N);
    CHECK(table_memory(t) < size / 40); /* one short key per block */

    kv_buf got = {0};
    char *v = xmalloc(BIG_VALUE);
    for (int i = 0; i < N; i++) {
        c0 = io_env_counts(env);
        CHECKF(get_right(t, i, BIG, &got, v), "entry %d", i);
        c1 = io_counts_sub(io_env_counts(env), c0);
        CHECKF(c1.reads == 1, "get %d read %llu times", i,
               (unsigned long long)c1.reads);
    }
    char k[32];
    int kind;
    for (int i = 0; i < N; i += 7) { /* between keys: one block, no entry */
        CHECK_OK(table_get(t, missing_of(i, k), &kind, &got));
        CHECK(kind == 0);
    }
    CHECK_OK(table_get(t, kv_str("a"), &kind, &got)); /* before the first */
    CHECK(kind == 0);
    c0 = io_env_counts(env);
    CHECK_OK(table_get(t, kv_str("z"), &kind, &got)); /* past the last */
    CHECK(kind == 0);
    CHECK(io_counts_sub(io_env_counts(env), c0).reads == 0);
    free(v);
    kv_buf_free(&got);
    table_close(t);
    io_env_free(env);
}

/* Walks the whole table from start key index `from`: 1 if every entry
 * from there on comes back in order and the walk ends cleanly. */
static int iter_right(iter *it, int from, int n, int big, char *v) {
    int i = from;
    for (; iter_valid(it); iter_next(it), i++) {
        char k[32];
        if (i >= n || kv_compare(iter_key(it), key_of(i, k)) != 0 ||
            iter_kind(it) != kind_of(i) ||
            kv_compare(iter_value(it), value_of(i, big, v)) != 0)
            return 0;
    }
    return i == n && iter_status(it).code == KV_OK;
}

static void test_iterator(void) {
    enum { N = 3000, BIG = 100 };
    io_env *env = io_env_new();
    const char *path = path_of("t.sst");
    CHECK_OK(build(env, path, N, BIG, NULL, NULL));
    table *t;
    CHECK_OK(table_open(env, path, &t));
    iter *it = table_iter_new(t);
    char k[32], *v = xmalloc(BIG_VALUE);
    iter_seek(it, kv_str(""));
    CHECK(iter_right(it, 0, N, BIG, v));
    iter_seek(it, key_of(1234, k));
    CHECK(iter_right(it, 1234, N, BIG, v));
    iter_seek(it, missing_of(1234, k)); /* between: lands on the next */
    CHECK(iter_right(it, 1235, N, BIG, v));
    iter_seek(it, key_of(N - 1, k));
    CHECK(iter_right(it, N - 1, N, BIG, v));
    iter_seek(it, kv_str("z"));
    CHECK(!iter_valid(it));
    CHECK_OK(iter_status(it));
    iter_free(it);
    free(v);
    table_close(t);
    io_env_free(env);
}

static void test_empty_table(void) {
    io_env *env = io_env_new();
    const char *path = path_of("t.sst");
    uint64_t size;
    CHECK_OK(build(env, path, 0, -1, NULL, &size));
    CHECK(size == 8 + TABLE_FOOTER_SIZE);
    table *t;
    CHECK_OK(table_open(env, path, &t));
    int kind;
    kv_buf got = {0};
    CHECK_OK(table_get(t, kv_str("k"), &kind, &got));
    CHECK(kind == 0);
    iter *it = table_iter_new(t);
    iter_seek(it, kv_str(""));
    CHECK(!iter_valid(it));
    CHECK_OK(iter_status(it));
    iter_free(it);
    table_close(t);
    io_env_free(env);
}

static void test_keys_out_of_order(void) {
    io_env *env = io_env_new();
    table_builder *tb;
    CHECK_OK(table_builder_new(env, path_of("t.sst"), &tb));
    kv_slice e = {"", 0};
    CHECK_OK(table_builder_add(tb, kv_str("b"), ENTRY_PUT, e));
    CHECK_CODE(table_builder_add(tb, kv_str("a"), ENTRY_PUT, e),
               KV_INVALID_ARGUMENT);
    CHECK_CODE(table_builder_add(tb, kv_str("b"), ENTRY_PUT, e),
               KV_INVALID_ARGUMENT);
    CHECK_CODE(table_builder_add(tb, e, ENTRY_PUT, e), KV_INVALID_ARGUMENT);
    CHECK_CODE(table_builder_add(tb, kv_str("c"), 7, e), KV_INVALID_ARGUMENT);
    CHECK_OK(table_builder_add(tb, kv_str("c"), ENTRY_DELETE, e));
    table_builder_abandon(tb);
    io_env_free(env);
}

/* After a flipped byte: open, get and walk must each report KV_CORRUPTION
 * or answer exactly right. 1 if they do; *detected counts the reports. */
static int damaged_ok(io_env *env, const char *path, int n, int *detected,
                      char *why) {
    table *t;
    kv_status s = table_open(env, path, &t);
    if (s.code != KV_OK) {
        memcpy(why, s.msg, KV_STATUS_MSG_MAX);
        (*detected)++;
        return s.code == KV_CORRUPTION;
    }
    kv_buf got = {0};
    char v[64], k[32];
    int ok = 1;
    for (int i = 0; i < n && ok; i += 3) {
        int kind;
        s = table_get(t, key_of(i, k), &kind, &got);
        if (s.code == KV_CORRUPTION)
            (*detected)++;
        else
            ok = s.code == KV_OK && answer_right(i, -1, kind, &got, v);
        if (!ok) snprintf(why, KV_STATUS_MSG_MAX, "get %d wrong", i);
    }
    iter *it = table_iter_new(t);
    iter_seek(it, kv_str(""));
    if (ok && !iter_right(it, 0, n, -1, v)) {
        ok = iter_status(it).code == KV_CORRUPTION;
        (*detected)++;
        if (!ok) snprintf(why, KV_STATUS_MSG_MAX, "iterator wrong");
    }
    iter_free(it);
    kv_buf_free(&got);
    table_close(t);
    return ok;
}

static void test_corrupt_each_region(void) {
    enum { N = 300 };
    io_env *env = io_env_new();
    const char *path = path_of("t.sst");
    uint64_t size;
    CHECK_OK(build(env, path, N, -1, NULL, &size));
    char buf[TABLE_FOOTER_SIZE];
    table_footer f;
    io_file *file;
    CHECK_OK(io_open_read(env, path, &file));
    CHECK_OK(io_pread_full(file, buf, sizeof buf, size - sizeof buf));
    io_close(file);
    CHECK_OK(table_footer_decode(buf, path, size - sizeof buf, &f));
    CHECK(f.index_offset > 2 * TABLE_BLOCK_SIZE); /* several data blocks */
    int detected = 0;
    for (uint64_t off = 0; off < size; off++) {
        /* Every byte of the index and footer, every 5th of the data. */
        if (off < f.index_offset && off % 5 != 0) continue;
        char why[KV_STATUS_MSG_MAX] = "";
        CHECK(suite_flip_byte(path, off, 0x10) == 0);
        int ok = damaged_ok(env, path, N, &detected, why);
        CHECK(suite_flip_byte(path, off, 0x10) == 0);
        CHECKF(ok, "flip at %llu: %s", (unsigned long long)off, why);
    }
    CHECK(detected > 0);
    io_env_free(env);
}

static void test_truncated(void) {
    io_env *env = io_env_new();
    const char *path = path_of("t.sst");
    uint64_t size;
    CHECK_OK(build(env, path, 500, -1, NULL, &size));
    table *t;
    CHECK(suite_cut_file(path, size - 1) == 0);
    kv_status s = table_open(env, path, &t);
    CHECK(s.code == KV_CORRUPTION &&
          strstr(s.msg, "not a table (bad magic number)"));
    CHECK(suite_cut_file(path, 39) == 0);
    s = table_open(env, path, &t);
    CHECKF(s.code == KV_CORRUPTION && strstr(s.msg, path) &&
               strstr(s.msg, "too short to be a table (39 bytes)"),
           "%s", s.msg);
    CHECK(suite_cut_file(path, 0) == 0);
    CHECK_CODE(table_open(env, path, &t), KV_CORRUPTION);
    io_env_free(env);
}

static void test_not_a_table(void) {
    io_env *env = io_env_new();
    const char *path = path_of("notes.txt");
    FILE *fp = fopen(path, "w");
    CHECK(fp != NULL);
    for (int i = 0; i < 20; i++) fprintf(fp, "line %d of a text file\n", i);
    fclose(fp);
    table *t;
    kv_status s = table_open(env, path, &t);
    CHECKF(s.code == KV_CORRUPTION && strstr(s.msg, path) &&
               strstr(s.msg, "not a table (bad magic number)"),
           "%s", s.msg);
    io_env_free(env);
}

static void test_bad_version(void) {
    io_env *env = io_env_new();
    const char *path = path_of("t.sst");
    uint64_t size;
    CHECK_OK(build(env, path, 10, -1, NULL, &size));
    char buf[TABLE_FOOTER_SIZE];
    table_footer f;
    io_file *file;
    CHECK_OK(io_open_read(env, path, &file));
    CHECK_OK(io_pread_full(file, buf, sizeof buf, size - sizeof buf));
    io_close(file);
    CHECK_OK(table_footer_decode(buf, path, 0, &f));
    f.version = TABLE_VERSION + 1; /* a well-formed footer from the future */
    table_footer_encode(buf, &f);
    FILE *fp = fopen(path, "r+");
    CHECK(fp != NULL);
    fseek(fp, (long)(size - sizeof buf), SEEK_SET);
    fwrite(buf, 1, sizeof buf, fp);
    fclose(fp);
    table *t;
    kv_status s = table_open(env, path, &t);
    CHECKF(s.code == KV_CORRUPTION &&
               strstr(s.msg, "unsupported table version 3"),
           "%s", s.msg);
    io_env_free(env);
}

/* --- the bloom filter ----------------------------------------------------- */

/* Reads and decodes the footer of the table at path (size bytes). */
static kv_status read_footer(io_env *env, const char *path, uint64_t size,
                             table_footer *f) {
    char buf[TABLE_FOOTER_SIZE];
    io_file *file;
    kv_status s = io_open_read(env, path, &file);
    if (s.code != KV_OK) return s;
    s = io_pread_full(file, buf, sizeof buf, size - sizeof buf);
    io_close(file);
    if (s.code != KV_OK) return s;
    return table_footer_decode(buf, path, size - sizeof buf, f);
}

/*
 * At 10 bits per key: the filter block sits just before the index and is
 * exactly the bloom filter's size plus the trailer; open reads twice (the
 * footer, then filter and index together); every present key is found
 * with one read (no false negatives); and of 10,000 missing keys that the
 * index cannot rule out, each a filter check, fewer than 2% cost a data
 * read (theory: 0.82%), every read being a filter positive.
 */
static void test_filter_round_trip(void) {
    enum { N = 10001, BIG = 2500, MISSING = N - 1 };
    io_env *env = io_env_new();
    const char *path = path_of("t.sst");
    uint64_t size, checks, negatives;
    build_bloom_bits = 10;
    kv_status built = build(env, path, N, BIG, NULL, &size);
    build_bloom_bits = 0;
    CHECK_OK(built);
    table_footer f;
    CHECK_OK(read_footer(env, path, size, &f));
    uint64_t want = (N * 10 + 7) / 8 + 1 + BLOCK_TRAILER_SIZE;
    CHECKF(f.filter_size == want && f.filter_offset + want == f.index_offset,
           "filter at %llu, %llu bytes", (unsigned long long)f.filter_offset,
           (unsigned long long)f.filter_size);

    table *t;
    io_counts c0 = io_env_counts(env), c1;
    CHECK_OK(table_open(env, path, &t));
    c1 = io_counts_sub(io_env_counts(env), c0);
    uint64_t tail = f.filter_size + f.index_size; /* one pread */
    CHECKF(c1.reads == 2 && c1.bytes_read == TABLE_FOOTER_SIZE + tail,
           "open read %llu times", (unsigned long long)c1.reads);
    /* the index block whole, the filter without its trailer */
    CHECK(table_memory(t) == tail - BLOCK_TRAILER_SIZE);

    kv_buf got = {0};
    char k[32], *v = xmalloc(BIG_VALUE);
    c0 = io_env_counts(env);
    for (int i = 0; i < N; i++)
        CHECKF(get_right(t, i, BIG, &got, v), "entry %d", i);
    CHECK(io_counts_sub(io_env_counts(env), c0).reads == N);
    table_filter_stats(t, &checks, &negatives);
    CHECK(checks == N && negatives == 0);

    c0 = io_env_counts(env);
    int kind;
    for (int i = 0; i < MISSING; i++) { /* between keys i and i + 1 */
        CHECK_OK(table_get(t, missing_of(i, k), &kind, &got));
        CHECK(kind == 0);
    }
    uint64_t reads = io_counts_sub(io_env_counts(env), c0).reads;
    table_filter_stats(t, &checks, &negatives);
    checks -= N;
    CHECKF(checks == MISSING && reads == checks - negatives &&
               reads < MISSING / 50,
           "%llu checks, %llu negatives, %llu reads for %d missing keys",
           (unsigned long long)checks, (unsigned long long)negatives,
           (unsigned long long)reads, MISSING);
    c0 = io_env_counts(env); /* past the last key: the filter first, no read */
    CHECK_OK(table_get(t, kv_str("z"), &kind, &got));
    CHECK(kind == 0 && io_counts_sub(io_env_counts(env), c0).reads == 0);
    table_filter_stats(t, &checks, &negatives);
    CHECK(checks == N + MISSING + 1);
    free(v);
    kv_buf_free(&got);
    table_close(t);
    io_env_free(env);
}

/* bloom_bits 0 (or below) is stage 5's table: no filter block, every
 * missing key inside the range costs its data block, no filter counted. */
static void test_no_filter(void) {
    enum { N = 2000 };
    io_env *env = io_env_new();
    const char *path = path_of("t.sst");
    uint64_t size, size_negative, checks, negatives;
    build_bloom_bits = -5;
    kv_status built = build(env, path, N, -1, NULL, &size_negative);
    build_bloom_bits = 0;
    CHECK_OK(built);
    CHECK_OK(io_remove(env, path)); /* a builder makes a new file */
    CHECK_OK(build(env, path, N, -1, NULL, &size));
    CHECK(size == size_negative);
    table_footer f;
    CHECK_OK(read_footer(env, path, size, &f));
    CHECK(f.filter_size == 0 && f.filter_offset == f.index_offset);
    table *t;
    CHECK_OK(table_open(env, path, &t));
    CHECK(table_memory(t) == f.index_size);
    kv_buf got = {0};
    char k[32];
    int kind;
    io_counts c0 = io_env_counts(env);
    for (int i = 0; i < N - 1; i++) {
        CHECK_OK(table_get(t, missing_of(i, k), &kind, &got));
        CHECK(kind == 0);
    }
    CHECK(io_counts_sub(io_env_counts(env), c0).reads == N - 1);
    table_filter_stats(t, &checks, &negatives);
    CHECK(checks == 0 && negatives == 0);
    kv_buf_free(&got);
    table_close(t);
    io_env_free(env);
}

/*
 * Every flipped byte of the filter block fails the open with the filter's
 * checksum message (a damaged filter could hide a present key). Every
 * flipped byte of filter, index and footer, and every 5th of the data, is
 * detected or harmless, as without a filter.
 */
static void test_corrupt_filter(void) {
    enum { N = 300 };
    io_env *env = io_env_new();
    const char *path = path_of("t.sst");
    uint64_t size;
    build_bloom_bits = 10;
    kv_status built = build(env, path, N, -1, NULL, &size);
    build_bloom_bits = 0;
    CHECK_OK(built);
    table_footer f;
    CHECK_OK(read_footer(env, path, size, &f));
    CHECK(f.filter_size > 0);
    int detected = 0;
    for (uint64_t off = 0; off < size; off++) {
        if (off < f.filter_offset && off % 5 != 0) continue;
        char why[KV_STATUS_MSG_MAX] = "";
        table *t = NULL;
        CHECK(suite_flip_byte(path, off, 0x10) == 0);
        kv_status s = table_open(env, path, &t);
        int ok = damaged_ok(env, path, N, &detected, why);
        CHECK(suite_flip_byte(path, off, 0x10) == 0);
        table_close(t);
        CHECKF(ok, "flip at %llu: %s", (unsigned long long)off, why);
        if (off >= f.filter_offset && off < f.index_offset)
            CHECKF(s.code == KV_CORRUPTION &&
                       strstr(s.msg, "filter block at offset") &&
                       strstr(s.msg, "checksum mismatch"),
                   "flip at %llu: %s", (unsigned long long)off, s.msg);
    }
    CHECK(detected >= (int)f.filter_size);
    io_env_free(env);
}

/* Many threads asking one table at once: every answer right, and the
 * atomic filter counters add up exactly to the gets and the reads. */
enum { THREADS = 4, PER_THREAD = 2500 };

typedef struct getter {
    table *t;
    int first, wrong;
} getter;

/* A thread's gets: PER_THREAD present and as many missing keys. */
static void *get_some(void *arg) {
    getter *g = arg;
    kv_buf got = {0};
    char k[32];
    for (int i = g->first; i < g->first + PER_THREAD; i++) {
        int kind = -1;
        kv_status s = table_get(g->t, missing_of(i, k), &kind, &got);
        g->wrong += s.code != KV_OK || kind != 0;
        s = table_get(g->t, key_of(i, k), &kind, &got);
        g->wrong += s.code != KV_OK || kind != kind_of(i);
    }
    kv_buf_free(&got);
    return NULL;
}

static void test_filter_threads(void) {
    enum { N = THREADS * PER_THREAD + 1 };
    io_env *env = io_env_new();
    const char *path = path_of("t.sst");
    build_bloom_bits = 10;
    kv_status built = build(env, path, N, -1, NULL, NULL);
    build_bloom_bits = 0;
    CHECK_OK(built);
    table *t;
    CHECK_OK(table_open(env, path, &t));
    io_counts c0 = io_env_counts(env);
    pthread_t th[THREADS];
    getter g[THREADS];
    int started = 0, wrong = 0;
    for (int i = 0; i < THREADS; i++) {
        g[i] = (getter){t, i * PER_THREAD, 0};
        started += pthread_create(&th[i], NULL, get_some, &g[i]) == 0;
    }
    for (int i = 0; i < started; i++) {
        pthread_join(th[i], NULL);
        wrong += g[i].wrong;
    }
    uint64_t reads = io_counts_sub(io_env_counts(env), c0).reads, checks,
             negatives;
    table_filter_stats(t, &checks, &negatives);
    table_close(t);
    io_env_free(env);
    CHECK(started == THREADS && wrong == 0);
    CHECKF(checks == 2 * THREADS * PER_THREAD && reads == checks - negatives &&
               negatives >= PER_THREAD, /* most of the missing keys */
           "%llu checks, %llu negatives, %llu reads",
           (unsigned long long)checks, (unsigned long long)negatives,
           (unsigned long long)reads);
}

/* A builder makes a new file, never writes through one already there: a
 * name planted as a hard link to another file is refused (naming it), and
 * that file is untouched. */
static void test_planted_link_refused(void) {
    io_env *env = io_env_new();
    char victim[4096];
    snprintf(victim, sizeof victim, "%s", path_of("victim"));
    const char *path = path_of("000009.sst.tmp");
    CHECK(suite_plant_link(victim, path) == 0);
    table_builder *tb;
    kv_status s = table_builder_new(env, path, &tb);
    CHECKF(s.code == KV_IO_ERROR && strstr(s.msg, path), "%s", s.msg);
    CHECK(suite_victim_kept(victim));
    io_env_free(env);
}

TEST_TABLE(table, TEST(test_round_trip), TEST(test_iterator),
           TEST(test_empty_table), TEST(test_keys_out_of_order),
           TEST(test_corrupt_each_region), TEST(test_truncated),
           TEST(test_not_a_table), TEST(test_bad_version),
           TEST(test_filter_round_trip), TEST(test_no_filter),
           TEST(test_corrupt_filter), TEST(test_filter_threads),
           TEST(test_planted_link_refused))
