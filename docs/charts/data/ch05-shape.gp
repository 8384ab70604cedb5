set terminal pngcairo enhanced font 'sans,10' size 900,1100
set output 'ch05-shape.png'

set multiplot layout 3,1 title "Chapter 5: the shape of a store, drawn from kv dump after the same fill\n(fillrandom: 22000 random puts over keys 0 .. 21999, memtable\\_bytes=131072; stage 5 also\nl0\\_trigger=4, table\\_bytes=65536, level1\\_bytes=65536). Each table is a box from its first key to its last." font ',11'
set grid x
set lmargin 16
set xrange [0:22000]
set format x '%g'
unset xlabel

unset arrow
set arrow from 11000, graph 0 to 11000, graph 1 nohead dt 2 lw 2 lc rgb '#000000' front
set title "stage3-sstable: 31 tables, all in L0 (newest on top), each spanning nearly every key;\nthe dashed key 11000 lies in the range of 31 of them"
set ylabel "L0: one row per table\n(its file number)" offset -2,0
set yrange [30.6:-0.6]
set ytics ('000031' 0, '000026' 5, '000021' 10, '000016' 15, '000011' 20, '000006' 25, '000001' 30)
plot 'data/ch05-shape-stage3.dat' using (($2+$3)/2):1:2:3:($1-0.4):($1+0.4) with boxxyerror \
     lc rgb '#0072b2' fs solid 0.45 border lc rgb '#333333' notitle

unset arrow
set arrow from 11000, graph 0 to 11000, graph 1 nohead dt 2 lw 2 lc rgb '#000000' front
set title "stage4-wal-recovery: 31 tables (the same as stage 3's), all in L0 (newest on top), each spanning nearly every key;\nthe dashed key 11000 lies in the range of 31 of them"
set ylabel "L0: one row per table\n(its file number)" offset -2,0
set yrange [30.6:-0.6]
set ytics ('000031' 0, '000026' 5, '000021' 10, '000016' 15, '000011' 20, '000006' 25, '000001' 30)
plot 'data/ch05-shape-stage4.dat' using (($2+$3)/2):1:2:3:($1-0.4):($1+0.4) with boxxyerror \
     lc rgb '#e69f00' fs solid 0.45 border lc rgb '#333333' notitle
set xlabel 'key (the keys are numbers written as %016d: key 11000 is 0000000000011000)'

unset arrow
set arrow from graph 0, first 2.5 to graph 1, first 2.5 nohead dt 3 lc rgb '#888888'
set arrow from graph 0, first 3.5 to graph 1, first 3.5 nohead dt 3 lc rgb '#888888'
set arrow from graph 0, first 4.5 to graph 1, first 4.5 nohead dt 3 lc rgb '#888888'
set arrow from 11000, graph 0 to 11000, graph 1 nohead dt 2 lw 2 lc rgb '#000000' front
set title "stage5-compaction: 3 in L0, 1 in L1, 12 in L2, 17 in L3 (33 tables);\nbelow L0 no two tables of a level overlap: the dashed key 11000 lies in the range of 5"
set ylabel "level" offset -2,0
set yrange [5.6:-0.6]
set ytics ('L0' 0, 'L0' 1, 'L0' 2, 'L1' 3, 'L2' 4, 'L3' 5)
plot 'data/ch05-shape-stage5.dat' using (($2+$3)/2):1:2:3:($1-0.4):($1+0.4) with boxxyerror \
     lc rgb '#d55e00' fs solid 0.45 border lc rgb '#333333' notitle
unset multiplot
