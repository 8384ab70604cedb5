/*
 * io.c - the one door to the disk: the plain env over POSIX, and the file
 * and directory calls every env shares (see io.h for the contract).
 *
 * Every call is one system call (write(2) loops only when the kernel wrote
 * less than asked), EINTR is retried, and the counters are C11 atomics
 * updated with relaxed order, so many threads may share one env.
 *
 * A faulty env (io_env_new_faulty) goes through the same calls; its lock,
 * injected faults and power-loss bookkeeping live in io_fault.c, which this
 * file calls at the points io_internal.h lists: fault_begin/fault_end around
 * every mutating call, and a fault_* hook where a faulty env must record
 * or do something different. On a plain env fault_begin always says OK and
 * the hooks do nothing.
 */
#include "io_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- helpers ----------------------------------------------------------- */

/* Counters are relaxed atomics: each is exact, their snapshot is loose. */
static void bump(_Atomic uint64_t *c, uint64_t n) {
    atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

static uint64_t load(_Atomic uint64_t *c) {
    return atomic_load_explicit(c, memory_order_relaxed);
}

/* "<path>: <strerror(errno)>". */
kv_status io_sys_error(const char *path) {
    return kv_error(KV_IO_ERROR, "%s: %s", path, strerror(errno));
}

/* "<from> -> <to>: <strerror(errno)>". */
kv_status io_rename_error(const char *from, const char *to) {
    return kv_error(KV_IO_ERROR, "%s -> %s: %s", from, to, strerror(errno));
}

/* ---- envs -------------------------------------------------------------- */

/* A new plain env the caller frees with io_env_free. Never NULL. */
io_env *io_env_new(void) { return xcalloc(1, sizeof(io_env)); }

/* Frees env (and a faulty env's graveyard). Its files must be closed first. */
void io_env_free(io_env *env) {
    if (env == NULL) return;
    fault_env_free(env);
    free(env);
}

/* A snapshot of the counters, each read atomically. Cannot fail. */
io_counts io_env_counts(io_env *env) {
    io_counts c = {load(&env->reads),  load(&env->bytes_read),
                   load(&env->writes), load(&env->bytes_written),
                   load(&env->syncs),  load(&env->files_opened)};
    return c;
}

/* b - a, field by field. Cannot fail. */
io_counts io_counts_sub(io_counts b, io_counts a) {
    io_counts c = {b.reads - a.reads,   b.bytes_read - a.bytes_read,
                   b.writes - a.writes, b.bytes_written - a.bytes_written,
                   b.syncs - a.syncs,   b.files_opened - a.files_opened};
    return c;
}

/* ---- files ------------------------------------------------------------- */

/* Opens path with flags into a new io_file, counted. */
kv_status io_open_file(io_env *env, const char *path, int flags,
                       io_file **out) {
    int fd;
    do fd = open(path, flags | O_CLOEXEC, 0644);
    while (fd < 0 && errno == EINTR);
    if (fd < 0 && errno == ELOOP && (flags & O_NOFOLLOW))
        return kv_error(KV_IO_ERROR, "%s: a symbolic link (never followed)",
                        path);
    if (fd < 0) return io_sys_error(path);
    io_file *f = xcalloc(1, sizeof *f);
    f->env = env;
    f->fd = fd;
    f->path = xstrdup(path);
    bump(&env->files_opened, 1);
    *out = f;
    return kv_ok();
}

/* *out is a new io_file the caller closes; on error *out is untouched. */
kv_status io_open_read(io_env *env, const char *path, io_file **out) {
    kv_status s = io_open_file(env, path, O_RDONLY, out);
    if (kv_is_ok(s)) fault_file_opened(env);
    return s;
}

/*
 * *out is a new io_file the caller closes. A faulty env journals a creation
 * and starts tracking the file's durable size (fault_open_append).
 */
kv_status io_open_append(io_env *env, const char *path, int truncate,
                         io_file **out) {
    int flags =
        O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | (truncate ? O_TRUNC : 0);
    if (!env->faulty) return io_open_file(env, path, flags, out);
    return fault_open_append(env, path, flags, truncate, out);
}

/* One pread(2) (retried on EINTR); *got < n only at the end of the file. */
kv_status io_pread(io_file *f, void *buf, size_t n, uint64_t offset,
                   size_t *got) {
    ssize_t k;
    for (;;) {
        k = pread(f->fd, buf, n, (off_t)offset);
        bump(&f->env->reads, 1);
        if (k >= 0 || errno != EINTR) break;
    }
    if (k < 0)
        return kv_error(KV_IO_ERROR, "%s: %s at offset %" PRIu64, f->path,
                        strerror(errno), offset);
    bump(&f->env->bytes_read, (uint64_t)k);
    *got = (size_t)k;
    int damage;
    if (f->env->faulty && fault_read_hit(f->env, f->path, &damage)) {
        if (!damage)
            return kv_error(KV_IO_ERROR,
                            "%s: injected read fault at offset %" PRIu64,
                            f->path, offset);
        if (k > 0) ((char *)buf)[k / 2] ^= (char)0xff;
    }
    return kv_ok();
}

/* One io_pread; fewer than n bytes is a KV_IO_ERROR naming the short read. */
kv_status io_pread_full(io_file *f, void *buf, size_t n, uint64_t offset) {
    size_t got = 0;
    kv_status s = io_pread(f, buf, n, offset, &got);
    if (kv_is_ok(s) && got < n)
        return kv_error(KV_IO_ERROR,
                        "%s: short read at offset %" PRIu64
                        ": wanted %zu bytes, got %zu",
                        f->path, offset, n, got);
    return s;
}

/* One write(2) per call to the kernel; loops only on a short write. */
static kv_status append_fd(io_file *f, const char *p, size_t n) {
    while (n > 0) {
        ssize_t k = write(f->fd, p, n);
        bump(&f->env->writes, 1);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) return io_sys_error(f->path);
        bump(&f->env->bytes_written, (uint64_t)k);
        p += k;
        n -= (size_t)k;
    }
    return kv_ok();
}

/* Appends buf[0..n); the caller keeps buf. KV_IO_ERROR naming the path. */
kv_status io_append(io_file *f, const void *buf, size_t n) {
    kv_status s = fault_begin(f->env, IO_OP_WRITE, f->path);
    if (kv_is_ok(s)) s = append_fd(f, buf, n);
    fault_end(f->env);
    return s;
}

/* fdatasync(2), counted; a faulty env marks the file's size durable. */
kv_status io_sync(io_file *f) {
    kv_status s = fault_begin(f->env, IO_OP_SYNC, f->path);
    if (kv_is_ok(s)) {
        int rc;
        do rc = fdatasync(f->fd);
        while (rc != 0 && errno == EINTR);
        bump(&f->env->syncs, 1);
        if (rc != 0)
            s = io_sys_error(f->path);
        else
            fault_synced(f);
    }
    fault_end(f->env);
    return s;
}

/* ftruncate(2); a truncate cannot be undone, so it is durable at once. */
kv_status io_truncate(io_file *f, uint64_t size) {
    kv_status s = fault_begin(f->env, IO_OP_TRUNCATE, f->path);
    if (kv_is_ok(s)) {
        int rc;
        do rc = ftruncate(f->fd, (off_t)size);
        while (rc != 0 && errno == EINTR);
        if (rc != 0)
            s = io_sys_error(f->path);
        else
            fault_truncated(f, size);
    }
    fault_end(f->env);
    return s;
}

/* fstat(2): *size is the file's size. KV_IO_ERROR naming the path. */
kv_status io_size(io_file *f, uint64_t *size) {
    struct stat st;
    if (fstat(f->fd, &st) != 0) return io_sys_error(f->path);
    *size = (uint64_t)st.st_size;
    return kv_ok();
}

/* The path f was opened with, owned by f. */
const char *io_path(const io_file *f) { return f->path; }

/* Closes and frees f, even when close(2) reports an error. */
kv_status io_close(io_file *f) {
    if (f == NULL) return kv_ok();
    kv_status s = kv_ok();
    if (close(f->fd) != 0) s = io_sys_error(f->path);
    fault_file_closed(f->env);
    free(f->path);
    free(f);
    return s;
}

/* ---- directories ------------------------------------------------------- */

/* mkdir -p. Not journaled: a new directory is durable at once. */
kv_status io_mkdir(io_env *env, const char *path) {
    kv_status s = fault_begin(env, IO_OP_NONE, path);
    char *p = xstrdup(path);
    size_t len = strlen(p);
    for (size_t i = 1; kv_is_ok(s) && i <= len; i++) {
        if (p[i] != '/' && p[i] != '\0') continue;
        char save = p[i];
        p[i] = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST) s = io_sys_error(p);
        p[i] = save;
    }
    struct stat st;
    if (kv_is_ok(s) && stat(path, &st) != 0)
        s = io_sys_error(path);
    else if (kv_is_ok(s) && !S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        s = io_sys_error(path);
    }
    free(p);
    fault_end(env);
    return s;
}

/* rename(2), replacing to. KV_IO_ERROR "<from> -> <to>: <why>". */
kv_status io_rename(io_env *env, const char *from, const char *to) {
    kv_status s = fault_begin(env, IO_OP_RENAME, from);
    if (kv_is_ok(s) && env->faulty)
        s = fault_rename(env, from, to);
    else if (kv_is_ok(s) && rename(from, to) != 0)
        s = io_rename_error(from, to);
    fault_end(env);
    return s;
}

/* unlink(2); a faulty env moves the file into its graveyard instead. */
kv_status io_remove(io_env *env, const char *path) {
    kv_status s = fault_begin(env, IO_OP_REMOVE, path);
    if (kv_is_ok(s) && env->faulty)
        s = fault_remove(env, path);
    else if (kv_is_ok(s) && unlink(path) != 0)
        s = io_sys_error(path);
    fault_end(env);
    return s;
}

/* fsync(2) of the directory, counted as a sync (the open is not a file). */
kv_status io_sync_dir(io_env *env, const char *dir) {
    kv_status s = fault_begin(env, IO_OP_SYNC, dir);
    int fd = -1;
    if (kv_is_ok(s)) {
        do fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        while (fd < 0 && errno == EINTR);
        if (fd < 0) s = io_sys_error(dir);
    }
    if (fd >= 0) {
        int rc;
        do rc = fsync(fd);
        while (rc != 0 && errno == EINTR);
        bump(&env->syncs, 1);
        if (rc != 0) s = io_sys_error(dir);
        close(fd);
        if (rc == 0) fault_dir_synced(env, dir);
    }
    fault_end(env);
    return s;
}

/* 1 if stat(2) finds path. Not counted; works on a crashed env. */
int io_exists(io_env *env, const char *path) {
    (void)env;
    struct stat st;
    return stat(path, &st) == 0;
}

/* stat(2): *size is the size of path. KV_IO_ERROR naming the path. */
kv_status io_file_size(io_env *env, const char *path, uint64_t *size) {
    (void)env;
    struct stat st;
    if (stat(path, &st) != 0) return io_sys_error(path);
    *size = (uint64_t)st.st_size;
    return kv_ok();
}

/* qsort order for io_list_dir: bytewise. */
static int cmp_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* *names is a new NULL-terminated array, sorted with strcmp. */
kv_status io_list_dir(io_env *env, const char *dir, char ***names) {
    (void)env;
    DIR *d = opendir(dir);
    if (d == NULL) return io_sys_error(dir);
    size_t n = 0, cap = 16;
    char **v = xmalloc(cap * sizeof *v);
    struct dirent *e;
    errno = 0;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (n + 1 == cap) v = xrealloc(v, (cap *= 2) * sizeof *v);
        v[n++] = xstrdup(e->d_name);
    }
    v[n] = NULL;
    if (errno != 0) {
        kv_status s = io_sys_error(dir);
        closedir(d);
        io_names_free(v);
        return s;
    }
    closedir(d);
    qsort(v, n, sizeof *v, cmp_names);
    *names = v;
    return kv_ok();
}

/* Frees an io_list_dir array. NULL is a no-op. */
void io_names_free(char **names) {
    if (names == NULL) return;
    for (char **p = names; *p != NULL; p++) free(*p);
    free(names);
}

/* ---- creating and locking --------------------------------------------- */

/* *out is a new io_file the caller closes; EEXIST if anything is at path. */
kv_status io_create(io_env *env, const char *path, io_file **out) {
    int flags = O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_NOFOLLOW;
    if (!env->faulty) return io_open_file(env, path, flags, out);
    return fault_open_append(env, path, flags, 1, out);
}

/* *out is NULL (and the status OK) when another open file holds the lock. */
kv_status io_lock(io_env *env, const char *path, io_file **out) {
    int fd, rc;
    *out = NULL;
    do fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) return io_sys_error(path);
    do rc = flock(fd, LOCK_EX | LOCK_NB);
    while (rc != 0 && errno == EINTR);
    if (rc != 0) {
        kv_status s = errno == EWOULDBLOCK ? kv_ok() : io_sys_error(path);
        close(fd);
        return s;
    }
    io_file *f = xcalloc(1, sizeof *f);
    f->env = env;
    f->fd = fd;
    f->path = xstrdup(path);
    *out = f;
    return kv_ok();
}

/* Closing the file drops its flock lock; f is freed even on an error. */
kv_status io_unlock(io_file *f) {
    if (f == NULL) return kv_ok();
    kv_status s = kv_ok();
    if (close(f->fd) != 0) s = io_sys_error(f->path);
    free(f->path);
    free(f);
    return s;
}
