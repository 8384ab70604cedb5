#!/bin/sh
# tools/learn_check.sh [N...]: CI's proof that the starters are honest
# (make learn-check). For every stage (or those named): its starter builds,
# each of its steps fails on the starter, filled in it is the stage again,
# and the stage passes every step. python3 tools/learn.py verify does it.
cd "$(dirname "$0")/.." || exit 1
exec python3 tools/learn.py verify "$@"
