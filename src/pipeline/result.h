/* result.h (internal) - the result of a build: every data set made, the
 * ranks, the reports of the steps and the weights in use. */
#ifndef GCA_PIPELINE_RESULT_H
#define GCA_PIPELINE_RESULT_H

#include "gca/pipeline.h"
#include "core/arena.h"

/* Each step makes at most two reports (treat). */
#define GCA__MAX_REPORTS (2 * GCA_MAX_STEPS)

struct gca_result {
    gca_arena arena;
    const gca_framework *fw;
    const gca_dataset *ds;
    const gca_method *m;
    gca_dset dsets[GCA_MAX_STEPS + 1];
    size_t ndsets;
    gca_dset ranks;
    gca_ties ties;
    gca_report reports[GCA__MAX_REPORTS];
    size_t nreports;
    double *weight;          /* [nnodes] weights of the last aggregation */
};

#endif
