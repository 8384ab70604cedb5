/*
 * table_reader.c - opening, searching and walking a sorted table; the
 * format is in table.h and docs/format-sstable.md.
 *
 * Open costs two reads: the 40-byte footer at the end of the file, then the
 * index block it points to, which stays in memory until close. A get then
 * costs at most one more read: the index names the one data block that can
 * hold the key (or none, when the key is past the last separator), and that
 * block is read whole with one pread, checked (crc) and searched.
 *
 * Every number read from the file is checked before it is used: the footer
 * by its magic, crc and version, every block handle against the bounds of
 * the data area, every block by its crc and restart array, every data value
 * for its kind byte. What fails is KV_CORRUPTION naming the file and offset.
 *
 * The file is an fd_file (fd_cache.h): every read borrows its descriptor
 * for that read alone, so a store's cache may close it in between.
 */
#include "table.h"

#include <stdlib.h>
#include <string.h>

#include "coding.h"
#include "crc32c.h"

struct table {
    fd_file *file;
    char *path;
    uint64_t size;       /* of the file */
    table_footer footer; /* checked */
    block index;         /* the index block, in memory since open */
};

/* ---- the pieces ---------------------------------------------------------- */

kv_status table_footer_decode(const char *src, const char *path,
                              uint64_t offset, table_footer *f) {
    f->index_offset = decode_fixed64(src);
    f->index_size = decode_fixed64(src + 8);
    f->entries = decode_fixed64(src + 16);
    f->version = decode_fixed32(src + 24);
    f->magic = decode_fixed64(src + 28);
    unsigned long long off = (unsigned long long)offset;
    if (f->magic != TABLE_MAGIC)
        return kv_error(KV_CORRUPTION,
                        "%s: offset %llu: not a table (bad magic number)", path,
                        off);
    if (crc32c_unmask(decode_fixed32(src + 36)) != crc32c(src, 36))
        return kv_error(KV_CORRUPTION,
                        "%s: offset %llu: footer checksum "
                        "mismatch",
                        path, off);
    if (f->version != TABLE_VERSION)
        return kv_error(KV_CORRUPTION,
                        "%s: offset %llu: unsupported table version %u", path,
                        off, f->version);
    return kv_ok();
}

kv_status table_handle_decode(kv_slice v, uint64_t limit, const char *path,
                              uint64_t *offset, uint64_t *size) {
    const char *end = v.data + v.size;
    const char *p = decode_varint64(v.data, end, offset);
    if (p) p = decode_varint64(p, end, size);
    if (!p || p != end || *size < BLOCK_MIN_SIZE || *offset > limit ||
        *size > limit - *offset)
        return kv_error(KV_CORRUPTION, "%s: bad block handle", path);
    return kv_ok();
}

kv_status table_read_block(io_file *f, const char *path, uint64_t offset,
                           uint64_t size, block *b) {
    memset(b, 0, sizeof *b);
    char *data = xmalloc(size ? (size_t)size : 1);
    kv_status s = io_pread_full(f, data, (size_t)size, offset);
    if (s.code != KV_OK) {
        free(data);
        return s;
    }
    return block_parse(b, data, (size_t)size, path, offset);
}

/* ---- open and close ------------------------------------------------------ */

/* Reads and checks the footer of f, then reads and parses the index block. */
static kv_status read_footer_and_index(table *t, io_file *file) {
    char buf[TABLE_FOOTER_SIZE];
    if (t->size < TABLE_FOOTER_SIZE)
        return kv_error(KV_CORRUPTION,
                        "%s: too short to be a table (%llu bytes)", t->path,
                        (unsigned long long)t->size);
    uint64_t at = t->size - TABLE_FOOTER_SIZE;
    kv_status s = io_pread_full(file, buf, sizeof buf, at);
    if (s.code == KV_OK) s = table_footer_decode(buf, t->path, at, &t->footer);
    if (s.code != KV_OK) return s;
    const table_footer *f = &t->footer;
    if (f->index_size < BLOCK_MIN_SIZE || f->index_offset > at ||
        f->index_size != at - f->index_offset)
        return kv_error(KV_CORRUPTION,
                        "%s: offset %llu: bad index handle (offset %llu, "
                        "size %llu)",
                        t->path, (unsigned long long)at,
                        (unsigned long long)f->index_offset,
                        (unsigned long long)f->index_size);
    return table_read_block(file, t->path, f->index_offset, f->index_size,
                            &t->index);
}

kv_status table_open(io_env *env, const char *path, table **out) {
    return table_open_in(env, path, NULL, out);
}

kv_status table_open_in(io_env *env, const char *path, fd_cache *files,
                        table **out) {
    *out = NULL;
    table *t = xcalloc(1, sizeof *t);
    t->path = xstrdup(path);
    io_file *f;
    kv_status s = fd_file_open(env, files, path, &t->file);
    if (s.code == KV_OK) s = fd_file_get(t->file, &f);
    if (s.code == KV_OK) {
        s = io_size(f, &t->size);
        if (s.code == KV_OK) s = read_footer_and_index(t, f);
        fd_file_put(t->file);
    }
    if (s.code != KV_OK) {
        table_close(t);
        return s;
    }
    *out = t;
    return kv_ok();
}

void table_close(table *t) {
    if (!t) return;
    block_free(&t->index);
    fd_file_close(t->file);
    free(t->path);
    free(t);
}

kv_status table_keep_file(table *t) { return fd_file_keep(t->file); }

size_t table_memory(const table *t) { return t->index.size; }
uint64_t table_entries(const table *t) { return t->footer.entries; }
const char *table_path(const table *t) { return t->path; }

/* ---- reading data blocks ------------------------------------------------- */

/* Reads the data block the index iterator stands on. */
static kv_status read_data_block(table *t, iter *index_it, block *b) {
    uint64_t off, size;
    io_file *f;
    kv_status s = table_handle_decode(
        iter_value(index_it), t->footer.index_offset, t->path, &off, &size);
    if (s.code == KV_OK) s = fd_file_get(t->file, &f);
    if (s.code != KV_OK) return s;
    s = table_read_block(f, t->path, off, size, b);
    fd_file_put(t->file);
    return s;
}

/* Checks a data value (kind:u8 value): KV_CORRUPTION unless well formed. */
static kv_status check_value(const block *b, kv_slice v) {
    if (v.size >= 1 &&
        (v.data[0] == ENTRY_PUT || (v.data[0] == ENTRY_DELETE && v.size == 1)))
        return kv_ok();
    return kv_error(KV_CORRUPTION, "%s: block at offset %llu: bad value kind",
                    b->path, (unsigned long long)b->offset);
}

kv_status table_get(table *t, kv_slice key, int *kind, kv_buf *value) {
    *kind = 0;
    iter *ix = block_iter_new(&t->index);
    iter_seek(ix, key);
    kv_status s = iter_status(ix);
    block b = {0};
    iter *it = NULL;
    if (s.code != KV_OK || !iter_valid(ix)) goto done; /* past the last key */
    s = read_data_block(t, ix, &b);
    if (s.code != KV_OK) goto done;
    it = block_iter_new(&b);
    iter_seek(it, key);
    s = iter_status(it);
    if (s.code != KV_OK || !iter_valid(it) ||
        kv_compare(iter_key(it), key) != 0)
        goto done;
    kv_slice v = iter_value(it);
    s = check_value(&b, v);
    if (s.code != KV_OK) goto done;
    *kind = v.data[0];
    if (*kind == ENTRY_PUT) kv_buf_set(value, v.data + 1, v.size - 1);
done:
    iter_free(it);
    block_free(&b);
    iter_free(ix);
    return s;
}

/* ---- the two-level iterator ---------------------------------------------- */

typedef struct table_iter {
    iter base;
    table *t;
    iter *index_it; /* over the index block */
    block data;     /* the data block in hand (if data_it) */
    iter *data_it;  /* over it, or NULL */
    kv_status status;
} table_iter;

static void drop_block(table_iter *ti) {
    iter_free(ti->data_it);
    ti->data_it = NULL;
    block_free(&ti->data);
}

/* Loads the data block the index iterator stands on (none at its end). */
static void load_block(table_iter *ti) {
    drop_block(ti);
    if (!iter_valid(ti->index_it)) {
        ti->status = iter_status(ti->index_it);
        return;
    }
    ti->status = read_data_block(ti->t, ti->index_it, &ti->data);
    if (ti->status.code == KV_OK) ti->data_it = block_iter_new(&ti->data);
}

/* Moves on to the next blocks until the data iterator stands on an entry,
 * the index ends, or an error ends the walk. */
static void settle(table_iter *ti) {
    while (ti->data_it) {
        if (iter_valid(ti->data_it)) {
            ti->status = check_value(&ti->data, iter_value(ti->data_it));
            if (ti->status.code != KV_OK) drop_block(ti);
            return;
        }
        ti->status = iter_status(ti->data_it);
        if (ti->status.code != KV_OK) {
            drop_block(ti);
            return;
        }
        iter_next(ti->index_it);
        load_block(ti);
        if (ti->data_it) iter_seek(ti->data_it, (kv_slice){"", 0});
    }
}

static void ti_seek(iter *it, kv_slice target) {
    table_iter *ti = (table_iter *)it;
    iter_seek(ti->index_it, target);
    load_block(ti);
    if (ti->data_it) iter_seek(ti->data_it, target);
    settle(ti);
}

static void ti_next(iter *it) {
    table_iter *ti = (table_iter *)it;
    if (!ti->data_it) return;
    iter_next(ti->data_it);
    settle(ti);
}

static int ti_valid(const iter *it) {
    const table_iter *ti = (const table_iter *)it;
    return ti->data_it != NULL && iter_valid(ti->data_it);
}

static kv_slice ti_key(const iter *it) {
    return iter_key(((const table_iter *)it)->data_it);
}

static int ti_kind(const iter *it) {
    return iter_value(((const table_iter *)it)->data_it).data[0];
}

static kv_slice ti_value(const iter *it) {
    kv_slice v = iter_value(((const table_iter *)it)->data_it);
    return (kv_slice){v.data + 1, v.size - 1};
}

static kv_status ti_status(const iter *it) {
    return ((const table_iter *)it)->status;
}

static void ti_free(iter *it) {
    table_iter *ti = (table_iter *)it;
    drop_block(ti);
    iter_free(ti->index_it);
    free(ti);
}

static const iter_ops table_iter_ops = {ti_seek, ti_next,  ti_valid,  ti_key,
                                        ti_kind, ti_value, ti_status, ti_free};

iter *table_iter_new(table *t) {
    table_iter *ti = xcalloc(1, sizeof *ti);
    ti->base.ops = &table_iter_ops;
    ti->t = t;
    ti->index_it = block_iter_new(&t->index);
    ti->status = kv_ok();
    return &ti->base;
}
