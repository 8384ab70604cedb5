/*
 * kv_main.c - the `kv` command, the same for every stage.
 *
 *     kv [-d DIR] [-o NAME=VALUE]... COMMAND [ARGS]
 *
 * It is the only place in the course that prints errors for a person and
 * picks exit codes: 0 for success, 1 when the store said no (an error, or a
 * get that found nothing), 2 for a command line that makes no sense (an
 * option the stage does not know or cannot take included).
 *
 * The shell (kv -d DIR shell) reads one command per line from stdin and
 * answers each on stdout, flushed at once, so a script or a test can talk
 * to it through a pipe. Its answers are the contract of docs/00-course.md.
 *
 * Keys and values may hold any byte, so they travel escaped, both ways: in
 * an answer, a backslash is written \\ and a byte outside printable ASCII
 * (0x20 to 0x7e) as \xNN (two lowercase hex digits); in a command, the
 * same two escapes are read back (hex digits in either case), and any other
 * backslash is an error. So every answer parses back, and a key or value
 * printed by get or scan can be typed back in as it was printed.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kv.h"

#define MAX_OPTIONS 32
#define DEFAULT_DIR "kvdata"

static const char usage[] =
    "usage: kv [-d DIR] [-o NAME=VALUE]... COMMAND [ARGS]\n"
    "\n"
    "The store lives in DIR (default ./" DEFAULT_DIR "); a missing DIR is\n"
    "created as a new, empty store. -o sets an engine option by name\n"
    "(memtable_bytes, sync, bloom_bits, ... as the stage knows them).\n"
    "\n"
    "commands:\n"
    "  shell                 read commands from stdin, one per line\n"
    "  set KEY VALUE         store VALUE under KEY       (also: put)\n"
    "  get KEY               print KEY's value, or (nil) and exit 1\n"
    "  del KEY               delete KEY\n"
    "  scan [START [END]]    print pairs with START <= key < END in order\n"
    "  stats                 print the store's counters after opening it\n"
    "  compact               compact the store now (stage 5 on)\n"
    "  dump                  print every file of the store, field by field\n"
    "  help                  this text\n"
    "\n"
    "shell commands: set KEY VALUE (VALUE is the rest of the line), get KEY,\n"
    "del KEY, scan [START [END]], stats, compact, help. A failing command\n"
    "(a line holding a NUL byte too) answers one line \"error: MESSAGE\" and\n"
    "the shell goes on.\n"
    "\n"
    "Escapes: get and scan print a backslash as \\\\ and any byte outside\n"
    "printable ASCII (tab, newline, bytes >= 0x7f, ...) as \\xNN, two hex\n"
    "digits; KEY, VALUE, START and END take the same two escapes, so an\n"
    "answer can be typed back in (a space in a shell KEY: \\x20). Any other\n"
    "backslash is an error.\n"
    "\n"
    "One process at a time: open locks DIR/LOCK, and a store another\n"
    "process holds is refused at once (exit 1, \"store DIR is in use\").\n"
    "dump takes no lock: it only reads, so it may run beside an open store,\n"
    "and then shows the files as they are at that moment.\n"
    "\n"
    "Exit codes: 0 ok; 1 the store said no (an error, a get that found\n"
    "nothing, a store in use, or a close that failed after a command that\n"
    "wrote); 2 bad usage (an unknown command or option, a wrong number of\n"
    "arguments, a bad escape, an -o NAME the stage does not know or a VALUE\n"
    "it cannot take). A close that fails after a command that only read\n"
    "(get, scan, stats) is reported, but its answer stands and its exit code\n"
    "is kept: it wrote nothing that could be lost.\n";

static const char shell_help[] = "set KEY VALUE | get KEY | del KEY | scan "
                                 "[START [END]] | stats | compact |\n"
                                 "help\n";

/* ---- answers, shared by the shell and the one-shot commands -------------- */

/* Where "error: MESSAGE" goes: stdout in the shell, stderr otherwise. */
static FILE *errors;
/* 1 once a command that writes (set, del, compact) has run. */
static int wrote;

/* Prints status as "error: MESSAGE". Returns 1 (a failed command). */
static int print_error(kv_status s) {
    fprintf(errors, "error: %s\n", s.msg[0] ? s.msg : kv_code_name(s.code));
    return 1;
}

/* --- escapes (see the top of the file) ---------------------------------- */

/* Writes s to f with \\ and \xNN escapes: one line's worth, no newline. */
static void put_escaped(kv_slice s, FILE *f) {
    for (size_t i = 0; i < s.size; i++) {
        unsigned char c = (unsigned char)s.data[i];
        if (c == '\\')
            fputs("\\\\", f);
        else if (c < 0x20 || c > 0x7e)
            fprintf(f, "\\x%02x", c);
        else
            fputc(c, f);
    }
}

/* The value of hex digit c, or -1. */
static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/*
 * Decodes text's escapes into out (which the caller owns and frees).
 * KV_INVALID_ARGUMENT naming the first bad escape.
 */
static kv_status unescape(const char *text, kv_buf *out) {
    kv_buf_set(out, "", 0);
    for (const char *p = text; *p; p++) {
        char c = *p;
        if (c == '\\' && p[1] == '\\') {
            p++;
        } else if (c == '\\' && p[1] == 'x' && hex_digit(p[2]) >= 0 &&
                   hex_digit(p[3]) >= 0) {
            c = (char)(hex_digit(p[2]) * 16 + hex_digit(p[3]));
            p += 3;
        } else if (c == '\\') {
            return kv_error(KV_INVALID_ARGUMENT,
                            "bad escape at '%.8s': write a backslash as \\\\ "
                            "and any byte as \\xNN",
                            p);
        }
        kv_buf_append(out, &c, 1);
    }
    return kv_ok();
}

static kv_slice buf_slice(const kv_buf *b) {
    return (kv_slice){b->data ? b->data : "", b->size};
}

/* --- commands: keys and values arrive decoded ---------------------------- */

static int do_get(kv_db *db, kv_slice key, kv_buf *val) {
    kv_status s = kv_get(db, key, val);
    if (s.code == KV_NOT_FOUND) {
        printf("(nil)\n");
        return 1;
    }
    if (s.code != KV_OK) return print_error(s);
    put_escaped(buf_slice(val), stdout);
    fputc('\n', stdout);
    return 0;
}

static int do_set(kv_db *db, kv_slice key, kv_slice value) {
    wrote = 1;
    kv_status s = kv_put(db, key, value);
    if (s.code != KV_OK) return print_error(s);
    printf("OK\n");
    return 0;
}

static int do_del(kv_db *db, kv_slice key) {
    wrote = 1;
    kv_status s = kv_delete(db, key);
    if (s.code != KV_OK) return print_error(s);
    printf("OK\n");
    return 0;
}

/* Prints every live pair with start <= key < end (end NULL: no bound). */
static int do_scan(kv_db *db, kv_slice start, const kv_slice *end) {
    kv_iter *it;
    kv_status s = kv_iter_new(db, &it);
    if (s.code != KV_OK) return print_error(s);
    unsigned long long n = 0;
    for (kv_iter_seek(it, start); kv_iter_valid(it); kv_iter_next(it)) {
        kv_slice k = kv_iter_key(it), v = kv_iter_value(it);
        if (end && kv_compare(k, *end) >= 0) break;
        put_escaped(k, stdout);
        fputc('\t', stdout);
        put_escaped(v, stdout);
        fputc('\n', stdout);
        n++;
    }
    s = kv_iter_status(it);
    kv_iter_free(it);
    if (s.code != KV_OK) return print_error(s);
    printf("(%llu keys)\n", n);
    return 0;
}

static int do_compact(kv_db *db) {
    wrote = 1;
    kv_status s = kv_compact(db);
    if (s.code != KV_OK) return print_error(s);
    printf("OK\n");
    return 0;
}

static int do_stats(kv_db *db) {
    kv_stat st[KV_STATS_MAX];
    size_t n = kv_stats(db, st, KV_STATS_MAX);
    for (size_t i = 0; i < n; i++)
        printf("%s %llu\n", st[i].name, (unsigned long long)st[i].value);
    return 0;
}

/* ---- the shell ------------------------------------------------------------
 */

/* Cuts the next space-separated word off *p; NULL when there is none. */
static char *next_word(char **p) {
    char *s = *p;
    while (*s == ' ' || *s == '\t') s++;
    if (*s == '\0') return NULL;
    char *w = s;
    while (*s && *s != ' ' && *s != '\t') s++;
    if (*s) *s++ = '\0';
    *p = s;
    return w;
}

/* Up to two decoded arguments: arg[i] views buf[i], which decoded_free frees.
 */
typedef struct decoded {
    kv_buf buf[2];
    kv_slice arg[2];
} decoded;

/* Decodes texts[0..n) (n <= 2) into d; the first bad escape is the error. */
static kv_status decode_args(decoded *d, char *const *texts, int n) {
    for (int i = 0; i < n; i++) {
        kv_status s = unescape(texts[i], &d->buf[i]);
        if (s.code != KV_OK) return s;
        d->arg[i] = buf_slice(&d->buf[i]);
    }
    return kv_ok();
}

/* decode_args in the shell: 1 on success, else 0 with the error answered. */
static int shell_decode(decoded *d, char *const *texts, int n) {
    kv_status s = decode_args(d, texts, n);
    return s.code == KV_OK ? 1 : !print_error(s);
}

static void decoded_free(decoded *d) {
    kv_buf_free(&d->buf[0]);
    kv_buf_free(&d->buf[1]);
}

/* Runs one shell line (no NUL in it). */
static void shell_line(kv_db *db, char *line, kv_buf *val) {
    char *rest = line;
    char *cmd = next_word(&rest);
    if (cmd == NULL) return; /* a blank line */
    char *a = next_word(&rest), *b;
    decoded d = {0};
    if (strcmp(cmd, "set") == 0 || strcmp(cmd, "put") == 0) {
        while (*rest == ' ' || *rest == '\t') rest++; /* VALUE: rest of line */
        char *kv[2] = {a, rest};
        if (a == NULL)
            print_error(kv_error(KV_INVALID_ARGUMENT, "usage: set KEY VALUE"));
        else if (shell_decode(&d, kv, 2))
            do_set(db, d.arg[0], d.arg[1]);
    } else if (strcmp(cmd, "get") == 0 || strcmp(cmd, "del") == 0) {
        if (a == NULL || next_word(&rest) != NULL)
            print_error(kv_error(KV_INVALID_ARGUMENT, "usage: %s KEY", cmd));
        else if (!shell_decode(&d, &a, 1))
            ;
        else if (cmd[0] == 'g')
            do_get(db, d.arg[0], val);
        else
            do_del(db, d.arg[0]);
    } else if (strcmp(cmd, "scan") == 0) {
        b = a ? next_word(&rest) : NULL;
        char *range[2] = {a ? a : "", b};
        if (b && next_word(&rest) != NULL)
            print_error(
                kv_error(KV_INVALID_ARGUMENT, "usage: scan [START [END]]"));
        else if (shell_decode(&d, range, b ? 2 : 1))
            do_scan(db, d.arg[0], b ? &d.arg[1] : NULL);
    } else if (strcmp(cmd, "stats") == 0) {
        do_stats(db);
    } else if (strcmp(cmd, "compact") == 0) {
        do_compact(db);
    } else if (strcmp(cmd, "help") == 0) {
        fputs(shell_help, stdout);
    } else {
        print_error(kv_error(KV_INVALID_ARGUMENT,
                             "unknown command '%s' (try: help)", cmd));
    }
    decoded_free(&d);
}

static int run_shell(kv_db *db) {
    int tty = isatty(STDIN_FILENO);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    kv_buf val = {0};
    for (;;) {
        if (tty) {
            fputs("kv> ", stdout);
            fflush(stdout);
        }
        if ((n = getline(&line, &cap, stdin)) < 0) break;
        if (memchr(line, '\0', (size_t)n) != NULL) {
            print_error(kv_error(KV_INVALID_ARGUMENT,
                                 "the line holds a NUL byte (to store one, "
                                 "write \\x00)"));
            fflush(stdout);
            continue;
        }
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        shell_line(db, line, &val);
        fflush(stdout);
    }
    free(line);
    kv_buf_free(&val);
    return 0;
}

/* ---- main -----------------------------------------------------------------
 */

static int usage_error(const char *fmt, const char *arg) {
    fprintf(stderr, "kv: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(kv --help for usage)\n");
    return 2;
}

/* The number of arguments each command takes: [min, max]. */
static int arity_ok(const char *cmd, int n) {
    static const struct {
        const char *name;
        int min, max;
    } table[] = {
        {"shell", 0, 0}, {"get", 1, 1},     {"set", 2, 2},
        {"put", 2, 2},   {"del", 1, 1},     {"scan", 0, 2},
        {"stats", 0, 0}, {"compact", 0, 0}, {"dump", 0, 0},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(cmd, table[i].name) == 0)
            return n >= table[i].min && n <= table[i].max ? 1 : 0;
    return -1;
}

int main(int argc, char **argv) {
    const char *dir = DEFAULT_DIR;
    kv_option opts[MAX_OPTIONS];
    size_t nopts = 0;
    int c;
    for (int i = 1; i < argc && argv[i][0] == '-'; i++)
        if (strcmp(argv[i], "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        }
    while ((c = getopt(argc, argv, "+d:o:h")) != -1) {
        char *eq;
        switch (c) {
        case 'd':
            dir = optarg;
            break;
        case 'o':
            if ((eq = strchr(optarg, '=')) == NULL || eq == optarg)
                return usage_error("-o wants NAME=VALUE, not '%s'", optarg);
            if (nopts == MAX_OPTIONS)
                return usage_error("too many -o options%s", "");
            *eq = '\0';
            opts[nopts++] = (kv_option){optarg, eq + 1};
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            return usage_error("bad option%s", "");
        }
    }
    if (optind >= argc) return usage_error("no command given%s", "");
    const char *cmd = argv[optind];
    char **args = argv + optind + 1;
    int nargs = argc - optind - 1;
    if (strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    int ar = arity_ok(cmd, nargs);
    if (ar < 0) return usage_error("unknown command '%s'", cmd);
    if (ar == 0) return usage_error("wrong number of arguments for '%s'", cmd);

    if (strcmp(cmd, "dump") == 0) {
        kv_status s = kv_dump(dir, NULL, stdout);
        if (s.code != KV_OK) {
            fprintf(stderr, "kv: %s\n", s.msg);
            return 1;
        }
        return 0;
    }
    decoded d = {0};
    int nd = strcmp(cmd, "scan") == 0 ? nargs : nargs < 2 ? nargs : 2;
    kv_status s = decode_args(&d, args, nd);
    if (s.code != KV_OK) {
        decoded_free(&d);
        return usage_error("%s", s.msg);
    }
    kv_config cfg = {NULL, opts, nopts};
    kv_db *db;
    s = kv_open(dir, &cfg, &db);
    if (kv_is_option_error(s)) {
        decoded_free(&d);
        return usage_error("%s", s.msg);
    }
    if (s.code != KV_OK) {
        decoded_free(&d);
        fprintf(stderr, "kv: cannot open %s: %s\n", dir, s.msg);
        return 1;
    }
    int rc = 0;
    kv_buf val = {0};
    errors = strcmp(cmd, "shell") == 0 ? stdout : stderr;
    if (strcmp(cmd, "shell") == 0)
        rc = run_shell(db);
    else if (strcmp(cmd, "get") == 0)
        rc = do_get(db, d.arg[0], &val);
    else if (strcmp(cmd, "set") == 0 || strcmp(cmd, "put") == 0)
        rc = do_set(db, d.arg[0], d.arg[1]);
    else if (strcmp(cmd, "del") == 0)
        rc = do_del(db, d.arg[0]);
    else if (strcmp(cmd, "scan") == 0)
        rc = do_scan(db, nargs > 0 ? d.arg[0] : kv_str(""),
                     nargs > 1 ? &d.arg[1] : NULL);
    else if (strcmp(cmd, "stats") == 0)
        rc = do_stats(db);
    else if (strcmp(cmd, "compact") == 0)
        rc = do_compact(db);
    kv_buf_free(&val);
    decoded_free(&d);
    fflush(stdout);
    s = kv_close(db);
    if (s.code != KV_OK && !wrote) {
        fprintf(stderr,
                "kv: closing %s: %s (this run only read: its answers stand, "
                "and it wrote nothing that could be lost)\n",
                dir, s.msg);
        return rc;
    }
    if (s.code != KV_OK) {
        fprintf(stderr, "kv: closing %s: %s\n", dir, s.msg);
        return 1;
    }
    return rc;
}
