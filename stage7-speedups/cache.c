/*
 * cache.c - a sharded LRU cache of blocks; the story is in cache.h.
 *
 * Each shard, under its own mutex, keeps its entries twice:
 *   - in a hash table (chained, the bucket array doubled when it holds as
 *     many entries as buckets) to find (id, offset) in O(1);
 *   - in a doubly linked list, most recently used first, to find what to
 *     evict: the last entry.
 * An entry is reference-counted under the shard's mutex: the cache holds
 * one reference while the entry is in the table and the list, and every
 * handle holds one more. Eviction takes the entry out of both and drops
 * the cache's reference; the block is freed when the count reaches 0, so
 * a reader's handle stays valid across an eviction. The shard's usage
 * counts only the entries still in it.
 *
 * A shard is chosen by the high bits of the entry's hash, a bucket by the
 * low bits: the two choices are independent.
 */
#include "cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "hash.h"

struct cache_handle {
    uint64_t id, offset, hash;
    block b;
    int refs;            /* the cache's (while in the shard) + one per handle */
    cache_handle *chain; /* the next entry in the same bucket */
    cache_handle *prev, *next; /* the LRU list */
};

typedef struct shard {
    pthread_mutex_t mu;
    cache_handle **buckets; /* nbuckets, a power of two */
    size_t nbuckets, count;
    cache_handle lru; /* the list's head: lru.next newest, lru.prev oldest */
    size_t usage, capacity; /* bytes */
} shard;

struct cache {
    shard shards[CACHE_SHARDS];
    unsigned nshards; /* a power of two */
    _Atomic uint64_t next_id, hits, misses;
};

/* ---- one shard, its mutex held ------------------------------------------- */

static uint64_t hash_of(uint64_t id, uint64_t offset) {
    uint64_t k[2] = {id, offset};
    return hash64(k, sizeof k, 0);
}

static shard *shard_of(cache *c, uint64_t hash) {
    return &c->shards[(hash >> 32) & (c->nshards - 1)];
}

/* The link that points at (id, offset)'s entry, or at the NULL ending its
 * bucket's chain. */
static cache_handle **find(shard *sh, uint64_t id, uint64_t offset,
                           uint64_t hash) {
    cache_handle **p = &sh->buckets[hash & (sh->nbuckets - 1)];
    while (*p && ((*p)->id != id || (*p)->offset != offset)) p = &(*p)->chain;
    return p;
}

/* Doubles the bucket array and rehashes every entry into it. */
static void grow(shard *sh) {
    size_t n = sh->nbuckets * 2;
    cache_handle **b = xcalloc(n, sizeof *b);
    for (size_t i = 0; i < sh->nbuckets; i++)
        for (cache_handle *e = sh->buckets[i], *next; e; e = next) {
            next = e->chain;
            e->chain = b[e->hash & (n - 1)];
            b[e->hash & (n - 1)] = e;
        }
    free(sh->buckets);
    sh->buckets = b;
    sh->nbuckets = n;
}

static void list_remove(cache_handle *e) {
    e->prev->next = e->next;
    e->next->prev = e->prev;
}

static void list_push_front(shard *sh, cache_handle *e) {
    e->next = sh->lru.next;
    e->prev = &sh->lru;
    e->next->prev = e;
    sh->lru.next = e;
}

/* Drops one reference; the last frees the block and the entry. */
static void unref(cache_handle *e) {
    if (--e->refs > 0) return;
    block_free(&e->b);
    free(e);
}

/* Takes the entry at *link out of the table and the list, and drops the
 * cache's reference on it. */
static void remove_at(shard *sh, cache_handle **link) {
    cache_handle *e = *link;
    *link = e->chain;
    list_remove(e);
    sh->count--;
    sh->usage -= e->b.size;
    unref(e);
}

/* Evicts the least recently used entries while the shard is over its
 * capacity. */
static void evict(shard *sh) {
    while (sh->usage > sh->capacity && sh->lru.prev != &sh->lru) {
        cache_handle *old = sh->lru.prev;
        remove_at(sh, find(sh, old->id, old->offset, old->hash));
    }
}

/* ---- the cache ----------------------------------------------------------- */

cache *cache_new(size_t capacity) {
    cache *c = xcalloc(1, sizeof *c);
    c->nshards = 1;
    while (c->nshards < CACHE_SHARDS &&
           capacity / (2 * c->nshards) >= CACHE_MIN_SHARD_BYTES)
        c->nshards *= 2;
    for (unsigned i = 0; i < c->nshards; i++) {
        shard *sh = &c->shards[i];
        pthread_mutex_init(&sh->mu, NULL);
        sh->nbuckets = 16;
        sh->buckets = xcalloc(sh->nbuckets, sizeof *sh->buckets);
        sh->lru.next = sh->lru.prev = &sh->lru;
        sh->capacity = (capacity + c->nshards - 1) / c->nshards;
    }
    atomic_init(&c->next_id, 1);
    return c;
}

void cache_free(cache *c) {
    if (c == NULL) return;
    for (unsigned i = 0; i < c->nshards; i++) {
        shard *sh = &c->shards[i];
        while (sh->lru.next != &sh->lru) {
            cache_handle *e = sh->lru.next;
            remove_at(sh, find(sh, e->id, e->offset, e->hash));
        }
        free(sh->buckets);
        pthread_mutex_destroy(&sh->mu);
    }
    free(c);
}

uint64_t cache_new_id(cache *c) { return atomic_fetch_add(&c->next_id, 1); }

cache_handle *cache_lookup(cache *c, uint64_t id, uint64_t offset) {
    uint64_t hash = hash_of(id, offset);
    shard *sh = shard_of(c, hash);
    pthread_mutex_lock(&sh->mu);
    cache_handle *e = *find(sh, id, offset, hash);
    if (e) {
        e->refs++;
        list_remove(e); /* now the most recently used */
        list_push_front(sh, e);
    }
    pthread_mutex_unlock(&sh->mu);
    atomic_fetch_add_explicit(e ? &c->hits : &c->misses, 1,
                              memory_order_relaxed);
    return e;
}

cache_handle *cache_insert(cache *c, uint64_t id, uint64_t offset, block *b) {
    cache_handle *e = xcalloc(1, sizeof *e);
    e->id = id;
    e->offset = offset;
    e->hash = hash_of(id, offset);
    e->b = *b;
    b->owned = NULL;
    b->data = NULL;
    b->size = 0;
    e->refs = 2; /* the cache's and the caller's */
    shard *sh = shard_of(c, e->hash);
    pthread_mutex_lock(&sh->mu);
    cache_handle **link = find(sh, id, offset, e->hash);
    if (*link) remove_at(sh, link); /* another reader loaded it meanwhile */
    if (sh->count >= sh->nbuckets) grow(sh);
    link = &sh->buckets[e->hash & (sh->nbuckets - 1)];
    e->chain = *link;
    *link = e;
    list_push_front(sh, e);
    sh->count++;
    sh->usage += e->b.size;
    evict(sh);
    pthread_mutex_unlock(&sh->mu);
    return e;
}

const block *cache_block(const cache_handle *h) { return &h->b; }

void cache_release(cache *c, cache_handle *h) {
    shard *sh = shard_of(c, h->hash);
    pthread_mutex_lock(&sh->mu);
    unref(h);
    pthread_mutex_unlock(&sh->mu);
}

void cache_stats(cache *c, uint64_t *hits, uint64_t *misses) {
    *hits = atomic_load_explicit(&c->hits, memory_order_relaxed);
    *misses = atomic_load_explicit(&c->misses, memory_order_relaxed);
}

size_t cache_usage(cache *c) {
    size_t n = 0;
    for (unsigned i = 0; i < c->nshards; i++) {
        pthread_mutex_lock(&c->shards[i].mu);
        n += c->shards[i].usage;
        pthread_mutex_unlock(&c->shards[i].mu);
    }
    return n;
}
