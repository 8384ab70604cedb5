/*
 * kv.c - the helpers every stage uses: slices and buffers, key and value
 * limits, options by name, the STORE marker, and the I/O counters as stats.
 *
 * The STORE marker. Every store directory holds a file named STORE whose
 * whole content is exactly
 *
 *     kv-course store\n
 *     stage: <stage name>\n
 *     id: <16 hex digits>\n
 *
 * so a store made by one stage is never misread by another, and a directory
 * of unrelated files is never taken for a store. The id is drawn when the
 * store is made (kv_store_id): a stage with a write-ahead log writes it at
 * the start of every log, so a log copied in from another store is never
 * replayed as this one's. (A marker without the id line, as the course's
 * first stores had, reads as id 0.) It is written as STORE.tmp,
 * synced, renamed to STORE and the directory synced: after a crash the
 * directory holds either no STORE (and is claimed again) or a whole one.
 *
 * The LOCK file. Claiming a store also locks its file LOCK (io_lock, as
 * LevelDB's LOCK), so one open at a time owns the store: every stage's open
 * changes the store (cuts a torn tail, removes leftovers, numbers new
 * files), and a second one would destroy what the first acknowledged. The
 * LOCK file holds nothing and stays when the store is closed; the lock
 * itself is dropped at kv_close, or by the kernel when the process dies.
 */
#include "kv.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hash.h"

/* --- slices and buffers -------------------------------------------------- */

kv_slice kv_str(const char *s) {
    kv_slice sl = {s, strlen(s)};
    return sl;
}

/* Makes room for n more bytes plus a NUL; data stays NUL-terminated. */
static void buf_reserve(kv_buf *b, size_t n) {
    size_t need = b->size + n + 1;
    if (need <= b->cap) return;
    size_t cap = b->cap ? b->cap : 16;
    while (cap < need) cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
}

/* Replaces b's contents with data[0..n). b->data[b->size] is always 0. */
void kv_buf_set(kv_buf *b, const void *data, size_t n) {
    b->size = 0;
    kv_buf_append(b, data, n);
}

void kv_buf_append(kv_buf *b, const void *data, size_t n) {
    buf_reserve(b, n);
    if (n) memcpy(b->data + b->size, data, n);
    b->size += n;
    b->data[b->size] = '\0';
}

/* Frees b's memory and leaves it empty and reusable. */
void kv_buf_free(kv_buf *b) {
    free(b->data);
    b->data = NULL;
    b->size = b->cap = 0;
}

/* --- limits and ordering ------------------------------------------------- */

kv_status kv_check_key(kv_slice key) {
    if (key.size == 0) return kv_error(KV_INVALID_ARGUMENT, "empty key");
    if (key.size > KV_MAX_KEY)
        return kv_error(KV_INVALID_ARGUMENT,
                        "key of %zu bytes is longer than the limit of %u",
                        key.size, KV_MAX_KEY);
    return kv_ok();
}

kv_status kv_check_value(kv_slice value) {
    if (value.size > KV_MAX_VALUE)
        return kv_error(KV_INVALID_ARGUMENT,
                        "value of %zu bytes is longer than the limit of %u",
                        value.size, KV_MAX_VALUE);
    return kv_ok();
}

/* <0, 0, >0 as a sorts before, with, after b; bytes compare unsigned. */
int kv_compare(kv_slice a, kv_slice b) {
    size_t n = a.size < b.size ? a.size : b.size;
    int c = n ? memcmp(a.data, b.data, n) : 0;
    if (c != 0) return c;
    return (a.size > b.size) - (a.size < b.size);
}

void kv_print_quoted(FILE *out, kv_slice s, size_t max) {
    fputc('"', out);
    for (size_t i = 0; i < s.size && i < max; i++) {
        unsigned char c = (unsigned char)s.data[i];
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
            fputc(c, out);
        else
            fprintf(out, "\\x%02x", c);
    }
    fputc('"', out);
    if (s.size > max) fputs("...", out);
}

/* --- options ------------------------------------------------------------- */

static int name_known(const char *name, const char *const *known) {
    for (size_t i = 0; known && known[i]; i++)
        if (strcmp(name, known[i]) == 0) return 1;
    return 0;
}

/* The first unknown name is the error; its message lists the known ones. */
kv_status kv_config_check(const kv_config *cfg, const char *const *known) {
    for (size_t i = 0; cfg && i < cfg->count; i++) {
        const char *name = cfg->options[i].name;
        if (name_known(name, known)) continue;
        char list[KV_STATUS_MSG_MAX] = "none";
        size_t len = 0;
        for (size_t k = 0; known && known[k]; k++) {
            int w = snprintf(list + len, sizeof list - len, "%s%s",
                             k ? ", " : "", known[k]);
            if (w < 0 || (size_t)w >= sizeof list - len)
                break; /* the message is cut short anyway */
            len += (size_t)w;
        }
        return kv_error(KV_INVALID_ARGUMENT,
                        "unknown option '%s' (%s knows: %s)", name,
                        kv_stage_name, list);
    }
    return kv_ok();
}

/* The last setting of name wins; NULL when it is not set. */
const char *kv_config_get(const kv_config *cfg, const char *name) {
    const char *value = NULL;
    for (size_t i = 0; cfg && i < cfg->count; i++)
        if (strcmp(cfg->options[i].name, name) == 0)
            value = cfg->options[i].value;
    return value;
}

/*
 * Parses digits with an optional binary suffix k/K (2^10), m/M (2^20) or
 * g/G (2^30). Returns 0 and *v, -1 if it is not a number, -2 on overflow.
 */
static int parse_u64(const char *s, uint64_t *v) {
    uint64_t x = 0;
    const char *p = s;
    if (*p < '0' || *p > '9') return -1;
    for (; *p >= '0' && *p <= '9'; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (x > (UINT64_MAX - d) / 10) return -2;
        x = x * 10 + d;
    }
    unsigned shift = 0;
    switch (*p) {
    case '\0':
        break;
    case 'k':
    case 'K':
        shift = 10;
        p++;
        break;
    case 'm':
    case 'M':
        shift = 20;
        p++;
        break;
    case 'g':
    case 'G':
        shift = 30;
        p++;
        break;
    default:
        return -1;
    }
    if (*p != '\0') return -1;
    if (shift && x > (UINT64_MAX >> shift)) return -2;
    *v = x << shift;
    return 0;
}

kv_status kv_config_u64(const kv_config *cfg, const char *name, uint64_t dflt,
                        uint64_t min, uint64_t max, uint64_t *out) {
    const char *s = kv_config_get(cfg, name);
    uint64_t v = 0;
    *out = dflt;
    if (!s) return kv_ok();
    int r = parse_u64(s, &v);
    if (r == -1)
        return kv_error(KV_INVALID_ARGUMENT, "option %s: '%s' is not a number",
                        name, s);
    if (r == -2 || v < min || v > max)
        return kv_error(KV_INVALID_ARGUMENT,
                        "option %s: '%s' is out of range (min %llu, max %llu)",
                        name, s, (unsigned long long)min,
                        (unsigned long long)max);
    *out = v;
    return kv_ok();
}

/* The prefixes the option errors above, and the stages' own, start with. */
int kv_is_option_error(kv_status s) {
    return s.code == KV_INVALID_ARGUMENT &&
           (strncmp(s.msg, "unknown option ", 15) == 0 ||
            strncmp(s.msg, "option ", 7) == 0);
}

/* --- the STORE marker ---------------------------------------------------- */

#define STORE_NAME  "STORE"
#define STORE_TMP   "STORE.tmp"
#define LOCK_NAME   "LOCK"
#define STORE_HEAD  "kv-course store\nstage: "
#define STORE_ID    "id: "
#define STORE_LIMIT 256 /* a marker is never longer */

/* "<dir>/<name>" in a buffer the caller frees. */
static char *path_join(const char *dir, const char *name) {
    size_t n = strlen(dir);
    int slash = n > 0 && dir[n - 1] == '/';
    char *p = xmalloc(n + 1 + strlen(name) + 1);
    sprintf(p, "%s%s%s", dir, slash ? "" : "/", name);
    return p;
}

/* The directory holding dir ("." for a bare name), which the caller frees. */
static char *path_parent(const char *dir) {
    char *p = xstrdup(dir);
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/') p[--n] = '\0';
    char *slash = strrchr(p, '/');
    if (!slash) {
        free(p);
        return xstrdup(".");
    }
    while (slash > p && slash[-1] == '/') slash--;
    slash[slash == p ? 1 : 0] = '\0';
    return p;
}

/* Reads up to STORE_LIMIT + 1 bytes of path into buf; *len says how many. */
static kv_status read_marker(io_env *env, const char *path, char *buf,
                             size_t *len) {
    io_file *f;
    kv_status s = io_open_read(env, path, &f);
    if (!kv_is_ok(s)) return s;
    s = io_pread(f, buf, STORE_LIMIT + 1, 0, len);
    kv_status c = io_close(f);
    return kv_is_ok(s) ? c : s;
}

/*
 * Checks the STORE file of dir: OK if it names this stage; KV_INVALID_ARGUMENT
 * if it names another; KV_CORRUPTION if it is not a marker at all.
 */
/* Parses an id line, "id: " and 16 lowercase hex digits then "\n", the
 * whole of text[0..n); 1 on success, with *id. */
static int parse_id(const char *text, size_t n, uint64_t *id) {
    size_t head = strlen(STORE_ID);
    if (n != head + 17 || memcmp(text, STORE_ID, head) != 0 ||
        text[n - 1] != '\n')
        return 0;
    *id = 0;
    for (size_t i = head; i < n - 1; i++) {
        const char *digits = "0123456789abcdef", *d = strchr(digits, text[i]);
        if (d == NULL || text[i] == '\0') return 0;
        *id = *id << 4 | (uint64_t)(d - digits);
    }
    return 1;
}

/* Reads dir's marker: KV_CORRUPTION unless it is one (the id line may be
 * missing: *id 0), KV_INVALID_ARGUMENT if another stage made the store. */
static kv_status check_marker(io_env *env, const char *dir, uint64_t *id) {
    char buf[STORE_LIMIT + 2];
    size_t len = 0, head = strlen(STORE_HEAD);
    char *path = path_join(dir, STORE_NAME);
    kv_status s = read_marker(env, path, buf, &len);
    free(path);
    if (!kv_is_ok(s)) return s;
    buf[len] = '\0';
    const char *stage = buf + head;
    const char *nl = len > head ? memchr(stage, '\n', len - head) : NULL;
    size_t rest = nl ? len - (size_t)(nl + 1 - buf) : 0;
    *id = 0;
    if (len > STORE_LIMIT || nl == NULL || nl == stage ||
        memcmp(buf, STORE_HEAD, head) != 0 || memchr(buf, '\0', len) ||
        (rest > 0 && !parse_id(nl + 1, rest, id)))
        return kv_error(KV_CORRUPTION, "%s/%s: not a kv-course store marker",
                        dir, STORE_NAME);
    buf[nl - buf] = '\0';
    if (strcmp(stage, kv_stage_name) != 0)
        return kv_error(KV_INVALID_ARGUMENT, "%s holds a %s store; this is %s",
                        dir, stage, kv_stage_name);
    return kv_ok();
}

/* A new store's id: the clocks, the process and the directory hashed, so
 * two stores made anywhere, at any time, almost surely differ. Not 0. */
static uint64_t new_id(const char *dir) {
    struct timespec t[2];
    clock_gettime(CLOCK_REALTIME, &t[0]);
    clock_gettime(CLOCK_MONOTONIC, &t[1]);
    uint64_t seed = (uint64_t)getpid() * 0x9e3779b97f4a7c15ull;
    uint64_t id = hash64(t, sizeof t, hash64(dir, strlen(dir), seed));
    return id ? id : 1;
}

/*
 * Writes the marker as STORE.tmp (a leftover one removed first, and the new
 * one created with O_EXCL, so a planted link is never followed), syncs it,
 * renames it to STORE and syncs dir; with new_dir, also syncs dir's parent
 * so the directory itself survives a power loss.
 */
static kv_status write_marker(io_env *env, const char *dir, int new_dir,
                              int has_tmp) {
    char text[STORE_LIMIT];
    int n = snprintf(text, sizeof text, "%s%s\n%s%016llx\n", STORE_HEAD,
                     kv_stage_name, STORE_ID,
                     (unsigned long long)new_id(dir));
    if (n < 0 || (size_t)n >= sizeof text)
        return kv_error(KV_INVALID_ARGUMENT, "stage name too long for %s",
                        STORE_NAME);
    char *tmp = path_join(dir, STORE_TMP), *final = path_join(dir, STORE_NAME);
    char *parent = NULL;
    io_file *f = NULL;
    kv_status s = has_tmp ? io_remove(env, tmp) : kv_ok();
    if (kv_is_ok(s)) s = io_create(env, tmp, &f);
    if (kv_is_ok(s)) {
        s = io_append(f, text, (size_t)n);
        if (kv_is_ok(s)) s = io_sync(f);
        kv_status c = io_close(f);
        if (kv_is_ok(s)) s = c;
    }
    if (kv_is_ok(s)) s = io_rename(env, tmp, final);
    if (kv_is_ok(s)) s = io_sync_dir(env, dir);
    if (kv_is_ok(s) && new_dir) {
        parent = path_parent(dir);
        s = io_sync_dir(env, parent);
    }
    free(parent);
    free(tmp);
    free(final);
    return s;
}

/* What a listing of a store directory holds. */
typedef struct dir_kind {
    int has_store; /* a STORE file */
    int has_tmp;   /* a STORE.tmp left by an interrupted claim */
    int others;    /* files that are none of STORE, STORE.tmp, LOCK */
} dir_kind;

/* Lists dir into *k. An error names dir. */
static kv_status list_kind(io_env *env, const char *dir, dir_kind *k) {
    char **names = NULL;
    kv_status s = io_list_dir(env, dir, &names);
    if (!kv_is_ok(s)) return s;
    *k = (dir_kind){0, 0, 0};
    for (size_t i = 0; names[i]; i++) {
        if (strcmp(names[i], STORE_NAME) == 0)
            k->has_store = 1;
        else if (strcmp(names[i], STORE_TMP) == 0)
            k->has_tmp = 1;
        else if (strcmp(names[i], LOCK_NAME) != 0)
            k->others++;
    }
    io_names_free(names);
    return kv_ok();
}

/* KV_INVALID_ARGUMENT when k is a directory of files but no store. */
static kv_status check_not_foreign(const char *dir, const dir_kind *k) {
    if (!k->has_store && k->others)
        return kv_error(KV_INVALID_ARGUMENT,
                        "%s is not empty and holds no kv store (no STORE file)",
                        dir);
    return kv_ok();
}

/* Locks dir/LOCK into *lock; "in use" when another open holds it. */
static kv_status lock_store(io_env *env, const char *dir, io_file **lock) {
    char *path = path_join(dir, LOCK_NAME);
    kv_status s = io_lock(env, path, lock);
    free(path);
    if (kv_is_ok(s) && *lock == NULL)
        return kv_error(KV_IO_ERROR,
                        "store %s is in use: another process (or another "
                        "open in this one) holds its %s",
                        dir, LOCK_NAME);
    return s;
}

/*
 * Checks that dir is a store (or can become one) without changing it, then
 * locks it, then decides again under the lock: another process may have
 * made the store in between.
 */
kv_status kv_store_claim(io_env *env, const char *dir, int *created,
                         io_file **lock) {
    dir_kind k;
    *created = 0;
    *lock = NULL;
    /* A directory that cannot be listed is made (an existing one is fine). */
    int new_dir = !kv_is_ok(list_kind(env, dir, &k));
    if (new_dir) {
        kv_status s = io_mkdir(env, dir);
        if (!kv_is_ok(s)) return s;
        s = list_kind(env, dir, &k);
        if (!kv_is_ok(s)) return s;
    }
    kv_status s = check_not_foreign(dir, &k);
    if (kv_is_ok(s)) s = lock_store(env, dir, lock);
    if (kv_is_ok(s)) s = list_kind(env, dir, &k);
    if (kv_is_ok(s)) s = check_not_foreign(dir, &k);
    uint64_t id;
    if (kv_is_ok(s) && k.has_store) {
        s = check_marker(env, dir, &id);
    } else if (kv_is_ok(s)) {
        s = write_marker(env, dir, new_dir, k.has_tmp);
        if (kv_is_ok(s)) *created = 1;
    }
    if (!kv_is_ok(s)) {
        io_unlock(*lock);
        *lock = NULL;
        *created = 0;
    }
    return s;
}

kv_status kv_store_id(io_env *env, const char *dir, uint64_t *id) {
    return check_marker(env, dir, id);
}

/* --- stats --------------------------------------------------------------- */

/* Writes the six counters of c into out[0..max); returns how many. */
static size_t counts_to_stats(io_counts c, kv_stat *out, size_t max) {
    const kv_stat all[] = {
        {"reads", c.reads},   {"bytes_read", c.bytes_read},
        {"writes", c.writes}, {"bytes_written", c.bytes_written},
        {"syncs", c.syncs},   {"files_opened", c.files_opened},
    };
    size_t n = sizeof all / sizeof all[0];
    if (n > max) n = max;
    for (size_t i = 0; i < n; i++) out[i] = all[i];
    return n;
}

size_t kv_io_stats(io_env *env, kv_stat *out, size_t max) {
    return counts_to_stats(io_env_counts(env), out, max);
}

size_t kv_io_stats_since(io_env *env, io_counts since, kv_stat *out,
                         size_t max) {
    return counts_to_stats(io_counts_sub(io_env_counts(env), since), out, max);
}
