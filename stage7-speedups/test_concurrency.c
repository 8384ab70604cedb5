/*
 * test_concurrency.c - stage 6's threads (engine.c, bg.c, view.c): many
 * callers at once, readers that never wait, and stalls that are counted.
 *
 *   - a stress test: writers, readers and a scanner run together while
 *     tiny memtables and tables make flushes and compactions constant;
 *     every answer must be a value written for that key, never older than
 *     one acknowledged before the read began or than one the same thread
 *     saw before, and the final store matches the model (before and after
 *     a reopen);
 *   - a compaction held in the middle of writing a table (io_fault_hold):
 *     gets and puts complete meanwhile;
 *   - a flush held the same way: the writer fills the memtable and the
 *     immutable one, then stalls, the stall is counted in stats, and gets
 *     still complete.
 * No timing assertion: the holds make the orderings exact. Waits for
 * another thread are bounded (10 s), so a bug fails instead of hanging.
 *
 * Values are "<key>@<version>:" plus filler, the version increasing per
 * key, so a reader can tell which write it saw.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kv.h"
#include "suite.h"
#include "testing.h"

#define KEYS      64
#define WRITERS   2
#define READERS   2
#define PUTS      1500 /* per writer */
#define WAIT_MS   10000
#define VALUE_LEN 80

static kv_slice key_of(char *buf, int k) {
    snprintf(buf, 16, "key%03d", k);
    return kv_str(buf);
}

/* Key k's value at version: "key007@42:" plus filler. */
static kv_slice value_of(char *buf, int k, long version) {
    int n = snprintf(buf, VALUE_LEN + 1, "key%03d@%ld:", k, version);
    for (int j = n; j < VALUE_LEN; j++) buf[j] = (char)('a' + (k + j) % 26);
    return (kv_slice){buf, VALUE_LEN};
}

/* The version in a value of key k, or -1 when it is not one of k's. */
static long version_of(const char *data, size_t size, int k) {
    char want[16], text[32];
    int n = snprintf(want, sizeof want, "key%03d@", k);
    if (size != VALUE_LEN || memcmp(data, want, (size_t)n) != 0) return -1;
    memcpy(text, data + n, 16);
    text[16] = '\0';
    return strtol(text, NULL, 10);
}

/* --- the stress test ------------------------------------------------------ */

typedef struct stress {
    kv_db *db;
    _Atomic long started[KEYS]; /* the newest version a put began */
    _Atomic long acked[KEYS];   /* the newest version a put returned */
    _Atomic int writers_left;
    _Atomic int failed;
    char why[256]; /* the first failure, written by whoever set failed */
} stress;

typedef struct worker {
    stress *st;
    int id;
} worker;

/* Records the first failure. */
static void fail(stress *st, const char *fmt, long a, long b, long c) {
    int expected = 0;
    if (atomic_compare_exchange_strong(&st->failed, &expected, 1))
        snprintf(st->why, sizeof st->why, fmt, a, b, c);
}

/* Writer id owns the keys k with k % WRITERS == id, so each key's versions
 * come from one thread and increase. */
static void *writer_main(void *arg) {
    worker *w = arg;
    stress *st = w->st;
    char k[16], v[VALUE_LEN + 1];
    uint64_t rng = 1000 + (uint64_t)w->id;
    for (int i = 0; i < PUTS && !atomic_load(&st->failed); i++) {
        int key = (int)(suite_rand(&rng) % (KEYS / WRITERS)) * WRITERS + w->id;
        long version = atomic_load(&st->started[key]) + 1;
        atomic_store(&st->started[key], version);
        kv_status s = kv_put(st->db, key_of(k, key), value_of(v, key, version));
        if (s.code != KV_OK) fail(st, "put key %ld: error %ld", key, s.code, 0);
        atomic_store(&st->acked[key], version);
    }
    atomic_fetch_sub(&st->writers_left, 1);
    return NULL;
}

/* Checks one answer for key: a version of key, between what was acked
 * before the read began (floor) and what had begun after it (ceiling). */
static void check_answer(stress *st, int key, kv_status s, const kv_buf *b,
                         long floor, long seen) {
    if (s.code == KV_NOT_FOUND) {
        if (floor > 0)
            fail(st, "key %ld: not found, but %ld was acked", key, floor, 0);
        return;
    }
    if (s.code != KV_OK) {
        fail(st, "key %ld: error %ld", key, s.code, 0);
        return;
    }
    long version = version_of(b->data, b->size, key);
    long ceiling = atomic_load(&st->started[key]);
    if (version < 0 || version > ceiling)
        fail(st, "key %ld: version %ld was never written (%ld begun)", key,
             version, ceiling);
    else if (version < floor || version < seen)
        fail(st, "key %ld: version %ld, older than %ld", key, version,
             floor > seen ? floor : seen);
}

static void *reader_main(void *arg) {
    worker *w = arg;
    stress *st = w->st;
    long seen[KEYS] = {0}; /* the newest version this thread saw */
    char k[16];
    kv_buf b = {0};
    uint64_t rng = 2000 + (uint64_t)w->id;
    while (atomic_load(&st->writers_left) > 0 && !atomic_load(&st->failed)) {
        int key = (int)(suite_rand(&rng) % KEYS);
        long floor = atomic_load(&st->acked[key]);
        kv_status s = kv_get(st->db, key_of(k, key), &b);
        check_answer(st, key, s, &b, floor, seen[key]);
        if (s.code == KV_OK) {
            long version = version_of(b.data, b.size, key);
            if (version > seen[key]) seen[key] = version;
        }
    }
    kv_buf_free(&b);
    return NULL;
}

/* One full scan: keys increase, and every key is checked as a get is. */
static void scan_once(stress *st) {
    long floor[KEYS];
    for (int i = 0; i < KEYS; i++) floor[i] = atomic_load(&st->acked[i]);
    kv_iter *it;
    kv_iter_new(st->db, &it); /* cannot fail in this stage */
    int next = 0;
    kv_buf b = {0};
    for (kv_iter_seek(it, kv_str("")); kv_iter_valid(it); kv_iter_next(it)) {
        kv_slice key = kv_iter_key(it), value = kv_iter_value(it);
        char text[16];
        snprintf(text, sizeof text, "%.*s", (int)key.size, key.data);
        int k = atoi(text + 3);
        if (k < next || k >= KEYS) {
            fail(st, "scan: key %ld after key %ld", k, next - 1, 0);
            break;
        }
        for (; next < k; next++)
            if (floor[next] > 0)
                fail(st, "scan: key %ld missing (%ld acked)", next, floor[next],
                     0);
        kv_buf_set(&b, value.data, value.size);
        check_answer(st, k, kv_ok(), &b, floor[k], 0);
        next = k + 1;
    }
    for (; next < KEYS; next++)
        if (floor[next] > 0)
            fail(st, "scan: key %ld missing (%ld acked)", next, floor[next], 0);
    kv_status s = kv_iter_status(it);
    if (s.code != KV_OK) fail(st, "scan: error %ld", s.code, 0, 0);
    kv_iter_free(it);
    kv_buf_free(&b);
}

/* Scans, and now and then asks for a full compaction. */
static void *scanner_main(void *arg) {
    stress *st = arg;
    for (int i = 0;
         atomic_load(&st->writers_left) > 0 && !atomic_load(&st->failed); i++) {
        scan_once(st);
        if (i % 8 == 7) {
            kv_status s = kv_compact(st->db);
            if (s.code != KV_OK)
                fail(st, "kv_compact: error %ld", s.code, 0, 0);
        }
    }
    return NULL;
}

/* Every key holds its last acked version. */
static int final_state(kv_db *db, stress *st, char *why, size_t n) {
    char k[16];
    kv_buf b = {0};
    int ok = 1;
    for (int i = 0; i < KEYS && ok; i++) {
        long want = atomic_load(&st->acked[i]);
        kv_status s = kv_get(db, key_of(k, i), &b);
        long got = s.code == KV_OK ? version_of(b.data, b.size, i) : 0;
        ok = got == want && (s.code == KV_OK || want == 0);
        if (!ok)
            snprintf(why, n, "key %d: version %ld, want %ld", i, got, want);
    }
    kv_buf_free(&b);
    return ok;
}

static void test_stress(void) {
    static const kv_option opts[] = {
        {"memtable_bytes", "1024"}, {"table_bytes", "1024"},
        {"level1_bytes", "4096"},   {"l0_trigger", "2"},
        {"bloom_bits", "10"},       {NULL, NULL}};
    static stress st; /* big: not on the stack */
    char d[512], why[256];
    memset(&st, 0, sizeof st);
    CHECK_OK(suite_open(suite_path(d, sizeof d, "db"), opts, NULL, &st.db));
    atomic_store(&st.writers_left, WRITERS);
    pthread_t t[WRITERS + READERS + 1];
    worker w[WRITERS + READERS];
    for (int i = 0; i < WRITERS + READERS; i++) {
        w[i] = (worker){&st, i < WRITERS ? i : i - WRITERS};
        pthread_create(&t[i], NULL, i < WRITERS ? writer_main : reader_main,
                       &w[i]);
    }
    pthread_create(&t[WRITERS + READERS], NULL, scanner_main, &st);
    for (int i = 0; i <= WRITERS + READERS; i++) pthread_join(t[i], NULL);
    int ok =
        !atomic_load(&st.failed) && final_state(st.db, &st, why, sizeof why);
    uint64_t flushes = suite_stat(st.db, "flushes");
    uint64_t compactions = suite_stat(st.db, "compactions");
    kv_status c = kv_close(st.db);
    CHECKF(!atomic_load(&st.failed), "%s", st.why);
    CHECKF(ok, "%s", why);
    CHECK_OK(c);
    CHECKF(flushes > 20 && compactions > 5, "%llu flushes, %llu compactions",
           (unsigned long long)flushes, (unsigned long long)compactions);
    CHECK_OK(suite_open(d, opts, NULL, &st.db));
    ok = final_state(st.db, &st, why, sizeof why);
    kv_close(st.db);
    CHECKF(ok, "after reopen: %s", why);
}

/* --- a held compaction, a held flush ------------------------------------- */

/* A call run in a thread, and whether it has returned. */
typedef struct call {
    kv_db *db;
    int what; /* 0: kv_compact; 1: gets and puts; 2: puts until done */
    kv_status s;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int done;
} call;

/* What == 1: get key 0 (it holds version 1), put key 1000, get it back. */
static kv_status gets_and_puts(kv_db *db) {
    char k[16], v[VALUE_LEN + 1];
    kv_buf b = {0};
    kv_status s = kv_get(db, key_of(k, 0), &b);
    if (s.code == KV_OK && version_of(b.data, b.size, 0) != 1)
        s = kv_error(KV_CORRUPTION, "key 0: wrong value");
    if (s.code == KV_OK) s = kv_put(db, key_of(k, 1000), value_of(v, 1000, 7));
    if (s.code == KV_OK) s = kv_get(db, key_of(k, 1000), &b);
    if (s.code == KV_OK && version_of(b.data, b.size, 1000) != 7)
        s = kv_error(KV_CORRUPTION, "key 1000: wrong value");
    kv_buf_free(&b);
    return s;
}

static void *call_main(void *arg) {
    call *c = arg;
    char k[16], v[VALUE_LEN + 1];
    if (c->what == 0) c->s = kv_compact(c->db);
    if (c->what == 1) c->s = gets_and_puts(c->db);
    for (int i = 0; c->what == 2 && i < 100 && c->s.code == KV_OK; i++)
        c->s = kv_put(c->db, key_of(k, i), value_of(v, i, 2));
    pthread_mutex_lock(&c->mu);
    c->done = 1;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

static void call_start(call *c, kv_db *db, int what, pthread_t *t) {
    memset(c, 0, sizeof *c);
    c->db = db;
    c->what = what;
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    pthread_create(t, NULL, call_main, c);
}

/* 1 once the call has returned, 0 if it has not within WAIT_MS. */
static int call_wait(call *c) {
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += WAIT_MS / 1000;
    pthread_mutex_lock(&c->mu);
    while (!c->done)
        if (pthread_cond_timedwait(&c->cv, &c->mu, &until) != 0) break;
    int done = c->done;
    pthread_mutex_unlock(&c->mu);
    return done;
}

/* 1 once the call has returned (no wait). */
static int call_done(call *c) {
    pthread_mutex_lock(&c->mu);
    int done = c->done;
    pthread_mutex_unlock(&c->mu);
    return done;
}

static void call_end(call *c, pthread_t t) {
    pthread_join(t, NULL);
    pthread_cond_destroy(&c->cv);
    pthread_mutex_destroy(&c->mu);
}

/* A store of 200 keys at version 1, in L0, reopened (its memtable empty). */
static kv_status base_store(const char *d, const kv_option *opts, io_env *env,
                            kv_db **db) {
    char k[16], v[VALUE_LEN + 1];
    kv_status s = suite_open(d, opts, env, db);
    for (int i = 0; i < 200 && s.code == KV_OK; i++)
        s = kv_put(*db, key_of(k, i), value_of(v, i, 1));
    kv_status c = *db ? kv_close(*db) : kv_ok();
    *db = NULL;
    if (s.code == KV_OK) s = c;
    if (s.code == KV_OK) s = suite_open(d, opts, env, db);
    return s;
}

/* kv_compact held at its first table write: a get of an old key, a put
 * and a get of the new key complete meanwhile, and the compaction is still
 * held after them (no compaction counted yet). */
static void test_held_compaction(void) {
    static const kv_option opts[] = {
        {"memtable_bytes", "4096"}, {"l0_trigger", "100"}, {NULL, NULL}};
    char d[512];
    kv_db *db;
    io_env *env = io_env_new_faulty();
    CHECK_OK(base_store(suite_path(d, sizeof d, "db"), opts, env, &db));
    call comp, rw;
    pthread_t tc, trw;
    io_fault_hold(env, IO_OP_WRITE, 1, ".sst.tmp");
    call_start(&comp, db, 0, &tc);
    int held = io_fault_wait_held(env, WAIT_MS), done = 0, still = 0;
    uint64_t compactions = 0;
    if (held) {
        call_start(&rw, db, 1, &trw);
        done = call_wait(&rw);
        still = io_fault_wait_held(env, 0) && !call_done(&comp);
        compactions = suite_stat(db, "compactions");
    }
    io_fault_release(env);
    call_end(&comp, tc);
    if (held) call_end(&rw, trw);
    uint64_t after = suite_stat(db, "compactions");
    kv_status c = kv_close(db);
    io_env_free(env);
    CHECKF(held, "kv_compact wrote no table");
    CHECKF(done, "the gets and puts waited for the held compaction");
    CHECK_OK(rw.s);
    CHECK(still && compactions == 0);
    CHECK_OK(comp.s);
    CHECK(after >= 1);
    CHECK_OK(c);
}

/* The background flush held at its table write: a writer fills the
 * memtable and the immutable one and stalls (counted in stats, the writer
 * not done), a get completes meanwhile; once released, every put lands. */
static void test_stall_counted(void) {
    static const kv_option opts[] = {{"memtable_bytes", "1024"}, {NULL, NULL}};
    char d[512], k[16];
    kv_db *db;
    kv_buf b = {0};
    io_env *env = io_env_new_faulty();
    CHECK_OK(base_store(suite_path(d, sizeof d, "db"), opts, env, &db));
    call w;
    pthread_t tw;
    io_fault_hold(env, IO_OP_WRITE, 1, ".sst.tmp");
    call_start(&w, db, 2, &tw); /* 100 puts of 80 bytes: 8 memtables */
    int held = io_fault_wait_held(env, WAIT_MS);
    uint64_t stalls = 0;
    for (int i = 0; held && i < WAIT_MS && stalls == 0; i++) {
        stalls = suite_stat(db, "stalls");
        if (stalls == 0) usleep(1000);
    }
    int writer_done = call_done(&w);
    kv_status g = kv_get(db, key_of(k, 150), &b); /* in a table: version 1 */
    long got = g.code == KV_OK ? version_of(b.data, b.size, 150) : -1;
    io_fault_release(env);
    call_end(&w, tw);
    kv_status g2 = kv_get(db, key_of(k, 99), &b); /* the writer's last put */
    long last = g2.code == KV_OK ? version_of(b.data, b.size, 99) : -1;
    uint64_t total = suite_stat(db, "stalls");
    kv_buf_free(&b);
    kv_status c = kv_close(db);
    io_env_free(env);
    CHECKF(held, "no flush wrote a table");
    CHECKF(stalls >= 1, "the writer never stalled");
    CHECK(!writer_done);
    CHECK(got == 1);
    CHECK_OK(w.s);
    CHECK(last == 2);
    CHECK(total >= stalls);
    CHECK_OK(c);
}

TEST_TABLE(concurrency, TEST(test_stress), TEST(test_held_compaction),
           TEST(test_stall_counted));
