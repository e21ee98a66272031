#!/usr/bin/env bash
# Runs every benchmark program in the build folder given as $1 (default: build).
set -euo pipefail
build=${1:-build}
status=0
for exe in "$build"/tests/bench/bench_*; do
    [ -f "$exe" ] && [ -x "$exe" ] || continue # not the *_autogen folders
    echo "== $(basename "$exe")"
    "$exe" || status=1
    echo
done
exit $status
