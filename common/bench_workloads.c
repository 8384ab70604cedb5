/*
 * bench_workloads.c - the workloads of the benchmark driver (bench.c runs
 * them), after LevelDB's db_bench and, for seekrandom, RocksDB's:
 *
 *   fillseq      num puts, keys 0, 1, 2, ... in order, into an empty store
 *   fillrandom   num puts, random keys in [0, num), into an empty store
 *   fillsync     num/1000 random puts, each synced (the store is opened
 *                with the extra option sync=always, since the contract has
 *                no per-write sync flag), into an empty store
 *   overwrite    num random puts into the store as it is
 *   readrandom   `reads` gets of random keys in [0, num)
 *   readmissing  `reads` gets of "%016d." keys, never written
 *   readseq      a scan of up to `reads` pairs from the first key
 *   seekrandom   `reads` seeks to random keys in [0, num), each followed by
 *                up to --seek_nexts=N reads with next (RocksDB's flag)
 *   open         reopen the store (one op; bench.c closes it untimed)
 *
 * Keys are "%016d"; values are cut in turn from 1 MiB of text built from
 * half-compressible 100-byte pieces (db_bench's RandomGenerator, seed 301);
 * random keys come from LevelDB's Park-Miller generator. Every workload
 * counts its ops, the bytes of keys and values it moved, and the entries
 * it returned (gets found, pairs read from an iterator). Engine errors end
 * the program through bench_die().
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

/* ---- LevelDB's Park-Miller generator (util/random.h) ------------------- */

rnd rnd_new(uint32_t s) {
    rnd r = {s & 0x7fffffffu};
    if (r.seed == 0 || r.seed == 2147483647u) r.seed = 1;
    return r;
}

/* seed = seed * 16807 % (2^31 - 1), without a division. */
static uint32_t rnd_next(rnd *r) {
    const uint32_t m = 2147483647u;
    uint64_t product = (uint64_t)r->seed * 16807;
    r->seed = (uint32_t)((product >> 31) + (product & m));
    if (r->seed > m) r->seed -= m;
    return r->seed;
}

/* A value in [0, n). n > 0. */
static uint32_t rnd_uniform(rnd *r, int n) { return rnd_next(r) % (uint32_t)n; }

/* ---- the value text ------------------------------------------------------ */

/* db_bench's RandomGenerator: CompressibleString(rnd, 0.5, 100) pieces, each
 * 50 printable random bytes written twice, until there is 1 MiB. b->text is
 * b's to free. */
void bench_text_init(bench *b) {
    rnd r = rnd_new(301);
    b->text = xmalloc(TEXT_MIN_BYTES + 100);
    b->text_size = 0;
    while (b->text_size < TEXT_MIN_BYTES) {
        char raw[50];
        for (int i = 0; i < 50; i++)
            raw[i] = (char)(' ' + rnd_uniform(&r, 95)); /* ' ' .. '~' */
        for (int i = 0; i < 100; i++) b->text[b->text_size + i] = raw[i % 50];
        b->text_size += 100;
    }
}

/* The next len bytes of text, wrapping to the start (db_bench's Generate). */
static kv_slice text_next(bench *b, size_t len) {
    if (b->text_pos + len > b->text_size) b->text_pos = 0;
    b->text_pos += len;
    return (kv_slice){b->text + b->text_pos - len, len};
}

/* One op done; progress on a terminal, as db_bench's FinishedSingleOp. */
static void finished_op(bench *b) {
    b->done++;
    if (b->done < b->next_report) return;
    long n = b->next_report;
    n += n < 1000     ? 100
         : n < 5000   ? 500
         : n < 10000  ? 1000
         : n < 50000  ? 5000
         : n < 100000 ? 10000
         : n < 500000 ? 50000
                      : 100000;
    b->next_report = n;
    if (isatty(STDERR_FILENO)) {
        fprintf(stderr, "... finished %ld ops%30s\r", b->done, "");
        fflush(stderr);
    }
}

static void set_key(char *key, int k) { snprintf(key, 32, "%016d", k); }

/* ---- writes -------------------------------------------------------------- */

/* n puts; keys 0..n-1 in order (seq), or random in [0, num) as db_bench's
 * DoWrite, whose fillsync also draws from the whole key range. */
static void do_write(bench *b, int seq, int n) {
    char key[32];
    for (int i = 0; i < n; i++) {
        set_key(key, seq ? i : (int)rnd_uniform(&b->rand, b->num));
        kv_slice value = text_next(b, (size_t)b->value_size);
        bench_check(b, "put", kv_put(b->db, kv_str(key), value));
        b->bytes += b->value_size + 16;
        finished_op(b);
    }
}

static void fill_seq(bench *b) { do_write(b, 1, b->num); }
static void fill_random(bench *b) { do_write(b, 0, b->num); }
/* db_bench's fillsync: num / 1000 puts (at least one). */
static void fill_sync(bench *b) {
    do_write(b, 0, b->num / 1000 > 0 ? b->num / 1000 : 1);
}

/* ---- reads --------------------------------------------------------------- */

/* Gets `reads` random keys; missing asks for "%016d." keys, never there.
 * The message says how many were found, "(F of R found)". */
static void do_read(bench *b, int missing) {
    char key[32];
    kv_buf value = {0};
    long found = 0;
    for (int i = 0; i < b->reads; i++) {
        set_key(key, (int)rnd_uniform(&b->rand, b->num));
        if (missing) strcat(key, ".");
        kv_status s = kv_get(b->db, kv_str(key), &value);
        if (kv_is_ok(s))
            found++;
        else if (s.code != KV_NOT_FOUND)
            bench_die(b, "get", s);
        finished_op(b);
    }
    kv_buf_free(&value);
    b->entries = found;
    snprintf(b->message, sizeof b->message, "(%ld of %d found)", found,
             b->reads);
}

static void read_random(bench *b) { do_read(b, 0); }
static void read_missing(bench *b) { do_read(b, 1); }

/* Ends an iterator, exiting 1 on the error it ended with. */
static void iter_done(bench *b, kv_iter *it) {
    kv_status s = kv_iter_status(it);
    kv_iter_free(it);
    bench_check(b, "iterator", s);
}

/* Scans up to `reads` pairs in key order with the stage's iterator. */
static void read_seq(bench *b) {
    kv_iter *it;
    bench_check(b, "iterator", kv_iter_new(b->db, &it));
    kv_iter_seek(it, (kv_slice){"", 0});
    b->entries = 0;
    for (int i = 0; i < b->reads && kv_iter_valid(it); i++) {
        b->bytes += (int64_t)(kv_iter_key(it).size + kv_iter_value(it).size);
        b->entries++;
        finished_op(b);
        kv_iter_next(it);
    }
    iter_done(b, it);
}

/*
 * RocksDB's SeekRandom: one iterator; each op seeks to a random key in
 * [0, num) and reads up to seek_nexts pairs from there (the one sought
 * included), moving on with next. "found" counts seeks that landed on the
 * key itself; entries counts pairs read.
 */
static void seek_random(bench *b) {
    kv_iter *it;
    char key[32];
    long found = 0;
    bench_check(b, "iterator", kv_iter_new(b->db, &it));
    b->entries = 0;
    for (int i = 0; i < b->reads; i++) {
        set_key(key, (int)rnd_uniform(&b->rand, b->num));
        kv_iter_seek(it, kv_str(key));
        if (kv_iter_valid(it) && kv_compare(kv_iter_key(it), kv_str(key)) == 0)
            found++;
        for (int j = 0; j < b->seek_nexts && kv_iter_valid(it); j++) {
            b->bytes +=
                (int64_t)(kv_iter_key(it).size + kv_iter_value(it).size);
            b->entries++;
            kv_iter_next(it);
        }
        finished_op(b);
    }
    iter_done(b, it);
    snprintf(b->message, sizeof b->message, "(%ld of %d found; %d nexts)",
             found, b->reads, b->seek_nexts);
}

/* Reopens the store (one op), as db_bench's OpenBench; bench.c closed it
 * before the clock started. */
static void open_bench(bench *b) {
    bench_reopen(b);
    finished_op(b);
}

/* ---- the table ----------------------------------------------------------- */

static const workload workloads[] = {
    {"fillseq", fill_seq, W_FRESH},
    {"fillrandom", fill_random, W_FRESH},
    {"fillsync", fill_sync, W_FRESH | W_SYNC},
    {"overwrite", fill_random, 0},
    {"readrandom", read_random, 0},
    {"readmissing", read_missing, 0},
    {"readseq", read_seq, W_ITER},
    {"seekrandom", seek_random, W_ITER},
    {"open", open_bench, W_COUNTS_OPEN},
};
#define NWORKLOADS (sizeof workloads / sizeof workloads[0])

const workload *bench_find_workload(const char *name, size_t len) {
    for (size_t i = 0; i < NWORKLOADS; i++)
        if (strlen(workloads[i].name) == len &&
            memcmp(workloads[i].name, name, len) == 0)
            return &workloads[i];
    return NULL;
}

const char *bench_workload_names(void) {
    return "fillseq fillrandom fillsync overwrite readrandom readmissing "
           "readseq seekrandom open";
}
