/*
 * readahead.c - a buffer of the file ahead of a sequential reader; the
 * idea is in readahead.h.
 */
#include "readahead.h"

#include <stdlib.h>
#include <string.h>

/* 1 if r holds [offset, offset + size). */
static int holds(const readahead *r, uint64_t offset, size_t size) {
    return offset >= r->at && offset - r->at <= r->size &&
           size <= r->size - (offset - r->at);
}

kv_status readahead_read(readahead *r, io_file *f, uint64_t offset,
                         size_t size, uint64_t limit, char **out) {
    *out = NULL;
    if (!holds(r, offset, size)) {
        uint64_t want = READAHEAD_BYTES;
        if (limit > offset && limit - offset < want) want = limit - offset;
        if (want < size) want = size;
        if (r->cap < want) {
            free(r->data);
            r->data = xmalloc((size_t)want);
            r->cap = (size_t)want;
        }
        r->size = 0;
        r->at = offset;
        kv_status s = io_pread_full(f, r->data, (size_t)want, offset);
        if (s.code != KV_OK) return s;
        r->size = (size_t)want;
    }
    *out = xmalloc(size ? size : 1);
    memcpy(*out, r->data + (offset - r->at), size);
    return kv_ok();
}

void readahead_free(readahead *r) {
    free(r->data);
    *r = (readahead){0};
}
