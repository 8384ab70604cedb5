/*
 * test_manifest.c - the manifest (manifest.h): edits survive encoding with
 * many adds and removes and binary keys; replaying a manifest of random
 * edits rebuilds exactly the version built in memory; a tail cut at every
 * byte of the last edit replays the edits before it; a flipped byte, a
 * record that is not an edit, an edit that does not decode and one that
 * does not apply are corruption naming the offset; a snapshot replays to
 * the same version, and a snapshot that fails before its rename leaves
 * the old manifest whole, even after a power loss, and a MANIFEST.tmp
 * planted as a hard link is never written through. I/O is counted: one
 * write and one sync per appended edit.
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "manifest.h"
#include "suite.h"
#include "testing.h"

static char *path_in(const char *name) {
    static char buf[2][4096];
    static int which;
    which ^= 1;
    snprintf(buf[which], sizeof buf[which], "%s/%s", test_dir(), name);
    return buf[which];
}

/* Table number's range: binary keys unique to it, so any level takes it. */
static void meta_of(table_meta *m, uint64_t number) {
    char lo[11] = {0, (char)0xff}, hi[11];
    for (int i = 0; i < 8; i++) lo[2 + i] = (char)(number >> (56 - 8 * i));
    memcpy(hi, lo, 10);
    lo[10] = 'a';
    hi[10] = 'b';
    table_meta_set(m, number, number * 1000 + 7, number * 3, (kv_slice){lo, 11},
                   (kv_slice){hi, 11});
}

static int same_meta(const table_meta *a, const table_meta *b) {
    return a->number == b->number && a->size == b->size &&
           a->entries == b->entries &&
           kv_compare(table_meta_smallest(a), table_meta_smallest(b)) == 0 &&
           kv_compare(table_meta_largest(a), table_meta_largest(b)) == 0;
}

static int same_version(const version *a, const version *b) {
    for (int l = 0; l < VERSION_LEVELS; l++) {
        if (a->count[l] != b->count[l]) return 0;
        for (size_t i = 0; i < a->count[l]; i++)
            if (!same_meta(&a->tables[l][i], &b->tables[l][i])) return 0;
    }
    return 1;
}

static unsigned rnd(unsigned *state) {
    *state = *state * 1103515245u + 12345u;
    return (*state >> 16) & 0x7fff;
}

static void test_edit_roundtrip(void) {
    version_edit e, d;
    version_edit_init(&e);
    e.has_next_number = 1;
    e.next_number = 1ull << 40;
    for (uint64_t i = 0; i < 100; i++) {
        table_meta m;
        meta_of(&m, i * 977 + 1);
        version_edit_add(&e, (int)(i % VERSION_LEVELS), &m);
        table_meta_free(&m);
        version_edit_remove(&e, (int)(i % 3), i << 33);
    }
    kv_buf buf = {0};
    manifest_edit_encode(&e, &buf);
    CHECK_OK(manifest_edit_decode((kv_slice){buf.data, buf.size}, &d));
    CHECK(d.has_next_number && d.next_number == e.next_number);
    CHECK(!d.has_log_number);
    CHECK(d.nadds == 100 && d.nremoves == 100);
    for (size_t i = 0; i < 100; i++) {
        CHECK(d.adds[i].level == e.adds[i].level);
        CHECK(same_meta(&d.adds[i].meta, &e.adds[i].meta));
        CHECK(d.removes[i].level == e.removes[i].level);
        CHECK(d.removes[i].number == e.removes[i].number);
    }
    version_edit_free(&d);
    /* every cut short of the whole decodes to an error or fewer fields */
    for (size_t cut = 0; cut < buf.size; cut++) {
        kv_status s = manifest_edit_decode((kv_slice){buf.data, cut}, &d);
        CHECK(s.code != KV_OK || d.nadds + d.nremoves < 200);
        version_edit_free(&d);
    }
    CHECK_CODE(manifest_edit_decode((kv_slice){"\x09\x01", 2}, &d),
               KV_CORRUPTION);
    version_edit_free(&d);
    CHECK_CODE(manifest_edit_decode((kv_slice){"\x03\x07\x01", 3}, &d),
               KV_CORRUPTION); /* level 7 */
    version_edit_free(&d);
    kv_buf_free(&buf);
    version_edit_free(&e);
}

/* A random edit valid for v: removes up to 2 live tables, adds up to 3 new
 * ones (number from *next) at random levels. Applies it to v as well. */
static void random_edit(version *v, unsigned *st, uint64_t *next,
                        version_edit *e) {
    version_edit_init(e);
    for (int l = 0; l < VERSION_LEVELS; l++)
        for (size_t i = 0; i < v->count[l]; i++)
            if (rnd(st) % 8 == 0 && e->nremoves < 2)
                version_edit_remove(e, l, v->tables[l][i].number);
    for (unsigned n = rnd(st) % 4; n > 0; n--) {
        table_meta m;
        meta_of(&m, (*next)++);
        version_edit_add(e, (int)(rnd(st) % VERSION_LEVELS), &m);
        table_meta_free(&m);
    }
    if (rnd(st) % 2) e->has_next_number = 1, e->next_number = *next;
    if (rnd(st) % 3 == 0) e->has_log_number = 1, e->log_number = *next - 1;
}

/* Writes n random edits to path; *model is the version after them. *ends
 * (n + 1 entries) receives the file size before each edit and at the end. */
static kv_status write_edits(io_env *env, const char *path, int n,
                             version *model, uint64_t *ends) {
    unsigned st = test_seed();
    uint64_t next = 1;
    io_file *f;
    kv_status s = io_open_append(env, path, 1, &f);
    for (int i = 0; i < n && s.code == KV_OK; i++) {
        version_edit e;
        random_edit(model, &st, &next, &e);
        s = version_apply(model, &e);
        if (s.code == KV_OK && ends) s = io_size(f, &ends[i]);
        if (s.code == KV_OK) s = manifest_append(f, &e);
        version_edit_free(&e);
    }
    if (s.code == KV_OK && ends) s = io_size(f, &ends[n]);
    io_close(f);
    return s;
}

static void test_replay_equals_memory(void) {
    io_env *env = io_env_new();
    version *model = version_new(), *got = version_new();
    const char *path = path_in(MANIFEST_NAME);
    io_counts before = io_env_counts(env);
    CHECK_OK(write_edits(env, path, 200, model, NULL));
    io_counts d = io_counts_sub(io_env_counts(env), before);
    CHECKF(d.writes == 200 && d.syncs == 200, "%llu writes, %llu syncs",
           (unsigned long long)d.writes, (unsigned long long)d.syncs);
    uint64_t next = 0, log = 0;
    CHECK_OK(manifest_replay(env, path, got, &next, &log));
    CHECK(same_version(model, got));
    CHECK(next > 1 && log > 0);
    version_free(model);
    version_free(got);
    io_env_free(env);
}

/* Writes data[0..n) as the whole of path. */
static kv_status put(io_env *env, const char *path, const char *data,
                     size_t n) {
    io_file *f;
    kv_status s = io_open_append(env, path, 1, &f);
    if (s.code != KV_OK) return s;
    s = io_append(f, data, n);
    kv_status c = io_close(f);
    return s.code == KV_OK ? c : s;
}

/* Reads the whole of path into *out. */
static kv_status slurp(io_env *env, const char *path, kv_buf *out) {
    io_file *f;
    uint64_t size;
    kv_status s = io_open_read(env, path, &f);
    if (s.code != KV_OK) return s;
    s = io_size(f, &size);
    kv_buf_set(out, "", 0);
    if (s.code == KV_OK) {
        out->data = xrealloc(out->data, (size_t)size + 1);
        out->size = (size_t)size;
        s = io_pread_full(f, out->data, (size_t)size, 0);
    }
    io_close(f);
    return s;
}

static void test_torn_tail_replays_prefix(void) {
    io_env *env = io_env_new();
    version *all = version_new(), *prefix = version_new();
    const char *path = path_in(MANIFEST_NAME), *cut = path_in("cut");
    uint64_t ends[13];
    CHECK_OK(write_edits(env, path, 11, prefix, NULL));
    CHECK_OK(write_edits(env, path, 12, all, ends));
    CHECK(ends[11] < ends[12]);
    kv_buf data = {0};
    CHECK_OK(slurp(env, path, &data));
    for (uint64_t n = ends[11]; n <= ends[12]; n++) {
        CHECK_OK(put(env, cut, data.data, (size_t)n));
        version *v = version_new();
        uint64_t next = 0, log = 0;
        kv_status s = manifest_replay(env, cut, v, &next, &log);
        int ok =
            s.code == KV_OK && same_version(v, n == ends[12] ? all : prefix);
        version_free(v);
        CHECKF(ok, "cut at %llu of %llu: %s", (unsigned long long)n,
               (unsigned long long)ends[12], s.msg);
    }
    kv_buf_free(&data);
    version_free(all);
    version_free(prefix);
    io_env_free(env);
}

/* Replays path into a fresh version; the status, its message in msg. */
static kv_code replay_code(io_env *env, const char *path, char *msg) {
    version *v = version_new();
    uint64_t next = 0, log = 0;
    kv_status s = manifest_replay(env, path, v, &next, &log);
    version_free(v);
    snprintf(msg, KV_STATUS_MSG_MAX, "%s", s.msg);
    return s.code;
}

static void test_corruption_names_offset(void) {
    io_env *env = io_env_new();
    version *model = version_new();
    const char *path = path_in(MANIFEST_NAME), *bad = path_in("bad");
    uint64_t ends[9];
    char msg[KV_STATUS_MSG_MAX], want[64];
    CHECK_OK(write_edits(env, path, 8, model, ends));
    kv_buf data = {0};
    CHECK_OK(slurp(env, path, &data));
    for (int i = 0; i < 7; i++) { /* a byte in the middle of edit i */
        uint64_t at = ends[i] + (ends[i + 1] - ends[i]) / 2;
        data.data[at] ^= 0x10;
        CHECK_OK(put(env, bad, data.data, data.size));
        data.data[at] ^= 0x10;
        CHECK(replay_code(env, bad, msg) == KV_CORRUPTION);
        snprintf(want, sizeof want,
                 "offset %llu:", (unsigned long long)ends[i]);
        CHECKF(strstr(msg, want) && strstr(msg, "bad"), "edit %d: %s", i, msg);
    }
    /* well-formed records that are not good edits, after edit 0 */
    const kv_slice values[] = {
        {"\x09", 1}, {"\x04\x00\x01", 3}, {"\x03\x00\x63", 3}};
    const char *why[] = {"unexpected tag 9", "bad field", "not in level 0"};
    for (int i = 0; i < 3; i++) {
        kv_buf rec = {0}, file = {0};
        kv_buf_set(&file, data.data, (size_t)ends[1]);
        log_encode(&rec, LOG_PUT, kv_str("edit"), values[i]);
        kv_buf_append(&file, rec.data, rec.size);
        CHECK_OK(put(env, bad, file.data, file.size));
        kv_buf_free(&rec);
        kv_buf_free(&file);
        CHECK(replay_code(env, bad, msg) == KV_CORRUPTION);
        snprintf(want, sizeof want,
                 "offset %llu:", (unsigned long long)ends[1]);
        CHECKF(strstr(msg, want) && strstr(msg, why[i]), "%d: %s", i, msg);
    }
    kv_buf_free(&data);
    version_free(model);
    io_env_free(env);
}

static void test_snapshot_replays_same(void) {
    io_env *env = io_env_new();
    version *model = version_new(), *got = version_new();
    CHECK_OK(write_edits(env, path_in(MANIFEST_NAME), 50, model, NULL));
    io_counts before = io_env_counts(env);
    CHECK_OK(manifest_write_snapshot(env, test_dir(), model, 1234, 99));
    io_counts d = io_counts_sub(io_env_counts(env), before);
    CHECK(d.writes == 1 && d.syncs == 2); /* the file, then the directory */
    CHECK(!io_exists(env, path_in(MANIFEST_TMP_NAME)));
    uint64_t next = 0, log = 0;
    CHECK_OK(manifest_replay(env, path_in(MANIFEST_NAME), got, &next, &log));
    CHECK(same_version(model, got) && next == 1234 && log == 99);
    version_free(model);
    version_free(got);
    io_env_free(env);
}

static void test_failed_snapshot_keeps_old(void) {
    io_env *env = io_env_new_faulty();
    version *old = version_new(), *newer = version_new();
    table_meta m;
    meta_of(&m, 5);
    CHECK_OK(version_add(old, 1, &m));
    table_meta_free(&m);
    meta_of(&m, 6);
    CHECK_OK(version_add(newer, 2, &m));
    table_meta_free(&m);
    CHECK_OK(manifest_write_snapshot(env, test_dir(), old, 7, 4));
    io_fault_fail_at(env, IO_OP_RENAME, 1);
    CHECK_CODE(manifest_write_snapshot(env, test_dir(), newer, 8, 4),
               KV_IO_ERROR);
    CHECK_OK(io_fault_power_loss(env));
    version *got = version_new();
    uint64_t next = 0, log = 0;
    CHECK_OK(manifest_replay(env, path_in(MANIFEST_NAME), got, &next, &log));
    CHECK(same_version(got, old) && next == 7);
    version_free(got);
    /* an appended edit is durable once manifest_append returns */
    io_file *f;
    version_edit e;
    version_edit_init(&e);
    version_edit_remove(&e, 1, 5);
    CHECK_OK(io_open_append(env, path_in(MANIFEST_NAME), 0, &f));
    CHECK_OK(manifest_append(f, &e));
    version_edit_free(&e);
    CHECK_OK(io_close(f));
    CHECK_OK(io_fault_power_loss(env));
    got = version_new();
    CHECK_OK(manifest_replay(env, path_in(MANIFEST_NAME), got, &next, &log));
    CHECK(version_level_tables(got, 1) == 0);
    version_free(got);
    version_free(old);
    version_free(newer);
    io_env_free(env);
}

/* A MANIFEST.tmp already there (a crash's, or a hard link planted to
 * another file) is removed, never written through: the snapshot is
 * written and replays, and the other file is untouched. */
static void test_snapshot_past_planted_tmp(void) {
    io_env *env = io_env_new();
    version *v = version_new(), *got = version_new();
    table_meta m;
    meta_of(&m, 5);
    CHECK_OK(version_add(v, 1, &m));
    table_meta_free(&m);
    CHECK(suite_plant_link(path_in("victim"), path_in(MANIFEST_TMP_NAME)) == 0);
    CHECK_OK(manifest_write_snapshot(env, test_dir(), v, 7, 4));
    CHECK(suite_victim_kept(path_in("victim")));
    uint64_t next = 0, log = 0;
    CHECK_OK(manifest_replay(env, path_in(MANIFEST_NAME), got, &next, &log));
    CHECK(same_version(got, v) && next == 7 && log == 4);
    version_free(got);
    version_free(v);
    io_env_free(env);
}

static void test_dump_lists_edits(void) {
    io_env *env = io_env_new();
    const char *path = path_in(MANIFEST_NAME);
    version_edit e[3];
    table_meta m;
    uint64_t ends[4] = {0};
    io_file *f;
    CHECK_OK(io_open_append(env, path, 1, &f));
    for (int i = 0; i < 3; i++) {
        version_edit_init(&e[i]);
        meta_of(&m, (uint64_t)i + 1);
        version_edit_add(&e[i], 2 * i, &m);
        table_meta_free(&m);
        if (i > 0) version_edit_remove(&e[i], 2 * i - 2, (uint64_t)i);
        e[i].has_next_number = 1;
        e[i].next_number = 10 + (uint64_t)i;
        CHECK_OK(manifest_append(f, &e[i]));
        CHECK_OK(io_size(f, &ends[i + 1]));
        version_edit_free(&e[i]);
    }
    CHECK_OK(io_truncate(f, ends[3] - 3)); /* the last edit torn */
    io_close(f);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    CHECK(out != NULL);
    kv_status s = manifest_dump(env, path, out);
    fclose(out);
    char torn[64];
    snprintf(torn, sizeof torn, "torn tail @%llu (%llu bytes, ignored)",
             (unsigned long long)ends[2],
             (unsigned long long)(ends[3] - 3 - ends[2]));
    CHECKF(s.code == KV_OK && strstr(text, "  edit @0 (") &&
               strstr(text, "    add L0 000001.sst: 1007 bytes, 3 entries, "
                            "\"\\x00\\xff") &&
               strstr(text, "    remove L0 000001.sst") &&
               strstr(text, "    add L2 000002.sst") &&
               strstr(text, "    next_number 11") &&
               !strstr(text, "next_number 12") && strstr(text, torn),
           "dump:\n%s", text);
    free(text);
    io_env_free(env);
}

TEST_TABLE(manifest, TEST(test_edit_roundtrip), TEST(test_replay_equals_memory),
           TEST(test_torn_tail_replays_prefix),
           TEST(test_corruption_names_offset), TEST(test_snapshot_replays_same),
           TEST(test_failed_snapshot_keeps_old), TEST(test_dump_lists_edits),
           TEST(test_snapshot_past_planted_tmp))
