/*
 * expect.c - what stage 1 expects of the shared suite's scoreboard
 * (common/suite.h). Every get scans the log (get_o1, missing_key fail);
 * open reads nothing (open_index holds); there is no index to measure; the
 * log has no order (range_scan fails); one write(2) per put survives kill -9
 * but nothing is synced (power_loss fails); nothing is ever reclaimed
 * (disk_bounded fails).
 */
#include "suite.h"

const stage_expect kv_stage_expect = {
    .rows =
        {
            [ROW_GET_O1] = EXPECT_FAIL,
            [ROW_OPEN_INDEX] = EXPECT_OK,
            [ROW_INDEX_MEMORY] = EXPECT_NA,
            [ROW_RANGE_SCAN] = EXPECT_FAIL,
            [ROW_KILL9] = EXPECT_OK,
            [ROW_POWER_LOSS] = EXPECT_FAIL,
            [ROW_DISK_BOUNDED] = EXPECT_FAIL,
            [ROW_MISSING_KEY] = EXPECT_FAIL,
            [ROW_NO_WAIT] = EXPECT_NA,
            [ROW_CORRUPTION] = EXPECT_OK,
            [ROW_ONE_PROCESS] = EXPECT_OK,
            [ROW_TORN_TAIL] = EXPECT_OK,
        },
    .log_suffix = ".log",
};
