/*
 * io_internal.h - private to io.c and io_fault.c: the env and file structs
 * both see, and the calls each makes into the other. Nothing else includes
 * it; the contract is io.h.
 *
 * io.c does every real system call and keeps the counters. A faulty env
 * adds a lock and the bookkeeping power loss needs (io_fault.c); io.c
 * calls into it at fixed points:
 *   - fault_begin/fault_end around every mutating call (count, fail,
 *     serialize);
 *   - fault_open_append, fault_rename, fault_remove in place of the plain
 *     call, for a faulty env only;
 *   - fault_synced, fault_truncated, fault_dir_synced, fault_file_opened,
 *     fault_file_closed and fault_env_free to note what happened; these
 *     are no-ops on a plain env.
 */
#ifndef KV_IO_INTERNAL_H
#define KV_IO_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "io.h"

#define IO_OP_KINDS (IO_OP_CREATE + 1)
#define IO_OP_NONE  (-1) /* a mutating call that is not counted (mkdir) */

/* A file the faulty env tracks, and a journal entry (both in io_fault.c). */
typedef struct frec frec;
typedef struct jentry jentry;

struct io_env {
    _Atomic uint64_t reads, bytes_read, writes, bytes_written, syncs,
        files_opened;
    int faulty;
    /* Faulty envs only; everything below is guarded by mu. */
    pthread_mutex_t mu;
    int open_files;
    uint64_t calls[IO_OP_KINDS];
    io_op fail_op;
    uint64_t fail_at; /* fail when calls[fail_op] reaches this; 0: never */
    int crashed;
    frec *files;
    jentry *journal; /* newest first */
    char *grave_dir; /* made on first need */
    uint64_t grave_seq;
    /* io_fault_hold: the call to hold, and whether one is held now. */
    io_op hold_op;
    uint64_t hold_left; /* matching calls until the held one; 0: none */
    char *hold_suffix;
    int holding;
    uint64_t releases; /* io_fault_release calls: a held call waits for one */
    pthread_cond_t held; /* signalled when holding changes */
    /* io_fault_read_at: reads until the one to fail or damage; 0: none */
    uint64_t read_left;
    char *read_suffix;
    int read_damage;
};

struct io_file {
    io_env *env;
    int fd;
    frec *rec; /* faulty env, files opened for appending; else NULL */
    char *path;
};

/* ---- io.c --------------------------------------------------------------- */

/* KV_IO_ERROR "<path>: <strerror(errno)>". */
kv_status io_sys_error(const char *path);
/* KV_IO_ERROR "<from> -> <to>: <strerror(errno)>". */
kv_status io_rename_error(const char *from, const char *to);
/*
 * Opens path with flags (O_CLOEXEC added, EINTR retried) into a new io_file
 * the caller closes, counted in files_opened; on error *out is untouched.
 * Takes no lock and does no fault bookkeeping.
 */
kv_status io_open_file(io_env *env, const char *path, int flags, io_file **out);

/* ---- io_fault.c --------------------------------------------------------- */

/*
 * Starts a call on env: for a faulty env, takes the lock (fault_end drops
 * it), counts the call as kind op (IO_OP_NONE: not counted), and fails it
 * if the env is crashed or this is the call fail_at named. A plain env
 * always says OK.
 */
kv_status fault_begin(io_env *env, int op, const char *path);
/* Ends a call begun with fault_begin. */
void fault_end(io_env *env);

/* The faulty io_open_append, with the open flags io.c chose. */
kv_status fault_open_append(io_env *env, const char *path, int flags,
                            int truncate, io_file **out);
/* The faulty io_rename (caller holds env->mu). */
kv_status fault_rename(io_env *env, const char *from, const char *to);
/* The faulty io_remove (caller holds env->mu). */
kv_status fault_remove(io_env *env, const char *path);

/* f was synced: its size is now durable (caller holds env->mu). */
void fault_synced(io_file *f);
/* f was cut to size: no more than that is durable (caller holds env->mu). */
void fault_truncated(io_file *f, uint64_t size);
/* dir was synced: its journal entries are durable (caller holds env->mu). */
void fault_dir_synced(io_env *env, const char *dir);
/* A file of env was opened for reading, or one was closed (takes env->mu). */
void fault_file_opened(io_env *env);
void fault_file_closed(io_env *env);
/*
 * For a read of path on a faulty env (io_pread, io_map_read): 1 if it is
 * the read io_fault_read_at named, and *damage whether to damage it rather
 * than fail it. Takes env->mu.
 */
int fault_read_hit(io_env *env, const char *path, int *damage);
/* Frees a faulty env's history, graveyard and lock; not env itself. */
void fault_env_free(io_env *env);

#endif
