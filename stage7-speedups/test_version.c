/*
 * test_version.c - the live set by level (version.h): adds and removes
 * keep each level sorted and refuse what would break it, the compaction
 * choice (the L0 trigger at 4 tables, size triggers, the highest score,
 * round robin within a level), overlap queries, the tombstone rule
 * (key_may_exist_below) and the order a get searches tables in, checked
 * against a brute-force model.
 */
#include <stdlib.h>
#include <string.h>

#include "testing.h"
#include "version.h"

/* Adds table number to level with range [lo, hi]; returns add's status. */
static kv_status add(version *v, int level, uint64_t number, uint64_t size,
                     const char *lo, const char *hi) {
    table_meta m;
    table_meta_set(&m, number, size, 10, kv_str(lo), kv_str(hi));
    kv_status s = version_add(v, level, &m);
    table_meta_free(&m);
    return s;
}

/* The numbers of tables[0..n), as "1 2 3", in buf. */
static const char *numbers(table_meta **t, size_t n, char *buf, size_t cap) {
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(buf);
        snprintf(buf + len, cap - len, "%s%llu", i ? " " : "",
                 (unsigned long long)t[i]->number);
    }
    return buf;
}

static void test_add_keeps_levels_sorted(void) {
    version *v = version_new();
    CHECK_OK(add(v, 0, 7, 1, "a", "z"));
    CHECK_OK(add(v, 0, 3, 1, "b", "c"));
    CHECK_OK(add(v, 0, 5, 1, "a", "b"));
    CHECK(v->tables[0][0].number == 3 && v->tables[0][2].number == 7);
    CHECK_OK(add(v, 1, 10, 1, "m", "p"));
    CHECK_OK(add(v, 1, 11, 1, "a", "c"));
    CHECK_OK(add(v, 1, 12, 1, "d", "d"));
    CHECK(v->tables[1][0].number == 11 && v->tables[1][1].number == 12);
    CHECK(v->tables[1][2].number == 10);
    /* overlaps at either edge, duplicates, inverted ranges, bad levels */
    CHECK_CODE(add(v, 1, 13, 1, "c", "cc"), KV_INVALID_ARGUMENT);
    CHECK_CODE(add(v, 1, 13, 1, "e", "m"), KV_INVALID_ARGUMENT);
    CHECK_CODE(add(v, 1, 13, 1, "0", "z"), KV_INVALID_ARGUMENT);
    CHECK_CODE(add(v, 2, 5, 1, "x", "y"), KV_INVALID_ARGUMENT);
    CHECK_CODE(add(v, 2, 13, 1, "y", "x"), KV_INVALID_ARGUMENT);
    CHECK_CODE(add(v, VERSION_LEVELS, 13, 1, "x", "y"), KV_INVALID_ARGUMENT);
    CHECK(version_level_tables(v, 1) == 3 && version_level_tables(v, 2) == 0);
    CHECK_OK(add(v, 1, 13, 1, "e", "l"));
    CHECK(version_level_bytes(v, 1) == 4);
    CHECK_CODE(version_remove(v, 1, 5), KV_INVALID_ARGUMENT);
    CHECK_OK(version_remove(v, 1, 12));
    CHECK(version_level_tables(v, 1) == 3 && v->tables[1][1].number == 13);
    version_free(v);
}

static void test_apply_removes_then_adds(void) {
    version *v = version_new();
    CHECK_OK(add(v, 1, 1, 1, "a", "f"));
    CHECK_OK(add(v, 1, 2, 1, "g", "k"));
    version_edit e;
    version_edit_init(&e);
    table_meta m;
    table_meta_set(&m, 3, 100, 5, kv_str("a"), kv_str("k")); /* the merge */
    version_edit_add(&e, 2, &m);
    table_meta_free(&m);
    table_meta_set(&m, 1, 1, 5, kv_str("a"), kv_str("f")); /* a move down */
    version_edit_add(&e, 3, &m);
    table_meta_free(&m);
    version_edit_remove(&e, 1, 1);
    version_edit_remove(&e, 1, 2);
    CHECK_OK(version_apply(v, &e));
    CHECK(version_level_tables(v, 1) == 0);
    CHECK(version_level_tables(v, 2) == 1 && v->tables[2][0].number == 3);
    CHECK(version_level_tables(v, 3) == 1 && v->tables[3][0].number == 1);
    CHECK_CODE(version_apply(v, &e), KV_INVALID_ARGUMENT); /* removed twice */
    version_edit_free(&e);
    version_free(v);
}

static void test_pick_l0_trigger(void) {
    version *v = version_new();
    version_pick p;
    char buf[128];
    CHECK_OK(add(v, 1, 20, 1, "a", "b"));
    CHECK_OK(add(v, 1, 21, 1, "c", "e"));
    CHECK_OK(add(v, 1, 22, 1, "k", "m"));
    CHECK_OK(add(v, 1, 23, 1, "x", "z"));
    CHECK_OK(add(v, 0, 1, 1, "d", "f"));
    CHECK_OK(add(v, 0, 2, 1, "g", "h"));
    CHECK_OK(add(v, 0, 3, 1, "d", "k"));
    CHECK(version_pick_compaction(v, &p) == 0 && p.n[0] == 0);
    version_pick_free(&p);
    CHECK_OK(add(v, 0, 4, 1, "e", "e"));
    CHECK(version_pick_compaction(v, &p) == 1);
    CHECK(p.level == 0);
    CHECK(strcmp(numbers(p.inputs[0], p.n[0], buf, sizeof buf), "1 2 3 4") ==
          0);
    /* [d, k] meets 21 at "d..e" and 22 at "k", not 20 or 23 */
    CHECKF(strcmp(numbers(p.inputs[1], p.n[1], buf, sizeof buf), "21 22") == 0,
           "L1 inputs: %s", buf);
    version_pick_free(&p);
    v->l0_trigger = 8; /* a parameter: 4 of 8 is a score of 0.5 */
    CHECK(version_pick_compaction(v, &p) == 0);
    version_pick_free(&p);
    version_free(v);
}

static void test_pick_size_trigger_round_robin(void) {
    version *v = version_new();
    v->level1_max_bytes = 100; /* so L2 may hold 1000 */
    version_pick p;
    char buf[128];
    CHECK_OK(add(v, 1, 1, 40, "a", "c"));
    CHECK_OK(add(v, 1, 2, 40, "d", "f"));
    CHECK_OK(add(v, 2, 10, 10, "b", "e"));
    CHECK_OK(add(v, 2, 11, 10, "f", "g"));
    CHECK(version_pick_compaction(v, &p) == 0); /* 80 of 100 */
    version_pick_free(&p);
    CHECK_OK(add(v, 1, 3, 40, "g", "i"));
    const char *want[] = {"1", "2", "3", "1"}; /* then wraps around */
    const char *below[] = {"10", "10 11", "11", "10"};
    for (int round = 0; round < 4; round++) {
        CHECK(version_pick_compaction(v, &p) == 1 && p.level == 1);
        CHECKF(strcmp(numbers(p.inputs[0], p.n[0], buf, sizeof buf),
                      want[round]) == 0,
               "round %d picked %s", round, buf);
        CHECKF(strcmp(numbers(p.inputs[1], p.n[1], buf, sizeof buf),
                      below[round]) == 0,
               "round %d overlaps %s", round, buf);
        version_pick_free(&p);
    }
    version_free(v);
}

static void test_pick_highest_score(void) {
    version *v = version_new();
    v->level1_max_bytes = 100;
    version_pick p;
    for (int i = 1; i <= 4; i++) CHECK_OK(add(v, 0, (uint64_t)i, 1, "a", "b"));
    CHECK_OK(add(v, 1, 5, 150, "a", "b")); /* score 1.5 beats L0's 1.0 */
    CHECK(version_pick_compaction(v, &p) == 1 && p.level == 1);
    version_pick_free(&p);
    CHECK_OK(add(v, 2, 6, 2500, "a", "b")); /* 2500 / 1000: 2.5 */
    CHECK(version_pick_compaction(v, &p) == 1 && p.level == 2);
    CHECK(p.n[0] == 1 && p.n[1] == 0);
    version_pick_free(&p);
    CHECK_OK(add(v, 6, 7, 1ull << 40, "a", "b")); /* the last: never */
    CHECK(version_pick_compaction(v, &p) == 1 && p.level == 2);
    version_pick_free(&p);
    CHECK(version_max_bytes(v, 3) == 10000);
    version_free(v);
}

static void test_overlapping_and_below(void) {
    version *v = version_new();
    table_meta **t;
    char buf[128];
    CHECK_OK(add(v, 2, 1, 1, "b", "d"));
    CHECK_OK(add(v, 2, 2, 1, "f", "h"));
    CHECK_OK(add(v, 3, 3, 1, "k", "m"));
    size_t n = version_overlapping(v, 2, kv_str("d"), kv_str("f"), &t);
    CHECK(strcmp(numbers(t, n, buf, sizeof buf), "1 2") == 0);
    free(t);
    n = version_overlapping(v, 2, kv_str("da"), kv_str("e"), &t);
    CHECK(n == 0 && t == NULL);
    n = version_overlapping(v, 2, kv_str("a"), kv_str("b"), &t);
    CHECK(strcmp(numbers(t, n, buf, sizeof buf), "1") == 0);
    free(t);
    CHECK(version_key_may_exist_below(v, 1, kv_str("c")));
    CHECK(!version_key_may_exist_below(v, 2, kv_str("c")));
    CHECK(version_key_may_exist_below(v, 2, kv_str("k")));
    CHECK(version_key_may_exist_below(v, 2, kv_str("m")));
    CHECK(!version_key_may_exist_below(v, 2, kv_str("ma")));
    CHECK(!version_key_may_exist_below(v, 1, kv_str("e")));
    CHECK(!version_key_may_exist_below(v, 0, kv_str("a")));
    CHECK(!version_key_may_exist_below(v, 3, kv_str("l")));
    version_free(v);
}

/* The search order for key, by brute force: L0 newest first, then each
 * deeper level's covering table. */
static size_t model_lookup(const version *v, const char *key, uint64_t *out) {
    size_t n = 0;
    kv_slice k = kv_str(key);
    for (int l = 0; l < VERSION_LEVELS; l++)
        for (size_t j = v->count[l]; j-- > 0;) {
            const table_meta *m = &v->tables[l][j];
            if (kv_compare(table_meta_smallest(m), k) <= 0 &&
                kv_compare(table_meta_largest(m), k) >= 0)
                out[n++] = m->number;
        }
    return n;
}

static void test_lookup_order(void) {
    version *v = version_new();
    CHECK_OK(add(v, 0, 30, 1, "c", "p"));
    CHECK_OK(add(v, 0, 31, 1, "a", "e"));
    CHECK_OK(add(v, 0, 32, 1, "m", "z"));
    char lo[8], hi[8];
    uint64_t number = 100;
    for (int l = 1; l < VERSION_LEVELS; l++) /* ranges of l + 1 letters */
        for (char c = 'a'; c + l <= 'z'; c = (char)(c + l + 2)) {
            snprintf(lo, sizeof lo, "%c", c);
            snprintf(hi, sizeof hi, "%c%c", (char)(c + l), 'x');
            CHECK_OK(add(v, l, number++, 1, lo, hi));
        }
    for (char c = '0'; c <= '~'; c++) {
        char key[3] = {c, 0, 0};
        for (int twice = 0; twice < 2; twice++, key[1] = 'y') {
            uint64_t want[64];
            size_t nwant = model_lookup(v, key, want);
            table_meta **t;
            size_t n = version_lookup(v, kv_str(key), &t);
            CHECKF(n == nwant, "key %s: %zu tables, want %zu", key, n, nwant);
            for (size_t i = 0; i < n; i++)
                CHECKF(t[i]->number == want[i], "key %s: table %zu", key, i);
            free(t);
        }
    }
    table_meta **t;
    size_t n = version_lookup(v, kv_str("e"), &t); /* 31, 30, then levels */
    CHECK(n >= 2 && t[0]->number == 31 && t[1]->number == 30);
    free(t);
    version_free(v);
}

TEST_TABLE(version, TEST(test_add_keeps_levels_sorted),
           TEST(test_apply_removes_then_adds), TEST(test_pick_l0_trigger),
           TEST(test_pick_size_trigger_round_robin),
           TEST(test_pick_highest_score), TEST(test_overlapping_and_below),
           TEST(test_lookup_order))
