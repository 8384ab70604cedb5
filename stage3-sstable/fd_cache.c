/*
 * fd_cache.c - the table files held open, at most max at once (the story
 * is in fd_cache.h).
 *
 * Every fd_file of a cache is in one of three states, all under the
 * cache's lock:
 *     closed  io NULL: the cache closed it; the next get reopens it
 *     idle    io open, no read holds it (users 0), not kept: on the LRU
 *             list, the least recently used at its tail
 *     in use  io open and users > 0, or kept: off the list, never closed
 * A get takes a file off the list (reopening a closed one), a put of the
 * last user puts it back at the head; after either, while more than max
 * files are open, the tail of the list is closed. A file of no cache is
 * open from fd_file_open to fd_file_close and needs none of this.
 */
#include "fd_cache.h"

#include <pthread.h>
#include <stdlib.h>

struct fd_file {
    fd_cache *c; /* NULL: a file of its own */
    io_env *env;
    char *path;
    io_file *io;          /* NULL while closed */
    size_t users;         /* gets not yet put */
    int kept;             /* fd_file_keep: never closed by the cache */
    fd_file *prev, *next; /* on the LRU list while idle, else NULL */
};

struct fd_cache {
    pthread_mutex_t mu;
    size_t max;
    size_t open; /* files with io open */
    fd_file lru; /* the list's head: lru.next most, lru.prev least recent */
};

fd_cache *fd_cache_new(size_t max) {
    fd_cache *c = xcalloc(1, sizeof *c);
    pthread_mutex_init(&c->mu, NULL);
    c->max = max ? max : 1;
    c->lru.next = c->lru.prev = &c->lru;
    return c;
}

void fd_cache_free(fd_cache *c) {
    if (!c) return;
    pthread_mutex_destroy(&c->mu);
    free(c);
}

size_t fd_cache_open_count(fd_cache *c) {
    pthread_mutex_lock(&c->mu);
    size_t n = c->open;
    pthread_mutex_unlock(&c->mu);
    return n;
}

/* --- the LRU list (under c->mu) ------------------------------------------ */

static void unlink_idle(fd_file *f) {
    if (!f->next) return;
    f->prev->next = f->next;
    f->next->prev = f->prev;
    f->prev = f->next = NULL;
}

static void push_idle(fd_cache *c, fd_file *f) {
    f->next = c->lru.next;
    f->prev = &c->lru;
    c->lru.next->prev = f;
    c->lru.next = f;
}

/* Closes the least recently used idle files while more than max are open.
 * Files in use may keep the count above max: they are never closed. */
static void evict(fd_cache *c) {
    while (c->open > c->max && c->lru.prev != &c->lru) {
        fd_file *f = c->lru.prev;
        unlink_idle(f);
        io_close(f->io); /* a read-only file: nothing to lose */
        f->io = NULL;
        c->open--;
    }
}

/* Takes f off the list, reopening it if it was closed. */
static kv_status take(fd_file *f) {
    unlink_idle(f);
    if (f->io) return kv_ok();
    kv_status s = io_open_read(f->env, f->path, &f->io);
    if (s.code == KV_OK) f->c->open++;
    return s;
}

/* --- files --------------------------------------------------------------- */

kv_status fd_file_open(io_env *env, fd_cache *c, const char *path,
                       fd_file **out) {
    *out = NULL;
    fd_file *f = xcalloc(1, sizeof *f);
    f->c = c;
    f->env = env;
    f->path = xstrdup(path);
    kv_status s = io_open_read(env, path, &f->io);
    if (s.code != KV_OK) {
        free(f->path);
        free(f);
        return s;
    }
    if (c) {
        pthread_mutex_lock(&c->mu);
        c->open++;
        push_idle(c, f);
        evict(c);
        pthread_mutex_unlock(&c->mu);
    }
    *out = f;
    return kv_ok();
}

kv_status fd_file_get(fd_file *f, io_file **out) {
    if (!f->c) {
        *out = f->io;
        return kv_ok();
    }
    pthread_mutex_lock(&f->c->mu);
    kv_status s = take(f);
    if (s.code == KV_OK) {
        f->users++;
        *out = f->io;
    }
    evict(f->c);
    pthread_mutex_unlock(&f->c->mu);
    return s;
}

void fd_file_put(fd_file *f) {
    if (!f->c) return;
    pthread_mutex_lock(&f->c->mu);
    if (--f->users == 0 && !f->kept) push_idle(f->c, f);
    evict(f->c);
    pthread_mutex_unlock(&f->c->mu);
}

kv_status fd_file_keep(fd_file *f) {
    if (!f->c) return kv_ok();
    pthread_mutex_lock(&f->c->mu);
    kv_status s = take(f);
    if (s.code == KV_OK) f->kept = 1;
    evict(f->c);
    pthread_mutex_unlock(&f->c->mu);
    return s;
}

void fd_file_close(fd_file *f) {
    if (!f) return;
    if (f->c) {
        pthread_mutex_lock(&f->c->mu);
        unlink_idle(f);
        if (f->io) f->c->open--;
        pthread_mutex_unlock(&f->c->mu);
    }
    io_close(f->io);
    free(f->path);
    free(f);
}
