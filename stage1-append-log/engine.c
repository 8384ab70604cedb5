/*
 * engine.c - stage 1: the store is one append-only log, and nothing else.
 *
 * A put or a delete appends one record to data.log (log.h has the format)
 * with a single write(2), and returns. Nothing is kept in memory: a get
 * reads the whole log from the start and keeps the last record for its key,
 * so it costs O(n) in the size of the log. That is this stage's failure,
 * and stage 2 fixes it.
 *
 * Durability: when a put returns, its record is in the kernel, so a killed
 * process loses nothing it acknowledged. Nothing is synced, so a power loss
 * can lose any of it (stage 4 adds the sync).
 *
 * The torn tail: a crash in the middle of an append leaves part of a record
 * at the end of the log. Readers stop there (log.h). Before the next append
 * the tail must be cut off, or the new record would follow garbage and be
 * unreadable. Finding where the tail starts means reading the log from the
 * start; this stage does it once, at the first write after open, so that
 * opening the store stays free of reads.
 */
#include <stdlib.h>
#include <string.h>

#include "kv.h"
#include "log.h"

const char kv_stage_name[] = "stage1-append-log";
const int kv_thread_safe = 0;

#define LOG_NAME "data.log"

struct kv_db {
    io_env *env;
    int own_env;       /* env was made by kv_open and is freed by kv_close */
    io_file *lock;     /* the store's LOCK, held from open to close */
    io_counts at_open; /* the env's counts when open began */
    char *log_path;
    io_file *log;      /* appends go here */
    io_file *reader;   /* reads go here */
    uint64_t log_size; /* bytes in the log, torn tail included */
    int tail_checked;  /* the log is known to end with a whole record */
    kv_buf record;     /* scratch for encoding a record */
};

static const char *const known_options[] = {NULL};

kv_status kv_open(const char *dir, const kv_config *cfg, kv_db **out) {
    kv_config none = {0};
    if (cfg == NULL) cfg = &none;
    *out = NULL;
    kv_status s = kv_config_check(cfg, known_options);
    if (s.code != KV_OK) return s;

    kv_db *db = xcalloc(1, sizeof *db);
    db->env = cfg->env;
    if (db->env == NULL) {
        db->env = io_env_new();
        db->own_env = 1;
    }
    db->at_open = io_env_counts(db->env);

    int created;
    s = kv_store_claim(db->env, dir, &created, &db->lock);
    if (s.code != KV_OK) goto fail;
    db->log_path = xmalloc(strlen(dir) + sizeof "/" LOG_NAME);
    strcpy(db->log_path, dir);
    strcat(db->log_path, "/" LOG_NAME);

    s = io_open_append(db->env, db->log_path, 0, &db->log);
    if (s.code != KV_OK) goto fail;
    s = io_open_read(db->env, db->log_path, &db->reader);
    if (s.code != KV_OK) goto fail;
    s = io_size(db->log, &db->log_size);
    if (s.code != KV_OK) goto fail;
    db->tail_checked = db->log_size == 0;
    *out = db;
    return kv_ok();
fail:
    kv_close(db);
    return s;
}

kv_status kv_close(kv_db *db) {
    if (db == NULL) return kv_ok();
    kv_status s = io_close(db->log);
    kv_status s2 = io_close(db->reader);
    if (s.code == KV_OK) s = s2;
    kv_status u = io_unlock(db->lock); /* last: the store is let go */
    if (s.code == KV_OK) s = u;
    if (db->own_env) io_env_free(db->env);
    free(db->log_path);
    kv_buf_free(&db->record);
    free(db);
    return s;
}

/*
 * Reads the whole log to find the end of its last whole record, and cuts
 * off anything after it: the torn tail of a write a crash interrupted.
 */
static kv_status scan_log(kv_db *db) {
    log_reader r;
    log_record rec;
    int more = 1;
    kv_status s = kv_ok();
    log_reader_init(&r, db->reader, db->log_size);
    while (more && s.code == KV_OK) s = log_reader_next(&r, &rec, &more);
    uint64_t end = r.offset;
    log_reader_free(&r);
    if (s.code != KV_OK) return s;
    if (end < db->log_size) {
        s = io_truncate(db->log, end);
        if (s.code != KV_OK) return s;
        db->log_size = end;
    }
    db->tail_checked = 1;
    return kv_ok();
}

/* Appends one record with one write. */
static kv_status append(kv_db *db, int type, kv_slice key, kv_slice value) {
    kv_status s = kv_check_key(key);
    if (s.code == KV_OK) s = kv_check_value(value);
    if (s.code == KV_OK && !db->tail_checked) s = scan_log(db);
    if (s.code != KV_OK) return s;

    log_encode(&db->record, type, key, value);
    s = io_append(db->log, db->record.data, db->record.size);
    if (s.code != KV_OK) {
        /* Part of the record may have landed: find the end again. */
        db->tail_checked = 0;
        io_size(db->log, &db->log_size);
        return s;
    }
    db->log_size += db->record.size;
    return kv_ok();
}

kv_status kv_put(kv_db *db, kv_slice key, kv_slice value) {
    return append(db, LOG_PUT, key, value);
}

kv_status kv_delete(kv_db *db, kv_slice key) {
    return append(db, LOG_DELETE, key, (kv_slice){"", 0});
}

/* The whole log, front to back: the last record for the key decides. */
kv_status kv_get(kv_db *db, kv_slice key, kv_buf *value) {
    kv_status s = kv_check_key(key);
    if (s.code != KV_OK) return s;

    log_reader r;
    log_record rec;
    int more = 1, found = 0;
    log_reader_init(&r, db->reader, db->log_size);
    for (;;) {
        s = log_reader_next(&r, &rec, &more);
        if (s.code != KV_OK || !more) break;
        if (kv_compare(rec.key, key) != 0) continue;
        found = rec.type == LOG_PUT;
        if (found) kv_buf_set(value, rec.value.data, rec.value.size);
    }
    log_reader_free(&r);
    if (s.code != KV_OK) return s;
    return found ? kv_ok() : kv_error(KV_NOT_FOUND, "not found");
}

size_t kv_stats(kv_db *db, kv_stat *out, size_t max) {
    size_t n = kv_io_stats_since(db->env, db->at_open, out, max);
    if (n < max) out[n++] = (kv_stat){"log_bytes", db->log_size};
    return n;
}

/* A log in arrival order cannot be scanned in key order: stage 3 can. */
kv_status kv_iter_new(kv_db *db, kv_iter **out) {
    (void)db;
    *out = NULL;
    return kv_error(KV_NOT_SUPPORTED,
                    "%s keeps no order: ordered scans arrive in stage 3",
                    kv_stage_name);
}
void kv_iter_seek(kv_iter *it, kv_slice start) {
    (void)it;
    (void)start;
}
int kv_iter_valid(const kv_iter *it) {
    (void)it;
    return 0;
}
void kv_iter_next(kv_iter *it) { (void)it; }
kv_slice kv_iter_key(const kv_iter *it) {
    (void)it;
    return (kv_slice){"", 0};
}
kv_slice kv_iter_value(const kv_iter *it) {
    (void)it;
    return (kv_slice){"", 0};
}
kv_status kv_iter_status(const kv_iter *it) {
    (void)it;
    return kv_ok();
}
void kv_iter_free(kv_iter *it) { (void)it; }

/* Merging tables arrives in stage 5. */
kv_status kv_compact(kv_db *db) {
    (void)db;
    return kv_error(KV_NOT_SUPPORTED, "%s does not compact: stage 5 does",
                    kv_stage_name);
}
