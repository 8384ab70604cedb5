/*
 * table_reader.c - opening, searching and walking a sorted table; the
 * format is in table.h and docs/format-sstable.md.
 *
 * Open costs two reads: the 56-byte footer at the end of the file, then the
 * filter and index blocks it points to, which sit side by side and are read
 * with one pread, and stay in memory until close. A get then costs at most
 * one more read: the filter may rule the key out ("certainly not": no
 * read), the index names the one data block that can hold the key (or
 * none, when the key is past the last separator), and that block is read
 * whole with one pread, checked (crc) and searched.
 *
 * With a block cache (table_open_cached, cache.h), a data block once read
 * stays parsed and checked in memory, shared by every thread, until the
 * cache evicts it: a get of a hot key reads nothing. The filter is asked
 * first: it covers the whole table, so a "certainly not" needs no index
 * search either. Only a block read from the disk is checked (crc and
 * restarts); a cached block was checked when it was read, and a block that
 * fails is never cached. A walk (a next that moves into the next block:
 * scans, compactions) reads through a readahead buffer (readahead.h), one
 * pread per 256 KiB instead of one per block; a seek reads its block alone.
 *
 * A mapped table (table_open_mapped) is read in place instead: the file is
 * mapped at open and its descriptor closed, and a data block is a pointer
 * into the mapping (io_map_read: counted as a pread of the block, with no
 * system call, no buffer and no copy). Its blocks are checked once: the
 * first reader of a block checks its crc and restarts and sets the block's
 * bit in `checked`; later readers trust those bytes. A byte that goes bad
 * on the disk before a block is first read is caught; one that goes bad
 * while the store is open, after the block was checked, is served (the
 * price of not hashing 4 KiB per get, as LevelDB's reads do not either).
 * Neither the block cache nor readahead applies: the page cache is both.
 *
 * A table is read-only once open; its only changing state is two atomic
 * counters (filter checks and negatives) and its reference count (the
 * block cache, shared by the tables, has locks of its own), so
 * table_get and the iterators may run in many threads at once, and the
 * last of the views using a table closes it (table_close).
 *
 * Every number read from the file is checked before it is used: the footer
 * by its magic, crc and version, every block handle against the bounds of
 * the data area, every block by its crc and restart array, every data value
 * for its kind byte. What fails is KV_CORRUPTION naming the file and offset.
 * A table that reads with pread holds its file as an fd_file (fd_cache.h):
 * every read borrows the descriptor for that read alone, so a store's
 * cache may close it in between. A mapped table holds no descriptor.
 *
 * The filter block is checked by its crc at open: a damaged filter could
 * hide a present key, so it is refused, never trusted.
 */
#include "table.h"

#include <assert.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "bloom.h"
#include "coding.h"
#include "crc32c.h"
#include "readahead.h"

struct table {
    fd_file *file;
    char *path;
    uint64_t size;       /* of the file */
    table_footer footer; /* checked */
    block index;         /* the index block, in memory since open */
    kv_buf filter;       /* the filter, trailer dropped (size 0: none) */
    /* gets that asked the filter, and those it answered "certainly not" */
    _Atomic uint64_t filter_checks, filter_negatives;
    _Atomic int refs; /* table_ref / table_close */
    cache *cache;     /* the block cache, or NULL */
    uint64_t id;      /* in the cache: its blocks are (id, offset) */
    io_map *map;      /* the file mapped (table_open_mapped), or NULL */
    uint64_t *offsets; /* mapped: each data block's offset, ascending */
    size_t nblocks;
    _Atomic bool *checked; /* mapped: block i was checked (crc, restarts) */
};

/* ---- the pieces ---------------------------------------------------------- */

kv_status table_footer_decode(const char *src, const char *path,
                              uint64_t offset, table_footer *f) {
    f->index_offset = decode_fixed64(src);
    f->index_size = decode_fixed64(src + 8);
    f->entries = decode_fixed64(src + 16);
    f->filter_offset = decode_fixed64(src + 24);
    f->filter_size = decode_fixed64(src + 32);
    f->version = decode_fixed32(src + 40);
    f->magic = decode_fixed64(src + 44);
    unsigned long long off = (unsigned long long)offset;
    if (f->magic != TABLE_MAGIC)
        return kv_error(KV_CORRUPTION,
                        "%s: offset %llu: not a table (bad magic number)", path,
                        off);
    if (crc32c_unmask(decode_fixed32(src + 52)) != crc32c(src, 52))
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

/*
 * Reads the filter block and the index block after it with one pread,
 * checks the filter's crc and keeps the filter, then parses the index.
 * Without a filter, reads the index alone.
 */
static kv_status read_filter_and_index(table *t, io_file *file) {
    const table_footer *f = &t->footer;
    if (f->filter_size == 0)
        return table_read_block(file, t->path, f->index_offset,
                                f->index_size, &t->index);
    size_t fsize = (size_t)f->filter_size, isize = (size_t)f->index_size;
    char *buf = xmalloc(fsize + isize);
    kv_status s = io_pread_full(file, buf, fsize + isize, f->filter_offset);
    size_t n = fsize - BLOCK_TRAILER_SIZE;
    if (s.code == KV_OK &&
        crc32c_unmask(decode_fixed32(buf + n)) != crc32c(buf, n))
        s = kv_error(KV_CORRUPTION,
                     "%s: filter block at offset %llu: checksum mismatch",
                     t->path, (unsigned long long)f->filter_offset);
    if (s.code != KV_OK) {
        free(buf);
        return s;
    }
    kv_buf_set(&t->filter, buf, n);
    char *index = xmalloc(isize);
    memcpy(index, buf + fsize, isize);
    free(buf);
    return block_parse(&t->index, index, isize, t->path, f->index_offset);
}

/* Reads and checks the footer of file, then reads the filter and the
 * index. */
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
    if (f->filter_offset > f->index_offset ||
        f->filter_size != f->index_offset - f->filter_offset ||
        (f->filter_size != 0 && f->filter_size < BLOCK_TRAILER_SIZE + 2))
        return kv_error(KV_CORRUPTION,
                        "%s: offset %llu: bad filter handle (offset %llu, "
                        "size %llu)",
                        t->path, (unsigned long long)at,
                        (unsigned long long)f->filter_offset,
                        (unsigned long long)f->filter_size);
    return read_filter_and_index(t, file);
}

kv_status table_open(io_env *env, const char *path, table **out) {
    return table_open_cached(env, path, NULL, NULL, out);
}

kv_status table_open_in(io_env *env, const char *path, fd_cache *files,
                        table **out) {
    return table_open_cached(env, path, files, NULL, out);
}

/* Notes every data block's offset, from the index (in memory): a mapped
 * table keeps one checked bit per block, found by offset. */
static kv_status note_blocks(table *t) {
    size_t n = block_count(&t->index), i = 0;
    t->offsets = xmalloc((n ? n : 1) * sizeof *t->offsets);
    t->checked = xcalloc(n ? n : 1, sizeof *t->checked);
    block_iter bi;
    block_iter_init(&bi, &t->index);
    kv_status s = kv_ok();
    uint64_t size;
    for (iter_seek(&bi.base, (kv_slice){"", 0});
         iter_valid(&bi.base) && s.code == KV_OK && i < n;
         iter_next(&bi.base))
        s = table_handle_decode(iter_value(&bi.base), t->footer.filter_offset,
                                t->path, &t->offsets[i++], &size);
    if (s.code == KV_OK) s = iter_status(&bi.base);
    block_iter_done(&bi);
    t->nblocks = i;
    return s;
}

kv_status table_open_mapped(io_env *env, const char *path, table **out) {
    table *t;
    io_file *f;
    kv_status s = table_open_cached(env, path, NULL, NULL, &t);
    if (s.code != KV_OK) return s;
    s = note_blocks(t);
    if (s.code == KV_OK) s = fd_file_get(t->file, &f); /* its own: open */
    if (s.code == KV_OK) s = io_map_open(f, t->size, &t->map);
    if (s.code == KV_OK) {
        fd_file_close(t->file); /* the mapping stays */
        t->file = NULL;
    }
    if (s.code != KV_OK) {
        table_close(t);
        return s;
    }
    *out = t;
    return kv_ok();
}

kv_status table_open_cached(io_env *env, const char *path, fd_cache *files,
                            cache *c, table **out) {
    *out = NULL;
    table *t = xcalloc(1, sizeof *t);
    atomic_init(&t->refs, 1);
    t->path = xstrdup(path);
    t->cache = c;
    if (c) t->id = cache_new_id(c);
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

void table_ref(table *t) {
    int was = atomic_fetch_add(&t->refs, 1);
    assert(was > 0); /* a reference is taken only by one who holds one */
    (void)was;
}

void table_close(table *t) {
    if (!t) return;
    int was = atomic_fetch_sub(&t->refs, 1);
    assert(was > 0); /* never dropped more often than taken */
    if (was > 1) return;
    block_free(&t->index);
    kv_buf_free(&t->filter);
    fd_file_close(t->file);
    io_map_close(t->map);
    free(t->offsets);
    free((void *)t->checked);
    free(t->path);
    free(t);
}

kv_status table_keep_file(table *t) {
    return t->file ? fd_file_keep(t->file) : kv_ok();
}

size_t table_memory(const table *t) { return t->index.size + t->filter.size; }
uint64_t table_entries(const table *t) { return t->footer.entries; }
const char *table_path(const table *t) { return t->path; }

void table_filter_stats(const table *t, uint64_t *checks, uint64_t *negatives) {
    *checks = atomic_load_explicit(&t->filter_checks, memory_order_relaxed);
    *negatives =
        atomic_load_explicit(&t->filter_negatives, memory_order_relaxed);
}

/* ---- reading data blocks ------------------------------------------------- */

/* A data block in hand: held in the cache (h), or read for one caller
 * alone (own, h NULL). */
typedef struct data_block {
    cache_handle *h;
    block own;
} data_block;

static const block *held(const data_block *d) {
    return d->h ? cache_block(d->h) : &d->own;
}

static void release_block(table *t, data_block *d) {
    if (d->h) cache_release(t->cache, d->h);
    d->h = NULL;
    block_free(&d->own);
}

/* The number of the data block at offset off (the index named it), or
 * t->nblocks if no block starts there. */
static size_t block_number(const table *t, uint64_t off) {
    size_t lo = 0, hi = t->nblocks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->offsets[mid] < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < t->nblocks && t->offsets[lo] == off ? lo : t->nblocks;
}

/* The data block at off, read in place from the mapping: checked the
 * first time any reader reads it, then trusted (its bit in t->checked).
 * A block that fails its check is never marked, so it fails every time. */
static kv_status map_data_block(table *t, uint64_t off, uint64_t size,
                                data_block *d) {
    const char *p;
    kv_status s = io_map_read(t->map, off, (size_t)size, &p);
    if (s.code != KV_OK) return s;
    size_t i = block_number(t, off);
    bool trusted = i < t->nblocks &&
                   atomic_load_explicit(&t->checked[i], memory_order_acquire);
    s = block_parse_in_place(&d->own, p, (size_t)size, t->path, off, !trusted);
    if (s.code == KV_OK && !trusted && i < t->nblocks)
        atomic_store_explicit(&t->checked[i], true, memory_order_release);
    return s;
}

/* Gets the data block the index iterator stands on: from the cache if it
 * is there, else read (and checked) from the file, through the readahead
 * buffer ra if there is one (a walk), then put in the cache if fill. The
 * data area ends where the filter block (or, without one, the index)
 * begins. Release *d with release_block, even on error. */
static kv_status read_data_block(table *t, iter *index_it, int fill,
                                 readahead *ra, data_block *d) {
    uint64_t off, size;
    *d = (data_block){0};
    kv_status s = table_handle_decode(
        iter_value(index_it), t->footer.filter_offset, t->path, &off, &size);
    if (s.code != KV_OK) return s;
    if (t->map) return map_data_block(t, off, size, d);
    if (t->cache) d->h = cache_lookup(t->cache, t->id, off);
    if (d->h) return kv_ok();
    io_file *f;
    s = fd_file_get(t->file, &f);
    if (s.code != KV_OK) return s;
    if (ra) {
        char *data;
        s = readahead_read(ra, f, off, (size_t)size, t->footer.filter_offset,
                           &data);
        if (s.code == KV_OK)
            s = block_parse(&d->own, data, (size_t)size, t->path, off);
    } else {
        s = table_read_block(f, t->path, off, size, &d->own);
    }
    fd_file_put(t->file);
    if (s.code == KV_OK && t->cache && fill)
        d->h = cache_insert(t->cache, t->id, off, &d->own);
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

/* 0 if the filter says key is certainly not in the table; 1 if it may be
 * or there is no filter. Counts the answer. */
static int filter_may_contain(table *t, kv_slice key) {
    if (t->filter.size == 0) return 1;
    atomic_fetch_add_explicit(&t->filter_checks, 1, memory_order_relaxed);
    if (bloom_may_contain((kv_slice){t->filter.data, t->filter.size}, key))
        return 1;
    atomic_fetch_add_explicit(&t->filter_negatives, 1, memory_order_relaxed);
    return 0;
}

/* Searches the data block b for key: *kind and *value as table_get. The
 * iterator lives on the stack (block_iter_init): no allocation of its own. */
static kv_status search_block(const block *b, kv_slice key, int *kind,
                              kv_buf *value) {
    block_iter bi;
    iter *it = &bi.base;
    block_iter_init(&bi, b);
    iter_seek(it, key);
    kv_status s = iter_status(it);
    if (s.code == KV_OK && iter_valid(it) &&
        kv_compare(iter_key(it), key) == 0) {
        kv_slice v = iter_value(it);
        s = check_value(b, v);
        if (s.code == KV_OK) {
            *kind = v.data[0];
            if (*kind == ENTRY_PUT) kv_buf_set(value, v.data + 1, v.size - 1);
        }
    }
    block_iter_done(&bi);
    return s;
}

kv_status table_get(table *t, kv_slice key, int *kind, kv_buf *value) {
    *kind = 0;
    if (!filter_may_contain(t, key)) return kv_ok(); /* certainly absent */
    block_iter bi; /* over the index, on the stack as in search_block */
    iter *ix = &bi.base;
    block_iter_init(&bi, &t->index);
    iter_seek(ix, key);
    kv_status s = iter_status(ix);
    if (s.code == KV_OK && iter_valid(ix)) { /* else past the last key */
        data_block d;
        s = read_data_block(t, ix, 1, NULL, &d);
        if (s.code == KV_OK) s = search_block(held(&d), key, kind, value);
        release_block(t, &d);
    }
    block_iter_done(&bi);
    return s;
}

/* ---- the two-level iterator ---------------------------------------------- */

typedef struct table_iter {
    iter base;
    table *t;
    iter *index_it;  /* over the index block */
    data_block data; /* the data block in hand (if data_it) */
    iter *data_it;   /* over it, or NULL */
    readahead ra;    /* the file ahead of a walk (readahead.h) */
    kv_status status;
} table_iter;

static void drop_block(table_iter *ti) {
    iter_free(ti->data_it);
    ti->data_it = NULL;
    release_block(ti->t, &ti->data);
}

/* Loads the data block the index iterator stands on (none at its end):
 * with ahead (a next walking on), through the readahead buffer; a seek
 * reads its one block alone. */
static void load_block(table_iter *ti, int ahead) {
    drop_block(ti);
    if (!iter_valid(ti->index_it)) {
        ti->status = iter_status(ti->index_it);
        return;
    }
    ti->status = read_data_block(ti->t, ti->index_it, 0,
                                 ahead ? &ti->ra : NULL, &ti->data);
    if (ti->status.code == KV_OK) ti->data_it = block_iter_new(held(&ti->data));
}

/* Moves on to the next blocks until the data iterator stands on an entry,
 * the index ends, or an error ends the walk. */
static void settle(table_iter *ti) {
    while (ti->data_it) {
        if (iter_valid(ti->data_it)) {
            ti->status = check_value(held(&ti->data), iter_value(ti->data_it));
            if (ti->status.code != KV_OK) drop_block(ti);
            return;
        }
        ti->status = iter_status(ti->data_it);
        if (ti->status.code != KV_OK) {
            drop_block(ti);
            return;
        }
        iter_next(ti->index_it);
        load_block(ti, 1);
        if (ti->data_it) iter_seek(ti->data_it, (kv_slice){"", 0});
    }
}

static void ti_seek(iter *it, kv_slice target) {
    table_iter *ti = (table_iter *)it;
    iter_seek(ti->index_it, target);
    load_block(ti, 0);
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
    readahead_free(&ti->ra);
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
