#!/bin/bash
# run.sh BUILD_DIR - the benchmarks of bench/ (make bench). Measures
#  1. one full standard build of the ASEM example in process (median of
#     2000 builds on one core, bench_build.c);
#  2. the `gca build` process on the same example (median of 100 runs,
#     start to exit, files written);
#  3. COINr's standard build of the same example, when R and COINr are
#     installed here (bench/coinr_build.R), so that both run on the same
#     machine in the same session;
#  4. the workflow (bench_workflow.c): durable answer submissions per
#     second against bare SQLite inserts of the same rows with the same
#     durability, in a directory of the build tree (on disk, not tmpfs),
#     and scoring an edition of 194 countries x 100 questions;
#  5. knowledge base search (bench_kb.c): 100,000 generated entries
#     imported with gca_kb_import, then 2000 queries (words, phrases,
#     prefixes, with and without filters) through gca_kb_search, in SQL
#     (FTS5 bm25()) and with the in-memory index (gca_kb_keep_index);
#  6. gca serve against nginx serving the same bytes as static files
#     (bench/http.sh, wrk, 64 connections, same run);
#  7. the sensitivity analysis of COINr's vignette at N = 1000 (6000
#     rebuilds) against COINr's get_sensitivity (bench/sensitivity.sh).
# Prints the figures and appends them, dated, to bench/RESULTS.md.
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
gca=$build/gca
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "bench: in-process build (bench_build, 2000 runs)"
"$build/bench/bench_build" "$root" 2000 | tee "$tmp/inproc"
get() { sed -n "s/^$1=//p" "$2"; }

echo "bench: gca build process (100 runs)"
args=(build --data "$root/data/examples/asem_iData.csv"
      --meta "$root/data/frameworks/asem.json"
      --method "$root/data/examples/asem_method.json")
"$gca" "${args[@]}" --out "$tmp/out" >/dev/null # warm the page cache
for i in $(seq 100); do
    t0=$(date +%s%N)
    "$gca" "${args[@]}" --out "$tmp/out" >/dev/null
    t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000 ))
done | sort -n > "$tmp/proc"
proc_median_us=$(sed -n 50p "$tmp/proc")
proc_min_us=$(head -1 "$tmp/proc")
echo "process_median_us=$proc_median_us process_min_us=$proc_min_us"

coinr="not run: R with the COINr package is not installed on this machine"
if command -v Rscript >/dev/null &&
   Rscript -e 'suppressPackageStartupMessages(library(COINr))' 2>/dev/null; then
    echo "bench: COINr build_example_coin() (100 runs)"
    Rscript "$root/bench/coinr_build.R" 100 | tee "$tmp/coinr"
    coinr="COINr $(get coinr_version "$tmp/coinr") on R $(get r_version "$tmp/coinr"): median $(get coinr_median_ms "$tmp/coinr") ms, min $(get coinr_min_ms "$tmp/coinr") ms per build (100 builds, same session)"
fi

echo "bench: workflow (bench_workflow, 2000 submissions, 21 scorings)"
mkdir -p "$build/bench-workflow"
"$build/bench/bench_workflow" "$build/bench-workflow" 2000 | tee "$tmp/wf"
fsdev=$(df -T "$build/bench-workflow" | awk 'NR == 2 { print $2 }')

echo "bench: knowledge base search (bench_kb, 100000 entries, 2000 queries)"
mkdir -p "$build/bench-kb"
"$build/bench/bench_kb" "$build/bench-kb" 100000 2000 | tee "$tmp/kb"

echo "bench: gca serve against nginx (wrk, 64 connections, 10 s per URL)"
"$root/bench/http.sh" "$build" "$tmp/http"

echo "bench: gca sensitivity, SA N = 1000 (6000 rebuilds), against COINr"
"$root/bench/sensitivity.sh" "$build" "$tmp/sens"

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")
btype=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt")
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
{
    echo
    echo "## $(date -u +%Y-%m-%d) - $(uname -srm), $cpu, $(nproc) cores, $mem"
    echo
    echo "Commit $commit, $($cc --version | head -1), build type $btype; \`make bench\`."
    echo
    echo "| measure | result |"
    echo "|---|---|"
    echo "| in-process standard ASEM build (median of $(get runs "$tmp/inproc"), one core pinned: $(get pinned_one_core "$tmp/inproc")) | **$(get median_us "$tmp/inproc") µs** (min $(get min_us "$tmp/inproc"), p90 $(get p90_us "$tmp/inproc"), max $(get max_us "$tmp/inproc")) |"
    echo "| \`gca build\` process, same example, 7 data sets + reports written (median of 100) | $proc_median_us µs (min $proc_min_us) |"
    echo "| peer: COINr \`build_example_coin()\` | $coinr |"
    echo "| durable answer submissions (\`gca_answer_submit\`: answer + audit event, one transaction each, WAL, synchronous=FULL, $fsdev) | **$(get gca_submit_per_s "$tmp/wf")/s** |"
    echo "| peer: bare SQLite inserts of the same two rows per transaction, same durability, same run | $(get bare_insert_per_s "$tmp/wf")/s; gca reaches **$(get ratio_pct "$tmp/wf") %** (goal >= 50 %) |"
    echo "| scoring an edition, $(get score_countries "$tmp/wf") countries x $(get score_questions "$tmp/wf") questions (\`gca_edition_score\`, stored and committed; median of 21) | **$(get score_median_ms "$tmp/wf") ms** (min $(get score_min_ms "$tmp/wf"), max $(get score_max_ms "$tmp/wf"); goal < 50 ms) |"
    echo "| knowledge base: import of $(get kb_generated "$tmp/kb") generated entries (\`gca_kb_import\`, one transaction) | $(get kb_import_s "$tmp/kb") s |"
    echo "| knowledge base: in-memory index built (\`gca_kb_keep_index\`) | $(get kb_index_build_s "$tmp/kb") s |"
    echo "| knowledge base search in process, $(get kb_entries "$tmp/kb") entries, $(get kb_queries "$tmp/kb") queries (\`gca_kb_search\`, 20 hits + total, $(get kb_mean_matches "$tmp/kb") matches on average), with the in-memory index | p50 **$(get kb_index_p50_ms "$tmp/kb") ms**, p99 **$(get kb_index_p99_ms "$tmp/kb") ms** (max $(get kb_index_max_ms "$tmp/kb"); goal p99 <= 5 ms) |"
    echo "| the same queries in SQL only (FTS5 \`bm25()\` ranks every match), same run | p50 $(get kb_sql_p50_ms "$tmp/kb") ms, p99 $(get kb_sql_p99_ms "$tmp/kb") ms (max $(get kb_sql_max_ms "$tmp/kb")) |"
    pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", 100 * a / b }'; }
    echo "| \`gca serve\` /api/v1/results ($(get results_bytes "$tmp/http") bytes), wrk 64 connections, 2 threads | **$(get gca_results_rps "$tmp/http") req/s**, p99 **$(get gca_results_p99_ms "$tmp/http") ms** |"
    echo "| peer: nginx, the same bytes as a static file, 2 workers, same run | $(get nginx_results_rps "$tmp/http") req/s, p99 $(get nginx_results_p99_ms "$tmp/http") ms; gca reaches **$(pct "$(get gca_results_rps "$tmp/http")" "$(get nginx_results_rps "$tmp/http")") %** (goal >= 50 %, p99 < 10 ms) |"
    echo "| \`gca serve\` country profile page /countries/GBR ($(get profile_bytes "$tmp/http") bytes) | **$(get gca_profile_rps "$tmp/http") req/s**, p99 **$(get gca_profile_p99_ms "$tmp/http") ms** |"
    echo "| peer: nginx, the same page as a static file, same run | $(get nginx_profile_rps "$tmp/http") req/s, p99 $(get nginx_profile_p99_ms "$tmp/http") ms; gca reaches **$(pct "$(get gca_profile_rps "$tmp/http")" "$(get nginx_profile_rps "$tmp/http")") %** |"
    echo "| \`gca serve\` resident memory after the runs | **$(get gca_rss_mb "$tmp/http") MB** (goal < 30 MB) |"
    cms=$(get coinr_sa_ms_per_run "$tmp/sens")
    echo "| \`gca sensitivity\`, SA of COINr's vignette, N = 1000: $(get gca_sa_runs "$tmp/sens") rebuilds of the ASEM example, whole process, 2 threads (median of 5) | **$(get gca_sa_s "$tmp/sens") s**, **$(get gca_sa_runs_per_s "$tmp/sens") rebuilds/s** (goal >= 20,000) |"
    echo "| peer: COINr \`get_sensitivity\`, same inputs | $cms ms per rebuild, $(get coinr_source "$tmp/sens"); the same $(get gca_sa_runs "$tmp/sens") rebuilds would take $(awk -v m="$cms" -v r="$(get gca_sa_runs "$tmp/sens")" 'BEGIN { printf "%.0f", m * r / 1000 }') s: gca is **$(awk -v m="$cms" -v r="$(get gca_sa_runs "$tmp/sens")" -v g="$(get gca_sa_s "$tmp/sens")" 'BEGIN { printf "%.0f", m * r / 1000 / g }')x** faster (goal >= 1000x) |"
} >> "$root/bench/RESULTS.md"
echo "bench: results appended to bench/RESULTS.md"
