# ch06-bloom-fp.png was made by:
python3 bench/plots.py --out docs/charts

# which ran, from the repository root, each 3 time(s), with DB a scratch directory under $TMPDIR or /tmp:
cc -std=c11 -O2 -D_GNU_SOURCE -Icommon -Istage6-bloom-concurrency -o build/plots-tools/fp_rate stage6-bloom-concurrency/fp_rate.c build/stage6-bloom-concurrency/log.o build/stage6-bloom-concurrency/wal.o build/stage6-bloom-concurrency/memtable.o build/stage6-bloom-concurrency/bloom.o build/stage6-bloom-concurrency/block.o build/stage6-bloom-concurrency/table_builder.o build/stage6-bloom-concurrency/table_reader.o build/stage6-bloom-concurrency/merge.o build/stage6-bloom-concurrency/engine.o build/stage6-bloom-concurrency/dump.o build/stage6-bloom-concurrency/version.o build/stage6-bloom-concurrency/manifest.o build/stage6-bloom-concurrency/compact.o build/stage6-bloom-concurrency/tableset.o build/stage6-bloom-concurrency/view.o build/stage6-bloom-concurrency/bg.o build/stage6-bloom-concurrency/common/status.o build/stage6-bloom-concurrency/common/kv.o build/stage6-bloom-concurrency/common/io.o build/stage6-bloom-concurrency/common/io_fault.o build/stage6-bloom-concurrency/common/coding.o build/stage6-bloom-concurrency/common/crc32c.o build/stage6-bloom-concurrency/common/hash.o -lpthread -lm && build/plots-tools/fp_rate --keys=1000000

# and drew the chart with:
cd docs/charts && gnuplot data/ch06-bloom-fp.gp
