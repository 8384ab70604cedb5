/*
 * suite_model.c - the model-based test (table `model`): random operations
 * checked against suite_model, an in-memory store (suite.c).
 *
 * The test runs 3000 random puts, deletes and gets over 300 binary keys
 * for each of three seeds (test_seed() + 0..2), closing and reopening
 * every 250 operations and then comparing every key, and when the stage
 * scans, ten random ranges, with the model. A failure prints the seed and
 * the operation number: KV_TEST_SEED=<seed> replays it.
 */
#include "suite.h"
#include "testing.h"

#define TEST_OPTS (kv_stage_expect.test_options)
/* Opens dir with the stage's test options; the test fails if it cannot. */
#define OPEN(dir, db) CHECK_OK(suite_open((dir), TEST_OPTS, NULL, &(db)))

/* 3000 random operations against the model; see the top of the file. */
static void model_run(uint64_t seed) {
    char d[512], name[64], why[400], val[300];
    kv_db *db = NULL;
    kv_buf v = {0};
    suite_model m;
    suite_model_init(&m, 300, seed);
    snprintf(name, sizeof name, "db-%llu", (unsigned long long)seed);
    OPEN(suite_path(d, sizeof d, name), db);
    uint64_t st = seed * 7919 + 1;
    for (int op = 0; op < 3000; op++) {
        unsigned r = (unsigned)(suite_rand(&st) % 100);
        size_t k = suite_rand(&st) % m.n;
        kv_slice key = {m.keys[k].data, m.keys[k].size};
        kv_status s;
        if (r < 55) {
            size_t len = suite_rand(&st) % (sizeof val + 1);
            for (size_t i = 0; i < len; i++) val[i] = (char)suite_rand(&st);
            s = kv_put(db, key, (kv_slice){val, len});
            kv_buf_set(&m.values[k], val, len);
            m.live[k] = 1;
        } else if (r < 70) {
            s = kv_delete(db, key);
            m.live[k] = 0;
        } else {
            s = kv_get(db, key, &v);
            if (s.code == (m.live[k] ? KV_OK : KV_NOT_FOUND)) s = kv_ok();
            CHECKF(s.code != KV_OK || !m.live[k] ||
                       suite_same(
                           &v, (kv_slice){m.values[k].data, m.values[k].size}),
                   "seed %llu op %d: get returned a wrong value",
                   (unsigned long long)seed, op);
        }
        CHECKF(s.code == KV_OK, "seed %llu op %d: %s: %s",
               (unsigned long long)seed, op, kv_code_name(s.code), s.msg);
        if ((op + 1) % 250 != 0) continue;
        CHECK_OK(kv_close(db));
        OPEN(d, db);
        CHECKF(suite_model_check(db, &m, why, sizeof why),
               "seed %llu after op %d: %s", (unsigned long long)seed, op, why);
        for (int i = 0; i < 10; i++) {
            size_t lo = suite_rand(&st) % m.n;
            size_t hi = lo + suite_rand(&st) % (m.n - lo + 1);
            int ok = suite_model_scan(db, &m, lo, hi, why, sizeof why);
            if (ok < 0) break;
            CHECKF(ok, "seed %llu after op %d: %s", (unsigned long long)seed,
                   op, why);
        }
    }
    CHECK_OK(kv_close(db));
    suite_model_free(&m);
    kv_buf_free(&v);
}

static void test_model(void) {
    for (unsigned i = 0; i < 3 && !test_failed(); i++)
        model_run((uint64_t)test_seed() + i);
}

TEST_TABLE(model, TEST(test_model))
