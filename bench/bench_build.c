/* bench_build.c - in-process time of one full standard build of COINr's
 * ASEM example (the six steps of build_example_coin(), ranks and
 * effective weights), the figure COINr is compared on. Inputs are read
 * and parsed once; each timed build starts from the bound data.
 *
 * usage: bench_build ROOT [RUNS]   (ROOT = source tree; RUNS >= 1000)
 * Prints key=value lines for bench/run.sh. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gca.h"

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void die(const char *what, const gca_err *err)
{
    char msg[1024];
    gca_err_format(err, msg, sizeof msg);
    fprintf(stderr, "bench_build: %s: %s\n", what, msg);
    exit(2);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_build ROOT [RUNS]\n");
        return 1;
    }
    long runs = argc > 2 ? strtol(argv[2], NULL, 10) : 2000;
    if (runs < 1 || runs > 10000000) {
        fprintf(stderr, "bench_build: RUNS must be 1..10000000\n");
        return 1;
    }
    /* One core, as the goal is stated. */
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(0, &set);
    int pinned = sched_setaffinity(0, sizeof set, &set) == 0;

    char path[3][4096];
    snprintf(path[0], sizeof path[0], "%s/data/frameworks/asem.json", argv[1]);
    snprintf(path[1], sizeof path[1], "%s/data/examples/asem_iData.csv", argv[1]);
    snprintf(path[2], sizeof path[2], "%s/data/examples/asem_method.json",
             argv[1]);
    gca_err err = {0};
    gca_framework *fw = NULL;
    gca_dataset *ds = NULL;
    gca_method *m = NULL;
    if (gca_framework_load(path[0], &fw, NULL, &err) < 0)
        die(path[0], &err);
    if (gca_dataset_read_csv(path[1], &ds, &err) < 0 ||
        gca_dataset_bind(ds, fw, NULL, NULL, &err) < 0)
        die(path[1], &err);
    if (gca_method_load(path[2], &m, &err) < 0)
        die(path[2], &err);

    double *t = malloc((size_t)runs * sizeof *t);
    double *w = malloc(gca_framework_nnodes(fw) * sizeof *w);
    if (!t || !w)
        return 3;
    double check = 0;
    for (long k = -50; k < runs; k++) { /* 50 warm-up builds */
        gca_result *res = NULL;
        double t0 = now_us();
        if (gca_build(fw, ds, m, 0, &res, &err) < 0)
            die("build", &err);
        if (gca_result_effective_weights(res, w, gca_framework_nnodes(fw),
                                         &err) < 0)
            die("weights", &err);
        const gca_dset *fin = gca_result_final(res);
        check += GCA_DSET_AT(fin, 0, fin->ncol - 1);
        gca_result_free(res);
        double t1 = now_us();
        if (k >= 0)
            t[k] = t1 - t0;
    }
    qsort(t, (size_t)runs, sizeof *t, cmp_double);
    printf("runs=%ld\npinned_one_core=%s\n", runs, pinned ? "yes" : "no");
    printf("median_us=%.1f\nmin_us=%.1f\np90_us=%.1f\nmax_us=%.1f\n",
           t[runs / 2], t[0], t[(size_t)((double)runs * 0.9)], t[runs - 1]);
    printf("checksum=%.6f\n", check / (double)(runs + 50));
    free(t);
    free(w);
    gca_method_free(m);
    gca_dataset_free(ds);
    gca_framework_free(fw);
    return 0;
}
