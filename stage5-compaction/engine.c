/*
 * engine.c - stage 5: stage 4's memtable, sorted tables and write-ahead
 * log, plus compaction: the tables live in levels, merged in the writer's
 * own thread, and a manifest says which are live (tableset.h).
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
 *        compaction committed by its own manifest edit; not while an
 *        iterator is open (it reads the tables a compaction would close):
 *        the first flush after the last iterator is freed catches up
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
 * Compaction runs in the writer's thread, after a flush and in
 * kv_compact: the put that triggers it waits for all of it. And one lock
 * serializes all: many threads may call the store, but every call holds
 * db->mu from start to end, so every get waits behind a put that is
 * compacting (stage 6 moves compaction to a thread of its own and lets
 * readers past). A missing key still costs a block read in every level
 * whose range covers it (stage 6 adds bloom filters).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "memtable.h"
#include "merge.h"
#include "table.h"
#include "tableset.h"
#include "wal.h"
#include "log.h"

const char kv_stage_name[] = "stage5-compaction";
const int kv_thread_safe = 1;

#define MEMTABLE_DEFAULT (4ull << 20)
#define MEMTABLE_MIN     1024ull
#define MEMTABLE_MAX     (1ull << 30)

/*
 * A memtable and its readers: the store, while it is the store's memtable,
 * and each open iterator over it. A flush hands the memtable over to the
 * iterators still reading it, and the last of them frees it, so an open
 * iterator never stops a flush (stage 6's views do the same: view.h).
 */
typedef struct shared_mem {
    memtable *mt;
    int refs;
} shared_mem;

static shared_mem *shared_mem_new(void) {
    shared_mem *m = xmalloc(sizeof *m);
    m->mt = memtable_new();
    m->refs = 1;
    return m;
}

/* Drops one reference; the last frees the memtable. */
static void shared_mem_unref(shared_mem *m) {
    if (--m->refs > 0) return;
    memtable_free(m->mt);
    free(m);
}

struct kv_db {
    io_env *env;
    int own_env;       /* env was made by kv_open and is freed by kv_close */
    io_file *lock;     /* the store's LOCK, held from open to close */
    uint64_t store_id; /* STORE's id: the first record of every log */
    io_counts at_open; /* the env's counts when open began */
    char *dir;
    shared_mem *mem;  /* every write since the last flush */
    tableset *tables; /* the live tables, their levels, the manifest */
    fd_cache *files;  /* the tables' files, at most max_open_files open */
    uint64_t bytes_user, bytes_logged, bytes_flushed; /* see kv_stats */
    uint64_t next_number; /* the next file number, table or log */
    uint64_t limit;       /* flush once memtable_bytes(mem) reaches this */
    uint64_t flushes;     /* since open */
    int iters; /* open kv_iters: a compaction would close tables they read */
    int sync;  /* sync=always: io_sync the log before a write returns */
    wal *log;  /* the memtable's log; NULL after a failed switch */
    uint64_t log_number; /* the number of that log, and of its table */
    uint64_t *old_logs;  /* closed logs not yet removed (see flush) */
    size_t nold, old_cap;
    pthread_mutex_t mu; /* held by every call, start to end */
};

struct kv_iter {
    kv_db *db;
    shared_mem *mem; /* the memtable it reads, kept by a flush */
    iter *merge;     /* the memtable, then the tables newest first */
};

static const char *const known_options[] = {
    "memtable_bytes", "sync",           "l0_trigger", "level1_bytes",
    "table_bytes",    "max_open_files", NULL};

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
    tableset_options o = {.files = db->files};
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
static kv_status new_log(kv_db *db) {
    uint64_t number = db->next_number++;
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
static void add_old_log(kv_db *db, uint64_t number) {
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

/*
 * Step 4 of a flush whose table was renamed into place (`done` says how
 * step 3 went): log N is closed for good and a new log starts. The old
 * logs are removed once an edit naming a newer log is durable (flush).
 */
static kv_status switch_log(kv_db *db, kv_status done) {
    wal_close(db->log); /* every record in it is written; nothing to lose */
    db->log = NULL;
    add_old_log(db, db->log_number);
    kv_status s = new_log(db);
    return done.code != KV_OK ? done : s;
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
    uint64_t max_open;
    s = kv_config_u64(cfg, "memtable_bytes", MEMTABLE_DEFAULT, MEMTABLE_MIN,
                      MEMTABLE_MAX, &db->limit);
    if (s.code == KV_OK)
        s = kv_config_u64(cfg, "max_open_files", FD_CACHE_DEFAULT, FD_CACHE_MIN,
                          FD_CACHE_MAX, &max_open);
    if (s.code == KV_OK) db->files = fd_cache_new((size_t)max_open);
    if (s.code == KV_OK) s = parse_sync(cfg, &db->sync);
    if (s.code == KV_OK) s = kv_store_claim(db->env, dir, &created, &db->lock);
    if (s.code == KV_OK) s = kv_store_id(db->env, dir, &db->store_id);
    if (s.code == KV_OK) s = load_tables(db, cfg, created);
    if (s.code == KV_OK) s = recover_logs(db);
    if (s.code != KV_OK) {
        shared_mem_unref(db->mem); /* half a replay must not be flushed */
        db->mem = shared_mem_new();
        kv_close(db); /* the memtable is empty: nothing is flushed */
        return s;
    }
    *out = db;
    return kv_ok();
}

/*
 * Writes the memtable, tombstones included (they must keep hiding older
 * tables' values), to table N, N being its log's number, by the steps at
 * the top of this file; then the table is live at L0, the memtable starts
 * again empty with a new log, and compactions run while the policy asks
 * (their error is the flush's, though the flush itself holds). An error
 * before the rename
 * removes the temporary file and keeps the memtable and its log, so the
 * next write tries again. An error after it keeps the memtable (what it
 * holds is in table N or in log N, which open will then replay) but ends
 * log N all the same: writes go to log M, or to a new log the next write
 * starts if M could not be made.
 */
static kv_status flush(kv_db *db) {
    kv_status s = ensure_log(db);
    if (s.code != KV_OK) return s;
    uint64_t number = db->log_number, size;
    char *tmp = table_file(db, number, ".tmp");
    char *path = table_file(db, number, "");
    table_builder *tb;
    kv_buf first = {0}, last = {0}; /* the table's smallest and largest keys */
    uint64_t entries = 0;
    int renamed = 0;
    s = table_builder_new(db->env, tmp, &tb);
    if (s.code == KV_OK) {
        iter *it = memtable_iter_new(db->mem->mt);
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
    if (renamed) s = switch_log(db, s);
    if (s.code == KV_OK) /* the commit point: the manifest's edit synced */
        s = tableset_add_flush(db->tables, number, size, entries,
                               (kv_slice){first.data, first.size},
                               (kv_slice){last.data, last.size},
                               db->log_number);
    if (s.code == KV_OK) {
        remove_old_logs(db); /* step 6 */
        shared_mem_unref(db->mem); /* open iterators keep reading it */
        db->mem = shared_mem_new();
        db->flushes++;
        db->bytes_flushed += size;
    } else if (!renamed) {
        io_remove(db->env, tmp); /* best effort */
    }
    if (s.code == KV_OK && db->iters == 0) /* step 7, not under an iterator */
        s = tableset_compact(db->tables, 0);
    kv_buf_free(&first);
    kv_buf_free(&last);
    free(tmp);
    free(path);
    return s;
}

/*
 * Flushes the memtable first if it has reached its limit (an open iterator
 * keeps reading the old one: shared_mem), then appends the entry to the
 * log (and syncs it, with sync=always), then puts it in the memtable. If
 * the flush fails, the error is returned and the entry is not written; the
 * memtable keeps what it held, and the next write tries the flush again.
 * If the append fails, the entry is not in the memtable (the log may hold
 * it, or part of it: after a reopen the write may or may not be there).
 */
static kv_status write_entry(kv_db *db, kv_slice key, int kind,
                             kv_slice value) {
    kv_status s = kv_check_key(key);
    if (s.code == KV_OK) s = kv_check_value(value);
    if (s.code != KV_OK) return s;
    if (memtable_bytes(db->mem->mt) >= db->limit) {
        s = flush(db);
        if (s.code != KV_OK) return s;
    }
    s = ensure_log(db);
    if (s.code == KV_OK)
        s = wal_append(db->log, kind == ENTRY_PUT ? LOG_PUT : LOG_DELETE, key,
                       value, db->sync);
    if (s.code != KV_OK) return s;
    memtable_put(db->mem->mt, key, kind, value);
    db->bytes_user += key.size + value.size;
    db->bytes_logged += log_record_size(key.size, value.size);
    return kv_ok();
}

kv_status kv_put(kv_db *db, kv_slice key, kv_slice value) {
    pthread_mutex_lock(&db->mu);
    kv_status s = write_entry(db, key, ENTRY_PUT, value);
    pthread_mutex_unlock(&db->mu);
    return s;
}

kv_status kv_delete(kv_db *db, kv_slice key) {
    pthread_mutex_lock(&db->mu);
    kv_status s = write_entry(db, key, ENTRY_DELETE, (kv_slice){"", 0});
    pthread_mutex_unlock(&db->mu);
    return s;
}

/* The memtable, then the tables version_lookup names (L0 newest first,
 * then one per level): the first entry decides. A table reads at most one
 * data block. */
static kv_status get(kv_db *db, kv_slice key, kv_buf *value) {
    kv_status s = kv_check_key(key);
    if (s.code != KV_OK) return s;
    kv_slice v;
    int kind = memtable_get(db->mem->mt, key, &v);
    if (kind == ENTRY_PUT) kv_buf_set(value, v.data, v.size);
    if (kind == 0) {
        s = tableset_get(db->tables, key, &kind, value);
        if (s.code != KV_OK) return s;
    }
    if (kind != ENTRY_PUT) return kv_error(KV_NOT_FOUND, "not found");
    return kv_ok();
}

kv_status kv_get(kv_db *db, kv_slice key, kv_buf *value) {
    pthread_mutex_lock(&db->mu);
    kv_status s = get(db, key, value);
    pthread_mutex_unlock(&db->mu);
    return s;
}

/* Flushes a memtable that holds anything, then frees everything, even when
 * the flush fails (its error is returned; the writes are still in the log,
 * and the next open replays them). Every iterator must have been freed. */
kv_status kv_close(kv_db *db) {
    if (db == NULL) return kv_ok();
    kv_status s = kv_ok();
    if (memtable_count(db->mem->mt) > 0) s = flush(db);
    if (s.code != KV_OK)
        s = kv_error(s.code, "%s; the writes not in a table are in the log, "
                             "and the next open replays them", s.msg);
    kv_status c = wal_close(db->log);
    if (s.code == KV_OK) s = c;
    free(db->old_logs);
    c = tableset_close(db->tables);
    if (s.code == KV_OK) s = c;
    fd_cache_free(db->files); /* after the tables: they read through it */
    shared_mem_unref(db->mem);
    free(db->dir);
    kv_status u = io_unlock(db->lock); /* last: the store is let go */
    if (s.code == KV_OK) s = u;
    if (db->own_env) io_env_free(db->env);
    pthread_mutex_destroy(&db->mu);
    free(db);
    return s;
}

size_t kv_stats(kv_db *db, kv_stat *out, size_t max) {
    pthread_mutex_lock(&db->mu);
    size_t index = tableset_memory(db->tables);
    size_t n = kv_io_stats_since(db->env, db->at_open, out, max);
    if (n < max)
        out[n++] = (kv_stat){"memtable_bytes", memtable_bytes(db->mem->mt)};
    if (n < max) out[n++] = (kv_stat){"tables", tableset_count(db->tables)};
    if (n < max) out[n++] = (kv_stat){"flushes", db->flushes};
    if (n < max) out[n++] = (kv_stat){"index_bytes", index};
    if (n < max)
        out[n++] =
            (kv_stat){"table_files_open", fd_cache_open_count(db->files)};
    if (n < max)
        out[n++] = (kv_stat){"log_bytes", db->log ? wal_size(db->log) : 0};
    n = tableset_stats(db->tables, out, n, max);
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

/* Merges the memtable and every table, newest first (tableset_iters:
 * L0 newest first, then each level). Cannot fail here; errors reading a
 * table come from kv_iter_status. What it yields: see stage 3's
 * kv_iter_new; the tables it reads stay, since no compaction runs while
 * an iterator is open (flush, step 7). */
kv_status kv_iter_new(kv_db *db, kv_iter **out) {
    pthread_mutex_lock(&db->mu);
    size_t ntables = tableset_count(db->tables);
    iter **children = xmalloc((ntables + 1) * sizeof *children);
    children[0] = memtable_iter_new(db->mem->mt);
    tableset_iters(db->tables, children + 1);
    kv_iter *it = xmalloc(sizeof *it);
    it->db = db;
    it->mem = db->mem;
    it->mem->refs++;
    it->merge = merge_iter_new(children, ntables + 1);
    free(children);
    db->iters++;
    *out = it;
    pthread_mutex_unlock(&db->mu);
    return kv_ok();
}

/* The merge yields tombstones (the newest entry of a deleted key): skip. */
static void skip_tombstones(kv_iter *it) {
    while (iter_valid(it->merge) && iter_kind(it->merge) == ENTRY_DELETE)
        iter_next(it->merge);
}

/* Every iterator call takes the store's lock, as every call does: a put
 * in another thread may be changing the memtable the iterator reads. */
void kv_iter_seek(kv_iter *it, kv_slice start) {
    pthread_mutex_lock(&it->db->mu);
    iter_seek(it->merge, start);
    skip_tombstones(it);
    pthread_mutex_unlock(&it->db->mu);
}
void kv_iter_next(kv_iter *it) {
    pthread_mutex_lock(&it->db->mu);
    iter_next(it->merge);
    skip_tombstones(it);
    pthread_mutex_unlock(&it->db->mu);
}
int kv_iter_valid(const kv_iter *it) {
    pthread_mutex_lock(&it->db->mu);
    int valid = iter_valid(it->merge);
    pthread_mutex_unlock(&it->db->mu);
    return valid;
}
kv_slice kv_iter_key(const kv_iter *it) {
    pthread_mutex_lock(&it->db->mu);
    kv_slice key = iter_key(it->merge);
    pthread_mutex_unlock(&it->db->mu);
    return key;
}
kv_slice kv_iter_value(const kv_iter *it) {
    pthread_mutex_lock(&it->db->mu);
    kv_slice value = iter_value(it->merge);
    pthread_mutex_unlock(&it->db->mu);
    return value;
}
kv_status kv_iter_status(const kv_iter *it) {
    pthread_mutex_lock(&it->db->mu);
    kv_status s = iter_status(it->merge);
    pthread_mutex_unlock(&it->db->mu);
    return s;
}
void kv_iter_free(kv_iter *it) {
    if (it == NULL) return;
    pthread_mutex_lock(&it->db->mu);
    it->db->iters--;
    iter_free(it->merge);
    shared_mem_unref(it->mem);
    pthread_mutex_unlock(&it->db->mu);
    free(it);
}

/*
 * kv compact: the memtable flushed (if it holds anything), then every L0
 * table merged into L1 even below the trigger (so a small store visibly
 * merges), then whatever else the policy asks for. Not while an iterator
 * is open: the tables it reads would be closed. Errors: as a flush's or a
 * compaction's.
 */
static kv_status compact(kv_db *db) {
    if (db->iters > 0)
        return kv_error(KV_INVALID_ARGUMENT,
                        "cannot compact while an iterator is open");
    kv_status s = kv_ok();
    if (memtable_count(db->mem->mt) > 0) s = flush(db);
    if (s.code == KV_OK) s = tableset_compact(db->tables, 1);
    return s;
}

kv_status kv_compact(kv_db *db) {
    pthread_mutex_lock(&db->mu);
    kv_status s = compact(db);
    pthread_mutex_unlock(&db->mu);
    return s;
}
