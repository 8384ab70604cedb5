/*
 * test_io.c - the I/O layer's plain calls: exact counts, short reads,
 * truncation and sizes, directories, and two threads sharing an env (plain
 * and faulty). The faulty env's injected faults and power loss are tested
 * in test_io_fault.c. The small file helpers are test_files.c's.
 */
#include <pthread.h>
#include <stdint.h>
#include <unistd.h>

#include "io.h"
#include "test_files.h"
#include "testing.h"

/* ---- the plain env ----------------------------------------------------- */

static void test_counts_exact(void) {
    io_env *env = io_env_new();
    char p[PATH_MAX_], buf[32];
    in_dir(p, "f");
    io_file *f;
    CHECK_OK(io_open_append(env, p, 0, &f));
    for (int i = 0; i < 3; i++) CHECK_OK(io_append(f, "0123456789", 10));
    io_counts c = io_env_counts(env);
    CHECK(c.writes == 3 && c.bytes_written == 30 && c.files_opened == 1);
    CHECK(c.syncs == 0 && c.reads == 0 && c.bytes_read == 0);
    CHECK_OK(io_sync(f));
    CHECK_OK(io_sync_dir(env, test_dir()));
    CHECK_OK(io_close(f));
    io_counts before = io_env_counts(env);
    CHECK(before.syncs == 2 && before.files_opened == 1);
    CHECK_OK(io_open_read(env, p, &f));
    CHECK_OK(io_pread_full(f, buf, 10, 20));
    CHECK(memcmp(buf, "0123456789", 10) == 0);
    CHECK(strcmp(io_path(f), p) == 0);
    CHECK_OK(io_close(f));
    io_counts d = io_counts_sub(io_env_counts(env), before);
    CHECK(d.reads == 1 && d.bytes_read == 10 && d.files_opened == 1);
    CHECK(d.writes == 0 && d.bytes_written == 0 && d.syncs == 0);
    CHECK_OK(io_close(NULL));
    io_env_free(env);
}

static void test_pread_short_at_eof(void) {
    io_env *env = io_env_new();
    char p[PATH_MAX_], buf[32];
    in_dir(p, "f");
    CHECK_OK(put_file(env, p, "0123456789", 0, 0));
    io_file *f;
    size_t got = 99;
    CHECK_OK(io_open_read(env, p, &f));
    CHECK_OK(io_pread(f, buf, 20, 5, &got));
    CHECK(got == 5 && memcmp(buf, "56789", 5) == 0);
    CHECK_OK(io_pread(f, buf, 20, 10, &got));
    CHECK(got == 0);
    kv_status s = io_pread_full(f, buf, 20, 0);
    CHECK(s.code == KV_IO_ERROR);
    CHECKF(has(s, p) && has(s, "short read at offset 0: wanted 20 bytes, "
                               "got 10"),
           "%s", s.msg);
    CHECK_OK(io_pread_full(f, buf, 4, 6));
    CHECK(memcmp(buf, "6789", 4) == 0);
    CHECK(io_env_counts(env).reads == 4);
    CHECK_OK(io_close(f));
    io_env_free(env);
}

static void test_truncate_and_sizes(void) {
    io_env *env = io_env_new();
    char p[PATH_MAX_], buf[256];
    in_dir(p, "f");
    io_file *f;
    uint64_t size = 0;
    CHECK_OK(io_open_append(env, p, 0, &f));
    memset(buf, 'x', 100);
    CHECK_OK(io_append(f, buf, 100));
    CHECK_OK(io_truncate(f, 40));
    CHECK_OK(io_size(f, &size));
    CHECK(size == 40);
    CHECK_OK(io_append(f, "0123456789", 10)); /* appends at the new end */
    CHECK_OK(io_file_size(env, p, &size));
    CHECK(size == 50);
    CHECK_OK(io_close(f));
    CHECK_OK(io_open_append(env, p, 0, &f)); /* reopen keeps the bytes */
    CHECK_OK(io_size(f, &size));
    CHECK(size == 50);
    CHECK_OK(io_close(f));
    CHECK_OK(io_open_append(env, p, 1, &f)); /* truncate empties */
    CHECK_OK(io_size(f, &size));
    CHECK(size == 0);
    CHECK_OK(io_close(f));
    io_env_free(env);
}

static void test_missing_file(void) {
    io_env *env = io_env_new();
    char p[PATH_MAX_];
    in_dir(p, "nope");
    io_file *f = NULL;
    uint64_t size;
    CHECK(!io_exists(env, p));
    kv_status s = io_open_read(env, p, &f);
    CHECK(s.code == KV_IO_ERROR && f == NULL);
    CHECKF(has(s, p) && has(s, "No such file or directory"), "%s", s.msg);
    CHECK_CODE(io_file_size(env, p, &size), KV_IO_ERROR);
    CHECK_CODE(io_remove(env, p), KV_IO_ERROR);
    CHECK(io_env_counts(env).files_opened == 0);
    io_env_free(env);
}

static void test_list_dir_sorted(void) {
    io_env *env = io_env_new();
    static const char *names[] = {"c2", "b", "c10", "a", "B"};
    static const char *sorted[] = {"B", "a", "b", "c10", "c2"};
    char p[PATH_MAX_];
    char **got;
    CHECK_OK(io_list_dir(env, test_dir(), &got));
    CHECK(got[0] == NULL);
    io_names_free(got);
    for (int i = 0; i < 5; i++) {
        in_dir(p, names[i]);
        CHECK_OK(put_file(env, p, "", 0, 0));
    }
    CHECK_OK(io_list_dir(env, test_dir(), &got));
    for (int i = 0; i < 5; i++)
        CHECKF(got[i] != NULL && strcmp(got[i], sorted[i]) == 0, "name %d", i);
    CHECK(got[5] == NULL);
    io_names_free(got);
    in_dir(p, "nodir");
    CHECK_CODE(io_list_dir(env, p, &got), KV_IO_ERROR);
    io_env_free(env);
}

static void test_rename_remove_mkdir(void) {
    io_env *env = io_env_new();
    char a[PATH_MAX_], b[PATH_MAX_], d[PATH_MAX_];
    in_dir(a, "a");
    in_dir(b, "b");
    CHECK_OK(put_file(env, a, "AAA", 0, 0));
    CHECK_OK(put_file(env, b, "BB", 0, 0));
    CHECK_OK(io_rename(env, a, b));
    CHECK(!io_exists(env, a) && holds(env, b, "AAA"));
    kv_status s = io_rename(env, a, b);
    CHECKF(s.code == KV_IO_ERROR && has(s, a), "%s", s.msg);
    CHECK_OK(io_remove(env, b));
    CHECK(!io_exists(env, b));
    in_dir(d, "x/y/z");
    CHECK_OK(io_mkdir(env, d));
    CHECK_OK(io_mkdir(env, d)); /* an existing one is fine */
    CHECK_OK(io_sync_dir(env, d));
    CHECK_OK(put_file(env, a, "", 0, 0));
    CHECK_CODE(io_mkdir(env, a), KV_IO_ERROR); /* a file is in the way */
    CHECK_CODE(io_sync_dir(env, b), KV_IO_ERROR);
    io_env_free(env);
}

/* ---- threads ----------------------------------------------------------- */

typedef struct appender {
    io_env *env;
    char path[PATH_MAX_];
    kv_status s;
} appender;

static void *append_many(void *arg) {
    appender *a = arg;
    io_file *f;
    a->s = io_open_append(a->env, a->path, 0, &f);
    for (int i = 0; i < 500 && kv_is_ok(a->s); i++)
        a->s = io_append(f, "1234567", 7);
    if (kv_is_ok(a->s)) a->s = io_close(f);
    return NULL;
}

static void test_two_threads_exact_counts(void) {
    for (int faulty = 0; faulty < 2; faulty++) {
        io_env *env = faulty ? io_env_new_faulty() : io_env_new();
        appender a[2];
        pthread_t t[2];
        for (int i = 0; i < 2; i++) {
            a[i].env = env;
            snprintf(a[i].path, PATH_MAX_, "%s/t%d-%d", test_dir(), faulty, i);
            CHECK(pthread_create(&t[i], NULL, append_many, &a[i]) == 0);
        }
        for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
        for (int i = 0; i < 2; i++) {
            uint64_t size = 0;
            CHECK_OK(a[i].s);
            CHECK_OK(io_file_size(env, a[i].path, &size));
            CHECK(size == 3500);
        }
        io_counts c = io_env_counts(env);
        CHECK(c.writes == 1000 && c.bytes_written == 7000);
        CHECK(c.files_opened == 2 && c.syncs == 0);
        CHECK(io_fault_calls(env, IO_OP_WRITE) == (faulty ? 1000u : 0u));
        io_env_free(env);
    }
}

/* ---- creating and locking ---------------------------------------------- */

/* A symbolic link is never written through: not appended to, not created
 * over; io_create refuses anything at its path. */
static void test_links_not_followed(void) {
    io_env *env = io_env_new();
    char victim[PATH_MAX_], link[PATH_MAX_], p[PATH_MAX_];
    io_file *f = NULL;
    in_dir(victim, "victim");
    in_dir(link, "link");
    in_dir(p, "new");
    CHECK_OK(put_file(env, victim, "precious", 0, 0));
    CHECK(symlink(victim, link) == 0);
    kv_status s = io_open_append(env, link, 1, &f);
    CHECK(s.code == KV_IO_ERROR && has(s, "link: a symbolic link"));
    s = io_create(env, link, &f);
    CHECK(s.code == KV_IO_ERROR && has(s, "link: "));
    s = io_open_append(env, link, 0, &f);
    CHECK(s.code == KV_IO_ERROR && f == NULL);
    CHECK(holds(env, victim, "precious"));
    CHECK_OK(io_create(env, p, &f));
    CHECK_OK(io_append(f, "x", 1));
    CHECK_OK(io_close(f));
    s = io_create(env, p, &f);
    CHECK(s.code == KV_IO_ERROR && has(s, "new: File exists"));
    CHECK(holds(env, p, "x"));
    io_env_free(env);
}

/* One holder at a time, in this process too; not counted as a file. */
static void test_lock(void) {
    io_env *env = io_env_new();
    char p[PATH_MAX_];
    io_file *a = NULL, *b = NULL;
    in_dir(p, "LOCK");
    CHECK_OK(io_lock(env, p, &a));
    CHECK(a != NULL);
    CHECK_OK(io_lock(env, p, &b));
    CHECK(b == NULL); /* held */
    CHECK_OK(io_unlock(a));
    CHECK_OK(io_lock(env, p, &b));
    CHECK(b != NULL);
    CHECK_OK(io_unlock(b));
    CHECK_OK(io_unlock(NULL));
    io_counts c = io_env_counts(env);
    CHECK(c.files_opened == 0 && c.writes == 0 && c.syncs == 0);
    io_env_free(env);
}

TEST_TABLE(io, TEST(test_counts_exact), TEST(test_pread_short_at_eof),
           TEST(test_truncate_and_sizes), TEST(test_missing_file),
           TEST(test_list_dir_sorted), TEST(test_rename_remove_mkdir),
           TEST(test_two_threads_exact_counts), TEST(test_links_not_followed),
           TEST(test_lock))
