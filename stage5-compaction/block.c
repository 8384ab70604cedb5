/*
 * block.c - building, checking and walking blocks; the format is in block.h.
 *
 * The builder appends prefix-compressed entries to one buffer, noting a
 * restart point every BLOCK_RESTART_INTERVAL entries; finish appends the
 * restart array, its length and a masked crc32c of everything before.
 * An empty block has no restart points at all (num_restarts = 0).
 *
 * The reader trusts nothing it has not checked. block_parse checks the crc
 * and the shape of the restart array once; after that the iterator still
 * bounds-checks every entry it decodes against the end of the entries area,
 * so a block that passed its crc by bad luck (or was built wrong) ends a
 * walk with KV_CORRUPTION instead of a read out of bounds.
 *
 * A guarantee the iterator relies on: the first entry of the block and every
 * restart entry have shared == 0, so decoding can start at any restart point
 * with an empty previous key. An entry claiming to share more bytes than the
 * previous key has is corrupt.
 */
#include "block.h"

#include <stdlib.h>
#include <string.h>

#include "coding.h"
#include "crc32c.h"

/* ---- building ------------------------------------------------------------ */

void block_builder_init(block_builder *b) {
    memset(b, 0, sizeof *b);
    b->restarts_cap = 16;
    b->restarts = xmalloc(b->restarts_cap * sizeof *b->restarts);
    block_builder_reset(b);
}

void block_builder_free(block_builder *b) {
    kv_buf_free(&b->buf);
    kv_buf_free(&b->last_key);
    free(b->restarts);
    memset(b, 0, sizeof *b);
}

void block_builder_reset(block_builder *b) {
    b->buf.size = 0;
    b->last_key.size = 0;
    b->nrestarts = 0;
    b->since_restart = BLOCK_RESTART_INTERVAL; /* the first entry restarts */
    b->entries = 0;
}

/* Remembers off as a restart point, growing the array as needed. */
static void push_restart(block_builder *b, uint32_t off) {
    if (b->nrestarts == b->restarts_cap) {
        b->restarts_cap *= 2;
        b->restarts =
            xrealloc(b->restarts, b->restarts_cap * sizeof *b->restarts);
    }
    b->restarts[b->nrestarts++] = off;
}

void block_builder_add(block_builder *b, kv_slice key, kv_slice value) {
    size_t shared = 0;
    if (b->since_restart >= BLOCK_RESTART_INTERVAL) {
        push_restart(b, (uint32_t)b->buf.size);
        b->since_restart = 0;
    } else {
        size_t n = key.size < b->last_key.size ? key.size : b->last_key.size;
        while (shared < n && key.data[shared] == b->last_key.data[shared])
            shared++;
    }
    char hdr[3 * VARINT32_MAX_BYTES];
    size_t h = encode_varint32(hdr, (uint32_t)shared);
    h += encode_varint32(hdr + h, (uint32_t)(key.size - shared));
    h += encode_varint32(hdr + h, (uint32_t)value.size);
    kv_buf_append(&b->buf, hdr, h);
    kv_buf_append(&b->buf, key.data + shared, key.size - shared);
    kv_buf_append(&b->buf, value.data, value.size);
    kv_buf_set(&b->last_key, key.data, key.size);
    b->since_restart++;
    b->entries++;
}

size_t block_builder_size(const block_builder *b) {
    return b->buf.size + 4 * b->nrestarts + BLOCK_MIN_SIZE;
}

kv_slice block_builder_finish(block_builder *b) {
    char w[4];
    for (size_t i = 0; i < b->nrestarts; i++) {
        encode_fixed32(w, b->restarts[i]);
        kv_buf_append(&b->buf, w, 4);
    }
    encode_fixed32(w, (uint32_t)b->nrestarts);
    kv_buf_append(&b->buf, w, 4);
    encode_fixed32(w, crc32c_mask(crc32c(b->buf.data, b->buf.size)));
    kv_buf_append(&b->buf, w, 4);
    return (kv_slice){b->buf.data, b->buf.size};
}

/* ---- checking ------------------------------------------------------------ */

/* A KV_CORRUPTION status naming the block: "<path>: block at offset N: ". */
static kv_status bad_block(const char *path, uint64_t offset, const char *what,
                           unsigned long long n) {
    return kv_error(KV_CORRUPTION, "%s: block at offset %llu: %s %llu", path,
                    (unsigned long long)offset, what, n);
}

/* Checks the restart array of a block whose crc is good. */
static kv_status check_restarts(const block *b) {
    size_t max = (b->size - 4 - BLOCK_TRAILER_SIZE) / 4;
    if (b->nrestarts > max)
        return bad_block(b->path, b->offset, "bad restart count", b->nrestarts);
    if (b->nrestarts == 0 && b->restarts != 0)
        return bad_block(b->path, b->offset, "entries but no restart, size",
                         b->restarts);
    uint32_t prev = 0;
    for (uint32_t i = 0; i < b->nrestarts; i++) {
        uint32_t r = decode_fixed32(b->data + b->restarts + 4 * i);
        if (r >= b->restarts || (i == 0 && r != 0) || (i > 0 && r <= prev))
            return bad_block(b->path, b->offset, "bad restart offset", r);
        prev = r;
    }
    return kv_ok();
}

kv_status block_parse(block *b, char *data, size_t size, const char *path,
                      uint64_t offset) {
    memset(b, 0, sizeof *b);
    b->data = data;
    b->size = size;
    b->path = path;
    b->offset = offset;
    kv_status s = kv_ok();
    if (size < BLOCK_MIN_SIZE) {
        s = bad_block(path, offset, "too short:", size);
    } else {
        uint32_t want = crc32c_unmask(decode_fixed32(data + size - 4));
        if (crc32c(data, size - 4) != want)
            s = kv_error(KV_CORRUPTION,
                         "%s: block at offset %llu: checksum mismatch", path,
                         (unsigned long long)offset);
    }
    if (s.code == KV_OK) {
        b->nrestarts = decode_fixed32(data + size - 8);
        size_t max = (size - 8) / 4;
        b->restarts = size - 8 - 4 * (b->nrestarts <= max ? b->nrestarts : 0);
        s = check_restarts(b);
    }
    if (s.code != KV_OK) block_free(b);
    return s;
}

void block_free(block *b) {
    free(b->data);
    b->data = NULL;
    b->size = 0;
}

/* ---- the iterator -------------------------------------------------------- */

typedef struct block_iter {
    iter base;
    const block *b;
    size_t next;    /* offset of the entry after the current one */
    kv_buf key;     /* the current key, whole */
    kv_slice value; /* points into the block */
    int valid;
    kv_status status;
} block_iter;

/* Ends the walk with a corruption naming the entry at off. */
static void corrupt_entry(block_iter *bi, size_t off) {
    bi->valid = 0;
    bi->status = kv_error(KV_CORRUPTION,
                          "%s: block at offset %llu: bad entry "
                          "at block offset %zu",
                          bi->b->path, (unsigned long long)bi->b->offset, off);
}

/*
 * Decodes the entry at bi->next on top of the current key. At the end of the
 * entries area the walk ends (valid = 0). Every length is checked against
 * that end first; a bad one ends the walk with KV_CORRUPTION.
 */
static void decode_next(block_iter *bi) {
    const block *b = bi->b;
    size_t off = bi->next;
    if (off >= b->restarts) {
        bi->valid = 0;
        return;
    }
    const char *p = b->data + off, *limit = b->data + b->restarts;
    uint32_t shared, unshared, vlen;
    p = decode_varint32(p, limit, &shared);
    if (p) p = decode_varint32(p, limit, &unshared);
    if (p) p = decode_varint32(p, limit, &vlen);
    if (!p || shared > bi->key.size || shared + unshared == 0 ||
        unshared > (size_t)(limit - p) ||
        vlen > (size_t)(limit - p) - unshared) {
        corrupt_entry(bi, off);
        return;
    }
    bi->key.size = shared;
    kv_buf_append(&bi->key, p, unshared);
    bi->value = (kv_slice){p + unshared, vlen};
    bi->next = (size_t)(p + unshared + vlen - b->data);
    bi->valid = 1;
}

/* Positions on the restart entry i (the key starts empty there). */
static void start_at_restart(block_iter *bi, uint32_t i) {
    bi->key.size = 0;
    bi->next = decode_fixed32(bi->b->data + bi->b->restarts + 4 * (size_t)i);
    decode_next(bi);
}

static void bi_seek(iter *it, kv_slice target) {
    block_iter *bi = (block_iter *)it;
    bi->status = kv_ok();
    bi->valid = 0;
    if (bi->b->nrestarts == 0) return;
    /* The last restart point whose key is < target (or the first one). */
    uint32_t lo = 0, hi = bi->b->nrestarts - 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo + 1) / 2;
        start_at_restart(bi, mid);
        if (!bi->valid) return; /* corrupt */
        if (kv_compare((kv_slice){bi->key.data, bi->key.size}, target) < 0)
            lo = mid;
        else
            hi = mid - 1;
    }
    /* Then walk forward to the first key >= target. */
    start_at_restart(bi, lo);
    while (bi->valid &&
           kv_compare((kv_slice){bi->key.data, bi->key.size}, target) < 0)
        decode_next(bi);
}

static void bi_next(iter *it) {
    block_iter *bi = (block_iter *)it;
    if (bi->valid) decode_next(bi);
}

static int bi_valid(const iter *it) { return ((const block_iter *)it)->valid; }

static kv_slice bi_key(const iter *it) {
    const block_iter *bi = (const block_iter *)it;
    return (kv_slice){bi->key.data, bi->key.size};
}

static int bi_kind(const iter *it) {
    (void)it;
    return ENTRY_PUT;
}

static kv_slice bi_value(const iter *it) {
    return ((const block_iter *)it)->value;
}

static kv_status bi_status(const iter *it) {
    return ((const block_iter *)it)->status;
}

static void bi_free(iter *it) {
    block_iter *bi = (block_iter *)it;
    kv_buf_free(&bi->key);
    free(bi);
}

static const iter_ops block_iter_ops = {bi_seek, bi_next,  bi_valid,  bi_key,
                                        bi_kind, bi_value, bi_status, bi_free};

iter *block_iter_new(const block *b) {
    block_iter *bi = xcalloc(1, sizeof *bi);
    bi->base.ops = &block_iter_ops;
    bi->b = b;
    bi->status = kv_ok();
    return &bi->base;
}

size_t block_count(const block *b) {
    iter *it = block_iter_new(b);
    size_t n = 0;
    for (iter_seek(it, (kv_slice){"", 0}); iter_valid(it); iter_next(it)) n++;
    iter_free(it);
    return n;
}
