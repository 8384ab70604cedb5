/*
 * test_bloom.c - unit tests for the bloom filter (bloom.h): no false
 * negatives, a false-positive rate that matches the theory within a bound
 * derived below, the exact size and probe count, and the safe answer for a
 * malformed filter, and the hashed functions (bloom_build_hashed,
 * bloom_may_contain_hash) agreeing with the keyed ones.
 *
 * Keys are "%016llu" of consecutive numbers, as the benchmark's are: a
 * structured, realistic key set, which a weak hash would betray. The
 * numbers start at a base taken from test_seed(), so KV_TEST_SEED gives
 * fresh keys; absent keys are the numbers that follow the present ones.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bloom.h"
#include "testing.h"

#define KEY_LEN 16

/* n keys "%016llu" of base, base+1, ...: slices into one block of text.
 * The caller frees both *text and the returned array. */
static kv_slice *make_keys(unsigned long long base, size_t n, char **text) {
    *text = xmalloc(n * KEY_LEN + 1);
    kv_slice *keys = xmalloc((n ? n : 1) * sizeof *keys);
    for (size_t i = 0; i < n; i++) {
        char *p = *text + i * KEY_LEN;
        snprintf(p, KEY_LEN + 1, "%016llu", base + i);
        keys[i] = (kv_slice){p, KEY_LEN};
    }
    return keys;
}

static unsigned long long key_base(void) {
    return (unsigned long long)test_seed() * 1000003ull % 1000000000000ull;
}

/* Every key a filter was built from is found, at every density. */
static void test_no_false_negatives(void) {
    enum { N = 100000 };
    static const int bits[] = {1, 2, 5, 10, 16, 20};
    char *text;
    kv_slice *keys = make_keys(key_base(), N, &text);
    for (size_t b = 0; b < sizeof bits / sizeof bits[0]; b++) {
        kv_buf f = {0};
        bloom_build(&f, keys, N, bits[b]);
        kv_slice fs = {f.data, f.size};
        size_t missed = 0;
        for (size_t i = 0; i < N; i++)
            missed += !bloom_may_contain(fs, keys[i]);
        kv_buf_free(&f);
        CHECKF(missed == 0, "bits_per_key %d: %zu of %d keys missed", bits[b],
               missed, N);
    }
    free(keys);
    free(text);
}

/*
 * How far the measured rate may honestly stray from the theory p, for one
 * filter of m bits at b bits per key with k probes, probed with `absent`
 * keys. Two sources of spread, both computed, none tuned:
 *   - sampling: each absent key is a false positive with probability p, so
 *     the measured rate has variance p(1-p)/absent (binomial);
 *   - the filter: its fraction q of 1 bits varies around 1 - z, z =
 *     e^(-k/b), with variance at most z(1-z)/m (binomial; the true
 *     occupancy variance is smaller), and its rate is about q^k, so the
 *     relative spread of the rate is k * sqrt(z / (m (1-z))).
 * The tolerance is 5 standard deviations of the two together: under the
 * normal approximation a correct filter lands outside it about once in two
 * million runs. The theory's own approximations ((1-1/m)^(kn) taken as
 * e^(-k/b), two hashes instead of k) are off by O(k/m), well below this.
 */
static double fp_tolerance(double p, int b, int k, uint64_t m, size_t absent) {
    double z = exp(-(double)k / b);
    double rel = k * sqrt(z / ((double)m * (1.0 - z)));
    double var = p * (1.0 - p) / (double)absent + (p * rel) * (p * rel);
    return 5.0 * sqrt(var);
}

/* The measured false-positive rate over 100,000 absent keys matches
 * (1 - e^(-k/b))^k within fp_tolerance, on both sides. */
static void test_false_positive_rate(void) {
    enum { N = 100000, ABSENT = 100000 };
    static const int bits[] = {1, 2, 5, 10, 16};
    unsigned long long base = key_base();
    char *text, *absent_text;
    kv_slice *keys = make_keys(base, N, &text);
    kv_slice *absent = make_keys(base + N, ABSENT, &absent_text);
    for (size_t b = 0; b < sizeof bits / sizeof bits[0]; b++) {
        kv_buf f = {0};
        bloom_build(&f, keys, N, bits[b]);
        kv_slice fs = {f.data, f.size};
        int k = (unsigned char)f.data[f.size - 1];
        uint64_t m = (uint64_t)(f.size - 1) * 8;
        size_t hits = 0;
        for (size_t i = 0; i < ABSENT; i++)
            hits += bloom_may_contain(fs, absent[i]);
        kv_buf_free(&f);
        double measured = (double)hits / ABSENT;
        double p = bloom_theory(bits[b], k);
        double tol = fp_tolerance(p, bits[b], k, m, ABSENT);
        CHECKF(fabs(measured - p) <= tol,
               "bits_per_key %d k %d: measured %.6f, theory %.6f +- %.6f",
               bits[b], k, measured, p, tol);
    }
    free(keys);
    free(text);
    free(absent);
    free(absent_text);
}

/* The filter of no keys is 64 zero bits and k, and rejects every key. */
static void test_empty_set(void) {
    kv_buf f = {0};
    bloom_build(&f, NULL, 0, 10);
    CHECK(f.size == BLOOM_MIN_BITS / 8 + 1);
    CHECK(f.data[f.size - 1] == bloom_k(10));
    kv_slice fs = {f.data, f.size};
    CHECK(!bloom_may_contain(fs, kv_str("a")));
    CHECK(!bloom_may_contain(fs, kv_str("0000000000000042")));
    CHECK(!bloom_may_contain(fs, (kv_slice){"", 0}));
    kv_buf_free(&f);
}

/*
 * A malformed filter answers 1 for a key it would otherwise reject: the
 * control, an all-zero filter with a valid k, answers 0, so each 1 below is
 * the malformed-filter rule at work, not an accident of the bits.
 */
static void test_malformed_answers_yes(void) {
    kv_slice key = kv_str("absent");
    unsigned char f[9] = {0};
    f[8] = 7;
    CHECK(!bloom_may_contain((kv_slice){(char *)f, 9}, key)); /* control */
    static const char small[2] = {0, 7}; /* 8 bits, k = 7 */
    CHECK(!bloom_may_contain((kv_slice){small, 2}, key));

    CHECK(bloom_may_contain((kv_slice){NULL, 0}, key));      /* nothing */
    CHECK(bloom_may_contain((kv_slice){(char *)f, 1}, key)); /* k only */
    static const int bad_k[] = {0, BLOOM_MAX_PROBES + 1, 200, 255};
    for (size_t i = 0; i < sizeof bad_k / sizeof bad_k[0]; i++) {
        f[8] = (unsigned char)bad_k[i];
        CHECKF(bloom_may_contain((kv_slice){(char *)f, 9}, key), "k = %d",
               bad_k[i]);
    }
}

/* The size is max(64, n * bits) rounded up to whole bytes, plus the k
 * byte, appended after whatever the buffer held. */
static void test_size(void) {
    static const struct {
        size_t n;
        int bits;
        size_t want; /* bytes, k included */
    } cases[] = {
        {0, 10, 9},     {1, 10, 9},   {6, 10, 9},     {7, 10, 10},
        {100, 10, 126}, {101, 5, 65}, {1000, 1, 126}, {1000, 16, 2001},
        {1000, 0, 126}, /* bits below 1 count as 1 */
    };
    char *text;
    kv_slice *keys = make_keys(key_base(), 1000, &text);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        kv_buf f = {0};
        kv_buf_set(&f, "prefix", 6);
        bloom_build(&f, keys, cases[c].n, cases[c].bits);
        int ok =
            f.size == 6 + cases[c].want && memcmp(f.data, "prefix", 6) == 0;
        size_t got = f.size;
        kv_buf_free(&f);
        CHECKF(ok, "n %zu bits %d: %zu bytes, want %zu after the prefix",
               cases[c].n, cases[c].bits, got - 6, cases[c].want);
    }
    free(keys);
    free(text);
}

/* k = round(b ln 2), clamped to [1, 30], and it is the byte stored. */
static void test_probe_count(void) {
    static const int want[][2] = {
        {-3, 1}, {0, 1},   {1, 1},   {2, 1},   {3, 2},   {4, 3},    {5, 3},
        {10, 7}, {16, 11}, {20, 14}, {43, 30}, {44, 30}, {1000, 30}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        CHECKF(bloom_k(want[i][0]) == want[i][1], "bloom_k(%d) = %d, want %d",
               want[i][0], bloom_k(want[i][0]), want[i][1]);
        kv_buf f = {0};
        bloom_build(&f, NULL, 0, want[i][0]);
        int stored = (unsigned char)f.data[f.size - 1];
        kv_buf_free(&f);
        CHECK(stored == want[i][1]);
    }
}

/*
 * In a 64-bit filter the odd stride visits all 64 bits before repeating,
 * so one key sets exactly k distinct bits. An even stride would set fewer
 * for about one key in eight; 1000 keys would show it.
 */
static void test_one_key_sets_k_bits(void) {
    char *text;
    kv_slice *keys = make_keys(key_base(), 1000, &text);
    for (size_t i = 0; i < 1000; i++) {
        kv_buf f = {0};
        bloom_build(&f, &keys[i], 1, 20); /* 64 bits */
        int set = 0;
        for (size_t j = 0; j + 1 < f.size; j++)
            for (int bit = 0; bit < 8; bit++)
                set += ((unsigned char)f.data[j] >> bit) & 1;
        kv_buf_free(&f);
        CHECKF(set == bloom_k(20), "key %zu set %d bits, want %d", i, set,
               bloom_k(20));
    }
    free(keys);
    free(text);
}

/* Keys are bytes: NUL inside, different lengths, the empty key. */
static void test_binary_keys(void) {
    kv_slice keys[] = {{"a\0b", 3}, {"a", 1}, {"", 0}, {"\xff\xff", 2}};
    kv_buf f = {0};
    bloom_build(&f, keys, 4, 10);
    kv_slice fs = {f.data, f.size};
    for (size_t i = 0; i < 4; i++) CHECK(bloom_may_contain(fs, keys[i]));
    kv_buf_free(&f);
}

/* The filter built from bloom_hash values is the filter built from the
 * keys, byte for byte, and both probes answer alike for present and absent
 * keys: a table builder that keeps hashes writes what bloom_build would. */
static void test_hashed_agrees(void) {
    enum { N = 5000 };
    char *text;
    kv_slice *keys = make_keys(key_base(), 2 * N, &text);
    uint64_t *hashes = xmalloc(N * sizeof *hashes);
    for (size_t i = 0; i < N; i++) hashes[i] = bloom_hash(keys[i]);
    kv_buf a = {0}, b = {0};
    bloom_build(&a, keys, N, 10);
    bloom_build_hashed(&b, hashes, N, 10);
    int same = a.size == b.size && memcmp(a.data, b.data, a.size) == 0;
    size_t differ = 0, missed = 0;
    kv_slice fs = {b.data, b.size};
    for (size_t i = 0; i < 2 * N; i++) {
        int by_hash = bloom_may_contain_hash(fs, bloom_hash(keys[i]));
        differ += by_hash != bloom_may_contain(fs, keys[i]);
        missed += i < N && !by_hash;
    }
    kv_buf_free(&a);
    kv_buf_free(&b);
    free(hashes);
    free(keys);
    free(text);
    CHECK(same);
    CHECKF(differ == 0 && missed == 0, "%zu answers differ, %zu missed", differ,
           missed);
}

/* The formula at known points; with the chosen k, more bits always help. */
static void test_theory(void) {
    CHECK(fabs(bloom_theory(1, 1) - (1.0 - exp(-1.0))) < 1e-12);
    CHECK(fabs(bloom_theory(10, 7) - 0.0081936) < 1e-6);
    CHECK(bloom_theory(0, 3) == 1.0 && bloom_theory(10, 0) == 1.0);
    double prev = 1.0;
    for (int b = 1; b <= 20; b++) {
        double f = bloom_theory(b, bloom_k(b));
        CHECKF(f < prev, "bits_per_key %d: %g not below %g", b, f, prev);
        prev = f;
    }
}

TEST_TABLE(bloom, TEST(test_no_false_negatives), TEST(test_false_positive_rate),
           TEST(test_empty_set), TEST(test_malformed_answers_yes),
           TEST(test_size), TEST(test_probe_count),
           TEST(test_one_key_sets_k_bits), TEST(test_binary_keys),
           TEST(test_hashed_agrees), TEST(test_theory))
