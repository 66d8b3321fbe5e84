/* resume.h (internal) - parts of a build on their own, for callers that
 * run one method many times with small changes (sensitivity analysis):
 * the Raw data set, then any run of steps from a data set already made,
 * in the caller's arena. */
#ifndef GCA_PIPELINE_RESUME_H
#define GCA_PIPELINE_RESUME_H

#include "gca/pipeline.h"
#include "core/arena.h"

/* The Raw data set of `ds` (units sorted by code), in `arena`. */
int gca__build_raw(const gca_framework *fw, const gca_dataset *ds,
                   gca_arena *arena, gca_dset *raw, gca_err *err);
/* Steps [from, to) of `m` on `in` (the data set step `from` takes):
 * out[k] receives the data set of step from + k. Everything made lives in
 * `arena`; reports go to `scratch` (from gca__result_scratch, emptied
 * first). `weight` has one slot per framework node; `weight_fixed`, when
 * not NULL, replaces the weights of every aggregate step. */
int gca__build_steps(const gca_framework *fw, const gca_dataset *ds,
                     const gca_method *m, unsigned flags, size_t from,
                     size_t to, const gca_dset *in, gca_arena *arena,
                     gca_result *scratch, double *weight,
                     const double *weight_fixed, gca_dset *out,
                     gca_err *err);
/* A result to hold the reports of gca__build_steps; free with
 * gca_result_free. NULL when out of memory. */
gca_result *gca__result_scratch(void);

#endif
