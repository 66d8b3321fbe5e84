/* denominate.c - TEMPORARY scaffold, replaced by the real step. */
#include "pipeline/step.h"

static int parse(const json_t *obj, void *spec, gca_arena *arena,
                 const char *where, gca_err *err)
{
    (void)obj; (void)spec; (void)arena;
    return gca__method_fail(err, where, "step not built yet");
}

static int run(gca__run *r, const void *spec, const gca_dset *in,
               gca_dset *out)
{
    (void)spec; (void)in; (void)out;
    return gca_fail(r->err, GCA_ENOTSUP, r->where, 0, 0, "not built yet");
}

const gca__step_ops gca__step_denominate = {"denominate", "X", 1, parse, run};
