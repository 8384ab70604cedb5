/*
 * io_map.c - mapped reads: a file read in place from a memory mapping, and
 * the read faults a faulty env injects into them and into io_pread (see
 * io.h, "mapped reads").
 *
 * A mapping costs one mmap(2) at open and one munmap(2) at close; a read
 * is then a pointer into it, with no system call and no copy. The kernel
 * fills the pages from the page cache on first touch. What the I/O layer
 * promises of every read still holds: each io_map_read is counted as one
 * read of n bytes, exactly as an io_pread of the same bytes would be, and
 * a faulty env can fail it or hand back damaged bytes (io_fault.c decides
 * which read: fault_read_hit). A damaged mapped read returns a private copy with one byte changed (the mapping itself
 * is read-only and shared with every other reader); the copy lives until
 * io_map_close.
 */
#include "io_internal.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* A damaged read's private copy, kept until the mapping is closed. */
typedef struct map_copy {
    struct map_copy *next;
    char bytes[];
} map_copy;

struct io_map {
    io_env *env;
    char *path;
    const char *data; /* the mapping, or NULL for an empty file */
    uint64_t size;
    pthread_mutex_t mu; /* guards copies */
    map_copy *copies;
};

kv_status io_map_open(io_file *f, uint64_t size, io_map **out) {
    const char *data = NULL;
    if (size > 0) {
        void *p = mmap(NULL, (size_t)size, PROT_READ, MAP_SHARED, f->fd, 0);
        if (p == MAP_FAILED) return io_sys_error(f->path);
        data = p;
    }
    io_map *m = xcalloc(1, sizeof *m);
    m->env = f->env;
    m->path = xstrdup(f->path);
    m->data = data;
    m->size = size;
    pthread_mutex_init(&m->mu, NULL);
    *out = m;
    return kv_ok();
}

/* Hands out a copy of n bytes at p with its middle byte flipped, owned by
 * m until io_map_close. */
static const char *damaged_copy(io_map *m, const char *p, size_t n) {
    map_copy *c = xmalloc(sizeof *c + (n ? n : 1));
    memcpy(c->bytes, p, n);
    if (n > 0) c->bytes[n / 2] ^= (char)0xff;
    pthread_mutex_lock(&m->mu);
    c->next = m->copies;
    m->copies = c;
    pthread_mutex_unlock(&m->mu);
    return c->bytes;
}

kv_status io_map_read(io_map *m, uint64_t offset, size_t n, const char **out) {
    atomic_fetch_add_explicit(&m->env->reads, 1, memory_order_relaxed);
    if (offset > m->size || n > m->size - offset)
        return kv_error(KV_IO_ERROR,
                        "%s: short read at offset %" PRIu64
                        ": wanted %zu bytes, the file has %" PRIu64,
                        m->path, offset, n, m->size);
    atomic_fetch_add_explicit(&m->env->bytes_read, n, memory_order_relaxed);
    const char *p = m->data + offset;
    int damage;
    if (m->env->faulty && fault_read_hit(m->env, m->path, &damage)) {
        if (!damage)
            return kv_error(KV_IO_ERROR,
                            "%s: injected read fault at offset %" PRIu64,
                            m->path, offset);
        p = damaged_copy(m, p, n);
    }
    *out = p;
    return kv_ok();
}

const char *io_map_path(const io_map *m) { return m->path; }

void io_map_close(io_map *m) {
    if (m == NULL) return;
    if (m->data) munmap((void *)m->data, (size_t)m->size);
    while (m->copies) {
        map_copy *c = m->copies;
        m->copies = c->next;
        free(c);
    }
    pthread_mutex_destroy(&m->mu);
    free(m->path);
    free(m);
}
