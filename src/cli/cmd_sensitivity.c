/* cmd_sensitivity.c - `gca sensitivity`: uncertainty or sensitivity
 * analysis of an index (include/gca/sensitivity.h), its tables written
 * into a directory, all or nothing (docs/gca.1, docs/method.md). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "core/buf.h"
#include "core/fs.h"
#include "gca/sensitivity.h"

static const cli_opt opts[] = {
    {"data", "FILE", "unit data (COINr iData CSV)", 1},
    {"meta", "FILE", "framework: gca JSON or COINr iMeta CSV", 1},
    {"method", "FILE", "the nominal method JSON (default: the "
                       "framework's)", 0},
    {"spec", "FILE", "the uncertain inputs (JSON, docs/method.md)", 1},
    {"type", "UA|SA", "uncertainty (N runs) or sensitivity analysis "
                      "(N(d + 2) runs)", 1},
    {"n", "N", "base sample size (not with --params)", 0},
    {"seed", "S", "seed of the sample and the bootstrap (default 1)", 0},
    {"sample", "mc|sobol|grid", "Monte Carlo draws from the seed "
                                "(default), a Sobol sequence, or (UA) every "
                                "combination of the values once",
     0},
    {"threads", "T", "threads (default: the machine's cores); the output "
                     "is the same for any number", 0},
    {"params", "FILE", "replay these runs (rep and one column per input) "
                       "instead of drawing a sample", 0},
    {"nboot", "N", "SA: bootstrap resamples for the 5/95 % bounds of the "
                   "indices (default 0)", 0},
    {"keep-scores", NULL, "also write every run's scores (scores.csv)", 0},
    {"quiet", NULL, "no progress bar", 0},
    {"out", "DIR", "directory to write (replaced only if gca wrote it)", 1},
    {"compat", "coinr|none", "reproduce COINr's known bugs (default none)",
     0},
    {NULL, NULL, NULL, 0},
};

typedef struct bar {
    struct timespec t0;
} bar;

/* "runs done/total, runs/s, time left" on one line of standard error. */
static void progress(size_t done, size_t total, void *ctx)
{
    bar *b = ctx;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    double s = (double)(t.tv_sec - b->t0.tv_sec) +
               (double)(t.tv_nsec - b->t0.tv_nsec) / 1e9;
    double rate = s > 0 ? (double)done / s : 0;
    int width = 30, fill = total ? (int)((double)width * done / total) : 0;
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu runs, %.0f runs/s, %.1f s left ",
            fill, "##############################", width - fill, "", done,
            total, rate, rate > 0 ? (double)(total - done) / rate : 0.0);
    if (done == total)
        fputc('\n', stderr);
    fflush(stderr);
}

static int run(const cli_cmd *cmd, int argc, char **argv)
{
    cli_args a;
    cli_inputs in;
    gca_err err = {0};
    gca_sens *s = NULL;
    gca_buf params = GCA_BUF_INIT(0);
    int rc = cli_parse(cmd, argc, argv, &a);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    gca_sens_opts o = {.seed = 1};
    const char *type = cli_get(cmd, &a, "type");
    if (!strcmp(type, "UA"))
        o.type = GCA_SENS_UA;
    else if (!strcmp(type, "SA"))
        o.type = GCA_SENS_SA;
    else
        return cli_usage_error(cmd, "--type must be UA or SA");
    const char *v;
    long num;
    if ((v = cli_get(cmd, &a, "n"))) {
        if (cli_parse_long(v, 1, GCA_SENS_MAX_RUNS, &num) < 0)
            return cli_usage_error(cmd, "--n: '%s' is not 1 to %u", v,
                                   GCA_SENS_MAX_RUNS);
        o.n = (size_t)num;
    }
    const char *smp = cli_get(cmd, &a, "sample");
    int grid = smp && !strcmp(smp, "grid");
    if (!o.n && !cli_get(cmd, &a, "params") && !grid)
        return cli_usage_error(cmd, "--n or --params is needed");
    if (o.n && grid)
        return cli_usage_error(cmd, "--sample grid runs every combination: "
                               "no --n");
    if (o.n && cli_get(cmd, &a, "params"))
        return cli_usage_error(cmd, "--n and --params exclude each other");
    if ((v = cli_get(cmd, &a, "seed"))) {
        if (cli_parse_long(v, 0, 2147483647L, &num) < 0)
            return cli_usage_error(cmd, "--seed: '%s' is not 0 to "
                                        "2147483647",
                                   v);
        o.seed = (uint64_t)num;
    }
    if ((v = cli_get(cmd, &a, "threads"))) {
        if (cli_parse_long(v, 1, 64, &num) < 0)
            return cli_usage_error(cmd, "--threads: '%s' is not 1 to 64", v);
        o.threads = (int)num;
    }
    if ((v = cli_get(cmd, &a, "nboot"))) {
        if (cli_parse_long(v, 0, 100000, &num) < 0)
            return cli_usage_error(cmd, "--nboot: '%s' is not 0 to 100000",
                                   v);
        o.nboot = (size_t)num;
    }
    if ((v = cli_get(cmd, &a, "sample"))) {
        if (strcmp(v, "mc") && strcmp(v, "sobol") && strcmp(v, "grid"))
            return cli_usage_error(cmd, "--sample must be mc, sobol or grid");
        o.sobol = !strcmp(v, "sobol");
        o.grid = !strcmp(v, "grid");
    }
    o.keep_scores = cli_get(cmd, &a, "keep-scores") != NULL;
    bar b;
    clock_gettime(CLOCK_MONOTONIC, &b.t0);
    if (!cli_get(cmd, &a, "quiet") && isatty(STDERR_FILENO) &&
        isatty(STDOUT_FILENO)) {
        o.progress = progress;
        o.progress_ctx = &b;
    }
    rc = cli_load_inputs(cmd, &a, &in, NULL, &err);
    if (rc)
        return rc;
    const char *ppath = cli_get(cmd, &a, "params");
    if (ppath) {
        gca_buf_init(&params, (size_t)256 << 20);
        rc = gca_file_read(ppath, &params, &err);
        o.params = gca_buf_str(&params);
        o.params_len = params.len;
        o.params_source = ppath;
    }
    if (rc == 0)
        rc = cli_run_sensitivity(cmd, &a, &in, cli_get(cmd, &a, "spec"), &o,
                                 &s, &err);
    if (rc == 0)
        rc = gca_sens_write(s, cli_get(cmd, &a, "out"), &err);
    if (rc == 0 && gca_sens_nfailed(s))
        fprintf(stderr, "gca: %zu of %zu runs failed (params.csv says why; "
                        "their scores are NA)\n",
                gca_sens_nfailed(s), gca_sens_nruns(s));
    rc = rc < 0 ? cli_fail(&err) : EXIT_OK;
    gca_sens_free(s);
    gca_buf_release(&params);
    cli_inputs_release(&in);
    return rc;
}

const cli_cmd cli_cmd_sensitivity = {
    "sensitivity",
    "Uncertainty (UA) or sensitivity (SA) analysis: rebuild the index with "
    "the spec's inputs varied and write the rank statistics per unit "
    "(rankstats.csv), tier probabilities (tiers.csv), Sobol indices "
    "(sensitivity.csv, SA), every run's parameters (params.csv) and a "
    "summary into DIR.",
    "--data FILE --meta FILE [--method FILE] --spec FILE --type UA|SA "
    "(--n N | --params FILE | --sample grid) [--seed S] [--sample mc|sobol] "
    "[--threads T] "
    "[--nboot N] "
    "[--keep-scores] [--quiet] --out DIR",
    opts,
    run,
};
