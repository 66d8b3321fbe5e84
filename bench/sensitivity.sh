#!/bin/bash
# sensitivity.sh BUILD_DIR OUT - issue 7's benchmark: the SA of COINr's
# sensitivity vignette (4 inputs: winmax, normalisation, 100 noisy weight
# sets, aggregation) at N = 1000, i.e. 6000 rebuilds of the ASEM example,
# by `gca sensitivity` (whole process, 2 threads, median of 5), against
# COINr's get_sensitivity with the same inputs on this machine when R
# and COINr are installed (N = 100, 600 rebuilds: COINr takes about
# 0.1 s per rebuild), else against the per-run time recorded in the COINr
# oracle's README (SA, N = 100: 57.9 s for 600 runs, 96.5 ms per run,
# same kind of machine). Writes key=value lines to OUT.
set -euo pipefail
build=$1
out=$2
root=$(cd "$(dirname "$0")/.." && pwd)
gca=$build/gca
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
args=(sensitivity --data "$root/data/examples/asem_iData.csv"
      --meta "$root/data/frameworks/asem.json"
      --method "$root/data/examples/asem_method.json"
      --spec "$root/tests/oracle/sensitivity/spec.json"
      --type SA --n 1000 --threads 2 --quiet)
"$gca" "${args[@]}" --out "$tmp/w" # warm-up
for i in 1 2 3 4 5; do
    t0=$(date +%s%N)
    "$gca" "${args[@]}" --out "$tmp/o$i"
    t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000 ))
done | sort -n > "$tmp/times"
med_us=$(sed -n 3p "$tmp/times")
runs=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["runs"])' "$tmp/o1/summary.json")
{
    echo "gca_sa_runs=$runs"
    echo "gca_sa_s=$(awk -v u="$med_us" 'BEGIN { printf "%.3f", u / 1e6 }')"
    echo "gca_sa_runs_per_s=$(awk -v u="$med_us" -v r="$runs" 'BEGIN { printf "%.0f", r / (u / 1e6) }')"
    echo "gca_sa_min_s=$(awk -v u="$(head -1 "$tmp/times")" 'BEGIN { printf "%.3f", u / 1e6 }')"
} > "$out"
if command -v Rscript >/dev/null &&
   Rscript -e 'suppressPackageStartupMessages(library(COINr))' 2>/dev/null; then
    Rscript "$root/bench/coinr_sensitivity.R" 100 > "$tmp/coinr"
    cat "$tmp/coinr" >> "$out"
    echo "coinr_source=measured in this run: COINr $(sed -n 's/^coinr_version=//p' "$tmp/coinr") on R $(sed -n 's/^r_version=//p' "$tmp/coinr"), SA N = 100, $(sed -n 's/^coinr_sa_runs=//p' "$tmp/coinr") runs in $(sed -n 's/^coinr_sa_s=//p' "$tmp/coinr") s" >> "$out"
else
    echo "coinr_sa_ms_per_run=96.5" >> "$out"
    echo "coinr_source=not run here (R with COINr not installed): COINr 1.1.14's per-run time from the oracle README (SA, N = 100, 600 runs in 57.9 s on a 2-vCPU Debian 12 machine)" >> "$out"
fi
cat "$out"
