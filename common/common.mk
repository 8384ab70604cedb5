# common.mk - builds common/'s own unit tests into build/common/tests.
# Used by the top-level Makefile: make -f common/common.mk [SAN=...] [test]

ROOT   := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)
COMMON := $(ROOT)/common
CC     ?= cc
# Warnings are errors under `make test` (and so in CI: WERROR=1), never in a
# plain build, where a newer compiler's new warning must not stop a learner.
WERROR ?= $(if $(filter test,$(MAKECMDGOALS)),1)
CFLAGS_BASE := -std=c11 -g -Wall -Wextra $(if $(WERROR),-Werror) \
               -D_GNU_SOURCE -I$(COMMON) -MMD -MP

ifeq ($(SAN),)
  BUILD  := $(ROOT)/build/common
  CFLAGS := $(CFLAGS_BASE) -O2
else ifeq ($(SAN),thread)
  BUILD  := $(ROOT)/build/san-thread/common
  CFLAGS := $(CFLAGS_BASE) -O1 -fsanitize=thread -fno-omit-frame-pointer
  LDFLAGS += -fsanitize=thread
else
  BUILD  := $(ROOT)/build/san-address/common
  CFLAGS := $(CFLAGS_BASE) -O1 -fsanitize=address,undefined \
            -fno-sanitize-recover=all -fno-omit-frame-pointer
  LDFLAGS += -fsanitize=address,undefined
endif

SRCS := status.c kv.c io.c io_fault.c io_map.c coding.c crc32c.c hash.c test_main.c \
        test_coding.c test_crc32c.c test_hash.c test_io.c test_io_fault.c test_io_map.c \
        test_files.c test_kv.c
OBJS := $(addprefix $(BUILD)/,$(SRCS:.c=.o))

.PHONY: all test
all: $(BUILD)/tests

$(BUILD)/tests: $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ -lpthread

$(BUILD)/%.o: $(COMMON)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

test: all
	cd $(BUILD) && ./tests

-include $(wildcard $(BUILD)/*.d)
