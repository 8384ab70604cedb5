/*
 * test_keydir.c - unit tests for the hash index (keydir.h), against a plain
 * array as the model.
 */
#include <stdlib.h>
#include <string.h>

#include "keydir.h"
#include "testing.h"

static void test_put_get_delete(void) {
    keydir *kd = keydir_new();
    keydir_pos pos;
    CHECK(!keydir_get(kd, kv_str("a"), &pos));
    keydir_put(kd, kv_str("a"), (keydir_pos){10, 20});
    CHECK(keydir_get(kd, kv_str("a"), &pos) && pos.offset == 10 &&
          pos.size == 20);
    keydir_put(kd, kv_str("a"), (keydir_pos){30, 40});
    CHECK(keydir_get(kd, kv_str("a"), &pos) && pos.offset == 30);
    CHECK(keydir_count(kd) == 1);
    keydir_delete(kd, kv_str("a"));
    keydir_delete(kd, kv_str("a"));
    CHECK(!keydir_get(kd, kv_str("a"), &pos) && keydir_count(kd) == 0);
    keydir_free(kd);
}

/* Keys that differ only after a NUL, or in length, are different keys. */
static void test_binary_keys(void) {
    keydir *kd = keydir_new();
    keydir_pos pos;
    keydir_put(kd, (kv_slice){"a\0b", 3}, (keydir_pos){1, 1});
    keydir_put(kd, (kv_slice){"a\0c", 3}, (keydir_pos){2, 2});
    keydir_put(kd, (kv_slice){"a", 1}, (keydir_pos){3, 3});
    CHECK(keydir_get(kd, (kv_slice){"a\0b", 3}, &pos) && pos.offset == 1);
    CHECK(keydir_get(kd, (kv_slice){"a\0c", 3}, &pos) && pos.offset == 2);
    CHECK(keydir_get(kd, (kv_slice){"a", 1}, &pos) && pos.offset == 3);
    CHECK(!keydir_get(kd, (kv_slice){"a\0", 2}, &pos));
    keydir_free(kd);
}

/*
 * Random puts and deletes over a small key space, so the table grows,
 * probe runs wrap around the end of the array, and deletes shift slots
 * back. After every step a sample of keys is checked against the model.
 */
static void test_against_model(void) {
    enum { KEYS = 3000, STEPS = 60000 };
    static uint64_t model[KEYS]; /* 0: absent, else offset */
    memset(model, 0, sizeof model);
    keydir *kd = keydir_new();
    unsigned seed = test_seed();
    srand(seed);
    size_t live = 0;
    for (int step = 0; step < STEPS; step++) {
        int k = rand() % KEYS;
        char key[24];
        snprintf(key, sizeof key, "k%d", k);
        if (rand() % 3 == 0) {
            keydir_delete(kd, kv_str(key));
            live -= model[k] != 0;
            model[k] = 0;
        } else {
            uint64_t off = (uint64_t)step + 1;
            keydir_put(kd, kv_str(key), (keydir_pos){off, 7});
            live += model[k] == 0;
            model[k] = off;
        }
        for (int probe = 0; probe < 4; probe++) {
            int q = rand() % KEYS;
            keydir_pos pos;
            snprintf(key, sizeof key, "k%d", q);
            int found = keydir_get(kd, kv_str(key), &pos);
            CHECKF(found == (model[q] != 0) &&
                       (!found || pos.offset == model[q]),
                   "seed %u step %d key %d: found %d want %llu", seed, step, q,
                   found, (unsigned long long)model[q]);
        }
        CHECK(keydir_count(kd) == live);
    }
    keydir_free(kd);
}

/* Memory counts the slots and the key bytes, and grows with the keys. */
static void test_memory_grows_with_keys(void) {
    keydir *kd = keydir_new();
    size_t empty = keydir_memory(kd);
    char key[32];
    for (int i = 0; i < 10000; i++) {
        snprintf(key, sizeof key, "%016d", i);
        keydir_put(kd, kv_str(key), (keydir_pos){(uint64_t)i, 1});
    }
    size_t full = keydir_memory(kd);
    CHECKF(full >= empty + 10000 * 16 && full < 10000 * (16 + 4 * 48),
           "%zu bytes for 10000 keys", full);
    keydir_free(kd);
}

TEST_TABLE(keydir, TEST(test_put_get_delete), TEST(test_binary_keys),
           TEST(test_against_model), TEST(test_memory_grows_with_keys))
