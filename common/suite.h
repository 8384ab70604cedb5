/*
 * suite.h - the shared test suite every stage runs, and what each stage
 * declares it expects of it.
 *
 * The suite (suite.c: helpers and model; suite_contract.c, suite_model.c,
 * suite_crash.c, suite_damage.c, suite_scoreboard.c: the tests) is written
 * against kv.h alone. Beside the contract tests that every stage passes, it
 * holds one test per row of the failure-mode scoreboard (docs/00-course.md).
 * Each row is checked with counts from the I/O layer, never with time. A
 * stage declares in its expect.c which rows it passes, which it fails, and
 * which do not apply to it; the scoreboard test fails on any surprise, in
 * either direction, and writes the stage's row for `make test` to print.
 */
#ifndef KV_SUITE_H
#define KV_SUITE_H

#include "kv.h"

typedef enum scoreboard_row {
    ROW_GET_O1,       /* a get reads O(1) records, not the log */
    ROW_OPEN_INDEX,   /* open reads index data, not all data */
    ROW_INDEX_MEMORY, /* index memory grows slower than key count */
    ROW_RANGE_SCAN,   /* ordered range scan */
    ROW_KILL9,        /* kill -9 loses no acknowledged write */
    ROW_POWER_LOSS,   /* simulated power loss loses no acknowledged write */
    ROW_DISK_BOUNDED, /* disk bytes bounded under overwrites and deletes */
    ROW_MISSING_KEY,  /* a missing-key get reads no data block */
    ROW_NO_WAIT,      /* a get never waits for a running compaction */
    ROW_CORRUPTION,   /* every corrupted byte is detected or harmless */
    ROW_TORN_TAIL,    /* a torn last write opens to a prefix */
    ROW_ONE_PROCESS,  /* a second process on the same store is refused */
    ROW_COUNT
} scoreboard_row;

typedef enum expect {
    EXPECT_NA = 0, /* "-": the row does not apply to this stage */
    EXPECT_OK,     /* the stage has the property */
    EXPECT_FAIL,   /* the stage lacks it: its failure mode, charted */
} expect;

#define SUITE_MAX_OPTIONS 8

typedef struct stage_expect {
    expect rows[ROW_COUNT];
    /* Options for the model, crash and corruption tests: small sizes that
     * make a stage exercise its machinery (many tables, many flushes). */
    kv_option test_options[SUITE_MAX_OPTIONS];
    /* Options under which a put must survive power loss ("sync=always"). */
    kv_option durable_options[SUITE_MAX_OPTIONS];
    /* The torn-tail test cuts the newest file whose name ends in this
     * (".log"); NULL when the stage has no log. */
    const char *log_suffix;
    /* The no_wait row: options under which 60 puts leave a few tables in
     * level 0, below any compaction trigger, and the suffix of a table
     * being written (".sst.tmp"), where it holds the compaction. */
    kv_option few_tables_options[SUITE_MAX_OPTIONS];
    const char *table_tmp_suffix;
} stage_expect;

/* Each stage defines this in its expect.c. */
extern const stage_expect kv_stage_expect;

/* The row's id, as KV_SCOREBOARD lines name it ("get_o1"). */
const char *scoreboard_row_id(scoreboard_row row);
/* The row's words, as the scoreboard prints them. */
const char *scoreboard_row_name(scoreboard_row row);

/* --- helpers for tests --------------------------------------------------- */

/* The number of options set in a fixed array (up to the first NULL name). */
size_t suite_option_count(const kv_option *opts);
/* kv_open with the given options (NULL: none) and env (NULL: plain). */
kv_status suite_open(const char *dir, const kv_option *opts, io_env *env,
                     kv_db **out);
/* The value of the named stats counter, or UINT64_MAX if there is none. */
uint64_t suite_stat(kv_db *db, const char *name);
/* The total size in bytes of the files in dir. */
uint64_t suite_dir_bytes(const char *dir);
/* Removes dir and everything in it (for tests; not through the I/O layer). */
void suite_rmrf(const char *dir);
/* Copies every file of dir `from` into a new dir `to`. */
void suite_copy_dir(const char *from, const char *to);
/* Copies the file from to a new file to. Returns 0 on success. */
int suite_copy_file(const char *from, const char *to);
/* The names of the regular files in dir (not below), as a NULL-terminated
 * array freed with suite_files_free; empty if dir cannot be read. */
char **suite_files(const char *dir);
void suite_files_free(char **names);
/* The first of names (suite_files of dir, taken earlier), a .tmp file
 * excepted, that is neither in dir nor in dir/lost, where stages 5 to 7
 * set aside what open cannot account for; NULL when none is gone. */
const char *suite_gone(const char *dir, char **names);
/* The names in dir ending in suffix ("": every name), dot files excepted;
 * 0 if dir cannot be read. */
int suite_count_files(const char *dir, const char *suffix);
/* The highest number a name in dir ending in suffix starts with
 * ("000042.sst": 42); 0 if none. */
unsigned long long suite_highest_number(const char *dir, const char *suffix);
/* 1 if dir/name exists. */
int suite_exists(const char *dir, const char *name);
/* The descriptors this process holds open on paths ending in suffix ("":
 * every one; a file removed while open ends in " (deleted)"), read from
 * /proc/self/fd, not counting the one that reads it; -1 without /proc. */
int suite_open_fds(const char *suffix);
/* Writes "<test dir>/name" (test_dir() of testing.h) into buf; returns buf. */
const char *suite_path(char *buf, size_t n, const char *name);
/* 1 if the buffer holds exactly the slice's bytes, else 0. */
int suite_same(const kv_buf *b, kv_slice s);

/* Plants at `link` a hard link to a new file `victim` holding "keep me",
 * for tests that a file is never written through. Returns 0 on success. */
int suite_plant_link(const char *victim, const char *link);
/* 1 if victim still holds exactly "keep me". */
int suite_victim_kept(const char *victim);

/* Corruption helpers. */
/* XORs the byte at offset of path with mask. Returns 0 on success. */
int suite_flip_byte(const char *path, uint64_t offset, unsigned char mask);
/* Cuts path to size bytes. Returns 0 on success. */
int suite_cut_file(const char *path, uint64_t size);

/* --- shared by the suite's own files (suite.c, suite_crash.c, ...) ------ */

/* The suite's random numbers: splitmix64 over *state. Cannot fail. */
uint64_t suite_rand(uint64_t *state);

/*
 * An in-memory model of a store over a fixed key space: key i is keys[i],
 * live[i] says whether it has a value, values[i] holds it. order[] lists
 * the key ids in kv_compare order, for scans. The model owns everything.
 */
typedef struct suite_model {
    size_t n;
    kv_buf *keys;
    kv_buf *values;
    unsigned char *live;
    size_t *order;
} suite_model;

/* n distinct random binary keys of 1 to 40 bytes (any byte), none live. */
void suite_model_init(suite_model *m, size_t n, uint64_t seed);
void suite_model_free(suite_model *m);
/* Gets every key of the key space from db. 1 when all agree with the
 * model, else 0 with the first difference (or error) written to why. */
int suite_model_check(kv_db *db, const suite_model *m, char *why, size_t n);
/* Scans [keys[order[lo]], keys[order[hi]]) (hi == m->n: to the end) and
 * compares with the model: 1 equal, 0 different (why says how),
 * -1 KV_NOT_SUPPORTED. */
int suite_model_scan(kv_db *db, const suite_model *m, size_t lo, size_t hi,
                     char *why, size_t n);

/*
 * The kill -9 test (suite_crash.c): `rounds` times, a child process opens
 * the store in dir with opts, puts and deletes until it is SIGKILLed after
 * 100 to 600 acknowledged calls; the store is reopened and checked against
 * every acknowledged call. 1 when nothing acknowledged was lost, 0 when
 * something was (why says what), -1 when the harness itself failed.
 */
int suite_kill9(const char *dir, const kv_option *opts, int rounds,
                uint64_t seed, char *why, size_t n);

/*
 * The damage measurements of the scoreboard (suite_damage.c); each works in
 * directories under dir and returns 1 when the property holds, 0 when it
 * does not (why says where), -1 when the harness itself failed.
 * suite_corruption: every flipped byte of a small store is detected (an
 * error) or harmless (every key still right). suite_torn_tail: the newest
 * file ending in suffix, cut at each of its last 300 bytes, opens to a
 * prefix of the writes, and the next write lands after that prefix.
 */
int suite_corruption(const char *dir, char *why, size_t n);
int suite_torn_tail(const char *dir, const char *suffix, char *why, size_t n);

#endif
