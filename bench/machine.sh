#!/bin/sh
# bench/machine.sh DIR COMMAND...: writes DIR/machine.txt, the machine a
# run was made on, in the fields bench/lib.py's machine_txt writes for the
# Python runs (date, system, cpu, nproc, memory, the scratch store's file
# system, and COMMAND, the run's own command line). For the shell scripts
# beside the data (docs/charts/data/*/run.sh).
case "${1:-}" in
-h | --help | "") sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'
    [ -n "${1:-}" ]; exit $? ;;
esac
dir=$1; shift
[ -d "$dir" ] || { echo "machine.sh: $dir: no such folder" >&2; exit 1; }
base=${TMPDIR:-/tmp}
{
  echo "date:       $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "system:     $(uname -srm)"
  echo "cpu:        $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
  echo "nproc:      $(nproc)"
  echo "memory:     $(sed -n 's/^MemTotal:[[:space:]]*//p' /proc/meminfo)"
  echo "db fs:      $(df --output=fstype "$base" | tail -1) (the scratch store under \$TMPDIR or /tmp)"
  echo "command:    $*"
} > "$dir/machine.txt" || { echo "machine.sh: cannot write $dir/machine.txt" >&2; exit 1; }
