/*
 * dump.c - `kv dump`: every record of the log, field by field.
 *
 * One line per record: its offset and length, its type, whether its
 * checksums hold, then the key and value (printable bytes as they are,
 * others as \xNN, long ones shortened). The dump goes on past a record
 * whose data checksum fails, since its header still says where the next
 * one starts; it stops at a bad header, where nothing can be trusted.
 */
#include <stdlib.h>
#include <string.h>

#include "coding.h"
#include "crc32c.h"
#include "kv.h"
#include "log.h"

/* Prints s quoted, escaping unprintable bytes, at most `max` bytes of it. */
static void print_bytes(FILE *out, const char *s, size_t n, size_t max) {
    kv_print_quoted(out, (kv_slice){s, n}, max);
    fprintf(out, " (%zu)", n);
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
        off += log_record_size(decode_fixed32(buf + off + 9),
                               decode_fixed32(buf + off + 13));
        records++;
    }
    fprintf(out, "  %llu records\n", (unsigned long long)records);
    free(buf);
    return kv_ok();
}

kv_status kv_dump(const char *dir, io_env *env, FILE *out) {
    io_env *own = env ? NULL : io_env_new();
    if (own) env = own;
    char **names;
    kv_status s = io_list_dir(env, dir, &names);
    for (size_t i = 0; s.code == KV_OK && names[i]; i++) {
        char *path = xjoin(dir, names[i]);
        size_t len = strlen(names[i]);
        if (len > 4 && strcmp(names[i] + len - 4, ".log") == 0)
            s = dump_log(env, path, out);
        else if (strcmp(names[i], "STORE") == 0)
            fprintf(out, "%s: the store marker (names the stage and the id)\n",
                    path);
        else if (strcmp(names[i], "LOCK") == 0)
            fprintf(out, "%s: the lock file (locked while the store is open)\n",
                    path);
        else
            fprintf(out, "%s: not a file of this stage\n", path);
        free(path);
    }
    if (s.code == KV_OK) io_names_free(names);
    if (own) io_env_free(own);
    return s;
}
