/*
 * test_merge.c - the merging iterator over small array-backed children.
 *
 * Each child is an `arr_iter`: a sorted array of (key, kind, value) that
 * can be told to fail at a given position, so the merge is tested alone,
 * without memtables or tables. Checked: the newest version of a key wins,
 * tombstones are yielded, a key held by ten children is yielded once,
 * empty children, seeks into the middle, a failing child, and a random
 * walk compared with a model. Stage 7's heap: a child failing while it is
 * moved past a tied key, and a step reads the key of the child it moved,
 * not every child's (the children count their key reads).
 */
#include <stdlib.h>
#include <string.h>

#include "merge.h"
#include "testing.h"

/* --- an iterator over a fixed array ------------------------------------- */

typedef struct entry {
    const char *key;
    int kind;
    const char *value;
} entry;

typedef struct arr_iter {
    iter base;
    entry *e; /* owned copy, sorted by key */
    size_t n, pos;
    size_t fail_at; /* reaching this position is an error; (size_t)-1: never */
} arr_iter;

static int arr_failed(const arr_iter *a) {
    return a->fail_at != (size_t)-1 && a->pos >= a->fail_at;
}
static void arr_seek(iter *it, kv_slice t) {
    arr_iter *a = (arr_iter *)it;
    for (a->pos = 0; a->pos < a->n; a->pos++)
        if (kv_compare(kv_str(a->e[a->pos].key), t) >= 0) break;
}
static void arr_next(iter *it) { ((arr_iter *)it)->pos++; }
static int arr_valid(const iter *it) {
    const arr_iter *a = (const arr_iter *)it;
    return a->pos < a->n && !arr_failed(a);
}
static size_t keys_read; /* arr_key calls, every child's */

static kv_slice arr_key(const iter *it) {
    const arr_iter *a = (const arr_iter *)it;
    keys_read++;
    return kv_str(a->e[a->pos].key);
}
static int arr_kind(const iter *it) {
    const arr_iter *a = (const arr_iter *)it;
    return a->e[a->pos].kind;
}
static kv_slice arr_value(const iter *it) {
    const arr_iter *a = (const arr_iter *)it;
    return kv_str(a->e[a->pos].value);
}
static kv_status arr_status(const iter *it) {
    if (arr_failed((const arr_iter *)it))
        return kv_error(KV_CORRUPTION, "child: bad entry");
    return kv_ok();
}
static void arr_free(iter *it) {
    free(((arr_iter *)it)->e);
    free(it);
}

static const iter_ops arr_ops = {arr_seek, arr_next,  arr_valid,  arr_key,
                                 arr_kind, arr_value, arr_status, arr_free};

/* A child over a copy of e[0..n), which must be sorted by key. */
static iter *arr_new(const entry *e, size_t n) {
    arr_iter *a = xcalloc(1, sizeof *a);
    a->base.ops = &arr_ops;
    a->e = xmalloc((n ? n : 1) * sizeof *e);
    if (n) memcpy(a->e, e, n * sizeof *e);
    a->n = n;
    a->fail_at = (size_t)-1;
    return &a->base;
}

#define P    ENTRY_PUT
#define D    ENTRY_DELETE
#define N(a) (sizeof(a) / sizeof(a)[0])

/* 1 when the merge's current entry is (key, kind, value). */
static int at(iter *m, const char *key, int kind, const char *value) {
    if (!iter_valid(m)) return 0;
    if (kv_compare(iter_key(m), kv_str(key)) != 0) return 0;
    if (iter_kind(m) != kind) return 0;
    return kind == D || kv_compare(iter_value(m), kv_str(value)) == 0;
}

/* --- the tests ----------------------------------------------------------- */

static void test_newest_wins(void) {
    entry newer[] = {{"b", P, "new"}, {"d", P, "d1"}};
    entry older[] = {{"a", P, "1"}, {"b", P, "old"}, {"c", P, "3"}};
    iter *c[] = {arr_new(newer, N(newer)), arr_new(older, N(older))};
    iter *m = merge_iter_new(c, 2);
    iter_seek(m, kv_str(""));
    CHECK(at(m, "a", P, "1"));
    iter_next(m);
    CHECK(at(m, "b", P, "new"));
    iter_next(m);
    CHECK(at(m, "c", P, "3"));
    iter_next(m);
    CHECK(at(m, "d", P, "d1"));
    iter_next(m);
    CHECK(!iter_valid(m));
    CHECK_OK(iter_status(m));
    iter_free(m);
}

static void test_tombstones_yielded(void) {
    entry newer[] = {{"b", D, ""}, {"c", P, "back"}};
    entry mid[] = {{"c", D, ""}};
    entry older[] = {{"a", P, "1"}, {"b", P, "old"}, {"c", P, "old"}};
    iter *c[] = {arr_new(newer, 2), arr_new(mid, 1), arr_new(older, 3)};
    iter *m = merge_iter_new(c, 3);
    iter_seek(m, kv_str("a"));
    CHECK(at(m, "a", P, "1"));
    iter_next(m);
    CHECK(at(m, "b", D, "")); /* the delete hides "old" */
    iter_next(m);
    CHECK(at(m, "c", P, "back")); /* a put after a delete */
    iter_next(m);
    CHECK(!iter_valid(m));
    iter_free(m);
}

/* Ten children all hold "k" (child i with value "i") and one key of their
 * own: "k" comes once, from child 0, then each child's own key. */
static void test_ten_children_same_key(void) {
    static const char *vals[] = {"0", "1", "2", "3", "4",
                                 "5", "6", "7", "8", "9"};
    static const char *own[] = {"m0", "m1", "m2", "m3", "m4",
                                "m5", "m6", "m7", "m8", "m9"};
    iter *c[10];
    for (int i = 0; i < 10; i++) {
        entry e[] = {{"a", P, vals[i]},
                     {"k", i % 3 ? P : D, vals[i]},
                     {own[i], P, vals[i]}};
        c[9 - i] = arr_new(e, 3); /* child 9 - i; child 0 has vals[9] */
    }
    iter *m = merge_iter_new(c, 10);
    iter_seek(m, kv_str(""));
    CHECK(at(m, "a", P, "9"));
    iter_next(m);
    CHECK(at(m, "k", D, "")); /* vals[9]: 9 % 3 == 0, a delete */
    iter_next(m);
    for (int i = 0; i < 10; i++) {
        CHECKF(at(m, own[i], P, vals[i]), "own key %d", i);
        iter_next(m);
    }
    CHECK(!iter_valid(m));
    iter_free(m);
}

static void test_empty_children(void) {
    iter *m = merge_iter_new(NULL, 0);
    iter_seek(m, kv_str(""));
    CHECK(!iter_valid(m));
    CHECK_OK(iter_status(m));
    iter_free(m);

    entry one[] = {{"x", P, "1"}};
    iter *c[] = {arr_new(NULL, 0), arr_new(one, 1), arr_new(NULL, 0)};
    m = merge_iter_new(c, 3);
    iter_seek(m, kv_str(""));
    CHECK(at(m, "x", P, "1"));
    iter_next(m);
    CHECK(!iter_valid(m));
    iter_free(m);
}

static void test_seek_middle(void) {
    entry a[] = {{"b", P, "b"}, {"f", P, "f"}, {"j", P, "j"}};
    entry b[] = {{"d", P, "d"}, {"f", P, "old"}, {"h", P, "h"}};
    iter *c[] = {arr_new(a, 3), arr_new(b, 3)};
    iter *m = merge_iter_new(c, 2);
    iter_seek(m, kv_str("e")); /* between keys */
    CHECK(at(m, "f", P, "f"));
    iter_next(m);
    CHECK(at(m, "h", P, "h"));
    iter_seek(m, kv_str("d")); /* exactly a key; backwards is fine */
    CHECK(at(m, "d", P, "d"));
    iter_seek(m, kv_str("z")); /* past the end */
    CHECK(!iter_valid(m));
    iter_seek(m, kv_str("j"));
    CHECK(at(m, "j", P, "j"));
    iter_next(m);
    CHECK(!iter_valid(m));
    iter_free(m);
}

/* A failing child ends the walk, and its error is the merge's status. */
static void test_child_error(void) {
    entry a[] = {{"a", P, "1"}, {"c", P, "3"}};
    entry b[] = {{"b", P, "2"}, {"d", P, "4"}};
    iter *c[] = {arr_new(a, 2), arr_new(b, 2)};
    ((arr_iter *)c[1])->fail_at = 1; /* after "b" */
    iter *m = merge_iter_new(c, 2);
    iter_seek(m, kv_str(""));
    CHECK(at(m, "a", P, "1"));
    iter_next(m);
    CHECK(at(m, "b", P, "2"));
    iter_next(m); /* child 1 fails: "c" must not be yielded */
    CHECK(!iter_valid(m));
    CHECK_CODE(iter_status(m), KV_CORRUPTION);
    iter_free(m);
}

/* Eight children hold "k" and "z"; child 5 fails moving past "k" (one of
 * the children tied below the heap's root): "z" must not be yielded. */
static void test_tied_child_fails(void) {
    entry e[] = {{"k", P, "v"}, {"z", P, "v"}};
    iter *c[8];
    for (int i = 0; i < 8; i++) c[i] = arr_new(e, 2);
    ((arr_iter *)c[5])->fail_at = 1;
    iter *m = merge_iter_new(c, 8);
    iter_seek(m, kv_str(""));
    CHECK(at(m, "k", P, "v"));
    iter_next(m);
    CHECK(!iter_valid(m));
    CHECK_CODE(iter_status(m), KV_CORRUPTION);
    iter_free(m);
}

/* Sixteen children: child 0 holds 200 keys, each other child one key past
 * them. A walk reads each child's key once a move (16 at the seek, then
 * one per step), where a linear merge reads all 16 at every step. */
static void test_step_reads_one_key(void) {
    static char big[200][16], own[15][16];
    entry e0[200];
    for (int i = 0; i < 200; i++) {
        snprintf(big[i], sizeof big[i], "a%03d", i);
        e0[i] = (entry){big[i], P, "v"};
    }
    iter *c[16];
    c[0] = arr_new(e0, 200);
    for (int i = 0; i < 15; i++) {
        snprintf(own[i], sizeof own[i], "b%02d", i);
        entry e = {own[i], P, "v"};
        c[i + 1] = arr_new(&e, 1);
    }
    iter *m = merge_iter_new(c, 16);
    keys_read = 0;
    size_t n = 0;
    for (iter_seek(m, kv_str("")); iter_valid(m); iter_next(m)) n++;
    CHECK(n == 215);
    CHECK_OK(iter_status(m));
    /* 16 at the seek, one for each move that left a child valid */
    CHECKF(keys_read <= 16 + n, "%zu keys read for %zu entries", keys_read, n);
    iter_free(m);
}

/* --- a random walk against a model ---------------------------------------- */

#define RKEYS     40
#define RCHILDREN 8

static const char *const rval[RCHILDREN] = {"0", "1", "2", "3",
                                            "4", "5", "6", "7"};

static const char *rkey(int k) {
    static char keys[RKEYS][8];
    snprintf(keys[k], sizeof keys[k], "k%02d", k);
    return keys[k];
}

/* Walks the merge from `start` and compares it with the model: newest[k]
 * is the child that decides key k (-1: none), kind[c][k] its kind. */
static int walk_matches(iter *m, int start, const int *newest,
                        int kind[][RKEYS], char *why, size_t n) {
    iter_seek(m, kv_str(rkey(start)));
    for (int k = start; k < RKEYS; k++) {
        if (newest[k] < 0) continue;
        int c = newest[k];
        if (!at(m, rkey(k), kind[c][k], rval[c])) {
            snprintf(why, n, "key %s: want child %d's %s", rkey(k), c,
                     kind[c][k] == P ? "put" : "delete");
            return 0;
        }
        iter_next(m);
    }
    if (iter_valid(m)) {
        snprintf(why, n, "extra entries after the last key");
        return 0;
    }
    return 1;
}

static void test_random_model(void) {
    uint64_t st = test_seed() * 2654435761u + 1;
    for (int round = 0; round < 50; round++) {
        int kind[RCHILDREN][RKEYS] = {{0}}, newest[RKEYS];
        iter *c[RCHILDREN];
        for (int ch = 0; ch < RCHILDREN; ch++) {
            entry e[RKEYS];
            size_t n = 0;
            int density = (int)((st = st * 6364136223846793005u + 1) >> 60);
            for (int k = 0; k < RKEYS; k++) {
                st = st * 6364136223846793005u + 1442695040888963407u;
                if ((int)((st >> 33) % 16) >= density) continue;
                kind[ch][k] = (st >> 20) % 4 == 0 ? D : P;
                e[n++] = (entry){rkey(k), kind[ch][k], rval[ch]};
            }
            c[ch] = arr_new(e, n);
        }
        for (int k = 0; k < RKEYS; k++) {
            newest[k] = -1;
            for (int ch = RCHILDREN - 1; ch >= 0; ch--)
                if (kind[ch][k]) newest[k] = ch;
        }
        iter *m = merge_iter_new(c, RCHILDREN);
        char why[128];
        int start = (int)((st >> 40) % RKEYS);
        int ok = walk_matches(m, 0, newest, kind, why, sizeof why) &&
                 walk_matches(m, start, newest, kind, why, sizeof why);
        iter_free(m);
        CHECKF(ok, "round %d: %s", round, why);
    }
}

TEST_TABLE(merge, TEST(test_newest_wins), TEST(test_tombstones_yielded),
           TEST(test_ten_children_same_key), TEST(test_empty_children),
           TEST(test_seek_middle), TEST(test_child_error),
           TEST(test_tied_child_fails), TEST(test_step_reads_one_key),
           TEST(test_random_model))
