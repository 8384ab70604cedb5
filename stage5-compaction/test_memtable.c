/*
 * test_memtable.c - unit tests for the skip-list memtable (memtable.h):
 * lookups, tombstones, byte order, the size it reports, and its iterator
 * against a sorted array as the model.
 */
#include <stdlib.h>
#include <string.h>

#include "memtable.h"
#include "testing.h"

static kv_slice sl(const char *s, size_t n) { return (kv_slice){s, n}; }

static int slice_eq(kv_slice a, const char *s) {
    return a.size == strlen(s) && memcmp(a.data, s, a.size) == 0;
}

static void test_put_get_replace_delete(void) {
    memtable *mt = memtable_new();
    kv_slice v;
    CHECK(memtable_get(mt, kv_str("a"), &v) == 0);
    memtable_put(mt, kv_str("a"), ENTRY_PUT, kv_str("one"));
    memtable_put(mt, kv_str("b"), ENTRY_PUT, kv_str("two"));
    CHECK(memtable_get(mt, kv_str("a"), &v) == ENTRY_PUT && slice_eq(v, "one"));
    memtable_put(mt, kv_str("a"), ENTRY_PUT, kv_str("uno"));
    CHECK(memtable_get(mt, kv_str("a"), &v) == ENTRY_PUT && slice_eq(v, "uno"));
    CHECK(memtable_count(mt) == 2);
    memtable_put(mt, kv_str("a"), ENTRY_DELETE, kv_str(""));
    CHECK(memtable_get(mt, kv_str("a"), &v) == ENTRY_DELETE && v.size == 0);
    memtable_put(mt, kv_str("c"), ENTRY_DELETE, kv_str(""));
    CHECK(memtable_get(mt, kv_str("c"), &v) == ENTRY_DELETE);
    CHECK(memtable_count(mt) == 3); /* tombstones are entries */
    memtable_put(mt, kv_str("a"), ENTRY_PUT, kv_str(""));
    CHECK(memtable_get(mt, kv_str("a"), &v) == ENTRY_PUT && v.size == 0);
    CHECK(memtable_get(mt, kv_str("b"), &v) == ENTRY_PUT && slice_eq(v, "two"));
    CHECK(memtable_get(mt, kv_str("bb"), &v) == 0);
    memtable_free(mt);
}

/* NUL bytes are key bytes, 0xff sorts last, a prefix sorts first. */
static void test_binary_keys(void) {
    memtable *mt = memtable_new();
    memtable_put(mt, sl("\xff", 1), ENTRY_PUT, sl("ff", 2));
    memtable_put(mt, sl("a\0b", 3), ENTRY_PUT, sl("v\0b", 3));
    memtable_put(mt, sl("a", 1), ENTRY_PUT, kv_str("a"));
    memtable_put(mt, sl("a\0", 2), ENTRY_PUT, kv_str("a0"));
    memtable_put(mt, sl("\x7f", 1), ENTRY_PUT, kv_str("7f"));
    memtable_put(mt, sl("\0", 1), ENTRY_PUT, kv_str("00"));
    kv_slice v;
    CHECK(memtable_get(mt, sl("a\0b", 3), &v) == ENTRY_PUT && v.size == 3 &&
          memcmp(v.data, "v\0b", 3) == 0);
    CHECK(memtable_get(mt, sl("a\0c", 3), &v) == 0);
    CHECK(memtable_count(mt) == 6);

    static const struct {
        const char *k;
        size_t n;
    } want[] = {{"\0", 1},   {"a", 1},    {"a\0", 2},
                {"a\0b", 3}, {"\x7f", 1}, {"\xff", 1}};
    iter *it = memtable_iter_new(mt);
    size_t i = 0;
    for (iter_seek(it, sl("", 0)); iter_valid(it); iter_next(it), i++) {
        CHECK(i < 6);
        kv_slice k = iter_key(it);
        CHECKF(k.size == want[i].n && memcmp(k.data, want[i].k, k.size) == 0,
               "entry %zu out of order", i);
    }
    CHECK(i == 6);
    iter_free(it);
    memtable_free(mt);
}

/* Every put, replace and tombstone costs at least its bytes. */
static void test_bytes_grow(void) {
    memtable *mt = memtable_new();
    size_t before = memtable_bytes(mt);
    CHECK(before > 0); /* the head node */
    char key[16], val[64];
    memset(val, 'v', sizeof val);
    for (int i = 0; i < 500; i++) {
        snprintf(key, sizeof key, "key%05d", i);
        size_t vlen = (size_t)(i % 64);
        memtable_put(mt, kv_str(key), ENTRY_PUT, sl(val, vlen));
        size_t now = memtable_bytes(mt);
        CHECKF(now >= before + strlen(key) + vlen, "put %d: %zu -> %zu", i,
               before, now);
        before = now;
    }
    for (int i = 0; i < 500; i++) {
        snprintf(key, sizeof key, "key%05d", i);
        memtable_put(mt, kv_str(key), i % 2 ? ENTRY_PUT : ENTRY_DELETE,
                     sl(val, i % 2 ? 40 : 0));
        size_t now = memtable_bytes(mt);
        CHECKF(now > before && now >= before + (i % 2 ? 40 : 0),
               "replace %d: %zu -> %zu", i, before, now);
        before = now;
    }
    CHECK(memtable_count(mt) == 500);
    memtable_free(mt);
}

/*
 * Thousands of random puts over a key space with repeats; the iterator must
 * walk exactly the distinct keys, in order, each with its last value.
 * Keys are "k" + decimal, whose byte order differs from numeric order, so
 * the model sorts by key bytes.
 */
static void test_iter_against_model(void) {
    enum { KEYS = 5000, PUTS = 20000 };
    static int last[KEYS]; /* last put's step + 1; 0: never put */
    static int order[KEYS];
    memset(last, 0, sizeof last);
    memtable *mt = memtable_new();
    unsigned seed = test_seed();
    srand(seed);
    char key[16], val[16];
    for (int step = 0; step < PUTS; step++) {
        int k = rand() % KEYS;
        snprintf(key, sizeof key, "k%d", k);
        snprintf(val, sizeof val, "v%d", step);
        memtable_put(mt, kv_str(key), ENTRY_PUT, kv_str(val));
        last[k] = step + 1;
    }
    /* The model: distinct keys sorted as strings ("k10" < "k9"). */
    char names[KEYS][16];
    size_t n = 0;
    for (int k = 0; k < KEYS; k++) {
        snprintf(names[k], sizeof names[k], "k%d", k);
        if (last[k]) order[n++] = k;
    }
    for (size_t i = 1; i < n; i++) { /* insertion sort by name */
        int x = order[i];
        size_t j = i;
        while (j > 0 && strcmp(names[order[j - 1]], names[x]) > 0) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = x;
    }
    CHECK(memtable_count(mt) == n);
    iter *it = memtable_iter_new(mt);
    size_t i = 0;
    for (iter_seek(it, sl("", 0)); iter_valid(it); iter_next(it), i++) {
        CHECKF(i < n, "seed %u: more than %zu entries", seed, n);
        snprintf(val, sizeof val, "v%d", last[order[i]] - 1);
        CHECKF(slice_eq(iter_key(it), names[order[i]]) &&
                   slice_eq(iter_value(it), val) && iter_kind(it) == ENTRY_PUT,
               "seed %u: entry %zu is not %s=%s", seed, i, names[order[i]],
               val);
        CHECK_OK(iter_status(it));
    }
    CHECKF(i == n, "seed %u: %zu entries, want %zu", seed, i, n);
    iter_free(it);
    memtable_free(mt);
}

/* Keys "b", "d", "f"; seek lands on the first key >= target. */
static void test_seek(void) {
    memtable *mt = memtable_new();
    memtable_put(mt, kv_str("d"), ENTRY_PUT, kv_str("4"));
    memtable_put(mt, kv_str("b"), ENTRY_PUT, kv_str("2"));
    memtable_put(mt, kv_str("f"), ENTRY_DELETE, kv_str(""));
    iter *it = memtable_iter_new(mt);
    CHECK(!iter_valid(it));     /* unpositioned until the first seek */
    iter_seek(it, kv_str("d")); /* an existing key */
    CHECK(iter_valid(it) && slice_eq(iter_key(it), "d") &&
          slice_eq(iter_value(it), "4"));
    iter_seek(it, kv_str("c")); /* a missing key */
    CHECK(iter_valid(it) && slice_eq(iter_key(it), "d"));
    iter_seek(it, kv_str("a")); /* before the first */
    CHECK(iter_valid(it) && slice_eq(iter_key(it), "b"));
    iter_seek(it, sl("", 0)); /* empty: the first */
    CHECK(iter_valid(it) && slice_eq(iter_key(it), "b"));
    iter_seek(it, kv_str("e")); /* lands on the tombstone */
    CHECK(iter_valid(it) && slice_eq(iter_key(it), "f") &&
          iter_kind(it) == ENTRY_DELETE && iter_value(it).size == 0);
    iter_next(it);
    CHECK(!iter_valid(it));
    iter_seek(it, kv_str("g")); /* after the last */
    CHECK(!iter_valid(it));
    CHECK_OK(iter_status(it));
    iter_free(it);

    memtable *empty = memtable_new();
    it = memtable_iter_new(empty);
    iter_seek(it, sl("", 0));
    CHECK(!iter_valid(it));
    iter_free(it);
    memtable_free(empty);
    memtable_free(mt);
}

/* Puts while an iterator stands on an entry: its key and entry stay
 * readable, and the walk goes on in order through whatever it meets. */
static void test_iter_survives_puts(void) {
    memtable *mt = memtable_new();
    char key[16];
    for (int i = 0; i < 100; i += 2) {
        snprintf(key, sizeof key, "k%03d", i);
        memtable_put(mt, kv_str(key), ENTRY_PUT, kv_str(key));
    }
    iter *it = memtable_iter_new(mt);
    iter_seek(it, kv_str("k050"));
    CHECK(iter_valid(it) && slice_eq(iter_key(it), "k050"));
    for (int i = 1; i < 100; i += 2) { /* interleave, enough for new blocks */
        snprintf(key, sizeof key, "k%03d", i);
        memtable_put(mt, kv_str(key), ENTRY_PUT, kv_str(key));
    }
    memtable_put(mt, kv_str("k050"), ENTRY_PUT, kv_str("new"));
    CHECK(slice_eq(iter_key(it), "k050"));
    /* the entry read when the iterator got there, until it moves */
    CHECK(slice_eq(iter_value(it), "k050") && iter_kind(it) == ENTRY_PUT);
    iter_seek(it, kv_str("k050"));
    CHECK(slice_eq(iter_value(it), "new")); /* the node's entry now */
    iter_next(it);
    CHECK(iter_valid(it) && slice_eq(iter_key(it), "k051"));
    int seen = 1;
    kv_slice prev = iter_key(it);
    for (iter_next(it); iter_valid(it); iter_next(it), seen++) {
        CHECK(kv_compare(prev, iter_key(it)) < 0);
        prev = iter_key(it);
    }
    CHECK(seen == 49); /* k051 .. k099 */
    iter_free(it);
    memtable_free(mt);
}

/* A 1 MiB value gets a block of its own and comes back intact. */
static void test_large_value(void) {
    enum { BIG = 1 << 20 };
    char *big = malloc(BIG);
    CHECK(big != NULL);
    for (size_t i = 0; i < BIG; i++) big[i] = (char)(i * 131 + 7);
    memtable *mt = memtable_new();
    memtable_put(mt, kv_str("small"), ENTRY_PUT, kv_str("x"));
    size_t before = memtable_bytes(mt);
    memtable_put(mt, kv_str("big"), ENTRY_PUT, sl(big, BIG));
    memtable_put(mt, kv_str("tiny"), ENTRY_PUT, kv_str("y"));
    CHECK(memtable_bytes(mt) >= before + BIG + 3);
    kv_slice v;
    int kind = memtable_get(mt, kv_str("big"), &v);
    int same =
        kind == ENTRY_PUT && v.size == BIG && memcmp(v.data, big, BIG) == 0;
    free(big);
    CHECK(same);
    CHECK(memtable_get(mt, kv_str("small"), &v) == ENTRY_PUT &&
          slice_eq(v, "x"));
    CHECK(memtable_get(mt, kv_str("tiny"), &v) == ENTRY_PUT &&
          slice_eq(v, "y"));
    memtable_free(mt);
}

TEST_TABLE(memtable, TEST(test_put_get_replace_delete), TEST(test_binary_keys),
           TEST(test_bytes_grow), TEST(test_iter_against_model),
           TEST(test_seek), TEST(test_iter_survives_puts),
           TEST(test_large_value))
