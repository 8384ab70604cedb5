/*
 * manifest.h - the manifest: a log of version edits that says, at every
 * instant, which tables are live.
 *
 * Stage 4 trusted a directory listing: every NNNNNN.sst was live. A
 * compaction replaces several tables by several others, and no rename can
 * do that in one step. So stage 5 keeps the set of live tables in a file of
 * its own, MANIFEST, and changes it by appending one record: the edit
 * "these tables added, those removed". The record is appended with one
 * io_append and synced: once the sync returns the edit counts (the commit
 * point); a crash before leaves a torn tail that replay ignores, so the
 * set is the old one or the new one, never a mix.
 *
 * The file uses the write-ahead log's record format (log.h, stage 1): each
 * edit is one LOG_PUT record with the key "edit" and the encoded edit as its
 * value. The edit's encoding (LevelDB's VersionEdit, simplified):
 *
 *     edit     := field*
 *     field    := 1 next_number:varint64          (optional, at most once)
 *               | 2 log_number:varint64           (optional, at most once)
 *               | 3 level:varint32 number:varint64                 (remove)
 *               | 4 level:varint32 number:varint64 size:varint64
 *                   entries:varint64 smallest:key largest:key      (add)
 *     key      := length:varint32 bytes
 *
 * Tags are varints too. Replay applies the edits in order: removes, then
 * adds, of each. An unknown tag, a level out of range, a key that runs past
 * the value or an edit that does not apply (a removed table that is not
 * live, an L1+ table overlapping another) is corruption.
 *
 * The manifest grows by an edit per flush and per compaction. Open (and the
 * engine, once the file passes MANIFEST_MAX_BYTES) writes a fresh one: a
 * snapshot, one edit adding every live table, written to MANIFEST.tmp,
 * synced, renamed over MANIFEST and the directory synced. The rename is the
 * commit point; the old manifest stays whole until then.
 */
#ifndef KV_MANIFEST_H
#define KV_MANIFEST_H

#include <stdint.h>
#include <stdio.h>

#include "io.h"
#include "kv.h"
#include "version.h"

#define MANIFEST_NAME      "MANIFEST"
#define MANIFEST_TMP_NAME  "MANIFEST.tmp"
#define MANIFEST_MAX_BYTES (1ull << 20) /* rewrite a snapshot past this */
/* The subdirectory where open moves the files the manifest does not name
 * (tableset.h), never removing them. */
#define LOST_DIR "lost"

enum {
    EDIT_NEXT_NUMBER = 1,
    EDIT_LOG_NUMBER = 2,
    EDIT_REMOVE = 3,
    EDIT_ADD = 4,
};

/* Encodes e into *out (replacing what it held). Cannot fail. */
void manifest_edit_encode(const version_edit *e, kv_buf *out);
/*
 * Decodes in into *e (initialized here; free it with version_edit_free,
 * even on error). KV_CORRUPTION with a short reason ("bad edit: unknown tag
 * 9"); the caller prefixes the file and offset.
 */
kv_status manifest_edit_decode(kv_slice in, version_edit *e);

/*
 * Appends e as one record to f (a manifest opened with io_open_append) with
 * one io_append, then syncs f: when this returns OK the edit is durable.
 * On error the edit may or may not be in the file; the caller must stop
 * writing (the engine fails, and the next open replays what is there).
 */
kv_status manifest_append(io_file *f, const version_edit *e);

/*
 * Writes a new manifest for dir holding one edit that adds every table of v
 * with next_number and log_number: MANIFEST.tmp (whatever was there
 * removed first, never written through), synced, renamed to MANIFEST,
 * directory synced. On error MANIFEST.tmp is removed (best
 * effort) and the old MANIFEST, if any, is untouched.
 */
kv_status manifest_write_snapshot(io_env *env, const char *dir,
                                  const version *v, uint64_t next_number,
                                  uint64_t log_number);

/*
 * Replays the manifest at path into v (which should start empty), setting
 * *next_number and *log_number from the last edit that carries each (left
 * as they were if none does). Strict about what a crash cannot leave: the
 * first record is a snapshot, synced before it was renamed into place, so
 * an empty file, a torn or corrupt first record, or a first edit that is
 * not a snapshot is KV_CORRUPTION naming path and offset. A torn tail after
 * it (a crash while an edit was being appended, before its sync returned)
 * ends the replay without error: that edit never committed. Corruption
 * before the end is KV_CORRUPTION naming path and offset. The engine must
 * then write a snapshot before appending again, so the torn tail is gone.
 * What it cannot see: a manifest cut exactly at a record boundary, or
 * inside its last record, reads as an older, whole one (so does LevelDB's);
 * tableset_open then finds the files the lost edits removed missing.
 */
kv_status manifest_replay(io_env *env, const char *path, version *v,
                          uint64_t *next_number, uint64_t *log_number);

/*
 * Prints the manifest at path for `kv dump`: each edit with its offset and
 * size, then its fields, one per line (keys quoted, unprintable bytes as
 * \xNN). A torn tail is named with the bytes it holds; corruption is
 * printed and ends the listing. Errors: only a file that cannot be read.
 */
kv_status manifest_dump(io_env *env, const char *path, FILE *out);

#endif
