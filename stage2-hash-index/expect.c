/*
 * expect.c - what stage 2 expects of the shared suite's scoreboard
 * (common/suite.h). A get is one lookup and one read (get_o1 holds), and a
 * missing key is answered from memory (missing_key holds: the keydir knows
 * every key). The price: open reads the whole log (open_index fails) and
 * the index holds every key (index_memory fails). Still no order, no sync,
 * no reclaiming, as in stage 1.
 */
#include "suite.h"

const stage_expect kv_stage_expect = {
    .rows =
        {
            [ROW_GET_O1] = EXPECT_OK,
            [ROW_OPEN_INDEX] = EXPECT_FAIL,
            [ROW_INDEX_MEMORY] = EXPECT_FAIL,
            [ROW_RANGE_SCAN] = EXPECT_FAIL,
            [ROW_KILL9] = EXPECT_OK,
            [ROW_POWER_LOSS] = EXPECT_FAIL,
            [ROW_DISK_BOUNDED] = EXPECT_FAIL,
            [ROW_MISSING_KEY] = EXPECT_OK,
            [ROW_NO_WAIT] = EXPECT_NA,
            [ROW_CORRUPTION] = EXPECT_OK,
            [ROW_ONE_PROCESS] = EXPECT_OK,
            [ROW_TORN_TAIL] = EXPECT_OK,
        },
    .log_suffix = ".log",
};
