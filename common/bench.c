/*
 * bench.c - the benchmark driver, linked against each stage as
 * build/<stage>/bench: the command line, the store, timing and reports.
 * The workloads themselves are in bench_workloads.c (bench.h between).
 *
 * It follows LevelDB's db_bench so numbers can be read side by side:
 *
 *   - keys are "%016d" (16 bytes); readmissing asks for "%016d." (17 bytes),
 *     a key no workload ever writes;
 *   - values are cut in turn from 1 MiB of text built once from
 *     half-compressible 100-byte pieces (db_bench's RandomGenerator with
 *     compression ratio 0.5, seeded with 301);
 *   - random keys come from LevelDB's Park-Miller generator; the Nth thread
 *     started (counting every workload's threads, one per workload without
 *     --threads) gets seed 1000 + N, as db_bench's ThreadState, so every
 *     engine sees the same key sequence;
 *   - --threads=N: N threads each run the whole workload (num puts, `reads`
 *     gets); readwhilewriting adds a writer thread (thread 0, seeded first)
 *     left out of the report. As db_bench's Stats::Merge, micros/op is the
 *     threads' summed time over their summed ops, and rates (MB/s, ops/s
 *     in the CSV) are over the wall time from the first start to the last
 *     finish. A store with kv_thread_safe == 0 refuses --threads > 1 (exit
 *     2) and says "not supported" for readwhilewriting;
 *   - --histogram=1 times every op (the time since the thread's previous op
 *     finished, as db_bench) and prints the percentiles under the line;
 *   - fillseq, fillrandom and fillsync start from an empty store (the files
 *     in --db are removed first, unless --use_existing_db=1 skips them); the
 *     other workloads use what is there;
 *   - one line per workload on stdout:
 *         readrandom   :       1.234 micros/op; (987 of 1000 found)
 *
 * fillsync reopens the store with the extra option sync=always (our
 * contract has no per-write sync flag) and afterwards reopens it with the
 * options given; a stage that refuses the option (KV_INVALID_ARGUMENT)
 * prints "not supported". So do stages without an iterator for readseq and
 * seekrandom. Our own workload `open` closes and reopens the store, timing
 * both, and reports what the open read (one op).
 *
 * --csv FILE appends one row per workload (the columns are in CSV_HEADER;
 * new columns only ever go at the end). The I/O columns are the workload's
 * own: kv_stats counts since open, so the driver takes a snapshot before
 * and after (for `open`, the counts of the fresh open itself). index_bytes
 * is the stage's stat of that name at the end (empty if it has none);
 * disk_bytes sums the sizes of the files in --db; entries is the number of
 * entries the workload returned (gets found, pairs read by an iterator;
 * empty for writes); tables is the stage's stat of that name at the end;
 * threads is --threads; compactions and write_amp_x100 are the stage's
 * stats "compactions" and "write_amplification_x100" at the end (empty if
 * it has none); p50_us and p99_us are the op latencies (empty without
 * --histogram=1); max_rss_kb is the process's peak resident memory in KiB
 * (taken after the workload: Linux's VmHWM, else getrusage's ru_maxrss;
 * see max_rss_kb below): the peak so far, so a workload's figure includes
 * the workloads before it in the same run (to see one workload's peak
 * alone, run it alone). The same figure for the whole run is the last
 * line on stdout. stalls, stall_micros and slowdowns are what the stage's
 * stats of those names gained during the workload (writes that waited,
 * and for how long; writes that slept for a full L0), tables_l0 the
 * stage's L0 at the end (each empty if the stage has no such stat).
 *
 * --latency_csv FILE appends, per workload, one row per second since it
 * started and per kind of op it did (LATENCY_HEADER): the ops that finished
 * in that second, their p50 and p99 in microseconds (empty when none did:
 * a stall), the store's "compactions" stat as seen by then (empty if
 * the store has no such stat), and the slowest op of the second.
 * --latency_ms=N makes the rows N ms apart instead (second is then the
 * interval's start in seconds, 0.1, 0.2, ...: for stalls shorter than a
 * second).
 * Readwhilewriting's writer is in these rows.
 *
 * Exit status: 0 done, 1 an engine error (printed with the workload and the
 * op number), 2 a bad command line.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

static const char *const io_names[6] = {
    "reads", "bytes_read", "writes", "bytes_written", "syncs", "files_opened"};

#define CSV_HEADER                                                             \
    "stage,benchmark,num,value_size,ops,micros_per_op,ops_per_sec,"            \
    "mb_per_sec,reads,bytes_read,writes,bytes_written,syncs,files_opened,"     \
    "index_bytes,disk_bytes,entries,tables,threads,compactions,"               \
    "write_amp_x100,p50_us,p99_us,max_rss_kb,stalls,stall_micros,"             \
    "slowdowns,tables_l0\n"
#define LATENCY_HEADER                                                         \
    "stage,benchmark,threads,second,ops,p50_us,p99_us,kind,compactions,"       \
    "max_us\n"

/* ---- the driver's state -------------------------------------------------- */

typedef struct counts {
    uint64_t io[6]; /* in the order of io_names */
    /* the stage's own stats of these names: -1 if it has none */
    int64_t index_bytes, tables, compactions, write_amp;
    int64_t stalls, stall_micros, slowdowns, tables_l0;
} counts;

/* Prints an engine error and exits 1: the CLI is the one place that exits. */
void bench_die(const bench *b, const char *what, kv_status s) {
    if (b->name != NULL)
        fprintf(stderr, "%s: op %ld: ", b->name, b->done + 1);
    else
        fprintf(stderr, "bench: ");
    fprintf(stderr, "%s: %s: %s\n", what, kv_code_name(s.code), s.msg);
    exit(1);
}

void bench_check(const bench *b, const char *what, kv_status s) {
    if (!kv_is_ok(s)) bench_die(b, what, s);
}

/* ---- the store's counters and files -------------------------------------- */

/*
 * The process's peak resident memory so far, in KiB; -1 if unknown. Linux's
 * VmHWM (/proc/self/status) where there is one: getrusage's ru_maxrss is
 * the same figure elsewhere, but on Linux it also carries the peak of the
 * process that started the driver (the peak survives fork and exec), so a
 * driver run from a 200 MB python would report 200 MB.
 */
static int64_t max_rss_kb(void) {
    FILE *f = fopen("/proc/self/status", "r");
    if (f != NULL) {
        char line[256];
        long long kb = -1;
        while (fgets(line, sizeof line, f) != NULL)
            if (sscanf(line, "VmHWM: %lld kB", &kb) == 1) break;
        fclose(f);
        if (kb >= 0) return kb;
    }
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) return -1;
    return (int64_t)ru.ru_maxrss;
}

static counts counts_now(kv_db *db) {
    kv_stat st[KV_STATS_MAX];
    size_t n = kv_stats(db, st, KV_STATS_MAX);
    counts c;
    memset(&c, 0, sizeof c);
    c.index_bytes = c.tables = c.compactions = c.write_amp = -1;
    c.stalls = c.stall_micros = c.slowdowns = c.tables_l0 = -1;
    for (size_t i = 0; i < n; i++) {
        for (int j = 0; j < 6; j++)
            if (strcmp(st[i].name, io_names[j]) == 0) c.io[j] = st[i].value;
        int64_t v = (int64_t)st[i].value;
        if (strcmp(st[i].name, "index_bytes") == 0) c.index_bytes = v;
        if (strcmp(st[i].name, "tables") == 0) c.tables = v;
        if (strcmp(st[i].name, "compactions") == 0) c.compactions = v;
        if (strcmp(st[i].name, "write_amplification_x100") == 0)
            c.write_amp = v;
        if (strcmp(st[i].name, "stalls") == 0) c.stalls = v;
        if (strcmp(st[i].name, "stall_micros") == 0) c.stall_micros = v;
        if (strcmp(st[i].name, "slowdowns") == 0) c.slowdowns = v;
        if (strcmp(st[i].name, "tables_l0") == 0) c.tables_l0 = v;
    }
    return c;
}

/* The total size of the files in dir (0 if it cannot be listed). */
static uint64_t disk_bytes(const char *dir) {
    DIR *d = opendir(dir);
    if (d == NULL) return 0;
    uint64_t total = 0;
    struct dirent *e;
    char path[4096];
    while ((e = readdir(d)) != NULL) {
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
            total += (uint64_t)st.st_size;
    }
    closedir(d);
    return total;
}

/*
 * Removes the files of the store in dir, as db_bench's DestroyDB. For
 * safety a directory that holds files but no STORE (so is not a store) is
 * left alone: the driver stops with exit 1 instead.
 */
static void destroy_db(const char *dir) {
    char path[4096];
    snprintf(path, sizeof path, "%s/STORE", dir);
    DIR *d = opendir(dir);
    if (d == NULL) return; /* nothing there yet */
    int is_store = access(path, F_OK) == 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (!is_store) {
            fprintf(stderr,
                    "bench: %s holds files but no STORE: not a kv "
                    "store, so not removing them\n",
                    dir);
            exit(1);
        }
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (unlink(path) != 0) {
            fprintf(stderr, "bench: cannot remove %s: %s\n", path,
                    strerror(errno));
            exit(1);
        }
    }
    closedir(d);
}

/* Opens (creating) the store in b->dir into b->db, or exits 1. */
static void open_db(bench *b) {
    bench_check(b, "open", kv_open(b->dir, &b->cfg, &b->db));
}

/* Closes b->db (always freed), or exits 1 on the error close reports. */
static void close_db(bench *b) {
    kv_status s = kv_close(b->db);
    b->db = NULL;
    bench_check(b, "close", s);
}

void bench_reopen(bench *b) {
    if (b->db != NULL) close_db(b);
    open_db(b);
}

/*
 * Opens the store into b->db with b's options plus sync=always (replacing
 * any sync given with -o). A stage without a sync option refuses it with
 * KV_INVALID_ARGUMENT, leaving b->db NULL.
 */
static kv_status open_synced(bench *b) {
    kv_option opts[MAX_OPTIONS + 1];
    kv_config cfg = {b->cfg.env, opts, 0};
    for (size_t i = 0; i < b->cfg.count; i++)
        if (strcmp(b->options[i].name, "sync") != 0)
            opts[cfg.count++] = b->options[i];
    opts[cfg.count++] = (kv_option){"sync", "always"};
    return kv_open(b->dir, &cfg, &b->db);
}

/*
 * Readies the store for w: empties it for a fresh workload, opens it with
 * sync=always for a synced one, checks for an iterator. Returns 0 after
 * printing "not supported" when the stage cannot run w (b->db stays open,
 * the store untouched: the sync option is tried before anything is removed).
 */
static int prepare(bench *b, const workload *w) {
    int synced = (w->needs & W_SYNC) != 0;
    if (w->needs & W_FRESH) {
        close_db(b);
        kv_status s = synced ? open_synced(b) : kv_ok();
        if (s.code == KV_INVALID_ARGUMENT) {
            printf("%-12s : not supported by %s (no sync option)\n", w->name,
                   kv_stage_name);
            open_db(b);
            return 0;
        }
        bench_check(b, "open (sync=always)", s);
        if (synced) close_db(b);
        destroy_db(b->dir);
        if (synced)
            bench_check(b, "open (sync=always)", open_synced(b));
        else
            open_db(b);
    }
    if (w->needs & W_COUNTS_OPEN) close_db(b); /* not timed: it may flush */
    if (w->needs & W_ITER) {
        kv_iter *probe;
        kv_status s = kv_iter_new(b->db, &probe);
        if (s.code == KV_NOT_SUPPORTED) {
            printf("%-12s : not supported by %s\n", w->name, kv_stage_name);
            return 0;
        }
        bench_check(b, "iterator", s);
        kv_iter_free(probe);
    }
    return 1;
}

/* ---- running the threads ------------------------------------------------ */

/* What the threads of one workload add up to (db_bench's Stats::Merge). */
typedef struct result {
    long done;
    int64_t bytes, entries;
    double thread_seconds; /* summed over the threads: micros/op */
    double elapsed;        /* first start to last finish: rates */
    const char *message;
    hist *hist; /* merged; NULL unless timed */
} result;

static void *thread_body(void *arg) {
    bench *t = arg;
    t->start_ns = t->last_ns = bench_now_ns();
    t->work->run(t);
    t->finish_ns = bench_now_ns();
    if (t->hist != NULL) bench_second_done(t);
    return NULL;
}

/* Readies thread i of n: a copy of b with its own seed and counters. */
static void thread_init(bench *t, const bench *b, int i, int n, int timed) {
    *t = *b;
    t->tid = i;
    t->rand = rnd_new(1000 + (uint32_t)(b->threads_run - n + i + 1));
    t->progress = i == ((b->work->needs & W_WRITER) ? 1 : 0);
    t->hist = t->sec_hist = NULL;
    t->cur_sec = 0;
    if (timed) {
        t->hist = xmalloc(2 * sizeof(hist));
        t->sec_hist = t->hist + 1;
        hist_clear(t->hist);
        hist_clear(t->sec_hist);
    }
}

/* Adds thread t into res, unless it is readwhilewriting's writer. */
static void merge(result *res, bench *t, uint64_t *start, uint64_t *finish) {
    if (t->tid == 0 && (t->work->needs & W_WRITER)) {
        snprintf(t->message, sizeof t->message, "(%ld puts meanwhile)",
                 t->done);
        return;
    }
    res->done += t->done;
    res->bytes += t->bytes;
    if (t->entries >= 0)
        res->entries = (res->entries < 0 ? 0 : res->entries) + t->entries;
    res->thread_seconds += (t->finish_ns - t->start_ns) * 1e-9;
    if (t->start_ns < *start) *start = t->start_ns;
    if (t->finish_ns > *finish) *finish = t->finish_ns;
    if (t->hist != NULL) hist_merge(res->hist, t->hist);
}

/* Runs b->work in n threads (n == 1: in this one) and merges them. */
static result run_threads(bench *b, int n, bench *ts) {
    int timed = b->histogram || b->latency_csv != NULL;
    result res = {0, 0, -1, 0, 0, "", NULL};
    if (timed) {
        res.hist = xmalloc(sizeof(hist));
        hist_clear(res.hist);
    }
    b->run->start_ns = bench_now_ns();
    pthread_t *ids = xmalloc((size_t)n * sizeof *ids);
    for (int i = 0; i < n; i++) thread_init(&ts[i], b, i, n, timed);
    if (n == 1) {
        thread_body(&ts[0]);
    } else {
        for (int i = 0; i < n; i++)
            if (pthread_create(&ids[i], NULL, thread_body, &ts[i]) != 0) {
                fprintf(stderr, "bench: cannot start thread %d\n", i);
                exit(1);
            }
        for (int i = 0; i < n; i++) pthread_join(ids[i], NULL);
    }
    free(ids);
    uint64_t start = UINT64_MAX, finish = 0;
    for (int i = 0; i < n; i++) merge(&res, &ts[i], &start, &finish);
    if (n == 1) b->db = ts[0].db; /* `open` reopened it */
    res.elapsed = (finish - start) * 1e-9;
    for (int i = 0; i < n && !res.message[0]; i++)
        if (!(ts[i].tid == 0 && (b->work->needs & W_WRITER)))
            res.message = ts[i].message;
    return res;
}

/* ---- reporting ----------------------------------------------------------- */

/* The db_bench line: "%-12s : %11.3f micros/op;" [MB/s] [message]; with
 * --histogram, the latencies under it. */
static void report(const bench *b, const result *r, const char *extra) {
    long ops = r->done < 1 ? 1 : r->done;
    char rate[32] = "";
    if (r->bytes > 0)
        snprintf(rate, sizeof rate, " %6.1f MB/s",
                 (r->bytes / 1048576.0) / r->elapsed);
    printf("%-12s : %11.3f micros/op;%s%s%s%s%s\n", b->name,
           r->thread_seconds * 1e6 / ops, rate, r->message[0] ? " " : "",
           r->message, extra[0] ? " " : "", extra);
    if (b->histogram && r->hist != NULL && r->hist->count > 0) {
        const hist *h = r->hist;
        printf("Microseconds per op:\n"
               "Count: %llu  Average: %.4f\n"
               "Min: %.4f  Median: %.4f  Max: %.4f\n"
               "Percentiles: P50: %.2f P99: %.2f P99.9: %.2f Max: %.2f\n"
               "------------------------------------------------------\n",
               (unsigned long long)h->count, h->sum / 1e3 / h->count,
               h->min / 1e3, hist_percentile(h, 50), h->max / 1e3,
               hist_percentile(h, 50), hist_percentile(h, 99),
               hist_percentile(h, 99.9), h->max / 1e3);
    }
    fflush(stdout);
}

/* fopen(path, "a"), with header written if the file is new; exits 1. */
static FILE *open_csv(const char *path, const char *header) {
    FILE *f = fopen(path, "a");
    if (f == NULL) {
        fprintf(stderr, "bench: %s: %s\n", path, strerror(errno));
        exit(1);
    }
    fseek(f, 0, SEEK_END);
    if (ftell(f) == 0) fputs(header, f);
    return f;
}

static void close_csv(FILE *f, const char *path) {
    if (fclose(f) != 0) {
        fprintf(stderr, "bench: %s: %s\n", path, strerror(errno));
        exit(1);
    }
}

/* ",value", or "," when the stat is missing (-1). */
static void optional(FILE *f, int64_t v) {
    if (v >= 0)
        fprintf(f, ",%lld", (long long)v);
    else
        fputc(',', f);
}

/* What a counter of the stage's gained over the workload (-1: none). */
static int64_t gained(int64_t before, int64_t after) {
    return before >= 0 && after >= 0 ? after - before : -1;
}

/* Appends the workload's row to --csv. */
static void csv_row(const bench *b, const result *r, counts before,
                    counts after) {
    FILE *f = open_csv(b->csv, CSV_HEADER);
    long ops = r->done < 1 ? 1 : r->done;
    fprintf(f, "%s,%s,%d,%d,%ld,%.3f,%.1f,", kv_stage_name, b->name, b->num,
            b->value_size, ops, r->thread_seconds * 1e6 / ops,
            ops / r->elapsed);
    if (r->bytes > 0) fprintf(f, "%.1f", (r->bytes / 1048576.0) / r->elapsed);
    for (int j = 0; j < 6; j++)
        fprintf(f, ",%llu", (unsigned long long)(after.io[j] - before.io[j]));
    optional(f, after.index_bytes);
    fprintf(f, ",%llu,", (unsigned long long)disk_bytes(b->dir));
    if (r->entries >= 0) fprintf(f, "%lld", (long long)r->entries);
    optional(f, after.tables);
    fprintf(f, ",%d", b->threads);
    optional(f, after.compactions);
    optional(f, after.write_amp);
    fputc(',', f);
    if (b->histogram && r->hist != NULL && r->hist->count > 0)
        fprintf(f, "%.3f,%.3f", hist_percentile(r->hist, 50),
                hist_percentile(r->hist, 99));
    else
        fputc(',', f);
    optional(f, max_rss_kb());
    optional(f, gained(before.stalls, after.stalls));
    optional(f, gained(before.stall_micros, after.stall_micros));
    optional(f, gained(before.slowdowns, after.slowdowns));
    optional(f, after.tables_l0);
    fputc('\n', f);
    close_csv(f, b->csv);
}

/* Appends the workload's seconds to --latency_csv: per second and kind of
 * op done in the workload, the ops finished in it and their latencies;
 * compactions is the stat as last seen by then (empty: the store has none).
 */
static void latency_rows(const bench *b) {
    bench_run *r = b->run;
    int used[K_KINDS] = {0};
    static const char *const kinds[K_KINDS] = {"put", "get", "scan"};
    for (long s = 0; s < r->nrows; s++)
        for (int k = 0; k < K_KINDS; k++) used[k] |= r->rows[s].h[k].count > 0;
    FILE *f = open_csv(b->latency_csv, LATENCY_HEADER);
    int64_t compactions = -1;
    for (long s = 0; s < r->nrows; s++) {
        second_row *row = &r->rows[s];
        if (row->compactions >= 0) compactions = row->compactions;
        for (int k = 0; k < K_KINDS; k++) {
            if (!used[k]) continue;
            fprintf(f, "%s,%s,%d,%g,%llu,", kv_stage_name, b->name, b->threads,
                    s * (b->latency_ms / 1000.0),
                    (unsigned long long)row->h[k].count);
            if (row->h[k].count > 0)
                fprintf(f, "%.3f,%.3f", hist_percentile(&row->h[k], 50),
                        hist_percentile(&row->h[k], 99));
            else
                fputc(',', f);
            fprintf(f, ",%s,", kinds[k]);
            if (compactions >= 0) fprintf(f, "%lld", (long long)compactions);
            fputc(',', f);
            if (row->h[k].count > 0) fprintf(f, "%.3f", row->h[k].max / 1000.0);
            fputc('\n', f);
        }
    }
    close_csv(f, b->latency_csv);
}

/* The threads workload w runs in: --threads (plus readwhilewriting's
 * writer); `open` runs in one. */
static int threads_for(const bench *b, const workload *w) {
    if (w->needs & W_COUNTS_OPEN) return 1;
    return b->threads + ((w->needs & W_WRITER) ? 1 : 0);
}

/* Runs one workload: readies the store, then times and reports it. */
static void run_workload(bench *b, const workload *w) {
    b->name = w->name;
    b->work = w;
    if ((w->needs & W_FRESH) && b->use_existing_db) {
        printf("%-12s : skipped (--use_existing_db is true)\n", w->name);
        return;
    }
    int n = threads_for(b, w);
    /* Counted even when not supported, so later seeds match across stages.
     */
    b->threads_run += n;
    if (n > 1 && !kv_thread_safe) {
        printf("%-12s : not supported by %s (not thread-safe; %d threads)\n",
               w->name, kv_stage_name, n);
        return;
    }
    if (!prepare(b, w)) return;
    b->text_pos = 0; /* each workload has a new RandomGenerator */
    b->done = 0;
    b->next_report = 100;
    b->bytes = 0;
    b->entries = -1;
    b->message[0] = '\0';

    bench_run run = {PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, NULL, 0, 0, 0, 0};
    run.interval_ns = (uint64_t)b->latency_ms * 1000000u;
    run.timeline = b->latency_csv != NULL; /* rows grow as seconds pass */
    run.readers = n - 1;
    b->run = &run;
    bench *ts = xmalloc((size_t)n * sizeof *ts);

    counts before = {0};
    if (b->db != NULL) before = counts_now(b->db);
    result res = run_threads(b, n, ts);
    counts after = counts_now(b->db);
    char extra[160] = "";
    if (w->needs & W_COUNTS_OPEN) {
        memset(&before, 0, sizeof before);
        snprintf(extra, sizeof extra, "(%llu bytes read)",
                 (unsigned long long)after.io[1]);
        res.message = "";
    }
    if (w->needs & W_WRITER) snprintf(extra, sizeof extra, "%s", ts[0].message);
    if (res.entries >= 0 && res.done > 0 && (w->needs & W_ITER))
        snprintf(extra, sizeof extra, "%.0f entries/s",
                 res.entries / res.elapsed);
    if (isatty(STDERR_FILENO)) fprintf(stderr, "%50s\r", "");
    report(b, &res, extra);
    if (b->csv != NULL) csv_row(b, &res, before, after);
    if (b->latency_csv != NULL) latency_rows(b);
    for (int i = 0; i < n; i++) free(ts[i].hist);
    free(ts);
    free(res.hist);
    free(run.rows);
    b->run = NULL;
    if (w->needs & W_SYNC) bench_reopen(b); /* back to the options given */
}

/* ---- the command line ---------------------------------------------------- */

static void usage(FILE *out) {
    fprintf(
        out,
        "usage: bench [FLAGS]   (the benchmark driver of %s)\n"
        "  --benchmarks=LIST   comma-separated, run in order (default\n"
        "                      fillseq,fillrandom,overwrite,readrandom,"
        "readmissing,readseq);\n"
        "                      also: fillsync (num/1000 synced puts),\n"
        "                      seekrandom (seek, then --seek_nexts nexts),\n"
        "                      open (reopen the store; the close untimed),\n"
        "                      readwhilewriting (--threads readers doing\n"
        "                      readrandom, one writer putting until they end)\n"
        "  --num=N             entries to write (default 1000000)\n"
        "  --reads=N           gets or scanned entries (default -1: num)\n"
        "  --writes=N          puts of fillseq, fillrandom, overwrite, keys\n"
        "                      still in [0, num) (default -1: num)\n"
        "  --value_size=N      bytes per value (default 100)\n"
        "  --seek_nexts=N      seekrandom: entries read after each seek\n"
        "                      (default 0, as RocksDB)\n"
        "  --db=DIR            the store (default $TMPDIR or /tmp, "
        "/kvbench-%s)\n"
        "  --use_existing_db=0|1  keep the store; skip the fill* workloads\n"
        "  --csv=FILE          append one row per workload to FILE\n"
        "  -o NAME=VALUE       an engine option (repeatable)\n"
        "  --threads=N         N threads each run the whole workload, seeds\n"
        "                      as db_bench's (N > 1: thread-safe stores only;\n"
        "                      readwhilewriting adds one writer thread)\n"
        "  --histogram=0|1     per-op latency percentiles under each line\n"
        "                      and in --csv (p50_us, p99_us)\n"
        "  --latency_csv=FILE  append one row per second of each workload\n"
        "                      and kind of op (put, get, scan): ops, p50_us,\n"
        "                      p99_us, and the store's compactions stat\n"
        "  --latency_ms=N      the rows' interval (default 1000: seconds)\n"
        "  --help              this text\n",
        kv_stage_name, kv_stage_name);
}

static void bad_flag(const char *msg, const char *arg) {
    fprintf(stderr, "bench: %s: '%s' (see --help)\n", msg, arg);
    exit(2);
}

/* Parses the number after "--flag=" in arg, within [min, max], or exits 2. */
static int parse_int(const char *arg, const char *value, long min, long max) {
    char *end;
    errno = 0;
    long n = strtol(value, &end, 10);
    if (*value == '\0' || *end != '\0' || errno != 0 || n < min || n > max)
        bad_flag("bad number", arg);
    return (int)n;
}

/* The value of arg if it is "--flag=VALUE", else NULL. */
static const char *flag_value(const char *arg, const char *flag) {
    size_t n = strlen(flag);
    if (strncmp(arg, flag, n) == 0 && arg[n] == '=') return arg + n + 1;
    return NULL;
}

static void parse_args(bench *b, int argc, char **argv) {
    const char *v;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            exit(0);
        } else if ((v = flag_value(a, "--benchmarks")) != NULL) {
            b->benchmarks = v;
        } else if ((v = flag_value(a, "--num")) != NULL) {
            b->num = parse_int(a, v, 1, INT32_MAX);
        } else if ((v = flag_value(a, "--reads")) != NULL) {
            b->reads = parse_int(a, v, -1, INT32_MAX);
        } else if ((v = flag_value(a, "--writes")) != NULL) {
            b->writes = parse_int(a, v, -1, INT32_MAX);
        } else if ((v = flag_value(a, "--value_size")) != NULL) {
            b->value_size = parse_int(a, v, 0, TEXT_MIN_BYTES - 1);
        } else if ((v = flag_value(a, "--seek_nexts")) != NULL) {
            b->seek_nexts = parse_int(a, v, 0, INT32_MAX);
        } else if ((v = flag_value(a, "--use_existing_db")) != NULL) {
            b->use_existing_db = parse_int(a, v, 0, 1);
        } else if ((v = flag_value(a, "--db")) != NULL && *v != '\0') {
            b->dir = v;
        } else if ((v = flag_value(a, "--csv")) != NULL && *v != '\0') {
            b->csv = v;
        } else if ((v = flag_value(a, "--threads")) != NULL) {
            b->threads = parse_int(a, v, 1, 1024);
            if (b->threads > 1 && !kv_thread_safe) {
                fprintf(stderr,
                        "bench: %s: %s is not thread-safe (kv_thread_safe "
                        "is 0): it runs --threads=1 only\n",
                        a, kv_stage_name);
                exit(2);
            }
        } else if ((v = flag_value(a, "--latency_ms")) != NULL) {
            b->latency_ms = parse_int(a, v, 1, 3600000);
        } else if ((v = flag_value(a, "--histogram")) != NULL) {
            b->histogram = parse_int(a, v, 0, 1);
        } else if ((v = flag_value(a, "--latency_csv")) != NULL && *v != '\0') {
            b->latency_csv = v;
        } else if (strcmp(a, "-o") == 0 && i + 1 < argc) {
            const char *opt = argv[++i], *eq = strchr(opt, '=');
            if (eq == NULL || eq == opt) bad_flag("-o wants NAME=VALUE", opt);
            if (b->cfg.count == MAX_OPTIONS)
                bad_flag("too many -o options", opt);
            b->options[b->cfg.count].name = strndup(opt, (size_t)(eq - opt));
            b->options[b->cfg.count++].value = eq + 1;
        } else {
            bad_flag("unknown flag", a);
        }
    }
    if (b->reads < 0) b->reads = b->num;
    if (b->writes < 0) b->writes = b->num;
}

/* Checks every name in --benchmarks before anything runs. */
static void check_benchmarks(const char *list) {
    for (const char *p = list; *p != '\0';) {
        size_t len = strcspn(p, ",");
        if (len > 0 && bench_find_workload(p, len) == NULL) {
            fprintf(stderr, "bench: unknown benchmark '%.*s' (known: %s)\n",
                    (int)len, p, bench_workload_names());
            exit(2);
        }
        p += len + (p[len] == ',');
    }
}

/* db_bench's header, plus the engine and its options. */
static void print_header(const bench *b) {
    printf("Keys:       16 bytes each\n");
    printf("Values:     %d bytes each (%d bytes after compression)\n",
           b->value_size, (int)(b->value_size * 0.5 + 0.5));
    printf("Entries:    %d\n", b->num);
    if (b->seek_nexts > 0) printf("SeekNexts:  %d\n", b->seek_nexts);
    printf("RawSize:    %.1f MB (estimated)\n",
           (16.0 + b->value_size) * b->num / 1048576.0);
    printf("Engine:     %s\n", kv_stage_name);
    printf("Options:   ");
    for (size_t i = 0; i < b->cfg.count; i++)
        printf(" %s=%s", b->options[i].name, b->options[i].value);
    printf("%s\n", b->cfg.count == 0 ? " (defaults)" : "");
    printf("------------------------------------------------\n");
}

int main(int argc, char **argv) {
    static bench b; /* zeroed */
    b.benchmarks =
        "fillseq,fillrandom,overwrite,readrandom,readmissing,readseq";
    b.num = 1000000;
    b.reads = -1;
    b.writes = -1;
    b.value_size = 100;
    b.threads = 1;
    b.latency_ms = 1000;
    b.cfg.options = b.options;
    parse_args(&b, argc, argv);
    check_benchmarks(b.benchmarks);

    char default_dir[4096];
    if (b.dir == NULL) {
        const char *tmp = getenv("TMPDIR");
        snprintf(default_dir, sizeof default_dir, "%s/kvbench-%s",
                 tmp != NULL && *tmp != '\0' ? tmp : "/tmp", kv_stage_name);
        b.dir = default_dir;
    }

    bench_text_init(&b);
    print_header(&b);
    if (!b.use_existing_db) destroy_db(b.dir);
    open_db(&b);
    for (const char *p = b.benchmarks; *p != '\0';) {
        size_t len = strcspn(p, ",");
        if (len > 0) run_workload(&b, bench_find_workload(p, len));
        p += len + (p[len] == ',');
    }
    b.name = NULL;
    close_db(&b);
    int64_t rss = max_rss_kb();
    if (rss >= 0)
        printf("Max RSS:    %lld KiB, the peak of the whole run\n",
               (long long)rss);
    for (size_t i = 0; i < b.cfg.count; i++) free((char *)b.options[i].name);
    free(b.text);
    return 0;
}
