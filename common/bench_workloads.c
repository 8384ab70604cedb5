/*
 * bench_workloads.c - the workloads of the benchmark driver (bench.c runs
 * them), after LevelDB's db_bench and, for seekrandom, RocksDB's:
 *
 *   fillseq      num puts, keys 0, 1, 2, ... in order, into an empty store
 *   fillrandom   num puts, random keys in [0, num), into an empty store
 *                (both, and overwrite: --writes puts if given, RocksDB's
 *                flag, so a long fill can be sampled in steps)
 *   fillsync     num/1000 random puts, each synced (the store is opened
 *                with the extra option sync=always, since the contract has
 *                no per-write sync flag), into an empty store
 *   overwrite    num random puts (keys in [0, num)) into the store as it is
 *   readrandom   `reads` gets of random keys in [0, num)
 *   readmissing  `reads` gets of "%016d." keys, never written
 *   readseq      a scan of up to `reads` pairs from the first key
 *   seekrandom   `reads` seeks to random keys in [0, num), each followed by
 *                up to --seek_nexts=N reads with next (RocksDB's flag)
 *   open         reopen the store (one op; bench.c closes it untimed)
 *   readwhilewriting  each reader thread does `reads` random gets while
 *                one more thread (thread 0) puts random keys until the
 *                readers are done; the report is the readers' (db_bench's)
 *
 * With --threads=N every thread runs the whole workload (num puts or
 * `reads` gets each), with its own generator, as db_bench does.
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
#include <time.h>
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

/* ---- per-op timing ------------------------------------------------------ */

uint64_t bench_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void hist_clear(hist *h) {
    memset(h, 0, sizeof *h);
    h->min = UINT64_MAX;
}

/* Bucket i < 16 holds i ns; above, 16 buckets per power of two. */
static int bucket_of(uint64_t ns) {
    if (ns < 16) return (int)ns;
    int e = 63 - __builtin_clzll(ns); /* 4 and up */
    int i = (e - 3) * 16 + (int)((ns >> (e - 4)) & 15);
    return i < HIST_BUCKETS ? i : HIST_BUCKETS - 1;
}

/* The first value of bucket i (the next bucket's is its end). */
static double bucket_low(int i) {
    if (i < 16) return i;
    int e = i / 16 + 3;
    return (double)((uint64_t)(16 + i % 16) << (e - 4));
}

void hist_add(hist *h, uint64_t ns) {
    h->bucket[bucket_of(ns)]++;
    h->count++;
    h->sum += ns;
    if (ns < h->min) h->min = ns;
    if (ns > h->max) h->max = ns;
}

void hist_merge(hist *to, const hist *from) {
    for (int i = 0; i < HIST_BUCKETS; i++) to->bucket[i] += from->bucket[i];
    to->count += from->count;
    to->sum += from->sum;
    if (from->min < to->min) to->min = from->min;
    if (from->max > to->max) to->max = from->max;
}

/* As LevelDB's Histogram::Percentile: linear within the bucket. */
double hist_percentile(const hist *h, double p) {
    if (h->count == 0) return 0;
    double threshold = h->count * (p / 100.0), sum = 0;
    for (int i = 0; i < HIST_BUCKETS; i++) {
        sum += h->bucket[i];
        if (sum < threshold) continue;
        double lo = bucket_low(i), hi = bucket_low(i + 1);
        double pos = h->bucket[i] == 0
                         ? 0
                         : (threshold - (sum - h->bucket[i])) / h->bucket[i];
        double r = lo + (hi - lo) * pos;
        if (r < h->min) r = h->min;
        if (r > h->max) r = h->max;
        return r / 1000.0;
    }
    return h->max / 1000.0;
}

/* The store's stat called name, or -1 if it has none. */
static int64_t stat_of(kv_db *db, const char *name) {
    kv_stat st[KV_STATS_MAX];
    size_t n = kv_stats(db, st, KV_STATS_MAX);
    for (size_t i = 0; i < n; i++)
        if (strcmp(st[i].name, name) == 0) return (int64_t)st[i].value;
    return -1;
}

/* Merges b's ops of second b->cur_sec into the shared rows, with the
 * compactions stat as this thread sees it now (the highest seen wins). */
void bench_second_done(bench *b) {
    bench_run *r = b->run;
    if (!r->timeline || b->cur_sec < 0) return;
    int64_t compactions = stat_of(b->db, "compactions");
    pthread_mutex_lock(&r->mu);
    if (b->cur_sec >= r->cap) {
        long cap = r->cap * 2 > b->cur_sec + 1 ? r->cap * 2 : b->cur_sec + 1;
        r->rows = xrealloc(r->rows, (size_t)cap * sizeof *r->rows);
        for (long i = r->cap; i < cap; i++) {
            for (int k = 0; k < K_KINDS; k++) hist_clear(&r->rows[i].h[k]);
            r->rows[i].compactions = -1;
        }
        r->cap = cap;
    }
    second_row *row = &r->rows[b->cur_sec];
    hist_merge(&row->h[b->kind], b->sec_hist);
    if (compactions > row->compactions) row->compactions = compactions;
    if (b->cur_sec + 1 > r->nrows) r->nrows = b->cur_sec + 1;
    pthread_mutex_unlock(&r->mu);
    hist_clear(b->sec_hist);
}

/* Times the op that just finished (since the thread's previous one). */
static void time_op(bench *b) {
    uint64_t now = bench_now_ns(), ns = now - b->last_ns;
    b->last_ns = now;
    hist_add(b->hist, ns);
    if (!b->run->timeline) return;
    long sec = (long)((now - b->run->start_ns) / b->run->interval_ns);
    if (sec != b->cur_sec) {
        bench_second_done(b);
        b->cur_sec = sec;
    }
    hist_add(b->sec_hist, ns);
}

/* One op done; progress on a terminal, as db_bench's FinishedSingleOp. */
static void finished_op(bench *b) {
    b->done++;
    if (b->hist != NULL) time_op(b);
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
    if (b->progress && isatty(STDERR_FILENO)) {
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
    b->kind = K_PUT;
    for (int i = 0; i < n; i++) {
        set_key(key, seq ? i : (int)rnd_uniform(&b->rand, b->num));
        kv_slice value = text_next(b, (size_t)b->value_size);
        bench_check(b, "put", kv_put(b->db, kv_str(key), value));
        b->bytes += b->value_size + 16;
        finished_op(b);
    }
}

static void fill_seq(bench *b) { do_write(b, 1, b->writes); }
static void fill_random(bench *b) { do_write(b, 0, b->writes); }
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
    b->kind = K_GET;
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
    b->kind = K_SCAN;
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
    b->kind = K_SCAN;
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

/*
 * db_bench's ReadWhileWriting: threads 1..N do readrandom; thread 0 puts
 * random keys in [0, num) until they are done. bench.c leaves thread 0 out
 * of the report (as db_bench restarts its stats) but keeps its puts in
 * --latency_csv, and says how many there were.
 */
static void read_while_writing(bench *b) {
    bench_run *r = b->run;
    if (b->tid > 0) {
        do_read(b, 0);
        pthread_mutex_lock(&r->mu);
        r->readers_done++;
        pthread_mutex_unlock(&r->mu);
        return;
    }
    for (;;) {
        pthread_mutex_lock(&r->mu);
        int done = r->readers_done >= r->readers;
        pthread_mutex_unlock(&r->mu);
        if (done) break;
        do_write(b, 0, 1);
    }
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
    {"readwhilewriting", read_while_writing, W_WRITER},
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
           "readseq seekrandom open readwhilewriting";
}
