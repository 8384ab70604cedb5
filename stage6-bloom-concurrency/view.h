/*
 * view.h - what a reader reads (stage 6): a reference-counted snapshot of
 * the store's memtable, its immutable memtable (the one being flushed, if
 * any) and its live tables.
 *
 * Stage 5 held one lock over every call, so a get waited behind a put that
 * was flushing or compacting. Stage 6 lets readers past: a get takes the
 * engine's mutex only long enough to take a reference on the current view,
 * then searches the view with no lock held, and drops the reference.
 * Meanwhile the writer may fill the memtable (readers read it lock-free:
 * memtable.h), and the background thread may flush and compact: each of
 * those builds a new view and makes it the current one (under the mutex),
 * but never changes a view that readers may hold. A view is immutable once
 * made, except its reference count.
 *
 * What keeps a view's parts alive:
 *   - memtables are shared (shared_mem): one reference for the engine while
 *     it is the memtable or the immutable one, one for each view naming it;
 *     the last one frees it;
 *   - the tables are shared the same way (shared_version): an immutable
 *     copy of the live version with an open table for each, made once each
 *     time the set changes (a flush or a compaction), by the background
 *     thread, with no lock held. Every view made until the next change
 *     shares it by reference, LevelDB's shape: making a view costs a few
 *     reference counts, whatever the number of tables, so the mutex is
 *     held for short steps even at thousands of tables;
 *   - a shared version holds a reference on each of its tables (table_ref /
 *     table_close); the tableset holds one more while the table is live. A
 *     compaction drops the tableset's reference and removes the file at
 *     once (as stage 5 did); a view still holding the table keeps reading
 *     through its open file descriptor, which POSIX keeps valid after the
 *     name is gone, and the last version to let go closes it.
 *
 * The newest data wins, as in stage 5: the memtable, then the immutable
 * memtable, then the tables (L0 newest first, then one per level).
 */
#ifndef KV_VIEW_H
#define KV_VIEW_H

#include <stdatomic.h>
#include <stdint.h>

#include "iter.h"
#include "kv.h"
#include "memtable.h"
#include "tableset.h"

/* A memtable and its reference count. */
typedef struct shared_mem {
    memtable *mt;
    _Atomic int refs;
} shared_mem;

/* A new empty memtable with one reference (the caller's). */
shared_mem *shared_mem_new(void);
void shared_mem_ref(shared_mem *m);
/* Drops one reference; the last frees the memtable. NULL is a no-op. */
void shared_mem_unref(shared_mem *m);

/* The live tables, frozen: a copy of the version and its open tables. */
typedef struct shared_version shared_version;

/*
 * A shared version of ts's live tables, with one reference (the caller's):
 * copies ts's version (version_copy) and takes a reference on each of its
 * tables, O(tables). Called by the thread that changes the set (it reads
 * the set unlocked, since nobody else changes it), or by the only thread.
 */
shared_version *shared_version_new(const tableset *ts);
void shared_version_ref(shared_version *sv);
/* Drops one reference; the last drops the tables'. NULL is a no-op. */
void shared_version_unref(shared_version *sv);

typedef struct view view;

/*
 * A view of mem, imm (NULL: none) and the tables of sv, with one reference
 * (the caller's). Takes a reference on each of the three, nothing more:
 * O(1). Any thread that holds references on them.
 */
view *view_new(shared_mem *mem, shared_mem *imm, shared_version *sv);
/* The shared version v reads (for tests: views made between two changes
 * of the set share one). */
const shared_version *view_version(const view *v);
/* Any thread, any time while it holds a reference. */
void view_ref(view *v);
/* Drops one reference; the last frees the view and drops its references
 * on the memtables and tables. NULL is a no-op. Any thread, no lock. */
void view_unref(view *v);

/*
 * Looks key up, newest first: *kind = 0 when nothing has it, else
 * ENTRY_PUT (the value copied into *value) or ENTRY_DELETE. Errors: a
 * table's read error or corruption. No lock needed.
 */
kv_status view_get(view *v, kv_slice key, int *kind, kv_buf *value);

/* A merging iterator over the view, tombstones included (merge.h). The
 * view must outlive it. */
iter *view_iter_new(view *v);

/* The filter counters (table_filter_stats) summed over the view's tables. */
void view_filter_stats(const view *v, uint64_t *checks, uint64_t *negatives);

#endif
