/*
 * db.h - the store's state, shared by engine.c (open, the calls, close)
 * and bg.c (the background thread, and the writers' making room) in
 * stage 6. Stage 5 kept this struct inside engine.c; it moved here so two
 * files can see it.
 *
 * Who may touch what (the locking design; engine.c's header tells it):
 *   - mu, the store's mutex, guards the small shared state: the current
 *     view, the immutable memtable and its log number, the background
 *     state (closing, compaction requests, the sticky error), the stall
 *     and flush counters, next_number, and (through tableset_set_lock)
 *     what readers see of the tableset. It is held only for short steps:
 *     never across a file write, a merge or a search.
 *   - write_mu serializes writers (puts, deletes, and the memtable switch
 *     of kv_compact and kv_close): the log and the memtable are the
 *     writer's, touched without mu.
 *   - old_logs is handed over by imm: the writer adds the old log when it
 *     switches the memtable (only while imm is NULL; under mu, which then
 *     sets imm), and the flush removes the logs once its edit is durable
 *     (only while imm is set; the flush ends by clearing imm under mu), so
 *     the two never touch it at once, and mu orders their turns.
 *   - the tableset is changed only by the background thread.
 *   - the atomic counters are read by kv_stats from any thread.
 */
#ifndef KV_DB_H
#define KV_DB_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "kv.h"
#include "tableset.h"
#include "view.h"
#include "wal.h"

struct kv_db {
    io_env *env;
    int own_env;       /* env was made by kv_open and is freed by kv_close */
    io_file *lock;     /* the store's LOCK, held from open to close */
    uint64_t store_id; /* STORE's id: the first record of every log */
    io_counts at_open; /* the env's counts when open began */
    char *dir;
    shared_mem *mem;  /* every write since the last switch (the writer's) */
    shared_mem *imm;  /* mu: full, being flushed; NULL: none */
    uint64_t imm_log; /* mu: imm's log number, and its table's */
    tableset *tables; /* the live tables, their levels, the manifest */
    fd_cache *files;  /* the tables' files, at most max_open_files open */
    view *current;    /* mu: what a reader starting now reads */
    /* mu: the tables as the current view and views to come share them */
    shared_version *version;
    _Atomic uint64_t bytes_user, bytes_logged; /* see kv_stats */
    uint64_t bytes_flushed;                    /* mu */
    uint64_t next_number; /* mu: the next file number, table or log */
    uint64_t limit;       /* switch once memtable_bytes(mem) reaches this */
    uint64_t flushes;     /* mu: since open */
    int bloom_bits;       /* bits per key of every table's filter */
    cache *cache;         /* the tables' block cache (NULL: none) */
    int mmap;             /* tables read in place (option mmap) */
    int sync; /* sync=always: io_sync the log before a write returns */
    wal *log; /* the memtable's log (the writer's) */
    uint64_t log_number; /* the number of that log, and of its table */
    uint64_t *old_logs;  /* closed logs not yet removed (see flush) */
    size_t nold, old_cap;
    _Atomic uint64_t mem_bytes, log_bytes; /* copies for kv_stats */
    pthread_mutex_t mu;                    /* see the top of this file */
    pthread_mutex_t write_mu;              /* one writer at a time */
    pthread_cond_t work_cv; /* the background thread waits here */
    pthread_cond_t done_cv; /* stalled writers, kv_compact, kv_close */
    pthread_t bg;
    int bg_running;                      /* the thread was started */
    int closing;                         /* mu: kv_close asked it to stop */
    int working;                         /* mu: it is flushing or compacting */
    uint64_t compact_asked, compact_ran; /* mu: kv_compact's requests */
    int compact_pending; /* mu: run the policy once (a writer asked) */
    kv_status compact_status;            /* mu: the last one's outcome */
    kv_status bg_error; /* mu: sticky: every later write returns it */
    uint64_t stalls, stall_micros; /* mu: writes that waited, and for how
                                      long in all */
    uint64_t slowdowns; /* mu: writes that slept 1 ms for a full L0 */
};

/* --- engine.c, for bg.c --------------------------------------------------- */

/* Writes db->imm to table db->imm_log and commits it (the steps at the top
 * of engine.c). Background thread only. */
kv_status flush(kv_db *db);
/* Starts log next_number as db->log (see engine.c). Writer only. */
kv_status new_log(kv_db *db);
/* Remembers log `number` (closed) for removal after the next flush. With
 * mu held, or before the background thread runs. */
void add_old_log(kv_db *db, uint64_t number);

/* --- bg.c, for engine.c --------------------------------------------------- */

/* Starts the background thread. KV_IO_ERROR if the system refuses. */
kv_status bg_start(kv_db *db);
/*
 * With write_mu held: makes room in the memtable for one more write. If
 * it is full, it becomes the immutable memtable and a new one starts (with
 * a new log); if the immutable one is still being flushed, or L0 holds
 * too many tables (bg.c), the writer waits first, and the wait is counted
 * (stalls, stall_micros). A write also sleeps 1 ms first while L0 holds
 * twice l0_trigger tables (slowdowns).
 * With force, switches any memtable that holds anything (kv_compact,
 * kv_close), and does not count its wait. Errors: the sticky background
 * error, or the new log's.
 */
kv_status bg_make_room(kv_db *db, int force);
/* The compaction's pause between output tables (tableset_options): flushes
 * the immutable memtable if the writer switched one out meanwhile, so a
 * writer never waits for a whole compaction. Background thread, mu not
 * held. */
void bg_between_outputs(void *arg);
/* Makes a new view of mem, imm and the tables the current one. mu held.
 * sv: a new shared version of the tables, which replaces db->version and
 * whose reference passes to db; NULL: the tables have not changed. */
void bg_install_view(kv_db *db, shared_version *sv);
/* kv_compact: flushes the memtable, then asks the background thread for a
 * full compaction and waits for it. Its error, or the sticky one. */
kv_status bg_compact(kv_db *db);
/* kv_close: flushes the memtable, lets the background thread finish, and
 * joins it. The sticky error, or the last flush's. */
kv_status bg_stop(kv_db *db);

#endif
