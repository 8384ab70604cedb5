/*
 * bloom.h - a bloom filter over a table's keys, so that a get for a key the
 * table does not hold can skip the table without reading a data block.
 *
 * A bloom filter is m bits, all 0 at first. Adding a key sets k bits, at k
 * positions computed from the key's hash. Asking about a key looks at its k
 * positions: if any is 0 the key was never added ("certainly not"); if all
 * are 1 it may have been, or the k bits may have been set by other keys (a
 * false positive, which costs one useless block read and nothing worse).
 * There are never false negatives.
 *
 * The false-positive rate. Say n keys are added to m bits, b = m / n bits
 * per key, each key setting k bits at random. One bit stays 0 through all
 * k * n settings with probability (1 - 1/m)^(k n), which is about e^(-k/b).
 * An absent key is a false positive when all k of its bits are 1:
 *
 *     f = (1 - e^(-k/b))^k                     (bloom_theory below)
 *
 * Choosing k. Few probes leave many 1 bits unchecked; many probes fill the
 * filter with 1s. Write z = e^(-k/b) for the fraction of 0 bits; then
 * k = -b ln z and ln f = k ln(1 - z) = -b ln(z) ln(1 - z), which is
 * symmetric in z and 1 - z, so it is smallest at z = 1/2: half the bits
 * set, k = b ln 2, and f = 2^-k = 0.6185^b. At b = 10, k = 6.93, rounded to
 * 7, and f = 0.82%: ten bits per key skip 99% of the tables a missing key
 * would otherwise cost. Each extra bit per key cuts f by about a third.
 * (LevelDB rounds k down, to save a probe; we round to the nearest.)
 *
 * Two hashes are enough. The analysis wants k independent hash functions;
 * computing k hashes of every key is slow. Kirsch and Mitzenmacher ("Less
 * Hashing, Same Performance", 2006) showed that probes g_i = h1 + i * h2
 * (mod m), i = 0 .. k-1, built from just two hashes, give the same
 * false-positive rate as m grows: the difference is O(1/m). The reason, in
 * short: for an absent key, h1 places its first probe at a random bit and
 * h2 a random stride, so each probe is still a uniformly random bit; the
 * probes are not independent of each other, but the event that spoils the
 * formula (an absent key sharing two or more probes with one present key,
 * which needs both h1 and h2 to line up) has probability about 1/m. We take
 * h1 and h2 from the low and high halves of one 64-bit hash64, which mixes
 * every input bit into both halves, so they behave as two independent
 * 32-bit hashes. h2 is forced odd: if h2 were 0 (mod m) every probe would
 * land on one bit, and more generally the probes repeat after
 * m / gcd(h2, m) steps; an odd h2 never shares the factor 8 that m always
 * has (m is whole bytes), so a 64-bit filter gets k distinct probes always.
 *
 * Format (the filter block's contents, before the table's block trailer):
 *
 *     filter := bits[m/8 bytes] k[1 byte]
 *
 *   - bit j (0 <= j < m) is bit (j % 8), least significant first, of byte
 *     j / 8; m = 8 * (filter size - 1) is read back from the size;
 *   - m = max(64, n * bits_per_key) rounded up to a multiple of 8: a table
 *     with few keys still gets 64 bits, so its rate stays sane;
 *   - k, the number of probes, is stored so a reader needs no option;
 *   - probe i of a key is (h1 + i * h2) mod m, with h = hash64(key, size,
 *     BLOOM_SEED), h1 = h mod 2^32 and h2 = (h >> 32) | 1, computed in 64
 *     bits (no overflow: i <= 30). The seed is part of the format.
 *
 * Example: 3 keys at 10 bits per key: 30 bits, raised to 64, so 8 bytes of
 * bits then the byte 7; 9 bytes in all.
 *
 * Hashes instead of keys. A table builder keeps each key's 64-bit
 * bloom_hash (8 bytes a key) rather than the key until it writes the
 * filter (bloom_build_hashed). A reader asking several tables about one
 * key could hash it once (bloom_may_contain_hash); table_get asks with the
 * key, one hash per table, a few nanoseconds beside what a table costs.
 * The hashed and the keyed functions agree: bloom_may_contain(f, key) is
 * bloom_may_contain_hash(f, bloom_hash(key)).
 *
 * Guarantees: a key added is always found (no false negatives). A filter
 * that is malformed (no bits, or k outside [1, 30]) answers "may contain",
 * so a damaged filter can only cause extra reads, never a wrong get. All
 * functions are pure: safe from any number of threads at once. Positions
 * come from 32-bit halves, so m should stay under 2^32 bits (512 MiB of
 * filter; a table's filter is kilobytes).
 */
#ifndef KV_BLOOM_H
#define KV_BLOOM_H

#include <stddef.h>
#include <stdint.h>

#include "kv.h"

#define BLOOM_SEED       0x626c6f6f6du /* "bloom": part of the format */
#define BLOOM_MAX_PROBES 30            /* a larger k is malformed */
#define BLOOM_MIN_BITS   64            /* the smallest m a builder writes */

/* The number of probes for bits_per_key: round(b ln 2), clamped to [1, 30].
 * A bits_per_key below 1 counts as 1. Cannot fail. */
int bloom_k(int bits_per_key);

/*
 * Appends to *out a filter for keys[0..n) at bits_per_key bits per key (a
 * value below 1 counts as 1): the filter's bits, then one byte k. What *out
 * held before is kept. keys may be NULL when n is 0: the filter of the
 * empty set, which answers 0 for every key. The caller owns *out and the
 * keys. Cannot fail (out of memory aborts, as xmalloc does).
 */
void bloom_build(kv_buf *out, const kv_slice *keys, size_t n, int bits_per_key);

/* The hash a key is probed by: hash64(key, BLOOM_SEED), part of the
 * format. Cannot fail. */
uint64_t bloom_hash(kv_slice key);

/*
 * As bloom_build, from the keys' bloom_hash values instead of the keys:
 * appends to *out the filter of the set whose hashes are hashes[0..n)
 * (NULL when n is 0). The caller owns *out and hashes. Cannot fail.
 */
void bloom_build_hashed(kv_buf *out, const uint64_t *hashes, size_t n,
                        int bits_per_key);

/*
 * 1 if key may be in the set the filter was built from, 0 if it is
 * certainly not. A malformed filter (shorter than 2 bytes, or k outside
 * [1, 30]) answers 1. Reads only filter.data[0..size). Cannot fail.
 */
int bloom_may_contain(kv_slice filter, kv_slice key);
/* As bloom_may_contain, for the key whose bloom_hash is hash. */
int bloom_may_contain_hash(kv_slice filter, uint64_t hash);

/* The theory's false-positive rate for bits_per_key and k probes:
 * (1 - e^(-k/b))^k. 1.0 when either is below 1. */
double bloom_theory(int bits_per_key, int k);

#endif
