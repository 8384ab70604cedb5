/*
 * test_io_fault.c - the faulty env (io_fault.c): injected faults and the
 * crashed state (io_fault_fail_at, io_fault_crash), and the power-loss
 * model (unsynced bytes dropped, unsynced creates, renames and removes
 * undone), and the plain copy it moves files with. The plain calls are
 * tested in test_io.c; the small file helpers are test_files.c's.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io.h"
#include "test_files.h"
#include "testing.h"

/* ---- injected faults --------------------------------------------------- */

/*
 * Three rounds of: append 10 bytes to f, sync f, rename r<i-1> to r<i>.
 * Stops at the first failure, naming its op and round (round 0: none).
 */
static kv_status rounds(io_env *env, io_file *f, io_op *op, int *round) {
    char from[PATH_MAX_], to[PATH_MAX_];
    kv_status s = kv_ok();
    *round = 0;
    for (int i = 1; i <= 3 && kv_is_ok(s); i++) {
        snprintf(from, PATH_MAX_, "%s/r%d", test_dir(), i - 1);
        snprintf(to, PATH_MAX_, "%s/r%d", test_dir(), i);
        *op = IO_OP_WRITE;
        s = io_append(f, "0123456789", 10);
        if (kv_is_ok(s)) *op = IO_OP_SYNC, s = io_sync(f);
        if (kv_is_ok(s)) *op = IO_OP_RENAME, s = io_rename(env, from, to);
        if (!kv_is_ok(s)) *round = i;
    }
    return s;
}

/* Every mutating call of a crashed env fails; reads keep working. */
static void check_crashed(io_env *env, io_file *f, uint64_t size) {
    char p[PATH_MAX_], q[PATH_MAX_], buf[64];
    in_dir(p, "f");
    in_dir(q, "new");
    io_file *g = NULL;
    CHECK(io_fault_crashed(env));
    kv_status s[] = {io_append(f, "x", 1),
                     io_sync(f),
                     io_truncate(f, 0),
                     io_sync_dir(env, test_dir()),
                     io_rename(env, p, q),
                     io_remove(env, p),
                     io_open_append(env, q, 0, &g),
                     io_open_append(env, p, 0, &g),
                     io_mkdir(env, q)};
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        CHECKF(s[i].code == KV_IO_ERROR &&
                   has(s[i], "injected fault (crashed)"),
               "call %zu: %s", i, s[i].msg);
    CHECK(g == NULL && !io_exists(env, q) && io_exists(env, p));
    uint64_t got = 0;
    CHECK_OK(io_size(f, &got));
    CHECK(got == size);
    CHECK_OK(io_open_read(env, p, &g));
    if (size > 0) CHECK_OK(io_pread_full(g, buf, 10, size - 10));
    CHECK_OK(io_close(g));
    char **names;
    CHECK_OK(io_list_dir(env, test_dir(), &names));
    CHECK(strcmp(names[0], "f") == 0);
    io_names_free(names);
}

static void test_fail_at_write_sync_rename(void) {
    static const io_op ops[] = {IO_OP_WRITE, IO_OP_SYNC, IO_OP_RENAME};
    char p[PATH_MAX_], r0[PATH_MAX_];
    in_dir(p, "f");
    in_dir(r0, "r0");
    for (int k = 0; k < 3; k++) {
        for (int n = 1; n <= 3; n++) {
            io_env *env = io_env_new_faulty();
            io_file *f;
            CHECK_OK(put_file(env, r0, "R", 0, 0));
            CHECK_OK(io_open_append(env, p, 1, &f));
            uint64_t base = io_fault_calls(env, ops[k]);
            io_fault_fail_at(env, ops[k], (uint64_t)n);
            io_op op = IO_OP_ANY;
            int round;
            kv_status s = rounds(env, f, &op, &round);
            CHECKF(s.code == KV_IO_ERROR && op == ops[k] && round == n,
                   "op %d n %d: failed op %d round %d", k, n, op, round);
            CHECKF(has(s, "injected fault") && !has(s, "crashed"), "%s", s.msg);
            CHECK(io_fault_calls(env, ops[k]) == base + (uint64_t)n);
            check_crashed(env, f, 10u * (uint64_t)(n - (k == 0)));
            if (test_failed()) return;
            CHECK_OK(io_close(f));
            /* Nothing here was made durable: power loss empties the dir. */
            CHECK_OK(io_fault_power_loss(env));
            char left[PATH_MAX_];
            CHECKF(dir_is_empty(env, left, sizeof left), "left %s", left);
            CHECK(!io_fault_crashed(env));
            io_env_free(env);
        }
    }
}

/*
 * A run of one call of each kind and more: 2 creates, 1 write, 3 syncs,
 * 1 rename, 1 truncate, 1 remove (9 calls). Stops at the first failure.
 */
static kv_status run_all_kinds(io_env *env, const char *dir) {
    char a[PATH_MAX_], b[PATH_MAX_], c[PATH_MAX_];
    snprintf(a, PATH_MAX_, "%s/a", dir);
    snprintf(b, PATH_MAX_, "%s/b", dir);
    snprintf(c, PATH_MAX_, "%s/c", dir);
    io_file *f = NULL, *g = NULL;
    kv_status s = io_open_append(env, a, 0, &f);
    if (kv_is_ok(s)) s = io_append(f, "data", 4);
    if (kv_is_ok(s)) s = io_sync(f);
    if (kv_is_ok(s)) s = io_sync_dir(env, dir);
    if (kv_is_ok(s)) s = io_rename(env, a, b);
    if (kv_is_ok(s)) s = io_open_append(env, c, 0, &g);
    if (kv_is_ok(s)) s = io_truncate(f, 2);
    if (kv_is_ok(s)) s = io_remove(env, b);
    if (kv_is_ok(s)) s = io_sync_dir(env, dir);
    io_close(f);
    io_close(g);
    return s;
}

static void test_fail_at_any_replay(void) {
    io_env *env = io_env_new_faulty();
    char dir[PATH_MAX_];
    in_dir(dir, "count");
    CHECK_OK(io_mkdir(env, dir));
    CHECK_OK(run_all_kinds(env, dir));
    static const uint64_t want[] = {9, 1, 3, 1, 1, 1, 2};
    for (int op = IO_OP_ANY; op <= IO_OP_CREATE; op++)
        CHECKF(io_fault_calls(env, (io_op)op) == want[op], "op %d: %llu", op,
               (unsigned long long)io_fault_calls(env, (io_op)op));
    uint64_t total = io_fault_calls(env, IO_OP_ANY);
    for (uint64_t k = 1; k <= total; k++) {
        snprintf(dir, PATH_MAX_, "%s/run%llu", test_dir(),
                 (unsigned long long)k);
        CHECK_OK(io_mkdir(env, dir));
        io_fault_fail_at(env, IO_OP_ANY, k);
        kv_status s = run_all_kinds(env, dir);
        CHECKF(s.code == KV_IO_ERROR && has(s, "injected fault") &&
                   !has(s, "crashed"),
               "k %llu: %s", (unsigned long long)k, s.msg);
        CHECK(io_fault_calls(env, IO_OP_ANY) == total + k);
        CHECK(io_fault_crashed(env));
        CHECK_OK(io_fault_power_loss(env));
        /* Power loss forgets: the next run counts from zero. */
        CHECK(!io_fault_crashed(env) && io_fault_calls(env, IO_OP_ANY) == 0);
        total = 0;
    }
    io_fault_fail_at(env, IO_OP_WRITE, 1);
    io_fault_fail_at(env, IO_OP_WRITE, 0); /* disarmed */
    CHECK_OK(run_all_kinds(env, dir));
    io_fault_crash(env);
    CHECK(io_fault_crashed(env));
    io_env_free(env);
}

/* ---- power loss -------------------------------------------------------- */

static void test_power_loss_drops_unsynced_data(void) {
    io_env *env = io_env_new_faulty();
    char p[PATH_MAX_];
    in_dir(p, "f");
    io_file *f;
    CHECK_OK(io_open_append(env, p, 0, &f));
    CHECK_OK(io_sync_dir(env, test_dir()));
    CHECK_OK(io_append(f, "synced", 6));
    CHECK_OK(io_sync(f));
    CHECK_OK(io_append(f, "-lost", 5));
    kv_status s = io_fault_power_loss(env); /* f is still open */
    CHECKF(s.code == KV_INVALID_ARGUMENT && has(s, "open"), "%s", s.msg);
    CHECK_OK(io_close(f));
    CHECK(holds(env, p, "synced-lost"));
    CHECK_OK(io_fault_power_loss(env));
    CHECK(holds(env, p, "synced"));
    io_env_free(env);
    env = io_env_new();
    CHECK_CODE(io_fault_power_loss(env), KV_INVALID_ARGUMENT);
    io_env_free(env);
}

static void test_power_loss_create_needs_dir_sync(void) {
    io_env *env = io_env_new_faulty();
    char a[PATH_MAX_], b[PATH_MAX_];
    in_dir(a, "a");
    in_dir(b, "b");
    CHECK_OK(put_file(env, b, "dir synced, data not", 0, 1));
    CHECK_OK(put_file(env, a, "data synced, dir not", 1, 0));
    CHECK_OK(io_fault_power_loss(env));
    CHECK(!io_exists(env, a));
    uint64_t size = 1;
    CHECK_OK(io_file_size(env, b, &size));
    CHECK(size == 0);
    io_env_free(env);
}

static void test_power_loss_preexisting_file(void) {
    io_env *env = io_env_new_faulty();
    char p[PATH_MAX_];
    in_dir(p, "old");
    io_env *plain = io_env_new();
    CHECK_OK(put_file(plain, p, "before", 0, 0));
    io_env_free(plain);
    io_file *f;
    CHECK_OK(io_open_append(env, p, 0, &f));
    CHECK_OK(io_append(f, "+after", 6));
    CHECK_OK(io_close(f));
    CHECK_OK(io_fault_power_loss(env));
    CHECK(holds(env, p, "before"));
    io_env_free(env);
}

static void test_power_loss_undoes_rename(void) {
    io_env *env = io_env_new_faulty();
    char a[PATH_MAX_], b[PATH_MAX_];
    in_dir(a, "a");
    in_dir(b, "b");
    CHECK_OK(put_file(env, a, "AAA", 1, 1));
    CHECK_OK(put_file(env, b, "BB", 1, 1));
    CHECK_OK(io_rename(env, a, b));
    CHECK(!io_exists(env, a) && holds(env, b, "AAA"));
    char **names;
    CHECK_OK(io_list_dir(env, test_dir(), &names)); /* no graveyard here */
    CHECK(strcmp(names[0], "b") == 0 && names[1] == NULL);
    CHECK(io_env_counts(env).files_opened == 3); /* 2 puts, 1 read */
    io_names_free(names);
    CHECK_OK(io_fault_power_loss(env));
    CHECK(holds(env, a, "AAA") && holds(env, b, "BB"));
    /* Syncing another directory does not make it durable ... */
    char sub[PATH_MAX_];
    in_dir(sub, "sub");
    CHECK_OK(io_mkdir(env, sub));
    CHECK_OK(io_rename(env, a, b));
    CHECK_OK(io_sync_dir(env, sub));
    CHECK_OK(io_fault_power_loss(env));
    CHECK(holds(env, a, "AAA") && holds(env, b, "BB"));
    /* ... after io_sync_dir ("dir/" is "dir") it sticks, through a second
     * power loss. */
    CHECK_OK(io_rename(env, a, b));
    snprintf(sub, PATH_MAX_, "%s/", test_dir());
    CHECK_OK(io_sync_dir(env, sub));
    CHECK_OK(io_fault_power_loss(env));
    CHECK(!io_exists(env, a) && holds(env, b, "AAA"));
    io_env_free(env);
}

static void test_power_loss_undoes_remove(void) {
    io_env *env = io_env_new_faulty();
    char a[PATH_MAX_], b[PATH_MAX_];
    in_dir(a, "a");
    in_dir(b, "b");
    CHECK_OK(put_file(env, a, "AAA", 1, 0));
    CHECK_OK(put_file(env, b, "BB", 1, 1)); /* syncs a's creation too */
    CHECK_OK(io_remove(env, a));
    CHECK(!io_exists(env, a));
    CHECK_OK(io_fault_power_loss(env));
    CHECK(holds(env, a, "AAA"));
    CHECK_OK(io_remove(env, a));
    CHECK_OK(io_sync_dir(env, test_dir()));
    CHECK_OK(io_fault_power_loss(env));
    CHECK(!io_exists(env, a) && holds(env, b, "BB"));
    /* A name removed and made again: power loss brings back the old one. */
    CHECK_OK(io_remove(env, b));
    CHECK_OK(put_file(env, b, "new", 1, 0));
    CHECK_OK(io_fault_power_loss(env));
    CHECK(holds(env, b, "BB"));
    io_env_free(env);
}

static void test_power_loss_same_window(void) {
    io_env *env = io_env_new_faulty();
    char a[PATH_MAX_], b[PATH_MAX_], c[PATH_MAX_];
    in_dir(a, "a");
    in_dir(b, "b");
    in_dir(c, "c");
    CHECK_OK(put_file(env, a, "A", 1, 0));
    CHECK_OK(io_rename(env, a, b));
    CHECK_OK(io_remove(env, b));
    CHECK_OK(put_file(env, c, "C", 1, 0));
    CHECK_OK(io_rename(env, c, a));
    CHECK_OK(io_fault_power_loss(env));
    char left[PATH_MAX_];
    CHECKF(dir_is_empty(env, left, sizeof left), "left %s", left);
    io_env_free(env);
}

/* The durable size belongs to the file, not the name. */
static void test_power_loss_sync_follows_rename(void) {
    io_env *env = io_env_new_faulty();
    char tmp[PATH_MAX_], t[PATH_MAX_];
    in_dir(tmp, "t.tmp");
    in_dir(t, "t");
    io_file *f;
    CHECK_OK(io_open_append(env, tmp, 0, &f));
    CHECK_OK(io_sync_dir(env, test_dir()));
    CHECK_OK(io_append(f, "0123456789", 10));
    CHECK_OK(io_rename(env, tmp, t));
    CHECK_OK(io_sync(f)); /* synced under its new name */
    CHECK_OK(io_append(f, "lost", 4));
    CHECK_OK(io_close(f));
    CHECK_OK(io_fault_power_loss(env)); /* the rename is undone ... */
    CHECK(!io_exists(env, t));
    CHECK(holds(env, tmp, "0123456789")); /* ... but not the sync */
    CHECK_OK(io_open_append(env, tmp, 0, &f));
    CHECK_OK(io_append(f, "ab", 2));
    CHECK_OK(io_rename(env, tmp, t));
    CHECK_OK(io_sync(f));
    CHECK_OK(io_sync_dir(env, test_dir()));
    CHECK_OK(io_close(f));
    CHECK_OK(io_fault_power_loss(env));
    CHECK(!io_exists(env, tmp) && holds(env, t, "0123456789ab"));
    io_env_free(env);
}

/* A table written as LevelDB does: tmp, sync, rename, sync the dir. */
static void test_power_loss_table_write(void) {
    io_env *env = io_env_new_faulty();
    char tmp[PATH_MAX_], table[PATH_MAX_];
    in_dir(tmp, "000005.tmp");
    in_dir(table, "000005.sst");
    for (int dir_sync = 0; dir_sync < 2; dir_sync++) {
        io_counts before = io_env_counts(env);
        CHECK_OK(put_file(env, tmp, "table bytes", 1, 0));
        CHECK_OK(io_rename(env, tmp, table));
        if (dir_sync) CHECK_OK(io_sync_dir(env, test_dir()));
        io_counts d = io_counts_sub(io_env_counts(env), before);
        CHECK(d.writes == 1 && d.syncs == (uint64_t)(1 + dir_sync));
        CHECK_OK(io_fault_power_loss(env));
        CHECK(!io_exists(env, tmp));
        CHECK(dir_sync ? holds(env, table, "table bytes")
                       : !io_exists(env, table));
    }
    io_env_free(env);
}

/* A log switch: new log and CURRENT written, old log removed. */
static void test_power_loss_log_switch(void) {
    io_env *env = io_env_new_faulty();
    char log1[PATH_MAX_], log2[PATH_MAX_], cur[PATH_MAX_], tmp[PATH_MAX_];
    in_dir(log1, "1.log");
    in_dir(log2, "2.log");
    in_dir(cur, "CURRENT");
    in_dir(tmp, "CURRENT.tmp");
    CHECK_OK(put_file(env, log1, "old records", 1, 0));
    CHECK_OK(put_file(env, cur, "1.log", 1, 1));
    for (int dir_sync = 0; dir_sync < 2; dir_sync++) {
        io_file *f;
        CHECK_OK(io_open_append(env, log2, 1, &f));
        CHECK_OK(put_file(env, tmp, "2.log", 1, 0));
        CHECK_OK(io_rename(env, tmp, cur));
        if (dir_sync) CHECK_OK(io_sync_dir(env, test_dir()));
        CHECK_OK(io_remove(env, log1));
        CHECK_OK(io_append(f, "new", 3));
        CHECK_OK(io_close(f));
        CHECK_OK(io_fault_power_loss(env));
        CHECK(holds(env, log1, "old records")); /* the remove never synced */
        CHECK(!io_exists(env, tmp));
        if (dir_sync) {
            uint64_t size = 1;
            CHECK(holds(env, cur, "2.log"));
            CHECK_OK(io_file_size(env, log2, &size));
            CHECK(size == 0); /* "new" was never synced */
        } else {
            CHECK(holds(env, cur, "1.log") && !io_exists(env, log2));
        }
    }
    io_env_free(env);
}

static void test_power_loss_after_crash(void) {
    io_env *env = io_env_new_faulty();
    char p[PATH_MAX_];
    in_dir(p, "f");
    io_file *f;
    CHECK_OK(io_open_append(env, p, 0, &f));
    CHECK_OK(io_sync_dir(env, test_dir()));
    io_fault_fail_at(env, IO_OP_SYNC, 2);
    CHECK_OK(io_append(f, "one", 3));
    CHECK_OK(io_sync(f));
    CHECK_OK(io_append(f, "two", 3));
    /* "two" is in the file, but not durable. */
    CHECK_CODE(io_sync(f), KV_IO_ERROR);
    CHECK(holds(env, p, "onetwo"));
    CHECK_OK(io_close(f));
    CHECK_OK(io_fault_power_loss(env));
    CHECK(!io_fault_crashed(env) && holds(env, p, "one"));
    CHECK_OK(io_open_append(env, p, 0, &f)); /* a fresh env again */
    CHECK_OK(io_append(f, "three", 5));
    CHECK_OK(io_sync(f));
    CHECK_OK(io_close(f));
    CHECK_OK(io_fault_power_loss(env));
    CHECK(holds(env, p, "onethree"));
    io_env_free(env);
}
/* A thread whose append the env holds in the middle. */
typedef struct holder {
    io_file *f;
    kv_status s;
} holder;

static void *append_once(void *arg) {
    holder *h = arg;
    h->s = io_append(h->f, "held", 4);
    return NULL;
}

/*
 * io_fault_hold stops the 2nd append to a *.sst file until release; other
 * calls (another file, reads) go on meanwhile, and the held one then
 * completes normally.
 */
static void test_hold_and_release(void) {
    io_env *env = io_env_new_faulty();
    io_file *t, *other;
    holder h = {0};
    pthread_t th;
    char a[PATH_MAX_], b[PATH_MAX_];
    in_dir(a, "a.sst");
    in_dir(b, "b.log");
    CHECK_OK(io_open_append(env, a, 1, &t));
    CHECK_OK(io_open_append(env, b, 1, &other));
    io_fault_hold(env, IO_OP_WRITE, 2, ".sst");
    CHECK_OK(io_append(other, "x", 1)); /* not a .sst: not counted */
    CHECK_OK(io_append(t, "first", 5)); /* the 1st .sst write */
    CHECK(io_fault_wait_held(env, 0) == 0);
    h.f = t;
    CHECK(pthread_create(&th, NULL, append_once, &h) == 0);
    CHECK(io_fault_wait_held(env, 10000) == 1);
    CHECK_OK(io_append(other, "y", 1)); /* others go on while one is held */
    uint64_t size;
    CHECK_OK(io_size(t, &size));
    CHECKF(size == 5, "held write already landed: size %llu",
           (unsigned long long)size);
    io_fault_release(env);
    pthread_join(th, NULL);
    CHECK_OK(h.s);
    CHECK_OK(io_size(t, &size));
    CHECK(size == 9 && io_fault_wait_held(env, 0) == 0);
    CHECK_OK(io_close(t));
    CHECK_OK(io_close(other));
    io_env_free(env);
}

/* io_fault_copy_file: every byte of a file larger than its buffer, onto a
 * file that held more (replaced, not overwritten in part); a missing
 * source is -1 with errno set, and no file is made. */
static void test_copy_file(void) {
    char from[PATH_MAX_], to[PATH_MAX_], none[PATH_MAX_];
    in_dir(from, "from");
    in_dir(to, "to");
    in_dir(none, "none");
    size_t n = 200000;
    unsigned char *data = malloc(n), *back = malloc(n + 1);
    for (size_t i = 0; i < n; i++) data[i] = (unsigned char)(i * 7 + i / 251);
    FILE *f = fopen(from, "wb");
    CHECK(f != NULL && fwrite(data, 1, n, f) == n && fclose(f) == 0);
    f = fopen(to, "wb");
    CHECK(f != NULL && fputs("an older, longer file ", f) >= 0);
    for (int i = 0; f && i < 20000; i++) fputs("0123456789", f);
    CHECK(f != NULL && fclose(f) == 0);
    CHECK(io_fault_copy_file(from, to) == 0);
    f = fopen(to, "rb");
    size_t got = f ? fread(back, 1, n + 1, f) : 0;
    if (f) fclose(f);
    CHECKF(got == n, "copied %zu bytes of %zu", got, n);
    CHECK(memcmp(data, back, n) == 0);
    char made[PATH_MAX_];
    in_dir(made, "made");
    errno = 0;
    CHECK(io_fault_copy_file(none, made) == -1 && errno == ENOENT);
    CHECK(access(made, F_OK) != 0);
    free(data);
    free(back);
}

TEST_TABLE(io_fault, TEST(test_fail_at_write_sync_rename),
           TEST(test_fail_at_any_replay),
           TEST(test_power_loss_drops_unsynced_data),
           TEST(test_power_loss_create_needs_dir_sync),
           TEST(test_power_loss_preexisting_file),
           TEST(test_power_loss_undoes_rename),
           TEST(test_power_loss_undoes_remove),
           TEST(test_power_loss_same_window),
           TEST(test_power_loss_sync_follows_rename),
           TEST(test_power_loss_table_write), TEST(test_power_loss_log_switch),
           TEST(test_power_loss_after_crash), TEST(test_hold_and_release),
           TEST(test_copy_file))
