/*
 * level_iter.h - the level iterator (stage 7): the tables of one level
 * 1..6 seen as one sorted iterator.
 *
 * The tables of a level >= 1 hold disjoint key ranges, sorted (version.h),
 * so walking them one after another, in order, yields the level's entries
 * in key order: no merge is needed inside a level. The level iterator does
 * that walk with at most one table iterator open at a time, opened only when
 * a seek or a next reaches its table. LevelDB calls this a two-level
 * iterator over the level's file list.
 */
#ifndef KV_LEVEL_ITER_H
#define KV_LEVEL_ITER_H

#include <stddef.h>

#include "iter.h"
#include "table.h"
#include "version.h"

/*
 * An iterator over the n tables of one level: tables[i] is the table metas[i]
 * describes, and the metas are in key order with disjoint ranges (a level
 * of a version). Copies the array of table pointers but owns neither the
 * tables nor the metas: both must outlive the iterator. Starts unpositioned.
 * Cannot fail; n may be 0 (an iterator that is never valid).
 */
iter *level_iter_new(table *const *tables, const table_meta *metas, size_t n);

#endif
