/* gca/pipeline.h - methods (ordered pipeline steps with COINr's names)
 * and the results of a build, which keep every intermediate data set.
 * Semantics of each step and parameter: docs/method.md. */
#ifndef GCA_PIPELINE_H
#define GCA_PIPELINE_H

#include "gca/core.h"
#include "gca/model.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GCA_MAX_METHOD_FILE (4u << 20)
#define GCA_MAX_STEPS 64

/* ====== Method ====== */

typedef struct gca_method gca_method;

/* Parse a method file (JSON: {"steps":[{"step":"normalise",...},...]}).
 * Unknown steps, functions and parameters are errors naming the step and
 * the parameter. Returns 0 and a new method in *out (free with
 * gca_method_free), or a negative GCA_E* with *err filled. */
GCA_API int gca_method_load(const char *path, gca_method **out,
                            gca_err *err);
GCA_API int gca_method_load_mem(const char *data, size_t len,
                                const char *source, gca_method **out,
                                gca_err *err);
/* The method used when none is given: the framework's own if it names
 * one, else normalise (n_minmax to [0, 100]) then aggregate (a_amean). */
GCA_API int gca_method_default(const gca_framework *fw, gca_method **out,
                               gca_err *err);
/* The JSON text of that default method (borrowed from `fw` or static). */
GCA_API const char *gca_method_default_json(const gca_framework *fw);
GCA_API void gca_method_free(gca_method *m);
GCA_API size_t gca_method_nsteps(const gca_method *m);
/* Step name ("impute") of step `i`. */
GCA_API const char *gca_method_step_name(const gca_method *m, size_t i);

/* ====== Data sets ====== */

/* One data set of a build: units x framework nodes, column-major.
 * Missing values are NaN. Everything is borrowed from the result. */
typedef struct gca_dset {
    const char *name;    /* "Raw", "Denominated", ..., "Aggregated" */
    size_t nrow, ncol;
    const char **ucode;  /* [nrow] unit codes, sorted */
    int *unit;           /* [nrow] index of the unit in the input data */
    const char **icode;  /* [ncol] node codes */
    int *node;           /* [ncol] index of the node in the framework */
    double *v;           /* [ncol * nrow]: v[c * nrow + r] */
} gca_dset;

/* Value at row r, column c. */
#define GCA_DSET_AT(d, r, c) ((d)->v[(size_t)(c) * (d)->nrow + (size_t)(r)])

/* ====== Build ====== */

typedef struct gca_result gca_result;

enum gca_build_flags {
    GCA_BUILD_COMPAT_COINR = 1 << 0 /* reproduce COINr's known bugs */
};

/* Run `m` over `ds` (bound to `fw`). Returns 0 and a new result in *out
 * (free with gca_result_free), or a negative GCA_E* naming the step and
 * the indicator that failed. `fw`, `ds` and `m` must outlive the result. */
GCA_API int gca_build(const gca_framework *fw, const gca_dataset *ds,
                      const gca_method *m, unsigned flags, gca_result **out,
                      gca_err *err);
GCA_API void gca_result_free(gca_result *res);

GCA_API const gca_framework *gca_result_framework(const gca_result *res);
GCA_API const gca_dataset *gca_result_dataset(const gca_result *res);
/* Data sets in the order they were made ("Raw" first). */
GCA_API size_t gca_result_ndsets(const gca_result *res);
GCA_API const gca_dset *gca_result_dset_at(const gca_result *res, size_t i);
/* NULL if no data set of that name was made. */
GCA_API const gca_dset *gca_result_dset(const gca_result *res,
                                        const char *name);
/* The last data set made (normally "Aggregated"). */
GCA_API const gca_dset *gca_result_final(const gca_result *res);
/* Ranks of every column of the final data set (1 = highest score), with
 * the method's tie rule; NaN where the score is missing. Made on the
 * first call (safe from several threads); NULL only when out of memory. */
GCA_API const gca_dset *gca_result_ranks(const gca_result *res);
/* Tie rule the ranks use. */
GCA_API gca_ties gca_result_ties(const gca_result *res);

/* Effective weight of every node in the top node: weights normalised to
 * sum 1 within each parent, multiplied down the tree (COINr's
 * get_eff_weights). `w` receives one value per framework node (NaN for
 * nodes not in the tree); `n` must be gca_framework_nnodes(). */
GCA_API int gca_result_effective_weights(const gca_result *res, double *w,
                                         size_t n, gca_err *err);
/* Weight of each node as used by the last aggregation (after the method's
 * weight set and overrides). Same shape as above. */
GCA_API int gca_result_weights(const gca_result *res, double *w, size_t n,
                               gca_err *err);

/* A small table that a step reports (treatment details, screening
 * summary): column names and rows of cells, each a text or a number.
 * Numbers are kept as doubles and written only when rendered, so that a
 * build pays nothing for text it may never show. Borrowed from the
 * result. */
typedef struct gca_report {
    const char *name;    /* "treat_details", "treat_points", "screen_summary" */
    size_t nrow, ncol;
    const char **header; /* [ncol] */
    const char **cell;   /* [nrow * ncol], row-major; NULL: a number */
    const double *num;   /* [nrow * ncol]: the number where cell is NULL
                            (NaN = missing) */
} gca_report;
/* Text of a cell: the text itself, or the number written with %.17g
 * ("NA" when missing, "Inf", "-Inf") into `buf` (at least 32 bytes). */
GCA_API const char *gca_report_cell(const gca_report *rep, size_t row,
                                    size_t col, char *buf, size_t size);
GCA_API size_t gca_result_nreports(const gca_result *res);
GCA_API const gca_report *gca_result_report_at(const gca_result *res,
                                               size_t i);
GCA_API const gca_report *gca_result_report(const gca_result *res,
                                            const char *name);

/* Competition ("min") or dense ranks of `x[0..n)`, 1 = highest; NaN
 * stays NaN. `rank` receives n values. Returns 0 or GCA_ENOMEM. */
GCA_API int gca_rank(const double *x, size_t n, gca_ties ties,
                      double *rank);

#ifdef __cplusplus
}
#endif
#endif
