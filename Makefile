# The course's one Makefile. Each stage also builds alone: make -C stage1-append-log
#
#   make                 build every stage into build/<stage>/ (kv, bench, tests)
#   make test            build and run every test, print the scoreboard
#   make test SAN=1      the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make test SAN=thread the same under ThreadSanitizer, for the stages that
#                        run threads (kv_thread_safe = 1: stages 5 and 6)
#   make plots           run the benchmarks and draw every chart into build/plots/
#   make plots QUICK=1   a small version of the same (for CI: under two minutes)
#   make reference       the reference run: every chart and run the chapters
#                        quote, into docs/charts/ (bench/reference.sh)
#   make diffs           write docs/diffs/stageN-to-stageN+1.diff
#   make learn STAGE=N   write a starter for stage N into learn/<stage> (DIR=...
#                        elsewhere, FORCE=1 over an old one); make -C it check
#   make learn-check     prove every stage's starter honest (tools/learn_check.sh)
#   make peers           build/peers/bench-{leveldb,rocksdb,sqlite} (peers/README.md)
#   make clean           remove build/

# `make test` makes every warning an error (common/stage.mk); a plain build
# only warns.
ifneq ($(filter test,$(MAKECMDGOALS)),)
export WERROR := 1
endif

# A stage is a folder stageN-* with a Makefile.
STAGES := $(sort $(patsubst %/Makefile,%,$(wildcard stage[0-9]-*/Makefile)))
SAN    ?=
QUICK  ?=
export SAN
# Under ThreadSanitizer only the stages that run threads are worth the time.
ifeq ($(SAN),thread)
STAGES := $(foreach s,$(STAGES),$(if $(shell grep -l 'kv_thread_safe = 1' $(s)/engine.c),$(s)))
endif

.PHONY: all test plots reference diffs clean deps-test deps-plots peers learn \
        learn-check

all:
	$(MAKE) -f common/common.mk
	@for s in $(STAGES); do $(MAKE) -C $$s || exit 1; done

deps-test:
	@tools/need cc gcc
	@tools/need python3 python3

deps-plots:
	@tools/need cc gcc
	@tools/need python3 python3
	@tools/need gnuplot gnuplot-nox

# Every stage's tests run even when an earlier one fails; the scoreboard is
# printed from the rows they wrote, and any failure fails the target.
SANDIR := $(if $(SAN),build/san-$(if $(filter thread,$(SAN)),thread,address),build)
test: deps-test all
	@tools/test-all $(SANDIR) $(STAGES)

plots: deps-plots all
	python3 bench/plots.py $(if $(QUICK),--quick) --out build/plots

# Every committed chart, and every run the chapters' tables are made from
# (hours: bench/reference.sh --list prints the steps).
reference: deps-plots all peers
	sh bench/reference.sh

diffs:
	@mkdir -p docs/diffs
	@set -- $(STAGES); while [ $$# -ge 2 ]; do \
	   a=$$1; b=$$2; n=$${a%%-*}; m=$${b%%-*}; \
	   out=docs/diffs/$$n-to-$$m.diff; \
	   LC_ALL=C diff -ruN $$a $$b > $$out.tmp; \
	   [ $$? -le 1 ] || exit 2; \
	   sed -E 's/^(---|\+\+\+) ([^	]*)	.*/\1 \2/' $$out.tmp > $$out; \
	   rm -f $$out.tmp; echo "wrote $$out"; shift; \
	 done

# A starter: stage N with the bodies of its new functions left to write.
learn: deps-test
	@test -n "$(STAGE)" || { echo "usage: make learn STAGE=N [DIR=...] [FORCE=1]" >&2; exit 2; }
	@python3 tools/learn.py new $(STAGE) $(if $(DIR),--dir $(DIR)) $(if $(FORCE),--force)

learn-check: deps-test
	@tools/learn_check.sh

# The same driver linked against LevelDB, RocksDB and SQLite (peers/).
peers:
	@tools/need-lib leveldb/c.h libleveldb-dev
	@tools/need-lib rocksdb/c.h librocksdb-dev
	@tools/need-lib sqlite3.h libsqlite3-dev
	$(MAKE) -C peers

clean:
	rm -rf build
