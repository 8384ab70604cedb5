/*
 * status.c - errors as values, and the one place that aborts.
 *
 * A kv_status carries its message inline (KV_STATUS_MSG_MAX bytes); a longer
 * message is cut short, never overflowed. Running out of memory is the only
 * failure that does not become a status: xmalloc and friends print "out of
 * memory" to stderr and abort(), so no caller has to check for NULL.
 */
#include "status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The OK status: code KV_OK, empty message. Cannot fail. */
kv_status kv_ok(void) {
    kv_status s;
    s.code = KV_OK;
    s.msg[0] = '\0';
    return s;
}

/* A status with a printf-style message, truncated to fit. Cannot fail. */
kv_status kv_verror(kv_code code, const char *fmt, va_list ap) {
    kv_status s;
    s.code = code;
    /* vsnprintf always NUL-terminates and never writes past the size. */
    if (vsnprintf(s.msg, sizeof s.msg, fmt, ap) < 0) s.msg[0] = '\0';
    return s;
}

kv_status kv_error(kv_code code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    kv_status s = kv_verror(code, fmt, ap);
    va_end(ap);
    return s;
}

/* The code's name as a static string; "unknown" for a bad code. */
const char *kv_code_name(kv_code code) {
    switch (code) {
    case KV_OK:
        return "OK";
    case KV_NOT_FOUND:
        return "not found";
    case KV_CORRUPTION:
        return "corruption";
    case KV_IO_ERROR:
        return "I/O error";
    case KV_INVALID_ARGUMENT:
        return "invalid argument";
    case KV_NOT_SUPPORTED:
        return "not supported";
    case KV_NOT_IMPLEMENTED:
        return "not implemented";
    }
    return "unknown";
}

/* --- memory: fatal on failure, here and nowhere else --------------------- */

static void out_of_memory(void) {
    fputs("out of memory\n", stderr);
    abort();
}

/* n bytes the caller frees with free(). Never NULL (n = 0 gives 1 byte). */
void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) out_of_memory();
    return p;
}

/* count * n zeroed bytes; an overflowing product counts as out of memory. */
void *xcalloc(size_t count, size_t n) {
    void *p = calloc(count ? count : 1, n ? n : 1);
    if (!p) out_of_memory();
    return p;
}

/* Resizes p (which may be NULL) to n bytes. Never NULL. */
void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) out_of_memory();
    return q;
}

/* A copy of s the caller frees with free(). */
char *xstrdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = xmalloc(n);
    memcpy(p, s, n);
    return p;
}

/* "dir/name" in a new string the caller frees with free(). */
char *xjoin(const char *dir, const char *name) {
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = xmalloc(n);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}
