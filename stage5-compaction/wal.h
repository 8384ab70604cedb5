/*
 * wal.h - the write-ahead log: every put and delete, in the order they
 * were made, since the memtable they belong to was last flushed.
 *
 * A WAL file is stage 1's record log (log.h has the format), one record per
 * put or delete, named by a number: 000007.log holds the writes of the
 * memtable that will be flushed to table 000007.sst. When a log becomes
 * obsolete is the engine's rule (engine.c tells the whole story).
 * docs/format-wal.md walks through an example.
 *
 * A log's first record names its store: a put of the store's id (8 bytes,
 * kv_store_id) under the key "\0store". It is never applied, and no write
 * can be first in a log, so it cannot be mistaken for one. Replay checks
 * it, so a log copied in from another store, whatever its number, is
 * refused instead of replayed into this one.
 *
 * What it guarantees: wal_append writes the whole record with one
 * io_append before it returns (a kill -9 cannot lose it), and with sync
 * also io_syncs the file (a power loss cannot lose it). A failed append or
 * sync leaves the log in an unknown state (part of a record may be there),
 * so the error sticks: every later append returns it, and only reopening
 * the store (which cuts a torn tail) writes to that log again.
 */
#ifndef KV_WAL_H
#define KV_WAL_H

#include <stdint.h>

#include "io.h"
#include "kv.h"
#include "memtable.h"

typedef struct wal wal;

/* "dir/000042.log", in a new string the caller frees. */
char *wal_file(const char *dir, uint64_t number);
/* 1 when name is NNNNNN.log (at least six digits), with *number; else 0. */
int wal_parse_name(const char *name, uint64_t *number);

/*
 * Creates a log at path for appending, holding only the record that names
 * the store (store_id); anything already there (a file, a hard or
 * symbolic link) is an error and is left untouched (io_create). The
 * creation is durable only once the caller io_syncs the directory; the
 * first record, once the first sync of the file.
 */
kv_status wal_create(io_env *env, const char *path, uint64_t store_id,
                     wal **out);

/*
 * Opens the existing log at path for appending after its first `end`
 * bytes: a longer file (a torn tail, as wal_replay found it) is cut to end
 * and synced first, so the next record follows a whole one. A log cut to
 * nothing (its first record was torn) gets the store's record again.
 */
kv_status wal_reopen(io_env *env, const char *path, uint64_t end,
                     uint64_t store_id, wal **out);

/*
 * Reads every record of the log at path into mem, in order (a delete as a
 * tombstone), after the first, which must name store_id: a log of another
 * store, or one that does not start with a store's record, is
 * KV_CORRUPTION naming the file (and both ids), and nothing of it is
 * applied. *end is where the last whole record ends: a torn tail is not
 * an error, replay stops there (an empty log, or one whose first record is
 * torn, has nothing to check). A record failing its checks is
 * KV_CORRUPTION naming the file and offset (log_reader_next). *records
 * counts the writes applied.
 */
kv_status wal_replay(io_env *env, const char *path, uint64_t store_id,
                     memtable *mem, uint64_t *end, uint64_t *records);

/* Appends one record (type LOG_PUT or LOG_DELETE) with one io_append, and
 * io_syncs it when sync is set. Errors stick (see the top). */
kv_status wal_append(wal *w, int type, kv_slice key, kv_slice value, int sync);

/* The bytes of the writes in the log: its size but the store's record. */
uint64_t wal_size(const wal *w);

/* Closes the file and frees w, even on error. NULL is a no-op. */
kv_status wal_close(wal *w);

#endif
