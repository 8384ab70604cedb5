/*
 * suite_damage.c - the scoreboard's two damage measurements (see suite.h):
 * suite_corruption and suite_torn_tail. The scoreboard rows corruption and
 * torn_tail run them (suite_scoreboard.c).
 *
 * Both make a small store in <dir>/base with a known history, then, for
 * each damage, copy it to <dir>/work, damage the copy with the suite's
 * helpers (plain POSIX, so the damage is never counted), and open and read
 * it through kv.h alone.
 *
 * Corruption flips one bit of one byte at a time, at every byte of every
 * file (or every k-th, about 3000 flips in all, for a bigger store): each
 * flip must be detected (an error from open, get, scan or close) or
 * harmless (every key and the scan still right). A silent wrong answer is
 * the failure.
 *
 * Torn tail cuts the newest file whose name ends in the stage's log suffix
 * at each of its last 300 sizes: each cut must open to a prefix of the
 * writes, no shorter than at the shorter cut, and a put made after it must
 * survive a reopen beside that same prefix.
 */
#include "suite.h"
#include "testing.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>

/* --- shared by both ----------------------------------------------------- */

/* base = "<dir>/base", work = "<dir>/work" (512 bytes each). */
static void damage_dirs(const char *dir, char *base, char *work) {
    snprintf(base, 512, "%s/base", dir);
    snprintf(work, 512, "%s/work", dir);
}

/* scandir filter: every name but "." and "..". Cannot fail. */
static int not_dot(const struct dirent *e) {
    return strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
}

/* Lists the store just made in base, in name order; made says how making
 * it went. Returns the count, with *names to free by free_names, or -1
 * (nothing to free) with why set. */
static int list_made(const char *base, kv_status made, struct dirent ***names,
                     char *why, size_t n) {
    *names = NULL;
    int count =
        made.code == KV_OK ? scandir(base, names, not_dot, alphasort) : -1;
    if (count < 0) snprintf(why, n, "cannot make the store: %s", made.msg);
    return count;
}

/* Frees what list_made returned. Cannot fail. */
static void free_names(struct dirent **names, int count) {
    for (int f = 0; f < count; f++) free(names[f]);
    free(names);
}

/* --- corruption: every byte flipped, one at a time -------------------- */

#define CORRUPT_KEYS 30

typedef struct small_model {
    char keys[CORRUPT_KEYS][16];
    char values[CORRUPT_KEYS][64];
    size_t lens[CORRUPT_KEYS];
    int live[CORRUPT_KEYS];
} small_model;

static int small_same(const small_model *sm, int i, const char *data,
                      size_t size) {
    return size == sm->lens[i] && memcmp(data, sm->values[i], size) == 0;
}

/* Scans a damaged store: 1 when the scan is right or ends in an error. */
static int corrupt_scan(kv_db *db, const small_model *sm, int *err) {
    kv_iter *it;
    if (kv_iter_new(db, &it).code != KV_OK)
        return 1; /* no scans here (or an error: detected) */
    int i = 0, ok = 1;
    for (kv_iter_seek(it, kv_str("")); kv_iter_valid(it) && ok;
         kv_iter_next(it)) {
        while (i < CORRUPT_KEYS && !sm->live[i]) i++;
        kv_slice k = kv_iter_key(it), v = kv_iter_value(it);
        ok = i < CORRUPT_KEYS && k.size == strlen(sm->keys[i]) &&
             memcmp(k.data, sm->keys[i], k.size) == 0 &&
             small_same(sm, i, v.data, v.size);
        i++;
    }
    while (ok && i < CORRUPT_KEYS && !sm->live[i]) i++;
    ok = ok && i >= CORRUPT_KEYS;
    if (kv_iter_status(it).code != KV_OK) {
        *err = 1;
        ok = 1;
    }
    kv_iter_free(it);
    return ok;
}

/* Opens and reads one damaged copy. 1 detected or harmless, 0 harmful. */
static int corrupt_try(const char *work, const small_model *sm,
                       const char *file, uint64_t off, int *detected, char *why,
                       size_t n) {
    kv_db *db;
    if (suite_open(work, kv_stage_expect.test_options, NULL, &db).code !=
        KV_OK) {
        (*detected)++;
        return 1;
    }
    kv_buf v = {0};
    int ok = 1, err = 0;
    for (int i = 0; i < CORRUPT_KEYS && ok; i++) {
        kv_status s = kv_get(db, kv_str(sm->keys[i]), &v);
        const char *bad = NULL;
        if (s.code != KV_OK && s.code != KV_NOT_FOUND)
            err = 1;
        else if (sm->live[i] && s.code == KV_NOT_FOUND)
            bad = "a live key is missing";
        else if (!sm->live[i] && s.code == KV_OK)
            bad = "a deleted key came back";
        else if (s.code == KV_OK && !small_same(sm, i, v.data, v.size))
            bad = "a wrong value";
        if (bad)
            snprintf(why, n, "%s offset %llu flipped: key %s: %s", file,
                     (unsigned long long)off, sm->keys[i], bad);
        ok = bad == NULL;
    }
    if (ok && !corrupt_scan(db, sm, &err)) {
        snprintf(why, n, "%s offset %llu flipped: the scan is wrong", file,
                 (unsigned long long)off);
        ok = 0;
    }
    kv_buf_free(&v);
    kv_close(db); /* its error, if any, is one more detection */
    *detected += err;
    return ok;
}

/* The store to damage: 30 puts (20..60-byte values) and 5 deletes. */
static kv_status corrupt_make(const char *base, small_model *sm) {
    kv_db *db;
    suite_rmrf(base);
    kv_status s = suite_open(base, kv_stage_expect.test_options, NULL, &db);
    uint64_t st = 30;
    for (int i = 0; i < CORRUPT_KEYS && s.code == KV_OK; i++) {
        snprintf(sm->keys[i], sizeof sm->keys[i], "key%02d", i);
        sm->lens[i] = 20 + suite_rand(&st) % 41;
        for (size_t j = 0; j < sm->lens[i]; j++)
            sm->values[i][j] = (char)('a' + suite_rand(&st) % 26);
        sm->live[i] = 1;
        s = kv_put(db, kv_str(sm->keys[i]),
                   (kv_slice){sm->values[i], sm->lens[i]});
    }
    for (int i = 0; i < CORRUPT_KEYS && s.code == KV_OK; i += 6) {
        sm->live[i] = 0;
        s = kv_delete(db, kv_str(sm->keys[i]));
    }
    kv_status c = db ? kv_close(db) : kv_ok();
    return s.code != KV_OK ? s : c;
}

/* See suite.h. About 3000 flips in all: every byte of a small store. */
int suite_corruption(const char *dir, char *why, size_t n) {
    char base[512], work[512], path[1024];
    small_model sm;
    struct dirent **names;
    damage_dirs(dir, base, work);
    int count = list_made(base, corrupt_make(base, &sm), &names, why, n);
    if (count < 0) return -1;
    uint64_t total = suite_dir_bytes(base);
    uint64_t step = total > 4096 ? (total + 2999) / 3000 : 1;
    int flips = 0, detected = 0, result = 1;
    for (int f = 0; f < count && result == 1; f++) {
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", base, names[f]->d_name);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) continue;
        snprintf(path, sizeof path, "%s/%s", work, names[f]->d_name);
        for (uint64_t off = 0; off < (uint64_t)st.st_size && result == 1;
             off += step) {
            suite_copy_dir(base, work);
            unsigned char mask = flips++ % 7 == 6 ? 0x80 : 0x01;
            if (suite_flip_byte(path, off, mask) != 0) {
                snprintf(why, n, "cannot flip %s offset %llu", path,
                         (unsigned long long)off);
                result = -1;
            } else {
                result = corrupt_try(work, &sm, names[f]->d_name, off,
                                     &detected, why, n);
            }
        }
    }
    free_names(names, count);
    if (result == 1)
        snprintf(why, n, "%d flips: %d detected, %d harmless", flips, detected,
                 flips - detected);
    return result;
}

/* --- torn tail: the log cut at each of its last 300 bytes ------------------
 */

#define TORN_KEYS 8
#define TORN_OPS  20

/* The value op i puts: unique to the op, of varied length. */
static kv_slice torn_value(char *buf, int op) {
    int len = snprintf(buf, 64, "value of op %d ", op);
    while (len < 16 + op * 7 % 40) buf[len++] = 'x';
    return (kv_slice){buf, (size_t)len};
}

/* states[j][k]: the op whose value key k holds after j ops, or -1. */
typedef int torn_states[TORN_OPS + 1][TORN_KEYS];

/* Runs the 20 ops on a new store in base, recording the states. */
static kv_status torn_make(const char *base, torn_states states) {
    kv_db *db;
    char key[16], val[64];
    suite_rmrf(base);
    /* A faulty env, crashed before the close: the store is left as a kill -9
     * leaves it, so a stage that flushes at close still has its log. */
    io_env *env = io_env_new_faulty();
    kv_status s = suite_open(base, NULL, env, &db);
    for (int k = 0; k < TORN_KEYS; k++) states[0][k] = -1;
    for (int i = 0; i < TORN_OPS && s.code == KV_OK; i++) {
        memcpy(states[i + 1], states[i], sizeof states[i]);
        int k = i % TORN_KEYS, del = i == 6 || i == 11 || i == 16;
        while (del && states[i][k] < 0) k = (k + 1) % TORN_KEYS;
        snprintf(key, sizeof key, "t%d", k);
        states[i + 1][k] = del ? -1 : i;
        s = del ? kv_delete(db, kv_str(key))
                : kv_put(db, kv_str(key), torn_value(val, i));
    }
    io_fault_crash(env);
    if (db) kv_close(db); /* fails: nothing more reaches the disk */
    io_env_free(env);
    return s;
}

/* The j whose state the store holds, or -1 (none, or an error). */
static int torn_match(kv_db *db, torn_states states) {
    int have[TORN_KEYS];
    kv_buf v = {0};
    char key[16], val[64];
    for (int k = 0; k < TORN_KEYS; k++) {
        snprintf(key, sizeof key, "t%d", k);
        kv_status s = kv_get(db, kv_str(key), &v);
        have[k] = -2; /* matches no state */
        if (s.code == KV_NOT_FOUND) have[k] = -1;
        for (int i = 0; s.code == KV_OK && i < TORN_OPS; i++) {
            kv_slice want = torn_value(val, i);
            if (want.size == v.size && memcmp(want.data, v.data, v.size) == 0)
                have[k] = i;
        }
    }
    kv_buf_free(&v);
    for (int j = 0; j <= TORN_OPS; j++)
        if (memcmp(have, states[j], sizeof have) == 0) return j;
    return -1;
}

/* Opens work and returns the prefix j it holds (-1: none); then puts
 * zz-new (put) or checks that it is there (!put), and closes. *s says
 * what failed. */
static int torn_open(const char *work, torn_states states, int put,
                     kv_status *s) {
    kv_db *db;
    kv_buf v = {0};
    *s = suite_open(work, NULL, NULL, &db);
    if (s->code != KV_OK) return -1;
    int j = torn_match(db, states);
    if (put)
        *s = kv_put(db, kv_str("zz-new"), kv_str("after the cut"));
    else if ((*s = kv_get(db, kv_str("zz-new"), &v)).code == KV_OK &&
             (v.size != 13 || memcmp(v.data, "after the cut", 13) != 0))
        *s = kv_error(KV_CORRUPTION, "zz-new has a wrong value");
    kv_status c = kv_close(db);
    if (s->code == KV_OK) *s = c;
    kv_buf_free(&v);
    return j;
}

/* One cut: the copy opens to a prefix j >= *prev, and a put after it
 * survives a reopen beside the same prefix. 1 ok, 0 not, -1 harness. */
static int torn_cut(const char *base, const char *work, const char *log,
                    uint64_t cut, torn_states states, int *prev, char *why,
                    size_t n) {
    char path[1024];
    suite_copy_dir(base, work);
    snprintf(path, sizeof path, "%s/%s", work, log);
    if (suite_cut_file(path, cut) != 0) {
        snprintf(why, n, "cannot cut %s", path);
        return -1;
    }
    kv_status s;
    int again = -1, j = torn_open(work, states, 1, &s);
    if (s.code == KV_OK) again = torn_open(work, states, 0, &s);
    int ok = s.code == KV_OK && j >= *prev && again == j;
    if (!ok)
        snprintf(why, n,
                 "%s cut to %llu bytes: %s (a prefix of %d ops; %d after a "
                 "put and reopen; %d at the shorter cut)",
                 log, (unsigned long long)cut,
                 s.code != KV_OK ? s.msg : "not a growing prefix", j, again,
                 *prev);
    *prev = j;
    return ok;
}

/* See suite.h. */
int suite_torn_tail(const char *dir, const char *suffix, char *why, size_t n) {
    char base[512], work[512], log[256] = "", path[1024];
    torn_states states;
    struct dirent **names;
    damage_dirs(dir, base, work);
    int count = list_made(base, torn_make(base, states), &names, why, n);
    if (count < 0) return -1;
    size_t sl = strlen(suffix);
    for (int f = 0; f < count; f++) {
        size_t len = strlen(names[f]->d_name);
        if (len >= sl && strcmp(names[f]->d_name + len - sl, suffix) == 0 &&
            strcmp(names[f]->d_name, log) > 0)
            snprintf(log, sizeof log, "%s", names[f]->d_name);
    }
    free_names(names, count);
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", base, log);
    if (log[0] == '\0' || stat(path, &st) != 0 || st.st_size == 0) {
        snprintf(why, n, "no file ending in %s holds the writes", suffix);
        return -1;
    }
    uint64_t size = (uint64_t)st.st_size, from = size > 300 ? size - 300 : 0;
    int prev = 0, result = 1;
    for (uint64_t cut = from; cut < size && result == 1; cut++)
        result = torn_cut(base, work, log, cut, states, &prev, why, n);
    if (result == 1)
        snprintf(why, n,
                 "%s cut at each of %llu sizes: always a prefix (%d of %d ops "
                 "at the longest cut)",
                 log, (unsigned long long)(size - from), prev, TORN_OPS);
    return result;
}
