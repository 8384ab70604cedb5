/*
 * tableset.c - the live tables: opening them from the manifest, and
 * committing flushes and compactions (the story and the commit points are
 * in tableset.h). Readers do not read through the set: a shared version
 * (view.h) copies the version and takes a reference on each open table it
 * names, and views share that.
 *
 * The open tables are kept in an array sorted by file number, so the
 * table of a table_meta is found by binary search (tableset_table).
 *
 * Stage 6: one background thread changes the set (flushes, compactions)
 * while other threads read what it counts (kv_stats: tables per level, the
 * counters) under the engine's mutex. tableset_set_lock gives the set that
 * mutex, and the set takes it only around what they can see: the
 * version's changes (version_apply), the array of open tables, the
 * file-number counter and the counters. The long parts, merging and
 * writing the manifest, run without it. Only the background thread calls
 * the changing functions, so its own reads of the set need no lock: that
 * is how shared_version_new (view.h) copies it.
 */
#include "tableset.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "compact.h"
#include "manifest.h"
#include "table.h"

/* An open table and the number in its file name. */
typedef struct live_table {
    uint64_t number;
    table *t;
} live_table;

struct tableset {
    io_env *env;
    char *dir;
    version *v;
    io_file *manifest;     /* open for appending; NULL once it failed */
    kv_status broken;      /* why the manifest takes no more edits */
    uint64_t *next_number; /* the engine's counter */
    uint64_t log_number;   /* logs below this are obsolete */
    uint64_t table_bytes;  /* a compaction output's target size */
    fd_cache *files;       /* the tables' files, at most so many open */
    int bloom_bits;        /* a compaction output's filter */
    live_table *open;      /* by number */
    size_t nopen, cap;
    uint64_t compactions, bytes_compacted;
    uint64_t set_aside; /* files open moved to LOST_DIR */
    pthread_mutex_t *mu; /* the engine's (stage 6), or NULL: no locking */
};

/* Takes and releases ts->mu, when the set has one. */
static void lock(const tableset *ts) {
    if (ts->mu) pthread_mutex_lock(ts->mu);
}
static void unlock(const tableset *ts) {
    if (ts->mu) pthread_mutex_unlock(ts->mu);
}

static char *table_name(const tableset *ts, uint64_t number) {
    return table_file_name(ts->dir, number, "");
}

/* --- the open tables, by number ------------------------------------------ */

/* Where number is, or would go, in ts->open. */
static size_t find_pos(const tableset *ts, uint64_t number) {
    size_t lo = 0, hi = ts->nopen;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ts->open[mid].number < number)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The open table numbered number (always there for a live table). */
static table *find_table(const tableset *ts, uint64_t number) {
    size_t i = find_pos(ts, number);
    return i < ts->nopen && ts->open[i].number == number ? ts->open[i].t : NULL;
}

/* Opens table number and adds it to ts->open. */
static kv_status open_table(tableset *ts, uint64_t number) {
    char *path = table_name(ts, number);
    table *t;
    kv_status s = table_open_in(ts->env, path, ts->files, &t);
    if (s.code != KV_OK && strstr(s.msg, path) == NULL)
        s = kv_error(s.code, "%s: %s", path, s.msg);
    free(path);
    if (s.code != KV_OK) return s;
    lock(ts);
    if (ts->nopen == ts->cap) {
        ts->cap = ts->cap ? 2 * ts->cap : 16;
        ts->open = xrealloc(ts->open, ts->cap * sizeof *ts->open);
    }
    size_t i = find_pos(ts, number);
    memmove(ts->open + i + 1, ts->open + i, (ts->nopen - i) * sizeof *ts->open);
    ts->open[i] = (live_table){number, t};
    ts->nopen++;
    unlock(ts);
    return kv_ok();
}

/* Closes table number (if open) and forgets it. */
static void forget_table(tableset *ts, uint64_t number) {
    table *t = NULL;
    lock(ts);
    size_t i = find_pos(ts, number);
    if (i < ts->nopen && ts->open[i].number == number) {
        t = ts->open[i].t;
        memmove(ts->open + i, ts->open + i + 1,
                (ts->nopen - i - 1) * sizeof *ts->open);
        ts->nopen--;
    }
    unlock(ts);
    table_close(t); /* a view still using it holds its own reference */
}

/* Closes table number and removes its file, obsolete since the edit that
 * removed it committed (best effort: a file left behind is not named by
 * the manifest, and the next open sets it aside). A view may still be
 * reading the table: its file is kept open first (table_keep_file), as a
 * reopen by name would find nothing; if that fails, the file stays. */
static void drop_table(tableset *ts, uint64_t number) {
    table *t = find_table(ts, number); /* only this thread changes the set */
    kv_status s = t ? table_keep_file(t) : kv_ok();
    forget_table(ts, number);
    char *path = table_name(ts, number);
    if (s.code == KV_OK) io_remove(ts->env, path);
    free(path);
}

/* --- open ---------------------------------------------------------------- */

/* The number of a file the engine makes (NNNNNN.sst, .sst.tmp or .log), or
 * 0 for any other name. *kind: 's' table, 't' temporary, 'l' log. */
static uint64_t file_number(const char *name, int *kind) {
    size_t digits = strspn(name, "0123456789");
    const char *rest = name + digits;
    *kind = strcmp(rest, ".sst") == 0       ? 's'
            : strcmp(rest, ".sst.tmp") == 0 ? 't'
            : strcmp(rest, ".log") == 0     ? 'l'
                                            : 0;
    if (digits < 6 || digits > 19 || *kind == 0) return 0;
    return strtoull(name, NULL, 10);
}

/* Opens the live table m names, once the file under its name is the size
 * the manifest recorded: a table copied over a live one is refused, never
 * served (a table's own checks cannot tell one whole table from another). */
static kv_status open_named(tableset *ts, const table_meta *m) {
    char *path = table_name(ts, m->number);
    uint64_t size = 0;
    kv_status s = io_file_size(ts->env, path, &size);
    if (s.code == KV_OK && size != m->size)
        s = kv_error(KV_CORRUPTION,
                     "%s is %llu bytes where the manifest's table is %llu: "
                     "not the table it names",
                     path, (unsigned long long)size,
                     (unsigned long long)m->size);
    free(path);
    return s.code == KV_OK ? open_table(ts, m->number) : s;
}

/*
 * Fails unless the log the manifest names (log_number) is in the
 * directory, or was never made (a new store's first open stopped short:
 * the manifest handed out no number from it on, and the directory holds
 * no later log). The engine makes that log before
 * an edit names it, and removes it only after a later edit moves past it
 * (engine.c). So a missing one means the manifest lost its newest edits
 * (cut at a record boundary, or an older copy put back) or the log was
 * removed by hand: either way, writes the lost edits made obsolete are in
 * tables this manifest does not name, and opening would hide them.
 */
static kv_status check_log(const tableset *ts, char **names,
                           const char *path, uint64_t next) {
    int kind, later = 0;
    for (size_t i = 0; names[i]; i++) {
        uint64_t n = file_number(names[i], &kind);
        if (kind == 'l' && n == ts->log_number) return kv_ok();
        later |= kind == 'l' && n > ts->log_number;
    }
    if (next == ts->log_number && !later) return kv_ok();
    return kv_error(KV_CORRUPTION,
                    "%s: log %06llu.log, which it says holds writes no table "
                    "holds, is missing: the manifest lacks its newest edits "
                    "(cut short, or an older copy) or the log was removed",
                    path, (unsigned long long)ts->log_number);
}

/*
 * Reads MANIFEST into ts (or starts empty in a new store, whose first log
 * takes the next number) and raises *next_number past every number the
 * manifest or the directory holds.
 */
static kv_status replay(tableset *ts, int created, char **names) {
    char *path = xjoin(ts->dir, MANIFEST_NAME);
    uint64_t next = 0;
    int kind, tables = 0;
    for (size_t i = 0; names[i]; i++) {
        uint64_t n = file_number(names[i], &kind);
        if (n >= *ts->next_number) *ts->next_number = n + 1;
        tables |= kind == 's';
    }
    kv_status s = kv_ok();
    if (io_exists(ts->env, path)) {
        s = manifest_replay(ts->env, path, ts->v, &next, &ts->log_number);
        if (s.code == KV_OK) s = check_log(ts, names, path, next);
    } else if (!created && tables) {
        s = kv_error(KV_CORRUPTION, "%s: missing, but the store holds tables",
                     path);
    } else {
        ts->log_number = *ts->next_number;
    }
    if (next > *ts->next_number) *ts->next_number = next;
    free(path);
    return s;
}

/* dir/lost/name, or dir/lost/name.1, .2, ... when an earlier open set a
 * file of that name aside: nothing there is ever replaced. */
static char *lost_path(tableset *ts, const char *lost, const char *name) {
    size_t n = strlen(lost) + strlen(name) + 24;
    char *path = xmalloc(n);
    snprintf(path, n, "%s/%s", lost, name);
    for (unsigned i = 1; io_exists(ts->env, path); i++)
        snprintf(path, n, "%s/%s.%u", lost, name, i);
    return path;
}

/* Moves dir/name to dir/lost (made if need be) under a free name. */
static kv_status move_aside(tableset *ts, const char *lost, const char *name) {
    kv_status s = io_mkdir(ts->env, lost);
    if (s.code != KV_OK) return s;
    char *from = xjoin(ts->dir, name), *to = lost_path(ts, lost, name);
    s = io_rename(ts->env, from, to);
    free(from);
    free(to);
    return s;
}

/*
 * Deals with every file of the engine's (file_number) that the recovered
 * state does not name; called only once every table it names is open and
 * a fresh manifest is durable, so a manifest that could not be read whole
 * touches nothing.
 * A temporary file is removed: MANIFEST.tmp is renamed into place whole or
 * not at all, and NNNNNN.sst.tmp is renamed to NNNNNN.sst before any edit
 * names table NNNNNN (an edit names numbers, read back as .sst files), so
 * no manifest ever named one, and what it holds is still in the log or
 * the input tables it was written from. Every other such file is moved to
 * LOST_DIR, never removed: a table the manifest does not name, and a log
 * below log_number. Open cannot tell by number alone an obsolete file from
 * the only copy of a lost edit's keys (manifest.h) or a foreign file
 * (tableset.h). Both directories are then synced, lost/ first, so a power
 * loss leaves each file in one of the two.
 */
static kv_status set_aside_unnamed(tableset *ts, char **names) {
    kv_status s = kv_ok();
    char *lost = xjoin(ts->dir, LOST_DIR);
    for (size_t i = 0; names[i] && s.code == KV_OK; i++) {
        int kind;
        uint64_t n = file_number(names[i], &kind);
        char *path = xjoin(ts->dir, names[i]);
        if (strcmp(names[i], MANIFEST_TMP_NAME) == 0 || kind == 't') {
            if (io_exists(ts->env, path)) s = io_remove(ts->env, path);
        } else if ((kind == 's' && !version_has(ts->v, n)) ||
                   (kind == 'l' && n < ts->log_number)) {
            s = move_aside(ts, lost, names[i]);
            if (s.code == KV_OK) ts->set_aside++;
        }
        free(path);
    }
    if (s.code == KV_OK && ts->set_aside > 0) {
        s = io_sync_dir(ts->env, lost);
        if (s.code == KV_OK) s = io_sync_dir(ts->env, ts->dir);
    }
    free(lost);
    return s;
}

kv_status tableset_open(io_env *env, const char *dir, int created,
                        const tableset_options *o, uint64_t *next_number,
                        tableset **out) {
    tableset *ts = xcalloc(1, sizeof *ts);
    ts->env = env;
    ts->dir = xstrdup(dir);
    ts->v = version_new();
    ts->v->l0_trigger = o->l0_trigger;
    ts->v->level1_max_bytes = o->level1_bytes;
    ts->table_bytes = o->table_bytes;
    ts->files = o->files;
    ts->bloom_bits = o->bloom_bits;
    ts->next_number = next_number;
    *out = NULL;
    char **names = NULL, *path = xjoin(dir, MANIFEST_NAME);
    kv_status s = io_list_dir(env, dir, &names);
    if (s.code == KV_OK) s = replay(ts, created, names);
    for (int l = 0; l < VERSION_LEVELS && s.code == KV_OK; l++)
        for (size_t i = 0; i < ts->v->count[l] && s.code == KV_OK; i++)
            s = open_named(ts, &ts->v->tables[l][i]);
    if (s.code != KV_OK && strstr(s.msg, MANIFEST_NAME) == NULL)
        s = kv_error(s.code, "%s names a table that cannot be opened: %s",
                     path, s.msg);
    /* The state is complete: a fresh manifest (no torn tail to append
     * after), and only then are obsolete files removed. */
    if (s.code == KV_OK)
        s = manifest_write_snapshot(env, dir, ts->v, *next_number,
                                    ts->log_number);
    if (s.code == KV_OK) s = io_open_append(env, path, 0, &ts->manifest);
    if (s.code == KV_OK) s = set_aside_unnamed(ts, names);
    io_names_free(names);
    free(path);
    if (s.code != KV_OK) {
        tableset_close(ts);
        return s;
    }
    *out = ts;
    return kv_ok();
}

uint64_t tableset_log_number(const tableset *ts) { return ts->log_number; }

/* --- commits ---------------------------------------------------------------
 */

/* Makes sure the manifest can take an edit: it has not failed, and once it
 * passes MANIFEST_MAX_BYTES it is replaced by a snapshot first. */
static kv_status manifest_ready(tableset *ts) {
    uint64_t size = 0;
    if (ts->manifest == NULL) return ts->broken;
    kv_status s = io_size(ts->manifest, &size);
    if (s.code == KV_OK && size > MANIFEST_MAX_BYTES) {
        io_close(ts->manifest);
        ts->manifest = NULL;
        char *path = xjoin(ts->dir, MANIFEST_NAME);
        lock(ts);
        uint64_t next = *ts->next_number;
        unlock(ts);
        s = manifest_write_snapshot(ts->env, ts->dir, ts->v, next,
                                    ts->log_number);
        if (s.code == KV_OK)
            s = io_open_append(ts->env, path, 0, &ts->manifest);
        free(path);
    }
    if (s.code != KV_OK) {
        io_close(ts->manifest);
        ts->manifest = NULL;
        ts->broken =
            kv_error(s.code, "manifest takes no more edits: %s", s.msg);
    }
    return s;
}

/* Appends e with the current next_number to the manifest (the commit
 * point), then applies it to the version. */
static kv_status commit(tableset *ts, version_edit *e) {
    kv_status s = manifest_ready(ts);
    if (s.code != KV_OK) return s;
    e->has_next_number = 1;
    lock(ts);
    e->next_number = *ts->next_number;
    unlock(ts);
    s = manifest_append(ts->manifest, e);
    lock(ts);
    if (s.code == KV_OK) s = version_apply(ts->v, e);
    if (s.code == KV_OK && e->has_log_number) ts->log_number = e->log_number;
    unlock(ts);
    if (s.code != KV_OK) {
        io_close(ts->manifest);
        ts->manifest = NULL;
        ts->broken =
            kv_error(s.code, "manifest takes no more edits: %s", s.msg);
        return s;
    }
    return kv_ok();
}

kv_status tableset_add_flush(tableset *ts, uint64_t number, uint64_t size,
                             uint64_t entries, kv_slice smallest,
                             kv_slice largest, uint64_t log_number) {
    version_edit e;
    table_meta m;
    version_edit_init(&e);
    table_meta_set(&m, number, size, entries, smallest, largest);
    version_edit_add(&e, 0, &m);
    e.has_log_number = 1;
    e.log_number = log_number;
    kv_status s = open_table(ts, number);    /* opened first: reads only */
    if (s.code == KV_OK) s = commit(ts, &e); /* the commit point */
    if (s.code != KV_OK) forget_table(ts, number);
    table_meta_free(&m);
    version_edit_free(&e);
    return s;
}

/* --- compactions ------------------------------------------------------------
 */

/* What may_drop needs: the version and the compaction's output level. */
typedef struct drop_ctx {
    const version *v;
    int level;
} drop_ctx;

/* compaction.may_drop: no level below the output can hold key, so a
 * tombstone for it hides nothing. */
static int may_drop(void *arg, kv_slice key) {
    const drop_ctx *d = arg;
    return !version_key_may_exist_below(d->v, d->level, key);
}

static uint64_t new_number(void *arg) {
    tableset *ts = arg;
    lock(ts);
    uint64_t n = (*ts->next_number)++;
    unlock(ts);
    return n;
}

/* The pick's tables as compaction inputs, newest first: L0 from the
 * highest number down (or the one table of level L), then level L+1. */
static compact_input *inputs_of(tableset *ts, const version_pick *p,
                                size_t *n) {
    *n = p->n[0] + p->n[1];
    compact_input *in = xmalloc((*n ? *n : 1) * sizeof *in);
    size_t k = 0;
    for (size_t i = p->n[0]; i-- > 0;) {
        const table_meta *m = p->inputs[0][i];
        in[k++] = (compact_input){find_table(ts, m->number), p->level,
                                  m->number, m->size};
    }
    for (size_t i = 0; i < p->n[1]; i++) {
        const table_meta *m = p->inputs[1][i];
        in[k++] = (compact_input){find_table(ts, m->number), p->level + 1,
                                  m->number, m->size};
    }
    return in;
}

/* Runs and commits the compaction p (see compact.h for the steps). */
static kv_status run_pick(tableset *ts, const version_pick *p) {
    size_t n;
    compact_input *in = inputs_of(ts, p, &n);
    drop_ctx drop = {ts->v, p->level + 1};
    compaction c = {.env = ts->env,
                    .dir = ts->dir,
                    .inputs = in,
                    .ninputs = n,
                    .output_level = p->level + 1,
                    .target_bytes = ts->table_bytes,
                    .bloom_bits = ts->bloom_bits,
                    .may_drop = may_drop,
                    .drop_arg = &drop,
                    .new_number = new_number,
                    .number_arg = ts};
    kv_status s = compact_run(&c);
    size_t opened = 0; /* outputs are opened before the commit: reads only */
    for (; opened < c.edit.nadds && s.code == KV_OK; opened++)
        s = open_table(ts, c.edit.adds[opened].meta.number);
    if (s.code == KV_OK) s = commit(ts, &c.edit); /* the commit point */
    if (s.code == KV_OK) {
        lock(ts);
        ts->compactions++;
        ts->bytes_compacted += c.bytes_written;
        unlock(ts);
        for (size_t i = 0; i < n; i++) drop_table(ts, in[i].number);
    } else {
        for (size_t i = 0; i < opened; i++) /* files left: see tableset.h */
            forget_table(ts, c.edit.adds[i].meta.number);
    }
    version_edit_free(&c.edit);
    free(in);
    return s;
}

kv_status tableset_compact(tableset *ts, int force) {
    version_pick p;
    kv_status s = kv_ok();
    if (force && version_pick_l0(ts->v, &p)) {
        p.level = 0;
        s = run_pick(ts, &p);
        version_pick_free(&p);
    }
    while (s.code == KV_OK && version_pick_compaction(ts->v, &p)) {
        s = run_pick(ts, &p);
        version_pick_free(&p);
    }
    version_pick_free(&p);
    return s;
}

/* --- what readers see -----------------------------------------------------
 */

size_t tableset_count(const tableset *ts) { return ts->nopen; }

void tableset_set_lock(tableset *ts, pthread_mutex_t *mu) { ts->mu = mu; }

const version *tableset_version(const tableset *ts) { return ts->v; }

table *tableset_table(const tableset *ts, uint64_t number) {
    return find_table(ts, number);
}

size_t tableset_stats(const tableset *ts, kv_stat *out, size_t n, size_t max) {
    static const char *const names[VERSION_LEVELS] = {
        "tables_l0", "tables_l1", "tables_l2", "tables_l3",
        "tables_l4", "tables_l5", "tables_l6"};
    for (int l = 0; l < VERSION_LEVELS && n < max; l++)
        out[n++] = (kv_stat){names[l], ts->v->count[l]};
    if (n < max) out[n++] = (kv_stat){"compactions", ts->compactions};
    if (n < max) out[n++] = (kv_stat){"bytes_compacted", ts->bytes_compacted};
    if (n < max) out[n++] = (kv_stat){"files_set_aside", ts->set_aside};
    return n;
}

size_t tableset_memory(const tableset *ts) {
    size_t n = 0;
    for (size_t i = 0; i < ts->nopen; i++) n += table_memory(ts->open[i].t);
    return n;
}

uint64_t tableset_bytes_compacted(const tableset *ts) {
    return ts->bytes_compacted;
}

kv_status tableset_close(tableset *ts) {
    if (ts == NULL) return kv_ok();
    for (size_t i = 0; i < ts->nopen; i++) table_close(ts->open[i].t);
    free(ts->open);
    kv_status s = ts->manifest ? io_close(ts->manifest) : kv_ok();
    version_free(ts->v);
    free(ts->dir);
    free(ts);
    return s;
}
