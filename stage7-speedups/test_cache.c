/*
 * test_cache.c - unit tests for the block cache (cache.h): the least
 * recently used block goes first and the cache never holds more than its
 * capacity, a handle keeps its block valid after an eviction, hits and
 * misses are counted exactly. Then through real tables and a real store,
 * with exact read counts from the I/O layer: a second get of a key reads
 * nothing, a scan fills nothing (and reads ahead), a store opened with cache_bytes=0 reads
 * every time, a damaged block is KV_CORRUPTION naming file and offset and
 * is never cached, and four threads getting through one small cache (run
 * under ThreadSanitizer with `make test SAN=thread`) all get right answers.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "suite.h"
#include "table.h"
#include "testing.h"

/* ---- blocks for the cache alone ------------------------------------------ */

/* A parsed block holding one entry, key "k<i>" -> 100 bytes of 'a' + i. */
static block make_block(int i) {
    block_builder bb;
    char k[16], v[100];
    snprintf(k, sizeof k, "k%04d", i);
    memset(v, 'a' + i % 26, sizeof v);
    block_builder_init(&bb);
    block_builder_add(&bb, kv_str(k), (kv_slice){v, sizeof v});
    kv_slice raw = block_builder_finish(&bb);
    char *data = xmalloc(raw.size);
    memcpy(data, raw.data, raw.size);
    block b;
    kv_status s = block_parse(&b, data, raw.size, "mem", (uint64_t)i);
    block_builder_free(&bb);
    if (s.code != KV_OK) memset(&b, 0, sizeof b);
    return b;
}

/* 1 if h holds make_block(i)'s entry. */
static int holds(const cache_handle *h, int i) {
    char k[16];
    snprintf(k, sizeof k, "k%04d", i);
    iter *it = block_iter_new(cache_block(h));
    iter_seek(it, kv_str(k));
    int ok = iter_valid(it) && kv_compare(iter_key(it), kv_str(k)) == 0 &&
             iter_value(it).size == 100 &&
             iter_value(it).data[0] == 'a' + i % 26;
    iter_free(it);
    return ok;
}

/* Inserts make_block(i) as (1, i) and releases the handle. */
static void put(cache *c, int i) {
    block b = make_block(i);
    cache_release(c, cache_insert(c, 1, (uint64_t)i, &b));
}

/* 1 if (1, i) is in the cache (the lookup counts, and makes it recent). */
static int present(cache *c, int i) {
    cache_handle *h = cache_lookup(c, 1, (uint64_t)i);
    int ok = h != NULL && holds(h, i);
    if (h) cache_release(c, h);
    return ok;
}

/* Room for three blocks (one shard: a small cache): the fourth insert
 * evicts the least recently used, which a lookup changes. */
static void test_lru_order(void) {
    block one = make_block(0);
    size_t size = one.size;
    block_free(&one);
    CHECK(size > 100);
    cache *c = cache_new(3 * size);
    put(c, 0);
    put(c, 1);
    put(c, 2);
    CHECK(cache_usage(c) == 3 * size);
    CHECK(present(c, 0)); /* 1 is now the oldest */
    put(c, 3);
    CHECK(cache_usage(c) == 3 * size);
    CHECK(!present(c, 1));
    CHECK(present(c, 2) && present(c, 3) && present(c, 0));
    put(c, 4); /* 2 is the oldest now */
    CHECK(!present(c, 2) && present(c, 0) && present(c, 4));
    for (int i = 5; i < 50; i++) {
        put(c, i);
        CHECK(cache_usage(c) <= 3 * size);
    }
    CHECK(present(c, 47) && present(c, 48) && present(c, 49));
    CHECK(!present(c, 46) && cache_usage(c) == 3 * size);
    cache_free(c);
}

/* A handle stays valid after its block is evicted, and after the same
 * name is inserted again; the last release frees it (ASan: no leak). */
static void test_handle_outlives_eviction(void) {
    block b = make_block(7);
    cache *c = cache_new(2 * b.size);
    cache_handle *h = cache_insert(c, 1, 7, &b);
    CHECK(b.data == NULL); /* the cache took the bytes */
    block again = make_block(7);
    cache_handle *h2 = cache_insert(c, 1, 7, &again); /* replaces h's */
    for (int i = 0; i < 10; i++) put(c, i);
    CHECK(cache_lookup(c, 1, 7) == NULL);
    CHECK(holds(h, 7) && holds(h2, 7));
    cache_release(c, h);
    cache_release(c, h2);
    cache_free(c);
}

/* Hits and misses are counted exactly; ids are never reused. */
static void test_hits_misses(void) {
    cache *c = cache_new(1 << 20);
    uint64_t hits, misses;
    CHECK(cache_new_id(c) != cache_new_id(c));
    CHECK(!present(c, 1));
    put(c, 1);
    CHECK(present(c, 1) && present(c, 1));
    CHECK(cache_lookup(c, 2, 1) == NULL); /* same offset, other table */
    cache_stats(c, &hits, &misses);
    CHECK(hits == 2 && misses == 2);
    cache_free(c);
}

/* ---- through a table ----------------------------------------------------- */

enum { ENTRIES = 2000 }; /* about 20 data blocks */

static kv_slice key_of(int i, char *buf) {
    snprintf(buf, 32, "key%08d", i);
    return kv_str(buf);
}

/* Entry i's value: 100 bytes of a letter. */
static kv_slice value_of(int i, char *buf) {
    memset(buf, 'a' + i % 26, 100);
    return (kv_slice){buf, 100};
}

static const char *path_of(const char *name) {
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", test_dir(), name);
    return path;
}

static kv_status build(io_env *env, const char *path) {
    table_builder *tb;
    char k[32], v[100];
    kv_status s = table_builder_new_filtered(env, path, 10, &tb);
    for (int i = 0; i < ENTRIES && s.code == KV_OK; i++)
        s = table_builder_add(tb, key_of(i, k), ENTRY_PUT, value_of(i, v));
    if (s.code != KV_OK) return s;
    uint64_t size;
    return table_builder_finish(tb, &size);
}

/* 1 if table_get of entry i answers its value. */
static int get_right(table *t, int i, kv_buf *got) {
    char k[32], v[100];
    int kind = 0;
    if (table_get(t, key_of(i, k), &kind, got).code != KV_OK) return 0;
    return kind == ENTRY_PUT && suite_same(got, value_of(i, v));
}

/* Reads by the env since *c0, and *c0 moved to now. */
static uint64_t reads_since(io_env *env, io_counts *c0) {
    io_counts now = io_env_counts(env);
    uint64_t n = io_counts_sub(now, *c0).reads;
    *c0 = now;
    return n;
}

/* A second get of a key (or of its neighbour, same block) reads nothing;
 * without a cache every get reads its block; a scan inserts nothing. */
static void test_table_second_get_reads_nothing(void) {
    io_env *env = io_env_new();
    const char *path = path_of("t.sst");
    CHECK_OK(build(env, path));
    cache *c = cache_new(1 << 20);
    table *t, *plain;
    CHECK_OK(table_open_cached(env, path, NULL, c, &t));
    CHECK_OK(table_open(env, path, &plain));
    kv_buf got = {0};
    io_counts c0 = io_env_counts(env);
    uint64_t hits, misses;
    CHECK(get_right(t, 500, &got) && reads_since(env, &c0) == 1);
    CHECK(get_right(t, 500, &got) && get_right(t, 501, &got));
    CHECK(io_counts_sub(io_env_counts(env), c0).bytes_read == 0);
    cache_stats(c, &hits, &misses);
    CHECK(hits == 2 && misses == 1 && cache_usage(c) > 0);
    for (int i = 0; i < 3; i++)
        CHECK(get_right(plain, 500, &got) && reads_since(env, &c0) == 1);

    size_t before = cache_usage(c);
    iter *it = table_iter_new(t);
    int n = 0;
    for (iter_seek(it, kv_str("")); iter_valid(it); iter_next(it)) n++;
    CHECK_OK(iter_status(it));
    iter_free(it);
    CHECK(n == ENTRIES && cache_usage(c) == before);
    uint64_t scan_reads = reads_since(env, &c0);
    cache_stats(c, &hits, &misses);
    /* the first block alone, then one readahead (readahead.h) for the
     * rest: the table is smaller than READAHEAD_BYTES */
    CHECKF(hits == 3 && scan_reads == 2 && misses > 3,
           "%llu reads, %llu hits, %llu misses", (unsigned long long)scan_reads,
           (unsigned long long)hits, (unsigned long long)misses);
    kv_buf_free(&got);
    table_close(t);
    table_close(plain);
    cache_free(c);
    io_env_free(env);
}

/* A damaged data block is KV_CORRUPTION naming the file and the block's
 * offset, every time: it is never cached. */
static void test_corrupt_block_not_cached(void) {
    io_env *env = io_env_new();
    const char *path = path_of("t.sst");
    CHECK_OK(build(env, path));
    CHECK(suite_flip_byte(path, 10, 0x40) == 0); /* in the first block */
    cache *c = cache_new(1 << 20);
    table *t;
    CHECK_OK(table_open_cached(env, path, NULL, c, &t));
    kv_buf got = {0};
    char k[32];
    int kind;
    io_counts c0 = io_env_counts(env);
    for (int round = 0; round < 2; round++) {
        kv_status s = table_get(t, key_of(0, k), &kind, &got);
        CHECK(s.code == KV_CORRUPTION);
        CHECKF(strstr(s.msg, path) && strstr(s.msg, "block at offset 0:"),
               "message: %s", s.msg);
        CHECK(reads_since(env, &c0) == 1 && cache_usage(c) == 0);
    }
    CHECK(get_right(t, ENTRIES - 1, &got)); /* other blocks are fine */
    kv_buf_free(&got);
    table_close(t);
    cache_free(c);
    io_env_free(env);
}

/* ---- through the store --------------------------------------------------- */

/* Reads of three gets of one key in a store of tables opened with the
 * given cache_bytes ("0": none); *hits is the store's cache_hits. */
static int store_reads(const char *name, const char *cache_bytes,
                       uint64_t reads[3], uint64_t *hits) {
    char d[512], k[32], v[100];
    kv_option opts[] = {
        {"cache_bytes", cache_bytes}, {"mmap", "0"}, {NULL, NULL}};
    kv_db *db;
    kv_buf got = {0};
    suite_path(d, sizeof d, name);
    if (suite_open(d, opts, NULL, &db).code != KV_OK) return 0;
    int ok = 1;
    for (int i = 0; i < ENTRIES && ok; i++)
        ok = kv_put(db, key_of(i, k), value_of(i, v)).code == KV_OK;
    ok = ok && kv_compact(db).code == KV_OK && suite_stat(db, "tables") > 0;
    for (int r = 0; r < 3 && ok; r++) {
        uint64_t before = suite_stat(db, "reads");
        ok = kv_get(db, key_of(1234, k), &got).code == KV_OK &&
             suite_same(&got, value_of(1234, v));
        reads[r] = suite_stat(db, "reads") - before;
    }
    *hits = suite_stat(db, "cache_hits");
    kv_buf_free(&got);
    return kv_close(db).code == KV_OK && ok;
}

static void test_store_cache_bytes(void) {
    uint64_t r[3], hits;
    CHECK(store_reads("cached", "8388608", r, &hits));
    CHECKF(r[0] == 1 && r[1] == 0 && r[2] == 0 && hits == 2,
           "reads %llu %llu %llu, %llu hits", (unsigned long long)r[0],
           (unsigned long long)r[1], (unsigned long long)r[2],
           (unsigned long long)hits);
    CHECK(store_reads("uncached", "0", r, &hits));
    CHECK(r[0] == 1 && r[1] == 1 && r[2] == 1 && hits == 0);
    char d[512];
    kv_option bad[] = {{"cache_bytes", "-1"}, {NULL, NULL}};
    kv_db *db;
    CHECK_CODE(suite_open(suite_path(d, sizeof d, "bad"), bad, NULL, &db),
               KV_INVALID_ARGUMENT);
}

/* ---- threads ------------------------------------------------------------- */

enum { THREADS = 4, GETS = 3000 };

typedef struct getter {
    table *t;
    int first, wrong;
} getter;

static void *get_many(void *arg) {
    getter *g = arg;
    kv_buf got = {0};
    for (int i = 0; i < GETS; i++)
        g->wrong += !get_right(g->t, (g->first + i * 7) % ENTRIES, &got);
    kv_buf_free(&got);
    return NULL;
}

/* Four threads get through one cache of three blocks' room: blocks are
 * evicted while others read them. Every answer is right, and every get
 * was a hit or a miss (exact counts under contention). */
static void test_threads_share_a_small_cache(void) {
    io_env *env = io_env_new();
    const char *path = path_of("t.sst");
    CHECK_OK(build(env, path));
    cache *c = cache_new(3 * TABLE_BLOCK_SIZE);
    table *t;
    CHECK_OK(table_open_cached(env, path, NULL, c, &t));
    pthread_t th[THREADS];
    getter g[THREADS];
    int started = 0, wrong = 0;
    for (int i = 0; i < THREADS; i++) {
        g[i] = (getter){t, i * 500, 0};
        started += pthread_create(&th[i], NULL, get_many, &g[i]) == 0;
    }
    for (int i = 0; i < started; i++) {
        pthread_join(th[i], NULL);
        wrong += g[i].wrong;
    }
    uint64_t hits, misses;
    cache_stats(c, &hits, &misses);
    CHECK(started == THREADS && wrong == 0);
    CHECK(hits + misses == (uint64_t)THREADS * GETS && misses > 0);
    CHECK(cache_usage(c) <= 3 * TABLE_BLOCK_SIZE);
    table_close(t);
    cache_free(c);
    io_env_free(env);
}

TEST_TABLE(cache, TEST(test_lru_order), TEST(test_handle_outlives_eviction),
           TEST(test_hits_misses), TEST(test_table_second_get_reads_nothing),
           TEST(test_corrupt_block_not_cached), TEST(test_store_cache_bytes),
           TEST(test_threads_share_a_small_cache))
