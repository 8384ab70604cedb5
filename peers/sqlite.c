/*
 * sqlite.c - the course's engine contract (common/kv.h) on top of SQLite
 * (sqlite3.h): a B-tree beside the LSM engines, linked with common/bench.c
 * as build/peers/bench-sqlite.
 *
 * The store directory holds the course's STORE marker and one database
 * file, kv.sqlite (with kv.sqlite-wal beside it in WAL mode), holding one
 * table:
 *
 *     CREATE TABLE kv (key BLOB PRIMARY KEY, value BLOB) WITHOUT ROWID
 *
 * so the pairs live in the primary key's B-tree itself, as in LevelDB's
 * benchmarks/db_bench_sqlite3.cc. Keys and values are bound as blobs, which
 * SQLite compares with memcmp and then by length: the course's kv_compare.
 * Each put, get and delete is one prepared statement, prepared once at open
 * and reused; each put or delete is its own transaction (autocommit).
 *
 * Settings (peer.h parses them), as close to the LSM engines' as a B-tree
 * allows:
 *   journal          WAL (journal_mode=WAL, locking_mode=EXCLUSIVE, as
 *                    db_bench_sqlite3); defaults=1: SQLite's own rollback
 *                    journal (DELETE) and normal locking;
 *   sync=none        synchronous=NORMAL in WAL mode: each commit writes its
 *                    pages to the WAL with write(2) before it returns
 *                    (survives kill -9) and syncs only at checkpoints, as an
 *                    LSM syncs only its tables (db_bench_sqlite3 uses OFF,
 *                    which never syncs); in DELETE mode, synchronous=OFF;
 *   sync=always      synchronous=FULL: every commit is synced (SQLite's
 *                    default);
 *   memtable_bytes   wal_autocheckpoint = memtable_bytes / page size: how
 *                    much the WAL gathers before it is folded into the
 *                    B-tree, the nearest thing to a memtable (SQLite's
 *                    default 1000 pages = 4 MiB, LevelDB's write buffer;
 *                    ignored with defaults=1, which has no WAL);
 *   cache            8 MiB of page cache (cache_size=-8192), the LSM
 *                    engines' block cache; defaults=1: SQLite's 2 MiB;
 *   compression      none only: SQLite has none (snappy is refused unless
 *                    it comes from defaults=1);
 *   bloom_bits       accepted and ignored: a B-tree lookup needs no filter.
 *
 * Counters: SQLite does its own file I/O, outside the course's I/O layer,
 * so the six I/O counters of kv_stats count only the STORE marker; after
 * them come SQLite's own: pages (page_count) and page_size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "peer.h"

const char kv_stage_name[] = "sqlite";
const int kv_thread_safe = 0; /* one connection, prepared statements reused */

struct kv_db {
    sqlite3 *db;
    sqlite3_stmt *put, *get, *del, *pages, *page_size;
    io_env *env;
    int own_env;
    io_counts at_open;
};

struct kv_iter {
    kv_db *db;
    sqlite3_stmt *stmt; /* SELECT key, value ... WHERE key >= ?1 */
    int valid;
    kv_status status;
};

static const char *const sql_put =
    "INSERT OR REPLACE INTO kv (key, value) VALUES (?1, ?2)";
static const char *const sql_get = "SELECT value FROM kv WHERE key = ?1";
static const char *const sql_del = "DELETE FROM kv WHERE key = ?1";
static const char *const sql_scan =
    "SELECT key, value FROM kv WHERE key >= ?1 ORDER BY key";

/* A status for SQLite's result code rc, with its message for db. */
static kv_status from_sqlite(sqlite3 *db, int rc, const char *what) {
    int primary = rc & 0xff;
    kv_code code = primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB
                       ? KV_CORRUPTION
                       : KV_IO_ERROR;
    return kv_error(code, "sqlite: %s: %s", what,
                    db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

/* Runs one statement of sql (pragmas, CREATE); fails with its message. */
static kv_status exec(kv_db *db, const char *sql) {
    char *msg = NULL;
    int rc = sqlite3_exec(db->db, sql, NULL, NULL, &msg);
    if (rc == SQLITE_OK) return kv_ok();
    kv_status s = kv_error(KV_IO_ERROR, "sqlite: %s: %s", sql,
                           msg != NULL ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    return s;
}

/* Sets the pragmas the settings ask for, and prints them. */
static kv_status configure(kv_db *db, const peer_settings *ps) {
    const char *sync = ps->sync_always ? "FULL"
                       : ps->defaults  ? "OFF"
                                       : "NORMAL";
    long ckpt = ps->memtable_bytes ? (long)(ps->memtable_bytes / 4096) : 1000;
    if (ckpt < 1) ckpt = 1;
    char sql[200];
    kv_status s = kv_ok();
    if (!ps->defaults) {
        s = exec(db, "PRAGMA locking_mode = EXCLUSIVE");
        if (kv_is_ok(s)) s = exec(db, "PRAGMA journal_mode = WAL");
        if (kv_is_ok(s)) s = exec(db, "PRAGMA cache_size = -8192");
        snprintf(sql, sizeof sql, "PRAGMA wal_autocheckpoint = %ld", ckpt);
        if (kv_is_ok(s)) s = exec(db, sql);
    }
    snprintf(sql, sizeof sql, "PRAGMA synchronous = %s", sync);
    if (kv_is_ok(s)) s = exec(db, sql);
    if (!kv_is_ok(s)) return s;

    char ckpt_text[32] = "n/a";
    if (!ps->defaults) snprintf(ckpt_text, sizeof ckpt_text, "%ld pages", ckpt);
    char text[400];
    snprintf(text, sizeof text,
             "SQLite %s: sync=%s (synchronous=%s) journal_mode=%s "
             "locking_mode=%s cache_size=%s wal_autocheckpoint=%s "
             "page_size=4096 (default); no compression; bloom_bits=%llu "
             "ignored (a B-tree has no filter)",
             sqlite3_libversion(), ps->sync_always ? "always" : "none", sync,
             ps->defaults ? "DELETE (default)" : "WAL",
             ps->defaults ? "NORMAL (default)" : "EXCLUSIVE",
             ps->defaults ? "2 MiB (default)" : "8 MiB",
             ckpt_text, (unsigned long long)ps->bloom_bits);
    peer_print_settings(text);
    return kv_ok();
}

/* Opens dir/kv.sqlite, sets it up, creates the table, prepares statements.
 */
static kv_status open_sqlite(kv_db *db, const char *dir,
                             const peer_settings *ps) {
    size_t n = strlen(dir) + sizeof "/kv.sqlite";
    char *path = xmalloc(n);
    snprintf(path, n, "%s/kv.sqlite", dir);
    int rc = sqlite3_open_v2(path, &db->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    kv_status s = rc == SQLITE_OK ? kv_ok() : from_sqlite(db->db, rc, path);
    free(path);
    if (kv_is_ok(s)) s = configure(db, ps);
    if (kv_is_ok(s))
        s = exec(db, "CREATE TABLE IF NOT EXISTS kv (key BLOB PRIMARY KEY, "
                     "value BLOB) WITHOUT ROWID");
    const char *sql[] = {sql_put, sql_get, sql_del, "PRAGMA page_count",
                         "PRAGMA page_size"};
    sqlite3_stmt **stmt[] = {&db->put, &db->get, &db->del, &db->pages,
                             &db->page_size};
    for (size_t i = 0; i < 5 && kv_is_ok(s); i++) {
        rc = sqlite3_prepare_v2(db->db, sql[i], -1, stmt[i], NULL);
        if (rc != SQLITE_OK) s = from_sqlite(db->db, rc, sql[i]);
    }
    return s;
}

/* Claims dir as a SQLite store, then opens and sets up the database. */
kv_status kv_open(const char *dir, const kv_config *cfg, kv_db **out) {
    peer_settings ps;
    *out = NULL;
    kv_status s = peer_settings_parse(cfg, &ps);
    if (!kv_is_ok(s)) return s;
    const char *c = kv_config_get(cfg, "compression");
    if (c != NULL && strcmp(c, "none") != 0)
        return kv_error(KV_NOT_SUPPORTED, "option compression: SQLite has "
                                          "no compression (only 'none')");
    kv_db *db = xcalloc(1, sizeof *db);
    db->env = cfg != NULL ? cfg->env : NULL;
    if (db->env == NULL) {
        db->env = io_env_new();
        db->own_env = 1;
    }
    db->at_open = io_env_counts(db->env);
    int created;
    io_file *lock;
    s = kv_store_claim(db->env, dir, &created, &lock);
    io_unlock(lock); /* the engine guards its files its own way */
    if (kv_is_ok(s)) s = open_sqlite(db, dir, &ps);
    if (!kv_is_ok(s)) {
        kv_close(db);
        return s;
    }
    *out = db;
    return kv_ok();
}

/* Binds s as a blob (never NULL: an empty value stays an empty blob). */
static int bind(sqlite3_stmt *stmt, int i, kv_slice s) {
    return sqlite3_bind_blob(stmt, i, s.size ? s.data : "", (int)s.size,
                             SQLITE_STATIC);
}

/* Steps a write statement once (one autocommit transaction) and resets. */
static kv_status step_write(kv_db *db, sqlite3_stmt *stmt, const char *what) {
    int rc = sqlite3_step(stmt);
    kv_status s = rc == SQLITE_DONE ? kv_ok() : from_sqlite(db->db, rc, what);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return s;
}

kv_status kv_put(kv_db *db, kv_slice key, kv_slice value) {
    kv_status s = kv_check_key(key);
    if (kv_is_ok(s)) s = kv_check_value(value);
    if (!kv_is_ok(s)) return s;
    bind(db->put, 1, key);
    bind(db->put, 2, value);
    return step_write(db, db->put, "put");
}

kv_status kv_get(kv_db *db, kv_slice key, kv_buf *value) {
    kv_status s = kv_check_key(key);
    if (!kv_is_ok(s)) return s;
    bind(db->get, 1, key);
    int rc = sqlite3_step(db->get);
    if (rc == SQLITE_ROW) {
        const void *v = sqlite3_column_blob(db->get, 0);
        int n = sqlite3_column_bytes(db->get, 0);
        kv_buf_set(value, n > 0 ? v : "", (size_t)n);
    } else if (rc == SQLITE_DONE) {
        s = kv_error(KV_NOT_FOUND, "not found");
    } else {
        s = from_sqlite(db->db, rc, "get");
    }
    sqlite3_reset(db->get);
    sqlite3_clear_bindings(db->get);
    return s;
}

kv_status kv_delete(kv_db *db, kv_slice key) {
    kv_status s = kv_check_key(key);
    if (!kv_is_ok(s)) return s;
    bind(db->del, 1, key);
    return step_write(db, db->del, "delete");
}

/*
 * Finalizes the statements and closes the database (sqlite3_close_v2: an
 * iterator left open keeps it alive until freed). Always frees db.
 */
kv_status kv_close(kv_db *db) {
    if (db == NULL) return kv_ok();
    kv_status s = kv_ok();
    sqlite3_stmt *stmts[] = {db->put, db->get, db->del, db->pages,
                             db->page_size};
    for (size_t i = 0; i < 5; i++) sqlite3_finalize(stmts[i]);
    int rc = sqlite3_close_v2(db->db); /* NULL is a no-op */
    if (rc != SQLITE_OK) s = from_sqlite(NULL, rc, "close");
    if (db->own_env) io_env_free(db->env);
    free(db);
    return s;
}

/* The integer a one-row pragma statement returns (0 on error). */
static uint64_t pragma_value(sqlite3_stmt *stmt) {
    uint64_t v = 0;
    if (sqlite3_step(stmt) == SQLITE_ROW)
        v = (uint64_t)sqlite3_column_int64(stmt, 0);
    sqlite3_reset(stmt);
    return v;
}

size_t kv_stats(kv_db *db, kv_stat *out, size_t max) {
    /* Only what crossed the course's I/O layer: not SQLite's own I/O. */
    size_t n = kv_io_stats_since(db->env, db->at_open, out, max);
    if (n < max) out[n++] = (kv_stat){"pages", pragma_value(db->pages)};
    if (n < max)
        out[n++] = (kv_stat){"page_size", pragma_value(db->page_size)};
    return n;
}

/* --- iterators: one SELECT ... ORDER BY key statement each ------------- */

kv_status kv_iter_new(kv_db *db, kv_iter **out) {
    kv_iter *it = xcalloc(1, sizeof *it);
    it->db = db;
    it->status = kv_ok();
    int rc = sqlite3_prepare_v2(db->db, sql_scan, -1, &it->stmt, NULL);
    if (rc != SQLITE_OK) {
        kv_status s = from_sqlite(db->db, rc, "iterator");
        free(it);
        *out = NULL;
        return s;
    }
    *out = it;
    return kv_ok();
}

/* Steps the statement: a row makes it valid; the end or an error not. */
static void iter_step(kv_iter *it) {
    int rc = sqlite3_step(it->stmt);
    it->valid = rc == SQLITE_ROW;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        it->status = from_sqlite(it->db->db, rc, "iterator");
}

void kv_iter_seek(kv_iter *it, kv_slice start) {
    sqlite3_reset(it->stmt);
    sqlite3_bind_blob(it->stmt, 1, start.size ? start.data : "",
                      (int)start.size, SQLITE_TRANSIENT);
    it->status = kv_ok();
    iter_step(it);
}

int kv_iter_valid(const kv_iter *it) { return it->valid; }

void kv_iter_next(kv_iter *it) {
    if (it->valid) iter_step(it);
}

/* Column col of the current row as a slice (never a NULL pointer). */
static kv_slice column(const kv_iter *it, int col) {
    const void *p = sqlite3_column_blob(it->stmt, col);
    int n = sqlite3_column_bytes(it->stmt, col);
    return (kv_slice){n > 0 ? p : "", (size_t)n};
}

kv_slice kv_iter_key(const kv_iter *it) { return column(it, 0); }

kv_slice kv_iter_value(const kv_iter *it) { return column(it, 1); }

kv_status kv_iter_status(const kv_iter *it) { return it->status; }

void kv_iter_free(kv_iter *it) {
    if (it == NULL) return;
    sqlite3_finalize(it->stmt);
    free(it);
}

/* Not supported: SQLite's own tools describe its file (sqlite3 .dbinfo). */
kv_status kv_dump(const char *dir, io_env *env, FILE *out) {
    (void)env;
    fprintf(out, "%s/kv.sqlite: not supported (try: sqlite3 %s/kv.sqlite "
                 "'.dbinfo')\n",
            dir, dir);
    return kv_error(KV_NOT_SUPPORTED, "sqlite: dump not supported");
}
