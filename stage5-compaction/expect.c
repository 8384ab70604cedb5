/*
 * expect.c - what stage 5 expects of the shared suite's scoreboard
 * (common/suite.h). Stage 4's rows that held hold as they did. Compaction
 * fixes stage 4's failures: overwritten versions and dead tombstones are
 * merged away, so disk bytes stay bounded under overwrites and deletes
 * (disk_bounded holds), and a get searches L0 and one table a level, not
 * every table (get_o1 holds). A missing key still costs a block read in every
 * level whose range covers it (missing_key fails: stage 6 adds bloom
 * filters), and compaction runs in the writer's own thread, so the put
 * that triggers one does all its I/O before returning and nothing else
 * runs meanwhile (no_wait fails: stage 6 compacts in the background).
 *
 * The test options make compaction run often in the shared suite: a 2 KiB
 * memtable, a compaction as soon as L0 holds 2 tables, 4 KiB outputs and
 * an 8 KiB L1 (so tables reach L2 and deeper).
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
            [ROW_MISSING_KEY] = EXPECT_FAIL,
            [ROW_NO_WAIT] = EXPECT_FAIL,
            [ROW_CORRUPTION] = EXPECT_OK,
            [ROW_ONE_PROCESS] = EXPECT_OK,
            [ROW_TORN_TAIL] = EXPECT_OK,
        },
    .test_options = {{"memtable_bytes", "2048"},
                     {"l0_trigger", "2"},
                     {"table_bytes", "4096"},
                     {"level1_bytes", "8192"}},
    .durable_options = {{"sync", "always"}},
    .log_suffix = ".log",
    .few_tables_options = {{"memtable_bytes", "4096"}},
    .table_tmp_suffix = ".sst.tmp",
};
