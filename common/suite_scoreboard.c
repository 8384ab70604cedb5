/*
 * suite_scoreboard.c - the failure-mode scoreboard (table `scoreboard`):
 * one test per row of docs/00-course.md's matrix, then one that writes the
 * rows.
 *
 * Each row test measures whether the stage has the property, from exact
 * I/O counts and byte sizes (never time), and compares the answer with the
 * stage's expect.c: an unexpected pass fails as loudly as an unexpected
 * failure, so a stage's charted weakness stays true. A row the stage marks
 * EXPECT_NA is not measured. The last test writes the file named by the
 * environment variable KV_SCOREBOARD, one line per row:
 *
 *     <row-id> <expected: ok|x|-> <measured: ok|x|-|?> <the measured figures>
 *
 *     get_o1 x x bytes read per get: 131072 at 1000 keys, 524288 at 4000
 *
 * ("?" when the row was not measured in this run). tools/scoreboard.py
 * prints the matrix from these files. The rows' ids and words are in
 * suite.c; the kill -9, corruption and torn-tail measurements, the longest,
 * in suite_crash.c and suite_damage.c.
 */
#include "suite.h"
#include "testing.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TEST_OPTS  (kv_stage_expect.test_options)
#define FILL_VALUE 100 /* bytes, as db_bench's default */

/* A measurement: 1 the property holds, 0 it does not, -1 it cannot be
 * measured here ("-"), -2 the measurement itself failed (fig says why). */
typedef int (*measure_fn)(char *fig, size_t n);

typedef struct row_result {
    int done;     /* the row's test ran */
    int measured; /* as measure_fn returns */
    char figure[320];
} row_result;

static row_result results[ROW_COUNT];

/* Fails the measurement (returns -2) with the status's message. */
#define TRY(expr)                                                              \
    do {                                                                       \
        kv_status s_ = (expr);                                                 \
        if (s_.code != KV_OK) {                                                \
            snprintf(fig, n, "%s: %s", #expr, s_.msg);                         \
            return -2;                                                         \
        }                                                                      \
    } while (0)

/* Measures a row and compares with the stage's expectation. */
static void run_row(scoreboard_row row, measure_fn fn) {
    row_result *r = &results[row];
    expect e = kv_stage_expect.rows[row];
    r->done = 1;
    r->measured = -1;
    if (e == EXPECT_NA) {
        snprintf(r->figure, sizeof r->figure, "does not apply");
        test_skip("this row does not apply to this stage");
        return;
    }
    r->measured = fn(r->figure, sizeof r->figure);
    CHECKF(r->measured != -2, "row '%s': the measurement failed: %s",
           scoreboard_row_id(row), r->figure);
    int want = e == EXPECT_OK;
    CHECKF(r->measured == want, "row '%s': expected %s, but the stage %s: %s",
           scoreboard_row_id(row), want ? "ok" : "fail",
           r->measured == 1   ? "passes"
           : r->measured == 0 ? "fails"
                              : "cannot be measured",
           r->figure);
}

/* db_bench's key for i, and a 100-byte value that depends on i. */
static kv_slice fill_key(char *buf, int i) {
    snprintf(buf, 32, "%016d", i);
    return (kv_slice){buf, 16};
}

static kv_slice fill_value(char *buf, int i, int round) {
    for (int j = 0; j < FILL_VALUE; j++)
        buf[j] = (char)('a' + (i * 7 + j * 13 + round * 5) % 26);
    return (kv_slice){buf, FILL_VALUE};
}

/* A new store in dir holding n keys, closed again. */
static kv_status fill(const char *dir, int n, const kv_option *opts) {
    char k[32], v[FILL_VALUE];
    kv_db *db;
    suite_rmrf(dir);
    kv_status s = suite_open(dir, opts, NULL, &db);
    for (int i = 0; i < n && s.code == KV_OK; i++)
        s = kv_put(db, fill_key(k, i), fill_value(v, i, 0));
    kv_status c = db ? kv_close(db) : kv_ok();
    return s.code != KV_OK ? s : c;
}

/* --- get_o1, open_index, index_memory, missing_key ---------------------- */

/* A new store in dir holding keys 0 .. n-1, put in a shuffled order with
 * the stage's test options (small memtables: many tables, each spanning
 * about the whole key range, as a random fill makes them), closed again. */
static kv_status fill_shuffled(const char *dir, int n) {
    char k[32], v[FILL_VALUE];
    kv_db *db;
    int *order = malloc((size_t)n * sizeof *order);
    if (order == NULL) return kv_error(KV_IO_ERROR, "out of memory");
    uint64_t st = 7;
    for (int i = 0; i < n; i++) order[i] = i;
    for (int i = n - 1; i > 0; i--) { /* Fisher-Yates */
        int j = (int)(suite_rand(&st) % (uint64_t)(i + 1)), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    suite_rmrf(dir);
    kv_status s = suite_open(dir, TEST_OPTS, NULL, &db);
    for (int i = 0; i < n && s.code == KV_OK; i++)
        s = kv_put(db, fill_key(k, order[i]), fill_value(v, order[i], 0));
    kv_status c = db ? kv_close(db) : kv_ok();
    free(order);
    return s.code != KV_OK ? s : c;
}

/* bytes_read of 50 gets of existing keys, in a reopened store of `keys`
 * filled in a shuffled order (fill_shuffled). */
static int get_bytes(int keys, uint64_t *bytes, char *fig, size_t n) {
    char d[512], name[32], k[32];
    kv_db *db;
    kv_buf v = {0};
    snprintf(name, sizeof name, "get%d", keys);
    TRY(fill_shuffled(suite_path(d, sizeof d, name), keys));
    TRY(suite_open(d, TEST_OPTS, NULL, &db));
    uint64_t st = 42, before = suite_stat(db, "bytes_read");
    for (int i = 0; i < 50; i++) {
        kv_status s = kv_get(
            db, fill_key(k, (int)(suite_rand(&st) % (uint64_t)keys)), &v);
        if (s.code != KV_OK) {
            kv_close(db);
            kv_buf_free(&v);
            TRY(s);
        }
    }
    *bytes = suite_stat(db, "bytes_read") - before;
    kv_buf_free(&v);
    TRY(kv_close(db));
    return 0;
}

/* 50 gets in a reopened store of 4000 keys read under twice the bytes they
 * read at 1000 keys (or none at all: a get answered from memory is O(1)).
 * With the stage's small test memtables, 4000 keys make four times the
 * tables 1000 do, so a stage that reads a block in every table whose range
 * holds the key fails, as a stage that scans its log does. */
static int measure_get_o1(char *fig, size_t n) {
    uint64_t small, large;
    if (get_bytes(1000, &small, fig, n) < 0 ||
        get_bytes(4000, &large, fig, n) < 0)
        return -2;
    snprintf(fig, n, "bytes read per get: %llu at 1000 keys, %llu at 4000",
             (unsigned long long)small / 50, (unsigned long long)large / 50);
    return large == 0 || large < 2 * small;
}

/* Reopening 4000 keys reads under a quarter of the bytes on disk. */
static int measure_open_index(char *fig, size_t n) {
    char d[512];
    kv_db *db;
    TRY(fill(suite_path(d, sizeof d, "open"), 4000, NULL));
    uint64_t total = suite_dir_bytes(d);
    TRY(suite_open(d, NULL, NULL, &db));
    uint64_t read = suite_stat(db, "bytes_read");
    TRY(kv_close(db));
    snprintf(fig, n, "open read %llu of %llu bytes on disk",
             (unsigned long long)read, (unsigned long long)total);
    return read < total / 4;
}

/* The index_bytes stat of 4000 16-byte keys is under 8 bytes a key;
 * "-" when the stage has no such stat. */
static int measure_index_memory(char *fig, size_t n) {
    char d[512];
    kv_db *db;
    TRY(fill(suite_path(d, sizeof d, "index"), 4000, NULL));
    TRY(suite_open(d, NULL, NULL, &db));
    uint64_t bytes = suite_stat(db, "index_bytes");
    TRY(kv_close(db));
    if (bytes == UINT64_MAX) {
        snprintf(fig, n, "no index_bytes stat");
        return -1;
    }
    snprintf(fig, n,
             "index_bytes %llu for 4000 keys of 16 bytes (%.1f per key)",
             (unsigned long long)bytes, (double)bytes / 4000);
    return bytes < 4000 * 16 / 2;
}

/* 200 gets of keys never put (db_bench's readmissing: "%016d.") make
 * under 0.05 read calls each. */
static int measure_missing_key(char *fig, size_t n) {
    char d[512], k[32];
    kv_db *db;
    kv_buf v = {0};
    TRY(fill(suite_path(d, sizeof d, "missing"), 4000, NULL));
    TRY(suite_open(d, NULL, NULL, &db));
    uint64_t st = 7, before = suite_stat(db, "reads");
    kv_status s = kv_ok();
    for (int i = 0; i < 200 && s.code == KV_OK; i++) {
        snprintf(k, sizeof k, "%016d.", (int)(suite_rand(&st) % 4000));
        s = kv_get(db, kv_str(k), &v);
        if (s.code == KV_NOT_FOUND)
            s = kv_ok();
        else if (s.code == KV_OK)
            s = kv_error(KV_CORRUPTION, "%s: found, but it was never put", k);
    }
    uint64_t reads = suite_stat(db, "reads") - before;
    kv_buf_free(&v);
    kv_status c = kv_close(db);
    TRY(s);
    TRY(c);
    snprintf(fig, n, "%.3f reads per missing-key get", (double)reads / 200);
    return reads * 20 < 200; /* reads / 200 < 0.05 */
}

/* --- range_scan, kill9, power_loss, disk_bounded, no_wait ---------------- */

/* After 300 random puts and deletes, 20 random ranges scan exactly as
 * the model says; a stage without an iterator fails. */
static int measure_range_scan(char *fig, size_t n) {
    char d[512];
    kv_db *db;
    suite_model m;
    TRY(suite_open(suite_path(d, sizeof d, "scan"), NULL, NULL, &db));
    suite_model_init(&m, 100, 99);
    uint64_t st = 5;
    kv_status s = kv_ok();
    for (int i = 0; i < 300 && s.code == KV_OK; i++) {
        size_t k = suite_rand(&st) % m.n;
        kv_slice key = {m.keys[k].data, m.keys[k].size};
        char val[16];
        snprintf(val, sizeof val, "v%d", i);
        m.live[k] = suite_rand(&st) % 100 < 70;
        kv_buf_set(&m.values[k], val, strlen(val));
        s = m.live[k] ? kv_put(db, key, kv_str(val)) : kv_delete(db, key);
    }
    int ok = s.code == KV_OK ? 1 : -2;
    if (ok < 0) snprintf(fig, n, "%s", s.msg);
    for (int i = 0; i < 20 && ok == 1; i++) {
        size_t lo = suite_rand(&st) % m.n;
        size_t hi = lo + suite_rand(&st) % (m.n - lo + 1);
        ok = suite_model_scan(db, &m, lo, hi, fig, n);
    }
    if (ok == -1)
        snprintf(fig, n, "kv_iter_new: not supported");
    else if (ok == 1)
        snprintf(fig, n, "20 of 20 range scans exact");
    suite_model_free(&m);
    kv_close(db);
    return ok == -1 ? 0 : ok;
}

/* suite_kill9 with the stage's default options, 3 rounds. */
static int measure_kill9(char *fig, size_t n) {
    char d[512];
    int r = suite_kill9(suite_path(d, sizeof d, "kill9"), NULL, 3, test_seed(),
                        fig, n);
    if (r == 1) snprintf(fig, n, "3 rounds: no acknowledged write lost");
    return r == -1 ? -2 : r;
}

/* 200 puts under durable_options, then a simulated power loss. */
static int measure_power_loss(char *fig, size_t n) {
    char d[512], k[32], v[FILL_VALUE];
    kv_db *db;
    kv_buf got = {0};
    io_env *env = io_env_new_faulty();
    kv_status s = suite_open(suite_path(d, sizeof d, "power"),
                             kv_stage_expect.durable_options, env, &db);
    for (int i = 0; i < 200 && s.code == KV_OK; i++)
        s = kv_put(db, fill_key(k, i), fill_value(v, i, 0));
    io_fault_crash(env);
    if (db) kv_close(db); /* its error is expected: the env has crashed */
    kv_status p = io_fault_power_loss(env);
    io_env_free(env);
    TRY(s);
    TRY(p);
    s = suite_open(d, kv_stage_expect.durable_options, NULL, &db);
    if (s.code != KV_OK) {
        snprintf(fig, n, "reopen after power loss: %s", s.msg);
        return 0;
    }
    int lost = 0;
    for (int i = 0; i < 200; i++) {
        kv_slice want = fill_value(v, i, 0);
        s = kv_get(db, fill_key(k, i), &got);
        lost += s.code != KV_OK || got.size != want.size ||
                memcmp(got.data, want.data, want.size) != 0;
    }
    kv_buf_free(&got);
    kv_close(db);
    snprintf(fig, n, "%d of 200 acknowledged puts lost", lost);
    return lost == 0;
}

/* 100 keys overwritten 50 times, then deleted, closed and reopened: the
 * directory stays within 4x the live data plus 64 KiB. */
static int measure_disk_bounded(char *fig, size_t n) {
    char d[512], k[32], v[FILL_VALUE];
    kv_db *db;
    TRY(suite_open(suite_path(d, sizeof d, "disk"), TEST_OPTS, NULL, &db));
    kv_status s = kv_ok();
    for (int round = 0; round < 50 && s.code == KV_OK; round++)
        for (int i = 0; i < 100 && s.code == KV_OK; i++)
            s = kv_put(db, fill_key(k, i), fill_value(v, i, round));
    for (int i = 0; i < 100 && s.code == KV_OK; i++)
        s = kv_delete(db, fill_key(k, i));
    kv_status c = kv_close(db);
    TRY(s);
    TRY(c);
    TRY(suite_open(d, TEST_OPTS, NULL, &db));
    TRY(kv_close(db));
    uint64_t bytes = suite_dir_bytes(d), bound = 4 * 100 * (16 + 100) + 65536;
    snprintf(fig, n,
             "%llu bytes on disk after 5000 puts and 100 deletes (bound %llu)",
             (unsigned long long)bytes, (unsigned long long)bound);
    return bytes <= bound;
}

/*
 * "A get never waits for a running compaction". A store with a few tables
 * in level 0 (60 puts under the stage's few_tables_options: in stages 5
 * to 7, memtable_bytes=4096, two flushes and a third at close, below any
 * level-0 trigger); one thread runs kv_compact, and the I/O layer holds
 * that compaction at its first write of a table (table_tmp_suffix,
 * io_fault_hold); while it is held, another thread gets a key. The row
 * holds when the get completes while the compaction is still held. A
 * stage whose calls share one lock (stage 5) cannot: its get waits until
 * the compaction is let go. The wait for the get is bounded (NW_WAIT_MS):
 * a liveness bound, not a timing measurement. A get that can run takes
 * microseconds; one that waits never completes while the hold lasts.
 */
#define NW_PUTS    60
#define NW_WAIT_MS 3000

typedef struct nw_call {
    kv_db *db;
    kv_status s;
    int done;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} nw_call;

static void *nw_compact(void *arg) {
    nw_call *c = arg;
    c->s = kv_compact(c->db);
    return NULL;
}

static void *nw_get(void *arg) {
    nw_call *c = arg;
    char k[32];
    kv_buf v = {0};
    kv_status s = kv_get(c->db, fill_key(k, 7), &v);
    kv_buf_free(&v);
    pthread_mutex_lock(&c->mu);
    c->s = s;
    c->done = 1;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

/* Waits up to ms for c->done; returns it. */
static int nw_wait(nw_call *c, int ms) {
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ms / 1000;
    pthread_mutex_lock(&c->mu);
    while (!c->done && pthread_cond_timedwait(&c->cv, &c->mu, &until) == 0) {}
    int done = c->done;
    pthread_mutex_unlock(&c->mu);
    return done;
}

static int measure_no_wait(char *fig, size_t n) {
    const kv_option *small = kv_stage_expect.few_tables_options;
    const char *tmp = kv_stage_expect.table_tmp_suffix;
    char d[512], k[32], v[FILL_VALUE];
    if (tmp == NULL) {
        snprintf(fig, n, "the stage names no table_tmp_suffix");
        return -2;
    }
    kv_db *db = NULL;
    io_env *env = io_env_new_faulty();
    suite_path(d, sizeof d, "nowait");
    kv_status s = suite_open(d, small, env, &db);
    for (int i = 0; i < NW_PUTS && s.code == KV_OK; i++)
        s = kv_put(db, fill_key(k, i), fill_value(v, i, 0));
    if (db) kv_close(db);
    if (s.code == KV_OK) s = suite_open(d, small, env, &db);
    if (s.code != KV_OK) {
        io_env_free(env);
        snprintf(fig, n, "%s", s.msg);
        return -2;
    }
    nw_call comp = {.db = db}, get = {.db = db};
    pthread_mutex_init(&get.mu, NULL);
    pthread_cond_init(&get.cv, NULL);
    pthread_t tc, tg;
    io_fault_hold(env, IO_OP_WRITE, 1, tmp);
    pthread_create(&tc, NULL, nw_compact, &comp);
    int held = io_fault_wait_held(env, 10000), done = 0;
    if (held) {
        pthread_create(&tg, NULL, nw_get, &get);
        done = nw_wait(&get, NW_WAIT_MS);
    }
    io_fault_release(env);
    pthread_join(tc, NULL);
    if (held) pthread_join(tg, NULL);
    kv_close(db);
    io_env_free(env);
    pthread_cond_destroy(&get.cv);
    pthread_mutex_destroy(&get.mu);
    if (!held) {
        snprintf(fig, n, "no compaction wrote a table (kv_compact: %s)",
                 comp.s.code == KV_OK ? "OK" : comp.s.msg);
        return -2;
    }
    if (get.s.code != KV_OK) {
        snprintf(fig, n, "the get failed: %s", get.s.msg);
        return -2;
    }
    snprintf(fig, n,
             done ? "a get completed while a compaction was held mid-write"
                  : "a get waited %d ms for a compaction held mid-write, "
                    "and completed only once it was let go",
             NW_WAIT_MS);
    return done;
}

/* --- corruption, torn_tail (their work is in suite_crash.c) --------------- */

/* suite_corruption, with the stage's test options. */
static int measure_corruption(char *fig, size_t n) {
    char d[512];
    int r = suite_corruption(suite_path(d, sizeof d, "corrupt"), fig, n);
    return r == -1 ? -2 : r;
}

/* suite_torn_tail on the stage's log files; "-" when it has none. */
static int measure_torn_tail(char *fig, size_t n) {
    char d[512];
    if (kv_stage_expect.log_suffix == NULL) {
        snprintf(fig, n, "no log (log_suffix is NULL)");
        return -1;
    }
    int r = suite_torn_tail(suite_path(d, sizeof d, "torn"),
                            kv_stage_expect.log_suffix, fig, n);
    return r == -1 ? -2 : r;
}

/* --- one_process ------------------------------------------------------- */

/*
 * "A second process on the same store is refused". A child process opens
 * a new store, puts one key and holds the store open; meanwhile the
 * parent's open must fail at once, saying the store is in use. Once the
 * child has closed the store and exited, the parent's open succeeds and
 * finds the child's key. Two pipes order the steps; nothing waits on time.
 */
static void op_child(const char *dir, int ready, int go) {
    kv_db *db;
    char c = 'n';
    kv_status s = suite_open(dir, NULL, NULL, &db);
    if (s.code == KV_OK) s = kv_put(db, kv_str("k"), kv_str("child"));
    if (s.code == KV_OK) c = 'y';
    if (write(ready, &c, 1) != 1 || read(go, &c, 1) != 1) _exit(5);
    _exit(kv_close(db).code == KV_OK ? 0 : 4);
}

/* The parent's open beside the child's: 1 refused as "in use", else 0. */
static int op_refused(const char *dir, char *fig, size_t n) {
    kv_db *db;
    kv_status s = suite_open(dir, NULL, NULL, &db);
    if (s.code == KV_OK) {
        kv_close(db);
        snprintf(fig, n,
                 "a second open while a child process held the "
                 "store succeeded");
        return 0;
    }
    snprintf(fig, n, "a second open was refused (%s)", s.msg);
    return strstr(s.msg, "in use") != NULL;
}

static int measure_one_process(char *fig, size_t n) {
    char d[512], c = 0;
    int ready[2], go[2], status = 0;
    suite_rmrf(suite_path(d, sizeof d, "oneproc"));
    if (pipe(ready) != 0 || pipe(go) != 0) {
        snprintf(fig, n, "pipe: %s", strerror(errno));
        return -2;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) op_child(d, ready[1], go[0]);
    close(ready[1]);
    close(go[0]);
    int held = pid > 0 && read(ready[0], &c, 1) == 1 && c == 'y';
    int refused = held ? op_refused(d, fig, n) : 0;
    if (pid > 0 && write(go[1], "x", 1) != 1) kill(pid, SIGKILL);
    close(ready[0]);
    close(go[1]);
    if (pid > 0) waitpid(pid, &status, 0);
    if (!held || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(fig, n, "the child could not hold the store (exit %d)",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        return -2;
    }
    kv_db *db;
    kv_buf v = {0};
    kv_status s = suite_open(d, NULL, NULL, &db);
    if (s.code == KV_OK) s = kv_get(db, kv_str("k"), &v);
    int found = s.code == KV_OK && suite_same(&v, kv_str("child"));
    kv_buf_free(&v);
    if (db) kv_close(db);
    size_t len = strlen(fig);
    snprintf(fig + len, n - len, "; after the child exited: %s",
             found ? "opened, its key there" : s.msg);
    return refused && found;
}

/* --- the tests --------------------------------------------------------------
 */

static void test_row_get_o1(void) { run_row(ROW_GET_O1, measure_get_o1); }
static void test_row_open_index(void) {
    run_row(ROW_OPEN_INDEX, measure_open_index);
}
static void test_row_index_memory(void) {
    run_row(ROW_INDEX_MEMORY, measure_index_memory);
}
static void test_row_range_scan(void) {
    run_row(ROW_RANGE_SCAN, measure_range_scan);
}
static void test_row_kill9(void) { run_row(ROW_KILL9, measure_kill9); }
static void test_row_power_loss(void) {
    run_row(ROW_POWER_LOSS, measure_power_loss);
}
static void test_row_disk_bounded(void) {
    run_row(ROW_DISK_BOUNDED, measure_disk_bounded);
}
static void test_row_missing_key(void) {
    run_row(ROW_MISSING_KEY, measure_missing_key);
}
static void test_row_no_wait(void) { run_row(ROW_NO_WAIT, measure_no_wait); }
static void test_row_corruption(void) {
    run_row(ROW_CORRUPTION, measure_corruption);
}
static void test_row_torn_tail(void) {
    run_row(ROW_TORN_TAIL, measure_torn_tail);
}

static void test_row_one_process(void) {
    run_row(ROW_ONE_PROCESS, measure_one_process);
}

static const char *expect_word(expect e) {
    return e == EXPECT_OK ? "ok" : e == EXPECT_FAIL ? "x" : "-";
}

static const char *measured_word(const row_result *r) {
    if (!r->done) return "?";
    return r->measured == 1    ? "ok"
           : r->measured == 0  ? "x"
           : r->measured == -1 ? "-"
                               : "?";
}

/* Writes the stage's rows to $KV_SCOREBOARD (see the top of the file). */
static void test_scoreboard_write(void) {
    const char *path = getenv("KV_SCOREBOARD");
    if (path == NULL || path[0] == '\0') {
        test_skip("KV_SCOREBOARD is not set");
        return;
    }
    FILE *f = fopen(path, "w");
    CHECKF(f != NULL, "cannot write %s", path);
    for (int row = 0; row < ROW_COUNT; row++) {
        const row_result *r = &results[row];
        fprintf(f, "%s %s %s %s\n", scoreboard_row_id(row),
                expect_word(kv_stage_expect.rows[row]), measured_word(r),
                r->done ? r->figure : "not run");
    }
    CHECKF(fclose(f) == 0, "cannot write %s", path);
}

TEST_TABLE(scoreboard, TEST(test_row_get_o1), TEST(test_row_open_index),
           TEST(test_row_index_memory), TEST(test_row_range_scan),
           TEST(test_row_kill9), TEST(test_row_power_loss),
           TEST(test_row_disk_bounded), TEST(test_row_missing_key),
           TEST(test_row_no_wait), TEST(test_row_corruption),
           TEST(test_row_torn_tail), TEST(test_row_one_process),
           TEST(test_scoreboard_write))
