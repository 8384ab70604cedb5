/*
 * expect.c - what stage 3 expects of the shared suite's scoreboard
 * (common/suite.h). Sorted tables with a sparse index: a get reads a block
 * in every table whose range holds the key, newest first, so as tables
 * pile up a get reads more (get_o1 fails: stage 5 compacts); open reads
 * footers and index blocks only (open_index holds), the index holds one key per 4 KiB block
 * (index_memory holds), and scans are ordered (range_scan holds). The
 * memtable lives only in memory until it is flushed, so kill -9 loses it
 * (kill9 fails): this stage's failure. A missing key still costs a block
 * read in every table whose range covers it (missing_key fails). There is
 * no log to tear (torn_tail does not apply).
 */
#include "suite.h"

const stage_expect kv_stage_expect = {
    .rows =
        {
            [ROW_GET_O1] = EXPECT_FAIL,
            [ROW_OPEN_INDEX] = EXPECT_OK,
            [ROW_INDEX_MEMORY] = EXPECT_OK,
            [ROW_RANGE_SCAN] = EXPECT_OK,
            [ROW_KILL9] = EXPECT_FAIL,
            [ROW_POWER_LOSS] = EXPECT_FAIL,
            [ROW_DISK_BOUNDED] = EXPECT_FAIL,
            [ROW_MISSING_KEY] = EXPECT_FAIL,
            [ROW_NO_WAIT] = EXPECT_NA,
            [ROW_CORRUPTION] = EXPECT_OK,
            [ROW_ONE_PROCESS] = EXPECT_OK,
            [ROW_TORN_TAIL] = EXPECT_NA,
        },
    .test_options = {{"memtable_bytes", "2048"}},
    .log_suffix = NULL,
};
