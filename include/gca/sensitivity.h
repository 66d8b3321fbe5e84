/* gca/sensitivity.h - uncertainty (UA) and sensitivity (SA) analysis of
 * an index, as COINr's get_sensitivity: the method is rebuilt many times
 * with its uncertain inputs drawn from a spec, and the ranks of the
 * target are summarised per unit (rank interval, tier probabilities) and,
 * for SA, apportioned to the inputs (Sobol first-order and total
 * indices). Spec format and statistics: docs/method.md, "Sensitivity". */
#ifndef GCA_SENSITIVITY_H
#define GCA_SENSITIVITY_H

#include <stdint.h>

#include "gca/core.h"
#include "gca/model.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GCA_SENS_MAX_INPUTS 32
#define GCA_SENS_MAX_RUNS 10000000u
#define GCA_MAX_SPEC_FILE (4u << 20)
#define GCA_SOBOL_MAX_DIM 21

typedef enum gca_sens_type {
    GCA_SENS_UA = 1, /* N runs */
    GCA_SENS_SA = 2  /* N(d + 2) runs: blocks A, B, AB_1 .. AB_d */
} gca_sens_type;

typedef struct gca_sens_opts {
    gca_sens_type type;
    size_t n;            /* base sample size, >= 1 (SA: >= 2) */
    uint64_t seed;       /* of the sample and the bootstrap */
    int threads;         /* 0 = the machine's cores */
    size_t nboot;        /* SA bootstrap resamples for the 5/95 % bounds */
    int sobol;           /* 1: draws from a Sobol sequence (at most
                            GCA_SOBOL_MAX_DIM dimensions: UA d, SA 2d);
                            0: Monte Carlo from the seed */
    int grid;            /* 1 (UA only): every combination of the
                            inputs' values once, in order (discrete
                            inputs only); n is then the number of them */
    int keep_scores;     /* keep every run's scores (memory N x units) */
    /* Replay: a params table (rep, one column per input) instead of a
     * sample; for SA its rows are the A, B, AB_1 .. AB_d blocks. */
    const char *params;
    size_t params_len;
    const char *params_source;
    /* Called from the calling thread about ten times a second while
     * runs go on (may be NULL). */
    void (*progress)(size_t done, size_t total, void *ctx);
    void *progress_ctx;
} gca_sens_opts;

/* The statistics of one unit. Ranks are of the target, 1 = highest;
 * for SA over the A and B blocks only (as COINr). */
typedef struct gca_sens_unit {
    const char *ucode;
    double nominal_score;
    double nominal_rank; /* NaN: no nominal score */
    double mean, median, q5, q95; /* NaN: no run gave a rank */
    size_t nranked;      /* runs that gave it a rank */
    const double *tier_prob; /* [ntiers] share of those runs per tier */
    int modal_tier;      /* index of the most frequent tier, -1 = none */
} gca_sens_unit;

/* Sobol indices of one input (SA). */
typedef struct gca_sens_index {
    const char *name;
    double si, sti;
    double si_q5, si_q95, sti_q5, sti_q95; /* NaN without bootstrap */
} gca_sens_index;

typedef struct gca_sens gca_sens;

/* Run the analysis: `method_json` is the nominal method (text), `spec`
 * the spec (JSON text; `spec_dir` is where files it names are looked
 * up; NULL: the spec may name no file, as a spec stored in a database).
 * Bad specs, params and options fail with GCA_EINVAL/GCA_EPARSE
 * naming the input or the file position. A run that fails (a geometric
 * mean meets a zero) is recorded as failed: NA scores, counted, with its
 * reason. */
GCA_API int gca_sens_run(const gca_framework *fw, const gca_dataset *ds,
                         const char *method_json, size_t method_len,
                         const char *spec, size_t spec_len,
                         const char *spec_source, const char *spec_dir,
                         const gca_sens_opts *opts, gca_sens **out,
                         gca_err *err);
GCA_API void gca_sens_free(gca_sens *s);
/* Check `spec` against the framework and the method without running it:
 * the errors gca_sens_run would give for the spec. `spec_dir` as there. */
GCA_API int gca_sens_spec_check(const gca_framework *fw,
                                const char *method_json, size_t method_len,
                                const char *spec, size_t spec_len,
                                const char *spec_source,
                                const char *spec_dir, gca_err *err);

GCA_API size_t gca_sens_nunits(const gca_sens *s);
GCA_API const gca_sens_unit *gca_sens_unit_at(const gca_sens *s, size_t i);
GCA_API size_t gca_sens_nruns(const gca_sens *s);
GCA_API size_t gca_sens_nfailed(const gca_sens *s);
/* Why run `r` failed, NULL if it did not. */
GCA_API const char *gca_sens_failure(const gca_sens *s, size_t r);
/* Target score of unit `u` in run `r` (keep_scores; else NaN). */
GCA_API double gca_sens_score(const gca_sens *s, size_t r, size_t u);
/* Mean absolute rank change of run `r` against the nominal ranks. */
GCA_API double gca_sens_y(const gca_sens *s, size_t r);
GCA_API size_t gca_sens_ninputs(const gca_sens *s);
/* The input's name, and its value in run `r` as written in params.csv:
 * the returned text is a label of the spec, or a number written into
 * `buf` (size bytes); NULL when r or i is out of range. */
GCA_API const char *gca_sens_input_name(const gca_sens *s, size_t i);
GCA_API const char *gca_sens_param(const gca_sens *s, size_t r, size_t i,
                                   char *buf, size_t size);
/* SA only: one index per input, and the variance of y over A and B. */
GCA_API const gca_sens_index *gca_sens_index_at(const gca_sens *s,
                                                size_t i);
GCA_API double gca_sens_var_y(const gca_sens *s);

/* Write rankstats.csv, tiers.csv (frameworks with tiers), params.csv,
 * sensitivity.csv (SA), scores.csv (keep_scores) and summary.json into
 * `dir`, all or nothing. */
GCA_API int gca_sens_write(const gca_sens *s, const char *dir,
                           gca_err *err);

/* Point `i` (i >= 1; point 0, all zeros, is skipped by users) of the
 * Sobol sequence in `dim` dimensions (1 .. GCA_SOBOL_MAX_DIM) into
 * x[0..dim), each in [0, 1): Joe and Kuo's direction numbers
 * (new-joe-kuo-6.21201), Gray-code order. */
GCA_API int gca_sobol_point(uint64_t i, int dim, double *x);

/* COINr's SA estimators from outputs y of the blocks A, B (n each) and
 * AB_1 .. AB_d (yab[i * n + j]): S_i = mean(yB (yAB_i - yA)) / V,
 * ST_i = sum((yA - yAB_i)^2) / (2 n V), V = var(c(yA, yB)). */
GCA_API int gca_sens_sobol(const double *ya, const double *yb,
                           const double *yab, size_t n, size_t d,
                           double *si, double *sti, double *var_y);

#ifdef __cplusplus
}
#endif

#endif
