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
 */
#ifndef KV_BENCH_H
#define KV_BENCH_H

#include <stdint.h>

#include "kv.h"

#define TEXT_MIN_BYTES 1048576 /* db_bench's RandomGenerator size */
#define MAX_OPTIONS    32

/* LevelDB's Park-Miller generator (util/random.h). */
typedef struct rnd {
    uint32_t seed;
} rnd;

typedef struct bench {
    /* flags */
    const char *benchmarks, *dir, *csv;
    int num, reads, value_size, use_existing_db, seek_nexts;
    kv_option options[MAX_OPTIONS];
    kv_config cfg;
    /* the store and the value text */
    kv_db *db;
    char *text;
    size_t text_size, text_pos;
    int workloads_run; /* seeds: 1000 + this, as db_bench's threads */
    /* the workload running now */
    const char *name;
    rnd rand;
    long done, next_report;
    int64_t bytes;
    int64_t entries; /* entries returned; -1: none (a write workload) */
    char message[100];
} bench;

/* What a workload needs from the driver before it runs. */
enum {
    W_FRESH = 1,       /* starts from an empty store */
    W_COUNTS_OPEN = 2, /* closed first, untimed; I/O counts are the open's */
    W_ITER = 4,        /* needs an iterator (else "not supported") */
    W_SYNC = 8,        /* runs on a store opened with sync=always */
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

/* Defined in bench.c: print an engine error for b's op and exit 1. */
void bench_die(const bench *b, const char *what, kv_status s);
void bench_check(const bench *b, const char *what, kv_status s);
/* Closes and reopens b->db with b's options (for `open`); exits 1 on error.
 */
void bench_reopen(bench *b);

#endif
