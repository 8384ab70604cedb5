/*
 * io_fault.c - the faulty env's bookkeeping: injected faults, the crashed
 * state and power loss (see io.h for the contract, io_internal.h for how
 * io.c calls in here).
 *
 * A faulty env does the same real operations as a plain one (io.c),
 * serialized by a mutex, plus the bookkeeping that power loss needs (the
 * model of LevelDB's fault_injection_test, extended to removes):
 *   - a record per file opened for appending: where the file is now and its
 *     durable size (its size at its last io_sync; for a file that existed
 *     before, its size when first opened; for a new file, 0). The record
 *     belongs to the file, not the name: it follows renames, so a file
 *     synced under its new name is durable under its old one too.
 *   - a journal of directory changes not yet made durable by io_sync_dir:
 *     CREATE(path), RENAME(from, to, displaced) and REMOVE(path). A removed
 *     or displaced file is not deleted but moved into a private graveyard
 *     directory (made with mkdtemp under $TMPDIR or /tmp, never inside the
 *     store), from which power loss can bring it back.
 * Power loss undoes the journal newest first, cuts every tracked file to its
 * durable size, and forgets everything; it refuses (KV_INVALID_ARGUMENT)
 * while a file of the env is open. Reads never take the lock.
 * Not modelled: mkdir (durable at once), a truncate (it cannot be undone,
 * so it lowers the durable size at once), and a rename across directories
 * (durable when the new name's directory is synced). Tracking keys on
 * path strings as callers spell them; the directory of "dir/name" is "dir".
 */
#include "io_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A file the faulty env tracks. */
struct frec {
    char *path;       /* where the file is now; NULL once it is gone */
    uint64_t durable; /* bytes that survive power loss */
    struct frec *next;
};

typedef enum { J_CREATE, J_RENAME, J_REMOVE } jkind;

/* A directory change that io_sync_dir has not yet made durable. */
struct jentry {
    jkind kind;
    char *dir;   /* the directory whose sync makes it durable */
    char *path;  /* the created or removed name; for a rename, the new one */
    char *from;  /* RENAME: the old name */
    char *grave; /* the removed or displaced file in the graveyard, or NULL */
    struct jentry *next; /* the next older entry */
};

/* ---- helpers ----------------------------------------------------------- */

/* The directory of path, malloc'd: everything before the last '/', or ".". */
static char *dir_of(const char *path) {
    const char *slash = strrchr(path, '/');
    if (slash == NULL) return xstrdup(".");
    char *d = xmalloc((size_t)(slash - path) + 1);
    memcpy(d, path, (size_t)(slash - path));
    d[slash - path] = '\0';
    return d;
}

int io_fault_copy_file(const char *from, const char *to) {
    char buf[65536];
    int in = open(from, O_RDONLY | O_CLOEXEC), out = -1, rc = -1;
    if (in < 0) return -1;
    out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0) goto done;
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            rc = (int)n;
            break;
        }
        for (ssize_t w = 0; w < n;) {
            ssize_t k = write(out, buf + w, (size_t)(n - w));
            if (k < 0 && errno != EINTR) goto done;
            if (k > 0) w += k;
        }
    }
done:
    if (out >= 0) close(out);
    close(in);
    return rc;
}

/* Moves a file, copying when rename(2) cannot cross file systems. */
static int move_file(const char *from, const char *to) {
    if (rename(from, to) == 0) return 0;
    if (errno != EXDEV) return -1;
    return io_fault_copy_file(from, to) == 0 && unlink(from) == 0 ? 0 : -1;
}

/* ---- records, journal, graveyard (caller holds env->mu) ---------------- */

/* The live record of the file now at path, or NULL. */
static frec *rec_find(io_env *env, const char *path) {
    for (frec *r = env->files; r != NULL; r = r->next)
        if (r->path != NULL && strcmp(r->path, path) == 0) return r;
    return NULL;
}

/* The file at from moved to to (to NULL: it is gone for good). */
static void rec_move(io_env *env, const char *from, const char *to) {
    frec *r = rec_find(env, from);
    if (r == NULL) return;
    free(r->path);
    r->path = to != NULL ? xstrdup(to) : NULL;
}

/* Records a directory change; takes ownership of grave. */
static void journal_add(io_env *env, jkind kind, const char *path,
                        const char *from, char *grave) {
    jentry *e = xcalloc(1, sizeof *e);
    e->kind = kind;
    e->dir = dir_of(path);
    e->path = xstrdup(path);
    e->from = from != NULL ? xstrdup(from) : NULL;
    e->grave = grave;
    e->next = env->journal;
    env->journal = e;
}

static void jentry_free(jentry *e) {
    free(e->dir);
    free(e->path);
    free(e->from);
    free(e->grave);
    free(e);
}

/* A fresh graveyard path in *out (caller frees), making the dir if needed. */
static kv_status grave_path(io_env *env, char **out) {
    if (env->grave_dir == NULL) {
        const char *tmp = getenv("TMPDIR");
        char templ[4096];
        snprintf(templ, sizeof templ, "%s/kv-graveyard-XXXXXX",
                 tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
        if (mkdtemp(templ) == NULL) return io_sys_error(templ);
        env->grave_dir = xstrdup(templ);
    }
    size_t n = strlen(env->grave_dir) + 32;
    *out = xmalloc(n);
    snprintf(*out, n, "%s/%" PRIu64, env->grave_dir, ++env->grave_seq);
    return kv_ok();
}

/* Forgets all fault and power-loss history (caller holds env->mu). */
static void fault_forget(io_env *env) {
    while (env->files != NULL) {
        frec *r = env->files;
        env->files = r->next;
        free(r->path);
        free(r);
    }
    while (env->journal != NULL) {
        jentry *e = env->journal;
        env->journal = e->next;
        if (e->grave != NULL) unlink(e->grave);
        jentry_free(e);
    }
    memset(env->calls, 0, sizeof env->calls);
    env->fail_at = 0;
    env->crashed = 0;
}

/* ---- calls from io.c (see io_internal.h) ------------------------------- */

/* Blocks the caller (env->mu held) if this is the call io_fault_hold
 * named, until io_fault_release; waiting releases env->mu meanwhile. */
static void hold_if_asked(io_env *env, int op, const char *path) {
    if (env->hold_left == 0) return;
    if (env->hold_op != (io_op)op && env->hold_op != IO_OP_ANY) return;
    size_t n = strlen(path),
           m = env->hold_suffix ? strlen(env->hold_suffix) : 0;
    if (m > n || (m && strcmp(path + n - m, env->hold_suffix) != 0)) return;
    if (--env->hold_left > 0) return;
    uint64_t releases = env->releases;
    env->holding = 1;
    pthread_cond_broadcast(&env->held);
    while (env->releases == releases) pthread_cond_wait(&env->held, &env->mu);
}

/* Counts, fails and locks a call; a plain env always says OK. */
kv_status fault_begin(io_env *env, int op, const char *path) {
    if (!env->faulty) return kv_ok();
    pthread_mutex_lock(&env->mu);
    int hit = 0;
    if (op != IO_OP_NONE) {
        env->calls[op]++;
        env->calls[IO_OP_ANY]++;
        hit = env->fail_at != 0 &&
              (env->fail_op == (io_op)op || env->fail_op == IO_OP_ANY) &&
              env->calls[env->fail_op] == env->fail_at;
    }
    if (op != IO_OP_NONE) hold_if_asked(env, op, path);
    if (env->crashed)
        return kv_error(KV_IO_ERROR, "%s: injected fault (crashed)", path);
    if (hit) {
        env->crashed = 1;
        env->fail_at = 0;
        return kv_error(KV_IO_ERROR, "%s: injected fault", path);
    }
    return kv_ok();
}

/* Ends a call begun with fault_begin. */
void fault_end(io_env *env) {
    if (env->faulty) pthread_mutex_unlock(&env->mu);
}

/*
 * *out is a new io_file the caller closes. Journals a creation and starts
 * tracking the file's durable size. Errors: those of fault_begin and
 * io_open_file.
 */
kv_status fault_open_append(io_env *env, const char *path, int flags,
                            int truncate, io_file **out) {
    struct stat st;
    int existed = stat(path, &st) == 0;
    kv_status s = fault_begin(env, existed ? IO_OP_NONE : IO_OP_CREATE, path);
    if (kv_is_ok(s)) s = io_open_file(env, path, flags, out);
    if (kv_is_ok(s)) {
        frec *r = rec_find(env, path);
        if (r == NULL) {
            r = xcalloc(1, sizeof *r);
            r->path = xstrdup(path);
            r->durable = existed ? (uint64_t)st.st_size : 0;
            r->next = env->files;
            env->files = r;
        }
        if (!existed) journal_add(env, J_CREATE, path, NULL, NULL);
        if (!existed || truncate) r->durable = 0;
        (*out)->rec = r;
        env->open_files++;
    }
    fault_end(env);
    return s;
}

/* The faulty rename: moves a displaced to into the graveyard first. */
kv_status fault_rename(io_env *env, const char *from, const char *to) {
    struct stat st;
    char *grave = NULL;
    if (lstat(from, &st) != 0) return io_rename_error(from, to);
    if (strcmp(from, to) == 0) return kv_ok();
    if (lstat(to, &st) == 0) {
        kv_status s = grave_path(env, &grave);
        if (!kv_is_ok(s)) return s;
        if (move_file(to, grave) != 0) {
            free(grave);
            return io_sys_error(to);
        }
        rec_move(env, to, grave);
    }
    if (rename(from, to) != 0) {
        kv_status s = io_rename_error(from, to);
        if (grave != NULL && move_file(grave, to) == 0)
            rec_move(env, grave, to);
        free(grave);
        return s;
    }
    rec_move(env, from, to);
    journal_add(env, J_RENAME, to, from, grave);
    return kv_ok();
}

/* The faulty remove: moves the file into the graveyard instead. */
kv_status fault_remove(io_env *env, const char *path) {
    struct stat st;
    char *grave = NULL;
    kv_status s = kv_ok();
    if (lstat(path, &st) != 0) s = io_sys_error(path);
    if (kv_is_ok(s)) s = grave_path(env, &grave);
    if (kv_is_ok(s) && move_file(path, grave) != 0) s = io_sys_error(path);
    if (kv_is_ok(s)) {
        rec_move(env, path, grave);
        journal_add(env, J_REMOVE, path, NULL, grave);
    } else {
        free(grave);
    }
    return s;
}

/* Marks f's size durable; a no-op for an untracked file. Cannot fail. */
void fault_synced(io_file *f) {
    struct stat st;
    if (f->rec != NULL && fstat(f->fd, &st) == 0)
        f->rec->durable = (uint64_t)st.st_size;
}

/* A truncate cannot be undone, so it lowers the durable size at once. */
void fault_truncated(io_file *f, uint64_t size) {
    if (f->rec != NULL && f->rec->durable > size) f->rec->durable = size;
}

/*
 * Drops dir's journal entries and the graveyard files they kept. "dir" and
 * "dir/" are the same directory. A no-op on a plain env.
 */
void fault_dir_synced(io_env *env, const char *dir) {
    if (!env->faulty) return;
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/') n--;
    for (jentry **pp = &env->journal; *pp != NULL;) {
        jentry *e = *pp;
        if (strncmp(e->dir, dir, n) != 0 || e->dir[n] != '\0') {
            pp = &e->next;
            continue;
        }
        if (e->grave != NULL) {
            unlink(e->grave);
            rec_move(env, e->grave, NULL);
        }
        *pp = e->next;
        jentry_free(e);
    }
}

/* Counts an open file (power loss refuses while any is). */
void fault_file_opened(io_env *env) {
    if (!env->faulty) return;
    pthread_mutex_lock(&env->mu);
    env->open_files++;
    pthread_mutex_unlock(&env->mu);
}

/* Uncounts a closed file. */
void fault_file_closed(io_env *env) {
    if (!env->faulty) return;
    pthread_mutex_lock(&env->mu);
    env->open_files--;
    pthread_mutex_unlock(&env->mu);
}

/* Forgets env's history and removes its graveyard. Its files are closed. */
void fault_env_free(io_env *env) {
    if (!env->faulty) return;
    fault_forget(env);
    if (env->grave_dir != NULL) rmdir(env->grave_dir);
    free(env->grave_dir);
    free(env->hold_suffix);
    free(env->read_suffix);
    pthread_cond_destroy(&env->held);
    pthread_mutex_destroy(&env->mu);
}

/* ---- fault injection (io.h) -------------------------------------------- */

/* A new faulty env; its graveyard is made on first need. Never NULL. */
io_env *io_env_new_faulty(void) {
    io_env *env = io_env_new();
    env->faulty = 1;
    pthread_mutex_init(&env->mu, NULL);
    pthread_cond_init(&env->held, NULL);
    return env;
}

/* Arms a hold (see io.h); a no-op on a plain env. */
void io_fault_hold(io_env *env, io_op op, uint64_t n, const char *suffix) {
    if (!env->faulty) return;
    pthread_mutex_lock(&env->mu);
    env->hold_op = op;
    env->hold_left = n;
    free(env->hold_suffix);
    env->hold_suffix = suffix ? xstrdup(suffix) : NULL;
    pthread_mutex_unlock(&env->mu);
}

/* 1 once a call is held; 0 if none is after timeout_ms. */
int io_fault_wait_held(io_env *env, int timeout_ms) {
    if (!env->faulty) return 0;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&env->mu);
    while (!env->holding &&
           pthread_cond_timedwait(&env->held, &env->mu, &until) == 0) {}
    int held = env->holding;
    pthread_mutex_unlock(&env->mu);
    return held;
}

/* Lets a held call go on (and disarms a hold not yet reached). */
void io_fault_release(io_env *env) {
    if (!env->faulty) return;
    pthread_mutex_lock(&env->mu);
    env->holding = 0;
    env->hold_left = 0;
    env->releases++;
    pthread_cond_broadcast(&env->held);
    pthread_mutex_unlock(&env->mu);
}

/* Releases the held call and arms the next hold, under one lock. */
void io_fault_release_hold(io_env *env, io_op op, uint64_t n,
                           const char *suffix) {
    if (!env->faulty) return;
    pthread_mutex_lock(&env->mu);
    env->holding = 0;
    env->releases++;
    env->hold_op = op;
    env->hold_left = n;
    free(env->hold_suffix);
    env->hold_suffix = suffix ? xstrdup(suffix) : NULL;
    pthread_cond_broadcast(&env->held);
    pthread_mutex_unlock(&env->mu);
}

/* Arms (n > 0) or disarms (n = 0) the nth next call of kind op to fail;
 * a no-op on a plain env. */
void io_fault_fail_at(io_env *env, io_op op, uint64_t n) {
    if (!env->faulty) return;
    pthread_mutex_lock(&env->mu);
    env->fail_op = op;
    env->fail_at = n == 0 ? 0 : env->calls[op] + n;
    pthread_mutex_unlock(&env->mu);
}

/* Enters the crashed state (no-op on a plain env). */
void io_fault_crash(io_env *env) {
    if (!env->faulty) return;
    pthread_mutex_lock(&env->mu);
    env->crashed = 1;
    pthread_mutex_unlock(&env->mu);
}

/* 1 if the env is crashed; always 0 for a plain env. */
int io_fault_crashed(io_env *env) {
    if (!env->faulty) return 0;
    pthread_mutex_lock(&env->mu);
    int c = env->crashed;
    pthread_mutex_unlock(&env->mu);
    return c;
}

/* Calls of kind op since creation or the last power loss (0 if plain). */
uint64_t io_fault_calls(io_env *env, io_op op) {
    if (!env->faulty) return 0;
    pthread_mutex_lock(&env->mu);
    uint64_t n = env->calls[op];
    pthread_mutex_unlock(&env->mu);
    return n;
}

/* ---- power loss -------------------------------------------------------- */

/* Moves a file and its record back; *s keeps the first error. */
static void undo_move(io_env *env, const char *from, const char *to,
                      kv_status *s) {
    if (move_file(from, to) != 0) {
        if (kv_is_ok(*s)) *s = io_rename_error(from, to);
        return;
    }
    rec_move(env, from, to);
}

/* Undoes one journal entry on the real file system. */
static void undo_entry(io_env *env, const jentry *e, kv_status *s) {
    switch (e->kind) {
    case J_CREATE:
        if (unlink(e->path) != 0 && errno != ENOENT && kv_is_ok(*s))
            *s = io_sys_error(e->path);
        rec_move(env, e->path, NULL);
        break;
    case J_RENAME:
        undo_move(env, e->path, e->from, s);
        if (e->grave != NULL) undo_move(env, e->grave, e->path, s);
        break;
    case J_REMOVE:
        undo_move(env, e->grave, e->path, s);
        break;
    }
}

/*
 * Undoes every journal entry newest first, cuts every tracked file to its
 * durable size, then forgets everything. KV_INVALID_ARGUMENT if a file of
 * env is still open or env is not faulty; KV_IO_ERROR (the first one) if
 * the file system refused a step, after trying all the others.
 */
kv_status io_fault_power_loss(io_env *env) {
    if (!env->faulty)
        return kv_error(KV_INVALID_ARGUMENT, "power loss needs a faulty env");
    pthread_mutex_lock(&env->mu);
    kv_status s = kv_ok();
    if (env->open_files != 0) {
        s = kv_error(KV_INVALID_ARGUMENT, "power loss with %d files still open",
                     env->open_files);
        pthread_mutex_unlock(&env->mu);
        return s;
    }
    for (jentry *e = env->journal; e != NULL; e = e->next)
        undo_entry(env, e, &s);
    for (frec *r = env->files; r != NULL; r = r->next) {
        struct stat st;
        if (r->path == NULL || stat(r->path, &st) != 0) continue;
        if ((uint64_t)st.st_size > r->durable &&
            truncate(r->path, (off_t)r->durable) != 0 && kv_is_ok(s))
            s = io_sys_error(r->path);
    }
    fault_forget(env);
    pthread_mutex_unlock(&env->mu);
    return s;
}

/* ---- read faults (io_pread, io_map_read) -------------------------------- */

/* Arms (n > 0) or disarms the nth next read to fail or be damaged; a no-op
 * on a plain env. */
void io_fault_read_at(io_env *env, uint64_t n, const char *suffix,
                      int damage) {
    if (!env->faulty) return;
    pthread_mutex_lock(&env->mu);
    env->read_left = n;
    env->read_damage = damage;
    free(env->read_suffix);
    env->read_suffix = suffix ? xstrdup(suffix) : NULL;
    pthread_mutex_unlock(&env->mu);
}

/* 1 if this read is the one io_fault_read_at named (see io_internal.h). */
int fault_read_hit(io_env *env, const char *path, int *damage) {
    pthread_mutex_lock(&env->mu);
    int hit = 0;
    if (env->read_left > 0) {
        size_t n = strlen(path),
               k = env->read_suffix ? strlen(env->read_suffix) : 0;
        if (k <= n && (k == 0 || strcmp(path + n - k, env->read_suffix) == 0))
            hit = --env->read_left == 0;
    }
    *damage = env->read_damage;
    pthread_mutex_unlock(&env->mu);
    return hit;
}
