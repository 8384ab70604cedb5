/*
 * version.h - the set of live tables, arranged in levels, and the choice of
 * what to compact next.
 *
 * Stage 5 uses leveled compaction, as LevelDB does, simplified:
 *
 *     level 0     tables flushed from the memtable, as they come: their key
 *                 ranges may overlap; a higher file number is newer.
 *     level 1..6  tables with disjoint key ranges, sorted by smallest key;
 *                 level L may hold about max_bytes(L) = 10 MiB * 10^(L-1).
 *
 * Why leveled and not size-tiered: at this scale (a few GB at most) a
 * leveled tree keeps read amplification at one table per level (plus L0)
 * and space amplification near 1.1x (90% of the data sits in the deepest
 * level, where there is one version per key), for a write amplification of
 * about 10 per level. Size-tiered writes less but can hold several copies
 * of every key and makes a get search many overlapping tables.
 *
 * A compaction is needed when a level's score reaches 1:
 *     level 0: tables / l0_trigger (4 by default)
 *     level L: bytes / max_bytes(L)  (level 6, the last, is never scored)
 * The highest score wins. An L0 compaction takes every L0 table plus every
 * L1 table overlapping their combined range. An L>=1 compaction takes one
 * table, round robin (the first whose smallest key is after the level's
 * compact pointer, wrapping to the first), plus the L+1 tables overlapping
 * it. The outputs go to L+1. The compact pointers live only in memory: after
 * a restart the round robin begins again at each level's first table.
 *
 * A version_edit is a change to the set: tables removed, tables added, and
 * optionally the next file number and the log number. The manifest
 * (manifest.h) stores edits; replaying them rebuilds the version.
 *
 * The struct is visible so the engine can walk the tables; change it only
 * through these functions, which keep each level sorted. Pointers to a
 * table_meta stay valid until the next call that changes the version.
 */
#ifndef KV_VERSION_H
#define KV_VERSION_H

#include <stddef.h>
#include <stdint.h>

#include "kv.h"

#define VERSION_LEVELS       7
#define VERSION_L0_TRIGGER   4             /* L0 tables that start a merge */
#define VERSION_L1_MAX_BYTES (10ull << 20) /* max_bytes(1); x10 per level */
#define TARGET_TABLE_BYTES   (2ull << 20)  /* a compaction output's size */

/* What the version knows of one table. smallest and largest are owned. */
typedef struct table_meta {
    uint64_t number;  /* the file is NNNNNN.sst */
    uint64_t size;    /* bytes */
    uint64_t entries; /* entries, tombstones included */
    kv_buf smallest;  /* the first key */
    kv_buf largest;   /* the last key */
} table_meta;

/* Fills m with copies of the keys. Cannot fail. */
void table_meta_set(table_meta *m, uint64_t number, uint64_t size,
                    uint64_t entries, kv_slice smallest, kv_slice largest);
void table_meta_free(table_meta *m);
/* Views of the keys, valid while m is. */
kv_slice table_meta_smallest(const table_meta *m);
kv_slice table_meta_largest(const table_meta *m);

/* --- edits ---------------------------------------------------------------- */

typedef struct edit_add {
    int level;
    table_meta meta;
} edit_add;

typedef struct edit_remove {
    int level;
    uint64_t number;
} edit_remove;

typedef struct version_edit {
    int has_next_number, has_log_number;
    uint64_t next_number; /* the next file number to hand out */
    uint64_t log_number;  /* the write-ahead log holding unflushed writes */
    edit_add *adds;
    size_t nadds, adds_cap;
    edit_remove *removes;
    size_t nremoves, removes_cap;
} version_edit;

/* An empty edit; version_edit_free releases what it holds. */
void version_edit_init(version_edit *e);
void version_edit_free(version_edit *e);
/* Records an added table (copying m) or a removed one. Cannot fail. */
void version_edit_add(version_edit *e, int level, const table_meta *m);
void version_edit_remove(version_edit *e, int level, uint64_t number);

/* --- the version -------------------------------------------------------- */

typedef struct version {
    table_meta *tables[VERSION_LEVELS]; /* L0 by number, others by key */
    size_t count[VERSION_LEVELS], cap[VERSION_LEVELS];
    kv_buf compact_pointer[VERSION_LEVELS]; /* round robin; empty: start */
    uint64_t l0_trigger;       /* VERSION_L0_TRIGGER unless changed */
    uint64_t level1_max_bytes; /* VERSION_L1_MAX_BYTES unless changed */
} version;

/* An empty version with the default thresholds. Never NULL. */
version *version_new(void);
void version_free(version *v);

/*
 * Adds a copy of m to level. KV_INVALID_ARGUMENT if the level is out of
 * range, the number is already live in any level, smallest > largest, or
 * (levels >= 1) its range overlaps a table of that level; nothing changes.
 */
kv_status version_add(version *v, int level, const table_meta *m);
/* Removes table number from level; KV_INVALID_ARGUMENT if it is not there. */
kv_status version_remove(version *v, int level, uint64_t number);
/*
 * Applies e's removes, then its adds. On error (the first failing add or
 * remove's) v may be partly changed: the caller treats the version as lost
 * (replay fails the open).
 */
kv_status version_apply(version *v, const version_edit *e);

/* 1 if some level holds table number. */
int version_has(const version *v, uint64_t number);

/* Bytes and tables in a level. */
uint64_t version_level_bytes(const version *v, int level);
size_t version_level_tables(const version *v, int level);
/* max_bytes(level) for level >= 1. */
uint64_t version_max_bytes(const version *v, int level);

/*
 * The tables of level whose range meets [smallest, largest], in the level's
 * order (L0: oldest first). Returns how many; *out is a malloc'd array the
 * caller frees (NULL when none).
 */
size_t version_overlapping(const version *v, int level, kv_slice smallest,
                           kv_slice largest, table_meta ***out);

/* 1 if a table in a level deeper than level has key in its range. */
int version_key_may_exist_below(const version *v, int level, kv_slice key);

/*
 * The tables a get for key must search, in order: L0 tables whose range
 * covers key, newest first, then for each level >= 1 the one table covering
 * it (found by binary search). The first entry found decides. Returns how
 * many; *out is a malloc'd array the caller frees (NULL when none).
 */
size_t version_lookup(const version *v, kv_slice key, table_meta ***out);

/* A chosen compaction: inputs[0] from level, inputs[1] from level + 1. */
typedef struct version_pick {
    int level;
    table_meta **inputs[2]; /* malloc'd; version_pick_free */
    size_t n[2];
} version_pick;

/*
 * Chooses the compaction with the highest score >= 1 (see the top of this
 * file) and advances that level's compact pointer. Returns 0 when none is
 * needed (*p is then empty), 1 with *p filled: its pointers stay valid until
 * the version changes. Free *p with version_pick_free either way.
 */
int version_pick_compaction(version *v, version_pick *p);
/* Every L0 table and the L1 tables their range meets, whatever the scores
 * (kv compact's forced merge); 0 when L0 is empty. Free *p as above. */
int version_pick_l0(const version *v, version_pick *p);
void version_pick_free(version_pick *p);

#endif
