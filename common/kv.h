/*
 * kv.h - the engine contract.
 *
 * Every stage of the course implements exactly this header, in its own
 * files. The kv command, the benchmark driver and the shared test suite in
 * common/ are written against it alone, so the same code drives and measures
 * all six engines, and a diff between two stages is the engine change and
 * nothing else.
 *
 * Keys and values are byte strings with explicit lengths (kv_slice): they
 * may hold any byte, including NUL. Limits, checked by every stage with
 * kv_check_key / kv_check_value:
 *   - a key is 1 to KV_MAX_KEY bytes (an empty key is refused);
 *   - a value is 0 to KV_MAX_VALUE bytes.
 *
 * Options travel by name ("memtable_bytes" = "4096"), so common/ never
 * learns a later stage's knobs. A stage refuses a name it does not know,
 * with a message listing the names it does know.
 *
 * Thread safety: where kv_thread_safe is 0, one thread at a time per kv_db.
 */
#ifndef KV_KV_H
#define KV_KV_H

#include <stdint.h>
#include <stdio.h>

#include "io.h"
#include "status.h"

#define KV_MAX_KEY   1024u               /* bytes */
#define KV_MAX_VALUE (64u * 1024 * 1024) /* bytes */

typedef struct kv_slice {
    const char *data;
    size_t size;
} kv_slice;

/* A slice over a NUL-terminated string (the NUL is not part of it). */
kv_slice kv_str(const char *s);

/* A growable buffer the caller owns; kv_get writes the value into it. */
typedef struct kv_buf {
    char *data;
    size_t size;
    size_t cap;
} kv_buf;

void kv_buf_set(kv_buf *b, const void *data, size_t n);
void kv_buf_append(kv_buf *b, const void *data, size_t n);
void kv_buf_free(kv_buf *b);

/* Options by name. The caller owns the strings; kv_open copies what it keeps.
 */
typedef struct kv_option {
    const char *name;
    const char *value;
} kv_option;

typedef struct kv_config {
    io_env *env; /* NULL: the engine makes a plain env of its own */
    const kv_option *options; /* may be NULL when count is 0 */
    size_t count;
} kv_config;

typedef struct kv_db kv_db;     /* defined by each stage */
typedef struct kv_iter kv_iter; /* defined by each stage that scans */

/* One counter for `stats`: a name and its value. */
typedef struct kv_stat {
    const char *name; /* a string literal */
    uint64_t value;
} kv_stat;

#define KV_STATS_MAX 64

/* The stage's name, as its folder is called: "stage1-append-log". */
extern const char kv_stage_name[];
/* 1 if many threads may call one store at once (stage 5 on), else 0. */
extern const int kv_thread_safe;

/*
 * Opens the store in directory `dir`, creating it (and the directory) if it
 * does not exist. A directory that holds another stage's store, or files
 * that are not a store, is refused with KV_INVALID_ARGUMENT. On success
 * *out is the open store; on failure *out is NULL.
 */
kv_status kv_open(const char *dir, const kv_config *cfg, kv_db **out);

/* Makes key map to value. Durable as the stage's chapter says. */
kv_status kv_put(kv_db *db, kv_slice key, kv_slice value);

/* Copies key's value into *value. KV_NOT_FOUND if the key has none. */
kv_status kv_get(kv_db *db, kv_slice key, kv_buf *value);

/* Removes key. Deleting a key that is not there is not an error. */
kv_status kv_delete(kv_db *db, kv_slice key);

/*
 * Closes the store and frees everything, even when it returns an error
 * (the error says what could not be written or synced, and what became
 * of the writes it held). NULL is a no-op.
 */
kv_status kv_close(kv_db *db);

/*
 * Fills out[0..n) with the store's counters and returns n (at most max):
 * first the I/O layer's (reads bytes_read writes bytes_written syncs
 * files_opened), counted since open, then the stage's own.
 */
size_t kv_stats(kv_db *db, kv_stat *out, size_t max);

/*
 * An ordered iterator over the live pairs, or KV_NOT_SUPPORTED in a stage
 * that cannot scan. The iterator starts unpositioned: call kv_iter_seek.
 * Slices from kv_iter_key/value are valid until the next move.
 */
kv_status kv_iter_new(kv_db *db, kv_iter **out);
void kv_iter_seek(kv_iter *it, kv_slice start); /* first key >= start */
int kv_iter_valid(const kv_iter *it);
void kv_iter_next(kv_iter *it);
kv_slice kv_iter_key(const kv_iter *it);
kv_slice kv_iter_value(const kv_iter *it);
kv_status kv_iter_status(const kv_iter *it); /* an error ends iteration */
void kv_iter_free(kv_iter *it);

/*
 * Compacts the store now, as far as the stage's policy goes (kv compact).
 * KV_NOT_SUPPORTED in a stage without compaction.
 */
kv_status kv_compact(kv_db *db);

/*
 * Prints every on-disk file of the store in `dir`, annotated field by
 * field. Reads through `env` (NULL: a plain one). Damage is reported in the
 * listing, not as an error; an error means the store could not be read.
 */
kv_status kv_dump(const char *dir, io_env *env, FILE *out);

/* --- helpers every stage uses (common/kv.c) ------------------------------ */

/* KV_INVALID_ARGUMENT unless 1 <= key.size <= KV_MAX_KEY. */
kv_status kv_check_key(kv_slice key);
/* KV_INVALID_ARGUMENT unless value.size <= KV_MAX_VALUE. */
kv_status kv_check_value(kv_slice value);

/* Compares two byte strings as memcmp would, shorter first on a tie. */
int kv_compare(kv_slice a, kv_slice b);
/* Prints s to out in double quotes, at most max bytes of it then "..."; a
 * byte outside printable ASCII, a quote or a backslash as \xNN, so the
 * printed form names every byte (kv dump's keys and values). */
void kv_print_quoted(FILE *out, kv_slice s, size_t max);

/*
 * Checks cfg's option names against `known` (a NULL-terminated list) and
 * returns KV_INVALID_ARGUMENT naming the first unknown one and listing the
 * known ones: "unknown option 'bloom_bits' (stage1-append-log knows: none)".
 */
kv_status kv_config_check(const kv_config *cfg, const char *const *known);
/* The value of option `name`, or NULL when it is not set. */
const char *kv_config_get(const kv_config *cfg, const char *name);
/* Parses option `name` as an unsigned integer in [min, max], or *out = dflt. */
kv_status kv_config_u64(const kv_config *cfg, const char *name, uint64_t dflt,
                        uint64_t min, uint64_t max, uint64_t *out);

/*
 * Makes `dir` a store of this stage, or checks that it is one, and locks it
 * for this open. Each store holds a file STORE naming the stage that made
 * it; a directory that does not exist or is empty becomes a new store (the
 * STORE file written and synced, and the directory synced); one made by
 * another stage, or holding files but no STORE, is refused with a message
 * saying so. *created says which happened. On success *lock holds the
 * store's LOCK file locked (io_lock) until the caller's io_unlock at close;
 * a store another open holds (another process, or this one) is refused at
 * once with KV_IO_ERROR "store DIR is in use: ...". On failure *lock is
 * NULL and nothing is held.
 */
kv_status kv_store_claim(io_env *env, const char *dir, int *created,
                         io_file **lock);
/* The id the store's marker records (drawn at random when the store was
 * made; 0 if its marker has none): stages 4 to 7 write it at the start of
 * every log and replay only logs that carry it. Errors: kv_store_claim's. */
kv_status kv_store_id(io_env *env, const char *dir, uint64_t *id);

/*
 * 1 if s is an error about an option's name or value: those of
 * kv_config_check and kv_config_u64, and a stage's own, whose messages
 * start "option NAME: ". The kv command exits 2 for them (bad usage).
 */
int kv_is_option_error(kv_status s);

/* Fills out[] with the I/O counters of env (6 entries) and returns 6. */
size_t kv_io_stats(io_env *env, kv_stat *out, size_t max);
/* The same, counted since `since` (an io_env_counts taken at open). */
size_t kv_io_stats_since(io_env *env, io_counts since, kv_stat *out,
                         size_t max);

#endif
