/* step.h (internal) - the contract between the build driver (build.c),
 * the method parser (method.c) and each pipeline step (denominate.c,
 * impute.c, screen.c, treat.c, normalise.c, aggregate.c). A step is a
 * table of operations: parse its parameters from the method file, then
 * run on one data set to make the next. Semantics: docs/method.md. */
#ifndef GCA_PIPELINE_STEP_H
#define GCA_PIPELINE_STEP_H

#include <jansson.h>

#include "gca/pipeline.h"
#include "core/arena.h"
#include "model/dataset.h"
#include "model/framework.h"

typedef struct gca_result gca_result;

/* The state of one build, passed to every step's run(). */
typedef struct gca__run {
    gca_arena *arena;          /* the result's: everything made lives here */
    const gca_framework *fw;
    const gca_dataset *ds;     /* bound input: groups, denominators */
    gca_result *res;           /* for gca__result_add_report() */
    int compat_coinr;          /* reproduce COINr's known bugs */
    char where[160];           /* "method.json: step 3 (normalise)" */
    double *weight;            /* [nnodes] weights in use; the aggregate
                                * step may change them */
    const double *weight_fixed; /* [nnodes] weights an aggregate step uses
                                 * in place of its own (sensitivity runs);
                                 * NULL = the step's */
    gca_err *err;
} gca__run;

typedef struct gca__step_ops {
    const char *name;      /* as written in the method file: "normalise" */
    const char *dset_name; /* data set it makes: "Normalised" */
    size_t spec_size;      /* bytes of the step's parameter struct */
    /* Read parameters from `obj` (the step's JSON object without the
     * common keys "step", "compat" and "comment") into `spec`, zeroed and
     * spec_size bytes long. Memory the spec needs comes from `arena`,
     * owned by the method. Unknown keys, functions and bad values fail
     * with GCA_EMETHOD and a message that starts with `where`. */
    int (*parse)(const json_t *obj, void *spec, gca_arena *arena,
                 const char *where, gca_err *err);
    /* Make `out` (name already set to dset_name) from `in`. Messages start
     * with run->where and name the indicator or unit concerned. */
    int (*run)(gca__run *run, const void *spec, const gca_dset *in,
               gca_dset *out);
} gca__step_ops;

extern const gca__step_ops gca__step_denominate;
extern const gca__step_ops gca__step_impute;
extern const gca__step_ops gca__step_screen;
extern const gca__step_ops gca__step_treat;
extern const gca__step_ops gca__step_normalise;
extern const gca__step_ops gca__step_aggregate;

/* ====== Data set helpers (dset.c) ====== */

/* Allocate `out` with nrow x ncol values (NaN) and row/column arrays in
 * the run's arena; `name` is kept as given. */
int gca__dset_alloc(gca__run *run, const char *name, size_t nrow,
                    size_t ncol, gca_dset *out);
/* `out` = copy of `in` (same rows, columns and values), named `name`. */
int gca__dset_copy(gca__run *run, const gca_dset *in, const char *name,
                   gca_dset *out);
/* Column of framework node `node` in `d`, or -1. */
int gca__dset_col(const gca_dset *d, int node);
/* Row of unit code `ucode` in `d`, or -1. */
int gca__dset_row(const gca_dset *d, const char *ucode);

/* Add a report table to the result (treatment details, screening
 * summary). Returns it with every cell "NA", or NULL when out of memory
 * (run->err filled). `header` is copied. */
gca_report *gca__result_add_report(gca__run *run, const char *name,
                                   size_t nrow, size_t ncol,
                                   const char *const *header);
/* Set a cell to a copy of `text` / to %.17g of `v` ("NA" when NaN) / to
 * TRUE or FALSE. Return 0 or GCA_ENOMEM. */
int gca__report_text(gca__run *run, gca_report *rep, size_t row, size_t col,
                     const char *text);
int gca__report_num(gca__run *run, gca_report *rep, size_t row, size_t col,
                    double v);
int gca__report_bool(gca__run *run, gca_report *rep, size_t row, size_t col,
                     int v);

/* ====== Parameter helpers (params.c) ====== */

/* Fail unless every key of `obj` is in the NULL-terminated `allowed`. */
int gca__params_only(const json_t *obj, const char *const *allowed,
                     const char *where, gca_err *err);
/* Optional number `key`: *out keeps its value when the key is absent.
 * JSON null reads as NaN. */
int gca__param_number(const json_t *obj, const char *key, double *out,
                      const char *where, gca_err *err);
/* Optional array of exactly `n` numbers. */
int gca__param_numbers(const json_t *obj, const char *key, size_t n,
                       double *out, const char *where, gca_err *err);
/* Optional boolean (true/false). */
int gca__param_bool(const json_t *obj, const char *key, int *out,
                    const char *where, gca_err *err);
/* Optional string, copied into `arena`; *out keeps its value when absent. */
int gca__param_string(const json_t *obj, const char *key, gca_arena *arena,
                      const char **out, const char *where, gca_err *err);
/* Index of `name` in the NULL-terminated `names`, or -1. */
int gca__name_index(const char *name, const char *const *names);

/* Fail with GCA_EMETHOD; `where` becomes the error's source, so users
 * see "method.json: step 3 (normalise): unknown parameter 'x'". Steps'
 * run() errors do the same with run->where. */
#define gca__method_fail(err, where, ...) \
    gca_fail((err), GCA_EMETHOD, (where), 0, 0, __VA_ARGS__)

#endif
