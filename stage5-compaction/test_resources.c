/*
 * test_resources.c - what a store holds stays bounded while it is used
 * for long: an open iterator does not stop flushes (the memtable stays
 * near memtable_bytes, and the iterator still yields a correct merge), and
 * a put that fails for want of a file descriptor leaves no file behind.
 */
#include <dirent.h>
#include <fcntl.h>
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

TEST_TABLE(resources, TEST(test_open_iterator_does_not_stop_flushes),
           TEST(test_failed_put_leaves_no_file))
