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
 *   - random keys come from LevelDB's Park-Miller generator; the Nth workload
 *     run gets seed 1000 + N, as db_bench seeds its threads, so every engine
 *     sees the same key sequence;
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
 * empty for writes); tables is the stage's stat of that name at the end.
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
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

static const char *const io_names[6] = {
    "reads", "bytes_read", "writes", "bytes_written", "syncs", "files_opened"};

#define CSV_HEADER                                                             \
    "stage,benchmark,num,value_size,ops,micros_per_op,ops_per_sec,"            \
    "mb_per_sec,reads,bytes_read,writes,bytes_written,syncs,files_opened,"     \
    "index_bytes,disk_bytes,entries,tables\n"

/* ---- the driver's state -------------------------------------------------- */

typedef struct counts {
    uint64_t io[6]; /* in the order of io_names */
    uint64_t index_bytes, tables;
    int has_index_bytes, has_tables;
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

static double now_micros(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* ---- the store's counters and files -------------------------------------- */

static counts counts_now(kv_db *db) {
    kv_stat st[KV_STATS_MAX];
    size_t n = kv_stats(db, st, KV_STATS_MAX);
    counts c;
    memset(&c, 0, sizeof c);
    for (size_t i = 0; i < n; i++) {
        for (int j = 0; j < 6; j++)
            if (strcmp(st[i].name, io_names[j]) == 0) c.io[j] = st[i].value;
        if (strcmp(st[i].name, "index_bytes") == 0) {
            c.index_bytes = st[i].value;
            c.has_index_bytes = 1;
        }
        if (strcmp(st[i].name, "tables") == 0) {
            c.tables = st[i].value;
            c.has_tables = 1;
        }
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

/* ---- reporting ----------------------------------------------------------- */

/* The db_bench line: "%-12s : %11.3f micros/op;" [MB/s] [message]. */
static void report(const bench *b, double seconds) {
    long ops = b->done < 1 ? 1 : b->done;
    char rate[32] = "";
    if (b->bytes > 0)
        snprintf(rate, sizeof rate, " %6.1f MB/s",
                 (b->bytes / 1048576.0) / seconds);
    printf("%-12s : %11.3f micros/op;%s%s%s\n", b->name, seconds * 1e6 / ops,
           rate, b->message[0] ? " " : "", b->message);
    fflush(stdout);
}

/* Appends the workload's row to --csv, with the header if the file is new. */
static void csv_row(const bench *b, double seconds, counts before,
                    counts after) {
    FILE *f = fopen(b->csv, "a");
    if (f == NULL) {
        fprintf(stderr, "bench: %s: %s\n", b->csv, strerror(errno));
        exit(1);
    }
    fseek(f, 0, SEEK_END);
    if (ftell(f) == 0) fputs(CSV_HEADER, f);
    long ops = b->done < 1 ? 1 : b->done;
    fprintf(f, "%s,%s,%d,%d,%ld,%.3f,%.1f,", kv_stage_name, b->name, b->num,
            b->value_size, ops, seconds * 1e6 / ops, ops / seconds);
    if (b->bytes > 0) fprintf(f, "%.1f", (b->bytes / 1048576.0) / seconds);
    for (int j = 0; j < 6; j++)
        fprintf(f, ",%llu", (unsigned long long)(after.io[j] - before.io[j]));
    if (after.has_index_bytes)
        fprintf(f, ",%llu", (unsigned long long)after.index_bytes);
    else
        fputs(",", f);
    fprintf(f, ",%llu,", (unsigned long long)disk_bytes(b->dir));
    if (b->entries >= 0) fprintf(f, "%lld", (long long)b->entries);
    fputc(',', f);
    if (after.has_tables) fprintf(f, "%llu", (unsigned long long)after.tables);
    fputc('\n', f);
    if (fclose(f) != 0) {
        fprintf(stderr, "bench: %s: %s\n", b->csv, strerror(errno));
        exit(1);
    }
}

/* Runs one workload: readies the store, then times and reports it. */
static void run_workload(bench *b, const workload *w) {
    b->name = w->name;
    if ((w->needs & W_FRESH) && b->use_existing_db) {
        printf("%-12s : skipped (--use_existing_db is true)\n", w->name);
        return;
    }
    /* Counted even when not supported, so later seeds match across stages.
     */
    b->workloads_run++;
    if (!prepare(b, w)) return;
    b->rand = rnd_new(1000 + (uint32_t)b->workloads_run);
    b->text_pos = 0; /* each workload has a new RandomGenerator */
    b->done = 0;
    b->next_report = 100;
    b->bytes = 0;
    b->entries = -1;
    b->message[0] = '\0';

    counts before = {0};
    if (b->db != NULL) before = counts_now(b->db);
    double start = now_micros();
    w->run(b);
    double seconds = (now_micros() - start) * 1e-6;
    counts after = counts_now(b->db);
    if (w->needs & W_COUNTS_OPEN) {
        memset(&before, 0, sizeof before);
        snprintf(b->message, sizeof b->message, "(%llu bytes read)",
                 (unsigned long long)after.io[1]);
    }
    if (b->entries >= 0 && b->done > 0 && (w->needs & W_ITER)) {
        size_t n = strlen(b->message);
        snprintf(b->message + n, sizeof b->message - n, "%s%.0f entries/s",
                 n > 0 ? " " : "", b->entries / seconds);
    }
    if (isatty(STDERR_FILENO)) fprintf(stderr, "%50s\r", "");
    report(b, seconds);
    if (b->csv != NULL) csv_row(b, seconds, before, after);
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
        "                      open (reopen the store; the close untimed)\n"
        "  --num=N             entries to write (default 1000000)\n"
        "  --reads=N           gets or scanned entries (default -1: num)\n"
        "  --value_size=N      bytes per value (default 100)\n"
        "  --seek_nexts=N      seekrandom: entries read after each seek\n"
        "                      (default 0, as RocksDB)\n"
        "  --db=DIR            the store (default $TMPDIR or /tmp, "
        "/kvbench-%s)\n"
        "  --use_existing_db=0|1  keep the store; skip the fill* workloads\n"
        "  --csv=FILE          append one row per workload to FILE\n"
        "  -o NAME=VALUE       an engine option (repeatable)\n"
        "  --threads=N         only 1 until stage 6\n"
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
            if (parse_int(a, v, 1, 1024) != 1) {
                fprintf(stderr, "--threads: this driver runs one thread "
                                "until stage 6\n");
                exit(2);
            }
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
    b.value_size = 100;
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
    for (size_t i = 0; i < b.cfg.count; i++) free((char *)b.options[i].name);
    free(b.text);
    return 0;
}
