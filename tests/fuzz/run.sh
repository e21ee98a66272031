#!/usr/bin/env bash
# Runs every libFuzzer target for FUZZ_SECONDS each, one after another (CI has 2 cores), over a seed corpus
# generated from ../shared/vectors, the tests and resources/ (seed_corpus.py), plus the corpus earlier runs
# grew in the build folder. A crash, leak, sanitizer report, timeout or broken round-trip property fails
# the run; the input is kept in BUILD_DIR/fuzz-artifacts/ and printed as a QtTest regression hint.
#
# Usage: tests/fuzz/run.sh BUILD_DIR [TARGET...]    env: FUZZ_SECONDS (default 30), TB_VECTORS_DIR
set -euo pipefail

build_dir=$(cd "${1:?usage: run.sh BUILD_DIR [TARGET...]}" && pwd)
shift
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
vectors_dir=${TB_VECTORS_DIR:-$source_dir/../shared/vectors}
seconds=${FUZZ_SECONDS:-30}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(fuzz_compact fuzz_jwe fuzz_base64url fuzz_json fuzz_keys fuzz_cookie fuzz_scenario fuzz_workspace
             fuzz_wordlist fuzz_identify)
fi

seeds=$build_dir/fuzz-seeds
rm -rf "$seeds"
/usr/bin/python3 "$source_dir/tests/fuzz/seed_corpus.py" "$source_dir" "$vectors_dir" "$seeds" >/dev/null

# halt_on_error and detect_leaks are libFuzzer's defaults with ASan; spelled out so a reader sees them.
export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

failed=()
total_runs=0
for target in "${targets[@]}"; do
    work=$build_dir/fuzz-corpus/$target
    artifacts=$build_dir/fuzz-artifacts/$target/
    log=$build_dir/fuzz-logs/$target.log
    mkdir -p "$work" "$artifacts" "$(dirname "$log")"
    # -timeout: one input taking 10 s is a hang; -rss_limit_mb: a memory blow-up is a finding too.
    if "$build_dir/tests/fuzz/$target" "$work" "$seeds/$target" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2560 -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts" \
        -dict="$source_dir/tests/fuzz/tokens.dict" >"$log" 2>&1; then
        status=ok
    else
        status=FAILED
        failed+=("$target")
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    total_runs=$((total_runs + ${runs:-0}))
    corpus=$(find "$work" -type f | wc -l)
    printf 'fuzz %-16s %-6s %10s executions in %s s, corpus %s\n' "$target" "$status" "${runs:-?}" "$seconds" \
        "$corpus"
    if [ "$status" = FAILED ]; then
        grep -E "ERROR: |SUMMARY: |fuzz property failed|runtime error" "$log" | head -5 | sed 's/^/    /'
        find "$artifacts" -type f -newer "$seeds" | sed 's/^/    input: /'
        tail -40 "$log" | sed 's/^/    | /'
    fi
done
echo "fuzz: ${#targets[@]} targets, $total_runs executions, ${#failed[@]} failed${failed:+: ${failed[*]}}"
[ ${#failed[@]} -eq 0 ]
