/*
 * rocksdb.c - the course's engine contract (common/kv.h) on top of
 * RocksDB's C API (rocksdb/c.h), so common/bench.c links unchanged as
 * build/peers/bench-rocksdb and measures RocksDB with the course's own
 * workloads, keys, values and seeds.
 *
 * The store directory holds the course's STORE marker (so the bench's
 * destroy step recognises it and another stage refuses it) beside
 * RocksDB's own files (CURRENT, MANIFEST-*, OPTIONS-*, *.log, *.sst, LOCK,
 * LOG). RocksDB writes every effective option into OPTIONS-*.
 *
 * Settings (peer.h parses them):
 *   sync=none        WriteOptions.sync = false: each put is appended to
 *                    RocksDB's write-ahead log with write(2) before it
 *                    returns (manual_wal_flush is off), so it survives
 *                    kill -9, as the course's sync=none;
 *   sync=always      WriteOptions.sync = true: the WAL is also synced;
 *   compression      kNoCompression or kSnappyCompression (RocksDB's
 *                    default is snappy when built with it, as Debian's is);
 *   bloom_bits       a full-filter bloom, NewBloomFilterPolicy(bits), in
 *                    the block-based table options (RocksDB's default: none);
 *   memtable_bytes   Options.write_buffer_size (RocksDB's default 64 MiB).
 * Everything else is RocksDB's default (rocksdb_options_create()).
 *
 * Counters: RocksDB does its own file I/O, outside the course's I/O layer,
 * so the six I/O counters of kv_stats count only what passes through that
 * layer (the STORE marker at creation) and are NOT RocksDB's I/O. After them
 * come RocksDB's own numbers from its properties: tables (files at all
 * levels), memtable_bytes (rocksdb.cur-size-all-mem-tables) and table_bytes
 * (rocksdb.total-sst-files-size).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rocksdb/c.h>

#include "peer.h"

const char kv_stage_name[] = "rocksdb";
const int kv_thread_safe = 1; /* the engine's own locking */

struct kv_db {
    rocksdb_t *db;
    rocksdb_options_t *options;
    rocksdb_readoptions_t *ropts;
    rocksdb_writeoptions_t *wopts;
    io_env *env;
    int own_env;
    io_counts at_open;
};

struct kv_iter {
    rocksdb_iterator_t *it;
};

/* Turns RocksDB's error string (freed here; NULL: none) into a status. */
static kv_status from_error(char *err, const char *what) {
    if (err == NULL) return kv_ok();
    kv_code code = strstr(err, "Corruption") ? KV_CORRUPTION
                   : strstr(err, "Invalid argument") ? KV_INVALID_ARGUMENT
                                                     : KV_IO_ERROR;
    kv_status s = kv_error(code, "rocksdb: %s: %s", what, err);
    rocksdb_free(err);
    return s;
}

/* Fills db's RocksDB options from the settings and prints them. */
static void configure(kv_db *db, const peer_settings *ps) {
    db->options = rocksdb_options_create();
    rocksdb_options_set_create_if_missing(db->options, 1);
    rocksdb_options_set_compression(db->options,
                                    ps->snappy ? rocksdb_snappy_compression
                                               : rocksdb_no_compression);
    if (ps->bloom_bits > 0) {
        rocksdb_block_based_table_options_t *t =
            rocksdb_block_based_options_create();
        /* The table options take ownership of the filter policy. */
        rocksdb_block_based_options_set_filter_policy(
            t, rocksdb_filterpolicy_create_bloom_full((double)ps->bloom_bits));
        rocksdb_options_set_block_based_table_factory(db->options, t);
        rocksdb_block_based_options_destroy(t); /* the factory copied it */
    }
    if (ps->memtable_bytes > 0)
        rocksdb_options_set_write_buffer_size(db->options,
                                              (size_t)ps->memtable_bytes);
    db->ropts = rocksdb_readoptions_create();
    db->wopts = rocksdb_writeoptions_create();
    rocksdb_writeoptions_set_sync(db->wopts, (unsigned char)ps->sync_always);

    char text[400];
    snprintf(text, sizeof text,
             "RocksDB: sync=%s (WriteOptions.sync=%s) compression=%s "
             "bloom_bits=%llu%s write_buffer_size=%llu%s; RocksDB defaults "
             "for the rest (see OPTIONS-* in the store)",
             ps->sync_always ? "always" : "none",
             ps->sync_always ? "true" : "false",
             ps->snappy ? "snappy" : "none",
             (unsigned long long)ps->bloom_bits,
             ps->bloom_bits ? " (full filter)" : "",
             (unsigned long long)(ps->memtable_bytes ? ps->memtable_bytes
                                                     : 64u << 20),
             ps->memtable_bytes ? "" : " (default)");
    peer_print_settings(text);
}

/* Claims dir as a RocksDB store, configures and opens RocksDB in it. */
kv_status kv_open(const char *dir, const kv_config *cfg, kv_db **out) {
    peer_settings ps;
    *out = NULL;
    kv_status s = peer_settings_parse(cfg, &ps);
    if (!kv_is_ok(s)) return s;
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
    if (kv_is_ok(s)) {
        configure(db, &ps);
        char *err = NULL;
        db->db = rocksdb_open(db->options, dir, &err);
        s = from_error(err, dir);
    }
    if (!kv_is_ok(s)) {
        kv_close(db);
        return s;
    }
    *out = db;
    return kv_ok();
}

kv_status kv_put(kv_db *db, kv_slice key, kv_slice value) {
    kv_status s = kv_check_key(key);
    if (kv_is_ok(s)) s = kv_check_value(value);
    if (!kv_is_ok(s)) return s;
    char *err = NULL;
    rocksdb_put(db->db, db->wopts, key.data, key.size, value.data, value.size,
                &err);
    return from_error(err, "put");
}

kv_status kv_get(kv_db *db, kv_slice key, kv_buf *value) {
    kv_status s = kv_check_key(key);
    if (!kv_is_ok(s)) return s;
    char *err = NULL;
    size_t n = 0;
    char *v = rocksdb_get(db->db, db->ropts, key.data, key.size, &n, &err);
    if (err != NULL) return from_error(err, "get");
    if (v == NULL) return kv_error(KV_NOT_FOUND, "not found");
    kv_buf_set(value, v, n);
    rocksdb_free(v);
    return kv_ok();
}

kv_status kv_delete(kv_db *db, kv_slice key) {
    kv_status s = kv_check_key(key);
    if (!kv_is_ok(s)) return s;
    char *err = NULL;
    rocksdb_delete(db->db, db->wopts, key.data, key.size, &err);
    return from_error(err, "delete");
}

/* Closes RocksDB (which reports no error through the C API) and frees. */
kv_status kv_close(kv_db *db) {
    if (db == NULL) return kv_ok();
    if (db->db != NULL) rocksdb_close(db->db);
    if (db->options != NULL) rocksdb_options_destroy(db->options);
    if (db->ropts != NULL) rocksdb_readoptions_destroy(db->ropts);
    if (db->wopts != NULL) rocksdb_writeoptions_destroy(db->wopts);
    if (db->own_env) io_env_free(db->env);
    free(db);
    return kv_ok();
}

/* A numeric RocksDB property (string or int), or 0 when it has none. */
static uint64_t property(kv_db *db, const char *name) {
    uint64_t n = 0;
    if (rocksdb_property_int(db->db, name, &n) == 0) return n;
    char *v = rocksdb_property_value(db->db, name);
    n = v != NULL ? strtoull(v, NULL, 10) : 0;
    rocksdb_free(v);
    return n;
}

size_t kv_stats(kv_db *db, kv_stat *out, size_t max) {
    /* Only what crossed the course's I/O layer: not RocksDB's own I/O. */
    size_t n = kv_io_stats_since(db->env, db->at_open, out, max);
    uint64_t tables = 0;
    char name[40];
    for (int level = 0; level < 7; level++) {
        snprintf(name, sizeof name, "rocksdb.num-files-at-level%d", level);
        tables += property(db, name);
    }
    if (n < max) out[n++] = (kv_stat){"tables", tables};
    if (n < max)
        out[n++] = (kv_stat){"memtable_bytes",
                             property(db, "rocksdb.cur-size-all-mem-tables")};
    if (n < max)
        out[n++] = (kv_stat){"table_bytes",
                             property(db, "rocksdb.total-sst-files-size")};
    return n;
}

/* --- iterators: RocksDB's own, over an implicit snapshot --------------- */

kv_status kv_iter_new(kv_db *db, kv_iter **out) {
    kv_iter *it = xcalloc(1, sizeof *it);
    it->it = rocksdb_create_iterator(db->db, db->ropts);
    *out = it;
    return kv_ok();
}

void kv_iter_seek(kv_iter *it, kv_slice start) {
    rocksdb_iter_seek(it->it, start.data, start.size);
}

int kv_iter_valid(const kv_iter *it) { return rocksdb_iter_valid(it->it); }

void kv_iter_next(kv_iter *it) { rocksdb_iter_next(it->it); }

kv_slice kv_iter_key(const kv_iter *it) {
    kv_slice k;
    k.data = rocksdb_iter_key(it->it, &k.size);
    return k;
}

kv_slice kv_iter_value(const kv_iter *it) {
    kv_slice v;
    v.data = rocksdb_iter_value(it->it, &v.size);
    return v;
}

kv_status kv_iter_status(const kv_iter *it) {
    char *err = NULL;
    rocksdb_iter_get_error(it->it, &err);
    return from_error(err, "iterator");
}

void kv_iter_free(kv_iter *it) {
    if (it == NULL) return;
    rocksdb_iter_destroy(it->it);
    free(it);
}

/*
 * Prints what RocksDB tells about its files: its compaction stats and the
 * tables of each level (rocksdb.sstables). Opens the store (so not while
 * another process holds it); env is not used.
 */
kv_status kv_dump(const char *dir, io_env *env, FILE *out) {
    (void)env;
    rocksdb_options_t *opts = rocksdb_options_create();
    char *err = NULL;
    rocksdb_t *db = rocksdb_open(opts, dir, &err);
    rocksdb_options_destroy(opts);
    if (err != NULL) return from_error(err, dir);
    const char *props[] = {"rocksdb.stats", "rocksdb.sstables"};
    for (size_t i = 0; i < 2; i++) {
        char *v = rocksdb_property_value(db, props[i]);
        fprintf(out, "%s:\n%s\n", props[i], v != NULL ? v : "(none)");
        rocksdb_free(v);
    }
    rocksdb_close(db);
    return kv_ok();
}
