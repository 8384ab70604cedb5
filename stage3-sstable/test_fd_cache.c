/*
 * test_fd_cache.c - unit tests for the cache of open table files
 * (fd_cache.h): tables beyond its limit have their files closed, least
 * recently used first, and a read reopens them at the price of one open
 * and no other read; an iterator reads on across its file's closing; a
 * kept file outlives its name; a file that cannot be reopened is an error
 * naming it; and threads borrowing files at once (TSan) see each read
 * right while the count of open files stays bounded.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fd_cache.h"
#include "suite.h"
#include "table.h"
#include "testing.h"

#define TABLES  3
#define ENTRIES 300 /* a table of several 4 KiB blocks */

static const char *path_of(char *buf, size_t n, int i) {
    snprintf(buf, n, "%s/%06d.sst", test_dir(), i);
    return buf;
}

/* Table i's key j, and its value: 30 bytes of a letter. */
static kv_slice key_of(char *buf, int i, int j) {
    snprintf(buf, 32, "t%d-%05d", i, j);
    return kv_str(buf);
}
static kv_slice value_of(char *buf, int i, int j) {
    memset(buf, 'a' + (i + j) % 26, 30);
    return (kv_slice){buf, 30};
}

static kv_status build(io_env *env, int i) {
    char path[512], k[32], v[32];
    table_builder *tb;
    uint64_t size;
    kv_status s = table_builder_new(env, path_of(path, sizeof path, i), &tb);
    for (int j = 0; j < ENTRIES && s.code == KV_OK; j++)
        s = table_builder_add(tb, key_of(k, i, j), ENTRY_PUT,
                              value_of(v, i, j));
    if (s.code != KV_OK) {
        table_builder_abandon(tb);
        return s;
    }
    return table_builder_finish(tb, &size);
}

/* 1 if table i answers its key j with its value. */
static int get_right(table *t, int i, int j) {
    char k[32], v[32];
    int kind = 0;
    kv_buf got = {0};
    kv_status s = table_get(t, key_of(k, i, j), &kind, &got);
    int ok = s.code == KV_OK && kind == ENTRY_PUT &&
             suite_same(&got, value_of(v, i, j));
    kv_buf_free(&got);
    return ok;
}

/*
 * Three tables in a cache of two: opening the third closes the first's
 * file. A get of the first then costs one open and one read (the data
 * block: the footer and index are still in memory) and closes the
 * second's file; the same get again costs the read alone. Two .sst files
 * are open throughout, as /proc/self/fd shows.
 */
static void test_reopen_costs_one_open(void) {
    io_env *env = io_env_new();
    fd_cache *c = fd_cache_new(2);
    table *t[TABLES] = {0};
    char path[512];
    for (int i = 0; i < TABLES; i++) CHECK_OK(build(env, i));
    io_counts before = io_env_counts(env);
    for (int i = 0; i < TABLES; i++)
        CHECK_OK(table_open_in(env, path_of(path, sizeof path, i), c, &t[i]));
    io_counts d = io_counts_sub(io_env_counts(env), before);
    CHECK(d.files_opened == TABLES && d.reads == 2 * TABLES);
    CHECK(fd_cache_open_count(c) == 2 && suite_open_fds(".sst") == 2);

    before = io_env_counts(env);
    CHECK(get_right(t[0], 0, 7));
    d = io_counts_sub(io_env_counts(env), before);
    CHECKF(d.files_opened == 1 && d.reads == 1,
           "a get of a closed table: %llu opens, %llu reads",
           (unsigned long long)d.files_opened, (unsigned long long)d.reads);
    CHECK(fd_cache_open_count(c) == 2 && suite_open_fds(".sst") == 2);

    before = io_env_counts(env);
    CHECK(get_right(t[0], 0, 8));
    CHECK(get_right(t[2], 2, 8)); /* the most recent two: both open */
    d = io_counts_sub(io_env_counts(env), before);
    CHECK(d.files_opened == 0 && d.reads == 2);

    before = io_env_counts(env);
    CHECK(get_right(t[1], 1, 9)); /* closed when t[0] reopened */
    d = io_counts_sub(io_env_counts(env), before);
    CHECK(d.files_opened == 1 && d.reads == 1);

    for (int i = 0; i < TABLES; i++) table_close(t[i]);
    CHECK(fd_cache_open_count(c) == 0 && suite_open_fds(".sst") == 0);
    fd_cache_free(c);
    io_env_free(env);
}

/* An iterator over table 0 walks every entry, in order, while gets of the
 * other tables close its file between its block reads (a cache of one). */
static void test_iterator_reads_across_closing(void) {
    io_env *env = io_env_new();
    fd_cache *c = fd_cache_new(1);
    table *t[TABLES] = {0};
    char path[512], k[32], v[32];
    for (int i = 0; i < TABLES; i++) {
        CHECK_OK(build(env, i));
        CHECK_OK(table_open_in(env, path_of(path, sizeof path, i), c, &t[i]));
    }
    iter *it = table_iter_new(t[0]);
    int j = 0;
    io_counts before = io_env_counts(env);
    for (iter_seek(it, kv_str("")); iter_valid(it); iter_next(it), j++) {
        CHECKF(kv_compare(iter_key(it), key_of(k, 0, j)) == 0 &&
                   kv_compare(iter_value(it), value_of(v, 0, j)) == 0,
               "entry %d", j);
        CHECK(get_right(t[1 + j % 2], 1 + j % 2, j));
        CHECK(fd_cache_open_count(c) == 1);
    }
    CHECK_OK(iter_status(it));
    CHECK(j == ENTRIES);
    /* every get reopened its table, and so did every block of the walk */
    io_counts d = io_counts_sub(io_env_counts(env), before);
    CHECK(d.files_opened > ENTRIES);
    iter_free(it);
    for (int i = 0; i < TABLES; i++) table_close(t[i]);
    fd_cache_free(c);
    io_env_free(env);
}

/*
 * A kept file stays open, whatever else is read, and its table reads on
 * after its name is removed. A closed file whose name is gone cannot be
 * reopened: the get fails with KV_IO_ERROR naming it, and works again
 * once the file is back.
 */
static void test_kept_file_and_missing_file(void) {
    io_env *env = io_env_new();
    fd_cache *c = fd_cache_new(1);
    table *t[TABLES] = {0};
    char path[512], moved[600];
    for (int i = 0; i < TABLES; i++) {
        CHECK_OK(build(env, i));
        CHECK_OK(table_open_in(env, path_of(path, sizeof path, i), c, &t[i]));
    }
    CHECK(fd_cache_open_count(c) == 1); /* table 2's */

    CHECK_OK(table_keep_file(t[0])); /* reopened, then never closed */
    CHECK(unlink(path_of(path, sizeof path, 0)) == 0);
    CHECK(get_right(t[1], 1, 3));
    CHECK(get_right(t[2], 2, 3));
    CHECK(get_right(t[0], 0, 3));
    CHECK(fd_cache_open_count(c) == 1); /* the kept one: others wait */
    CHECK(suite_open_fds(".sst (deleted)") == 1 && suite_open_fds(".sst") == 0);

    path_of(path, sizeof path, 1); /* table 1's file, closed by now */
    snprintf(moved, sizeof moved, "%s.away", path);
    CHECK(rename(path, moved) == 0);
    char k[32];
    int kind;
    kv_buf got = {0};
    kv_status s = table_get(t[1], key_of(k, 1, 3), &kind, &got);
    CHECKF(s.code == KV_IO_ERROR && strstr(s.msg, path) != NULL,
           "a get of a table whose file is gone: %s", s.msg);
    CHECK(rename(moved, path) == 0);
    CHECK(get_right(t[1], 1, 3));
    kv_buf_free(&got);
    for (int i = 0; i < TABLES; i++) table_close(t[i]);
    CHECK(suite_open_fds(".sst (deleted)") == 0);
    fd_cache_free(c);
    io_env_free(env);
}

/* --- threads ------------------------------------------------------------- */

#define FILES   6
#define THREADS 4
#define ROUNDS  2000

typedef struct shared {
    fd_file *files[FILES];
    int failures;
    pthread_mutex_t mu;
} shared;

/* Reads the first byte of file i, which holds the byte 'a' + i. */
static void *borrower(void *arg) {
    shared *sh = arg;
    uint64_t rng = (uint64_t)(uintptr_t)arg ^ (uint64_t)pthread_self();
    int bad = 0;
    for (int r = 0; r < ROUNDS; r++) {
        int i = (int)(suite_rand(&rng) % FILES);
        io_file *f;
        char b = 0;
        if (fd_file_get(sh->files[i], &f).code != KV_OK) {
            bad++;
            continue;
        }
        if (io_pread_full(f, &b, 1, 0).code != KV_OK || b != 'a' + i) bad++;
        fd_file_put(sh->files[i]);
    }
    pthread_mutex_lock(&sh->mu);
    sh->failures += bad;
    pthread_mutex_unlock(&sh->mu);
    return NULL;
}

/* Four threads borrow six files from a cache of two, 2,000 times each:
 * every read sees its own file's byte, and afterwards at most two files
 * are open (a read in flight may hold one more per thread meanwhile). */
static void test_threads_borrow_at_once(void) {
    io_env *env = io_env_new();
    fd_cache *c = fd_cache_new(2);
    shared sh = {.failures = 0};
    pthread_mutex_init(&sh.mu, NULL);
    char path[512];
    for (int i = 0; i < FILES; i++) {
        FILE *f = fopen(path_of(path, sizeof path, i), "w");
        CHECK(f != NULL && fputc('a' + i, f) != EOF && fclose(f) == 0);
        CHECK_OK(fd_file_open(env, c, path, &sh.files[i]));
    }
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++)
        CHECK(pthread_create(&th[i], NULL, borrower, &sh) == 0);
    for (int i = 0; i < THREADS; i++) pthread_join(th[i], NULL);
    CHECKF(sh.failures == 0, "%d reads failed or read another file",
           sh.failures);
    CHECK(fd_cache_open_count(c) <= 2 && suite_open_fds(".sst") <= 2);
    for (int i = 0; i < FILES; i++) fd_file_close(sh.files[i]);
    CHECK(fd_cache_open_count(c) == 0);
    pthread_mutex_destroy(&sh.mu);
    fd_cache_free(c);
    io_env_free(env);
}

TEST_TABLE(fd_cache, TEST(test_reopen_costs_one_open),
           TEST(test_iterator_reads_across_closing),
           TEST(test_kept_file_and_missing_file),
           TEST(test_threads_borrow_at_once))
