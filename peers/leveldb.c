/*
 * leveldb.c - the course's engine contract (common/kv.h) on top of
 * LevelDB's C API (leveldb/c.h), so common/bench.c links unchanged as
 * build/peers/bench-leveldb and measures LevelDB with the course's own
 * workloads, keys, values and seeds.
 *
 * The store directory holds the course's STORE marker (so the bench's
 * destroy step recognises it and another stage refuses it) beside
 * LevelDB's own files (CURRENT, MANIFEST-*, *.log, *.ldb, LOCK, LOG).
 *
 * Settings (peer.h parses them):
 *   sync=none        WriteOptions.sync = false: each put is appended to
 *                    LevelDB's log with one write(2) before it returns
 *                    (survives kill -9), as the course's sync=none;
 *   sync=always      WriteOptions.sync = true: the log is also fsynced;
 *   compression      kNoCompression or kSnappyCompression (LevelDB's
 *                    default is snappy);
 *   bloom_bits       NewBloomFilterPolicy(bits) (LevelDB's default: none);
 *   memtable_bytes   Options.write_buffer_size (LevelDB's default 4 MiB).
 * Everything else is LevelDB's default: 8 MiB block cache, 4 KiB blocks,
 * 1000 open files, 2 MiB tables, level compaction on one background thread.
 *
 * Counters: LevelDB does its own file I/O, outside the course's I/O layer,
 * so the six I/O counters of kv_stats count only what passes through that
 * layer (the STORE marker at creation) and are NOT LevelDB's I/O. After them
 * come LevelDB's own numbers from its properties: tables (files at all
 * levels) and memory_bytes (leveldb.approximate-memory-usage).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <leveldb/c.h>

#include "peer.h"

const char kv_stage_name[] = "leveldb";
const int kv_thread_safe = 1; /* the engine's own locking */

struct kv_db {
    leveldb_t *db;
    leveldb_options_t *options;
    leveldb_filterpolicy_t *filter; /* NULL: no bloom filter */
    leveldb_readoptions_t *ropts;
    leveldb_writeoptions_t *wopts;
    io_env *env;
    int own_env;
    io_counts at_open;
};

struct kv_iter {
    leveldb_iterator_t *it;
};

/* Turns LevelDB's error string (freed here; NULL: none) into a status. */
static kv_status from_error(char *err, const char *what) {
    if (err == NULL) return kv_ok();
    kv_code code = strstr(err, "Corruption") ? KV_CORRUPTION
                   : strstr(err, "Invalid argument") ? KV_INVALID_ARGUMENT
                                                     : KV_IO_ERROR;
    kv_status s = kv_error(code, "leveldb: %s: %s", what, err);
    leveldb_free(err);
    return s;
}

/* Fills db's LevelDB options from the settings and prints them. */
static void configure(kv_db *db, const peer_settings *ps) {
    db->options = leveldb_options_create();
    leveldb_options_set_create_if_missing(db->options, 1);
    leveldb_options_set_compression(db->options, ps->snappy
                                                     ? leveldb_snappy_compression
                                                     : leveldb_no_compression);
    if (ps->bloom_bits > 0) {
        db->filter = leveldb_filterpolicy_create_bloom((int)ps->bloom_bits);
        leveldb_options_set_filter_policy(db->options, db->filter);
    }
    if (ps->memtable_bytes > 0)
        leveldb_options_set_write_buffer_size(db->options,
                                              (size_t)ps->memtable_bytes);
    db->ropts = leveldb_readoptions_create();
    db->wopts = leveldb_writeoptions_create();
    leveldb_writeoptions_set_sync(db->wopts, (uint8_t)ps->sync_always);

    char text[400];
    snprintf(text, sizeof text,
             "LevelDB %d.%d: sync=%s (WriteOptions.sync=%s) compression=%s "
             "bloom_bits=%llu write_buffer_size=%llu%s; LevelDB defaults "
             "for the rest (block cache 8 MiB, block_size 4096, "
             "max_open_files 1000, max_file_size 2 MiB)",
             leveldb_major_version(), leveldb_minor_version(),
             ps->sync_always ? "always" : "none",
             ps->sync_always ? "true" : "false",
             ps->snappy ? "snappy" : "none",
             (unsigned long long)ps->bloom_bits,
             (unsigned long long)(ps->memtable_bytes ? ps->memtable_bytes
                                                     : 4u << 20),
             ps->memtable_bytes ? "" : " (default)");
    peer_print_settings(text);
}

/* Claims dir as a LevelDB store, configures and opens LevelDB in it. */
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
        db->db = leveldb_open(db->options, dir, &err);
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
    leveldb_put(db->db, db->wopts, key.data, key.size, value.data, value.size,
                &err);
    return from_error(err, "put");
}

kv_status kv_get(kv_db *db, kv_slice key, kv_buf *value) {
    kv_status s = kv_check_key(key);
    if (!kv_is_ok(s)) return s;
    char *err = NULL;
    size_t n = 0;
    char *v = leveldb_get(db->db, db->ropts, key.data, key.size, &n, &err);
    if (err != NULL) return from_error(err, "get");
    if (v == NULL) return kv_error(KV_NOT_FOUND, "not found");
    kv_buf_set(value, v, n);
    leveldb_free(v);
    return kv_ok();
}

kv_status kv_delete(kv_db *db, kv_slice key) {
    kv_status s = kv_check_key(key);
    if (!kv_is_ok(s)) return s;
    char *err = NULL;
    leveldb_delete(db->db, db->wopts, key.data, key.size, &err);
    return from_error(err, "delete");
}

/* Closes LevelDB (which reports no error on close) and frees everything. */
kv_status kv_close(kv_db *db) {
    if (db == NULL) return kv_ok();
    if (db->db != NULL) leveldb_close(db->db);
    if (db->options != NULL) leveldb_options_destroy(db->options);
    if (db->filter != NULL) leveldb_filterpolicy_destroy(db->filter);
    if (db->ropts != NULL) leveldb_readoptions_destroy(db->ropts);
    if (db->wopts != NULL) leveldb_writeoptions_destroy(db->wopts);
    if (db->own_env) io_env_free(db->env);
    free(db);
    return kv_ok();
}

/* A numeric LevelDB property, or 0 when LevelDB does not know it. */
static uint64_t property(kv_db *db, const char *name) {
    char *v = leveldb_property_value(db->db, name);
    uint64_t n = v != NULL ? strtoull(v, NULL, 10) : 0;
    leveldb_free(v);
    return n;
}

size_t kv_stats(kv_db *db, kv_stat *out, size_t max) {
    /* Only what crossed the course's I/O layer: not LevelDB's own I/O. */
    size_t n = kv_io_stats_since(db->env, db->at_open, out, max);
    uint64_t tables = 0;
    char name[40];
    for (int level = 0; level < 7; level++) {
        snprintf(name, sizeof name, "leveldb.num-files-at-level%d", level);
        tables += property(db, name);
    }
    if (n < max) out[n++] = (kv_stat){"tables", tables};
    if (n < max)
        out[n++] = (kv_stat){"memory_bytes",
                             property(db, "leveldb.approximate-memory-usage")};
    return n;
}

/* --- iterators: LevelDB's own, over an implicit snapshot --------------- */

kv_status kv_iter_new(kv_db *db, kv_iter **out) {
    kv_iter *it = xcalloc(1, sizeof *it);
    it->it = leveldb_create_iterator(db->db, db->ropts);
    *out = it;
    return kv_ok();
}

void kv_iter_seek(kv_iter *it, kv_slice start) {
    leveldb_iter_seek(it->it, start.data, start.size);
}

int kv_iter_valid(const kv_iter *it) { return leveldb_iter_valid(it->it); }

void kv_iter_next(kv_iter *it) { leveldb_iter_next(it->it); }

kv_slice kv_iter_key(const kv_iter *it) {
    kv_slice k;
    k.data = leveldb_iter_key(it->it, &k.size);
    return k;
}

kv_slice kv_iter_value(const kv_iter *it) {
    kv_slice v;
    v.data = leveldb_iter_value(it->it, &v.size);
    return v;
}

kv_status kv_iter_status(const kv_iter *it) {
    char *err = NULL;
    leveldb_iter_get_error(it->it, &err);
    return from_error(err, "iterator");
}

void kv_iter_free(kv_iter *it) {
    if (it == NULL) return;
    leveldb_iter_destroy(it->it);
    free(it);
}

/*
 * Prints what LevelDB tells about its files: its compaction stats and the
 * tables of each level with their key ranges (leveldb.sstables). Opens the
 * store (so not while another process holds it); env is not used.
 */
kv_status kv_dump(const char *dir, io_env *env, FILE *out) {
    (void)env;
    leveldb_options_t *opts = leveldb_options_create();
    char *err = NULL;
    leveldb_t *db = leveldb_open(opts, dir, &err);
    leveldb_options_destroy(opts);
    if (err != NULL) return from_error(err, dir);
    const char *props[] = {"leveldb.stats", "leveldb.sstables"};
    for (size_t i = 0; i < 2; i++) {
        char *v = leveldb_property_value(db, props[i]);
        fprintf(out, "%s:\n%s\n", props[i], v != NULL ? v : "(none)");
        leveldb_free(v);
    }
    leveldb_close(db);
    return kv_ok();
}
