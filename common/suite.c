/*
 * suite.c - the shared suite's helpers, its in-memory model, the contract
 * tests (table `contract`) and the model-based test (table `model`).
 *
 * Every stage links this file into its tests and must pass both tables:
 * they are the engine contract of kv.h, written as checks. The helpers
 * that touch files (dir bytes, copy, flip, cut, rmrf) use plain POSIX, not
 * the I/O layer, so that what they do is never counted or faulted.
 *
 * The model test runs 3000 random puts, deletes and gets over 300 binary
 * keys for each of three seeds (test_seed() + 0..2), closing and reopening
 * every 250 operations and then comparing every key, and when the stage
 * scans, ten random ranges, with the model. A failure prints the seed and
 * the operation number: KV_TEST_SEED=<seed> replays it.
 */
#include "suite.h"
#include "testing.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* --- helpers -------------------------------------------------------------- */

static const char *const row_names[ROW_COUNT] = {
    [ROW_GET_O1] = "a get reads O(1) records, not the log",
    [ROW_OPEN_INDEX] = "open reads index data, not all data",
    [ROW_INDEX_MEMORY] = "index memory grows slower than key count",
    [ROW_RANGE_SCAN] = "ordered range scan",
    [ROW_KILL9] = "kill -9 loses no acknowledged write",
    [ROW_POWER_LOSS] = "simulated power loss loses no acknowledged write "
                       "(sync=always from stage 4)",
    [ROW_DISK_BOUNDED] = "disk bytes bounded under overwrites and deletes",
    [ROW_MISSING_KEY] = "a missing-key get reads no data block (almost always)",
    [ROW_NO_WAIT] = "a get never waits for a running compaction",
    [ROW_CORRUPTION] = "every corrupted byte is detected or harmless",
    [ROW_TORN_TAIL] = "a torn last write (log cut at every byte of its tail) "
                      "opens to a prefix",
};

/* The row's words (a string literal); "?" for a row out of range. */
const char *scoreboard_row_name(scoreboard_row row) {
    return (unsigned)row < ROW_COUNT ? row_names[row] : "?";
}

/* Counts options up to the first NULL name (at most SUITE_MAX_OPTIONS). */
size_t suite_option_count(const kv_option *opts) {
    size_t n = 0;
    while (opts && n < SUITE_MAX_OPTIONS && opts[n].name) n++;
    return n;
}

/* kv_open with a config built from opts and env. Errors are kv_open's. */
kv_status suite_open(const char *dir, const kv_option *opts, io_env *env,
                     kv_db **out) {
    kv_config cfg = {env, opts, suite_option_count(opts)};
    return kv_open(dir, &cfg, out);
}

/* The named counter from kv_stats, or UINT64_MAX when the stage has none. */
uint64_t suite_stat(kv_db *db, const char *name) {
    kv_stat st[KV_STATS_MAX];
    size_t n = kv_stats(db, st, KV_STATS_MAX);
    for (size_t i = 0; i < n; i++)
        if (strcmp(st[i].name, name) == 0) return st[i].value;
    return UINT64_MAX;
}

/* Sum of the sizes of the regular files in dir and below; 0 if unreadable. */
uint64_t suite_dir_bytes(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return 0;
    uint64_t total = 0;
    struct dirent *e;
    char path[4096];
    struct stat st;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (lstat(path, &st) != 0) continue;
        if (S_ISDIR(st.st_mode))
            total += suite_dir_bytes(path);
        else if (S_ISREG(st.st_mode))
            total += (uint64_t)st.st_size;
    }
    closedir(d);
    return total;
}

/* Removes dir and all below it; a missing dir is fine. Cannot fail. */
void suite_rmrf(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) {
        unlink(dir);
        return;
    }
    struct dirent *e;
    char path[4096];
    struct stat st;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            suite_rmrf(path);
        else
            unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

/* Copies one regular file. Returns 0 on success, -1 on any error. */
static int copy_file(const char *from, const char *to) {
    int in = open(from, O_RDONLY);
    if (in < 0) return -1;
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int rc = out < 0 ? -1 : 0;
    char buf[65536];
    ssize_t got;
    while (rc == 0 && (got = read(in, buf, sizeof buf)) != 0) {
        if (got < 0 || write(out, buf, (size_t)got) != got) rc = -1;
    }
    close(in);
    if (out >= 0 && close(out) != 0) rc = -1;
    return rc;
}

/* Replaces `to` with a copy of `from` (files and subdirectories). Errors
 * are printed; the test then fails on the copy's contents. */
void suite_copy_dir(const char *from, const char *to) {
    suite_rmrf(to);
    DIR *d = opendir(from);
    if (!d || mkdir(to, 0755) != 0) {
        fprintf(stderr, "suite_copy_dir %s: %s\n", from, strerror(errno));
        if (d) closedir(d);
        return;
    }
    struct dirent *e;
    char src[4096], dst[4096];
    struct stat st;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(src, sizeof src, "%s/%s", from, e->d_name);
        snprintf(dst, sizeof dst, "%s/%s", to, e->d_name);
        if (lstat(src, &st) != 0) continue;
        if (S_ISDIR(st.st_mode))
            suite_copy_dir(src, dst);
        else if (copy_file(src, dst) != 0)
            fprintf(stderr, "suite_copy_dir: cannot copy %s\n", src);
    }
    closedir(d);
}

/* XORs one byte of path with mask. 0 on success, -1 on error. */
int suite_flip_byte(const char *path, uint64_t offset, unsigned char mask) {
    int fd = open(path, O_RDWR);
    if (fd < 0) return -1;
    unsigned char c;
    int rc = -1;
    if (pread(fd, &c, 1, (off_t)offset) == 1) {
        c ^= mask;
        if (pwrite(fd, &c, 1, (off_t)offset) == 1) rc = 0;
    }
    close(fd);
    return rc;
}

/* Cuts path to size bytes. 0 on success, -1 on error. */
int suite_cut_file(const char *path, uint64_t size) {
    return truncate(path, (off_t)size) == 0 ? 0 : -1;
}

/* splitmix64: a fine generator for tests, and the same on every machine. */
uint64_t suite_rand(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Writes text into path, creating or replacing it. 0 on success. */
static int write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    int rc = fputs(text, f) < 0 ? -1 : 0;
    return fclose(f) == 0 ? rc : -1;
}

/* A path inside the running test's own directory. */
static const char *sub(char *buf, size_t n, const char *name) {
    snprintf(buf, n, "%s/%s", test_dir(), name);
    return buf;
}

/* 1 if the buffer holds exactly the slice's bytes. */
static int same(const kv_buf *b, kv_slice s) {
    return b->size == s.size &&
           (s.size == 0 || memcmp(b->data, s.data, s.size) == 0);
}

#define TEST_OPTS (kv_stage_expect.test_options)

/* --- the model --------------------------------------------------------------
 */

static const suite_model *sort_model; /* for qsort's comparator */

static int by_key(const void *a, const void *b) {
    const kv_buf *ka = &sort_model->keys[*(const size_t *)a];
    const kv_buf *kb = &sort_model->keys[*(const size_t *)b];
    return kv_compare((kv_slice){ka->data, ka->size},
                      (kv_slice){kb->data, kb->size});
}

/* Makes n distinct random keys of 1..40 bytes; none live. Cannot fail. */
void suite_model_init(suite_model *m, size_t n, uint64_t seed) {
    m->n = n;
    m->keys = xcalloc(n, sizeof *m->keys);
    m->values = xcalloc(n, sizeof *m->values);
    m->live = xcalloc(n, 1);
    m->order = xcalloc(n, sizeof *m->order);
    uint64_t st = seed;
    for (size_t i = 0; i < n; i++) {
        char k[40];
        size_t len;
        int dup;
        do {
            len = 1 + suite_rand(&st) % 40;
            for (size_t j = 0; j < len; j++) k[j] = (char)suite_rand(&st);
            dup = 0;
            for (size_t j = 0; j < i && !dup; j++)
                dup = same(&m->keys[j], (kv_slice){k, len});
        } while (dup);
        kv_buf_set(&m->keys[i], k, len);
        m->order[i] = i;
    }
    sort_model = m;
    qsort(m->order, n, sizeof *m->order, by_key);
}

void suite_model_free(suite_model *m) {
    for (size_t i = 0; i < m->n; i++) {
        kv_buf_free(&m->keys[i]);
        kv_buf_free(&m->values[i]);
    }
    free(m->keys);
    free(m->values);
    free(m->live);
    free(m->order);
}

/* Gets every key and compares with the model; see suite.h. */
int suite_model_check(kv_db *db, const suite_model *m, char *why, size_t n) {
    kv_buf v = {0};
    int ok = 1;
    for (size_t i = 0; i < m->n && ok; i++) {
        kv_status s =
            kv_get(db, (kv_slice){m->keys[i].data, m->keys[i].size}, &v);
        if (m->live[i] && s.code == KV_OK)
            ok = same(&v, (kv_slice){m->values[i].data, m->values[i].size});
        else
            ok = s.code == (m->live[i] ? KV_OK : KV_NOT_FOUND);
        if (!ok)
            snprintf(why, n,
                     "key #%zu (%zu bytes): want %s (%zu bytes), got %s%s%s", i,
                     m->keys[i].size, m->live[i] ? "a value" : "not found",
                     m->values[i].size, kv_code_name(s.code),
                     s.code == KV_OK ? ", a different value" : ": ", s.msg);
    }
    kv_buf_free(&v);
    return ok;
}

/* Scans one range and compares with the model; see suite.h. */
int suite_model_scan(kv_db *db, const suite_model *m, size_t lo, size_t hi,
                     char *why, size_t n) {
    kv_iter *it = NULL;
    kv_status s = kv_iter_new(db, &it);
    if (s.code == KV_NOT_SUPPORTED) return -1;
    if (s.code != KV_OK) {
        snprintf(why, n, "kv_iter_new: %s", s.msg);
        return 0;
    }
    const kv_buf *start = &m->keys[m->order[lo]]; /* lo < m->n */
    kv_iter_seek(it, (kv_slice){start->data, start->size});
    int ok = 1;
    size_t pos = lo;
    for (;;) {
        while (pos < hi && !m->live[m->order[pos]]) pos++;
        int more = kv_iter_valid(it);
        if (more && hi < m->n) {
            const kv_buf *end = &m->keys[m->order[hi]];
            more = kv_compare(kv_iter_key(it),
                              (kv_slice){end->data, end->size}) < 0;
        }
        if (!more || pos == hi) {
            ok = !more && pos == hi;
            if (!ok)
                snprintf(why, n, "scan [%zu,%zu): %s at sorted key %zu", lo, hi,
                         more ? "an extra key" : "a key missing", pos);
            break;
        }
        const kv_buf *k = &m->keys[m->order[pos]],
                     *v = &m->values[m->order[pos]];
        kv_slice ik = kv_iter_key(it), iv = kv_iter_value(it);
        if (!same(k, ik) || !same(v, iv)) {
            snprintf(why, n, "scan [%zu,%zu): at sorted key %zu: wrong %s", lo,
                     hi, pos, same(k, ik) ? "value" : "key");
            ok = 0;
            break;
        }
        pos++;
        kv_iter_next(it);
    }
    s = kv_iter_status(it);
    if (ok && s.code != KV_OK) {
        snprintf(why, n, "scan [%zu,%zu): %s", lo, hi, s.msg);
        ok = 0;
    }
    kv_iter_free(it);
    return ok;
}

/* --- contract tests ---------------------------------------------------------
 */

/* Opens dir with the stage's test options; the test fails if it cannot. */
#define OPEN(dir, db) CHECK_OK(suite_open((dir), TEST_OPTS, NULL, &(db)))
#define REOPEN(dir, db)                                                        \
    do {                                                                       \
        CHECK_OK(kv_close(db));                                                \
        db = NULL;                                                             \
        OPEN(dir, db);                                                         \
    } while (0)
/* key must map to exactly the bytes of value (a kv_slice). */
#define CHECK_GET(db, key, value, buf)                                         \
    do {                                                                       \
        CHECK_OK(kv_get((db), (key), (buf)));                                  \
        CHECK(same((buf), (value)));                                           \
    } while (0)

static void test_put_get_delete(void) {
    char d[512];
    kv_db *db = NULL;
    kv_buf v = {0};
    OPEN(sub(d, sizeof d, "db"), db);
    CHECK_OK(kv_put(db, kv_str("apple"), kv_str("red")));
    CHECK_GET(db, kv_str("apple"), kv_str("red"), &v);
    CHECK_OK(kv_delete(db, kv_str("apple")));
    CHECK_CODE(kv_get(db, kv_str("apple"), &v), KV_NOT_FOUND);
    CHECK_OK(kv_put(db, kv_str("apple"), kv_str("green")));
    CHECK_GET(db, kv_str("apple"), kv_str("green"), &v);
    CHECK_OK(kv_close(db));
    kv_buf_free(&v);
}

static void test_overwrite(void) {
    char d[512];
    kv_db *db = NULL;
    kv_buf v = {0};
    OPEN(sub(d, sizeof d, "db"), db);
    CHECK_OK(kv_put(db, kv_str("k"), kv_str("first value")));
    CHECK_OK(kv_put(db, kv_str("k"), kv_str("second, longer value")));
    CHECK_GET(db, kv_str("k"), kv_str("second, longer value"), &v);
    CHECK_OK(kv_put(db, kv_str("k"), kv_str("3rd")));
    CHECK_GET(db, kv_str("k"), kv_str("3rd"), &v);
    REOPEN(d, db);
    CHECK_GET(db, kv_str("k"), kv_str("3rd"), &v);
    CHECK_OK(kv_close(db));
    kv_buf_free(&v);
}

static void test_missing_key(void) {
    char d[512];
    kv_db *db = NULL;
    kv_buf v = {0};
    OPEN(sub(d, sizeof d, "db"), db);
    CHECK_CODE(kv_get(db, kv_str("nope"), &v), KV_NOT_FOUND);
    CHECK_OK(kv_delete(db, kv_str("nope")));
    CHECK_OK(kv_put(db, kv_str("yes"), kv_str("1")));
    CHECK_CODE(kv_get(db, kv_str("nope"), &v), KV_NOT_FOUND);
    CHECK_CODE(kv_get(db, kv_str("ye"), &v), KV_NOT_FOUND);
    CHECK_CODE(kv_get(db, kv_str("yes!"), &v), KV_NOT_FOUND);
    CHECK_OK(kv_delete(db, kv_str("nope")));
    CHECK_GET(db, kv_str("yes"), kv_str("1"), &v);
    CHECK_OK(kv_close(db));
    kv_buf_free(&v);
}

static void test_key_limits(void) {
    char d[512];
    kv_db *db = NULL;
    kv_buf v = {0};
    char *big = xmalloc(KV_MAX_KEY + 1);
    memset(big, 'k', KV_MAX_KEY + 1);
    kv_slice max = {big, KV_MAX_KEY}, over = {big, KV_MAX_KEY + 1};
    kv_slice empty = {"", 0};
    OPEN(sub(d, sizeof d, "db"), db);
    CHECK_CODE(kv_put(db, empty, kv_str("v")), KV_INVALID_ARGUMENT);
    CHECK_CODE(kv_get(db, empty, &v), KV_INVALID_ARGUMENT);
    CHECK_CODE(kv_delete(db, empty), KV_INVALID_ARGUMENT);
    CHECK_CODE(kv_put(db, over, kv_str("v")), KV_INVALID_ARGUMENT);
    CHECK_OK(kv_put(db, max, kv_str("max")));
    CHECK_GET(db, max, kv_str("max"), &v);
    REOPEN(d, db);
    CHECK_GET(db, max, kv_str("max"), &v);
    CHECK_OK(kv_close(db));
    kv_buf_free(&v);
    free(big);
}

/* A value one byte too long is refused before its bytes are read: the
 * slice claims KV_MAX_VALUE + 1 bytes over a 16-byte buffer. */
static void test_value_limit(void) {
    char d[512], small[16] = "small";
    kv_db *db = NULL;
    kv_buf v = {0};
    OPEN(sub(d, sizeof d, "db"), db);
    kv_slice huge = {small, (size_t)KV_MAX_VALUE + 1};
    CHECK_CODE(kv_put(db, kv_str("k"), huge), KV_INVALID_ARGUMENT);
    CHECK_CODE(kv_get(db, kv_str("k"), &v), KV_NOT_FOUND);
    CHECK_OK(kv_close(db));
    kv_buf_free(&v);
}

static void test_binary_bytes(void) {
    static const kv_slice keys[] = {
        {"a", 1},  {"a\0", 2},      {"a\0b", 3}, {"a\0c", 3},
        {"\0", 1}, {"\xff\xff", 2}, {"\xff", 1}, {"\0\0\0\xff", 4}};
    static const kv_slice vals[] = {
        {"\0", 1},   {"\0\0", 2}, {"x\0y", 3},         {"\xff\0\xff", 3},
        {"\xff", 1}, {"v\0", 2},  {"\0\xff\0\xff", 4}, {"plain", 5}};
    const size_t n = sizeof keys / sizeof keys[0];
    char d[512];
    kv_db *db = NULL;
    kv_buf v = {0};
    OPEN(sub(d, sizeof d, "db"), db);
    for (size_t i = 0; i < n; i++) CHECK_OK(kv_put(db, keys[i], vals[i]));
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < n; i++) CHECK_GET(db, keys[i], vals[i], &v);
        REOPEN(d, db);
    }
    CHECK_OK(kv_close(db));
    kv_buf_free(&v);
}

static void test_empty_value(void) {
    char d[512];
    kv_db *db = NULL;
    kv_buf v = {0};
    kv_slice empty = {"", 0};
    OPEN(sub(d, sizeof d, "db"), db);
    CHECK_OK(kv_put(db, kv_str("k"), kv_str("something")));
    CHECK_OK(kv_put(db, kv_str("k"), empty));
    CHECK_GET(db, kv_str("k"), empty, &v);
    REOPEN(d, db);
    CHECK_GET(db, kv_str("k"), empty, &v);
    CHECK_OK(kv_delete(db, kv_str("k")));
    CHECK_CODE(kv_get(db, kv_str("k"), &v), KV_NOT_FOUND);
    CHECK_OK(kv_close(db));
    kv_buf_free(&v);
}

static void test_big_value(void) {
    const size_t n = 1u << 20;
    char d[512];
    kv_db *db = NULL;
    kv_buf v = {0};
    char *big = xmalloc(n);
    uint64_t st = test_seed();
    for (size_t i = 0; i < n; i++) big[i] = (char)suite_rand(&st);
    kv_slice value = {big, n};
    OPEN(sub(d, sizeof d, "db"), db);
    CHECK_OK(kv_put(db, kv_str("before"), kv_str("b")));
    CHECK_OK(kv_put(db, kv_str("big"), value));
    CHECK_OK(kv_put(db, kv_str("c-after"), kv_str("a")));
    for (int round = 0; round < 2; round++) {
        CHECK_GET(db, kv_str("big"), value, &v);
        CHECK_GET(db, kv_str("before"), kv_str("b"), &v);
        CHECK_GET(db, kv_str("c-after"), kv_str("a"), &v);
        REOPEN(d, db);
    }
    CHECK_OK(kv_close(db));
    kv_buf_free(&v);
    free(big);
}

/* 100 keys, 10 overwritten, 20 deleted: all as left after two reopens. */
static void test_survives_reopen(void) {
    char d[512], key[32], val[64];
    kv_db *db = NULL;
    kv_buf v = {0};
    OPEN(sub(d, sizeof d, "db"), db);
    for (int i = 0; i < 100; i++) {
        snprintf(key, sizeof key, "key%03d", i);
        snprintf(val, sizeof val, "value %d", i);
        CHECK_OK(kv_put(db, kv_str(key), kv_str(val)));
    }
    for (int i = 0; i < 30; i++) {
        snprintf(key, sizeof key, "key%03d", i * 3);
        snprintf(val, sizeof val, "new value %d", i * 3);
        CHECK_OK(i < 10 ? kv_put(db, kv_str(key), kv_str(val))
                        : kv_delete(db, kv_str(key)));
    }
    for (int round = 0; round < 2; round++) {
        REOPEN(d, db);
        for (int i = 0; i < 100; i++) {
            snprintf(key, sizeof key, "key%03d", i);
            int overwritten = i % 3 == 0 && i < 30;
            int deleted = i % 3 == 0 && i >= 30 && i < 90;
            snprintf(val, sizeof val, "%svalue %d", overwritten ? "new " : "",
                     i);
            if (deleted)
                CHECK_CODE(kv_get(db, kv_str(key), &v), KV_NOT_FOUND);
            else
                CHECK_GET(db, kv_str(key), kv_str(val), &v);
        }
    }
    CHECK_OK(kv_close(db));
    kv_buf_free(&v);
}

static void test_unknown_option(void) {
    char d[512];
    kv_db *db = (kv_db *)&db;
    const kv_option opts[] = {{"no_such_option", "1"}, {NULL, NULL}};
    kv_status s = suite_open(sub(d, sizeof d, "db"), opts, NULL, &db);
    CHECKF(s.code == KV_INVALID_ARGUMENT, "got %s: %s", kv_code_name(s.code),
           s.msg);
    CHECKF(strstr(s.msg, "no_such_option") != NULL, "message: %s", s.msg);
    CHECK(db == NULL);
}

static void test_other_stage_refused(void) {
    char d[512], store[600];
    const char *text = "kv-course store\nstage: stage9-other\n";
    kv_db *db = (kv_db *)&db;
    CHECK(mkdir(sub(d, sizeof d, "db"), 0755) == 0);
    snprintf(store, sizeof store, "%s/STORE", d);
    CHECK(write_text(store, text) == 0);
    kv_status s = suite_open(d, TEST_OPTS, NULL, &db);
    CHECKF(s.code == KV_INVALID_ARGUMENT, "got %s: %s", kv_code_name(s.code),
           s.msg);
    CHECK(db == NULL);
    char got[128] = "";
    FILE *f = fopen(store, "r");
    CHECK(f != NULL);
    size_t n = fread(got, 1, sizeof got - 1, f);
    fclose(f);
    CHECKF(n == strlen(text) && memcmp(got, text, n) == 0, "STORE was changed");
}

static void test_foreign_dir_refused(void) {
    char d[512], path[600];
    kv_db *db = (kv_db *)&db;
    CHECK(mkdir(sub(d, sizeof d, "db"), 0755) == 0);
    snprintf(path, sizeof path, "%s/notes.txt", d);
    CHECK(write_text(path, "not a store\n") == 0);
    kv_status s = suite_open(d, TEST_OPTS, NULL, &db);
    CHECKF(s.code == KV_INVALID_ARGUMENT, "got %s: %s", kv_code_name(s.code),
           s.msg);
    CHECK(db == NULL);
    snprintf(path, sizeof path, "%s/STORE", d);
    CHECK(access(path, F_OK) != 0);
}

/* kv_stats' I/O counters lie between two snapshots of the env's counts,
 * both taken relative to the moment kv_open began. */
static void check_io_stats(kv_db *db, io_env *env, io_counts at_open) {
    static const char *const names[6] = {"reads",  "bytes_read",
                                         "writes", "bytes_written",
                                         "syncs",  "files_opened"};
    kv_stat st[KV_STATS_MAX];
    io_counts a = io_counts_sub(io_env_counts(env), at_open);
    size_t n = kv_stats(db, st, KV_STATS_MAX);
    io_counts b = io_counts_sub(io_env_counts(env), at_open);
    uint64_t lo[6] = {a.reads,         a.bytes_read, a.writes,
                      a.bytes_written, a.syncs,      a.files_opened};
    uint64_t hi[6] = {b.reads,         b.bytes_read, b.writes,
                      b.bytes_written, b.syncs,      b.files_opened};
    CHECKF(n >= 6 && n <= KV_STATS_MAX, "kv_stats returned %zu", n);
    for (size_t i = 0; i < 6; i++) {
        CHECKF(strcmp(st[i].name, names[i]) == 0, "stat %zu is '%s', want '%s'",
               i, st[i].name, names[i]);
        CHECKF(st[i].value >= lo[i] && st[i].value <= hi[i],
               "%s = %llu, but the env counted %llu since open", names[i],
               (unsigned long long)st[i].value, (unsigned long long)lo[i]);
    }
    CHECK(kv_stats(db, st, 3) <= 3);
    CHECK(strcmp(st[2].name, "writes") == 0);
}

static void test_stats(void) {
    char d[512], key[32];
    kv_db *db = NULL;
    kv_buf v = {0};
    io_env *env = io_env_new();
    io_counts c0 = io_env_counts(env);
    CHECK_OK(suite_open(sub(d, sizeof d, "db"), TEST_OPTS, env, &db));
    /* A new store: STORE was written and synced through the env. */
    CHECK(suite_stat(db, "writes") > 0 && suite_stat(db, "bytes_written") > 0);
    CHECK(suite_stat(db, "syncs") > 0 && suite_stat(db, "files_opened") > 0);
    check_io_stats(db, env, c0);
    for (int i = 0; i < 50 && !test_failed(); i++) {
        snprintf(key, sizeof key, "key%d", i);
        CHECK_OK(kv_put(db, kv_str(key), kv_str("value")));
        CHECK_OK(kv_get(db, kv_str(key), &v));
    }
    check_io_stats(db, env, c0);
    CHECK_OK(kv_close(db));
    c0 = io_env_counts(env);
    CHECK_OK(suite_open(d, TEST_OPTS, env, &db));
    check_io_stats(db, env, c0);
    CHECK_OK(kv_get(db, kv_str("key7"), &v));
    check_io_stats(db, env, c0);
    CHECK_OK(kv_close(db));
    io_env_free(env);
    kv_buf_free(&v);
}

static void test_dump(void) {
    char d[512], missing[512];
    kv_db *db = NULL;
    OPEN(sub(d, sizeof d, "db"), db);
    CHECK_OK(kv_put(db, kv_str("alpha"), kv_str("1")));
    CHECK_OK(kv_put(db, kv_str("beta"), kv_str("2")));
    CHECK_OK(kv_delete(db, kv_str("alpha")));
    CHECK_OK(kv_close(db));
    FILE *f = tmpfile();
    CHECK(f != NULL);
    kv_status s = kv_dump(d, NULL, f);
    long size = ftell(f);
    kv_status s2 = kv_dump(sub(missing, sizeof missing, "missing"), NULL, f);
    fclose(f);
    CHECKF(s.code == KV_OK, "kv_dump: %s", s.msg);
    CHECK(size > 0);
    CHECK(s2.code != KV_OK);
    CHECK(access(missing, F_OK) != 0);
}

/* Scans from start and writes "k=v," per pair into out (for short tests). */
static kv_status scan_text(kv_db *db, const char *start, char *out, size_t n) {
    kv_iter *it;
    kv_status s = kv_iter_new(db, &it);
    if (s.code != KV_OK) return s;
    size_t len = 0;
    out[0] = '\0';
    for (kv_iter_seek(it, kv_str(start)); kv_iter_valid(it); kv_iter_next(it)) {
        kv_slice k = kv_iter_key(it), v = kv_iter_value(it);
        int w = snprintf(out + len, n - len, "%.*s=%.*s,", (int)k.size, k.data,
                         (int)v.size, v.data);
        len += w > 0 && (size_t)w < n - len ? (size_t)w : 0;
    }
    s = kv_iter_status(it);
    kv_iter_free(it);
    return s;
}

static void test_iterator(void) {
    char d[512], got[512];
    kv_db *db = NULL;
    OPEN(sub(d, sizeof d, "db"), db);
    kv_status s = scan_text(db, "", got, sizeof got);
    if (s.code == KV_NOT_SUPPORTED) {
        kv_close(db);
        test_skip("this stage does not scan (KV_NOT_SUPPORTED)");
        return;
    }
    CHECK_OK(s);
    CHECKF(strcmp(got, "") == 0, "empty store scans to '%s'", got);
    const char *keys[] = {"d", "b", "f", "a", "e", "c", "g"};
    for (size_t i = 0; i < 7; i++)
        CHECK_OK(kv_put(db, kv_str(keys[i]), kv_str("old")));
    CHECK_OK(kv_put(db, kv_str("c"), kv_str("new")));
    CHECK_OK(kv_delete(db, kv_str("e")));
    CHECK_OK(kv_delete(db, kv_str("a")));
    for (int round = 0; round < 2; round++) {
        CHECK_OK(scan_text(db, "", got, sizeof got));
        CHECKF(strcmp(got, "b=old,c=new,d=old,f=old,g=old,") == 0, "scan: %s",
               got);
        CHECK_OK(scan_text(db, "d", got, sizeof got));
        CHECKF(strcmp(got, "d=old,f=old,g=old,") == 0, "seek d: %s", got);
        CHECK_OK(scan_text(db, "cc", got, sizeof got));
        CHECKF(strcmp(got, "d=old,f=old,g=old,") == 0, "seek cc: %s", got);
        CHECK_OK(scan_text(db, "e", got, sizeof got));
        CHECKF(strcmp(got, "f=old,g=old,") == 0, "seek e: %s", got);
        CHECK_OK(scan_text(db, "h", got, sizeof got));
        CHECKF(strcmp(got, "") == 0, "seek h: %s", got);
        REOPEN(d, db);
    }
    CHECK_OK(kv_close(db));
}

/* --- the model test
 * ----------------------------------------------------------- */

/* 3000 random operations against the model; see the top of the file. */
static void model_run(uint64_t seed) {
    char d[512], name[64], why[400], val[300];
    kv_db *db = NULL;
    kv_buf v = {0};
    suite_model m;
    suite_model_init(&m, 300, seed);
    snprintf(name, sizeof name, "db-%llu", (unsigned long long)seed);
    OPEN(sub(d, sizeof d, name), db);
    uint64_t st = seed * 7919 + 1;
    for (int op = 0; op < 3000; op++) {
        unsigned r = (unsigned)(suite_rand(&st) % 100);
        size_t k = suite_rand(&st) % m.n;
        kv_slice key = {m.keys[k].data, m.keys[k].size};
        kv_status s;
        if (r < 55) {
            size_t len = suite_rand(&st) % (sizeof val + 1);
            for (size_t i = 0; i < len; i++) val[i] = (char)suite_rand(&st);
            s = kv_put(db, key, (kv_slice){val, len});
            kv_buf_set(&m.values[k], val, len);
            m.live[k] = 1;
        } else if (r < 70) {
            s = kv_delete(db, key);
            m.live[k] = 0;
        } else {
            s = kv_get(db, key, &v);
            if (s.code == (m.live[k] ? KV_OK : KV_NOT_FOUND)) s = kv_ok();
            CHECKF(s.code != KV_OK || !m.live[k] ||
                       same(&v, (kv_slice){m.values[k].data, m.values[k].size}),
                   "seed %llu op %d: get returned a wrong value",
                   (unsigned long long)seed, op);
        }
        CHECKF(s.code == KV_OK, "seed %llu op %d: %s: %s",
               (unsigned long long)seed, op, kv_code_name(s.code), s.msg);
        if ((op + 1) % 250 != 0) continue;
        CHECK_OK(kv_close(db));
        OPEN(d, db);
        CHECKF(suite_model_check(db, &m, why, sizeof why),
               "seed %llu after op %d: %s", (unsigned long long)seed, op, why);
        for (int i = 0; i < 10; i++) {
            size_t lo = suite_rand(&st) % m.n;
            size_t hi = lo + suite_rand(&st) % (m.n - lo + 1);
            int ok = suite_model_scan(db, &m, lo, hi, why, sizeof why);
            if (ok < 0) break;
            CHECKF(ok, "seed %llu after op %d: %s", (unsigned long long)seed,
                   op, why);
        }
    }
    CHECK_OK(kv_close(db));
    suite_model_free(&m);
    kv_buf_free(&v);
}

static void test_model(void) {
    for (unsigned i = 0; i < 3 && !test_failed(); i++)
        model_run((uint64_t)test_seed() + i);
}

TEST_TABLE(contract, TEST(test_put_get_delete), TEST(test_overwrite),
           TEST(test_missing_key), TEST(test_key_limits),
           TEST(test_value_limit), TEST(test_binary_bytes),
           TEST(test_empty_value), TEST(test_big_value),
           TEST(test_survives_reopen), TEST(test_unknown_option),
           TEST(test_other_stage_refused), TEST(test_foreign_dir_refused),
           TEST(test_stats), TEST(test_dump), TEST(test_iterator))

TEST_TABLE(model, TEST(test_model))
