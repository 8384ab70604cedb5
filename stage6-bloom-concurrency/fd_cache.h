/*
 * fd_cache.h - a bound on the table files held open at once (LevelDB's
 * option max_open_files).
 *
 * A store reads its tables for as long as it is open. If each table kept
 * its file descriptor that long, a store of more tables than `ulimit -n`
 * allows (1024 by default on Linux) could open no more files: the next
 * flush's table, a log, the store's directory would all fail with EMFILE.
 * So a table that reads its file with pread holds it as an fd_file of the
 * store's fd_cache, which keeps at most `max` of them open. A read borrows the
 * descriptor (fd_file_get), reopening the file if the cache had closed it, and
 * gives it back (fd_file_put). Once more than max are open, the least recently
 * used ones that no read is holding are closed.
 *
 * Only the descriptor comes and goes: a table keeps what it read at open
 * (its footer and index) in memory, so a reopen costs one open(2) (the
 * I/O layer's files_opened) and no read. LevelDB's table cache evicts
 * whole tables instead, and reads the footer and index again on reopen.
 *
 * A read in progress holds its descriptor, so with many threads reading
 * at once up to one more per thread may be open. The cache has a lock of
 * its own: files may be borrowed from any thread.
 */
#ifndef KV_FD_CACHE_H
#define KV_FD_CACHE_H

#include <stddef.h>

#include "io.h"
#include "kv.h"

#define FD_CACHE_DEFAULT 1000 /* as LevelDB's max_open_files */
#define FD_CACHE_MIN     8    /* small: a test runs under ulimit -n 64 */
#define FD_CACHE_MAX     1000000

typedef struct fd_cache fd_cache;
typedef struct fd_file fd_file;

/* A cache holding at most max files open (at least 1). Never NULL. */
fd_cache *fd_cache_new(size_t max);
/* Frees the cache. Every fd_file of it must be closed first. NULL: no-op. */
void fd_cache_free(fd_cache *c);
/* How many of its files are open now. */
size_t fd_cache_open_count(fd_cache *c);

/*
 * Opens the file at path for reading (io_open_read: counted, and its
 * error names path) as a file of c, which must outlive it; c NULL: a file
 * of its own, open until fd_file_close.
 */
kv_status fd_file_open(io_env *env, fd_cache *c, const char *path,
                       fd_file **out);
/* Lends the open io_file, reopening it first if the cache closed it (an
 * error names the path). Give it back with fd_file_put once done. */
kv_status fd_file_get(fd_file *f, io_file **out);
void fd_file_put(fd_file *f);
/* Keeps the file open until fd_file_close, never closed by the cache: for
 * a file removed while it is still read (Unix keeps an open file's data
 * until its last descriptor closes). Reopens it first if need be. */
kv_status fd_file_keep(fd_file *f);
/* Closes the file (no read may hold it) and frees f. NULL: no-op. */
void fd_file_close(fd_file *f);

#endif
