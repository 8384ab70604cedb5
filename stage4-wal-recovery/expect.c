/*
 * expect.c - what stage 4 expects of the shared suite's scoreboard
 * (common/suite.h). Stage 3's rows hold as they did (open_index,
 * index_memory, range_scan: a clean close flushes, so the log is empty and
 * open reads index blocks as before), and get_o1 fails as it did: a get
 * reads a block in every table whose range holds the key. The write-ahead log fixes stage 3's
 * failure: every write is in the kernel before it is acknowledged (kill9
 * holds) and, with sync=always, on disk (power_loss holds); a torn last
 * record is cut off at open (torn_tail holds). Tables still pile up under
 * overwrites (disk_bounded fails: stage 5 compacts), and a missing key
 * still costs a block read in every table whose range covers it
 * (missing_key fails: stage 6 adds bloom filters).
 */
#include "suite.h"

const stage_expect kv_stage_expect = {
    .rows =
        {
            [ROW_GET_O1] = EXPECT_FAIL,
            [ROW_OPEN_INDEX] = EXPECT_OK,
            [ROW_INDEX_MEMORY] = EXPECT_OK,
            [ROW_RANGE_SCAN] = EXPECT_OK,
            [ROW_KILL9] = EXPECT_OK,
            [ROW_POWER_LOSS] = EXPECT_OK,
            [ROW_DISK_BOUNDED] = EXPECT_FAIL,
            [ROW_MISSING_KEY] = EXPECT_FAIL,
            [ROW_NO_WAIT] = EXPECT_NA,
            [ROW_CORRUPTION] = EXPECT_OK,
            [ROW_ONE_PROCESS] = EXPECT_OK,
            [ROW_TORN_TAIL] = EXPECT_OK,
        },
    .test_options = {{"memtable_bytes", "2048"}},
    .durable_options = {{"sync", "always"}},
    .log_suffix = ".log",
};
