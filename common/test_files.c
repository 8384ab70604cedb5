/*
 * test_files.c - small file helpers for common/'s I/O tests (see
 * test_files.h). They use the env they are given, never plain POSIX, so
 * the tests can count and fault them like the calls they test.
 */
#include "test_files.h"

#include "testing.h"

/* Writes "<test dir>/name" into out. Cannot fail (truncates if long). */
void in_dir(char *out, const char *name) {
    snprintf(out, PATH_MAX_, "%s/%s", test_dir(), name);
}

/* See test_files.h. Closes the file on every path. */
kv_status put_file(io_env *env, const char *path, const char *data, int sync,
                   int sync_dir) {
    io_file *f = NULL;
    kv_status s = io_open_append(env, path, 1, &f);
    if (kv_is_ok(s)) s = io_append(f, data, strlen(data));
    if (kv_is_ok(s) && sync) s = io_sync(f);
    if (f != NULL) {
        kv_status c = io_close(f);
        if (kv_is_ok(s)) s = c;
    }
    if (kv_is_ok(s) && sync_dir) s = io_sync_dir(env, test_dir());
    return s;
}

/* See test_files.h. buf is a string even on a read error. */
kv_status get_file(io_env *env, const char *path, char *buf, size_t cap) {
    io_file *f;
    size_t got = 0;
    kv_status s = io_open_read(env, path, &f);
    if (!kv_is_ok(s)) return s;
    s = io_pread(f, buf, cap - 1, 0, &got);
    buf[got] = '\0';
    io_close(f);
    return s;
}

/* See test_files.h. Cannot fail: an unreadable path holds nothing. */
int holds(io_env *env, const char *path, const char *want) {
    char buf[256];
    return kv_is_ok(get_file(env, path, buf, sizeof buf)) &&
           strcmp(buf, want) == 0;
}

/* See test_files.h. */
int has(kv_status s, const char *text) { return strstr(s.msg, text) != NULL; }

/* See test_files.h. Frees the listing on every path. */
int dir_is_empty(io_env *env, char *first, size_t cap) {
    char **names;
    snprintf(first, cap, "(cannot list)");
    if (!kv_is_ok(io_list_dir(env, test_dir(), &names))) return 0;
    int empty = names[0] == NULL;
    snprintf(first, cap, "%s", empty ? "" : names[0]);
    io_names_free(names);
    return empty;
}
