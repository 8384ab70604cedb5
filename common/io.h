/*
 * io.h - the one door to the disk.
 *
 * Every file operation of every stage goes through an io_env. The env
 * counts what passes: reads, bytes read, writes, bytes written, syncs and
 * files opened. Those counts are exact where time is noisy, so the tests
 * and the charts are built on them.
 *
 * A test can also make an env misbehave:
 *   - fail the Nth write, sync, rename or any call (io_fault_fail_at), and
 *     then keep failing every mutating call, as a machine that lost power
 *     would (the "crashed" state);
 *   - simulate power loss (io_fault_power_loss): every byte written to a
 *     file since its last io_sync is dropped, and every create, rename and
 *     remove in a directory since that directory's last io_sync_dir is
 *     undone, newest first. This is the model of a POSIX file system that
 *     LevelDB's fault-injection test uses, and what fsync(2) promises;
 *   - fail or damage the nth read, by pread or through a mapping
 *     (io_fault_read_at): a disk that returned an error or bad bytes.
 *
 * Files are opened for reading (positioned reads) or for appending (every
 * write goes to the end; one io_append is one write(2) call). Nothing is
 * buffered in user space: when io_append returns, the bytes are in the
 * kernel, and a kill -9 of the process cannot lose them.
 *
 * Every function returns a kv_status whose message names the path, and the
 * offset where one applies. The counters may be read from any thread.
 */
#ifndef KV_IO_H
#define KV_IO_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

typedef struct io_env io_env;
typedef struct io_file io_file;

typedef struct io_counts {
    uint64_t reads; /* pread calls */
    uint64_t bytes_read;
    uint64_t writes; /* write calls */
    uint64_t bytes_written;
    uint64_t syncs; /* fsync/fdatasync calls, files and directories */
    uint64_t files_opened;
} io_counts;

/* A plain env over the real file system. Never NULL. */
io_env *io_env_new(void);
/* An env that records what it needs to simulate power loss and faults. */
io_env *io_env_new_faulty(void);
void io_env_free(io_env *env);

/* The counts so far (a consistent-enough snapshot; each field is exact). */
io_counts io_env_counts(io_env *env);
/* b - a, field by field. */
io_counts io_counts_sub(io_counts b, io_counts a);

/* --- files --------------------------------------------------------------- */

/* Opens an existing file for positioned reads. */
kv_status io_open_read(io_env *env, const char *path, io_file **out);
/*
 * Opens a file for appending, creating it if needed (a creation is a
 * directory change: durable only after io_sync_dir). With truncate, the
 * file starts empty.
 */
kv_status io_open_append(io_env *env, const char *path, int truncate,
                         io_file **out);

/*
 * Reads up to n bytes at offset into buf; *got says how many (fewer only at
 * the end of the file). One pread(2) call, counted.
 */
kv_status io_pread(io_file *f, void *buf, size_t n, uint64_t offset,
                   size_t *got);
/* Reads exactly n bytes at offset, or fails naming the short read. */
kv_status io_pread_full(io_file *f, void *buf, size_t n, uint64_t offset);
/* Appends n bytes with one write(2) call (retried only if it was short). */
kv_status io_append(io_file *f, const void *buf, size_t n);
/* Makes the file's data durable (fdatasync). */
kv_status io_sync(io_file *f);
/* Cuts the file to size bytes. */
kv_status io_truncate(io_file *f, uint64_t size);
/* The file's size in bytes. */
kv_status io_size(io_file *f, uint64_t *size);
/* The path the file was opened with. */
const char *io_path(const io_file *f);
/* Closes the file. NULL is a no-op. Always frees f. */
kv_status io_close(io_file *f);

/* --- mapped reads (io_map.c) --------------------------------------------- */

/*
 * A file read in place from a read-only memory mapping: io_map_read hands
 * back a pointer into the mapping, with no system call and no copy. It is
 * still a read of this layer: counted exactly as an io_pread of the same
 * bytes (reads + 1, bytes_read + n), and failed or damaged on a faulty env
 * as a pread is (io_fault_read_at). Mapped files must not change: the
 * course maps only tables, which are written once; a file cut short under
 * a mapping would kill the process with SIGBUS when a read touched the
 * missing pages.
 */
typedef struct io_map io_map;

/* Maps the first size bytes of f (its whole size: io_size). f may be
 * closed afterwards; the mapping stays until io_map_close. */
kv_status io_map_open(io_file *f, uint64_t size, io_map **out);
/*
 * Points *out at the n bytes at offset, valid until io_map_close. A range
 * past the end is KV_IO_ERROR naming the path and offset (counted as a
 * read, as a short pread is). Safe from many threads at once.
 */
kv_status io_map_read(io_map *m, uint64_t offset, size_t n, const char **out);
/* The path the mapped file was opened with. */
const char *io_map_path(const io_map *m);
/* Unmaps. NULL is a no-op. Every pointer io_map_read gave is then gone. */
void io_map_close(io_map *m);

/* --- directories ------------------------------------------------------- */

/* Creates the directory (and parents); an existing one is fine. */
kv_status io_mkdir(io_env *env, const char *path);
/* Renames from to to, replacing to. Durable only after io_sync_dir. */
kv_status io_rename(io_env *env, const char *from, const char *to);
/* Removes a file. Durable only after io_sync_dir. */
kv_status io_remove(io_env *env, const char *path);
/* Makes the directory's entries (creates, renames, removes) durable. */
kv_status io_sync_dir(io_env *env, const char *dir);
/* 1 if path exists, else 0. */
int io_exists(io_env *env, const char *path);
/* The size of the file at path. */
kv_status io_file_size(io_env *env, const char *path, uint64_t *size);

/*
 * The names in dir (not "." or ".."), sorted bytewise, as a NULL-terminated
 * array the caller frees with io_names_free.
 */
kv_status io_list_dir(io_env *env, const char *dir, char ***names);
void io_names_free(char **names);

/* --- fault injection (envs made by io_env_new_faulty) -------------------- */

typedef enum io_op {
    IO_OP_ANY,    /* every counted call below */
    IO_OP_WRITE,  /* io_append */
    IO_OP_SYNC,   /* io_sync and io_sync_dir */
    IO_OP_RENAME, /* io_rename */
    IO_OP_REMOVE, /* io_remove */
    IO_OP_TRUNCATE,
    IO_OP_CREATE, /* io_open_append of a file that did not exist */
} io_op;

/*
 * The nth call (1-based, counted from now) of kind op fails with
 * KV_IO_ERROR ("injected fault"), and the env enters the crashed state:
 * every later mutating call (append, sync, truncate, rename, remove, create,
 * mkdir) fails too, as on a machine that lost power at that instant.
 * Reads keep working. n = 0 disarms.
 */
void io_fault_fail_at(io_env *env, io_op op, uint64_t n);
/* Enters the crashed state now. */
void io_fault_crash(io_env *env);
/* 1 once the env is in the crashed state. */
int io_fault_crashed(io_env *env);
/* How many calls of kind op the env has seen (the n to give fail_at). */
uint64_t io_fault_calls(io_env *env, io_op op);

/*
 * Holds a call in the middle, so a test can look at what other threads can
 * do meanwhile (a get while a compaction is stuck half way, say): the nth
 * call (1-based, from now) of kind op whose path ends in `suffix` (NULL: any
 * path) blocks before doing anything, until io_fault_release. Other
 * threads' calls go on. io_fault_wait_held waits up to timeout_ms for a
 * call to be held and says whether one is. A no-op on a plain env.
 */
void io_fault_hold(io_env *env, io_op op, uint64_t n, const char *suffix);
int io_fault_wait_held(io_env *env, int timeout_ms);
void io_fault_release(io_env *env);
/* Lets the held call go on and arms the next hold (as io_fault_hold) in the
 * same step, so the released thread cannot slip past it. */
void io_fault_release_hold(io_env *env, io_op op, uint64_t n,
                           const char *suffix);

/*
 * Reads (io_pread and io_map_read): the nth read (1-based, from now) of a
 * file whose path ends in suffix (NULL: any) fails with KV_IO_ERROR
 * ("injected read fault"), or, with damage, succeeds but with the middle
 * byte of what it returns flipped, as from a disk that returned bad data
 * (the file itself is untouched). n = 0 disarms. Reads are not among the
 * calls io_fault_fail_at counts, and keep working in the crashed state.
 */
void io_fault_read_at(io_env *env, uint64_t n, const char *suffix,
                      int damage);

/*
 * Power loss: undoes, on the real file system, everything that was not made
 * durable (see the top of this file), then leaves the crashed state and
 * forgets all history, as if the machine had just booted. Every io_file of
 * this env must be closed first. Returns an error only if the file system
 * itself refused.
 */
kv_status io_fault_power_loss(io_env *env);

/* Copies the file from into a new file to (replaced if there), byte for
 * byte, with plain POSIX calls: through no env, counted nowhere. Power
 * loss uses it to move a file across file systems; tests copy stores with
 * it. Returns 0, or -1 with errno set. */
int io_fault_copy_file(const char *from, const char *to);

/* --- creating and locking ------------------------------------------------ */

/*
 * Creates the file at path for appending; it must not exist (O_EXCL), so
 * neither a planted file nor a symbolic link there is ever written through:
 * remove a leftover first. A creation, as io_open_append's (IO_OP_CREATE).
 */
kv_status io_create(io_env *env, const char *path, io_file **out);

/*
 * Takes an exclusive lock on the file at path (flock(2), LOCK_EX | LOCK_NB),
 * creating it empty if needed; a symbolic link there is refused. On success
 * *out holds the lock until io_unlock, and the kernel drops it when the
 * process ends, however it ends. When another open file holds the lock
 * (another process, or another io_lock in this one: a flock lock belongs to
 * an open file, not to a process), the status is OK and *out is NULL: the
 * caller says what is in use. A child forked while the lock is held shares
 * it until the child exits. The lock holds no data: it is not counted, and
 * a faulty env neither fails nor journals it. Errors name the path.
 */
kv_status io_lock(io_env *env, const char *path, io_file **out);
/* Drops the lock io_lock took and frees f. NULL is a no-op. */
kv_status io_unlock(io_file *f);

#endif
