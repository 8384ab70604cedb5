/*
 * hash.c - a fast, well-mixed 64-bit hash of a byte string (see hash.h).
 *
 * The string is read eight bytes at a time, each word assembled little-endian
 * from single bytes (no unaligned loads, and the same hash on every machine,
 * which matters once hashes are stored in bloom filters on disk). Each word
 * is scrambled by a multiply-xorshift and folded into the state with a
 * rotate and a multiply; the 0 to 7 bytes left over form a last, shorter
 * word. The length is mixed in at the start, so "a" and "a\0" differ.
 * The end is MurmurHash3's fmix64 finalizer, which makes every output bit
 * depend on every input bit, so the low bits a hash table masks with are as
 * good as the high ones.
 */
#include "hash.h"

#define P1 0x9e3779b97f4a7c15ull /* 2^64 / golden ratio, odd */
#define P2 0xbf58476d1ce4e5b9ull /* splitmix64's multipliers */
#define P3 0x94d049bb133111ebull

static uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

/* Scrambles one word before it joins the state. */
static uint64_t mix_word(uint64_t w) {
    w *= P2;
    w ^= w >> 31;
    return w * P3;
}

/* MurmurHash3's 64-bit finalizer. */
static uint64_t fmix64(uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

/* The hash of data[0..n) under seed. Cannot fail; data may be NULL if n is 0.
 */
uint64_t hash64(const void *data, size_t n, uint64_t seed) {
    const unsigned char *p = data;
    uint64_t h = seed ^ ((uint64_t)n * P1);

    for (; n >= 8; p += 8, n -= 8) {
        uint64_t w = 0;
        for (int i = 0; i < 8; i++) w |= (uint64_t)p[i] << (8 * i);
        h = rotl(h ^ mix_word(w), 27) * P1;
    }
    if (n > 0) {
        uint64_t w = 0;
        for (size_t i = 0; i < n; i++) w |= (uint64_t)p[i] << (8 * i);
        h = rotl(h ^ mix_word(w), 27) * P1;
    }
    return fmix64(h);
}
