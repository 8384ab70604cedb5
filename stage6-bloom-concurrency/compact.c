/*
 * compact.c - runs one compaction (see compact.h for what it guarantees and
 * how the engine commits the result).
 *
 * One pass over the merge of the inputs: each entry the merge yields is the
 * newest version of its key; a tombstone the caller says may go is skipped;
 * everything else is added to the current output table, which is finished
 * and renamed into place once its estimated size passes the target. The
 * finished outputs are recorded in the edit as they are made, so on error
 * the edit lists exactly the files to remove.
 */
#include "compact.h"

#include <stdlib.h>
#include <string.h>

#include "merge.h"

#define ENTRY_OVERHEAD 4 /* per entry: the block's length varints and kind */

/* The output being written, and what is known of it so far. */
typedef struct output {
    table_builder *tb; /* NULL between outputs */
    uint64_t number;
    uint64_t estimate; /* bytes of entries added, roughly */
    uint64_t entries;
    kv_buf smallest, largest;
} output;

/* Starts a new output table under its temporary name. */
static kv_status output_open(compaction *c, output *o) {
    o->number = c->new_number(c->number_arg);
    o->estimate = o->entries = 0;
    char *tmp = table_file_name(c->dir, o->number, ".tmp");
    kv_status s =
        table_builder_new_filtered(c->env, tmp, c->bloom_bits, &o->tb);
    free(tmp);
    return s;
}

/* Finishes the current output: written and synced (table_builder_finish
 * syncs), renamed into place, and recorded as an add in c->edit. On error the
 * temporary file is left for the caller's cleanup. */
static kv_status output_finish(compaction *c, output *o) {
    uint64_t size = 0;
    char *tmp = table_file_name(c->dir, o->number, ".tmp");
    char *path = table_file_name(c->dir, o->number, "");
    kv_status s = table_builder_finish(o->tb, &size);
    o->tb = NULL;
    if (s.code == KV_OK) s = io_rename(c->env, tmp, path);
    if (s.code == KV_OK) {
        table_meta m;
        table_meta_set(&m, o->number, size, o->entries,
                       (kv_slice){o->smallest.data, o->smallest.size},
                       (kv_slice){o->largest.data, o->largest.size});
        version_edit_add(&c->edit, c->output_level, &m);
        table_meta_free(&m);
        c->bytes_written += size;
        c->entries_written += o->entries;
    }
    free(tmp);
    free(path);
    return s;
}

/* Adds the merge's current entry to the output, opening a new output
 * first if none is open and finishing it once it reaches the target. */
static kv_status output_add(compaction *c, output *o, iter *m) {
    kv_status s = kv_ok();
    kv_slice key = iter_key(m), value = iter_value(m);
    if (o->tb == NULL) s = output_open(c, o);
    if (s.code != KV_OK) return s;
    s = table_builder_add(o->tb, key, iter_kind(m), value);
    if (s.code != KV_OK) return s;
    if (o->entries++ == 0) kv_buf_set(&o->smallest, key.data, key.size);
    kv_buf_set(&o->largest, key.data, key.size);
    o->estimate += key.size + value.size + ENTRY_OVERHEAD;
    if (o->estimate >= c->target_bytes) s = output_finish(c, o);
    return s;
}

/* After a failure: abandons the open output and removes every file this
 * compaction wrote (best effort), leaving the edit empty. */
static void cleanup(compaction *c, output *o) {
    if (o->tb) {
        table_builder_abandon(o->tb);
        o->tb = NULL;
    }
    if (o->number) {
        char *tmp = table_file_name(c->dir, o->number, ".tmp");
        if (io_exists(c->env, tmp)) io_remove(c->env, tmp);
        free(tmp);
    }
    for (size_t i = 0; i < c->edit.nadds; i++) {
        char *path = table_file_name(c->dir, c->edit.adds[i].meta.number, "");
        io_remove(c->env, path);
        free(path);
    }
    version_edit_free(&c->edit);
}

/* The merge of the inputs, newest first. */
static iter *merge_inputs(const compaction *c) {
    iter **children = xmalloc((c->ninputs ? c->ninputs : 1) * sizeof(iter *));
    for (size_t i = 0; i < c->ninputs; i++)
        children[i] = table_iter_new(c->inputs[i].t);
    iter *m = merge_iter_new(children, c->ninputs);
    free(children);
    return m;
}

kv_status compact_run(compaction *c) {
    version_edit_init(&c->edit);
    c->bytes_read = c->bytes_written = 0;
    c->entries_written = c->tombstones_dropped = 0;
    for (size_t i = 0; i < c->ninputs; i++) c->bytes_read += c->inputs[i].size;

    output o = {0};
    kv_status s = kv_ok();
    iter *m = merge_inputs(c);
    for (iter_seek(m, (kv_slice){"", 0}); iter_valid(m) && s.code == KV_OK;
         iter_next(m)) {
        if (iter_kind(m) == ENTRY_DELETE && c->may_drop &&
            c->may_drop(c->drop_arg, iter_key(m))) {
            c->tombstones_dropped++;
            continue;
        }
        s = output_add(c, &o, m);
    }
    if (s.code == KV_OK) s = iter_status(m);
    iter_free(m);
    if (s.code == KV_OK && o.tb) s = output_finish(c, &o);
    if (s.code == KV_OK && c->edit.nadds > 0)
        s = io_sync_dir(c->env, c->dir); /* the renames are durable */
    if (s.code == KV_OK) {
        for (size_t i = 0; i < c->ninputs; i++)
            version_edit_remove(&c->edit, c->inputs[i].level,
                                c->inputs[i].number);
    } else {
        cleanup(c, &o);
    }
    kv_buf_free(&o.smallest);
    kv_buf_free(&o.largest);
    return s;
}
