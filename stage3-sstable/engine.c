/*
 * engine.c - stage 3: a sorted memtable, flushed to sorted tables.
 *
 * Stage 2's log and hash index are gone. A put or a delete goes to the
 * memtable (memtable.h), a skip list in memory; a delete is a tombstone
 * entry, since older tables may still hold the key. When the memtable
 * passes `memtable_bytes` (the option; 4 MiB by default) it is written out
 * as an immutable sorted table (table.h), and a fresh memtable starts.
 * A clean close flushes it too.
 *
 * The files of a store:
 *     STORE           names the stage (common/kv.c)
 *     LOCK            locked while the store is open (common/kv.c)
 *     000001.sst ...  the tables; a higher number is newer
 *     000007.sst.tmp  a flush under way: written whole, then renamed to
 *                     000007.sst, so a table file is complete or absent.
 *                     Open removes leftovers of an interrupted flush.
 *
 * Open reads only each table's footer and index block, not the data: that
 * fixes stage 2's failure, and memory holds one index key per 4 KiB block
 * instead of every key. A get looks in the memtable, then in each table,
 * newest first; the first entry found (a value or a tombstone) decides.
 * A scan merges the memtable and every table (merge.h), the newest version
 * of each key winning, and hides tombstones.
 *
 * The tables' files share one fd_cache (fd_cache.h), which holds at most
 * `max_open_files` of them open (the option; 1000 by default), so no
 * number of tables runs the process out of descriptors.
 *
 * The failure: there is no write-ahead log yet. The memtable lives only in
 * memory, so a kill -9 loses every write since the last flush (stage 4 adds
 * the log), and so does a close whose flush fails (a full disk): kv_close
 * returns the error, but the writes it could not flush were acknowledged
 * and are gone. Nothing is synced either. And tables only pile up: overwritten
 * and deleted keys keep their space forever (stage 5 compacts).
 */
#include <stdlib.h>
#include <string.h>

#include "memtable.h"
#include "merge.h"
#include "table.h"

const char kv_stage_name[] = "stage3-sstable";
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
    io_counts at_open; /* the env's counts when open began */
    char *dir;
    shared_mem *mem;  /* every write since the last flush */
    fd_cache *files;  /* the tables' files, at most max_open_files open */
    db_table *tables; /* oldest first: tables[ntables - 1] is the newest */
    size_t ntables, cap;
    uint64_t next_number; /* the next table's file number */
    uint64_t limit;       /* flush once memtable_bytes(mem) reaches this */
    uint64_t flushes;     /* since open */
};

struct kv_iter {
    shared_mem *mem; /* the memtable it reads, kept by a flush */
    iter *merge;     /* the memtable, then the tables newest first */
};

static const char *const known_options[] = {"memtable_bytes", "max_open_files",
                                            NULL};

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
    if (s.code == KV_OK) s = kv_store_claim(db->env, dir, &created, &db->lock);
    if (s.code == KV_OK) s = load_tables(db);
    if (s.code != KV_OK) {
        kv_close(db); /* the memtable is empty: nothing is flushed */
        return s;
    }
    *out = db;
    return kv_ok();
}

/*
 * Writes the memtable, tombstones included (they must keep hiding older
 * tables' values), to a new table: built under a temporary name, renamed
 * into place once complete, then opened as the newest table, and the
 * memtable starts again empty. On any error the temporary (or renamed)
 * file is removed and the memtable kept, so nothing is lost from memory.
 */
static kv_status flush(kv_db *db) {
    uint64_t number = db->next_number++, size;
    char *tmp = table_file(db, number, ".tmp");
    char *path = table_file(db, number, "");
    table_builder *tb;
    table *t = NULL;
    int renamed = 0;
    kv_status s = table_builder_new(db->env, tmp, &tb);
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
    if (s.code == KV_OK) s = table_open_in(db->env, path, db->files, &t);
    if (s.code == KV_OK) {
        add_table(db, number, t);
        shared_mem_unref(db->mem); /* open iterators keep reading it */
        db->mem = shared_mem_new();
        db->flushes++;
    } else {
        io_remove(db->env, renamed ? path : tmp); /* best effort */
    }
    free(tmp);
    free(path);
    return s;
}

/*
 * Flushes the memtable first if it has reached its limit (an open iterator
 * keeps reading the old one: shared_mem), then puts the entry in it. If
 * the flush fails, the error is returned and the entry is not written; the
 * memtable keeps what it held, and the next write tries the flush again.
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
 * the flush fails (its error is returned: those writes are lost). Every
 * iterator must have been freed. */
kv_status kv_close(kv_db *db) {
    if (db == NULL) return kv_ok();
    kv_status s = kv_ok();
    if (memtable_count(db->mem->mt) > 0) s = flush(db);
    if (s.code != KV_OK)
        s = kv_error(s.code, "%s; the writes since the last flush are lost: "
                             "stage 3 has no log", s.msg);
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
