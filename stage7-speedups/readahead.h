/*
 * readahead.h - reading a file ahead of a sequential reader (stage 7).
 *
 * A scan or a compaction walks a table's data blocks in order, and stage 3
 * read each with its own pread: a system call per 4 KiB block, about 35
 * entries. For a get that is the least it can read; for a walk it is a
 * system call where a memory copy would do. A readahead buffer holds the
 * next READAHEAD_BYTES of the file: a block inside it is copied out, and
 * only a block past its end costs a pread, which refills the buffer from
 * that block on. (LevelDB maps its tables into memory instead, and
 * RocksDB's iterators read ahead the same way, up to 256 KiB.)
 *
 * Nothing is trusted that was not checked: the caller parses (and so
 * checks the crc of) every block it takes, as if read alone.
 */
#ifndef KV_READAHEAD_H
#define KV_READAHEAD_H

#include <stdint.h>

#include "io.h"
#include "kv.h"

#define READAHEAD_BYTES (256u << 10)

/* The buffer: size bytes of a file from offset at, in data (cap bytes
 * allocated). Zero-initialized: empty. */
typedef struct readahead {
    char *data;
    size_t size, cap;
    uint64_t at;
} readahead;

/*
 * Copies [offset, offset + size) of f into a new buffer *out (from
 * xmalloc; the caller frees it). Served from r when r holds the range;
 * else one pread of [offset, min(offset + READAHEAD_BYTES, limit)), at
 * least size bytes, refills r first. limit is where the caller's data
 * ends (no read goes past it unless size does). Errors: the pread's
 * (nothing is copied and r is emptied).
 */
kv_status readahead_read(readahead *r, io_file *f, uint64_t offset,
                         size_t size, uint64_t limit, char **out);
/* Frees r's buffer. */
void readahead_free(readahead *r);

#endif
