/*
 * memtable.c - the memtable as a skip list in an arena; see memtable.h for
 * what it promises.
 *
 * A skip list is a sorted linked list (level 0) plus sparser lists above it.
 * Each node gets a random height: every node is on level 0, one in 4 is also
 * on level 1, one in 16 on level 2, and so on up to MAX_HEIGHT levels:
 *
 *   level 2: head ------------------> 17 ----------------------> NULL
 *   level 1: head --------> 9 ------> 17 ------------> 40 ------> NULL
 *   level 0: head -> 4 ---> 9 -> 12 -> 17 -> 23 -> 31 -> 40 -> 58 -> NULL
 *
 * A search starts at head's top level and moves right while the next key is
 * smaller than the target, else drops one level; on level 0 the next node is
 * the first key >= target. Looking for 31 above: head -> 17 (level 2), 17
 * (level 1: 40 is too far), 17 -> 23 -> next is 31 (level 0). Each level
 * skips about 4 nodes of the level below, so a search is O(log n) on
 * average, and an insert only links the new node after the last node the
 * search visited on each of its levels: no rebalancing.
 *
 * Memory: every node, key and entry comes from an arena, a list of blocks
 * (4 KiB, or one block of its own for an allocation bigger than 1 KiB)
 * freed all at once with the memtable. Nothing is freed before that: a
 * re-put allocates a new entry and points the node at it.
 *
 * Stage 6 will let readers walk the list with no lock while one writer
 * inserts. The writer is already ordered for that: a node and its entry are
 * fully built before the one pointer store that publishes them (those
 * stores become release stores, and readers' loads acquire loads, then).
 */
#include "memtable.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HEIGHT 12
#define BRANCHING  4           /* 1 in BRANCHING nodes goes up a level */
#define BLOCK_SIZE 4096        /* arena block, header included */
#define RNG_SEED   0x6d656d74u /* "memt": every run builds the same list */

/* --- the arena ----------------------------------------------------------- */

/* A block's header; the union keeps the bytes after it max-aligned. */
typedef union block_hdr {
    union block_hdr *next;
    max_align_t align_;
} block_hdr;

typedef struct arena {
    block_hdr *blocks; /* every block, newest first */
    char *ptr;         /* free space in the current block */
    size_t left;       /* bytes at ptr */
    size_t reserved;   /* bytes of all blocks, headers included */
} arena;

/* A new block of n usable bytes, linked into the arena; returns its bytes. */
static char *arena_block(arena *a, size_t n) {
    block_hdr *b = xmalloc(sizeof *b + n);
    b->next = a->blocks;
    a->blocks = b;
    a->reserved += sizeof *b + n;
    return (char *)(b + 1);
}

/* n bytes aligned to align (a power of two). Never fails (OOM aborts). */
static void *arena_alloc(arena *a, size_t n, size_t align) {
    if (n > BLOCK_SIZE / 4) return arena_block(a, n); /* max-aligned */
    size_t pad = (size_t)(-(uintptr_t)a->ptr & (align - 1));
    if (a->ptr == NULL || pad + n > a->left) {
        /* The rest of the current block is given up (and stays counted). */
        a->ptr = arena_block(a, BLOCK_SIZE - sizeof(block_hdr));
        a->left = BLOCK_SIZE - sizeof(block_hdr);
        pad = 0;
    }
    char *p = a->ptr + pad;
    a->ptr = p + n;
    a->left -= pad + n;
    return p;
}

/* --- the skip list ------------------------------------------------------- */

/* A key's current entry; replaced whole, never changed in place. */
typedef struct entry {
    int kind; /* ENTRY_PUT or ENTRY_DELETE */
    size_t size;
    char data[]; /* the value */
} entry;

typedef struct node {
    kv_slice key; /* bytes in the arena */
    entry *e;
    int height;
    struct node *next[]; /* next[i]: the next node on level i < height */
} node;

struct memtable {
    arena arena;
    node *head;   /* a key-less node of MAX_HEIGHT, before every key */
    int height;   /* levels in use, 1..MAX_HEIGHT */
    size_t count; /* keys */
    uint32_t rng; /* xorshift32 state, for node heights */
};

memtable *memtable_new(void) {
    memtable *mt = xcalloc(1, sizeof *mt);
    size_t n = sizeof(node) + MAX_HEIGHT * sizeof(node *);
    mt->head = arena_alloc(&mt->arena, n, alignof(node));
    memset(mt->head, 0, n);
    mt->head->height = MAX_HEIGHT;
    mt->height = 1;
    mt->rng = RNG_SEED;
    return mt;
}

void memtable_free(memtable *mt) {
    if (mt == NULL) return;
    block_hdr *b = mt->arena.blocks;
    while (b) {
        block_hdr *next = b->next;
        free(b);
        b = next;
    }
    free(mt);
}

/* 1, or 2 with probability 1/4, 3 with 1/16, ... capped at MAX_HEIGHT. */
static int random_height(memtable *mt) {
    int h = 1;
    for (;;) {
        uint32_t x = mt->rng;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        mt->rng = x;
        if (h == MAX_HEIGHT || x % BRANCHING != 0) return h;
        h++;
    }
}

/*
 * The first node with key >= key, or NULL. When prev is not NULL, prev[i]
 * is set to the last node before it on each level i < mt->height.
 */
static node *find_ge(const memtable *mt, kv_slice key, node **prev) {
    node *x = mt->head;
    for (int level = mt->height - 1;; level--) {
        node *next = x->next[level];
        while (next && kv_compare(next->key, key) < 0) {
            x = next;
            next = x->next[level];
        }
        if (prev) prev[level] = x;
        if (level == 0) return next;
    }
}

/* A new entry holding a copy of value, from the arena. */
static entry *entry_new(memtable *mt, int kind, kv_slice value) {
    entry *e = arena_alloc(&mt->arena, sizeof *e + value.size, alignof(entry));
    e->kind = kind;
    e->size = value.size;
    if (value.size) memcpy(e->data, value.data, value.size);
    return e;
}

void memtable_put(memtable *mt, kv_slice key, int kind, kv_slice value) {
    node *prev[MAX_HEIGHT];
    node *x = find_ge(mt, key, prev);
    entry *e = entry_new(mt, kind, value);
    if (x && kv_compare(x->key, key) == 0) {
        x->e = e; /* one store replaces kind and value together */
        return;
    }
    int h = random_height(mt);
    for (int i = mt->height; i < h; i++) prev[i] = mt->head;
    if (h > mt->height) mt->height = h; /* a reader seeing NULL drops down */

    node *n =
        arena_alloc(&mt->arena, sizeof *n + h * sizeof(node *), alignof(node));
    char *k = arena_alloc(&mt->arena, key.size, 1);
    if (key.size) memcpy(k, key.data, key.size);
    n->key = (kv_slice){k, key.size};
    n->e = e;
    n->height = h;
    for (int i = 0; i < h; i++) n->next[i] = prev[i]->next[i];
    /* Publish bottom-up, only now that n is complete. */
    for (int i = 0; i < h; i++) prev[i]->next[i] = n;
    mt->count++;
}

int memtable_get(const memtable *mt, kv_slice key, kv_slice *value) {
    const node *x = find_ge(mt, key, NULL);
    if (x == NULL || kv_compare(x->key, key) != 0) return 0;
    const entry *e = x->e;
    *value = (kv_slice){e->data, e->size};
    return e->kind;
}

size_t memtable_bytes(const memtable *mt) {
    /* Everything taken from malloc but the current block's unused tail. */
    return mt->arena.reserved - mt->arena.left;
}

size_t memtable_count(const memtable *mt) { return mt->count; }

/* --- the iterator -------------------------------------------------------- */

typedef struct mt_iter {
    iter base;
    const memtable *mt;
    const node *at;  /* NULL: not positioned, or past the end */
    const entry *e;  /* at's entry, loaded once when the iterator got there */
} mt_iter;

/* Moves to at and loads its entry once: kind and value then come from that
 * one entry, even if a put replaces the node's entry meanwhile. */
static void mi_move(mt_iter *mi, const node *at) {
    mi->at = at;
    mi->e = at ? at->e : NULL;
}

static void mi_seek(iter *it, kv_slice target) {
    mt_iter *mi = (mt_iter *)it;
    mi_move(mi, target.size == 0 ? mi->mt->head->next[0]
                                 : find_ge(mi->mt, target, NULL));
}

static void mi_next(iter *it) {
    mt_iter *mi = (mt_iter *)it;
    mi_move(mi, mi->at->next[0]);
}

static int mi_valid(const iter *it) {
    return ((const mt_iter *)it)->at != NULL;
}
static kv_slice mi_key(const iter *it) {
    return ((const mt_iter *)it)->at->key;
}
static int mi_kind(const iter *it) { return ((const mt_iter *)it)->e->kind; }

static kv_slice mi_value(const iter *it) {
    const entry *e = ((const mt_iter *)it)->e;
    return (kv_slice){e->data, e->size};
}

static kv_status mi_status(const iter *it) {
    (void)it;
    return kv_ok(); /* memory cannot be corrupt */
}

static void mi_free(iter *it) { free(it); }

static const iter_ops mt_iter_ops = {mi_seek, mi_next,  mi_valid,  mi_key,
                                     mi_kind, mi_value, mi_status, mi_free};

iter *memtable_iter_new(const memtable *mt) {
    mt_iter *mi = xcalloc(1, sizeof *mi);
    mi->base.ops = &mt_iter_ops;
    mi->mt = mt;
    return &mi->base;
}
