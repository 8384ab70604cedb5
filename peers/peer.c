/*
 * peer.c - the options every peer engine accepts (peer.h), and the
 * settings line printed under KV_PEER_VERBOSE.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peer.h"

static const char *const known_options[] = {
    "sync", "compression", "bloom_bits", "memtable_bytes", "defaults", NULL};

/* Sets *out to the index of option name's value in choices (two of them). */
static kv_status parse_choice(const kv_config *cfg, const char *name,
                              const char *a, const char *b, int dflt,
                              int *out) {
    const char *v = kv_config_get(cfg, name);
    *out = dflt;
    if (v == NULL) return kv_ok();
    if (strcmp(v, a) == 0)
        *out = 0;
    else if (strcmp(v, b) == 0)
        *out = 1;
    else
        return kv_error(KV_INVALID_ARGUMENT, "option %s: '%s' is not %s or %s",
                        name, v, a, b);
    return kv_ok();
}

kv_status peer_settings_parse(const kv_config *cfg, peer_settings *out) {
    uint64_t defaults;
    kv_status s = kv_config_check(cfg, known_options);
    if (kv_is_ok(s)) s = kv_config_u64(cfg, "defaults", 0, 0, 1, &defaults);
    if (!kv_is_ok(s)) return s;
    out->defaults = (int)defaults;
    s = parse_choice(cfg, "sync", "none", "always", 0, &out->sync_always);
    if (kv_is_ok(s))
        s = parse_choice(cfg, "compression", "none", "snappy", out->defaults,
                         &out->snappy);
    if (kv_is_ok(s))
        s = kv_config_u64(cfg, "bloom_bits", out->defaults ? 0 : 10, 0, 64,
                          &out->bloom_bits);
    if (kv_is_ok(s))
        s = kv_config_u64(cfg, "memtable_bytes", 0, 0, (uint64_t)1 << 30,
                          &out->memtable_bytes);
    return s;
}

void peer_print_settings(const char *text) {
    static int printed;
    if (printed || getenv("KV_PEER_VERBOSE") == NULL) return;
    printed = 1;
    fprintf(stderr, "%s: settings: %s\n", kv_stage_name, text);
}
