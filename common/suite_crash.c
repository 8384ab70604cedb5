/*
 * suite_crash.c - the kill -9 crash test (table `crash`, and suite_kill9,
 * which the scoreboard's kill9 row runs too), and what a failed close
 * says of the writes. The scoreboard's corruption
 * and torn-tail measurements are in suite_damage.c.
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

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
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
        kv_slice mv = {m->values[k].data, m->values[k].size};
        int want = live == m->live[k] && (!live || suite_same(&v, mv));
        int flight = inflight->key == k && live == !inflight->del &&
                     (!live || suite_same(&v, (kv_slice){inflight->value,
                                                         inflight->len}));
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

/*
 * A close whose flush fails (the next write fails, and the env is crashed
 * from then on) says what became of the writes. A stage with a log
 * (log_suffix) says they are in it, and a reopen has every one; stage 3
 * says they are lost, since it has no log. A close that writes nothing
 * (stages 1 and 2 append each write at once) succeeds, and a reopen has
 * every one too.
 */
static void test_failed_close_says_what_is_lost(void) {
    char dir[512], k[16];
    kv_db *db;
    kv_buf v = {0};
    io_env *env = io_env_new_faulty();
    suite_path(dir, sizeof dir, "db");
    CHECK_OK(suite_open(dir, kv_stage_expect.test_options, env, &db));
    for (int i = 0; i < 10; i++) {
        snprintf(k, sizeof k, "k%d", i);
        CHECK_OK(kv_put(db, kv_str(k), kv_str(k)));
    }
    io_fault_fail_at(env, IO_OP_WRITE, 1);
    kv_status s = kv_close(db);
    io_env_free(env);
    if (s.code != KV_OK && kv_stage_expect.log_suffix == NULL) {
        CHECKF(strstr(s.msg, "lost") && strstr(s.msg, "no log"), "%s", s.msg);
        return;
    }
    if (s.code != KV_OK)
        CHECKF(strstr(s.msg, "in the log"), "%s", s.msg);
    CHECK_OK(suite_open(dir, kv_stage_expect.test_options, NULL, &db));
    for (int i = 0; i < 10; i++) {
        snprintf(k, sizeof k, "k%d", i);
        CHECK_OK(kv_get(db, kv_str(k), &v));
        CHECK(suite_same(&v, kv_str(k)));
    }
    kv_buf_free(&v);
    CHECK_OK(kv_close(db));
}

TEST_TABLE(crash, TEST(test_kill9), TEST(test_failed_close_says_what_is_lost))
