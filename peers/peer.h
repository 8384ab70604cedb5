/*
 * peer.h - what the three peer engines (leveldb.c, rocksdb.c, sqlite.c)
 * share: the options by name they all accept, parsed into one struct, and
 * the one line that prints the effective settings.
 *
 * Each peer implements common/kv.h on top of a production engine's C API,
 * so common/bench.c links unchanged and the last chapter can measure the
 * course's stage 6 against LevelDB, RocksDB and SQLite in one run.
 *
 * The options (-o NAME=VALUE), the same names the course's stages use:
 *   sync           none | always          (default none)
 *   compression    none | snappy          (default none; defaults=1: the
 *                                          engine's own, snappy)
 *   bloom_bits     bits per key, 0 = none (default 10; defaults=1: none)
 *   memtable_bytes the write buffer, 0 = the engine's own size (default 0)
 *   defaults       0 | 1                  (1: start from the engine's own
 *                                          defaults; options given still win)
 * An unknown name is refused (kv_config_check lists the known ones).
 */
#ifndef KV_PEER_H
#define KV_PEER_H

#include <stdint.h>

#include "kv.h"

typedef struct peer_settings {
    int sync_always;         /* sync=always */
    int snappy;              /* compression=snappy */
    uint64_t bloom_bits;     /* 0: no filter */
    uint64_t memtable_bytes; /* 0: the engine's default */
    int defaults;            /* defaults=1 was given */
} peer_settings;

/*
 * Parses cfg into *out. KV_INVALID_ARGUMENT for an unknown name or a bad
 * value, with a message naming the option; *out is then unspecified.
 */
kv_status peer_settings_parse(const kv_config *cfg, peer_settings *out);

/*
 * Prints "PEER: settings: TEXT" to stderr, once per process, and only when
 * the environment variable KV_PEER_VERBOSE is set (kv_open prints nothing
 * otherwise). TEXT is the engine's effective configuration.
 */
void peer_print_settings(const char *text);

#endif
