/*
 * move.h - a compaction that moves tables down a level instead of
 * rewriting them (stage 7; LevelDB calls it a "trivial move").
 *
 * A compaction merges its inputs from level L with the tables of level L+1
 * they overlap. When they overlap none, and do not overlap each other,
 * the merge would copy every entry unchanged into new files: the same
 * bytes, read and written once more for nothing. Instead, one manifest
 * edit removes the tables from level L and adds them to level L+1: no
 * table file is read, written or synced. Sequential inserts (fillseq) hit
 * this case at every compaction, since each flush holds keys past every
 * table before it.
 *
 * One guard, LevelDB's: a table is not moved onto a range of level L+2
 * that holds more than MOVE_MAX_GRANDPARENT output tables' worth of bytes,
 * or its next compaction, with those tables, would be that much larger.
 * A move keeps tombstones (a rewrite could drop some): correctness is the
 * same, the space is reclaimed by a later merge.
 */
#ifndef KV_MOVE_H
#define KV_MOVE_H

#include <stdint.h>

#include "version.h"

#define MOVE_MAX_GRANDPARENT 10 /* x the target output size */

/*
 * 1 if the pick p (version_pick_compaction's, or every L0 table) can be
 * made as a move: p has no input in level + 1, its inputs are pairwise
 * disjoint, and they meet at most MOVE_MAX_GRANDPARENT x table_bytes of
 * level + 2. Reads v only.
 */
int move_possible(const version *v, const version_pick *p,
                  uint64_t table_bytes);

/* Fills e (initialized by the caller) with the move of p's inputs from
 * p->level to p->level + 1. Cannot fail. */
void move_edit(const version_pick *p, version_edit *e);

#endif
