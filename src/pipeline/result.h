/* result.h (internal) - the result of a build: every data set made, the
 * ranks, the reports of the steps and the weights in use. */
#ifndef GCA_PIPELINE_RESULT_H
#define GCA_PIPELINE_RESULT_H

#include <threads.h>

#include "gca/pipeline.h"
#include "core/arena.h"

/* Each step makes at most two reports (treat). */
#define GCA__MAX_REPORTS (2 * GCA_MAX_STEPS)

struct gca_result {
    gca_arena arena;
    const gca_framework *fw;
    const gca_dataset *ds;
    const gca_method *m;
    unsigned flags;          /* gca_build's, for rebuilds (remove_elements) */
    gca_dset dsets[GCA_MAX_STEPS + 1];
    size_t ndsets;
    /* Ranks are made on first use (gca_result_ranks), under the lock, so
     * that a build pays only for what is read and readers on several
     * threads share one copy. */
    mtx_t ranks_lock;
    int ranks_state;         /* 0 not made, 1 made, < 0 GCA_E* of a failure */
    gca_dset ranks;
    gca_ties ties;
    gca_report reports[GCA__MAX_REPORTS];
    size_t nreports;
    double *weight;          /* [nnodes] weights of the last aggregation */
};

#endif
