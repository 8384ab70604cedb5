/*
 * keydir.c - an open-addressing hash table from key to log position; see
 * keydir.h for what it promises.
 *
 * A slot is empty when its key is NULL. A key lives in the first slot at or
 * after its home slot (hash & mask) that holds it, and no empty slot lies
 * between its home and its slot: linear probing's invariant, which
 * keydir_delete keeps by shifting later slots back into the gap.
 */
#include "keydir.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"

#define MIN_SLOTS 16
#define HASH_SEED 0x6b657964u /* "keyd" */

typedef struct slot {
    uint64_t hash;
    char *key; /* owned; NULL when the slot is empty */
    size_t klen;
    keydir_pos pos;
} slot;

struct keydir {
    slot *slots;
    size_t mask;      /* slot count - 1; the count is a power of two */
    size_t count;     /* keys held */
    size_t key_bytes; /* sum of their lengths */
};

keydir *keydir_new(void) {
    keydir *kd = xcalloc(1, sizeof *kd);
    kd->slots = xcalloc(MIN_SLOTS, sizeof(slot));
    kd->mask = MIN_SLOTS - 1;
    return kd;
}

void keydir_free(keydir *kd) {
    if (kd == NULL) return;
    for (size_t i = 0; i <= kd->mask; i++) free(kd->slots[i].key);
    free(kd->slots);
    free(kd);
}

/* The slot holding key, or the empty slot where it would go. */
static size_t find(const keydir *kd, kv_slice key, uint64_t h) {
    size_t i = (size_t)h & kd->mask;
    for (;;) {
        const slot *s = &kd->slots[i];
        if (s->key == NULL) return i;
        if (s->hash == h && s->klen == key.size &&
            memcmp(s->key, key.data, key.size) == 0)
            return i;
        i = (i + 1) & kd->mask;
    }
}

/* Doubles the table, moving every key to its slot in the new one. */
static void grow(keydir *kd) {
    slot *old = kd->slots;
    size_t old_n = kd->mask + 1;
    kd->slots = xcalloc(old_n * 2, sizeof(slot));
    kd->mask = old_n * 2 - 1;
    for (size_t i = 0; i < old_n; i++) {
        if (old[i].key == NULL) continue;
        size_t j = (size_t)old[i].hash & kd->mask;
        while (kd->slots[j].key != NULL) j = (j + 1) & kd->mask;
        kd->slots[j] = old[i];
    }
    free(old);
}

void keydir_put(keydir *kd, kv_slice key, keydir_pos pos) {
    uint64_t h = hash64(key.data, key.size, HASH_SEED);
    slot *s = &kd->slots[find(kd, key, h)];
    if (s->key != NULL) {
        s->pos = pos; /* a newer record for a key we hold */
        return;
    }
    s->hash = h;
    s->key = xmalloc(key.size);
    memcpy(s->key, key.data, key.size);
    s->klen = key.size;
    s->pos = pos;
    kd->count++;
    kd->key_bytes += key.size;
    if (kd->count * 4 > (kd->mask + 1) * 3) grow(kd);
}

int keydir_get(const keydir *kd, kv_slice key, keydir_pos *pos) {
    uint64_t h = hash64(key.data, key.size, HASH_SEED);
    const slot *s = &kd->slots[find(kd, key, h)];
    if (s->key == NULL) return 0;
    *pos = s->pos;
    return 1;
}

void keydir_delete(keydir *kd, kv_slice key) {
    uint64_t h = hash64(key.data, key.size, HASH_SEED);
    size_t hole = find(kd, key, h);
    if (kd->slots[hole].key == NULL) return;
    kd->count--;
    kd->key_bytes -= kd->slots[hole].klen;
    free(kd->slots[hole].key);

    /* Shift back every later slot of the run whose home is not between the
     * hole and it, so no key ends up behind an empty slot. */
    size_t i = hole;
    for (;;) {
        i = (i + 1) & kd->mask;
        slot *s = &kd->slots[i];
        if (s->key == NULL) break;
        size_t home = (size_t)s->hash & kd->mask;
        /* Is home cyclically in (hole, i]? Then s may stay where it is. */
        int stays =
            hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
        if (stays) continue;
        kd->slots[hole] = *s;
        hole = i;
    }
    memset(&kd->slots[hole], 0, sizeof(slot));
}

size_t keydir_count(const keydir *kd) { return kd->count; }

size_t keydir_memory(const keydir *kd) {
    return (kd->mask + 1) * sizeof(slot) + kd->key_bytes;
}
