/*
 * hash.h - a fast, well-mixed 64-bit hash of a byte string, for the
 * in-memory hash index of stage 2 (and bloom filters later).
 *
 * It is not a checksum (use crc32c for that) and not cryptographic: keys
 * chosen by an attacker can collide. It reads eight bytes at a time
 * (assembled little-endian, so every machine gets the same hash), scrambles
 * each word with a multiply-xorshift, and ends with MurmurHash3's fmix64
 * finalizer, so that the low bits a hash table masks with are as good as the
 * high ones.
 */
#ifndef KV_HASH_H
#define KV_HASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t hash64(const void *data, size_t n, uint64_t seed);

#endif
