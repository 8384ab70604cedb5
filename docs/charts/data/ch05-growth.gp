set terminal pngcairo enhanced font 'sans,10' size 1000,1250
set output 'ch05-growth.png'

set multiplot layout 4,1 title "Chapter 5: one stage 5 store at four moments, drawn from kv dump\n16000 random puts over keys 0 .. 21999, then 1000 more at a time, the store closed after each step\n(memtable\\_bytes=131072, l0\\_trigger=4, table\\_bytes=65536, level1\\_bytes=65536). Each table is a box from its first key\nto its last; the coloured ones were written since the moment before." font ',11'
set grid x
set lmargin 10
set xrange [0:22000]
set format x '%g'
unset xlabel

set title "after 16000 puts: 3 in L0, 1 in L1, 12 in L2, 9 in L3 (the starting point)"
set yrange [5.6:-0.6]
set ytics ('L0' 0, 'L0' 1, 'L0' 2, 'L1' 3, 'L2' 4, 'L3' 5)
plot 'data/ch05-growth-1.dat' using (($2+$3)/2):1:2:3:($1-0.4):($1+0.4):($5 > 0 ? 0xd55e00 : 0xcccccc) \
     with boxxyerror lc rgb variable fs solid 0.8 border lc rgb '#333333' \
     notitle

set title "after 17000 puts: 1 in L0, 1 in L1, 12 in L2, 13 in L3\nsince the moment before: 1 flushed, 18 written by compactions, 17 merged away"
set yrange [3.6:-0.6]
set ytics ('L0' 0, 'L1' 1, 'L2' 2, 'L3' 3)
plot 'data/ch05-growth-2.dat' using (($2+$3)/2):1:2:3:($1-0.4):($1+0.4):($5 > 0 ? 0xd55e00 : 0xcccccc) \
     with boxxyerror lc rgb variable fs solid 0.8 border lc rgb '#333333' \
     notitle

set title "after 18000 puts: 3 in L0, 1 in L1, 12 in L2, 13 in L3\nsince the moment before: 2 flushed, 0 written by compactions, 0 merged away"
set yrange [5.6:-0.6]
set ytics ('L0' 0, 'L0' 1, 'L0' 2, 'L1' 3, 'L2' 4, 'L3' 5)
plot 'data/ch05-growth-3.dat' using (($2+$3)/2):1:2:3:($1-0.4):($1+0.4):($5 > 0 ? 0xd55e00 : 0xcccccc) \
     with boxxyerror lc rgb variable fs solid 0.8 border lc rgb '#333333' \
     notitle
set xlabel 'key (the keys are numbers written as %016d)'

set title "after 19000 puts: 1 in L0, 1 in L1, 12 in L2, 14 in L3\nsince the moment before: 1 flushed, 26 written by compactions, 28 merged away"
set yrange [3.6:-0.6]
set ytics ('L0' 0, 'L1' 1, 'L2' 2, 'L3' 3)
plot 'data/ch05-growth-4.dat' using (($2+$3)/2):1:2:3:($1-0.4):($1+0.4):($5 > 0 ? 0xd55e00 : 0xcccccc) \
     with boxxyerror lc rgb variable fs solid 0.8 border lc rgb '#333333' \
     notitle
unset multiplot
