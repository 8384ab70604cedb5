/*
 * expect.c - what stage 7 expects of the shared suite's scoreboard
 * (common/suite.h): every row holds, as in stage 6. Stage 7 adds no
 * property; it makes stage 6 faster (its chapter measures by how much),
 * and the rows check that nothing it gave up was a guarantee.
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
