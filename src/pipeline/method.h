/* method.h (internal) - a parsed method: the ordered steps with their
 * parameter structs. */
#ifndef GCA_PIPELINE_METHOD_H
#define GCA_PIPELINE_METHOD_H

#include "pipeline/step.h"

typedef struct gca__step {
    const gca__step_ops *ops;
    void *spec;           /* ops->spec_size bytes in the method's arena */
    int compat_coinr;
    char where[160];      /* "method.json: step 3 (normalise)" */
} gca__step;

struct gca_method {
    gca_arena arena;
    char *source;
    gca__step steps[GCA_MAX_STEPS];
    size_t nsteps;
    gca_ties ties;        /* 0 = the framework's rule */
    int compat_coinr;     /* "compat": "coinr" at the top */
};

#endif
