/*
 * compact.h - a compaction: many tables merged into new tables of bounded
 * size, with shadowed versions and dead tombstones dropped.
 *
 * The input tables are read through stage 3's merging iterator (merge.h),
 * given newest first: L0 tables from the highest number down, then the
 * tables of the output level. For a key held by several inputs the merge
 * yields only the newest entry, so every older version is dropped by
 * construction. A tombstone is dropped too when no table deeper than the
 * output level can hold the key (the caller's may_drop says so, usually
 * !version_key_may_exist_below(v, output_level, key)): nothing is left for
 * it to hide. Otherwise it is kept, or an older value below would come back.
 *
 * The outputs are written as NNNNNN.sst.tmp, each cut once its entries
 * pass target_bytes (an estimate: keys, values and a few bytes each, so the
 * files come out near the target), synced, and renamed to NNNNNN.sst; after
 * the last one the directory is synced. Each output holds a run of
 * increasing keys, so their ranges are disjoint and increase.
 *
 * compact_run does not change the live set: it returns the edit that does
 * (every input removed, every output added at output_level). The engine
 * then commits it:
 *     1. manifest_append(edit)       the commit point: after its sync the
 *                                    new set is the live one
 *     2. version_apply(edit), open the output tables, close the inputs
 *     3. remove the input files      (a crash before this leaves files the
 *                                    manifest does not name: open sets them
 *                                    aside in lost/, tableset.h)
 * A crash before step 1 leaves outputs the manifest does not name (set
 * aside at open) and the old set intact; after it, the new set. Never a
 * mix.
 */
#ifndef KV_COMPACT_H
#define KV_COMPACT_H

#include <stddef.h>
#include <stdint.h>

#include "io.h"
#include "table.h"
#include "version.h"

/* One input: an open table and where it sits in the version. */
typedef struct compact_input {
    table *t;        /* borrowed; must stay open during compact_run */
    int level;       /* for the edit's remove */
    uint64_t number; /* for the edit's remove */
    uint64_t size;   /* bytes, counted in bytes_read */
} compact_input;

typedef struct compaction {
    /* --- set by the caller ------------------------------------------------ */
    io_env *env;
    const char *dir;             /* where the outputs go */
    const compact_input *inputs; /* newest first */
    size_t ninputs;
    int output_level;
    uint64_t target_bytes; /* TARGET_TABLE_BYTES unless testing */
    int bloom_bits;        /* each output's filter, bits per key (0: none) */
    /* 1 if a tombstone for key may be dropped; NULL: keep every tombstone */
    int (*may_drop)(void *arg, kv_slice key);
    void *drop_arg;
    /* hands out a new file number for each output (never NULL) */
    uint64_t (*new_number)(void *arg);
    void *number_arg;
    /* --- filled by compact_run -------------------------------------------- */
    version_edit edit;        /* removes of every input, adds of outputs */
    uint64_t bytes_read;      /* sum of the inputs' sizes */
    uint64_t bytes_written;   /* sum of the outputs' sizes */
    uint64_t entries_written; /* entries in the outputs */
    uint64_t tombstones_dropped;
} compaction;

/*
 * Runs the compaction described by c's caller fields and fills the rest
 * (c->edit is initialized here; free it with version_edit_free, even on
 * error). On error every output file written so far is removed (best
 * effort), c->edit is left empty, and the inputs are untouched: the store
 * is as it was. Errors: a read error or corruption of an input, a write,
 * sync or rename error of an output.
 */
kv_status compact_run(compaction *c);

#endif
