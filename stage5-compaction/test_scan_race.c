/*
 * test_scan_race.c - scans beside deletes and overwrites (kv_thread_safe
 * stores): every entry a scan returns must be a value written for its key.
 *
 * A writer thread puts and deletes a few keys over and over while scanner
 * threads walk the store. The memtable is large, so every entry stays in
 * it and each delete replaces a live key's entry: the race a memtable
 * iterator must not lose, where it checked the kind of one entry (a put)
 * and then read the value of the next (a delete's, empty). Counts, not
 * times: the test asserts that no scan saw a single bad value.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "kv.h"
#include "suite.h"
#include "testing.h"

#define KEYS     16
#define OPS      20000 /* the writer's puts and deletes */
#define SCANNERS 2
#define VLEN     24

static kv_slice key_of(char *buf, int k) {
    snprintf(buf, 16, "key%02d", k);
    return kv_str(buf);
}

/* "key07=" plus the op number, padded to VLEN bytes: never empty. */
static kv_slice value_of(char *buf, int k, int op) {
    int n = snprintf(buf, VLEN + 1, "key%02d=%d", k, op);
    memset(buf + n, '.', (size_t)(VLEN - n));
    return (kv_slice){buf, VLEN};
}

/* 1 when value is one value_of(key, some op) could have made. */
static int written_for(kv_slice key, kv_slice value) {
    return value.size == VLEN && key.size == 5 &&
           memcmp(value.data, key.data, 5) == 0 && value.data[5] == '=';
}

typedef struct race {
    kv_db *db;
    atomic_int done;    /* the writer has finished */
    atomic_long scans;  /* whole scans completed */
    atomic_long bad;    /* entries whose value was never written */
    atomic_long errors; /* failed calls */
} race;

static void *writer(void *arg) {
    race *r = arg;
    char kb[16], vb[VLEN + 1];
    for (int op = 0; op < OPS; op++) {
        int k = op % KEYS;
        kv_status s = (op / KEYS) % 2
                          ? kv_delete(r->db, key_of(kb, k))
                          : kv_put(r->db, key_of(kb, k), value_of(vb, k, op));
        if (s.code != KV_OK) atomic_fetch_add(&r->errors, 1);
    }
    atomic_store(&r->done, 1);
    return NULL;
}

/* Scans until the writer is done (and at least once more after). */
static void *scanner(void *arg) {
    race *r = arg;
    int last = 0;
    while (!last) {
        last = atomic_load(&r->done);
        kv_iter *it;
        if (kv_iter_new(r->db, &it).code != KV_OK) {
            atomic_fetch_add(&r->errors, 1);
            return NULL;
        }
        for (kv_iter_seek(it, (kv_slice){"", 0}); kv_iter_valid(it);
             kv_iter_next(it))
            if (!written_for(kv_iter_key(it), kv_iter_value(it)))
                atomic_fetch_add(&r->bad, 1);
        if (kv_iter_status(it).code != KV_OK) atomic_fetch_add(&r->errors, 1);
        kv_iter_free(it);
        atomic_fetch_add(&r->scans, 1);
    }
    return NULL;
}

static void test_scans_beside_deletes(void) {
    static const kv_option opts[] = {{"memtable_bytes", "67108864"}, {0, 0}};
    race r = {0};
    CHECK_OK(suite_open(test_dir(), opts, NULL, &r.db));
    pthread_t w, sc[SCANNERS];
    for (int i = 0; i < SCANNERS; i++)
        pthread_create(&sc[i], NULL, scanner, &r);
    pthread_create(&w, NULL, writer, &r);
    pthread_join(w, NULL);
    for (int i = 0; i < SCANNERS; i++) pthread_join(sc[i], NULL);
    CHECK(atomic_load(&r.errors) == 0);
    CHECK(atomic_load(&r.scans) >= SCANNERS);
    CHECKF(atomic_load(&r.bad) == 0, "%ld scanned values were never written",
           atomic_load(&r.bad));
    /* the last round of ops put every key or deleted every key */
    kv_iter *it;
    CHECK_OK(kv_iter_new(r.db, &it));
    int n = 0;
    for (kv_iter_seek(it, (kv_slice){"", 0}); kv_iter_valid(it);
         kv_iter_next(it), n++)
        CHECK(written_for(kv_iter_key(it), kv_iter_value(it)));
    kv_iter_free(it);
    CHECK(n == ((OPS / KEYS - 1) % 2 ? 0 : KEYS));
    CHECK_OK(kv_close(r.db));
}

TEST_TABLE(scan_race, TEST(test_scans_beside_deletes))
