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
 *   - tables are reference-counted too (table_ref / table_close): the
 *     tableset holds one while the table is live, each view one more. A
 *     compaction drops the tableset's reference and removes the file at
 *     once (as stage 5 did); a view still holding the table keeps reading
 *     through its open file descriptor, which POSIX keeps valid after the
 *     name is gone, and the last view to let go closes it.
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

typedef struct view view;

/*
 * A view of mem, imm (NULL: none) and ts's live tables, with one reference
 * (the caller's). Copies ts's version and takes a reference on each of its
 * tables and on both memtables, so the caller must hold the lock ts was
 * given (tableset_set_lock), or be the only thread.
 */
view *view_new(shared_mem *mem, shared_mem *imm, const tableset *ts);
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
