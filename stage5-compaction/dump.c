/*
 * dump.c - `kv dump`: every file of the store, and each table field by
 * field.
 *
 * For a table (table.h has the format): first the footer, its fields and
 * whether its magic number and checksum hold; then every data block the
 * index points at, with its offset, size, entry count, first and last key
 * and whether its checksum holds; then the index entries themselves
 * (separator -> where the block sits). Keys print as stage 1's dump prints
 * them: printable bytes as they are, others as \xNN, long ones shortened.
 *
 * Damage is reported in the listing and the dump goes on where it can: a
 * bad data block does not stop the others (the index still says where they
 * are). A footer without the magic number, or a bad index block, stops the
 * dump of that table, since nothing then says where its blocks are.
 * For a log (wal.h), stage 1's listing: one line per record with its
 * offset, length, type, whether its checksums hold, key and value; it stops
 * at a torn tail or a bad header.
 * The manifest (manifest.h) is listed edit by edit, and each table says
 * its level in the set the manifest holds, or that the manifest does not
 * name it (open moves such a file to lost/). The files in lost/ come last,
 * one line each.
 * Files that are neither the STORE marker, the LOCK file, a table nor a log
 * are named.
 */
#include <stdlib.h>
#include <string.h>

#include "coding.h"
#include "crc32c.h"
#include "kv.h"
#include "log.h"
#include "manifest.h"
#include "table.h"
#include "version.h"

#define KEY_MAX 40 /* bytes of a key shown before "..." */

/* Prints s quoted, escaping unprintable bytes, at most `max` bytes of it. */
static void print_bytes(FILE *out, const char *s, size_t n, size_t max) {
    kv_print_quoted(out, (kv_slice){s, n}, max);
    fprintf(out, " (%zu)", n);
}

/*
 * Prints the footer at the end of f (size bytes) into *ft. Returns 1 when
 * the index handle it holds can be followed: the magic number is right and
 * the index block sits just before the footer; else 0.
 */
static int dump_footer(FILE *out, io_file *f, uint64_t size, table_footer *ft) {
    char buf[TABLE_FOOTER_SIZE];
    if (size < TABLE_FOOTER_SIZE) {
        fprintf(out, "  too short for a footer (%d bytes)\n",
                TABLE_FOOTER_SIZE);
        return 0;
    }
    uint64_t at = size - TABLE_FOOTER_SIZE;
    kv_status s = io_pread_full(f, buf, sizeof buf, at);
    if (s.code != KV_OK) {
        fprintf(out, "  footer: %s\n", s.msg);
        return 0;
    }
    table_footer_decode(buf, io_path(f), at, ft); /* checked below */
    int magic_ok = ft->magic == TABLE_MAGIC;
    int crc_ok = crc32c_unmask(decode_fixed32(buf + 36)) == crc32c(buf, 36);
    fprintf(out,
            "  footer @%llu (%d bytes): index @%llu size %llu, entries %llu, "
            "version %u%s, magic %s, crc %s\n",
            (unsigned long long)at, TABLE_FOOTER_SIZE,
            (unsigned long long)ft->index_offset,
            (unsigned long long)ft->index_size, (unsigned long long)ft->entries,
            ft->version, ft->version == TABLE_VERSION ? "" : " (unsupported)",
            magic_ok ? "ok" : "BAD", crc_ok ? "ok" : "BAD");
    if (!magic_ok) {
        fprintf(out, "  not a table (bad magic number): stopping here\n");
        return 0;
    }
    if (ft->index_offset > at || ft->index_size != at - ft->index_offset ||
        ft->index_size < BLOCK_MIN_SIZE) {
        fprintf(out, "  index handle BAD: the index should end at @%llu\n",
                (unsigned long long)at);
        return 0;
    }
    return 1;
}

/* Prints one data block's line: entries (and how many are deletes), first
 * and last key, crc. *entries grows by the block's entry count. */
static void dump_block(FILE *out, io_file *f, size_t i, uint64_t off,
                       uint64_t size, uint64_t *entries) {
    block b;
    fprintf(out, "  block %-4zu @%-8llu size %-6llu ", i,
            (unsigned long long)off, (unsigned long long)size);
    kv_status s = table_read_block(f, io_path(f), off, size, &b);
    if (s.code != KV_OK) {
        fprintf(out, "BAD: %s\n", s.msg);
        return;
    }
    size_t n = 0, deletes = 0;
    kv_buf first = {0}, last = {0};
    iter *it = block_iter_new(&b);
    for (iter_seek(it, (kv_slice){"", 0}); iter_valid(it); iter_next(it)) {
        kv_slice k = iter_key(it), v = iter_value(it);
        if (n++ == 0) kv_buf_set(&first, k.data, k.size);
        kv_buf_set(&last, k.data, k.size);
        deletes += v.size > 0 && v.data[0] == ENTRY_DELETE;
    }
    s = iter_status(it);
    iter_free(it);
    fprintf(out, "entries %zu (%zu deletes) crc ok first ", n, deletes);
    print_bytes(out, first.data, first.size, KEY_MAX);
    fprintf(out, " last ");
    print_bytes(out, last.data, last.size, KEY_MAX);
    fputc('\n', out);
    if (s.code != KV_OK) fprintf(out, "    entries BAD: %s\n", s.msg);
    *entries += n;
    kv_buf_free(&first);
    kv_buf_free(&last);
    block_free(&b);
}

/* Walks the index block twice: the data blocks it points at, then its own
 * entries (separator -> handle). */
static void dump_blocks_and_index(FILE *out, io_file *f,
                                  const table_footer *ft) {
    block index;
    kv_status s = table_read_block(f, io_path(f), ft->index_offset,
                                   ft->index_size, &index);
    if (s.code != KV_OK) {
        fprintf(out, "  index block BAD: %s: stopping here\n", s.msg);
        return;
    }
    uint64_t entries = 0, off, size;
    size_t i = 0;
    iter *it = block_iter_new(&index);
    for (iter_seek(it, (kv_slice){"", 0}); iter_valid(it); iter_next(it), i++) {
        s = table_handle_decode(iter_value(it), ft->index_offset, io_path(f),
                                &off, &size);
        if (s.code != KV_OK)
            fprintf(out, "  block %-4zu %s\n", i, s.msg);
        else
            dump_block(out, f, i, off, size, &entries);
    }
    fprintf(out, "  %zu data blocks, %llu entries (the footer says %llu%s)\n",
            i, (unsigned long long)entries, (unsigned long long)ft->entries,
            entries == ft->entries ? "" : ": BAD");

    fprintf(out, "  index @%llu size %llu: %zu entries, crc ok\n",
            (unsigned long long)ft->index_offset,
            (unsigned long long)ft->index_size, block_count(&index));
    i = 0;
    for (iter_seek(it, (kv_slice){"", 0}); iter_valid(it); iter_next(it), i++) {
        fprintf(out, "    %-4zu ", i);
        kv_slice k = iter_key(it);
        print_bytes(out, k.data, k.size, KEY_MAX);
        s = table_handle_decode(iter_value(it), ft->index_offset, io_path(f),
                                &off, &size);
        if (s.code == KV_OK)
            fprintf(out, " -> @%llu size %llu\n", (unsigned long long)off,
                    (unsigned long long)size);
        else
            fprintf(out, " -> handle BAD\n");
    }
    s = iter_status(it);
    if (s.code != KV_OK) fprintf(out, "  index entries BAD: %s\n", s.msg);
    iter_free(it);
    block_free(&index);
}

/* Dumps one table, at level (-1: not live). An error only when the file
 * cannot be opened or sized (the caller prints it and goes on); damage is
 * printed. */
static kv_status dump_table(io_env *env, const char *path, int level,
                            FILE *out) {
    io_file *f;
    uint64_t size;
    table_footer ft;
    kv_status s = io_open_read(env, path, &f);
    if (s.code != KV_OK) return s;
    s = io_size(f, &size);
    if (s.code == KV_OK) {
        if (level >= 0)
            fprintf(out, "%s: a table at level %d, %llu bytes\n", path, level,
                    (unsigned long long)size);
        else
            fprintf(out, "%s: a table the manifest does not name, %llu bytes\n",
                    path, (unsigned long long)size);
        if (dump_footer(out, f, size, &ft)) dump_blocks_and_index(out, f, &ft);
    }
    io_close(f);
    return s;
}

/* Prints the header fields of the record at p: offsets and checksums. */
static int dump_record(FILE *out, const char *p, uint64_t off, uint64_t avail) {
    uint32_t hcrc = crc32c_unmask(decode_fixed32(p));
    int header_ok = crc32c(p + 4, LOG_HEADER_SIZE - 4) == hcrc;
    uint32_t dcrc = crc32c_unmask(decode_fixed32(p + 4));
    int type = (unsigned char)p[8];
    uint32_t klen = decode_fixed32(p + 9), vlen = decode_fixed32(p + 13);
    uint64_t size = log_record_size(klen, vlen);

    fprintf(out, "@%-8llu ", (unsigned long long)off);
    if (!header_ok) {
        fprintf(out,
                "header crc BAD (type %d, key %u, value %u bytes claimed)\n",
                type, klen, vlen);
        return 0;
    }
    if (size > avail) {
        fprintf(out, "torn: a %llu-byte record with only %llu bytes written\n",
                (unsigned long long)size, (unsigned long long)avail);
        return 0;
    }
    const char *k = p + LOG_HEADER_SIZE, *v = k + klen;
    int data_ok = crc32c(k, (size_t)klen + vlen) == dcrc;
    fprintf(out, "len %-6llu %-6s crc %-4s key ", (unsigned long long)size,
            type == LOG_PUT      ? "put"
            : type == LOG_DELETE ? "del"
                                 : "?",
            data_ok ? "ok" : "BAD");
    print_bytes(out, k, klen, 40);
    if (type == LOG_PUT) {
        fprintf(out, " value ");
        print_bytes(out, v, vlen, 40);
    }
    fputc('\n', out);
    return 1;
}

/* Dumps one log file, read whole (a dump is for looking at small stores). */
static kv_status dump_log(io_env *env, const char *path, FILE *out) {
    io_file *f;
    uint64_t size;
    kv_status s = io_open_read(env, path, &f);
    if (s.code != KV_OK) return s;
    s = io_size(f, &size);
    char *buf = xmalloc(size ? (size_t)size : 1);
    if (s.code == KV_OK) s = io_pread_full(f, buf, (size_t)size, 0);
    io_close(f);
    if (s.code != KV_OK) {
        free(buf);
        return s;
    }
    fprintf(out, "%s: %llu bytes\n", path, (unsigned long long)size);
    fprintf(
        out,
        "  header: hcrc:4 dcrc:4 type:1 klen:4 vlen:4, then key and value\n");
    uint64_t off = 0, records = 0;
    while (off < size) {
        if (size - off < LOG_HEADER_SIZE) {
            fprintf(out, "@%-8llu torn: %llu bytes, less than a header\n",
                    (unsigned long long)off, (unsigned long long)(size - off));
            break;
        }
        if (!dump_record(out, buf + off, off, size - off)) break;
        if (off == 0)
            fprintf(out, "          (the store's id, not a write: wal.h)\n");
        off += log_record_size(decode_fixed32(buf + off + 9),
                               decode_fixed32(buf + off + 13));
        records++;
    }
    fprintf(out, "  %llu records\n", (unsigned long long)records);
    free(buf);
    return kv_ok();
}

/* 1 when name is digits (six or more) followed by suffix. */
static int is_table_name(const char *name, const char *suffix) {
    size_t digits = strspn(name, "0123456789");
    return digits >= 6 && strcmp(name + digits, suffix) == 0;
}

/* The level of table number in v, or -1 when v does not name it. */
static int table_level(const version *v, uint64_t number) {
    for (int l = 0; l < VERSION_LEVELS; l++)
        for (size_t i = 0; i < v->count[l]; i++)
            if (v->tables[l][i].number == number) return l;
    return -1;
}

/* The live set, as replaying the manifest of dir gives it (empty when the
 * manifest is missing or damaged: its listing says why). */
static version *live_set(io_env *env, const char *dir) {
    size_t n = strlen(dir) + sizeof MANIFEST_NAME + 1;
    char *path = xmalloc(n);
    uint64_t next = 0, log = 0;
    snprintf(path, n, "%s/%s", dir, MANIFEST_NAME);
    version *v = version_new();
    if (io_exists(env, path) &&
        manifest_replay(env, path, v, &next, &log).code != KV_OK) {
        version_free(v);
        v = version_new();
    }
    free(path);
    return v;
}

/* Lists dir/lost (LOST_DIR), if there: one line per file open set aside
 * there, with its size; none is read. */
static void dump_lost(io_env *env, const char *dir, FILE *out) {
    size_t n = strlen(dir) + sizeof LOST_DIR + 1;
    char *lost = xmalloc(n), **names;
    snprintf(lost, n, "%s/%s", dir, LOST_DIR);
    if (io_exists(env, lost) && io_list_dir(env, lost, &names).code == KV_OK) {
        for (size_t i = 0; names[i]; i++) {
            size_t m = strlen(lost) + strlen(names[i]) + 2;
            char *path = xmalloc(m);
            uint64_t size = 0;
            snprintf(path, m, "%s/%s", lost, names[i]);
            io_file_size(env, path, &size);
            fprintf(out,
                    "%s: set aside by open (not named by the manifest), "
                    "%llu bytes\n",
                    path, (unsigned long long)size);
            free(path);
        }
        io_names_free(names);
    }
    free(lost);
}

kv_status kv_dump(const char *dir, io_env *env, FILE *out) {
    io_env *own = env ? NULL : io_env_new();
    if (own) env = own;
    char **names;
    version *v = live_set(env, dir);
    kv_status s = io_list_dir(env, dir, &names);
    for (size_t i = 0; s.code == KV_OK && names[i]; i++) {
        char *path = xjoin(dir, names[i]);
        if (is_table_name(names[i], ".sst")) {
            int level = table_level(v, strtoull(names[i], NULL, 10));
            kv_status t = dump_table(env, path, level, out);
            if (t.code != KV_OK)
                fprintf(out, "%s: unreadable: %s\n", path, t.msg);
        } else if (is_table_name(names[i], ".log")) {
            kv_status t = dump_log(env, path, out);
            if (t.code != KV_OK)
                fprintf(out, "%s: unreadable: %s\n", path, t.msg);
        } else if (is_table_name(names[i], ".sst.tmp")) {
            fprintf(out,
                    "%s: an interrupted flush or compaction (open "
                    "removes it)\n",
                    path);
        } else if (strcmp(names[i], MANIFEST_NAME) == 0) {
            fprintf(out, "%s: the manifest\n", path);
            kv_status t = manifest_dump(env, path, out);
            if (t.code != KV_OK)
                fprintf(out, "%s: unreadable: %s\n", path, t.msg);
        } else if (strcmp(names[i], MANIFEST_TMP_NAME) == 0) {
            fprintf(out,
                    "%s: an interrupted manifest snapshot (open removes "
                    "it)\n",
                    path);
        } else if (strcmp(names[i], "STORE") == 0) {
            fprintf(out, "%s: the store marker (names the stage and the id)\n",
                    path);
        } else if (strcmp(names[i], LOST_DIR) == 0) {
            fprintf(out, "%s: files open set aside, listed last\n", path);
        } else if (strcmp(names[i], "LOCK") == 0) {
            fprintf(out, "%s: the lock file (locked while the store is open)\n",
                    path);
        } else {
            fprintf(out, "%s: not a file of this stage\n", path);
        }
        free(path);
    }
    if (s.code == KV_OK) io_names_free(names);
    if (s.code == KV_OK) dump_lost(env, dir, out);
    version_free(v);
    if (own) io_env_free(own);
    return s;
}
