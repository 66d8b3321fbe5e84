# coinr_build.R RUNS - the peer's figure for bench/run.sh: COINr's full
# standard build of its ASEM example (build_example_coin(), the same six
# steps as data/examples/asem_method.json), timed one build at a time.
# Prints key=value lines. Needs R and the COINr package.
suppressPackageStartupMessages(library(COINr))
runs <- as.integer(commandArgs(trailingOnly = TRUE)[1])
invisible(build_example_coin(quietly = TRUE))  # warm-up
t <- numeric(runs)
for (k in seq_len(runs)) {
  t0 <- proc.time()[["elapsed"]]
  coin <- build_example_coin(quietly = TRUE)
  t[k] <- proc.time()[["elapsed"]] - t0
}
cat(sprintf("coinr_version=%s\nr_version=%s\ncoinr_runs=%d\ncoinr_median_ms=%.1f\ncoinr_min_ms=%.1f\n",
            as.character(packageVersion("COINr")), getRversion(), runs,
            1000 * median(t), 1000 * min(t)))
