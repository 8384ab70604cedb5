/*
 * table_builder.c - writes a sorted table, a block at a time; the format is
 * in table.h and docs/format-sstable.md.
 *
 * Entries arrive in increasing key order and go into the current data block.
 * Once the block passes TABLE_BLOCK_SIZE it is finished and written with
 * one io_append, so the builder never holds more than one data block and
 * the index. The index entry for a block is added only when the next key
 * arrives (or at finish): the separator between the block's last key and
 * the next block's first key can then be chosen as short as possible, which
 * keeps the index, the part of a table that lives in memory, small.
 *
 * table_builder_finish syncs the file before closing it: a flush removes
 * the log that held the table's entries, so the table must be durable
 * first. A failed write leaves the builder in an error
 * state: every later call returns that error.
 */
#include "table.h"

#include <stdlib.h>
#include <string.h>

#include "coding.h"
#include "crc32c.h"

struct table_builder {
    io_file *file;
    block_builder data;  /* the data block being filled */
    block_builder index; /* one entry per data block written */
    uint64_t offset;     /* bytes written so far */
    kv_buf last_key;     /* the last key added */
    int pending;         /* a written block still waits for its index entry */
    uint64_t pending_offset, pending_size; /* ... and that block's handle */
    kv_buf scratch;                        /* kind + value, separators */
    uint64_t entries;
    kv_status status; /* the first error; sticky */
};

/* ---- separators ---------------------------------------------------------- */

/*
 * Makes *a a short key with a <= *a < b, given a < b (LevelDB's
 * FindShortestSeparator): past the common prefix, if a's next byte can be
 * raised by one and still stay below b's, keep only the prefix plus that
 * raised byte. Otherwise *a is left as it is.
 */
static void shortest_separator(kv_buf *a, kv_slice b) {
    size_t n = a->size < b.size ? a->size : b.size, i = 0;
    while (i < n && a->data[i] == b.data[i]) i++;
    if (i >= n) return; /* one is a prefix of the other */
    unsigned char c = (unsigned char)a->data[i];
    if (c < 0xff && c + 1 < (unsigned char)b.data[i]) {
        a->data[i] = (char)(c + 1);
        a->size = i + 1;
    }
}

/*
 * Makes *a a short key >= a (LevelDB's FindShortSuccessor): raise the first
 * byte that is not 0xff and cut after it. A key of only 0xff bytes stays.
 */
static void short_successor(kv_buf *a) {
    for (size_t i = 0; i < a->size; i++) {
        if ((unsigned char)a->data[i] != 0xff) {
            a->data[i] = (char)((unsigned char)a->data[i] + 1);
            a->size = i + 1;
            return;
        }
    }
}

/* ---- writing ------------------------------------------------------------- */

char *table_file_name(const char *dir, uint64_t number, const char *suffix) {
    size_t n = strlen(dir) + strlen(suffix) + 32;
    char *path = xmalloc(n);
    snprintf(path, n, "%s/%06llu.sst%s", dir, (unsigned long long)number,
             suffix);
    return path;
}

kv_status table_builder_new(io_env *env, const char *path,
                            table_builder **out) {
    *out = NULL;
    io_file *f; /* a new file: never one already there, nor a link */
    kv_status s = io_create(env, path, &f);
    if (s.code != KV_OK) return s;
    table_builder *tb = xcalloc(1, sizeof *tb);
    tb->file = f;
    block_builder_init(&tb->data);
    block_builder_init(&tb->index);
    tb->status = kv_ok();
    *out = tb;
    return kv_ok();
}

/* Appends a finished block; *offset and *size receive its handle. */
static kv_status write_block(table_builder *tb, block_builder *bb,
                             uint64_t *offset, uint64_t *size) {
    kv_slice blk = block_builder_finish(bb);
    kv_status s = io_append(tb->file, blk.data, blk.size);
    if (s.code != KV_OK) return s;
    *offset = tb->offset;
    *size = blk.size;
    tb->offset += blk.size;
    block_builder_reset(bb);
    return kv_ok();
}

/* Adds the index entry key -> the pending block's handle. */
static void add_index_entry(table_builder *tb, kv_slice key) {
    char h[2 * VARINT64_MAX_BYTES];
    size_t n = encode_varint64(h, tb->pending_offset);
    n += encode_varint64(h + n, tb->pending_size);
    block_builder_add(&tb->index, key, (kv_slice){h, n});
    tb->pending = 0;
}

kv_status table_builder_add(table_builder *tb, kv_slice key, int kind,
                            kv_slice value) {
    if (tb->status.code != KV_OK) return tb->status;
    if (kind != ENTRY_PUT && kind != ENTRY_DELETE)
        return kv_error(KV_INVALID_ARGUMENT, "table_builder_add: bad kind %d",
                        kind);
    if (key.size == 0 || (tb->entries > 0 &&
                          kv_compare(key, (kv_slice){tb->last_key.data,
                                                     tb->last_key.size}) <= 0))
        return kv_error(KV_INVALID_ARGUMENT,
                        "table_builder_add: keys must be non-empty and "
                        "strictly increasing");
    if (tb->pending) {
        kv_buf_set(&tb->scratch, tb->last_key.data, tb->last_key.size);
        shortest_separator(&tb->scratch, key);
        add_index_entry(tb, (kv_slice){tb->scratch.data, tb->scratch.size});
    }
    char k = (char)kind;
    kv_buf_set(&tb->scratch, &k, 1);
    if (kind == ENTRY_PUT) kv_buf_append(&tb->scratch, value.data, value.size);
    block_builder_add(&tb->data, key,
                      (kv_slice){tb->scratch.data, tb->scratch.size});
    kv_buf_set(&tb->last_key, key.data, key.size);
    tb->entries++;
    if (block_builder_size(&tb->data) >= TABLE_BLOCK_SIZE) {
        tb->status =
            write_block(tb, &tb->data, &tb->pending_offset, &tb->pending_size);
        tb->pending = tb->status.code == KV_OK;
    }
    return tb->status;
}

void table_footer_encode(char *dst, const table_footer *f) {
    encode_fixed64(dst, f->index_offset);
    encode_fixed64(dst + 8, f->index_size);
    encode_fixed64(dst + 16, f->entries);
    encode_fixed32(dst + 24, f->version);
    encode_fixed64(dst + 28, TABLE_MAGIC);
    encode_fixed32(dst + 36, crc32c_mask(crc32c(dst, 36)));
}

/* Writes the last data block, the index block and the footer. */
static kv_status write_tail(table_builder *tb) {
    kv_status s;
    if (tb->data.entries > 0) {
        s = write_block(tb, &tb->data, &tb->pending_offset, &tb->pending_size);
        if (s.code != KV_OK) return s;
        tb->pending = 1;
    }
    if (tb->pending) {
        kv_buf_set(&tb->scratch, tb->last_key.data, tb->last_key.size);
        short_successor(&tb->scratch);
        add_index_entry(tb, (kv_slice){tb->scratch.data, tb->scratch.size});
    }
    table_footer f = {.entries = tb->entries, .version = TABLE_VERSION};
    s = write_block(tb, &tb->index, &f.index_offset, &f.index_size);
    if (s.code != KV_OK) return s;
    char footer[TABLE_FOOTER_SIZE];
    table_footer_encode(footer, &f);
    s = io_append(tb->file, footer, sizeof footer);
    if (s.code == KV_OK) tb->offset += sizeof footer;
    return s;
}

kv_status table_builder_finish(table_builder *tb, uint64_t *size) {
    kv_status s = tb->status;
    if (s.code == KV_OK) s = write_tail(tb);
    if (s.code == KV_OK) s = io_sync(tb->file);
    if (size) *size = tb->offset;
    kv_status c = io_close(tb->file);
    tb->file = NULL;
    table_builder_abandon(tb);
    return s.code == KV_OK ? c : s;
}

void table_builder_abandon(table_builder *tb) {
    if (!tb) return;
    io_close(tb->file);
    block_builder_free(&tb->data);
    block_builder_free(&tb->index);
    kv_buf_free(&tb->last_key);
    kv_buf_free(&tb->scratch);
    free(tb);
}
