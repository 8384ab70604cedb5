/*
 * bg.c - stage 6's background thread, and the writers' side of it: making
 * room in the memtable, stalling when flushing falls behind, and asking
 * for a compaction.
 *
 * Stage 5 flushed and compacted in the writer's own thread, holding the
 * store's one lock, so every other call waited. Stage 6 hands that work to
 * one background thread, as LevelDB does:
 *
 *   writer (write_mu held)                 background thread
 *   ----------------------                 -----------------
 *   memtable full, no imm:
 *     start a new log M
 *     under mu: imm = mem (log N),
 *       mem = new, new view, signal  ----> wakes: imm is set
 *   goes on writing into the new mem       writes table N (no lock held)
 *                                          commits it (the manifest edit)
 *   memtable full again, imm still         under mu: imm = NULL, new
 *   there: waits (a stall, counted)  <---- view, signal; removes log N
 *                                          compacts while the policy asks
 *                                          (merging without mu; the
 *                                          tableset takes mu to install)
 *                                          under mu: new view
 *
 * The commit points and the crash story are stage 5's (engine.c): table N
 * is live once its manifest edit is synced, and log N is replayed until
 * then. Only the order of work changed: step 4 (log N closed, log M
 * started) comes when the memtable is switched out, before the flush
 * starts, and log N is never written again.
 *
 * Errors in the background are sticky: the first one is kept in
 * db->bg_error, and every later write, kv_compact and kv_close returns it
 * (the store must be reopened: open recovers from the log and manifest as
 * after a crash). A learner sees it at the next call; it is never silent.
 *
 * Stalls: when the memtable fills while the immutable one is still being
 * flushed, the writer waits on done_cv until the flush ends. Each write
 * that waited adds 1 to `stalls` and its wait to `stall_micros` (kv_stats).
 *
 * Two rules keep those waits short and the tree in shape (LevelDB's):
 *   - a compaction pauses between its output tables to flush a memtable
 *     switched out meanwhile (bg_between_outputs), so a writer waits for
 *     at most one flush, never for a whole compaction;
 *   - since flushes then go on during compactions, L0 can grow: once it
 *     holds L0_SLOWDOWN x l0_trigger tables, every write first sleeps
 *     1 ms (a slowdown, counted), which hands the compaction time while
 *     costing each write little; once it holds L0_STOP x l0_trigger
 *     tables, a writer with a full memtable waits (a stall, counted) until
 *     a compaction brings L0 down, or every get would search ever more L0
 *     tables. LevelDB sleeps from 2 x l0_trigger tables on; stage 7 only
 *     from L0_STOP's 3 x, where a sleep no longer costs a fill on two
 *     cores more than it saves (docs/07-speedups.md measures both).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assert_held.h"
#include "db.h"

#define L0_SLOWDOWN 3 /* x l0_trigger: L0 tables at which writes sleep */
#define L0_STOP 3     /* x l0_trigger: L0 tables at which writers wait */

/* Now, in microseconds, for stall_micros. */
static uint64_t now_micros(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000 + (uint64_t)t.tv_nsec / 1000;
}

void bg_install_view(kv_db *db, shared_version *sv) {
    ASSERT_HELD(&db->mu);
    if (sv != NULL) {
        shared_version_unref(db->version); /* the current view holds it */
        db->version = sv;
    }
    view *old = db->current;
    db->current = view_new(db->mem, db->imm, db->version);
    view_unref(old);
}

/* Records s as the sticky error (the first one wins), with mu held, and
 * wakes the writers waiting for a flush: none will come now. */
static void set_error(kv_db *db, kv_status s) {
    ASSERT_HELD(&db->mu);
    if (s.code == KV_OK) return;
    if (db->bg_error.code == KV_OK) db->bg_error = s;
    pthread_cond_broadcast(&db->done_cv);
}

/* Flushes imm and installs the result; mu held on entry and exit,
 * released meanwhile. 1 if the flush succeeded. */
static int flush_imm(kv_db *db) {
    pthread_mutex_unlock(&db->mu);
    kv_status s = flush(db);
    shared_version *sv = NULL; /* the copy (view.h), made without mu */
    if (s.code == KV_OK) sv = shared_version_new(db->tables);
    pthread_mutex_lock(&db->mu);
    set_error(db, s);
    if (s.code == KV_OK) {
        shared_mem_unref(db->imm);
        db->imm = NULL;
        bg_install_view(db, sv);
    }
    pthread_cond_broadcast(&db->done_cv); /* stalled writers */
    return s.code == KV_OK;
}

void bg_between_outputs(void *arg) {
    kv_db *db = arg;
    pthread_mutex_lock(&db->mu);
    if (db->imm && db->bg_error.code == KV_OK) flush_imm(db);
    pthread_mutex_unlock(&db->mu);
}

/* Compacts while the policy asks; mu held on entry and exit, released
 * meanwhile. */
static void run_policy(kv_db *db) {
    pthread_mutex_unlock(&db->mu);
    kv_status s = tableset_compact(db->tables, 0);
    /* even after an error: the merges before it were committed */
    shared_version *sv = shared_version_new(db->tables);
    pthread_mutex_lock(&db->mu);
    set_error(db, s);
    bg_install_view(db, sv);
    pthread_cond_broadcast(&db->done_cv); /* writers waiting for L0 */
}

/* Flushes imm, then compacts while the policy asks; mu held as above. */
static void run_flush(kv_db *db) {
    if (flush_imm(db)) run_policy(db);
}

/* Runs kv_compact's requests (a full compaction), mu held as above. */
static void run_compact(kv_db *db) {
    uint64_t asked = db->compact_asked;
    kv_status s = db->bg_error;
    if (s.code == KV_OK) {
        pthread_mutex_unlock(&db->mu);
        s = tableset_compact(db->tables, 1);
        shared_version *sv = shared_version_new(db->tables);
        pthread_mutex_lock(&db->mu);
        set_error(db, s);
        bg_install_view(db, sv);
    }
    db->compact_status = s;
    db->compact_ran = asked;
    pthread_cond_broadcast(&db->done_cv);
}

/* The thread: flushes first (writers may be waiting), then requested
 * compactions, then a compaction a writer waiting for L0 asked for (a
 * store opened with a full L0 has no flush to start one); exits once
 * closing and nothing is left to do. After an error it does no more work,
 * but still answers kv_compact. */
static void *bg_main(void *arg) {
    kv_db *db = arg;
    pthread_mutex_lock(&db->mu);
    for (;;) {
        int ok = db->bg_error.code == KV_OK;
        int want_flush = db->imm && ok;
        int want_policy = db->compact_pending && ok;
        db->compact_pending = 0; /* every run below ends with the policy */
        if (want_flush || db->compact_asked > db->compact_ran || want_policy) {
            db->working = 1; /* bg_busy, in kv_stats */
            if (want_flush)
                run_flush(db);
            else if (db->compact_asked > db->compact_ran)
                run_compact(db);
            else
                run_policy(db);
            db->working = 0;
        } else if (db->closing) {
            break;
        } else {
            pthread_cond_wait(&db->work_cv, &db->mu);
        }
    }
    pthread_mutex_unlock(&db->mu);
    return NULL;
}

kv_status bg_start(kv_db *db) {
    int err = pthread_create(&db->bg, NULL, bg_main, db);
    if (err != 0)
        return kv_error(KV_IO_ERROR, "%s: cannot start a thread: %s", db->dir,
                        strerror(err));
    db->bg_running = 1;
    return kv_ok();
}

/*
 * Switches the memtable (write_mu held, mu not): a new log first, outside
 * mu (a file create and a directory sync), then under mu imm = mem, a new
 * memtable, a new view, and the background thread woken. On error nothing
 * changes (the old log goes on).
 */
static kv_status switch_memtable(kv_db *db) {
    wal *old = db->log;
    uint64_t number = db->log_number;
    kv_status s = new_log(db);
    if (s.code != KV_OK) {
        db->log = old;
        return s;
    }
    wal_close(old); /* every record in it is written; nothing to lose */
    atomic_store(&db->mem_bytes, 0);
    atomic_store(&db->log_bytes, 0);
    pthread_mutex_lock(&db->mu);
    add_old_log(db, number);
    db->imm = db->mem;
    db->imm_log = number;
    db->mem = shared_mem_new();
    bg_install_view(db, NULL); /* the tables are as they were: O(1) */
    pthread_cond_signal(&db->work_cv);
    pthread_mutex_unlock(&db->mu);
    return kv_ok();
}

/* Sleeps 1 ms, once, if L0 holds L0_SLOWDOWN x l0_trigger tables; mu
 * held on entry and exit, released meanwhile. */
static void slow_down(kv_db *db) {
    const version *v = tableset_version(db->tables);
    if (v->count[0] < L0_SLOWDOWN * v->l0_trigger) return;
    db->slowdowns++;
    pthread_mutex_unlock(&db->mu);
    nanosleep(&(struct timespec){0, 1000000}, NULL);
    pthread_mutex_lock(&db->mu);
}

kv_status bg_make_room(kv_db *db, int force) {
    kv_status s = kv_ok();
    int stalled = 0;
    uint64_t start = 0;
    pthread_mutex_lock(&db->mu);
    if (!force) slow_down(db);
    for (;;) {
        s = db->bg_error;
        if (s.code != KV_OK) break;
        if (force ? memtable_count(db->mem->mt) == 0
                  : memtable_bytes(db->mem->mt) < db->limit)
            break;
        const version *v = tableset_version(db->tables);
        int l0_full = v->count[0] >= L0_STOP * v->l0_trigger;
        if (db->imm == NULL && (force || !l0_full)) {
            pthread_mutex_unlock(&db->mu);
            s = switch_memtable(db);
            pthread_mutex_lock(&db->mu);
            break;
        }
        if (db->imm == NULL) { /* waiting for L0: make sure it shrinks */
            db->compact_pending = 1;
            pthread_cond_signal(&db->work_cv);
        }
        if (!force && !stalled) { /* flushing or L0 fell behind: wait */
            stalled = 1;
            db->stalls++;
            start = now_micros();
        }
        pthread_cond_wait(&db->done_cv, &db->mu);
    }
    if (stalled) db->stall_micros += now_micros() - start;
    pthread_mutex_unlock(&db->mu);
    return s;
}

kv_status bg_compact(kv_db *db) {
    pthread_mutex_lock(&db->write_mu);
    kv_status s = bg_make_room(db, 1); /* the memtable becomes imm */
    pthread_mutex_unlock(&db->write_mu);
    pthread_mutex_lock(&db->mu);
    uint64_t ticket = ++db->compact_asked;
    pthread_cond_signal(&db->work_cv);
    while (db->compact_ran < ticket) pthread_cond_wait(&db->done_cv, &db->mu);
    if (s.code == KV_OK) s = db->compact_status;
    pthread_mutex_unlock(&db->mu);
    return s;
}

kv_status bg_stop(kv_db *db) {
    pthread_mutex_lock(&db->write_mu);
    kv_status s = bg_make_room(db, 1); /* the memtable becomes imm */
    pthread_mutex_lock(&db->mu);
    db->closing = 1;
    pthread_cond_signal(&db->work_cv);
    pthread_mutex_unlock(&db->mu);
    pthread_join(db->bg, NULL);
    db->bg_running = 0;
    pthread_mutex_unlock(&db->write_mu);
    if (s.code == KV_OK) s = db->bg_error;
    return s;
}
