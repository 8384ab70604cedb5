# stage.mk - how every stage is built. A stage's Makefile names itself and
# its files, then includes this:
#
#     STAGE := stage1-append-log
#     SRCS  := log.c engine.c dump.c    # the engine
#     TESTS := test_log.c               # the stage's own unit tests
#     TOOLS := fp_rate.c                # programs of its own (optional)
#     include ../common/stage.mk
#
# Products go to build/<stage>/ at the top of the repository (never into the
# stage folder): kv (the command), bench (the benchmark driver) and tests
# (the stage's unit tests plus the shared suite and the scoreboard).
#
#     make            build          make test       build and run the tests
#     make check      the tests as the steps of learn.txt, in order (a
#                     starter's grade: tools/learn.py, common/learn.mk)
#     make SAN=1      under AddressSanitizer and UndefinedBehaviorSanitizer
#     make SAN=thread under ThreadSanitizer
# Sanitizer builds go to build/san-address/<stage>/ or build/san-thread/.

ROOT   := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)
COMMON := $(ROOT)/common
CC     ?= cc
# Where products go; a starter (make learn) sets its own folder's build/.
BUILD_ROOT ?= $(ROOT)/build

# Warnings are errors under `make test` (and so in CI: WERROR=1), never in a
# plain build, where a newer compiler's new warning must not stop a learner.
WERROR ?= $(if $(filter test,$(MAKECMDGOALS)),1)
CFLAGS_BASE := -std=c11 -g -Wall -Wextra $(if $(WERROR),-Werror) \
               -D_GNU_SOURCE -I$(COMMON) -I$(CURDIR) -MMD -MP
LDLIBS      := -lpthread -lm

ifeq ($(SAN),)
  BUILD  := $(BUILD_ROOT)/$(STAGE)
  CFLAGS := $(CFLAGS_BASE) -O2
else ifeq ($(SAN),thread)
  BUILD  := $(BUILD_ROOT)/san-thread/$(STAGE)
  CFLAGS := $(CFLAGS_BASE) -O1 -fsanitize=thread -fno-omit-frame-pointer
  LDFLAGS += -fsanitize=thread
else
  BUILD  := $(BUILD_ROOT)/san-address/$(STAGE)
  CFLAGS := $(CFLAGS_BASE) -O1 -fsanitize=address,undefined \
            -fno-sanitize-recover=all -fno-omit-frame-pointer
  LDFLAGS += -fsanitize=address,undefined
endif

# common/ code every program links.
COMMON_LIB   := status.c kv.c io.c io_fault.c io_map.c coding.c crc32c.c hash.c \
                learn.c
# The shared test suite and runner, linked into every stage's tests.
COMMON_TESTS := test_main.c suite.c suite_contract.c suite_model.c \
                suite_crash.c suite_damage.c suite_scoreboard.c

LIB_OBJS   := $(addprefix $(BUILD)/common/,$(COMMON_LIB:.c=.o)) \
              $(addprefix $(BUILD)/,$(SRCS:.c=.o))
TEST_OBJS  := $(addprefix $(BUILD)/common/,$(COMMON_TESTS:.c=.o)) \
              $(addprefix $(BUILD)/,$(TESTS:.c=.o) expect.o)
# Each tool is one file with a main, linked with the engine.
TOOL_BINS  := $(addprefix $(BUILD)/,$(TOOLS:.c=))

.PHONY: all test clean
all: $(BUILD)/kv $(BUILD)/bench $(BUILD)/tests $(TOOL_BINS)

$(TOOL_BINS): $(BUILD)/%: $(BUILD)/%.o $(LIB_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/kv: $(BUILD)/common/kv_main.o $(LIB_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/bench: $(BUILD)/common/bench.o $(BUILD)/common/bench_workloads.o \
                $(LIB_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests: $(TEST_OBJS) $(LIB_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/common/%.o: $(COMMON)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# Runs the tests; the scoreboard row lands in $(BUILD)/scoreboard.txt.
test: all
	cd $(BUILD) && KV_SCOREBOARD=$(BUILD)/scoreboard.txt ./tests

clean:
	rm -rf $(BUILD)

include $(COMMON)/learn.mk

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
