/*
 * bloom.c - building and probing bloom filters; see bloom.h for the format,
 * the maths of the false-positive rate, and why two hashes suffice.
 *
 * The builder and the reader share one function, probes(), that turns a
 * key's hash into its starting bit and stride, so the two cannot disagree
 * about where a key's bits are; the keyed functions only hash the key
 * (bloom_hash) and call the hashed ones. The reader trusts nothing but the
 * filter's own size and its last byte, so any filter bytes at all are safe
 * to probe.
 */
#include "bloom.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "hash.h"

/* A key's first probe (h1) and the stride between probes (h2), from the
 * two halves of its 64-bit hash h; h2 is odd (see bloom.h). */
static void probes(uint64_t h, uint64_t *h1, uint64_t *h2) {
    *h1 = h & 0xffffffffu;
    *h2 = (h >> 32) | 1;
}

uint64_t bloom_hash(kv_slice key) {
    return hash64(key.data, key.size, BLOOM_SEED);
}

int bloom_k(int bits_per_key) {
    if (bits_per_key < 1) bits_per_key = 1;
    long k = lround(bits_per_key * 0.69314718055994531); /* b ln 2 */
    if (k < 1) k = 1;
    if (k > BLOOM_MAX_PROBES) k = BLOOM_MAX_PROBES;
    return (int)k;
}

/* Sets the k bits of the key whose hash is h in bits[0..m/8). */
static void add_hash(unsigned char *bits, uint64_t m, int k, uint64_t h) {
    uint64_t h1, h2;
    probes(h, &h1, &h2);
    for (int i = 0; i < k; i++) {
        uint64_t j = (h1 + (uint64_t)i * h2) % m;
        bits[j / 8] |= (unsigned char)(1u << (j % 8));
    }
}

void bloom_build_hashed(kv_buf *out, const uint64_t *hashes, size_t n,
                        int bits_per_key) {
    if (bits_per_key < 1) bits_per_key = 1;
    int k = bloom_k(bits_per_key);

    uint64_t m = (uint64_t)n * (uint64_t)bits_per_key;
    if (m < BLOOM_MIN_BITS) m = BLOOM_MIN_BITS;
    size_t bytes = (size_t)((m + 7) / 8);
    m = (uint64_t)bytes * 8; /* every bit of the last byte is used */

    unsigned char *bits = xcalloc(bytes + 1, 1);
    for (size_t i = 0; i < n; i++) add_hash(bits, m, k, hashes[i]);
    bits[bytes] = (unsigned char)k;
    kv_buf_append(out, bits, bytes + 1);
    free(bits);
}

void bloom_build(kv_buf *out, const kv_slice *keys, size_t n,
                 int bits_per_key) {
    uint64_t *hashes = xmalloc((n ? n : 1) * sizeof *hashes);
    for (size_t i = 0; i < n; i++) hashes[i] = bloom_hash(keys[i]);
    bloom_build_hashed(out, hashes, n, bits_per_key);
    free(hashes);
}

int bloom_may_contain_hash(kv_slice filter, uint64_t hash) {
    if (filter.size < 2) return 1; /* no bits: malformed */
    const unsigned char *bits = (const unsigned char *)filter.data;
    int k = bits[filter.size - 1];
    if (k < 1 || k > BLOOM_MAX_PROBES) return 1; /* malformed */
    uint64_t m = (uint64_t)(filter.size - 1) * 8;

    uint64_t h1, h2;
    probes(hash, &h1, &h2);
    for (int i = 0; i < k; i++) {
        uint64_t j = (h1 + (uint64_t)i * h2) % m;
        if ((bits[j / 8] & (1u << (j % 8))) == 0) return 0;
    }
    return 1;
}

int bloom_may_contain(kv_slice filter, kv_slice key) {
    return bloom_may_contain_hash(filter, bloom_hash(key));
}

double bloom_theory(int bits_per_key, int k) {
    if (bits_per_key < 1 || k < 1) return 1.0;
    return pow(1.0 - exp(-(double)k / bits_per_key), k);
}
