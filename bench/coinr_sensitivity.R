# coinr_sensitivity.R N - the peer's figure for bench/run.sh (issue 7):
# COINr's get_sensitivity on its ASEM example with the inputs of its
# sensitivity vignette (winmax 1..5, min-max [1, 100] or z-score (10, 2),
# 100 noisy weight sets with levels 2 and 3 perturbed by 25 %,
# arithmetic or geometric mean), SA with base sample N, timed once.
# Prints key=value lines. Needs R and the COINr package.
suppressPackageStartupMessages(library(COINr))
n <- as.integer(commandArgs(trailingOnly = TRUE)[1])
coin <- build_example_coin(quietly = TRUE)
set.seed(2024)
noisy <- get_noisy_weights(w = coin$Meta$Weights$Original,
                           noise_specs = data.frame(Level = c(2, 3),
                                                    NoiseFactor = c(0.25, 0.25)),
                           Nrep = 100)
specs <- list(
  Winmax = list(Address = "$Log$Treat$global_specs$f1_para$winmax",
                Distribution = 1:5, Type = "discrete"),
  Normalisation = list(Address = "$Log$Normalise$global_specs",
                       Distribution = list(
                         list(f_n = "n_minmax", f_n_para = list(c(1, 100))),
                         list(f_n = "n_zscore", f_n_para = list(c(10, 2)))),
                       Type = "discrete"),
  Weights = list(Address = "$Log$Aggregate$w", Distribution = noisy,
                 Type = "discrete"),
  Aggregation = list(Address = "$Log$Aggregate$f_ag",
                     Distribution = c("a_amean", "a_gmean"),
                     Type = "discrete"))
set.seed(42)
t0 <- proc.time()[["elapsed"]]
sa <- suppressMessages(get_sensitivity(coin, SA_specs = specs, N = n,
                                       SA_type = "SA", dset = "Aggregated",
                                       iCode = "Index", Nboot = 100,
                                       quietly = TRUE))
t <- proc.time()[["elapsed"]] - t0
runs <- n * (length(specs) + 2)
cat(sprintf("coinr_version=%s\nr_version=%s\ncoinr_sa_n=%d\ncoinr_sa_runs=%d\ncoinr_sa_s=%.2f\ncoinr_sa_ms_per_run=%.2f\n",
            as.character(packageVersion("COINr")), getRversion(), n, runs,
            t, 1000 * t / runs))
