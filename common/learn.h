/*
 * learn.h - the stubs of a starter. `make learn STAGE=N` (tools/learn.py)
 * copies a stage with the bodies of the functions its learn.txt lists
 * replaced by one of these calls; the learner writes them back.
 *
 *     return learn_todo_status("table_get", "docs/03-sstable.md, section ...");
 *     learn_todo("memtable_put", "docs/03-sstable.md, section ...");
 *
 * learn_todo_status returns KV_NOT_IMPLEMENTED with "not implemented: write
 * table_get (docs/...)"; learn_todo, for a function returning anything
 * else, prints the same to stderr and aborts. Either way the test that
 * reached it fails and names the function and the section to read.
 */
#ifndef KV_LEARN_H
#define KV_LEARN_H

#include "status.h"

/* A starter's mark on a static function or variable that only a stubbed
 * body used: it goes when the last stub of its file is filled in. */
#define LEARN_UNUSED __attribute__((unused))
/* A starter's mark on a stub: maybe unused, and hidden from the optimizer
 * (seen through, a stub that sets no out-parameter would draw "may be used
 * uninitialized" warnings in its callers). */
#if defined(__clang__)
#define LEARN_STUB __attribute__((unused, noinline))
#else
#define LEARN_STUB __attribute__((unused, noipa))
#endif

_Noreturn void learn_todo(const char *function, const char *where);
kv_status learn_todo_status(const char *function, const char *where);

#endif
