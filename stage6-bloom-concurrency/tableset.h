/*
 * tableset.h - the live tables of a store: the version (version.h) that
 * says which tables are live and at which level, an open table for each,
 * the manifest (manifest.h) that records every change, and the compactions
 * that make those changes.
 *
 * Stage 4's engine held a list of open tables, found by listing the
 * directory. Stage 5's engine holds a tableset instead, and the directory
 * is no longer trusted: open reads the manifest, removes the temporary
 * files, and moves every table and obsolete log the manifest does not name
 * into the subdirectory lost/ (LOST_DIR): it never deletes a file it
 * cannot account for, since by number alone an obsolete table, a crashed
 * flush's or compaction's output and a table copied in from another store
 * all look alike. A manifest that lost its newest edits (cut at a record
 * boundary, manifest.h) fails the open instead, before anything moves: a
 * table it names is gone, or the log it names is.
 *
 * Every change to the set has one commit point, a manifest record synced
 * (manifest_append):
 *   - a flush: table N is written and renamed into place by the engine,
 *     then tableset_add_flush appends {add L0 table N, next_number,
 *     log_number}: once that record is durable, table N is live and every
 *     log numbered below log_number is obsolete;
 *   - a compaction: the outputs are written (compact.h), then one record
 *     {remove the inputs, add the outputs, next_number}: once durable, the
 *     new set is live; only then are the inputs closed and removed.
 * A crash before a commit point leaves files the manifest does not name,
 * which the next open sets aside; the set is the old one or the new one.
 *
 * Thresholds (version.h) can be shrunk for tests with the options
 * l0_trigger, level1_bytes and table_bytes (engine.c reads them).
 * One thread at a time changes the set (stage 6: the background thread),
 * and may read it with no lock; with tableset_set_lock, other threads may
 * read it (tableset_version, tableset_table, the counters) while they hold
 * that lock.
 */
#ifndef KV_TABLESET_H
#define KV_TABLESET_H

#include <pthread.h>
#include <stdint.h>

#include "io.h"
#include "iter.h"
#include "kv.h"
#include "table.h"
#include "version.h"

typedef struct tableset tableset;

typedef struct tableset_options {
    uint64_t l0_trigger;   /* VERSION_L0_TRIGGER by default */
    uint64_t level1_bytes; /* VERSION_L1_MAX_BYTES by default */
    uint64_t table_bytes;  /* TARGET_TABLE_BYTES by default */
    int bloom_bits;        /* compaction outputs' filters (table.h) */
    fd_cache *files;       /* the tables' files (fd_cache.h), or NULL */
} tableset_options;

/*
 * Opens the live tables of the store in dir (already claimed; created says
 * whether it is new): replays MANIFEST (a new store has none; an old one
 * without it but with tables is KV_CORRUPTION), opens every live table
 * (footer and index), checks that the log it names is there (else
 * KV_CORRUPTION), writes a fresh snapshot (so a torn tail is never
 * appended after), then removes every .tmp file and moves every .sst and .log
 * file the manifest does not name to dir/lost (renamed, with ".1", ".2",
 * ... added when lost/ holds the name already; both directories synced),
 * counted by the stat files_set_aside. *next_number is the engine's file-number counter: raised past
 * every number the manifest or the directory holds, and used (through the
 * pointer, which must outlive the set) for compaction outputs.
 */
kv_status tableset_open(io_env *env, const char *dir, int created,
                        const tableset_options *o, uint64_t *next_number,
                        tableset **out);

/* Logs numbered at least this hold writes no table holds: open replays
 * them in ascending order, and set every log below it aside. */
uint64_t tableset_log_number(const tableset *ts);

/*
 * Commits a flush: table `number` (already renamed into place and its
 * directory synced) becomes live at L0, and every log below log_number
 * obsolete, by one manifest record (the commit point); then the table is
 * opened. On error the table may or may not be live on disk, and the
 * manifest takes no more edits: every later flush or compaction fails,
 * and the next open says what is there.
 */
kv_status tableset_add_flush(tableset *ts, uint64_t number, uint64_t size,
                             uint64_t entries, kv_slice smallest,
                             kv_slice largest, uint64_t log_number);

/*
 * Runs compactions while the policy (version_pick_compaction) asks for
 * one. With force, first merges every L0 table into L1 even when L0 is
 * below its trigger (kv compact). Errors: as compact_run and
 * tableset_add_flush; a failed compaction leaves the set as it was.
 */
kv_status tableset_compact(tableset *ts, int force);

/*
 * Stage 6: gives the set the engine's mutex (NULL: none). The set then
 * holds it while it changes what readers see (the version, the open
 * tables, the file-number counter, the counters), never while it reads or
 * writes a file; readers hold it while they look.
 */
void tableset_set_lock(tableset *ts, pthread_mutex_t *mu);
/* The live version, and the open table numbered number (NULL if none):
 * for shared_version_new (view.h) to copy, in the thread that changes the
 * set, or under the lock. */
const version *tableset_version(const tableset *ts);
table *tableset_table(const tableset *ts, uint64_t number);

/* Tables live now. */
size_t tableset_count(const tableset *ts);

/* Appends the set's counters (tables_l0..tables_l6, compactions,
 * bytes_compacted, files_set_aside) to out[n..max) and returns the new
 * n. */
size_t tableset_stats(const tableset *ts, kv_stat *out, size_t n, size_t max);
/* Bytes of memory the open tables' indexes hold. */
size_t tableset_memory(const tableset *ts);
/* Bytes written by compactions since open. */
uint64_t tableset_bytes_compacted(const tableset *ts);

/* Closes every table and the manifest and frees ts. NULL is a no-op. */
kv_status tableset_close(tableset *ts);

#endif
