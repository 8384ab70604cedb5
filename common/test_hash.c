/*
 * test_hash.c - hash64: determinism, seeds, every byte and the length
 * matter, alignment does not, and a crude check that bits are well mixed.
 * The statistical bounds are loose enough that a good hash never trips them
 * (the inputs are fixed, so the results never change from run to run).
 */
#include <stdint.h>

#include "hash.h"
#include "testing.h"

static void test_hash_deterministic(void) {
    CHECK(hash64("hello", 5, 0) == hash64("hello", 5, 0));
    char a[32], b[40];
    for (int i = 0; i < 32; i++) a[i] = (char)(i * 7);
    /* The same bytes at another alignment hash the same. */
    for (int off = 0; off < 8; off++) {
        memcpy(b + off, a, sizeof a);
        CHECKF(hash64(b + off, sizeof a, 9) == hash64(a, sizeof a, 9),
               "offset %d", off);
    }
    CHECK(hash64(NULL, 0, 1) == hash64("", 0, 1));
}

static void test_hash_seed_and_length(void) {
    CHECK(hash64("hello", 5, 0) != hash64("hello", 5, 1));
    CHECK(hash64("", 0, 0) != hash64("", 0, 1));
    CHECK(hash64("a", 1, 0) != hash64("a\0", 2, 0));
    CHECK(hash64("", 0, 0) != hash64("\0", 1, 0));
    CHECK(hash64("abcdefgh", 8, 0) != hash64("abcdefgh\0", 9, 0));
    CHECK(hash64("hello", 5, 0) != hash64("hellp", 5, 0));
}

/* Every byte position of a 20-byte key matters. */
static void test_hash_every_byte(void) {
    char key[20];
    memset(key, 'k', sizeof key);
    uint64_t base = hash64(key, sizeof key, 0);
    for (size_t i = 0; i < sizeof key; i++) {
        key[i] ^= 1;
        CHECKF(hash64(key, sizeof key, 0) != base, "byte %zu ignored", i);
        key[i] ^= 1;
    }
}

static int popcount64(uint64_t x) {
    int n = 0;
    for (; x; x &= x - 1) n++;
    return n;
}

/*
 * Avalanche: flipping one input bit flips about half the output bits. Over
 * all bit flips of 16 keys, the average must be within 28..36 of 64, and no
 * single output bit may flip less than 30% or more than 70% of the time.
 */
static void test_hash_avalanche(void) {
    enum { KEYS = 16, LEN = 12 };
    static int flips[64];
    long total = 0, trials = 0;
    memset(flips, 0, sizeof flips);
    for (int k = 0; k < KEYS; k++) {
        unsigned char key[LEN];
        for (int i = 0; i < LEN; i++) key[i] = (unsigned char)(k * 31 + i * 17);
        uint64_t h = hash64(key, LEN, 0);
        for (int bit = 0; bit < LEN * 8; bit++) {
            key[bit / 8] ^= (unsigned char)(1u << (bit % 8));
            uint64_t d = h ^ hash64(key, LEN, 0);
            key[bit / 8] ^= (unsigned char)(1u << (bit % 8));
            total += popcount64(d);
            trials++;
            for (int o = 0; o < 64; o++) flips[o] += (int)((d >> o) & 1);
        }
    }
    CHECKF(total >= 28 * trials && total <= 36 * trials,
           "average %.2f bits flipped", (double)total / (double)trials);
    for (int o = 0; o < 64; o++)
        CHECKF(flips[o] >= trials * 3 / 10 && flips[o] <= trials * 7 / 10,
               "output bit %d flipped %d of %ld times", o, flips[o], trials);
}

/*
 * Bucket spread: 64k sequential keys ("%016d", as the benchmark makes them)
 * into 1024 buckets by the low bits and by the high bits. Each bucket
 * expects 64; a fair hash keeps every one within 24..110.
 */
static void test_hash_bucket_spread(void) {
    enum { N = 65536, BUCKETS = 1024 };
    static int low[BUCKETS], high[BUCKETS];
    memset(low, 0, sizeof low);
    memset(high, 0, sizeof high);
    for (int i = 0; i < N; i++) {
        char key[32];
        int n = snprintf(key, sizeof key, "%016d", i);
        uint64_t h = hash64(key, (size_t)n, 0);
        low[h % BUCKETS]++;
        high[h >> 54]++;
    }
    for (int b = 0; b < BUCKETS; b++) {
        CHECKF(low[b] >= 24 && low[b] <= 110, "low bucket %d holds %d", b,
               low[b]);
        CHECKF(high[b] >= 24 && high[b] <= 110, "high bucket %d holds %d", b,
               high[b]);
    }
}

TEST_TABLE(hash, TEST(test_hash_deterministic), TEST(test_hash_seed_and_length),
           TEST(test_hash_every_byte), TEST(test_hash_avalanche),
           TEST(test_hash_bucket_spread))
