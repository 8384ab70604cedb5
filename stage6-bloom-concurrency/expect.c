/*
 * expect.c - what stage 6 expects of the shared suite's scoreboard
 * (common/suite.h): every row holds. Stage 5's rows hold as they did, and
 * stage 6 fixes its two failures: a bloom filter in every table lets a
 * missing key skip almost every table without reading a block
 * (missing_key), and compaction runs in a background thread while gets
 * read a reference-counted view, so a get completes while a compaction is
 * held in the middle of writing a table (no_wait).
 *
 * The test options make compaction run often in the shared suite: a 2 KiB
 * memtable, a compaction as soon as L0 holds 2 tables, 4 KiB outputs and
 * an 8 KiB L1 (so tables reach L2 and deeper), and the default 10-bit
 * filters, spelled out.
 */
#include "suite.h"

const stage_expect kv_stage_expect = {
    .rows =
        {
            [ROW_GET_O1] = EXPECT_OK,
            [ROW_OPEN_INDEX] = EXPECT_OK,
            [ROW_INDEX_MEMORY] = EXPECT_OK,
            [ROW_RANGE_SCAN] = EXPECT_OK,
            [ROW_KILL9] = EXPECT_OK,
            [ROW_POWER_LOSS] = EXPECT_OK,
            [ROW_DISK_BOUNDED] = EXPECT_OK,
            [ROW_MISSING_KEY] = EXPECT_OK,
            [ROW_NO_WAIT] = EXPECT_OK,
            [ROW_CORRUPTION] = EXPECT_OK,
            [ROW_ONE_PROCESS] = EXPECT_OK,
            [ROW_TORN_TAIL] = EXPECT_OK,
        },
    .test_options = {{"memtable_bytes", "2048"},
                     {"l0_trigger", "2"},
                     {"table_bytes", "4096"},
                     {"level1_bytes", "8192"},
                     {"bloom_bits", "10"}},
    .durable_options = {{"sync", "always"}},
    .log_suffix = ".log",
    .few_tables_options = {{"memtable_bytes", "4096"}},
    .table_tmp_suffix = ".sst.tmp",
};
