/*
 * log.h - the record log: the format, a writer's encoder and a reader.
 *
 * The store is one file of records, appended one after another and never
 * changed in place. The format (docs/01-append-log.md walks through a hex
 * example):
 *
 *     log     := record* tail?
 *     record  := header key value
 *     header  := hcrc:fixed32 dcrc:fixed32 type:u8 klen:fixed32 vlen:fixed32
 *     type    := 1 (put) | 2 (delete: a tombstone, vlen = 0)
 *     hcrc    := masked crc32c of the 13 header bytes after it
 *     dcrc    := masked crc32c of key and value
 *     tail    := the first bytes of a record whose write never finished
 *
 * All integers are little-endian. Two checksums, because a crash and a
 * flipped bit must not look alike. A crash cuts the log short: the last
 * record is missing its end. A flipped bit in a length field could make a
 * record claim to run past the end of the file too, and we would silently
 * drop it and everything after it as "torn". With the header under its own
 * checksum, a length we act on is a length that was written: a record that
 * runs past the end is torn, a header that fails its checksum is corrupt.
 *
 * What the reader reports, at a record starting at offset p:
 *   - fewer than LOG_HEADER_SIZE bytes left, or a header whose lengths run
 *     past the end of the file, or nothing but zero bytes from p to the end
 *     (a file system may extend a file before the data lands): the torn
 *     tail. Not an error: the log ends at p.
 *   - a header failing hcrc, a bad type or impossible lengths, or a record
 *     failing dcrc: corruption, reported with the file and offset p.
 */
#ifndef KV_LOG_H
#define KV_LOG_H

#include <stdint.h>

#include "io.h"
#include "kv.h"

#define LOG_HEADER_SIZE 17

enum { LOG_PUT = 1, LOG_DELETE = 2 };

/* The size of the record for a key and value of these sizes. */
uint64_t log_record_size(size_t klen, size_t vlen);

/*
 * Encodes a record into *out (replacing what it held), ready for one
 * io_append. For LOG_DELETE the value must be empty.
 */
void log_encode(kv_buf *out, int type, kv_slice key, kv_slice value);

/* One record as the reader sees it; slices point into the reader. */
typedef struct log_record {
    uint64_t offset; /* where the record starts in the file */
    uint64_t size;   /* header + key + value */
    int type;        /* LOG_PUT or LOG_DELETE */
    kv_slice key;
    kv_slice value;
} log_record;

/*
 * A sequential reader over [0, end) of a log file, reading in large chunks
 * so that a scan costs few read calls. Borrows the file.
 */
typedef struct log_reader {
    io_file *file;
    uint64_t end;    /* the reader stops here */
    uint64_t offset; /* the next record starts here */
    char *buf;       /* a window of the file: [buf_start, buf_start+buf_len) */
    size_t buf_cap;
    size_t buf_len;
    uint64_t buf_start;
} log_reader;

void log_reader_init(log_reader *r, io_file *file, uint64_t end);
void log_reader_free(log_reader *r);

/*
 * Reads the next record into *rec, valid until the next call.
 * *more is 1 with a record, 0 at the end of the log: a clean end or a torn
 * tail, where r->offset is then the end of the last whole record (where the
 * log should be cut). Returns KV_CORRUPTION naming the file and offset when
 * a record fails its checks; *more is then 0 and r->offset is the bad record.
 */
kv_status log_reader_next(log_reader *r, log_record *rec, int *more);

#endif
