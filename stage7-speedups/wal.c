/*
 * wal.c - the write-ahead log's writer and its replay; wal.h says what each
 * promises, log.h has the record format, engine.c the life of a log.
 *
 * Writing is stage 1's writer: log_encode the record, one io_append. The
 * new part is the sync policy (the caller's `sync`) and the sticky error:
 * after a failed write the file may end in part of a record, and a record
 * appended after that would be unreadable (it follows garbage), so the log
 * refuses further appends rather than write one that replay cannot find.
 *
 * Replay is stage 1's reader, run once at open: records go into the
 * memtable in log order, so a later put or delete of a key replaces an
 * earlier one, exactly as when they were first made.
 */
#include "wal.h"

#include <stdlib.h>
#include <string.h>

#include "coding.h"
#include "log.h"

struct wal {
    io_file *file;
    uint64_t size;    /* bytes in the file: the next record starts here */
    uint64_t head;    /* of which the store's record, the first */
    kv_buf record;    /* scratch for encoding */
    kv_status status; /* the first failed append or sync; sticky */
};

char *wal_file(const char *dir, uint64_t number) {
    size_t n = strlen(dir) + 32;
    char *path = xmalloc(n);
    snprintf(path, n, "%s/%06llu.log", dir, (unsigned long long)number);
    return path;
}

int wal_parse_name(const char *name, uint64_t *number) {
    size_t digits = strspn(name, "0123456789");
    if (digits < 6 || digits > 19 || strcmp(name + digits, ".log") != 0)
        return 0;
    *number = strtoull(name, NULL, 10);
    return 1;
}

/* Wraps an open file in a new wal. Cannot fail. */
static wal *wal_new(io_file *f, uint64_t size) {
    wal *w = xcalloc(1, sizeof *w);
    w->file = f;
    w->size = size;
    w->status = kv_ok();
    return w;
}

/* The key of a log's first record, the store's id (wal.h). */
#define STORE_KEY ((kv_slice){"\0store", 6})

/* Appends the record that names the store: store_id under STORE_KEY. */
static kv_status append_store(wal *w, uint64_t store_id) {
    char id[8];
    encode_fixed64(id, store_id);
    log_encode(&w->record, LOG_PUT, STORE_KEY, (kv_slice){id, 8});
    kv_status s = io_append(w->file, w->record.data, w->record.size);
    if (s.code == KV_OK) w->size += w->record.size;
    w->head = w->size;
    return s;
}

kv_status wal_create(io_env *env, const char *path, uint64_t store_id,
                     wal **out) {
    io_file *f;
    *out = NULL;
    kv_status s = io_create(env, path, &f);
    if (s.code != KV_OK) return s;
    wal *w = wal_new(f, 0);
    s = append_store(w, store_id);
    if (s.code != KV_OK) {
        wal_close(w);
        return s;
    }
    *out = w;
    return kv_ok();
}

kv_status wal_reopen(io_env *env, const char *path, uint64_t end,
                     uint64_t store_id, wal **out) {
    io_file *f;
    uint64_t size;
    *out = NULL;
    kv_status s = io_open_append(env, path, 0, &f);
    if (s.code != KV_OK) return s;
    s = io_size(f, &size);
    if (s.code == KV_OK && size > end) { /* the torn tail goes */
        s = io_truncate(f, end);
        if (s.code == KV_OK) s = io_sync(f);
    }
    if (s.code != KV_OK) {
        io_close(f);
        return s;
    }
    wal *w = wal_new(f, end);
    w->head = log_record_size(STORE_KEY.size, 8); /* replay checked it */
    if (end == 0) s = append_store(w, store_id);
    if (s.code != KV_OK) {
        wal_close(w);
        return s;
    }
    *out = w;
    return kv_ok();
}

/* OK if rec, a log's first record, names store_id. */
static kv_status check_store(const char *path, const log_record *rec,
                             uint64_t store_id) {
    if (rec->type != LOG_PUT || kv_compare(rec->key, STORE_KEY) != 0 ||
        rec->value.size != 8)
        return kv_error(KV_CORRUPTION,
                        "%s: its first record names no store: not a log of "
                        "this store, not replayed",
                        path);
    uint64_t id = decode_fixed64(rec->value.data);
    if (id != store_id)
        return kv_error(KV_CORRUPTION,
                        "%s: a log of another store (id %016llx; this store "
                        "is %016llx), not replayed",
                        path, (unsigned long long)id,
                        (unsigned long long)store_id);
    return kv_ok();
}

kv_status wal_replay(io_env *env, const char *path, uint64_t store_id,
                     memtable *mem, uint64_t *end, uint64_t *records) {
    io_file *f;
    uint64_t size;
    *end = 0;
    *records = 0;
    kv_status s = io_open_read(env, path, &f);
    if (s.code != KV_OK) return s;
    s = io_size(f, &size);
    log_reader r;
    log_reader_init(&r, f, s.code == KV_OK ? size : 0);
    log_record rec;
    int more = s.code == KV_OK, first = 1;
    while (more) {
        s = log_reader_next(&r, &rec, &more);
        if (!more) break;
        if (first) { /* the store's record, checked, not applied */
            first = 0;
            s = check_store(path, &rec, store_id);
            if (s.code != KV_OK) break;
            continue;
        }
        memtable_put(mem, rec.key,
                     rec.type == LOG_PUT ? ENTRY_PUT : ENTRY_DELETE, rec.value);
        (*records)++;
    }
    *end = r.offset; /* after the last whole record */
    log_reader_free(&r);
    io_close(f);
    return s;
}

kv_status wal_append(wal *w, int type, kv_slice key, kv_slice value, int sync) {
    if (w->status.code != KV_OK) return w->status;
    log_encode(&w->record, type, key, value);
    kv_status s = io_append(w->file, w->record.data, w->record.size);
    if (s.code == KV_OK) w->size += w->record.size;
    if (s.code == KV_OK && sync) s = io_sync(w->file);
    w->status = s;
    return s;
}

uint64_t wal_size(const wal *w) { return w->size - w->head; }

kv_status wal_close(wal *w) {
    if (w == NULL) return kv_ok();
    kv_status s = io_close(w->file);
    kv_buf_free(&w->record);
    free(w);
    return s;
}
