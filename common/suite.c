/*
 * suite.c - the shared suite's helpers, the scoreboard rows' ids and
 * words, and the in-memory model (see suite.h); the tests that use them are in
 * suite_contract.c (table `contract`), suite_model.c (`model`), suite_crash.c
 * (`crash`), suite_damage.c and suite_scoreboard.c (`scoreboard`).
 *
 * The helpers that touch files (dir bytes, copy, flip, cut, rmrf) use plain
 * POSIX, not the I/O layer, so that what they do is never counted or
 * faulted. The model is a fixed key space of random binary keys, kept in
 * kv_compare order too, so that gets and scans can both be checked.
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

/* Each row's id (in KV_SCOREBOARD lines) and its words (in the matrix). */
static const struct {
    const char *id, *name;
} rows[ROW_COUNT] = {
    [ROW_GET_O1] = {"get_o1", "a get reads O(1) records, not the log"},
    [ROW_OPEN_INDEX] = {"open_index", "open reads index data, not all data"},
    [ROW_INDEX_MEMORY] = {"index_memory",
                          "index memory grows slower than key count"},
    [ROW_RANGE_SCAN] = {"range_scan", "ordered range scan"},
    [ROW_KILL9] = {"kill9", "kill -9 loses no acknowledged write"},
    [ROW_POWER_LOSS] = {"power_loss",
                        "simulated power loss loses no acknowledged write "
                        "(sync=always from stage 4)"},
    [ROW_DISK_BOUNDED] = {"disk_bounded",
                          "disk bytes bounded under overwrites and deletes"},
    [ROW_MISSING_KEY] = {"missing_key", "a missing-key get reads no data "
                                        "block (almost always)"},
    [ROW_NO_WAIT] = {"no_wait", "a get never waits for a running compaction"},
    [ROW_CORRUPTION] = {"corruption",
                        "every corrupted byte is detected or harmless"},
    [ROW_TORN_TAIL] = {"torn_tail", "a torn last write (log cut at every byte "
                                    "of its tail) opens to a prefix"},
    [ROW_ONE_PROCESS] = {"one_process",
                         "a second process on the same store is refused"},
};

/* The row's id (a string literal); "?" for a row out of range. */
const char *scoreboard_row_id(scoreboard_row row) {
    return (unsigned)row < ROW_COUNT ? rows[row].id : "?";
}

/* The row's words (a string literal); "?" for a row out of range. */
const char *scoreboard_row_name(scoreboard_row row) {
    return (unsigned)row < ROW_COUNT ? rows[row].name : "?";
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

/* Reads d (opened on dir) to its next entry other than "." and "..",
 * writes "<dir>/<name>" into path and returns the name (valid until the
 * next readdir); NULL at the end. Cannot fail otherwise. */
static const char *next_path(DIR *d, const char *dir, char *path, size_t n) {
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, n, "%s/%s", dir, e->d_name);
        return e->d_name;
    }
    return NULL;
}

/* Sum of the sizes of the regular files in dir and below; 0 if unreadable. */
uint64_t suite_dir_bytes(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return 0;
    uint64_t total = 0;
    char path[4096];
    struct stat st;
    while (next_path(d, dir, path, sizeof path)) {
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
    char path[4096];
    struct stat st;
    while (next_path(d, dir, path, sizeof path)) {
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            suite_rmrf(path);
        else
            unlink(path);
    }
    closedir(d);
    rmdir(dir);
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
    const char *name;
    char src[4096], dst[4096];
    struct stat st;
    while ((name = next_path(d, from, src, sizeof src)) != NULL) {
        snprintf(dst, sizeof dst, "%s/%s", to, name);
        if (lstat(src, &st) != 0) continue;
        if (S_ISDIR(st.st_mode))
            suite_copy_dir(src, dst);
        else if (io_fault_copy_file(src, dst) != 0)
            fprintf(stderr, "suite_copy_dir: cannot copy %s\n", src);
    }
    closedir(d);
}

int suite_copy_file(const char *from, const char *to) {
    return io_fault_copy_file(from, to);
}

int suite_plant_link(const char *victim, const char *link_path) {
    FILE *v = fopen(victim, "w");
    if (v == NULL) return -1;
    int rc = fputs("keep me", v) < 0;
    rc |= fclose(v) != 0;
    return rc ? -1 : link(victim, link_path);
}

int suite_victim_kept(const char *victim) {
    char buf[16] = {0};
    FILE *v = fopen(victim, "r");
    if (v == NULL) return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, v);
    fclose(v);
    return n == 7 && strcmp(buf, "keep me") == 0;
}

char **suite_files(const char *dir) {
    DIR *d = opendir(dir);
    size_t n = 0;
    char **names = xmalloc(sizeof *names), path[4096];
    const char *name;
    struct stat st;
    while (d && (name = next_path(d, dir, path, sizeof path)) != NULL) {
        if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode)) continue;
        names = xrealloc(names, (n + 2) * sizeof *names);
        names[n++] = xstrdup(name);
    }
    if (d) closedir(d);
    names[n] = NULL;
    return names;
}

void suite_files_free(char **names) {
    for (size_t i = 0; names && names[i]; i++) free(names[i]);
    free(names);
}

/* 1 if name ends in suffix. */
static int ends_in(const char *name, const char *suffix) {
    size_t n = strlen(name), m = strlen(suffix);
    return n >= m && strcmp(name + n - m, suffix) == 0;
}

int suite_count_files(const char *dir, const char *suffix) {
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d)) != NULL;)
        n += e->d_name[0] != '.' && ends_in(e->d_name, suffix);
    if (d) closedir(d);
    return n;
}

unsigned long long suite_highest_number(const char *dir, const char *suffix) {
    DIR *d = opendir(dir);
    unsigned long long top = 0;
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.' || !ends_in(e->d_name, suffix)) continue;
        unsigned long long n = strtoull(e->d_name, NULL, 10);
        if (n > top) top = n;
    }
    if (d) closedir(d);
    return top;
}

int suite_exists(const char *dir, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return access(path, F_OK) == 0;
}

int suite_open_fds(const char *suffix) {
    DIR *d = opendir("/proc/self/fd");
    if (d == NULL) return -1;
    int n = 0;
    char link[300], target[4096];
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.' || atoi(e->d_name) == dirfd(d)) continue;
        snprintf(link, sizeof link, "/proc/self/fd/%s", e->d_name);
        ssize_t len = readlink(link, target, sizeof target - 1);
        if (len <= 0) continue;
        target[len] = '\0';
        n += ends_in(target, suffix);
    }
    closedir(d);
    return n;
}

const char *suite_gone(const char *dir, char **names) {
    char path[4096];
    for (size_t i = 0; names[i]; i++) {
        if (ends_in(names[i], ".tmp")) continue;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (access(path, F_OK) == 0) continue;
        snprintf(path, sizeof path, "%s/lost/%s", dir, names[i]);
        if (access(path, F_OK) != 0) return names[i];
    }
    return NULL;
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

/* Writes "<test dir>/name" into buf and returns buf. Cannot fail. */
const char *suite_path(char *buf, size_t n, const char *name) {
    snprintf(buf, n, "%s/%s", test_dir(), name);
    return buf;
}

/* 1 if the buffer holds exactly the slice's bytes. Cannot fail. */
int suite_same(const kv_buf *b, kv_slice s) {
    return b->size == s.size &&
           (s.size == 0 || memcmp(b->data, s.data, s.size) == 0);
}

/* --- the model ------------------------------------------------------------ */

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
                dup = suite_same(&m->keys[j], (kv_slice){k, len});
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
            ok = suite_same(&v,
                            (kv_slice){m->values[i].data, m->values[i].size});
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
        if (!suite_same(k, ik) || !suite_same(v, iv)) {
            snprintf(why, n, "scan [%zu,%zu): at sorted key %zu: wrong %s", lo,
                     hi, pos, suite_same(k, ik) ? "value" : "key");
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
