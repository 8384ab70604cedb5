/*
 * status.h - errors as values.
 *
 * Every function below the command line that can fail returns a kv_status:
 * a code and a short message saying what went wrong and where ("data.log:
 * offset 4096: bad header checksum"). Nothing below the CLI calls exit();
 * the one exception is running out of memory, which aborts in one place
 * (xmalloc and friends, below) so callers are not cluttered with it.
 *
 * A status is a small value, returned and copied like an int. The message
 * lives inside it, so there is nothing to free.
 */
#ifndef KV_STATUS_H
#define KV_STATUS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum kv_code {
    KV_OK = 0,
    KV_NOT_FOUND,        /* a get for a key that is not there */
    KV_CORRUPTION,       /* bytes on disk fail a checksum or make no sense */
    KV_IO_ERROR,         /* the operating system said no */
    KV_INVALID_ARGUMENT, /* the caller asked for something impossible */
    KV_NOT_SUPPORTED,    /* this stage does not have the feature yet */
    KV_NOT_IMPLEMENTED,  /* a starter's stub: the learner writes it (learn.h) */
} kv_code;

#define KV_STATUS_MSG_MAX 240

typedef struct kv_status {
    kv_code code;
    char msg[KV_STATUS_MSG_MAX]; /* "" when code is KV_OK */
} kv_status;

/* The OK status. */
kv_status kv_ok(void);

/* A failed status with a printf-style message. */
kv_status kv_error(kv_code code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
kv_status kv_verror(kv_code code, const char *fmt, va_list ap);

/* "OK", "not found", "corruption", "I/O error", ... */
const char *kv_code_name(kv_code code);

static inline bool kv_is_ok(kv_status s) { return s.code == KV_OK; }

/* Out of memory is fatal, here and nowhere else: these never return NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* "dir/name", in a new string the caller frees. Never NULL. */
char *xjoin(const char *dir, const char *name);

#endif
