/*
 * engine.c - stage 2: the append-only log of stage 1, plus a hash index.
 *
 * A put or a delete appends one record to data.log (log.h has the format)
 * with a single write(2), and returns. The keydir (keydir.h) remembers, for
 * every live key, where its latest record is: a get is one hash lookup and
 * one pread of that record, whatever the size of the log. That fixes stage
 * 1's failure. The price: open rebuilds the keydir by reading the whole log,
 * and every key lives in memory (Bitcask's design, and its limits).
 *
 * Durability: when a put returns, its record is in the kernel, so a killed
 * process loses nothing it acknowledged. Nothing is synced, so a power loss
 * can lose any of it (stage 4 adds the sync).
 *
 * The torn tail: a crash in the middle of an append leaves part of a record
 * at the end of the log. Readers stop there (log.h). Before the next append
 * the tail must be cut off, or the new record would follow garbage and be
 * unreadable. Open reads the whole log anyway, to build the keydir, and
 * cuts the tail there.
 */
#include <stdlib.h>
#include <string.h>

#include "keydir.h"
#include "kv.h"
#include "log.h"

const char kv_stage_name[] = "stage2-hash-index";
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
    keydir *keydir;    /* every live key -> its latest record */
};

static const char *const known_options[] = {NULL};

static kv_status scan_log(kv_db *db);

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
    db->keydir = keydir_new();

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
    s = scan_log(db);
    if (s.code != KV_OK) goto fail;
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
    keydir_free(db->keydir);
    free(db);
    return s;
}

/*
 * Reads the whole log, pointing the keydir at every key's latest record, to
 * find the end of its last whole record, and cuts off anything after it:
 * the torn tail of a write a crash interrupted.
 */
static kv_status scan_log(kv_db *db) {
    log_reader r;
    log_record rec;
    int more = 1;
    kv_status s = kv_ok();
    log_reader_init(&r, db->reader, db->log_size);
    while (more && s.code == KV_OK) {
        s = log_reader_next(&r, &rec, &more);
        if (s.code != KV_OK || !more) break;
        if (rec.type == LOG_PUT)
            keydir_put(db->keydir, rec.key, (keydir_pos){rec.offset, rec.size});
        else
            keydir_delete(db->keydir, rec.key);
    }
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

    uint64_t offset = db->log_size;
    log_encode(&db->record, type, key, value);
    s = io_append(db->log, db->record.data, db->record.size);
    if (s.code != KV_OK) {
        /* Part of the record may have landed: find the end again. */
        db->tail_checked = 0;
        io_size(db->log, &db->log_size);
        return s;
    }
    db->log_size += db->record.size;
    if (type == LOG_PUT)
        keydir_put(db->keydir, key, (keydir_pos){offset, db->record.size});
    else
        keydir_delete(db->keydir, key);
    return kv_ok();
}

kv_status kv_put(kv_db *db, kv_slice key, kv_slice value) {
    return append(db, LOG_PUT, key, value);
}

kv_status kv_delete(kv_db *db, kv_slice key) {
    return append(db, LOG_DELETE, key, (kv_slice){"", 0});
}

/* One lookup in the keydir, one read of the record it points at. */
kv_status kv_get(kv_db *db, kv_slice key, kv_buf *value) {
    kv_status s = kv_check_key(key);
    if (s.code != KV_OK) return s;

    keydir_pos pos;
    log_record rec;
    if (!keydir_get(db->keydir, key, &pos))
        return kv_error(KV_NOT_FOUND, "not found");
    s = log_read_at(db->reader, pos.offset, pos.size, &db->record, &rec);
    if (s.code != KV_OK) return s;
    if (rec.type != LOG_PUT || kv_compare(rec.key, key) != 0)
        return kv_error(KV_CORRUPTION,
                        "%s: offset %llu: not the record of this key",
                        db->log_path, (unsigned long long)pos.offset);
    kv_buf_set(value, rec.value.data, rec.value.size);
    return kv_ok();
}

size_t kv_stats(kv_db *db, kv_stat *out, size_t max) {
    size_t n = kv_io_stats_since(db->env, db->at_open, out, max);
    if (n < max) out[n++] = (kv_stat){"log_bytes", db->log_size};
    if (n < max) out[n++] = (kv_stat){"keys", keydir_count(db->keydir)};
    if (n < max) out[n++] = (kv_stat){"index_bytes", keydir_memory(db->keydir)};
    return n;
}

/* A hash table has no order either: stage 3 sorts. */
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
