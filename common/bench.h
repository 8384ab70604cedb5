/*
 * bench.h - what the two files of the benchmark driver share; only they
 * include it.
 *
 *   common/bench.c            the command line, the store, the timing and
 *                             the reports (stdout line and --csv row);
 *   common/bench_workloads.c  LevelDB's key generator, the value text, and
 *                             the workloads themselves.
 *
 * A workload runs on b->db and counts into b: ops done (b->done), bytes of
 * keys and values moved (b->bytes), entries returned (b->entries, -1 when
 * the workload returns none), and an optional message. An engine error ends
 * the program through bench_die() (exit 1), the one way out below main.
 *
 * With --threads=N each thread runs the workload on its own copy of the
 * bench struct (its own generator, counters and histograms; b->db and
 * b->text shared), as db_bench's ThreadState; bench.c merges the copies.
 * Per-op timing (--histogram, --latency_csv) is the time between two
 * finished ops of a thread, as db_bench's FinishedSingleOp, kept in a
 * log-bucketed histogram (no allocation per op).
 */
#ifndef KV_BENCH_H
#define KV_BENCH_H

#include <pthread.h>
#include <stdint.h>

#include "kv.h"

#define TEXT_MIN_BYTES 1048576 /* db_bench's RandomGenerator size */
#define MAX_OPTIONS    32

/* LevelDB's Park-Miller generator (util/random.h). */
typedef struct rnd {
    uint32_t seed;
} rnd;

/* Latencies in nanoseconds, 16 buckets per power of two (6% wide). */
#define HIST_BUCKETS 640
typedef struct hist {
    uint64_t count, sum, min, max;
    uint64_t bucket[HIST_BUCKETS];
} hist;

void hist_clear(hist *h);
void hist_add(hist *h, uint64_t ns);
void hist_merge(hist *to, const hist *from);
/* The p-th percentile (0 < p <= 100) in microseconds; 0 when empty. */
double hist_percentile(const hist *h, double p);

/* What an op is, for the per-second latency rows (--latency_csv). */
enum { K_PUT, K_GET, K_SCAN, K_KINDS };

/* One second of a workload, all threads together (--latency_csv). */
typedef struct second_row {
    hist h[K_KINDS];
    int64_t compactions; /* the stat, sampled in the second; -1: none */
} second_row;

/* What the threads of one workload share. */
typedef struct bench_run {
    pthread_mutex_t mu;   /* guards rows, nrows */
    uint64_t start_ns;    /* the workload's clock, for seconds */
    uint64_t interval_ns; /* a "second": --latency_ms (default 1000) */
    int timeline;         /* --latency_csv given (set before the threads) */
    second_row *rows;     /* NULL unless --latency_csv */
    long nrows, cap;      /* seconds seen; allocated */
    int readers;          /* readwhilewriting: reader threads */
    int readers_done;     /* under mu */
} bench_run;

typedef struct bench {
    /* flags */
    const char *benchmarks, *dir, *csv;
    const char *latency_csv;
    int num, reads, writes, value_size, use_existing_db, seek_nexts;
    int threads, histogram, latency_ms;
    kv_option options[MAX_OPTIONS];
    kv_config cfg;
    /* the store and the value text */
    kv_db *db;
    char *text;
    size_t text_size, text_pos;
    int threads_run; /* seeds: 1000 + this, as db_bench's threads */
    /* the workload running now, in this thread */
    const char *name;
    const struct workload *work;
    bench_run *run;
    int tid, kind, progress; /* kind: K_*; progress: print it */
    rnd rand;
    long done, next_report;
    int64_t bytes;
    int64_t entries; /* entries returned; -1: none (a write workload) */
    char message[100];
    /* timing: NULL hist when not timed */
    hist *hist, *sec_hist; /* all ops; ops of second cur_sec */
    uint64_t last_ns, start_ns, finish_ns;
    long cur_sec;
} bench;

/* What a workload needs from the driver before it runs. */
enum {
    W_FRESH = 1,       /* starts from an empty store */
    W_COUNTS_OPEN = 2, /* closed first, untimed; I/O counts are the open's */
    W_ITER = 4,        /* needs an iterator (else "not supported") */
    W_SYNC = 8,        /* runs on a store opened with sync=always */
    W_WRITER = 16,     /* thread 0 writes until the others are done */
};

typedef struct workload {
    const char *name;
    void (*run)(bench *b);
    int needs; /* W_* flags */
} workload;

/* The workload called name[0..len), or NULL. */
const workload *bench_find_workload(const char *name, size_t len);
/* The names of all workloads, space-separated (for messages). */
const char *bench_workload_names(void);

/* A generator seeded as LevelDB's Random(s). */
rnd rnd_new(uint32_t s);
/* Builds b->text, db_bench's 1 MiB of half-compressible value text. */
void bench_text_init(bench *b);

/* The monotonic clock in nanoseconds. */
uint64_t bench_now_ns(void);
/* Ends b's current second of --latency_csv rows (at a second's turn and
 * at the end of the workload). */
void bench_second_done(bench *b);

/* Defined in bench.c: print an engine error for b's op and exit 1. */
void bench_die(const bench *b, const char *what, kv_status s);
void bench_check(const bench *b, const char *what, kv_status s);
/* Closes and reopens b->db with b's options (for `open`); exits 1 on error.
 */
void bench_reopen(bench *b);

#endif
