/*
 * test_level_iter.c - the level iterator (level_iter.h) over a few small
 * tables built in the test's directory.
 *
 * Table t holds the keys "k%04d" of 100 * t + 10 .. 100 * t + 59 (so there
 * are gaps before, between and after the tables), with 200-byte values
 * (three data blocks a table) and a tombstone every 7th entry. Checked:
 * seeks before, inside, between and after the tables; a walk crossing every
 * table boundary; an empty level and a single table; exact read counts (a
 * seek and a few nexts read one data block of one table, none before a
 * seek); and a damaged table's error ending the walk through status().
 */
#include <stdlib.h>
#include <string.h>

#include "level_iter.h"
#include "suite.h"
#include "testing.h"

#define TABLES    3
#define PER_TABLE 50
#define VALUE     200

typedef struct level {
    io_env *env;
    table *tables[TABLES];
    table_meta metas[TABLES];
    char paths[TABLES][4096];
} level;

/* Entry i of table t: its key number, kind and value. */
static int number_of(int t, int i) { return 100 * t + 10 + i; }
static int kind_of(int n) { return n % 7 == 3 ? ENTRY_DELETE : ENTRY_PUT; }

static kv_slice key_of(int n, char *buf) {
    snprintf(buf, 32, "k%04d", n);
    return kv_str(buf);
}

static kv_slice value_of(int n, char *buf) {
    if (kind_of(n) == ENTRY_DELETE) return (kv_slice){buf, 0};
    memset(buf, 'a' + n % 26, VALUE);
    return (kv_slice){buf, VALUE};
}

/* Builds and opens the TABLES tables, and fills in their metas. */
static kv_status level_open(level *lv) {
    memset(lv, 0, sizeof *lv);
    lv->env = io_env_new();
    char k[32], v[VALUE], first[32];
    for (int t = 0; t < TABLES; t++) {
        suite_path(lv->paths[t], sizeof lv->paths[t], "");
        snprintf(lv->paths[t] + strlen(lv->paths[t]), 32, "%06d.sst", t + 1);
        table_builder *tb;
        uint64_t size;
        kv_status s = table_builder_new(lv->env, lv->paths[t], &tb);
        for (int i = 0; i < PER_TABLE && s.code == KV_OK; i++) {
            int n = number_of(t, i);
            s = table_builder_add(tb, key_of(n, k), kind_of(n), value_of(n, v));
        }
        if (s.code == KV_OK) s = table_builder_finish(tb, &size);
        if (s.code == KV_OK)
            s = table_open(lv->env, lv->paths[t], &lv->tables[t]);
        if (s.code != KV_OK) return s;
        key_of(number_of(t, 0), first);
        key_of(number_of(t, PER_TABLE - 1), k);
        table_meta_set(&lv->metas[t], (uint64_t)t + 1, size, PER_TABLE,
                       kv_str(first), kv_str(k));
    }
    return kv_ok();
}

static void level_close(level *lv) {
    for (int t = 0; t < TABLES; t++) {
        table_close(lv->tables[t]);
        table_meta_free(&lv->metas[t]);
    }
    io_env_free(lv->env);
}

/* 1 if it stands on entry number n, with the right kind and value. */
static int at(const iter *it, int n) {
    char k[32], v[VALUE];
    if (!iter_valid(it) || iter_kind(it) != kind_of(n)) return 0;
    return kv_compare(iter_key(it), key_of(n, k)) == 0 &&
           kv_compare(iter_value(it), value_of(n, v)) == 0;
}

/* 1 if a seek to target lands on entry number n (-1: past the end). */
static int seek_lands(iter *it, const char *target, int n) {
    iter_seek(it, kv_str(target));
    if (iter_status(it).code != KV_OK) return 0;
    return n < 0 ? !iter_valid(it) : at(it, n);
}

static void test_seek(void) {
    level lv;
    CHECK_OK(level_open(&lv));
    iter *it = level_iter_new(lv.tables, lv.metas, TABLES);
    CHECK(!iter_valid(it));               /* unpositioned */
    CHECK(seek_lands(it, "", 10));        /* before every table */
    CHECK(seek_lands(it, "a", 10));       /* before every table */
    CHECK(seek_lands(it, "k0010", 10));   /* a table's first key */
    CHECK(seek_lands(it, "k0125", 125));  /* inside a table */
    CHECK(seek_lands(it, "k01255", 126)); /* between two of its keys */
    CHECK(seek_lands(it, "k0159", 159));  /* a table's last key */
    CHECK(seek_lands(it, "k0160", 210));  /* between tables */
    CHECK(seek_lands(it, "k0099", 110));  /* between tables */
    CHECK(seek_lands(it, "k0259", 259));  /* the level's last key */
    iter_next(it);
    CHECK(!iter_valid(it) && iter_status(it).code == KV_OK);
    CHECK(seek_lands(it, "k0260", -1)); /* after every table */
    CHECK(seek_lands(it, "z", -1));
    iter_next(it); /* a no-op past the end */
    CHECK(!iter_valid(it));
    CHECK(seek_lands(it, "k0050", 50)); /* back, after the end */
    iter_free(it);
    level_close(&lv);
}

/* A walk from the first key yields every entry of every table in order. */
static void test_walk_across_tables(void) {
    level lv;
    CHECK_OK(level_open(&lv));
    iter *it = level_iter_new(lv.tables, lv.metas, TABLES);
    iter_seek(it, kv_str(""));
    for (int t = 0; t < TABLES; t++)
        for (int i = 0; i < PER_TABLE; i++, iter_next(it))
            CHECKF(at(it, number_of(t, i)), "entry %d", number_of(t, i));
    CHECK(!iter_valid(it) && iter_status(it).code == KV_OK);
    /* From the middle of the first table to the end. */
    int seen = 0;
    for (iter_seek(it, kv_str("k0030")); iter_valid(it); iter_next(it)) seen++;
    CHECK(seen == 30 + 2 * PER_TABLE);
    iter_free(it);
    level_close(&lv);
}

static void test_empty_and_single(void) {
    level lv;
    CHECK_OK(level_open(&lv));
    iter *it = level_iter_new(NULL, NULL, 0);
    iter_seek(it, kv_str(""));
    CHECK(!iter_valid(it) && iter_status(it).code == KV_OK);
    iter_next(it);
    CHECK(!iter_valid(it));
    iter_free(it);

    it = level_iter_new(&lv.tables[1], &lv.metas[1], 1); /* 110 .. 159 */
    CHECK(seek_lands(it, "", 110));
    CHECK(seek_lands(it, "k0150", 150));
    CHECK(seek_lands(it, "k0160", -1));
    int seen = 0;
    for (iter_seek(it, kv_str("")); iter_valid(it); iter_next(it)) seen++;
    CHECK(seen == PER_TABLE && iter_status(it).code == KV_OK);
    iter_free(it);
    level_close(&lv);
}

/* Reads: none before a seek; a seek and a few nexts inside one table read
 * one data block; crossing into the next table reads one block more. */
static void test_reads_one_table(void) {
    level lv;
    CHECK_OK(level_open(&lv));
    io_counts c0 = io_env_counts(lv.env);
    iter *it = level_iter_new(lv.tables, lv.metas, TABLES);
    CHECK(io_env_counts(lv.env).reads == c0.reads);
    iter_seek(it, kv_str("k0120"));
    for (int i = 0; i < 4; i++) iter_next(it);
    CHECK(at(it, 124));
    io_counts d = io_counts_sub(io_env_counts(lv.env), c0);
    CHECKF(d.reads == 1, "read %llu times", (unsigned long long)d.reads);

    c0 = io_env_counts(lv.env);
    iter_seek(it, kv_str("k0159"));
    iter_next(it);
    CHECK(at(it, 210));
    d = io_counts_sub(io_env_counts(lv.env), c0);
    CHECKF(d.reads == 2, "read %llu times", (unsigned long long)d.reads);
    iter_free(it);
    level_close(&lv);
}

/* A damaged data block in the middle table: a walk yields the first table,
 * then ends with its corruption; a seek past it reads on, OK again. */
static void test_corrupt_table(void) {
    level lv;
    CHECK_OK(level_open(&lv));
    CHECK(suite_flip_byte(lv.paths[1], 5, 0x10) == 0); /* its first block */
    iter *it = level_iter_new(lv.tables, lv.metas, TABLES);
    int seen = 0;
    for (iter_seek(it, kv_str("")); iter_valid(it); iter_next(it)) seen++;
    CHECKF(seen == PER_TABLE, "saw %d", seen);
    kv_status s = iter_status(it);
    CHECK(s.code == KV_CORRUPTION);
    CHECKF(strstr(s.msg, "000002.sst") != NULL, "%s", s.msg);
    iter_next(it); /* stays ended, error kept */
    CHECK(!iter_valid(it) && iter_status(it).code == KV_CORRUPTION);
    CHECK(seek_lands(it, "k0210", 210));
    CHECK(seek_lands(it, "k0100", -1) == 0); /* the damaged table again */
    CHECK(iter_status(it).code == KV_CORRUPTION && !iter_valid(it));
    iter_free(it);
    level_close(&lv);
}

TEST_TABLE(level_iter, TEST(test_seek), TEST(test_walk_across_tables),
           TEST(test_empty_and_single), TEST(test_reads_one_table),
           TEST(test_corrupt_table))
