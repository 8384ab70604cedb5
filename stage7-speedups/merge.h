/*
 * merge.h - the merging iterator: many sorted iterators seen as one.
 *
 * Children are given newest first (the memtable, then tables from the
 * highest number down). At each step the merge yields the smallest key
 * among the children; when several children hold that key, the newest
 * one's entry is yielded and the others are skipped. Tombstones are yielded
 * like any entry (the caller decides whether to hide them), so a deleted
 * key's older values are hidden, never resurrected.
 */
#ifndef KV_MERGE_H
#define KV_MERGE_H

#include <stddef.h>

#include "iter.h"

/* Takes ownership of the n children (and of the array's contents, not the
 * array itself). */
iter *merge_iter_new(iter **children, size_t n);

#endif
