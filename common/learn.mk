# learn.mk - `make check`, included by stage.mk: the stage's tests run as
# the steps of its learn.txt, smallest first, stopping at the first that
# fails (ALL=1 runs every step), then the scoreboard column. In a starter
# (make learn STAGE=N) that is the learner's grade; in a stage folder every
# step passes. tools/learn.py does the work.
ALL ?=
.PHONY: check
check: all
	@python3 $(ROOT)/tools/learn.py check $(if $(ALL),--all) $(CURDIR) $(BUILD)
