/*
 * keydir.h - the in-memory hash index of stage 2: every live key, mapped to
 * where its latest record sits in the log. Bitcask calls it the keydir.
 *
 * An open-addressing table with linear probing: one array of slots, a key
 * hashed to a slot, and on a collision the next slot along. Deletes shift
 * the following slots back instead of leaving markers, so a lookup never
 * walks over dead slots. The table doubles when it is 3/4 full.
 *
 * The keydir owns a copy of every key. Its memory (slots plus key bytes) is
 * what `stats` reports as index_bytes: it grows with every distinct key,
 * which is this stage's price.
 */
#ifndef KV_KEYDIR_H
#define KV_KEYDIR_H

#include <stddef.h>
#include <stdint.h>

#include "kv.h"

typedef struct keydir keydir;

/* Where a key's latest record is: its offset and size in the log. */
typedef struct keydir_pos {
    uint64_t offset;
    uint64_t size;
} keydir_pos;

keydir *keydir_new(void);
void keydir_free(keydir *kd);

/* Points key at pos, adding the key or replacing its old position. */
void keydir_put(keydir *kd, kv_slice key, keydir_pos pos);
/* Finds key: 1 and *pos filled, or 0 when the key is not there. */
int keydir_get(const keydir *kd, kv_slice key, keydir_pos *pos);
/* Forgets key (nothing happens if it is not there). */
void keydir_delete(keydir *kd, kv_slice key);

/* The number of keys. */
size_t keydir_count(const keydir *kd);
/* Bytes of memory held: the slot array plus every key's bytes. */
size_t keydir_memory(const keydir *kd);

#endif
