/*
 * log.c - encoding and reading records of the log; the format is in log.h.
 *
 * The writer side is one function, log_encode: the caller appends what it
 * returns with a single io_append, so a record reaches the kernel whole or
 * not at all as far as a killed process is concerned.
 *
 * The reader side decides, for every record, between three answers: a good
 * record, the end of the log (clean, or a torn tail left by a crash), and
 * corruption. The rules are in log.h; decode_header below applies them.
 */
#include "log.h"

#include <stdlib.h>
#include <string.h>

#include "coding.h"
#include "crc32c.h"

#define READ_CHUNK (64 * 1024)

uint64_t log_record_size(size_t klen, size_t vlen) {
    return (uint64_t)LOG_HEADER_SIZE + klen + vlen;
}

void log_encode(kv_buf *out, int type, kv_slice key, kv_slice value) {
    char h[LOG_HEADER_SIZE];
    uint32_t dcrc =
        crc32c_extend(crc32c(key.data, key.size), value.data, value.size);
    encode_fixed32(h + 4, crc32c_mask(dcrc));
    h[8] = (char)type;
    encode_fixed32(h + 9, (uint32_t)key.size);
    encode_fixed32(h + 13, (uint32_t)value.size);
    encode_fixed32(h, crc32c_mask(crc32c(h + 4, LOG_HEADER_SIZE - 4)));

    out->size = 0;
    kv_buf_append(out, h, sizeof h);
    kv_buf_append(out, key.data, key.size);
    kv_buf_append(out, value.data, value.size);
}

/* ---- decoding ------------------------------------------------------------ */

typedef struct header {
    uint32_t dcrc;
    int type;
    uint32_t klen, vlen;
} header;

/* Checks and decodes the header bytes h of the record at offset. */
static kv_status decode_header(const char *h, const char *path, uint64_t offset,
                               header *out) {
    uint32_t want = crc32c_unmask(decode_fixed32(h));
    if (crc32c(h + 4, LOG_HEADER_SIZE - 4) != want)
        return kv_error(KV_CORRUPTION, "%s: offset %llu: bad header checksum",
                        path, (unsigned long long)offset);
    out->dcrc = crc32c_unmask(decode_fixed32(h + 4));
    out->type = (unsigned char)h[8];
    out->klen = decode_fixed32(h + 9);
    out->vlen = decode_fixed32(h + 13);
    if (out->type != LOG_PUT && out->type != LOG_DELETE)
        return kv_error(KV_CORRUPTION, "%s: offset %llu: bad record type %d",
                        path, (unsigned long long)offset, out->type);
    if (out->klen == 0 || out->klen > KV_MAX_KEY || out->vlen > KV_MAX_VALUE ||
        (out->type == LOG_DELETE && out->vlen != 0))
        return kv_error(KV_CORRUPTION,
                        "%s: offset %llu: bad lengths (key %u, value %u)", path,
                        (unsigned long long)offset, out->klen, out->vlen);
    return kv_ok();
}

/* Checks the payload at p against the header and fills *rec. */
static kv_status decode_payload(const header *hd, const char *p,
                                const char *path, uint64_t offset,
                                log_record *rec) {
    if (crc32c(p, (size_t)hd->klen + hd->vlen) != hd->dcrc)
        return kv_error(KV_CORRUPTION, "%s: offset %llu: bad data checksum",
                        path, (unsigned long long)offset);
    rec->offset = offset;
    rec->size = log_record_size(hd->klen, hd->vlen);
    rec->type = hd->type;
    rec->key = (kv_slice){p, hd->klen};
    rec->value = (kv_slice){p + hd->klen, hd->vlen};
    return kv_ok();
}

/* ---- the sequential reader ----------------------------------------------- */

void log_reader_init(log_reader *r, io_file *file, uint64_t end) {
    memset(r, 0, sizeof *r);
    r->file = file;
    r->end = end;
}

void log_reader_free(log_reader *r) {
    free(r->buf);
    r->buf = NULL;
}

/*
 * Makes the window hold [off, off + n), or as much of it as the file has
 * before r->end. *have says how many bytes from off are now in the window.
 */
static kv_status fill(log_reader *r, uint64_t off, size_t n, size_t *have) {
    uint64_t avail = r->end > off ? r->end - off : 0;
    if (n > avail) n = (size_t)avail;
    if (off >= r->buf_start && off + n <= r->buf_start + r->buf_len) {
        *have = n;
        return kv_ok();
    }
    size_t want = n > READ_CHUNK ? n : READ_CHUNK;
    if (want > avail) want = (size_t)avail;
    if (want > r->buf_cap) {
        r->buf = xrealloc(r->buf, want);
        r->buf_cap = want;
    }
    size_t got = 0;
    kv_status s = io_pread(r->file, r->buf, want, off, &got);
    r->buf_start = off;
    r->buf_len = s.code == KV_OK ? got : 0;
    *have = r->buf_len < n ? r->buf_len : n;
    return s;
}

/* 1 if every byte from off to the end is zero. */
static kv_status rest_is_zero(log_reader *r, uint64_t off, int *zero) {
    *zero = 1;
    while (off < r->end && *zero) {
        size_t have;
        kv_status s = fill(r, off, READ_CHUNK, &have);
        if (s.code != KV_OK) return s;
        if (have == 0) break;
        const char *p = r->buf + (off - r->buf_start);
        for (size_t i = 0; i < have; i++)
            if (p[i] != 0) *zero = 0;
        off += have;
    }
    return kv_ok();
}

kv_status log_reader_next(log_reader *r, log_record *rec, int *more) {
    const char *path = io_path(r->file);
    uint64_t off = r->offset;
    size_t have;
    header hd = {0};
    *more = 0;

    kv_status s = fill(r, off, LOG_HEADER_SIZE, &have);
    if (s.code != KV_OK) return s;
    if (have < LOG_HEADER_SIZE) return kv_ok(); /* clean end, or torn header */

    s = decode_header(r->buf + (off - r->buf_start), path, off, &hd);
    if (s.code != KV_OK) {
        int zero;
        kv_status z = rest_is_zero(r, off, &zero);
        if (z.code != KV_OK) return z;
        return zero ? kv_ok() : s; /* zeros: a tail the data never reached */
    }
    uint64_t size = log_record_size(hd.klen, hd.vlen);
    if (off + size > r->end) return kv_ok(); /* torn: the write was cut short */

    s = fill(r, off, (size_t)size, &have);
    if (s.code != KV_OK) return s;
    s = decode_payload(&hd, r->buf + (off - r->buf_start) + LOG_HEADER_SIZE,
                       path, off, rec);
    if (s.code != KV_OK) return s;
    r->offset = off + size;
    *more = 1;
    return kv_ok();
}
