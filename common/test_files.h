/*
 * test_files.h - small file helpers shared by common/'s own unit tests of
 * the I/O layer (test_io.c, test_io_fault.c).
 *
 * Every helper goes through the env it is given, so what it does is counted
 * (and, in a faulty env, can be faulted or undone by power loss) like any
 * other call. Paths live in the running test's own directory (test_dir()).
 */
#ifndef KV_TEST_FILES_H
#define KV_TEST_FILES_H

#include "io.h"

#define PATH_MAX_ 512

/* out (PATH_MAX_ bytes) = "<test dir>/name". Cannot fail. */
void in_dir(char *out, const char *name);
/* Makes path hold exactly data (creating or emptying it); syncs the data
 * if sync, then the test directory if sync_dir. Errors: the first failed
 * call's. */
kv_status put_file(io_env *env, const char *path, const char *data, int sync,
                   int sync_dir);
/* Reads all of path into buf as a string (cap - 1 bytes at most, then a
 * NUL). Errors: io_open_read's or io_pread's. */
kv_status get_file(io_env *env, const char *path, char *buf, size_t cap);
/* 1 if path holds exactly want (under 256 bytes), else 0. */
int holds(io_env *env, const char *path, const char *want);
/* 1 if the status's message contains text. */
int has(kv_status s, const char *text);
/* 1 if the test directory is listed as empty; 0 if it holds a name (the
 * first is copied to first, cap bytes with NUL) or cannot be listed. */
int dir_is_empty(io_env *env, char *first, size_t cap);

#endif
