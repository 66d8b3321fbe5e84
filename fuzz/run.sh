#!/bin/sh
# run.sh - build the libFuzzer harnesses (clang, ASan + UBSan) in
# build-fuzz/ and run each one for SECONDS, all at the same time.
#   fuzz/run.sh SECONDS [HARNESS...]      (default: every fuzz/fuzz_*.c)
# Seeds come from fuzz/corpus/<harness>/ (never written to); new inputs go
# to build-fuzz/corpus/<harness>/, crashes to build-fuzz/crashes/, logs to
# build-fuzz/logs/. Prints one line per harness; exits 1 if any crashed.
# A crash input is replayed with: build-fuzz/fuzz/<harness> FILE
set -u

usage() {
    echo "usage: fuzz/run.sh SECONDS [HARNESS...]" >&2
    exit 2
}
[ $# -ge 1 ] || usage
secs=$1
shift
case $secs in '' | *[!0-9]*) usage ;; esac

root=$(cd "$(dirname "$0")/.." && pwd)
build=${GCA_FUZZ_BUILD:-$root/build-fuzz}
cc=${CC:-clang}
case $cc in *clang*) ;; *) cc=clang ;; esac
command -v "$cc" >/dev/null 2>&1 || {
    echo "run.sh: libFuzzer needs clang, and '$cc' is not installed" >&2
    exit 1
}

if [ $# -eq 0 ]; then
    for src in "$root"/fuzz/fuzz_*.c; do
        h=$(basename "$src" .c)
        set -- "$@" "$h"
    done
fi

# Inputs larger than a harness's parser needs only slow the search (the
# full ASEM iData is 31 KB: fuzz_csv gets a 3-unit cut of it as a seed;
# the framework limit leaves room for data/frameworks/asem.json).
max_len() {
    case $1 in
    fuzz_csv) echo 8192 ;;
    fuzz_framework) echo 16384 ;;
    fuzz_method) echo 4096 ;;
    fuzz_bundle) echo 4096 ;;
    *) echo 8192 ;;
    esac
}

conflog=$(mktemp) || exit 1
CC=$cc cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DGCA_BUILD_FUZZERS=ON -DGCA_BUILD_TESTS=OFF -DGCA_BUILD_BENCH=OFF \
    >"$conflog" 2>&1 || {
    cat "$conflog" >&2
    rm -f "$conflog"
    exit 1
}
rm -f "$conflog"
jobs=$(nproc 2>/dev/null || echo 2)
cmake --build "$build" -j "$jobs" --target "$@" >/dev/null || {
    # Show the errors again, without the noise of a parallel build.
    cmake --build "$build" --target "$@" >&2
    exit 1
}

mkdir -p "$build/logs" "$build/crashes"
# Crash files older than this run are not counted again.
stamp=$build/logs/.started
: >"$stamp"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"

pids=
for h in "$@"; do
    mkdir -p "$build/corpus/$h"
    dict=
    [ -f "$root/fuzz/$h.dict" ] && dict="-dict=$root/fuzz/$h.dict"
    "$build/fuzz/$h" -max_total_time="$secs" -rss_limit_mb=2048 \
        -timeout=25 -max_len="$(max_len "$h")" -print_final_stats=1 \
        -artifact_prefix="$build/crashes/$h-" $dict \
        "$build/corpus/$h" "$root/fuzz/corpus/$h" \
        >"$build/logs/$h.log" 2>&1 &
    pids="$pids $!"
done
for p in $pids; do
    wait "$p"
done

# One line per harness from libFuzzer's final statistics.
status=0
for h in "$@"; do
    log=$build/logs/$h.log
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -n 1)
    cov=$(printf '%s\n' "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
    ft=$(printf '%s\n' "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
    corp=$(printf '%s\n' "$last" | sed -n 's/.*corp: \([0-9]*\).*/\1/p')
    [ -n "$runs" ] || runs=$(printf '%s\n' "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')
    crashes=$(find "$build/crashes" -name "$h-*" -type f -newer "$stamp" |
        wc -l)
    if grep -q -E '^(SUMMARY|==[0-9]+==ERROR)' "$log"; then
        [ "$crashes" -gt 0 ] || crashes=1
    fi
    [ "$crashes" -eq 0 ] || status=1
    printf '%-16s runs %-10s cov %-6s ft %-7s corpus %-6s crashes %s  (%s)\n' \
        "$h" "${runs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$crashes" \
        "$log"
done
if [ $status -ne 0 ]; then
    echo "crash inputs are in $build/crashes/; replay one with" \
        "$build/fuzz/<harness> FILE" >&2
fi
exit $status
