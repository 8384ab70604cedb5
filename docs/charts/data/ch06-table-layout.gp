set terminal pngcairo enhanced font 'sans,10' size 1000,560
set output 'ch06-table-layout.png'

set multiplot layout 2,1 title "Chapter 6: one table to scale, from kv dump\n(000001.sst, stage 6: fillrandom of 2000 entries, flushed at close into one table of 135,563 bytes)" font ',12'
unset ytics
set yrange [0:2]
set style fill solid 1.0 border lc rgb '#ffffff'
set title "the whole file"
set xrange [0:135563]
set format x "%.0s %cB"
set xlabel 'byte offset in the file'
set label 1 "33 data blocks of about 4 KiB: 133,549 bytes, 98.5% of the file" at 66774.5, 1.65 center
set label 2 "filter, index and footer: the last 1.5%" at 135563, 0.3 right
set arrow 1 from 133549, 0.45 to 133549, 0.62 lw 1
plot 'data/ch06-table-layout.dat' using (($1+$2)/2):(1):1:2:(0.6):(1.4):3 \
     with boxxyerror lc rgb variable notitle
unset label
unset arrow
set title "the same file, its last 2,517 bytes magnified"
set xrange [133046:135563]
set format x "%.0f"
set label 1 "the last data blocks" at 133066, 1.65 left
set label 2 "filter: 1,568 bytes (1.2%),\none bloom filter for all the table's keys" at 134333, 1.7 center
set label 3 "index: 390 bytes, a key and an offset per block" at 135563, 0.3 right
set label 4 "footer: 56 bytes" at 135563, 1.65 right
set arrow 1 from 135312, 0.45 to 135312, 0.62 lw 1
set arrow 2 from 135535, 1.5 to 135535, 1.42 lw 1
plot 'data/ch06-table-layout.dat' using (($1+$2)/2):(1):1:2:(0.6):(1.4):3 \
     with boxxyerror lc rgb variable notitle
unset multiplot
