/*
 * test_resources.c - what a store holds stays bounded while it is used
 * for long: an open iterator does not stop flushes (the memtable stays
 * near memtable_bytes, and the iterator still yields a correct merge), a
 * put that fails for want of a file descriptor leaves no file behind, and
 * hundreds of tables hold no more than max_open_files descriptors, so a
 * store far larger than `ulimit -n` keeps working (fd_cache.h).
 */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kv.h"
#include "suite.h"
#include "testing.h"

#define LIMIT    4096 /* memtable_bytes */
#define OLD_KEYS 100
#define NEW_KEYS 2000

static kv_slice key_of(char *buf, size_t n, const char *prefix, int i) {
    snprintf(buf, n, "%s%05d", prefix, i);
    return kv_str(buf);
}

/* 1 if v is word-NNNNN, NNNNN being i. */
static int value_is(kv_slice v, const char *word, int i) {
    char want[32];
    int n = snprintf(want, sizeof want, "%s-%05d", word, i);
    return v.size == (size_t)n && memcmp(v.data, want, (size_t)n) == 0;
}

/*
 * An iterator opened over keys a00000 to a00099 stays open while 2,000
 * puts (about 50 times memtable_bytes) go on: every a key overwritten, and
 * new b keys. The memtable stays under twice its limit, flushes happen,
 * and the iterator
 * then yields every a key once, in order, each with its value when the
 * iterator was made or its later one (never anything else), and no key
 * that was never written. After it is freed, every put is readable.
 */
static void test_open_iterator_does_not_stop_flushes(void) {
    char d[512], k[32], v[64];
    kv_option opts[] = {{"memtable_bytes", "4096"}, {NULL, NULL}};
    kv_db *db;
    CHECK_OK(suite_open(suite_path(d, sizeof d, "db"), opts, NULL, &db));
    for (int i = 0; i < OLD_KEYS; i++) {
        snprintf(v, sizeof v, "old-%05d", i);
        CHECK_OK(kv_put(db, key_of(k, sizeof k, "a", i), kv_str(v)));
    }
    kv_iter *it;
    CHECK_OK(kv_iter_new(db, &it));
    kv_iter_seek(it, kv_str("a"));
    CHECK(kv_iter_valid(it) && value_is(kv_iter_value(it), "old", 0));
    uint64_t flushes = suite_stat(db, "flushes"), most = 0;
    char pad[64];
    memset(pad, 'x', sizeof pad - 1);
    pad[sizeof pad - 1] = '\0';
    for (int i = 0; i < NEW_KEYS && !test_failed(); i++) {
        if (i % (NEW_KEYS / OLD_KEYS) == 0) {
            int a = i / (NEW_KEYS / OLD_KEYS);
            snprintf(v, sizeof v, "new-%05d", a);
            CHECK_OK(kv_put(db, key_of(k, sizeof k, "a", a), kv_str(v)));
        }
        CHECK_OK(kv_put(db, key_of(k, sizeof k, "b", i), kv_str(pad)));
        uint64_t bytes = suite_stat(db, "memtable_bytes");
        if (bytes > most) most = bytes;
    }
    CHECKF(most < 2 * LIMIT, "memtable_bytes reached %llu (limit %d)",
           (unsigned long long)most, LIMIT);
    CHECK(suite_stat(db, "flushes") >= flushes + NEW_KEYS * 64 / LIMIT / 2);
    int n = 1;
    for (kv_iter_next(it); kv_iter_valid(it); kv_iter_next(it), n++) {
        kv_slice key = kv_iter_key(it);
        if (key.size < 1 || key.data[0] != 'a') break;
        key_of(k, sizeof k, "a", n);
        CHECKF(key.size == strlen(k) && memcmp(key.data, k, key.size) == 0,
               "entry %d: key %.*s, want %s", n, (int)key.size, key.data, k);
        kv_slice val = kv_iter_value(it);
        CHECKF(value_is(val, "old", n) || value_is(val, "new", n),
               "%s: value %.*s", k, (int)val.size, val.data);
    }
    CHECK_OK(kv_iter_status(it));
    CHECKF(n == OLD_KEYS, "the iterator yielded %d a keys, want %d", n,
           OLD_KEYS);
    kv_iter_free(it);
    kv_buf got = {0};
    for (int i = 0; i < NEW_KEYS && !test_failed(); i++) {
        CHECK_OK(kv_get(db, key_of(k, sizeof k, "b", i), &got));
        CHECK(suite_same(&got, kv_str(pad)));
    }
    for (int i = 0; i < OLD_KEYS && !test_failed(); i++) {
        CHECK_OK(kv_get(db, key_of(k, sizeof k, "a", i), &got));
        CHECK(value_is((kv_slice){got.data, got.size}, "new", i));
    }
    kv_buf_free(&got);
    CHECK_OK(kv_close(db));
}

/* The child of test_failed_put_leaves_no_file: opens the store, uses up
 * every descriptor but one, and puts until a put has failed, then 20 more.
 * Exits 0 when a put failed, 3 when none did, 2 on a harness error. */
static void no_fd_child(const char *dir) {
    kv_option opts[] = {{"memtable_bytes", "1024"}, {NULL, NULL}};
    kv_db *db;
    if (suite_open(dir, opts, NULL, &db).code != KV_OK) _exit(2);
    struct rlimit r;
    if (getrlimit(RLIMIT_NOFILE, &r) != 0) _exit(2);
    r.rlim_cur = 64;
    if (setrlimit(RLIMIT_NOFILE, &r) != 0) _exit(2);
    int fd = -1;
    for (int next; (next = open("/dev/null", O_RDONLY)) >= 0;) fd = next;
    if (fd < 0) _exit(2);
    close(fd); /* one descriptor free: a new log is made, its sync is not */
    char k[32];
    int failed = 0;
    for (int i = 0; i < 100000 && failed <= 20; i++)
        if (kv_put(db, key_of(k, sizeof k, "k", i), kv_str("a value")).code !=
            KV_OK)
            failed++;
    _exit(failed ? 0 : 3); /* as a crash: kv_close would need descriptors */
}

/*
 * A put whose new log cannot be made durable (the directory sync needs a
 * descriptor, and none is left: EMFILE) fails, and leaves no empty log:
 * after 21 failed puts, at most one empty .log file is in the store (the
 * one being written may be empty). Stages without a log skip it.
 */
static void test_failed_put_leaves_no_file(void) {
    if (kv_stage_expect.log_suffix == NULL) {
        test_skip("this stage has no log");
        return;
    }
    char d[512];
    suite_path(d, sizeof d, "db");
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) no_fd_child(d);
    CHECK(pid > 0);
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0,
           "the child ended with status %d", status);
    DIR *dir = opendir(d);
    CHECK(dir != NULL);
    int empty = 0, logs = 0;
    for (struct dirent *e; (e = readdir(dir)) != NULL;) {
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 4, ".log") != 0) continue;
        char path[1024];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", d, e->d_name);
        logs++;
        if (stat(path, &st) == 0 && st.st_size == 0) empty++;
    }
    closedir(dir);
    CHECKF(empty <= 1, "%d empty logs of %d left by failed puts", empty, logs);
    kv_db *db;
    CHECK_OK(suite_open(d, NULL, NULL, &db));
    CHECK_OK(kv_close(db));
}

/* --- open table files bounded ------------------------------------------- */

#define FD_LIMIT   64   /* RLIMIT_NOFILE while the store is used */
#define MAX_OPEN   "16" /* max_open_files */
#define FD_KEYS    4000 /* at memtable_bytes 2048: hundreds of tables */
#define FD_VALUE   100  /* bytes */
#define FD_READERS 2    /* threads getting meanwhile, where the stage allows */

static kv_slice fd_value(char *buf, int i) {
    int n = snprintf(buf, FD_VALUE + 1, "value-%05d-", i);
    memset(buf + n, 'a' + i % 26, FD_VALUE - (size_t)n);
    return (kv_slice){buf, FD_VALUE};
}

/* 1 if key i of the store has its value. */
static int fd_get_right(kv_db *db, int i, kv_buf *got) {
    char k[32], v[FD_VALUE + 1];
    return kv_get(db, key_of(k, sizeof k, "k", i), got).code == KV_OK &&
           suite_same(got, fd_value(v, i));
}

typedef struct fd_run {
    kv_db *db;
    atomic_int lowest; /* keys from lowest to FD_KEYS - 1 are written */
    atomic_int stop;
    atomic_int bad;            /* readers' gets that failed or answered wrong */
    int most_fds, most_tables; /* the most seen open at once */
} fd_run;

static void note_fds(fd_run *r) {
    int fds = suite_open_fds(""), tables = suite_open_fds(".sst");
    if (fds > r->most_fds) r->most_fds = fds;
    if (tables > r->most_tables) r->most_tables = tables;
}

/* Gets written keys, newest table to oldest, until told to stop. */
static void *fd_reader(void *arg) {
    fd_run *r = arg;
    kv_buf got = {0};
    uint64_t rng = 7;
    while (!atomic_load(&r->stop)) {
        int lo = atomic_load(&r->lowest);
        if (lo >= FD_KEYS) continue;
        int i = lo + (int)(suite_rand(&rng) % (uint64_t)(FD_KEYS - lo));
        if (!fd_get_right(r->db, i, &got)) atomic_fetch_add(&r->bad, 1);
    }
    kv_buf_free(&got);
    return NULL;
}

/*
 * The stage's test options plus max_open_files 16 and those of extra, under
 * RLIMIT_NOFILE 64: 4,000 puts of 100-byte values make hundreds of tables,
 * every tenth put followed by a get of an older key (in stages 3 and 4 a
 * get reads a block of nearly every table: gets are kept few); in stages
 * that allow threads, two more threads get keys meanwhile. Every put and
 * get succeeds; then the store is closed, reopened, one key in 17 read and
 * all scanned in order. Throughout, at most 16 + 8 table files are open (16
 * idle at most, plus reads in flight and a compaction's inputs still read)
 * and the process never holds more than 64 descriptors.
 */
static void fd_bounded_run(const char *dir, const kv_option *extra, fd_run *r) {
    kv_option opts[SUITE_MAX_OPTIONS + 4];
    size_t n = suite_option_count(kv_stage_expect.test_options);
    memcpy(opts, kv_stage_expect.test_options, n * sizeof *opts);
    opts[n++] = (kv_option){"max_open_files", MAX_OPEN};
    for (; extra && extra->name; extra++) opts[n++] = *extra;
    opts[n] = (kv_option){NULL, NULL};
    CHECK_OK(suite_open(dir, opts, NULL, &r->db));
    pthread_t th[FD_READERS];
    int readers = kv_thread_safe ? FD_READERS : 0;
    atomic_store(&r->lowest, FD_KEYS);
    for (int t = 0; t < readers; t++)
        CHECK(pthread_create(&th[t], NULL, fd_reader, r) == 0);
    char k[32], v[FD_VALUE + 1];
    kv_buf got = {0};
    uint64_t rng = 1;
    kv_status s = kv_ok();
    int i = FD_KEYS - 1, j = i;
    for (; i >= 0; i--) {
        s = kv_put(r->db, key_of(k, sizeof k, "k", i), fd_value(v, i));
        if (s.code != KV_OK) break;
        atomic_store(&r->lowest, i);
        if (i % 10 != 0) continue;
        j = i + (int)(suite_rand(&rng) % (uint64_t)(FD_KEYS - i));
        if (!fd_get_right(r->db, j, &got)) break;
        if (i % 100 == 0) note_fds(r);
    }
    atomic_store(&r->stop, 1);
    for (int t = 0; t < readers; t++) pthread_join(th[t], NULL);
    CHECKF(s.code == KV_OK, "put %d: %s", i, s.msg);
    CHECKF(i < 0, "get %d after put %d", j, i);
    CHECKF(atomic_load(&r->bad) == 0, "%d gets of other threads failed",
           atomic_load(&r->bad));
    uint64_t tables = suite_stat(r->db, "tables");
    if (tables == UINT64_MAX) { /* stages 5 on count them per level */
        tables = 0;
        for (char name[] = "tables_l0"; name[8] <= '6'; name[8]++)
            tables += suite_stat(r->db, name);
    }
    CHECKF(tables >= 100, "only %llu tables", (unsigned long long)tables);
    CHECK_OK(kv_close(r->db));
    r->db = NULL;

    CHECK_OK(suite_open(dir, opts, NULL, &r->db));
    note_fds(r);
    for (int i = 0; i < FD_KEYS && !test_failed(); i += 17)
        CHECKF(fd_get_right(r->db, i, &got), "get %d after reopen", i);
    note_fds(r);
    kv_iter *it;
    CHECK_OK(kv_iter_new(r->db, &it));
    int seen = 0;
    for (kv_iter_seek(it, kv_str("")); kv_iter_valid(it); kv_iter_next(it)) {
        if (seen % 500 == 0) note_fds(r);
        if (kv_compare(kv_iter_key(it), key_of(k, sizeof k, "k", seen)) != 0 ||
            kv_compare(kv_iter_value(it), fd_value(v, seen)) != 0)
            break;
        seen++;
    }
    s = kv_iter_status(it);
    kv_iter_free(it);
    CHECK_OK(s);
    CHECKF(seen == FD_KEYS, "the scan yielded %d keys in order", seen);
    kv_buf_free(&got);
    CHECK_OK(kv_close(r->db));
    r->db = NULL;
}

/* fd_bounded_run under RLIMIT_NOFILE FD_LIMIT, restored afterwards; a
 * stage that does not know an option of extra skips that run. */
static void fd_bounded(const char *name, const kv_option *extra) {
    char d[512];
    suite_path(d, sizeof d, name);
    if (extra) { /* does the stage know extra? */
        kv_config cfg = {.options = extra, .count = suite_option_count(extra)};
        kv_db *db = NULL;
        kv_status s = kv_open(d, &cfg, &db);
        if (db) CHECK_OK(kv_close(db));
        suite_rmrf(d);
        if (kv_is_option_error(s)) return;
    }
    struct rlimit old, low;
    CHECK(getrlimit(RLIMIT_NOFILE, &old) == 0);
    low = old;
    low.rlim_cur = FD_LIMIT;
    CHECK(setrlimit(RLIMIT_NOFILE, &low) == 0);
    fd_run r = {.db = NULL};
    fd_bounded_run(d, extra, &r);
    CHECK(setrlimit(RLIMIT_NOFILE, &old) == 0);
    if (r.db) kv_close(r.db); /* after a failed check */
    CHECKF(r.most_tables <= 16 + 8 && r.most_fds <= FD_LIMIT,
           "%d table files open, %d descriptors", r.most_tables, r.most_fds);
}

static void test_open_table_files_bounded(void) {
    fd_bounded("db", NULL);
    if (test_failed()) return;
    /* stage 7 maps its tables (and closes their files) unless told not to */
    static const kv_option unmapped[] = {{"mmap", "0"}, {NULL, NULL}};
    fd_bounded("db-unmapped", unmapped);
}

TEST_TABLE(resources, TEST(test_open_iterator_does_not_stop_flushes),
           TEST(test_failed_put_leaves_no_file),
           TEST(test_open_table_files_bounded))
