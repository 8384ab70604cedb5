/*
 * test_compact.c - compaction (compact.h) over real tables: the outputs
 * hold exactly the newest entry of every key (checked against a model over
 * many overlapping tables, a key held by all of them included);
 * tombstones go only where nothing deeper overlaps their key; outputs are
 * cut near the target size with disjoint, increasing ranges and exact
 * metadata; a failed write leaves no output file behind; and the outputs
 * survive a power loss once compact_run returns.
 */
#include <stdlib.h>
#include <string.h>

#include "compact.h"
#include "testing.h"

#define MAX_INPUTS 12
#define KEYSPACE   300

typedef struct entry {
    char key[16];
    int kind; /* 0: absent */
    char value[40];
} entry;

/* Inputs built by the test, and a model of the newest entry per key. */
typedef struct fixture {
    io_env *env;
    table *t[MAX_INPUTS];
    compact_input in[MAX_INPUTS];
    size_t n;
    entry model[KEYSPACE]; /* by key index: the newest input's entry */
    uint64_t next_number;
} fixture;

static char *path_of(uint64_t number, const char *suffix) {
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%06llu.sst%s", test_dir(),
             (unsigned long long)number, suffix);
    return buf;
}

static uint64_t next_number(void *arg) {
    return ((fixture *)arg)->next_number++;
}

/* Builds table number from es[0..n) (sorted, kind != 0 only), synced, and
 * adds it as the oldest input so far (inputs are given newest first). */
static kv_status add_input(fixture *fx, uint64_t number, const entry *es,
                           size_t n) {
    table_builder *tb;
    const char *path = path_of(number, "");
    kv_status s = table_builder_new(fx->env, path, &tb);
    for (size_t i = 0; i < n && s.code == KV_OK; i++)
        if (es[i].kind)
            s = table_builder_add(tb, kv_str(es[i].key), es[i].kind,
                                  kv_str(es[i].value));
    uint64_t size = 0;
    if (s.code == KV_OK) s = table_builder_finish(tb, &size);
    io_file *f;
    if (s.code == KV_OK) s = io_open_append(fx->env, path, 0, &f);
    if (s.code == KV_OK) s = io_sync(f), io_close(f);
    if (s.code == KV_OK) s = io_sync_dir(fx->env, test_dir());
    if (s.code == KV_OK) s = table_open(fx->env, path, &fx->t[fx->n]);
    if (s.code != KV_OK) return s;
    fx->in[fx->n] = (compact_input){fx->t[fx->n], 0, number, size, NULL};
    fx->n++;
    return kv_ok();
}

/* Builds count random inputs over KEYSPACE keys, newest first, and the
 * model: the first (newest) input holding a key decides it. Every input
 * also holds "k999", so one key is equal across all of them. */
static kv_status random_inputs(fixture *fx, size_t count, unsigned seed) {
    static entry es[KEYSPACE + 1];
    for (size_t t = 0; t < count; t++) {
        for (int k = 0; k <= KEYSPACE; k++) {
            entry *e = &es[k];
            seed = seed * 1103515245u + 12345u;
            unsigned r = (seed >> 16) % 10;
            snprintf(e->key, sizeof e->key, "k%03d", k == KEYSPACE ? 999 : k);
            e->kind = r < 3 || k == KEYSPACE ? ENTRY_PUT
                      : r < 4                ? ENTRY_DELETE
                                             : 0;
            e->value[0] = '\0';
            if (e->kind == ENTRY_PUT)
                snprintf(e->value, sizeof e->value, "v%zu-%d", t, k);
            if (k < KEYSPACE && e->kind && fx->model[k].kind == 0)
                fx->model[k] = *e;
        }
        kv_status s = add_input(fx, 100 + count - t, es, KEYSPACE + 1);
        if (s.code != KV_OK) return s;
    }
    return kv_ok();
}

static void fixture_free(fixture *fx) {
    for (size_t i = 0; i < fx->n; i++) table_close(fx->t[i]);
    io_env_free(fx->env);
}

/* A compaction of fx's inputs to level 1. */
static compaction setup(fixture *fx, uint64_t target) {
    compaction c = {.env = fx->env,
                    .dir = test_dir(),
                    .inputs = fx->in,
                    .ninputs = fx->n,
                    .output_level = 1,
                    .target_bytes = target,
                    .new_number = next_number,
                    .number_arg = fx};
    return c;
}

/* Reads every output of c's edit in order into out (at most max); returns
 * how many entries, or -1 on a read error or keys not increasing across
 * outputs. */
static long read_outputs(io_env *env, const compaction *c, entry *out,
                         long max) {
    long n = 0;
    for (size_t i = 0; i < c->edit.nadds; i++) {
        table *t;
        if (table_open(env, path_of(c->edit.adds[i].meta.number, ""), &t)
                .code != KV_OK)
            return -1;
        iter *it = table_iter_new(t);
        for (iter_seek(it, kv_str("")); iter_valid(it) && n < max;
             iter_next(it), n++) {
            entry *e = &out[n];
            snprintf(e->key, sizeof e->key, "%.*s", (int)iter_key(it).size,
                     iter_key(it).data);
            e->kind = iter_kind(it);
            snprintf(e->value, sizeof e->value, "%.*s",
                     (int)iter_value(it).size, iter_value(it).data);
            if (n > 0 && strcmp(out[n - 1].key, e->key) >= 0) n = -1000000;
        }
        int bad = iter_status(it).code != KV_OK;
        iter_free(it);
        table_close(t);
        if (bad || n < 0) return -1;
    }
    return n;
}

/* Checks got[0..n) against the model: a tombstone is expected only for a
 * key in [keep_lo, keep_hi]; "k999" must come last with the newest
 * input's value. On a mismatch, why says where. */
static int matches_model(const fixture *fx, const entry *got, long n,
                         const char *keep_lo, const char *keep_hi, char *why,
                         size_t cap) {
    long j = 0;
    for (int k = 0; k < KEYSPACE; k++) {
        const entry *m = &fx->model[k];
        if (m->kind == 0) continue;
        if (m->kind == ENTRY_DELETE &&
            (strcmp(m->key, keep_lo) < 0 || strcmp(m->key, keep_hi) > 0))
            continue;
        if (j >= n || strcmp(got[j].key, m->key) != 0 ||
            got[j].kind != m->kind || strcmp(got[j].value, m->value) != 0) {
            snprintf(why, cap, "at %ld: want %s/%d/%s", j, m->key, m->kind,
                     m->value);
            return 0;
        }
        j++;
    }
    if (j != n - 1 || strcmp(got[j].key, "k999") != 0 ||
        strcmp(got[j].value, "v0-300") != 0) {
        snprintf(why, cap, "tail: %ld of %ld entries", j, n);
        return 0;
    }
    return 1;
}

/* Tombstones in the model outside [lo, hi]. */
static uint64_t tombstones_outside(const fixture *fx, const char *lo,
                                   const char *hi) {
    uint64_t n = 0;
    for (int k = 0; k < KEYSPACE; k++)
        if (fx->model[k].kind == ENTRY_DELETE &&
            (strcmp(fx->model[k].key, lo) < 0 ||
             strcmp(fx->model[k].key, hi) > 0))
            n++;
    return n;
}

static void test_merge_keeps_newest(void) {
    fixture fx = {.env = io_env_new(), .next_number = 500};
    CHECK_OK(random_inputs(&fx, 10, test_seed()));
    compaction c = setup(&fx, 1ull << 30);
    CHECK_OK(compact_run(&c));
    static entry got[KEYSPACE + 1];
    long n = read_outputs(fx.env, &c, got, KEYSPACE + 1);
    char why[128] = "";
    CHECKF(matches_model(&fx, got, n, "", "~", why, sizeof why), "%s", why);
    CHECK(c.edit.nadds == 1 && c.edit.nremoves == 10);
    CHECK(c.edit.adds[0].meta.number == 500 && c.edit.adds[0].level == 1);
    CHECK(c.entries_written == (uint64_t)n && c.tombstones_dropped == 0);
    uint64_t in = 0;
    for (size_t i = 0; i < fx.n; i++) in += fx.in[i].size;
    CHECK(c.bytes_read == in && c.bytes_written == c.edit.adds[0].meta.size);
    for (size_t i = 0; i < 10; i++)
        CHECK(c.edit.removes[i].number == fx.in[i].number);
    version_edit_free(&c.edit);
    fixture_free(&fx);
}

/* may_drop: nothing deeper than level 1 of the version holds key. */
static int nothing_below(void *arg, kv_slice key) {
    return !version_key_may_exist_below(arg, 1, key);
}

static void test_tombstones_dropped_only_if_nothing_below(void) {
    fixture fx = {.env = io_env_new(), .next_number = 500};
    CHECK_OK(random_inputs(&fx, 6, test_seed() + 1));
    version *v = version_new();
    table_meta m;
    table_meta_set(&m, 7, 1, 1, kv_str("k100"), kv_str("k199"));
    CHECK_OK(version_add(v, 2, &m));
    table_meta_free(&m);
    compaction c = setup(&fx, 1ull << 30);
    c.may_drop = nothing_below;
    c.drop_arg = v;
    CHECK_OK(compact_run(&c));
    static entry got[KEYSPACE + 1];
    long n = read_outputs(fx.env, &c, got, KEYSPACE + 1);
    char why[128] = "";
    CHECKF(matches_model(&fx, got, n, "k100", "k199", why, sizeof why), "%s",
           why);
    uint64_t dropped = tombstones_outside(&fx, "k100", "k199");
    CHECK(dropped > 0 && c.tombstones_dropped == dropped);
    version_edit_free(&c.edit);
    version_free(v);
    fixture_free(&fx);
}

#define BIG_N 3000

/* One input of BIG_N entries "key%06d" with 100-byte values. */
static kv_status big_input(fixture *fx) {
    table_builder *tb;
    const char *path = path_of(100, "");
    kv_status s = table_builder_new(fx->env, path, &tb);
    if (s.code != KV_OK) return s;
    char value[100];
    memset(value, 'x', sizeof value);
    for (int i = 0; i < BIG_N && s.code == KV_OK; i++) {
        char key[16];
        snprintf(key, sizeof key, "key%06d", i);
        s = table_builder_add(tb, kv_str(key), ENTRY_PUT,
                              (kv_slice){value, sizeof value});
    }
    uint64_t size = 0;
    if (s.code == KV_OK)
        s = table_builder_finish(tb, &size);
    else
        table_builder_abandon(tb);
    if (s.code == KV_OK) s = table_open(fx->env, path, &fx->t[0]);
    if (s.code == KV_OK)
        fx->in[fx->n++] = (compact_input){fx->t[0], 1, 100, size, NULL};
    return s;
}

/* 1 if a name in the test directory ends with ".tmp". */
static int has_tmp(io_env *env) {
    char **names;
    if (io_list_dir(env, test_dir(), &names).code != KV_OK) return 1;
    int found = 0;
    for (size_t i = 0; names[i]; i++)
        if (strstr(names[i], ".tmp")) found = 1;
    io_names_free(names);
    return found;
}

/* How many names the test directory holds. */
static size_t count_files(io_env *env) {
    char **names;
    if (io_list_dir(env, test_dir(), &names).code != KV_OK) return 0;
    size_t n = 0;
    while (names[n]) n++;
    io_names_free(names);
    return n;
}

#define TARGET (16 * 1024)

static void test_outputs_cut_near_target(void) {
    fixture fx = {.env = io_env_new(), .next_number = 500};
    CHECK_OK(big_input(&fx));
    compaction c = setup(&fx, TARGET);
    io_counts before = io_env_counts(fx.env);
    CHECK_OK(compact_run(&c));
    io_counts d = io_counts_sub(io_env_counts(fx.env), before);
    size_t n = c.edit.nadds;
    CHECKF(n >= 18 && n <= 22, "%zu outputs", n); /* ~330 KB / 16 KiB */
    CHECK(d.syncs == n + 1); /* each output, then the directory once */
    CHECK(!has_tmp(fx.env) && count_files(fx.env) == n + 1);
    uint64_t entries = 0;
    for (size_t i = 0; i < n; i++) {
        const table_meta *m = &c.edit.adds[i].meta;
        uint64_t size;
        CHECK_OK(io_file_size(fx.env, path_of(m->number, ""), &size));
        CHECK(size == m->size);
        CHECKF(i == n - 1 || (size > TARGET * 3 / 4 &&
                              size < TARGET + 2 * TABLE_BLOCK_SIZE),
               "output %zu: %llu bytes", i, (unsigned long long)size);
        if (i > 0)
            CHECK(kv_compare(table_meta_largest(&c.edit.adds[i - 1].meta),
                             table_meta_smallest(m)) < 0);
        table *t;
        CHECK_OK(table_open(fx.env, path_of(m->number, ""), &t));
        iter *it = table_iter_new(t);
        iter_seek(it, kv_str(""));
        int first_ok = kv_compare(iter_key(it), table_meta_smallest(m)) == 0;
        iter_free(it);
        int same = table_entries(t) == m->entries;
        table_close(t);
        CHECK(first_ok && same);
        entries += m->entries;
    }
    CHECK(entries == BIG_N && c.entries_written == BIG_N);
    CHECK(kv_compare(table_meta_largest(&c.edit.adds[n - 1].meta),
                     kv_str("key002999")) == 0);
    version_edit_free(&c.edit);
    fixture_free(&fx);
}

static void test_corrupt_input_removes_outputs(void) {
    fixture fx = {.env = io_env_new(), .next_number = 500};
    CHECK_OK(big_input(&fx));
    kv_buf data = {0};
    io_file *f;
    uint64_t size = fx.in[0].size;
    data.data = xmalloc((size_t)size);
    data.size = (size_t)size;
    CHECK_OK(io_open_read(fx.env, path_of(100, ""), &f));
    CHECK_OK(io_pread_full(f, data.data, data.size, 0));
    io_close(f);
    data.data[size * 3 / 4] ^= 0x40; /* in a data block, late in the file */
    CHECK_OK(io_open_append(fx.env, path_of(100, ""), 1, &f));
    CHECK_OK(io_append(f, data.data, data.size));
    io_close(f);
    kv_buf_free(&data);
    compaction c = setup(&fx, TARGET);
    CHECK_CODE(compact_run(&c), KV_CORRUPTION);
    CHECK(c.edit.nadds == 0 && c.edit.nremoves == 0);
    CHECK(fx.next_number > 510); /* outputs were made, then removed */
    CHECK(count_files(fx.env) == 1 && io_exists(fx.env, path_of(100, "")));
    fixture_free(&fx);
}

/* Closes the inputs (power loss wants every file closed). */
static void close_inputs(fixture *fx) {
    for (size_t i = 0; i < fx->n; i++) table_close(fx->t[i]);
    fx->n = 0;
}

static void test_crash_mid_compaction_leaves_inputs(void) {
    fixture fx = {.env = io_env_new_faulty(), .next_number = 500};
    CHECK_OK(random_inputs(&fx, 4, test_seed()));
    uint64_t first = fx.in[0].number;
    compaction c = setup(&fx, 512);
    io_fault_fail_at(fx.env, IO_OP_WRITE, 5); /* a few outputs in */
    CHECK_CODE(compact_run(&c), KV_IO_ERROR);
    CHECK(c.edit.nadds == 0);
    close_inputs(&fx);
    CHECK_OK(io_fault_power_loss(fx.env));
    CHECK(count_files(fx.env) == 4 && io_exists(fx.env, path_of(first, "")));
    fixture_free(&fx);
}

static void test_outputs_survive_power_loss(void) {
    fixture fx = {.env = io_env_new_faulty(), .next_number = 500};
    CHECK_OK(random_inputs(&fx, 5, test_seed() + 2));
    compaction c = setup(&fx, 1024);
    CHECK_OK(compact_run(&c));
    CHECK(c.edit.nadds > 2);
    close_inputs(&fx);
    CHECK_OK(io_fault_power_loss(fx.env));
    static entry got[KEYSPACE + 1];
    long n = read_outputs(fx.env, &c, got, KEYSPACE + 1);
    char why[128] = "";
    CHECKF(matches_model(&fx, got, n, "", "~", why, sizeof why), "%s", why);
    version_edit_free(&c.edit);
    fixture_free(&fx);
}

/* Stage 7: two newer inputs over three disjoint tables of the output
 * level given with their metas side by side, so the merge reads those
 * three as one run (compact.h): the outputs are still exactly the newest
 * entry of every key. */
static void test_output_level_as_one_run(void) {
    fixture fx = {.env = io_env_new(), .next_number = 500};
    CHECK_OK(random_inputs(&fx, 2, test_seed() + 3));
    static entry es[100];
    table_meta metas[3];
    for (int j = 0; j < 3; j++) {
        for (int i = 0; i < 100; i++) {
            int k = j * 100 + i;
            snprintf(es[i].key, sizeof es[i].key, "k%03d", k);
            es[i].kind = ENTRY_PUT;
            snprintf(es[i].value, sizeof es[i].value, "old-%d", k);
            if (fx.model[k].kind == 0) fx.model[k] = es[i];
        }
        CHECK_OK(add_input(&fx, 50 + (uint64_t)j, es, 100));
        compact_input *in = &fx.in[fx.n - 1];
        table_meta_set(&metas[j], in->number, in->size, 100,
                       kv_str(es[0].key), kv_str(es[99].key));
        in->level = 1;
        in->meta = &metas[j];
    }
    compaction c = setup(&fx, 1ull << 30);
    CHECK_OK(compact_run(&c));
    static entry got[KEYSPACE + 1];
    long n = read_outputs(fx.env, &c, got, KEYSPACE + 1);
    char why[128] = "";
    CHECKF(matches_model(&fx, got, n, "", "~", why, sizeof why), "%s", why);
    CHECK(n == KEYSPACE + 1 && c.edit.nremoves == 5);
    version_edit_free(&c.edit);
    for (int j = 0; j < 3; j++) table_meta_free(&metas[j]);
    fixture_free(&fx);
}

TEST_TABLE(compact, TEST(test_merge_keeps_newest),
           TEST(test_tombstones_dropped_only_if_nothing_below),
           TEST(test_outputs_cut_near_target),
           TEST(test_corrupt_input_removes_outputs),
           TEST(test_output_level_as_one_run),
           TEST(test_crash_mid_compaction_leaves_inputs),
           TEST(test_outputs_survive_power_loss))
