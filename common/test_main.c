/*
 * test_main.c - the test runner declared in testing.h.
 *
 *     tests [-l] [-h|--help] [NAME...]
 *
 * Runs every registered test, or those whose test name, table name or
 * "table/test" equals a NAME; -l lists "table/test" names instead. Tables
 * run sorted by name (constructors register them in link order, which is
 * not worth depending on), tests in the order their table lists them.
 *
 * Output, one line per test, flushed as it is written:
 *     ok   table/test
 *     FAIL table/test: file:line: message
 *     skip table/test: why
 * and at the end the line "N passed, N failed" (", N skipped" appended when
 * some were skipped). Exit status 1 if a test failed or a NAME matched
 * nothing, 2 on a usage error, else 0.
 *
 * Test directories live under one fresh root, $TMPDIR/kvtest-XXXXXX (or
 * /tmp), made on first use. The root is removed when every test passed,
 * and kept, its path printed, when one failed, so the files can be read.
 */
#include "testing.h"

#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "status.h"

#define DEFAULT_SEED 42u

typedef struct table {
    const char *name;
    const test_case *cases;
    size_t n;
    size_t order; /* registration order, to keep the sort stable */
} table;

static table *tables;
static size_t ntables;

/* The running test. */
static const test_case *cur_test;
static int cur_failed, cur_skipped, cur_has_dir;
static char cur_msg[512];

static char root[4096]; /* "" until a test asks for a directory */
static char dir_path[4096 + 256];

/* --- registration and per-test state ------------------------------------- */

void test_register(const char *name, const test_case *cases, size_t n) {
    tables = xrealloc(tables, (ntables + 1) * sizeof *tables);
    tables[ntables] = (table){name, cases, n, ntables};
    ntables++;
}

/* Records the running test's first failure; later ones add nothing. */
void test_fail(const char *file, int line, const char *fmt, ...) {
    if (cur_failed) return;
    cur_failed = 1;
    int n = snprintf(cur_msg, sizeof cur_msg, "%s:%d: ", file, line);
    if (n < 0 || (size_t)n >= sizeof cur_msg) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cur_msg + n, sizeof cur_msg - (size_t)n, fmt, ap);
    va_end(ap);
}

void test_skip(const char *why) {
    cur_skipped = 1;
    snprintf(cur_msg, sizeof cur_msg, "%s", why);
}

int test_failed(void) { return cur_failed; }

unsigned test_seed(void) {
    const char *s = getenv("KV_TEST_SEED");
    char *end;
    if (!s || !*s) return DEFAULT_SEED;
    unsigned long v = strtoul(s, &end, 10);
    return *end ? DEFAULT_SEED : (unsigned)v;
}

/* --- directories --------------------------------------------------------- */

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw) {
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

static void rmrf(const char *path) {
    nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Aborts the run: without a directory the tests cannot mean anything. */
static void die(const char *what, const char *path) {
    fprintf(stderr, "tests: %s %s: ", what, path);
    perror(NULL);
    exit(2);
}

/*
 * "<root>/<test name>", made empty on the test's first call and returned
 * as is on later calls. The string is valid until the next test starts.
 */
const char *test_dir(void) {
    if (cur_has_dir) return dir_path;
    if (!root[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(root, sizeof root, "%s/kvtest-XXXXXX",
                 tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(root)) die("cannot make", root);
    }
    snprintf(dir_path, sizeof dir_path, "%s/%s", root,
             cur_test ? cur_test->name : "none");
    rmrf(dir_path);
    if (mkdir(dir_path, 0755) != 0) die("cannot make", dir_path);
    cur_has_dir = 1;
    return dir_path;
}

/* --- running ------------------------------------------------------------- */

static int table_cmp(const void *a, const void *b) {
    const table *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->order > y->order) - (x->order < y->order);
}

/* 1 if test i of t is selected by names[0..n) (all when n is 0); marks hits. */
static int selected(const table *t, size_t i, char **names, int n, int *hit) {
    int any = n == 0;
    for (int k = 0; k < n; k++) {
        const char *s = names[k], *slash = strchr(s, '/');
        int match = strcmp(s, t->name) == 0 || strcmp(s, t->cases[i].name) == 0;
        if (slash && (size_t)(slash - s) == strlen(t->name) &&
            strncmp(s, t->name, (size_t)(slash - s)) == 0 &&
            strcmp(slash + 1, t->cases[i].name) == 0)
            match = 1;
        if (match) hit[k] = any = 1;
    }
    return any;
}

/* Runs one test and prints its line; returns 0 ok, 1 failed, 2 skipped. */
static int run_one(const table *t, const test_case *c) {
    cur_test = c;
    cur_failed = cur_skipped = cur_has_dir = 0;
    cur_msg[0] = '\0';
    c->fn();
    int r = cur_failed ? 1 : cur_skipped ? 2 : 0;
    if (r == 1)
        printf("FAIL %s/%s: %s\n", t->name, c->name, cur_msg);
    else if (r == 2)
        printf("skip %s/%s: %s\n", t->name, c->name, cur_msg);
    else
        printf("ok   %s/%s\n", t->name, c->name);
    fflush(stdout);
    cur_test = NULL;
    return r;
}

/*
 * Prints the closing lines for counts {passed, failed, skipped}, and keeps
 * the test root (naming it) or removes it. Returns 1 if a test failed.
 */
static int summarize(const int counts[3]) {
    if (counts[1]) {
        printf("(seed %u; rerun with KV_TEST_SEED=%u)\n", test_seed(),
               test_seed());
        if (root[0]) printf("test files kept in %s\n", root);
    } else if (root[0]) {
        rmrf(root);
    }
    printf("%d passed, %d failed", counts[0], counts[1]);
    if (counts[2]) printf(", %d skipped", counts[2]);
    printf("\n");
    return counts[1] != 0;
}

static void usage(FILE *out) {
    fprintf(out,
            "usage: tests [-l] [-h|--help] [NAME...]\n"
            "  runs every test, or those whose name, table name or\n"
            "  table/name is a NAME; -l lists table/name of each test\n"
            "  KV_TEST_SEED=N seeds the randomized tests (default %u)\n",
            DEFAULT_SEED);
}

int main(int argc, char **argv) {
    int list = 0, n = 0;
    char **names = xcalloc((size_t)argc, sizeof *names);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-l") == 0) {
            list = 1;
        } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            free(names);
            return 0;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "tests: unknown flag %s\n", argv[i]);
            usage(stderr);
            free(names);
            return 2;
        } else {
            names[n++] = argv[i];
        }
    }
    int *hit = xcalloc((size_t)argc, sizeof *hit);
    int counts[3] = {0, 0, 0}, rc = 0;
    if (ntables) qsort(tables, ntables, sizeof *tables, table_cmp);
    for (size_t t = 0; t < ntables; t++) {
        for (size_t i = 0; i < tables[t].n; i++) {
            if (!selected(&tables[t], i, names, n, hit)) continue;
            if (list)
                printf("%s/%s\n", tables[t].name, tables[t].cases[i].name);
            else
                counts[run_one(&tables[t], &tables[t].cases[i])]++;
        }
    }
    for (int k = 0; k < n; k++) {
        if (!hit[k]) {
            fprintf(stderr, "tests: no test or table named '%s'\n", names[k]);
            rc = 1;
        }
    }
    if (!list && summarize(counts)) rc = 1;
    fflush(stdout);
    free(names);
    free(hit);
    free(tables);
    return rc;
}
