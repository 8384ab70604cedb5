/*
 * suite_crash.c - damage done to a store, and what it must survive: the
 * kill -9 crash test (table `crash`, and suite_kill9, which the
 * scoreboard's kill9 row runs too), and the scoreboard's corruption and
 * torn-tail measurements (suite_corruption, suite_torn_tail; see suite.h
 * and their sections below).
 *
 * The kill -9 test. One round: a child process opens the store and runs a
 * fixed random sequence of puts and deletes over 200 keys. After EACH call
 * returns, it writes the call's index to a pipe: that is the acknowledgement.
 * The parent replays the same sequence from the same seed into a model as the
 * acknowledgements arrive, and SIGKILLs the child after 100 to 600 of them
 * (the child may be up to a pipe buffer of calls ahead by then). Then it
 * reads the acknowledgements still in the pipe, reopens the store
 * and checks every key: its value must be the one of its last acknowledged
 * call, or of the one call that may have been in flight (issued, not yet
 * acknowledged). The model then takes what the store holds, and the next
 * round runs on the same store.
 *
 * The child never returns into the test runner: it ends in _exit (or in
 * the SIGKILL), so no test is run twice and no stdio buffer is flushed
 * twice.
 */
#include "suite.h"
#include "testing.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define CRASH_KEYS    200
#define CRASH_MAX_OPS 1000000u /* the child's bound if it is never killed */

/* One call of the child's sequence: a put of value to key, or a delete. */
typedef struct crash_op {
    size_t key;
    int del;
    char value[128];
    size_t len;
} crash_op;

/* The i-th call of a round; *st walks the round's sequence. */
static void crash_op_next(uint64_t *st, uint32_t i, crash_op *op) {
    op->key = suite_rand(st) % CRASH_KEYS;
    op->del = suite_rand(st) % 100 < 20;
    int head = snprintf(op->value, sizeof op->value, "op %u:", (unsigned)i);
    op->len = (size_t)head + suite_rand(st) % 80;
    for (size_t j = (size_t)head; j < op->len; j++)
        op->value[j] = (char)('a' + suite_rand(st) % 26);
}

static void model_apply(suite_model *m, const crash_op *op) {
    m->live[op->key] = !op->del;
    if (!op->del) kv_buf_set(&m->values[op->key], op->value, op->len);
}

/* The child: runs the sequence, acknowledging each call. Never returns. */
static void crash_child(const char *dir, const kv_option *opts,
                        const suite_model *m, uint64_t seed, int fd) {
    kv_db *db;
    kv_status s = suite_open(dir, opts, NULL, &db);
    if (s.code != KV_OK) {
        fprintf(stderr, "crash child: open: %s\n", s.msg);
        _exit(3);
    }
    uint64_t st = seed;
    crash_op op;
    for (uint32_t i = 0; i < CRASH_MAX_OPS; i++) {
        crash_op_next(&st, i, &op);
        kv_slice key = {m->keys[op.key].data, m->keys[op.key].size};
        s = op.del ? kv_delete(db, key)
                   : kv_put(db, key, (kv_slice){op.value, op.len});
        if (s.code != KV_OK) {
            fprintf(stderr, "crash child: call %u: %s\n", (unsigned)i, s.msg);
            _exit(4);
        }
        if (write(fd, &i, sizeof i) != (ssize_t)sizeof i) _exit(5);
    }
    for (;;) pause();
}

/* Reads one acknowledgement. 1 on success, 0 at end of pipe. */
static int read_ack(int fd, uint32_t *idx) {
    size_t got = 0;
    while (got < sizeof *idx) {
        ssize_t r = read(fd, (char *)idx + got, sizeof *idx - got);
        if (r <= 0) return 0;
        got += (size_t)r;
    }
    return 1;
}

/*
 * Reads acknowledgements into the model: until `target` (0: until the
 * pipe ends). *acked is the number so far. -1 if they arrive out of order.
 */
static int take_acks(int fd, suite_model *m, uint64_t *st, uint32_t target,
                     uint32_t *acked) {
    uint32_t idx;
    crash_op op;
    while ((target == 0 || *acked < target) && read_ack(fd, &idx)) {
        if (idx != *acked) return -1;
        crash_op_next(st, idx, &op);
        model_apply(m, &op);
        (*acked)++;
    }
    return 0;
}

/* Reopens and checks every key against the model, or the in-flight call.
 * Adopts what the store holds. 1 all fine, 0 something lost. */
static int crash_check(const char *dir, const kv_option *opts, suite_model *m,
                       const crash_op *inflight, uint32_t acked, char *why,
                       size_t n) {
    kv_db *db;
    kv_status s = suite_open(dir, opts, NULL, &db);
    if (s.code != KV_OK) {
        snprintf(why, n, "reopen after %u acked calls: %s", (unsigned)acked,
                 s.msg);
        return 0;
    }
    kv_buf v = {0};
    int ok = 1;
    for (size_t k = 0; k < m->n && ok; k++) {
        s = kv_get(db, (kv_slice){m->keys[k].data, m->keys[k].size}, &v);
        int live = s.code == KV_OK;
        int want = (live == m->live[k]) &&
                   (!live || (v.size == m->values[k].size &&
                              memcmp(v.data, m->values[k].data, v.size) == 0));
        int flight = inflight->key == k && live == !inflight->del &&
                     (!live || (v.size == inflight->len &&
                                memcmp(v.data, inflight->value, v.size) == 0));
        if (flight && !want) model_apply(m, inflight);
        ok = (s.code == KV_OK || s.code == KV_NOT_FOUND) && (want || flight);
        if (!ok)
            snprintf(why, n,
                     "after %u acked calls, key #%zu: want %s%.*s, got %s %.*s",
                     (unsigned)acked, k, m->live[k] ? "value " : "not found",
                     m->live[k] ? (int)m->values[k].size : 0,
                     m->values[k].data ? m->values[k].data : "",
                     kv_code_name(s.code), live ? (int)v.size : 0,
                     live ? v.data : s.msg);
    }
    kv_buf_free(&v);
    s = kv_close(db);
    if (ok && s.code != KV_OK) {
        snprintf(why, n, "close: %s", s.msg);
        ok = 0;
    }
    return ok;
}

/* One round; returns like suite_kill9. */
static int crash_round(const char *dir, const kv_option *opts, suite_model *m,
                       uint64_t seed, uint32_t target, char *why, size_t n) {
    int p[2];
    if (pipe(p) != 0) {
        snprintf(why, n, "pipe: %s", strerror(errno));
        return -1;
    }
#ifdef F_SETPIPE_SZ
    fcntl(p[1], F_SETPIPE_SZ, 4096); /* keeps the child close behind */
#endif
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        crash_child(dir, opts, m, seed, p[1]);
        _exit(6);
    }
    close(p[1]);
    if (pid < 0) {
        close(p[0]);
        snprintf(why, n, "fork: %s", strerror(errno));
        return -1;
    }
    uint64_t st = seed;
    uint32_t acked = 0;
    int order = take_acks(p[0], m, &st, target, &acked);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    if (order == 0) order = take_acks(p[0], m, &st, 0, &acked);
    close(p[0]);
    if (order != 0 || !WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
        snprintf(why, n, "the child failed after %u calls (exit status %d%s)",
                 (unsigned)acked, WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                 order ? ", acknowledgements out of order" : "");
        return -1;
    }
    crash_op inflight;
    crash_op_next(&st, acked, &inflight);
    return crash_check(dir, opts, m, &inflight, acked, why, n);
}

/* See suite.h. */
int suite_kill9(const char *dir, const kv_option *opts, int rounds,
                uint64_t seed, char *why, size_t n) {
    suite_model m;
    suite_model_init(&m, CRASH_KEYS, seed);
    uint64_t rng = seed ^ 0x6b696c6c2d39ull;
    int result = 1;
    for (int r = 0; r < rounds && result == 1; r++) {
        uint64_t round_seed = suite_rand(&rng);
        uint32_t target = 100 + (uint32_t)(suite_rand(&rng) % 501);
        result = crash_round(dir, opts, &m, round_seed, target, why, n);
        if (result != 1) {
            char tail[400];
            snprintf(tail, sizeof tail, "%s", why);
            snprintf(why, n, "round %d: %s", r + 1, tail);
        }
    }
    suite_model_free(&m);
    return result;
}

/* --- corruption: every byte flipped, one at a time -------------------- */

#define CORRUPT_KEYS 30

typedef struct small_model {
    char keys[CORRUPT_KEYS][16];
    char values[CORRUPT_KEYS][64];
    size_t lens[CORRUPT_KEYS];
    int live[CORRUPT_KEYS];
} small_model;

static int small_same(const small_model *sm, int i, const char *data,
                      size_t size) {
    return size == sm->lens[i] && memcmp(data, sm->values[i], size) == 0;
}

/* Scans a damaged store: 1 when the scan is right or ends in an error. */
static int corrupt_scan(kv_db *db, const small_model *sm, int *err) {
    kv_iter *it;
    if (kv_iter_new(db, &it).code != KV_OK)
        return 1; /* no scans here (or an error: detected) */
    int i = 0, ok = 1;
    for (kv_iter_seek(it, kv_str("")); kv_iter_valid(it) && ok;
         kv_iter_next(it)) {
        while (i < CORRUPT_KEYS && !sm->live[i]) i++;
        kv_slice k = kv_iter_key(it), v = kv_iter_value(it);
        ok = i < CORRUPT_KEYS && k.size == strlen(sm->keys[i]) &&
             memcmp(k.data, sm->keys[i], k.size) == 0 &&
             small_same(sm, i, v.data, v.size);
        i++;
    }
    while (ok && i < CORRUPT_KEYS && !sm->live[i]) i++;
    ok = ok && i >= CORRUPT_KEYS;
    if (kv_iter_status(it).code != KV_OK) {
        *err = 1;
        ok = 1;
    }
    kv_iter_free(it);
    return ok;
}

/* Opens and reads one damaged copy. 1 detected or harmless, 0 harmful. */
static int corrupt_try(const char *work, const small_model *sm,
                       const char *file, uint64_t off, int *detected, char *why,
                       size_t n) {
    kv_db *db;
    if (suite_open(work, kv_stage_expect.test_options, NULL, &db).code !=
        KV_OK) {
        (*detected)++;
        return 1;
    }
    kv_buf v = {0};
    int ok = 1, err = 0;
    for (int i = 0; i < CORRUPT_KEYS && ok; i++) {
        kv_status s = kv_get(db, kv_str(sm->keys[i]), &v);
        const char *bad = NULL;
        if (s.code != KV_OK && s.code != KV_NOT_FOUND)
            err = 1;
        else if (sm->live[i] && s.code == KV_NOT_FOUND)
            bad = "a live key is missing";
        else if (!sm->live[i] && s.code == KV_OK)
            bad = "a deleted key came back";
        else if (s.code == KV_OK && !small_same(sm, i, v.data, v.size))
            bad = "a wrong value";
        if (bad)
            snprintf(why, n, "%s offset %llu flipped: key %s: %s", file,
                     (unsigned long long)off, sm->keys[i], bad);
        ok = bad == NULL;
    }
    if (ok && !corrupt_scan(db, sm, &err)) {
        snprintf(why, n, "%s offset %llu flipped: the scan is wrong", file,
                 (unsigned long long)off);
        ok = 0;
    }
    kv_buf_free(&v);
    kv_close(db); /* its error, if any, is one more detection */
    *detected += err;
    return ok;
}

/* The store to damage: 30 puts (20..60-byte values) and 5 deletes. */
static kv_status corrupt_make(const char *base, small_model *sm) {
    kv_db *db;
    suite_rmrf(base);
    kv_status s = suite_open(base, kv_stage_expect.test_options, NULL, &db);
    uint64_t st = 30;
    for (int i = 0; i < CORRUPT_KEYS && s.code == KV_OK; i++) {
        snprintf(sm->keys[i], sizeof sm->keys[i], "key%02d", i);
        sm->lens[i] = 20 + suite_rand(&st) % 41;
        for (size_t j = 0; j < sm->lens[i]; j++)
            sm->values[i][j] = (char)('a' + suite_rand(&st) % 26);
        sm->live[i] = 1;
        s = kv_put(db, kv_str(sm->keys[i]),
                   (kv_slice){sm->values[i], sm->lens[i]});
    }
    for (int i = 0; i < CORRUPT_KEYS && s.code == KV_OK; i += 6) {
        sm->live[i] = 0;
        s = kv_delete(db, kv_str(sm->keys[i]));
    }
    kv_status c = db ? kv_close(db) : kv_ok();
    return s.code != KV_OK ? s : c;
}

static int not_dot(const struct dirent *e) {
    return strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
}

/* See suite.h. About 3000 flips in all: every byte of a small store. */
int suite_corruption(const char *dir, char *why, size_t n) {
    char base[512], work[512], path[1024];
    small_model sm;
    snprintf(base, sizeof base, "%s/base", dir);
    snprintf(work, sizeof work, "%s/work", dir);
    kv_status s = corrupt_make(base, &sm);
    struct dirent **names = NULL;
    int count =
        s.code == KV_OK ? scandir(base, &names, not_dot, alphasort) : -1;
    if (count < 0) {
        snprintf(why, n, "cannot make the store: %s", s.msg);
        return -1;
    }
    uint64_t total = suite_dir_bytes(base);
    uint64_t step = total > 4096 ? (total + 2999) / 3000 : 1;
    int flips = 0, detected = 0, result = 1;
    for (int f = 0; f < count && result == 1; f++) {
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", base, names[f]->d_name);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) continue;
        snprintf(path, sizeof path, "%s/%s", work, names[f]->d_name);
        for (uint64_t off = 0; off < (uint64_t)st.st_size && result == 1;
             off += step) {
            suite_copy_dir(base, work);
            unsigned char mask = flips++ % 7 == 6 ? 0x80 : 0x01;
            if (suite_flip_byte(path, off, mask) != 0) {
                snprintf(why, n, "cannot flip %s offset %llu", path,
                         (unsigned long long)off);
                result = -1;
            } else {
                result = corrupt_try(work, &sm, names[f]->d_name, off,
                                     &detected, why, n);
            }
        }
    }
    for (int f = 0; f < count; f++) free(names[f]);
    free(names);
    if (result == 1)
        snprintf(why, n, "%d flips: %d detected, %d harmless", flips, detected,
                 flips - detected);
    return result;
}

/* --- torn tail: the log cut at each of its last 300 bytes ------------------
 */

#define TORN_KEYS 8
#define TORN_OPS  20

/* The value op i puts: unique to the op, of varied length. */
static kv_slice torn_value(char *buf, int op) {
    int len = snprintf(buf, 64, "value of op %d ", op);
    while (len < 16 + op * 7 % 40) buf[len++] = 'x';
    return (kv_slice){buf, (size_t)len};
}

/* states[j][k]: the op whose value key k holds after j ops, or -1. */
typedef int torn_states[TORN_OPS + 1][TORN_KEYS];

/* Runs the 20 ops on a new store in base, recording the states. */
static kv_status torn_make(const char *base, torn_states states) {
    kv_db *db;
    char key[16], val[64];
    suite_rmrf(base);
    kv_status s = suite_open(base, NULL, NULL, &db);
    for (int k = 0; k < TORN_KEYS; k++) states[0][k] = -1;
    for (int i = 0; i < TORN_OPS && s.code == KV_OK; i++) {
        memcpy(states[i + 1], states[i], sizeof states[i]);
        int k = i % TORN_KEYS, del = i == 6 || i == 11 || i == 16;
        while (del && states[i][k] < 0) k = (k + 1) % TORN_KEYS;
        snprintf(key, sizeof key, "t%d", k);
        states[i + 1][k] = del ? -1 : i;
        s = del ? kv_delete(db, kv_str(key))
                : kv_put(db, kv_str(key), torn_value(val, i));
    }
    kv_status c = db ? kv_close(db) : kv_ok();
    return s.code != KV_OK ? s : c;
}

/* The j whose state the store holds, or -1 (none, or an error). */
static int torn_match(kv_db *db, torn_states states) {
    int have[TORN_KEYS];
    kv_buf v = {0};
    char key[16], val[64];
    for (int k = 0; k < TORN_KEYS; k++) {
        snprintf(key, sizeof key, "t%d", k);
        kv_status s = kv_get(db, kv_str(key), &v);
        have[k] = -2; /* matches no state */
        if (s.code == KV_NOT_FOUND) have[k] = -1;
        for (int i = 0; s.code == KV_OK && i < TORN_OPS; i++) {
            kv_slice want = torn_value(val, i);
            if (want.size == v.size && memcmp(want.data, v.data, v.size) == 0)
                have[k] = i;
        }
    }
    kv_buf_free(&v);
    for (int j = 0; j <= TORN_OPS; j++)
        if (memcmp(have, states[j], sizeof have) == 0) return j;
    return -1;
}

/* Opens work and returns the prefix j it holds (-1: none); then puts
 * zz-new (put) or checks that it is there (!put), and closes. *s says
 * what failed. */
static int torn_open(const char *work, torn_states states, int put,
                     kv_status *s) {
    kv_db *db;
    kv_buf v = {0};
    *s = suite_open(work, NULL, NULL, &db);
    if (s->code != KV_OK) return -1;
    int j = torn_match(db, states);
    if (put)
        *s = kv_put(db, kv_str("zz-new"), kv_str("after the cut"));
    else if ((*s = kv_get(db, kv_str("zz-new"), &v)).code == KV_OK &&
             (v.size != 13 || memcmp(v.data, "after the cut", 13) != 0))
        *s = kv_error(KV_CORRUPTION, "zz-new has a wrong value");
    kv_status c = kv_close(db);
    if (s->code == KV_OK) *s = c;
    kv_buf_free(&v);
    return j;
}

/* One cut: the copy opens to a prefix j >= *prev, and a put after it
 * survives a reopen beside the same prefix. 1 ok, 0 not, -1 harness. */
static int torn_cut(const char *base, const char *work, const char *log,
                    uint64_t cut, torn_states states, int *prev, char *why,
                    size_t n) {
    char path[1024];
    suite_copy_dir(base, work);
    snprintf(path, sizeof path, "%s/%s", work, log);
    if (suite_cut_file(path, cut) != 0) {
        snprintf(why, n, "cannot cut %s", path);
        return -1;
    }
    kv_status s;
    int again = -1, j = torn_open(work, states, 1, &s);
    if (s.code == KV_OK) again = torn_open(work, states, 0, &s);
    int ok = s.code == KV_OK && j >= *prev && again == j;
    if (!ok)
        snprintf(why, n,
                 "%s cut to %llu bytes: %s (a prefix of %d ops; %d after a "
                 "put and reopen; %d at the shorter cut)",
                 log, (unsigned long long)cut,
                 s.code != KV_OK ? s.msg : "not a growing prefix", j, again,
                 *prev);
    *prev = j;
    return ok;
}

/* See suite.h. */
int suite_torn_tail(const char *dir, const char *suffix, char *why, size_t n) {
    char base[512], work[512], log[256] = "", path[1024];
    torn_states states;
    snprintf(base, sizeof base, "%s/base", dir);
    snprintf(work, sizeof work, "%s/work", dir);
    kv_status s = torn_make(base, states);
    struct dirent **names = NULL;
    int count =
        s.code == KV_OK ? scandir(base, &names, not_dot, alphasort) : -1;
    if (count < 0) {
        snprintf(why, n, "cannot make the store: %s", s.msg);
        return -1;
    }
    size_t sl = strlen(suffix);
    for (int f = 0; f < count; f++) {
        size_t len = strlen(names[f]->d_name);
        if (len >= sl && strcmp(names[f]->d_name + len - sl, suffix) == 0 &&
            strcmp(names[f]->d_name, log) > 0)
            snprintf(log, sizeof log, "%s", names[f]->d_name);
        free(names[f]);
    }
    free(names);
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", base, log);
    if (log[0] == '\0' || stat(path, &st) != 0) {
        snprintf(why, n, "no file ending in %s", suffix);
        return -1;
    }
    uint64_t size = (uint64_t)st.st_size, from = size > 300 ? size - 300 : 0;
    int prev = 0, result = 1;
    for (uint64_t cut = from; cut < size && result == 1; cut++)
        result = torn_cut(base, work, log, cut, states, &prev, why, n);
    if (result == 1)
        snprintf(why, n,
                 "%s cut at each of %llu sizes: always a prefix (%d of %d ops "
                 "at the "
                 "longest cut)",
                 log, (unsigned long long)(size - from), prev, TORN_OPS);
    return result;
}

static void test_kill9(void) {
    if (kv_stage_expect.rows[ROW_KILL9] == EXPECT_FAIL) {
        test_skip("this stage loses unflushed writes on kill -9 (scoreboard)");
        return;
    }
    char dir[512], why[512];
    snprintf(dir, sizeof dir, "%s/db", test_dir());
    int r = suite_kill9(dir, kv_stage_expect.test_options, 5, test_seed(), why,
                        sizeof why);
    CHECKF(r == 1, "kill -9 (KV_TEST_SEED=%u): %s", test_seed(), why);
}

TEST_TABLE(crash, TEST(test_kill9))
