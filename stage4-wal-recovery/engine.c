/*
 * engine.c - stage 4: stage 3's memtable and sorted tables, plus a
 * write-ahead log, so that no acknowledged write is lost.
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
 *     000001.sst ...  the tables; a higher number is newer
 *     000007.sst.tmp  a flush under way (open removes leftovers)
 *     000008.log      the log of the memtable being filled
 *
 * One number pairs a log and a table: the memtable being filled writes to
 * log N, and its flush becomes table N. Numbers only grow, and flushes
 * happen one after another, so table N holds every write of every log
 * numbered N or less. Hence the rule open lives by: a log M is obsolete
 * iff M <= the highest table number.
 *
 * That rule trusts a number, so open first checks that the number is the
 * store's: a flush makes table N from log N and creates the next log
 * (numbered higher) before it removes log N, so the newest log always
 * outnumbers, or equals, every table the store wrote. A table numbered
 * above the newest log (a file copied in from another store, say) would
 * make every log look obsolete: open refuses it instead, naming the file,
 * and removes nothing. A stray table numbered below the newest log cannot
 * be told from the store's own, and is read as one.
 *
 * A flush of the memtable of log N, step by step:
 *     1. write table N as 000N.sst.tmp and sync it (table_builder_finish)
 *     2. rename 000N.sst.tmp -> 000N.sst
 *     3. sync the directory          <- the commit point
 *     4. create log M = next_number, sync the directory again
 *     5. close log N and remove it (no directory sync needed)
 * A crash before 3 is durable leaves no table N (or only its .tmp, which
 * open removes): log N is replayed, nothing is lost. Once 3 is durable,
 * table N exists and log N is obsolete, whether or not 4 and 5 happened:
 * open removes it instead of replaying it twice. The directory sync of 4
 * makes the new log's creation durable before any synced put can land in
 * it (a power loss must not drop a whole log file). Step 5 needs no sync:
 * if a power loss brings log N back, it is still obsolete. And once step 2
 * has happened, log N gets no more records, even if a later step fails:
 * table N may be on disk, and a record appended to an obsolete log would
 * be thrown away at the next open.
 *
 * Open: claim the directory, open every table (footers and index blocks,
 * as stage 3), remove *.tmp and obsolete logs, replay the other logs in
 * ascending order (normally one; more only if a failed flush left them),
 * then keep appending to the newest after cutting its torn tail, or start
 * a new log if there is none. A clean close flushes, so its log holds no
 * writes and the next open reads little more than stage 3's did. The tables'
 * files share an fd_cache of max_open_files, as in stage 3.
 *
 * The failure: tables only pile up. Overwritten and deleted keys keep
 * their space forever, and a get may look in every table (stage 5
 * compacts).
 */
#include <stdlib.h>
#include <string.h>

#include "memtable.h"
#include "merge.h"
#include "table.h"
#include "wal.h"
#include "log.h"

const char kv_stage_name[] = "stage4-wal-recovery";
const int kv_thread_safe = 0;

#define MEMTABLE_DEFAULT (4ull << 20)
#define MEMTABLE_MIN     1024ull
#define MEMTABLE_MAX     (1ull << 30)

/* An open table and the number in its file name. */
typedef struct db_table {
    uint64_t number;
    table *t;
} db_table;

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
    fd_cache *files;  /* the tables' files, at most max_open_files open */
    db_table *tables; /* oldest first: tables[ntables - 1] is the newest */
    size_t ntables, cap;
    uint64_t next_number; /* the next file number, table or log */
    uint64_t limit;       /* flush once memtable_bytes(mem) reaches this */
    uint64_t flushes;     /* since open */
    int sync;  /* sync=always: io_sync the log before a write returns */
    wal *log;  /* the memtable's log; NULL after a failed switch */
    uint64_t log_number; /* the number of that log, and of its table */
    uint64_t *old_logs;  /* closed logs not yet removed (see flush) */
    size_t nold, old_cap;
};

struct kv_iter {
    shared_mem *mem; /* the memtable it reads, kept by a flush */
    iter *merge;     /* the memtable, then the tables newest first */
};

static const char *const known_options[] = {"memtable_bytes", "sync",
                                            "max_open_files", NULL};

/* "dir/000042.sst" plus suffix, in a new string the caller frees. */
static char *table_file(const kv_db *db, uint64_t number, const char *suffix) {
    return table_file_name(db->dir, number, suffix);
}

/* 1 when name is NNNNNN.sst (*tmp = 0) or NNNNNN.sst.tmp (*tmp = 1), with
 * at least six digits; else 0. */
static int parse_name(const char *name, uint64_t *number, int *tmp) {
    size_t digits = strspn(name, "0123456789");
    if (digits < 6 || digits > 19) return 0;
    const char *rest = name + digits;
    if (strcmp(rest, ".sst") != 0 && strcmp(rest, ".sst.tmp") != 0) return 0;
    *number = strtoull(name, NULL, 10);
    *tmp = rest[4] != '\0';
    return 1;
}

/* Appends an open table as the newest. Cannot fail. */
static void add_table(kv_db *db, uint64_t number, table *t) {
    if (db->ntables == db->cap) {
        db->cap = db->cap ? 2 * db->cap : 8;
        db->tables = xrealloc(db->tables, db->cap * sizeof *db->tables);
    }
    db->tables[db->ntables++] = (db_table){number, t};
}

static int by_number(const void *a, const void *b) {
    uint64_t x = ((const db_table *)a)->number;
    uint64_t y = ((const db_table *)b)->number;
    return (x > y) - (x < y);
}

/*
 * Opens every table in the directory (reading footers and index blocks
 * only) and removes the leftovers of interrupted flushes. Any table that
 * cannot be opened fails the whole open, with an error naming its file.
 */
static kv_status load_tables(kv_db *db) {
    char **names;
    kv_status s = io_list_dir(db->env, db->dir, &names);
    if (s.code != KV_OK) return s;
    for (size_t i = 0; names[i] && s.code == KV_OK; i++) {
        uint64_t number;
        int tmp;
        if (!parse_name(names[i], &number, &tmp)) continue; /* STORE, ... */
        if (number >= db->next_number) db->next_number = number + 1;
        char *path = table_file(db, number, tmp ? ".tmp" : "");
        table *t;
        if (tmp) {
            s = io_remove(db->env, path);
        } else {
            s = table_open_in(db->env, path, db->files, &t);
            if (s.code == KV_OK)
                add_table(db, number, t);
            else if (strstr(s.msg, names[i]) == NULL)
                s = kv_error(s.code, "%s: %s", path, s.msg);
        }
        free(path);
    }
    io_names_free(names);
    if (db->ntables > 1)
        qsort(db->tables, db->ntables, sizeof *db->tables, by_number);
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
 * effort: a log left behind is obsolete, and the next open removes it. */
static void remove_old_logs(kv_db *db) {
    for (size_t i = 0; i < db->nold; i++) {
        char *path = wal_file(db->dir, db->old_logs[i]);
        io_remove(db->env, path);
        free(path);
    }
    db->nold = 0;
}

/*
 * Steps 4 and 5 of a flush whose table was renamed into place (`done` says
 * how the steps since went): log N is closed for good, a new log starts,
 * and the old logs go once the table is durable and the new log exists.
 */
static kv_status switch_log(kv_db *db, kv_status done) {
    wal_close(db->log); /* every record in it is written; nothing to lose */
    db->log = NULL;
    add_old_log(db, db->log_number);
    kv_status s = new_log(db);
    if (done.code == KV_OK && s.code == KV_OK) remove_old_logs(db);
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
 * The check that keeps a stray table from passing for the store's own (see
 * the top): the store never writes a table numbered above its newest log,
 * so such a table came from elsewhere, and trusting its number would throw
 * away the logs below it. Nothing is removed: the open fails, naming it.
 */
static kv_status check_newest(kv_db *db, const uint64_t *logs, size_t n) {
    if (db->ntables == 0) return kv_ok();
    uint64_t newest = db->tables[db->ntables - 1].number;
    if (n > 0 && newest <= logs[n - 1]) return kv_ok();
    char *path = table_file(db, newest, "");
    char log[32] = "none";
    if (n > 0)
        snprintf(log, sizeof log, "%06llu.log", (unsigned long long)logs[n - 1]);
    kv_status s = kv_error(KV_CORRUPTION,
                           "%s: numbered above the store's newest log (%s): "
                           "not a table this store wrote; move it away",
                           path, log);
    free(path);
    return s;
}

/*
 * Recovery, after load_tables: checks that no table outnumbers the newest
 * log, removes the logs the newest table covers, replays the others into
 * the memtable in ascending order, and keeps appending to the newest (its
 * torn tail cut), or starts a new log.
 */
static kv_status recover_logs(kv_db *db) {
    uint64_t newest = db->ntables ? db->tables[db->ntables - 1].number : 0;
    uint64_t *logs, end = 0, records;
    size_t n;
    kv_status s = list_logs(db, &logs, &n);
    if (s.code == KV_OK) s = check_newest(db, logs, n);
    for (size_t i = 0; i < n && s.code == KV_OK; i++) {
        char *path = wal_file(db->dir, logs[i]);
        if (logs[i] >= db->next_number) db->next_number = logs[i] + 1;
        if (logs[i] <= newest) {
            s = io_remove(db->env, path); /* obsolete: table covers it */
        } else {
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
    if (s.code == KV_OK) s = load_tables(db);
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
 * the top of this file; then the table is opened as the newest, and the
 * memtable starts again empty with a new log. An error before the rename
 * removes the temporary file and keeps the memtable and its log, so the
 * next write tries again. An error after it keeps the memtable (what it
 * holds is in table N or in log N, which open will then replay) but ends
 * log N all the same: the next write starts a new log.
 */
static kv_status flush(kv_db *db) {
    kv_status s = ensure_log(db);
    if (s.code != KV_OK) return s;
    uint64_t number = db->log_number, size;
    char *tmp = table_file(db, number, ".tmp");
    char *path = table_file(db, number, "");
    table_builder *tb;
    table *t = NULL;
    int renamed = 0;
    s = table_builder_new(db->env, tmp, &tb);
    if (s.code == KV_OK) {
        iter *it = memtable_iter_new(db->mem->mt);
        for (iter_seek(it, (kv_slice){"", 0});
             iter_valid(it) && s.code == KV_OK; iter_next(it))
            s = table_builder_add(tb, iter_key(it), iter_kind(it),
                                  iter_value(it));
        if (s.code == KV_OK) s = iter_status(it);
        iter_free(it);
        if (s.code == KV_OK)
            s = table_builder_finish(tb, &size);
        else
            table_builder_abandon(tb);
    }
    if (s.code == KV_OK) s = io_rename(db->env, tmp, path);
    if (s.code == KV_OK) renamed = 1;
    if (s.code == KV_OK) s = io_sync_dir(db->env, db->dir); /* commit */
    if (s.code == KV_OK) s = table_open_in(db->env, path, db->files, &t);
    if (s.code == KV_OK) {
        add_table(db, number, t);
        shared_mem_unref(db->mem); /* open iterators keep reading it */
        db->mem = shared_mem_new();
        db->flushes++;
    } else if (!renamed) {
        io_remove(db->env, tmp); /* best effort */
    }
    if (renamed) s = switch_log(db, s);
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
    return kv_ok();
}

kv_status kv_put(kv_db *db, kv_slice key, kv_slice value) {
    return write_entry(db, key, ENTRY_PUT, value);
}

kv_status kv_delete(kv_db *db, kv_slice key) {
    return write_entry(db, key, ENTRY_DELETE, (kv_slice){"", 0});
}

/* The memtable, then each table newest first: the first entry decides.
 * A table reads at most one data block. */
kv_status kv_get(kv_db *db, kv_slice key, kv_buf *value) {
    kv_status s = kv_check_key(key);
    if (s.code != KV_OK) return s;
    kv_slice v;
    int kind = memtable_get(db->mem->mt, key, &v);
    if (kind == ENTRY_PUT) kv_buf_set(value, v.data, v.size);
    for (size_t i = db->ntables; kind == 0 && i-- > 0;) {
        s = table_get(db->tables[i].t, key, &kind, value);
        if (s.code != KV_OK) return s;
    }
    if (kind != ENTRY_PUT) return kv_error(KV_NOT_FOUND, "not found");
    return kv_ok();
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
    for (size_t i = 0; i < db->ntables; i++) table_close(db->tables[i].t);
    free(db->tables);
    fd_cache_free(db->files);
    shared_mem_unref(db->mem);
    free(db->dir);
    kv_status u = io_unlock(db->lock); /* last: the store is let go */
    if (s.code == KV_OK) s = u;
    if (db->own_env) io_env_free(db->env);
    free(db);
    return s;
}

size_t kv_stats(kv_db *db, kv_stat *out, size_t max) {
    size_t index = 0;
    for (size_t i = 0; i < db->ntables; i++)
        index += table_memory(db->tables[i].t);
    size_t n = kv_io_stats_since(db->env, db->at_open, out, max);
    if (n < max)
        out[n++] = (kv_stat){"memtable_bytes", memtable_bytes(db->mem->mt)};
    if (n < max) out[n++] = (kv_stat){"tables", db->ntables};
    if (n < max) out[n++] = (kv_stat){"flushes", db->flushes};
    if (n < max) out[n++] = (kv_stat){"index_bytes", index};
    if (n < max)
        out[n++] =
            (kv_stat){"table_files_open", fd_cache_open_count(db->files)};
    if (n < max)
        out[n++] = (kv_stat){"log_bytes", db->log ? wal_size(db->log) : 0};
    return n;
}

/* --- scans ----------------------------------------------------------------
 */

/*
 * Merges the memtable and every table, newest first. Cannot fail here;
 * errors reading a table come from kv_iter_status. The iterator keeps the
 * memtable and the tables it started with (shared_mem: a flush goes on,
 * and tables are only closed by kv_close), so what it yields is, for each
 * key, its value when the iterator was made or one written later into
 * that same memtable (memtable.h: it may or may not see those), never an
 * older one; keys written after the memtable's flush are not seen.
 */
kv_status kv_iter_new(kv_db *db, kv_iter **out) {
    iter **children = xmalloc((db->ntables + 1) * sizeof *children);
    children[0] = memtable_iter_new(db->mem->mt);
    for (size_t i = 0; i < db->ntables; i++)
        children[1 + i] = table_iter_new(db->tables[db->ntables - 1 - i].t);
    kv_iter *it = xmalloc(sizeof *it);
    it->mem = db->mem;
    it->mem->refs++;
    it->merge = merge_iter_new(children, db->ntables + 1);
    free(children);
    *out = it;
    return kv_ok();
}

/* The merge yields tombstones (the newest entry of a deleted key): skip. */
static void skip_tombstones(kv_iter *it) {
    while (iter_valid(it->merge) && iter_kind(it->merge) == ENTRY_DELETE)
        iter_next(it->merge);
}

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
    shared_mem_unref(it->mem);
    free(it);
}

/* Merging tables arrives in stage 5. */
kv_status kv_compact(kv_db *db) {
    (void)db;
    return kv_error(KV_NOT_SUPPORTED, "%s does not compact: stage 5 does",
                    kv_stage_name);
}
