/*
 * table.h - a sorted table (SSTable): an immutable file of sorted entries,
 * written once from the memtable and then only read.
 *
 *     table      := data_block* index_block footer
 *     data_block := block (block.h) whose values are  kind:u8 value
 *                   (kind 1 = put, 2 = delete with an empty value)
 *     index_block:= block with one entry per data block:
 *                   key   = a separator: >= every key of that block and
 *                           < every key of the next one (as short as can be)
 *                   value = handle := offset:varint64 size:varint64
 *                           (where the block sits, trailer included)
 *     footer     := index_handle_offset:fixed64 index_handle_size:fixed64
 *                   entries:fixed64 version:fixed32 magic:fixed64
 *                   crc:fixed32        (40 bytes; crc covers the 36 before it)
 *
 * The footer sits at a known place (the last 40 bytes), says where the
 * index is, and carries a magic number (so a stray file is never taken for
 * a table) and a format version. docs/format-sstable.md has a worked example.
 *
 * A get reads at most one data block: a binary search of the index (held in
 * memory since open) picks the block, one pread fetches it, a binary search
 * inside it finds the key.
 */
#ifndef KV_TABLE_H
#define KV_TABLE_H

#include <stdint.h>

#include "block.h"
#include "fd_cache.h"
#include "io.h"
#include "iter.h"
#include "kv.h"

#define TABLE_BLOCK_SIZE  4096 /* a data block is cut once it passes this */
#define TABLE_FOOTER_SIZE 40
#define TABLE_MAGIC       0x6b76636f75727365ull /* "kvcourse" */
#define TABLE_VERSION     1

/* --- writing: streamed, a block at a time --------------------------------- */

typedef struct table_builder table_builder;

/* "dir/000042.sst" plus suffix ("" or ".tmp"): a table's file name, in a
 * new string the caller frees. The one place the name is spelled. */
char *table_file_name(const char *dir, uint64_t number, const char *suffix);

/* Creates the file at path and starts a table in it. The file must be new:
 * a name already there (a leftover, or a link planted to another file) is
 * KV_IO_ERROR naming it, and nothing is written through it (io_create). */
kv_status table_builder_new(io_env *env, const char *path, table_builder **out);
/* Adds an entry; keys must arrive in strictly increasing order. A full data
 * block is written out at once: no whole table is ever held in memory.
 * An empty key, a key out of order or a bad kind is KV_INVALID_ARGUMENT
 * (nothing is added; the builder stays usable). A write error is returned
 * by this and every later call. */
kv_status table_builder_add(table_builder *tb, kv_slice key, int kind,
                            kv_slice value);
/* Writes the last data block, the index and the footer, closes the file and
 * frees the builder, even on error. *size is the file's size. */
kv_status table_builder_finish(table_builder *tb, uint64_t *size);
/* Closes the file and frees the builder (the caller removes the file). */
void table_builder_abandon(table_builder *tb);

/* --- reading ------------------------------------------------------------- */

typedef struct table table;

/* Opens the table at path, reading only its footer and its index block.
 * Its file stays open until table_close. */
kv_status table_open(io_env *env, const char *path, table **out);
/* The same, its file held in files (fd_cache.h; NULL: as table_open),
 * which must outlive the table: the cache may close the file while no
 * read needs it, and the next read reopens it (one open, no read). */
kv_status table_open_in(io_env *env, const char *path, fd_cache *files,
                        table **out);
/* Keeps the table's file open until table_close, whatever its cache needs:
 * for a table still read after its file is removed (fd_file_keep). */
kv_status table_keep_file(table *t);
void table_close(table *t);

/*
 * Looks key up: *kind = 0 when the table has no entry for it, else
 * ENTRY_PUT (the value copied into *value) or ENTRY_DELETE.
 * Reads at most one data block.
 */
kv_status table_get(table *t, kv_slice key, int *kind, kv_buf *value);

/* An iterator over every entry, tombstones included: one data block in
 * memory at a time. The table must outlive it. */
iter *table_iter_new(table *t);

/* Bytes of memory the open table holds (its index block). */
size_t table_memory(const table *t);
uint64_t table_entries(const table *t);
const char *table_path(const table *t);

/* --- the pieces, for dump.c and tests ------------------------------------ */

/* The footer's fields (the last TABLE_FOOTER_SIZE bytes of a table). */
typedef struct table_footer {
    uint64_t index_offset, index_size; /* the index block's handle */
    uint64_t entries;                  /* entries in the table */
    uint32_t version;
    uint64_t magic;
} table_footer;

/* Writes f (with TABLE_MAGIC and f->version) as 40 bytes at dst. */
void table_footer_encode(char *dst, const table_footer *f);
/*
 * Decodes the 40 bytes at src (read from path at offset) into *f: the raw
 * fields are filled in even when a check fails, so dump can show them.
 * Then checks, in this order: the magic ("not a table (bad magic number)"),
 * the crc ("footer checksum mismatch"), the version ("unsupported table
 * version N"); each failure is KV_CORRUPTION naming path and offset.
 */
kv_status table_footer_decode(const char *src, const char *path,
                              uint64_t offset, table_footer *f);
/*
 * Decodes a block handle (an index entry's value) into offset and size and
 * checks it: the value holds exactly two varints, the block is at least 8
 * bytes and ends at or before limit. KV_CORRUPTION naming path otherwise.
 */
kv_status table_handle_decode(kv_slice v, uint64_t limit, const char *path,
                              uint64_t *offset, uint64_t *size);
/*
 * Reads the block at [offset, offset + size) of f with one pread and parses
 * it (block_parse: crc and restart array). On success *b owns the bytes
 * (block_free); path must outlive *b.
 */
kv_status table_read_block(io_file *f, const char *path, uint64_t offset,
                           uint64_t size, block *b);

#endif
