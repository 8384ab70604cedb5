/*
 * manifest.c - encoding edits, appending them, writing a snapshot and
 * replaying the manifest; the format and the commit points are in
 * manifest.h.
 *
 * The record format and its torn-tail rules are the write-ahead log's
 * (log.h): this file adds only the edit's encoding inside a record's value.
 */
#include "manifest.h"

#include <stdlib.h>
#include <string.h>

#include "coding.h"
#include "log.h"

#define EDIT_KEY "edit" /* the key of every manifest record */

/* --- encoding ------------------------------------------------------------- */

static void put_varint(kv_buf *out, uint64_t v) {
    char b[VARINT64_MAX_BYTES];
    kv_buf_append(out, b, encode_varint64(b, v));
}

static void put_key(kv_buf *out, kv_slice k) {
    put_varint(out, k.size);
    kv_buf_append(out, k.data, k.size);
}

void manifest_edit_encode(const version_edit *e, kv_buf *out) {
    out->size = 0;
    if (e->has_next_number) {
        put_varint(out, EDIT_NEXT_NUMBER);
        put_varint(out, e->next_number);
    }
    if (e->has_log_number) {
        put_varint(out, EDIT_LOG_NUMBER);
        put_varint(out, e->log_number);
    }
    for (size_t i = 0; i < e->nremoves; i++) {
        put_varint(out, EDIT_REMOVE);
        put_varint(out, (uint64_t)e->removes[i].level);
        put_varint(out, e->removes[i].number);
    }
    for (size_t i = 0; i < e->nadds; i++) {
        const table_meta *m = &e->adds[i].meta;
        put_varint(out, EDIT_ADD);
        put_varint(out, (uint64_t)e->adds[i].level);
        put_varint(out, m->number);
        put_varint(out, m->size);
        put_varint(out, m->entries);
        put_key(out, table_meta_smallest(m));
        put_key(out, table_meta_largest(m));
    }
}

/* --- decoding ------------------------------------------------------------- */

/* A cursor over an encoded edit; p becomes NULL once a read fails. */
typedef struct cursor {
    const char *p, *limit;
} cursor;

static uint64_t get_varint(cursor *c) {
    uint64_t v = 0;
    if (c->p) c->p = decode_varint64(c->p, c->limit, &v);
    return v;
}

static int get_level(cursor *c) {
    uint64_t v = get_varint(c);
    if (v >= VERSION_LEVELS) c->p = NULL;
    return (int)v;
}

static kv_slice get_key(cursor *c) {
    uint64_t n = get_varint(c);
    if (c->p == NULL || n == 0 || n > (uint64_t)(c->limit - c->p)) {
        c->p = NULL;
        return (kv_slice){"", 0};
    }
    kv_slice k = {c->p, (size_t)n};
    c->p += n;
    return k;
}

/* Decodes an add's fields after its tag. */
static void get_add(cursor *c, version_edit *e) {
    int level = get_level(c);
    uint64_t number = get_varint(c), size = get_varint(c);
    uint64_t entries = get_varint(c);
    kv_slice lo = get_key(c), hi = get_key(c);
    if (c->p == NULL) return;
    table_meta m;
    table_meta_set(&m, number, size, entries, lo, hi);
    version_edit_add(e, level, &m);
    table_meta_free(&m);
}

kv_status manifest_edit_decode(kv_slice in, version_edit *e) {
    version_edit_init(e);
    cursor c = {in.data, in.data + in.size};
    while (c.p && c.p < c.limit) {
        uint64_t tag = get_varint(&c);
        if (c.p == NULL) break;
        if (tag == EDIT_NEXT_NUMBER && !e->has_next_number) {
            e->next_number = get_varint(&c);
            e->has_next_number = 1;
        } else if (tag == EDIT_LOG_NUMBER && !e->has_log_number) {
            e->log_number = get_varint(&c);
            e->has_log_number = 1;
        } else if (tag == EDIT_REMOVE) {
            int level = get_level(&c);
            uint64_t number = get_varint(&c);
            if (c.p) version_edit_remove(e, level, number);
        } else if (tag == EDIT_ADD) {
            get_add(&c, e);
        } else {
            return kv_error(KV_CORRUPTION, "bad edit: unexpected tag %llu",
                            (unsigned long long)tag);
        }
    }
    if (c.p == NULL)
        return kv_error(KV_CORRUPTION, "bad edit: truncated or bad field");
    return kv_ok();
}

/* --- writing -------------------------------------------------------------- */

kv_status manifest_append(io_file *f, const version_edit *e) {
    kv_buf value = {0}, rec = {0};
    manifest_edit_encode(e, &value);
    log_encode(&rec, LOG_PUT, kv_str(EDIT_KEY),
               (kv_slice){value.data, value.size});
    kv_status s = io_append(f, rec.data, rec.size);
    if (s.code == KV_OK) s = io_sync(f); /* the commit point */
    kv_buf_free(&value);
    kv_buf_free(&rec);
    return s;
}

/* Writes the snapshot edit of v to a new file at path, synced. */
static kv_status write_tmp(io_env *env, const char *path, const version *v,
                           uint64_t next_number, uint64_t log_number) {
    version_edit e;
    version_edit_init(&e);
    e.has_next_number = e.has_log_number = 1;
    e.next_number = next_number;
    e.log_number = log_number;
    for (int l = 0; l < VERSION_LEVELS; l++)
        for (size_t i = 0; i < v->count[l]; i++)
            version_edit_add(&e, l, &v->tables[l][i]);
    io_file *f;
    kv_status s = kv_ok();
    /* A crash's leftover, or a planted link: removed, never written through */
    if (io_exists(env, path)) s = io_remove(env, path);
    if (s.code == KV_OK) s = io_create(env, path, &f);
    if (s.code == KV_OK) {
        s = manifest_append(f, &e);
        kv_status c = io_close(f);
        if (s.code == KV_OK) s = c;
    }
    version_edit_free(&e);
    return s;
}

kv_status manifest_write_snapshot(io_env *env, const char *dir,
                                  const version *v, uint64_t next_number,
                                  uint64_t log_number) {
    char *tmp = xjoin(dir, MANIFEST_TMP_NAME);
    char *path = xjoin(dir, MANIFEST_NAME);
    kv_status s = write_tmp(env, tmp, v, next_number, log_number);
    if (s.code == KV_OK) s = io_rename(env, tmp, path);
    if (s.code == KV_OK)
        s = io_sync_dir(env, dir); /* the commit point */
    else
        io_remove(env, tmp); /* best effort */
    free(tmp);
    free(path);
    return s;
}

/* --- replay --------------------------------------------------------------- */

/* Decodes and applies the record rec of the manifest at path; the first
 * record must be a snapshot (both numbers set, nothing removed). */
static kv_status replay_record(const char *path, const log_record *rec,
                               version *v, uint64_t *next_number,
                               uint64_t *log_number) {
    unsigned long long off = (unsigned long long)rec->offset;
    if (rec->type != LOG_PUT || kv_compare(rec->key, kv_str(EDIT_KEY)) != 0)
        return kv_error(KV_CORRUPTION, "%s: offset %llu: not an edit record",
                        path, off);
    version_edit e;
    kv_status s = manifest_edit_decode(rec->value, &e);
    if (s.code == KV_OK && off == 0 &&
        (!e.has_next_number || !e.has_log_number || e.nremoves > 0))
        s = kv_error(KV_CORRUPTION, "the first edit is not a snapshot");
    if (s.code == KV_OK) s = version_apply(v, &e);
    if (s.code != KV_OK)
        s = kv_error(KV_CORRUPTION, "%s: offset %llu: %s", path, off, s.msg);
    if (s.code == KV_OK && e.has_next_number) *next_number = e.next_number;
    if (s.code == KV_OK && e.has_log_number) *log_number = e.log_number;
    version_edit_free(&e);
    return s;
}

kv_status manifest_replay(io_env *env, const char *path, version *v,
                          uint64_t *next_number, uint64_t *log_number) {
    io_file *f;
    uint64_t size;
    kv_status s = io_open_read(env, path, &f);
    if (s.code != KV_OK) return s;
    s = io_size(f, &size);
    if (s.code == KV_OK) {
        log_reader r;
        log_reader_init(&r, f, size);
        log_record rec;
        int more = 1;
        while (s.code == KV_OK && more) {
            s = log_reader_next(&r, &rec, &more);
            if (s.code == KV_OK && more)
                s = replay_record(path, &rec, v, next_number, log_number);
        }
        if (s.code == KV_OK && r.offset == 0) /* no whole first record */
            s = kv_error(KV_CORRUPTION,
                         "%s: offset 0: no whole snapshot (%llu bytes): a "
                         "manifest is renamed into place only once whole",
                         path, (unsigned long long)size);
        log_reader_free(&r);
    }
    io_close(f);
    return s;
}

/* --- dump ----------------------------------------------------------------- */

/* Prints k quoted, unprintable bytes as \xNN. */
static void print_key(FILE *out, kv_slice k) {
    kv_print_quoted(out, k, k.size);
}

/* Prints one decoded edit's fields. */
static void dump_edit(FILE *out, const version_edit *e) {
    if (e->has_next_number)
        fprintf(out, "    next_number %llu\n",
                (unsigned long long)e->next_number);
    if (e->has_log_number)
        fprintf(out, "    log_number %llu\n",
                (unsigned long long)e->log_number);
    for (size_t i = 0; i < e->nremoves; i++)
        fprintf(out, "    remove L%d %06llu.sst\n", e->removes[i].level,
                (unsigned long long)e->removes[i].number);
    for (size_t i = 0; i < e->nadds; i++) {
        const table_meta *m = &e->adds[i].meta;
        fprintf(out, "    add L%d %06llu.sst: %llu bytes, %llu entries, ",
                e->adds[i].level, (unsigned long long)m->number,
                (unsigned long long)m->size, (unsigned long long)m->entries);
        print_key(out, table_meta_smallest(m));
        fprintf(out, " .. ");
        print_key(out, table_meta_largest(m));
        fputc('\n', out);
    }
}

kv_status manifest_dump(io_env *env, const char *path, FILE *out) {
    io_file *f;
    uint64_t size;
    kv_status s = io_open_read(env, path, &f);
    if (s.code != KV_OK) return s;
    s = io_size(f, &size);
    if (s.code != KV_OK) {
        io_close(f);
        return s;
    }
    log_reader r;
    log_reader_init(&r, f, size);
    log_record rec;
    int more = 1, corrupt = 0;
    while (more) {
        kv_status bad = log_reader_next(&r, &rec, &more);
        if (bad.code != KV_OK) {
            fprintf(out, "  %s: the rest is not read\n", bad.msg);
            corrupt = 1;
            break;
        }
        if (!more) break;
        version_edit e;
        fprintf(out, "  edit @%llu (%llu bytes), crc ok\n",
                (unsigned long long)rec.offset, (unsigned long long)rec.size);
        bad = manifest_edit_decode(rec.value, &e);
        if (bad.code == KV_OK)
            dump_edit(out, &e);
        else
            fprintf(out, "    %s\n", bad.msg);
        version_edit_free(&e);
    }
    if (!corrupt && r.offset < size)
        fprintf(out, "  torn tail @%llu (%llu bytes, ignored)\n",
                (unsigned long long)r.offset,
                (unsigned long long)(size - r.offset));
    log_reader_free(&r);
    io_close(f);
    return kv_ok();
}
