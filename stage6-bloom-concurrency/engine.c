/*
 * engine.c - stage 6: stage 5's memtable, sorted tables, write-ahead log
 * and compaction, plus a bloom filter in every table (bloom.h), readers
 * that never wait (view.h), and flushes and compactions in a background
 * thread (bg.c).
 *
 * Every put and delete is first appended to the log (wal.h: stage 1's
 * record format) with one write(2) of the whole record, and only then goes
 * into the memtable; the call returns after both. With the option
 * `sync=always` the log is also synced before the call returns. So a
 * kill -9 loses nothing acknowledged, and with sync=always a power loss
 * loses nothing either (the durability rule of docs/00-course.md). Open
 * replays the log into the memtable: that is recovery.
 *
 * The files of a store:
 *     STORE           names the stage (common/kv.c)
 *     LOCK            locked while the store is open (common/kv.c)
 *     MANIFEST        the live tables and their levels (manifest.h)
 *     000001.sst ...  the tables named by the manifest
 *     000007.sst.tmp  a flush or compaction under way (open removes it)
 *     lost/           files open could not account for (tableset.h)
 *     000008.log      the log of the memtable being filled
 *
 * One number pairs a log and a table: the memtable being filled writes to
 * log N, and its flush becomes table N. Stage 4 concluded that a log M is
 * obsolete iff M <= the highest table number. Stage 5 cannot: compaction
 * outputs take numbers from the same counter, so while log 8 is being
 * filled a compaction may write table 9, and stage 4's rule would throw
 * log 8 away at the next open, with writes no table holds. So the rule is
 * now written down instead of inferred: every flush's manifest edit names
 * the log that writes go to next (log_number), and open replays every log
 * numbered log_number or more, and sets the others aside (tableset.h).
 * That log is made before an edit names it and removed only after a later
 * edit moves past it, so the log a manifest names exists; if it does not
 * while a later one does, the manifest lost edits, and open fails
 * (tableset.h).
 *
 * A flush of the memtable of log N, step by step:
 *     1. write table N as 000N.sst.tmp and sync it (table_builder_finish)
 *     2. rename 000N.sst.tmp -> 000N.sst
 *     3. sync the directory (table N's name is durable)
 *     4. close log N, create log M = next_number, sync the directory again
 *     5. append {add L0 table N, log_number M} to the manifest and
 *        sync it                     <- the commit point
 *     6. remove log N (no directory sync needed)
 *     7. compact while the policy asks (tableset_compact), each
 *        compaction committed by its own manifest edit
 * A crash before 5 is durable leaves a table N the manifest does not name
 * (open sets it aside and removes its .tmp): logs N and M are replayed,
 * nothing is lost. Once 5 is durable, table N is live and log N is
 * obsolete, whether or not 6 happened: open sets it aside instead of
 * replaying it twice. Step 3 comes first so that the manifest never names
 * a table whose name a power loss could undo. The directory sync of 4
 * makes the new log's creation durable before the manifest names it or
 * any synced put can land in it (a power loss must not drop a whole log
 * file). Step 6 needs no sync:
 * if a power loss brings log N back, it is still obsolete. And once step 2
 * has happened, log N gets no more records, even if a later step fails:
 * table N may be on disk, and a record appended to an obsolete log would
 * be thrown away at the next open.
 *
 * Open: claim the directory, read the manifest and open the tables it
 * names (footers and index blocks, as stage 3), set aside every file it
 * does not name (tableset_open), replay the logs from log_number on in
 * ascending order (normally one; more only if a failed flush left them),
 * then keep appending to the newest after cutting its torn tail, or start
 * a new log if there is none. A clean close flushes, so its log holds no
 * writes and the next open reads little more than stage 3's did. The tables'
 * files share an fd_cache of max_open_files, as in stage 3.
 *
 * Stage 5 compacted in the writer's thread, and one lock serialized all.
 * Stage 6 splits the work between threads (db.h says who may touch what):
 *   - a get takes db->mu only to take a reference on the current view
 *     (memtable, immutable memtable, the shared version of the tables:
 *     view.h), searches it with no lock held (the memtable is read
 *     lock-free, table_get and pread are thread-safe), and drops the
 *     reference: it never waits for a write, a flush or a compaction,
 *     only for the few instructions another thread spends under db->mu;
 *   - writers are serialized by db->write_mu: make room (bg.c: switch a
 *     full memtable to the immutable one, or stall while it is still being
 *     flushed), append to the log, insert into the memtable, none of it
 *     under db->mu;
 *   - one background thread (bg.c) flushes the immutable memtable (steps
 *     1 to 4 and 6 above; step 5, the new log, happened at the switch) and
 *     then compacts while the policy asks (step 7), installing each result
 *     in a new view under db->mu.
 * The files a compaction removes are removed at once, as in stage 5: a
 * view still reading one keeps its open descriptor (view.h).
 *
 * Bloom filters: every table, flushed or compacted, gets a filter of
 * `bloom_bits` bits per key (default 10, 0 for none), so a missing key
 * skips almost every table without reading a block.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "assert_held.h"
#include "db.h"
#include "memtable.h"
#include "merge.h"
#include "table.h"
#include "tableset.h"
#include "wal.h"
#include "log.h"

const char kv_stage_name[] = "stage6-bloom-concurrency";
const int kv_thread_safe = 1;

#define MEMTABLE_DEFAULT (4ull << 20)
#define MEMTABLE_MIN     1024ull
#define MEMTABLE_MAX     (1ull << 30)
#define BLOOM_DEFAULT    10
#define BLOOM_MAX        30

struct kv_iter {
    view *v;     /* held for the iterator's life (view.h) */
    iter *merge; /* the memtables, then the tables newest first */
};

static const char *const known_options[] = {
    "memtable_bytes", "sync",       "l0_trigger",     "level1_bytes",
    "table_bytes",    "bloom_bits", "max_open_files", NULL};

/* "dir/000042.sst" plus suffix, in a new string the caller frees. */
static char *table_file(const kv_db *db, uint64_t number, const char *suffix) {
    return table_file_name(db->dir, number, suffix);
}

/*
 * Opens the live tables (tableset_open: the manifest read, a snapshot of
 * it written, every file it does not name set aside, footers and index
 * blocks read), with the thresholds the options give: `l0_trigger` (L0
 * tables that start a compaction), `level1_bytes` (L1's size; x10 per
 * level) and `table_bytes` (a compaction output's size). Their defaults
 * are version.h's; tests shrink them so compaction runs often. Any table
 * that cannot be opened fails the whole open.
 */
static kv_status load_tables(kv_db *db, const kv_config *cfg, int created) {
    tableset_options o = {.bloom_bits = db->bloom_bits, .files = db->files};
    kv_status s = kv_config_u64(cfg, "l0_trigger", VERSION_L0_TRIGGER, 1, 1000,
                                &o.l0_trigger);
    if (s.code == KV_OK)
        s = kv_config_u64(cfg, "level1_bytes", VERSION_L1_MAX_BYTES, 1024,
                          1ull << 40, &o.level1_bytes);
    if (s.code == KV_OK)
        s = kv_config_u64(cfg, "table_bytes", TARGET_TABLE_BYTES, 1024,
                          1ull << 30, &o.table_bytes);
    if (s.code == KV_OK)
        s = tableset_open(db->env, db->dir, created, &o, &db->next_number,
                          &db->tables);
    return s;
}

/* --- the write-ahead log ------------------------------------------------
 */

/* Reads the `sync` option into *sync: "none" (the default) or "always". */
static kv_status parse_sync(const kv_config *cfg, int *sync) {
    const char *v = kv_config_get(cfg, "sync");
    *sync = v != NULL && strcmp(v, "always") == 0;
    if (v == NULL || strcmp(v, "none") == 0 || *sync) return kv_ok();
    return kv_error(KV_INVALID_ARGUMENT,
                    "option sync: '%s' is not one of: none, always", v);
}

/*
 * Starts log next_number as the memtable's log, and syncs the directory so
 * that the log's creation is durable before any put in it can be. On error
 * db->log stays NULL and the file, if it was created, is removed (best
 * effort; it holds nothing), so a put that fails here leaves no file.
 */
kv_status new_log(kv_db *db) {
    pthread_mutex_lock(&db->mu); /* the background thread takes numbers too */
    uint64_t number = db->next_number++;
    pthread_mutex_unlock(&db->mu);
    char *path = wal_file(db->dir, number);
    kv_status s = wal_create(db->env, path, db->store_id, &db->log);
    if (s.code == KV_OK) s = io_sync_dir(db->env, db->dir);
    if (s.code == KV_OK) {
        db->log_number = number;
    } else if (db->log) {
        wal_close(db->log);
        db->log = NULL;
        io_remove(db->env, path);
    }
    free(path);
    return s;
}

/* A log for the memtable: the one it has, or a new one. */
static kv_status ensure_log(kv_db *db) {
    return db->log ? kv_ok() : new_log(db);
}

/* Remembers log `number` (closed) for remove_old_logs. Cannot fail. */
void add_old_log(kv_db *db, uint64_t number) {
    if (db->nold == db->old_cap) {
        db->old_cap = db->old_cap ? 2 * db->old_cap : 4;
        db->old_logs = xrealloc(db->old_logs, db->old_cap * sizeof(uint64_t));
    }
    db->old_logs[db->nold++] = number;
}

/* Removes the closed logs, once a durable table covers them all. Best
 * effort: a log left behind is obsolete, and the next open sets it aside. */
static void remove_old_logs(kv_db *db) {
    for (size_t i = 0; i < db->nold; i++) {
        char *path = wal_file(db->dir, db->old_logs[i]);
        io_remove(db->env, path);
        free(path);
    }
    db->nold = 0;
}

static int by_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The numbers of the logs in the directory, ascending, in *out (freed by
 * the caller); *n says how many. */
static kv_status list_logs(kv_db *db, uint64_t **out, size_t *n) {
    char **names;
    uint64_t number;
    *out = NULL;
    *n = 0;
    kv_status s = io_list_dir(db->env, db->dir, &names);
    if (s.code != KV_OK) return s;
    size_t count = 0;
    while (names[count]) count++;
    *out = xmalloc((count + 1) * sizeof **out);
    for (size_t i = 0; i < count; i++)
        if (wal_parse_name(names[i], &number)) (*out)[(*n)++] = number;
    io_names_free(names);
    qsort(*out, *n, sizeof **out, by_u64);
    return kv_ok();
}

/*
 * Recovery, after load_tables, which set the logs below log_number aside
 * (the manifest's rule, see the top): replays the others into the
 * memtable in ascending order, and keeps
 * appending to the newest (its torn tail cut), or starts a new log.
 */
static kv_status recover_logs(kv_db *db) {
    uint64_t first = tableset_log_number(db->tables);
    uint64_t *logs, end = 0, records;
    size_t n;
    kv_status s = list_logs(db, &logs, &n);
    for (size_t i = 0; i < n && s.code == KV_OK; i++) {
        char *path = wal_file(db->dir, logs[i]);
        if (logs[i] >= db->next_number) db->next_number = logs[i] + 1;
        if (logs[i] >= first) { /* none below: tableset_open set them aside */
            if (db->log_number) add_old_log(db, db->log_number);
            s = wal_replay(db->env, path, db->store_id, db->mem->mt, &end,
                           &records);
            db->log_number = logs[i];
        }
        free(path);
    }
    free(logs);
    if (s.code != KV_OK) return s;
    if (db->log_number == 0) return new_log(db);
    char *path = wal_file(db->dir, db->log_number);
    s = wal_reopen(db->env, path, end, db->store_id, &db->log);
    free(path);
    return s;
}

kv_status kv_open(const char *dir, const kv_config *cfg, kv_db **out) {
    kv_config none = {0};
    if (cfg == NULL) cfg = &none;
    *out = NULL;
    kv_status s = kv_config_check(cfg, known_options);
    if (s.code != KV_OK) return s;

    kv_db *db = xcalloc(1, sizeof *db);
    pthread_mutex_init(&db->mu, NULL);
    pthread_mutex_init(&db->write_mu, NULL);
    pthread_cond_init(&db->work_cv, NULL);
    pthread_cond_init(&db->done_cv, NULL);
    db->env = cfg->env;
    if (db->env == NULL) {
        db->env = io_env_new();
        db->own_env = 1;
    }
    db->at_open = io_env_counts(db->env);
    db->dir = xstrdup(dir);
    db->mem = shared_mem_new();
    db->next_number = 1;

    int created;
    uint64_t bloom_bits, max_open;
    s = kv_config_u64(cfg, "memtable_bytes", MEMTABLE_DEFAULT, MEMTABLE_MIN,
                      MEMTABLE_MAX, &db->limit);
    if (s.code == KV_OK)
        s = kv_config_u64(cfg, "bloom_bits", BLOOM_DEFAULT, 0, BLOOM_MAX,
                          &bloom_bits);
    if (s.code == KV_OK) db->bloom_bits = (int)bloom_bits;
    if (s.code == KV_OK)
        s = kv_config_u64(cfg, "max_open_files", FD_CACHE_DEFAULT, FD_CACHE_MIN,
                          FD_CACHE_MAX, &max_open);
    if (s.code == KV_OK) db->files = fd_cache_new((size_t)max_open);
    if (s.code == KV_OK) s = parse_sync(cfg, &db->sync);
    if (s.code == KV_OK) s = kv_store_claim(db->env, dir, &created, &db->lock);
    if (s.code == KV_OK) s = kv_store_id(db->env, dir, &db->store_id);
    if (s.code == KV_OK) s = load_tables(db, cfg, created);
    if (s.code == KV_OK) s = recover_logs(db);
    if (s.code == KV_OK) {
        atomic_store(&db->mem_bytes, memtable_bytes(db->mem->mt));
        atomic_store(&db->log_bytes, wal_size(db->log));
        tableset_set_lock(db->tables, &db->mu); /* from now on, threads */
        db->version = shared_version_new(db->tables);
        db->current = view_new(db->mem, NULL, db->version);
        s = bg_start(db);
    }
    if (s.code != KV_OK) {
        shared_mem_unref(db->mem); /* half a replay must not be flushed */
        db->mem = shared_mem_new();
        kv_close(db); /* no background thread yet: nothing is flushed */
        return s;
    }
    *out = db;
    return kv_ok();
}

/*
 * Writes the immutable memtable, tombstones included (they must keep
 * hiding older tables' values), to table N, N being its log's number, by
 * the steps at the top of this file, with a bloom filter of bloom_bits
 * bits per key; then the table is live at L0 and the closed logs go. The
 * background thread runs it without db->mu (db->imm and imm_log do not
 * change while it is set) and then drops imm and compacts (bg.c). An error
 * before the rename removes the temporary file; any error keeps the
 * memtable and its log (open replays it) and becomes the sticky error.
 */
kv_status flush(kv_db *db) {
    kv_status s;
    uint64_t number = db->imm_log, size;
    char *tmp = table_file(db, number, ".tmp");
    char *path = table_file(db, number, "");
    table_builder *tb;
    kv_buf first = {0}, last = {0}; /* the table's smallest and largest keys */
    uint64_t entries = 0;
    int renamed = 0;
    s = table_builder_new_filtered(db->env, tmp, db->bloom_bits, &tb);
    if (s.code == KV_OK) {
        iter *it = memtable_iter_new(db->imm->mt);
        for (iter_seek(it, (kv_slice){"", 0});
             iter_valid(it) && s.code == KV_OK; iter_next(it)) {
            kv_slice key = iter_key(it);
            s = table_builder_add(tb, key, iter_kind(it), iter_value(it));
            if (entries++ == 0) kv_buf_set(&first, key.data, key.size);
            kv_buf_set(&last, key.data, key.size);
        }
        if (s.code == KV_OK) s = iter_status(it);
        iter_free(it);
        if (s.code == KV_OK)
            s = table_builder_finish(tb, &size);
        else
            table_builder_abandon(tb);
    }
    if (s.code == KV_OK) s = io_rename(db->env, tmp, path);
    if (s.code == KV_OK) renamed = 1;
    if (s.code == KV_OK) s = io_sync_dir(db->env, db->dir);
    /* Step 4 came first: the switch to log db->log_number (bg.c), and no
     * other switch comes while imm is set. */
    if (s.code == KV_OK) /* the commit point: the manifest's edit synced */
        s = tableset_add_flush(db->tables, number, size, entries,
                               (kv_slice){first.data, first.size},
                               (kv_slice){last.data, last.size},
                               db->log_number);
    if (s.code == KV_OK) {
        remove_old_logs(db); /* step 6: the writer closed them (bg.c) */
        pthread_mutex_lock(&db->mu);
        db->flushes++;
        db->bytes_flushed += size;
        pthread_mutex_unlock(&db->mu);
    } else if (!renamed) {
        io_remove(db->env, tmp); /* best effort */
    }
    kv_buf_free(&first);
    kv_buf_free(&last);
    free(tmp);
    free(path);
    return s;
}

/*
 * Makes room first (bg.c: a full memtable is switched out, or the writer
 * stalls while the last one is still being flushed), then appends the
 * entry to the log (and syncs it, with sync=always), then puts it in the
 * memtable. Writers hold db->write_mu: one at a time. If making room
 * fails (the sticky background error, or a new log that could not be
 * made), the error is returned and the entry is not written. If the
 * append fails, the entry is not in the memtable (the log may hold it, or
 * part of it: after a reopen the write may or may not be there).
 */
static kv_status write_entry(kv_db *db, kv_slice key, int kind,
                             kv_slice value) {
    kv_status s = kv_check_key(key);
    if (s.code == KV_OK) s = kv_check_value(value);
    if (s.code != KV_OK) return s;
    s = bg_make_room(db, 0);
    if (s.code != KV_OK) return s;
    s = ensure_log(db);
    if (s.code == KV_OK)
        s = wal_append(db->log, kind == ENTRY_PUT ? LOG_PUT : LOG_DELETE, key,
                       value, db->sync);
    if (s.code != KV_OK) return s;
    memtable_put(db->mem->mt, key, kind, value);
    db->bytes_user += key.size + value.size;
    db->bytes_logged += log_record_size(key.size, value.size);
    atomic_store(&db->mem_bytes, memtable_bytes(db->mem->mt));
    atomic_store(&db->log_bytes, wal_size(db->log));
    return kv_ok();
}

kv_status kv_put(kv_db *db, kv_slice key, kv_slice value) {
    pthread_mutex_lock(&db->write_mu);
    kv_status s = write_entry(db, key, ENTRY_PUT, value);
    pthread_mutex_unlock(&db->write_mu);
    return s;
}

kv_status kv_delete(kv_db *db, kv_slice key) {
    pthread_mutex_lock(&db->write_mu);
    kv_status s = write_entry(db, key, ENTRY_DELETE, (kv_slice){"", 0});
    pthread_mutex_unlock(&db->write_mu);
    return s;
}

/* The view (view_get): the memtable, the immutable one, then the tables
 * version_lookup names (L0 newest first, then one per level): the first
 * entry decides. A table reads at most one data block, and none when its
 * filter rules the key out. */
static kv_status get(view *v, kv_slice key, kv_buf *value) {
    kv_status s = kv_check_key(key);
    if (s.code != KV_OK) return s;
    int kind;
    s = view_get(v, key, &kind, value);
    if (s.code != KV_OK) return s;
    if (kind != ENTRY_PUT) return kv_error(KV_NOT_FOUND, "not found");
    return kv_ok();
}

/* The current view, with a reference for the caller (view_unref). */
static view *take_view(kv_db *db) {
    pthread_mutex_lock(&db->mu);
    view *v = db->current;
    view_ref(v);
    pthread_mutex_unlock(&db->mu);
    return v;
}

kv_status kv_get(kv_db *db, kv_slice key, kv_buf *value) {
    view *v = take_view(db); /* the only moment db->mu is held */
    kv_status s = get(v, key, value);
    view_unref(v);
    return s;
}

/* Flushes a memtable that holds anything and lets the background thread
 * finish (bg_stop), then frees everything, even when the flush fails (its
 * error is returned; the writes are still in the log, and the next open
 * replays them). Every iterator must have been freed. */
kv_status kv_close(kv_db *db) {
    if (db == NULL) return kv_ok();
    kv_status s = kv_ok();
    if (db->bg_running) s = bg_stop(db);
    if (s.code != KV_OK)
        s = kv_error(s.code, "%s; the writes not in a table are in the log, "
                             "and the next open replays them", s.msg);
    kv_status c = wal_close(db->log);
    if (s.code == KV_OK) s = c;
    free(db->old_logs);
    view_unref(db->current); /* before the tables: they hold references */
    shared_version_unref(db->version);
    c = tableset_close(db->tables);
    if (s.code == KV_OK) s = c;
    fd_cache_free(db->files); /* after the tables: they read through it */
    shared_mem_unref(db->mem);
    shared_mem_unref(db->imm);
    free(db->dir);
    kv_status u = io_unlock(db->lock); /* last: the store is let go */
    if (s.code == KV_OK) s = u;
    if (db->own_env) io_env_free(db->env);
    pthread_cond_destroy(&db->work_cv);
    pthread_cond_destroy(&db->done_cv);
    pthread_mutex_destroy(&db->write_mu);
    pthread_mutex_destroy(&db->mu);
    free(db);
    return s;
}

/* Stage 6's counters: stalls and stall_micros (bg.c), bg_busy (1 while
 * the background thread has a flush or compaction to do or under way),
 * then bloom_checks and bloom_negatives summed over the current view's
 * tables (a table merged away takes its counts with it). mu held. */
static size_t stage6_stats(kv_db *db, kv_stat *out, size_t n, size_t max) {
    ASSERT_HELD(&db->mu);
    uint64_t checks, negatives;
    int busy = db->working || (db->imm && db->bg_error.code == KV_OK) ||
               db->compact_asked > db->compact_ran;
    view_filter_stats(db->current, &checks, &negatives);
    if (n < max) out[n++] = (kv_stat){"stalls", db->stalls};
    if (n < max) out[n++] = (kv_stat){"stall_micros", db->stall_micros};
    if (n < max) out[n++] = (kv_stat){"bg_busy", (uint64_t)busy};
    if (n < max) out[n++] = (kv_stat){"bloom_checks", checks};
    if (n < max) out[n++] = (kv_stat){"bloom_negatives", negatives};
    return n;
}

size_t kv_stats(kv_db *db, kv_stat *out, size_t max) {
    pthread_mutex_lock(&db->mu);
    size_t index = tableset_memory(db->tables);
    size_t n = kv_io_stats_since(db->env, db->at_open, out, max);
    if (n < max)
        out[n++] = (kv_stat){"memtable_bytes", atomic_load(&db->mem_bytes)};
    if (n < max) out[n++] = (kv_stat){"tables", tableset_count(db->tables)};
    if (n < max) out[n++] = (kv_stat){"flushes", db->flushes};
    if (n < max) out[n++] = (kv_stat){"index_bytes", index};
    if (n < max)
        out[n++] =
            (kv_stat){"table_files_open", fd_cache_open_count(db->files)};
    if (n < max) out[n++] = (kv_stat){"log_bytes", atomic_load(&db->log_bytes)};
    n = tableset_stats(db->tables, out, n, max);
    n = stage6_stats(db, out, n, max);
    /* bytes written by the log, flushes and compactions per byte put */
    uint64_t written = db->bytes_logged + db->bytes_flushed +
                       tableset_bytes_compacted(db->tables);
    if (n < max)
        out[n++] =
            (kv_stat){"write_amplification_x100",
                      db->bytes_user ? written * 100 / db->bytes_user : 0};
    pthread_mutex_unlock(&db->mu);
    return n;
}

/* --- scans ----------------------------------------------------------------
 */

/* Merges the memtables and every table of the current view, newest first
 * (view_iter_new: L0 newest first, then each level), and keeps the view:
 * flushes and compactions go on meanwhile. Cannot fail here; errors
 * reading a table come from kv_iter_status. */
kv_status kv_iter_new(kv_db *db, kv_iter **out) {
    kv_iter *it = xmalloc(sizeof *it);
    it->v = take_view(db);
    it->merge = view_iter_new(it->v);
    *out = it;
    return kv_ok();
}

/* The merge yields tombstones (the newest entry of a deleted key): skip. */
static void skip_tombstones(kv_iter *it) {
    while (iter_valid(it->merge) && iter_kind(it->merge) == ENTRY_DELETE)
        iter_next(it->merge);
}

/* No lock: the view is the iterator's own, and the memtable it reads may
 * be written meanwhile (memtable.h says why that is safe). */
void kv_iter_seek(kv_iter *it, kv_slice start) {
    iter_seek(it->merge, start);
    skip_tombstones(it);
}
void kv_iter_next(kv_iter *it) {
    iter_next(it->merge);
    skip_tombstones(it);
}
int kv_iter_valid(const kv_iter *it) { return iter_valid(it->merge); }
kv_slice kv_iter_key(const kv_iter *it) { return iter_key(it->merge); }
kv_slice kv_iter_value(const kv_iter *it) { return iter_value(it->merge); }
kv_status kv_iter_status(const kv_iter *it) { return iter_status(it->merge); }
void kv_iter_free(kv_iter *it) {
    if (it == NULL) return;
    iter_free(it->merge);
    view_unref(it->v);
    free(it);
}

/*
 * kv compact: the memtable flushed (if it holds anything), then every L0
 * table merged into L1 even below the trigger (so a small store visibly
 * merges), then whatever else the policy asks for, all by the background
 * thread while the caller waits (bg_compact); other threads' gets and puts
 * go on meanwhile. Open iterators keep their views. Errors: as a flush's
 * or a compaction's, or the sticky one.
 */
kv_status kv_compact(kv_db *db) { return bg_compact(db); }
