/* denominate.c - the "denominate" step: divide each indicator that has a
 * denominator by that data column, as COINr's Denominate() (x / (d / s),
 * s = ScaleFactor, default 1; IEEE division, so x/0 is +-Inf and 0/0 or a
 * missing denominator is missing). Method: docs/method.md#denominate.
 *
 * Parameters: "denomby": {"iCode": "column" | null | {"Denominator":
 * "column" | null, "ScaleFactor": number}} overrides the framework's
 * denominator of each named indicator (null = do not divide). */
#include <math.h>
#include <string.h>

#include "model/dataset.h"
#include "pipeline/step.h"
#include "core/banned.h"

typedef struct denom_over {
    const char *icode;
    const char *col;   /* NULL: leave the indicator as it is */
    double scale;
} denom_over;

typedef struct denominate_spec {
    denom_over *over;
    size_t nover;
} denominate_spec;

/* ====== Parameters ====== */

static int parse_over(const char *icode, const json_t *v, denom_over *o,
                      gca_arena *arena, const char *where, gca_err *err)
{
    static const char *const keys[] = {"Denominator", "ScaleFactor", NULL};
    o->icode = gca_arena_strdup(arena, icode);
    o->scale = 1;
    if (!o->icode)
        return gca_fail(err, GCA_ENOMEM, where, 0, 0, "out of memory");
    if (json_is_null(v))
        return 0;
    if (json_is_string(v)) {
        o->col = gca_arena_strdup(arena, json_string_value(v));
        if (!o->col)
            return gca_fail(err, GCA_ENOMEM, where, 0, 0, "out of memory");
        return 0;
    }
    if (!json_is_object(v))
        return gca__method_fail(err, where,
                                "parameter 'denomby': entry '%.60s' must be "
                                "a column name, null or an object",
                                icode);
    int rc = gca__params_only(v, keys, where, err);
    if (rc == 0)
        rc = gca__param_string(v, "Denominator", arena, &o->col, where, err);
    if (rc == 0)
        rc = gca__param_number(v, "ScaleFactor", &o->scale, where, err);
    if (rc < 0)
        return rc;
    if (!isfinite(o->scale) || o->scale == 0)
        return gca__method_fail(err, where,
                                "parameter 'denomby': 'ScaleFactor' of "
                                "'%.60s' must be a non-zero number",
                                icode);
    return 0;
}

static int parse(const json_t *obj, void *vspec, gca_arena *arena,
                 const char *where, gca_err *err)
{
    static const char *const keys[] = {"denomby", NULL};
    denominate_spec *spec = vspec;
    int rc = gca__params_only(obj, keys, where, err);
    if (rc < 0)
        return rc;
    const json_t *by = json_object_get(obj, "denomby");
    if (!by || json_is_null(by))
        return 0;
    if (!json_is_object(by))
        return gca__method_fail(err, where,
                                "parameter 'denomby' must be an object "
                                "{\"iCode\": \"column\"}");
    spec->nover = json_object_size(by);
    spec->over = gca_arena_array(arena, spec->nover ? spec->nover : 1,
                                 sizeof *spec->over);
    if (!spec->over)
        return gca_fail(err, GCA_ENOMEM, where, 0, 0, "out of memory");
    size_t i = 0;
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)by, key, v)
    {
        rc = parse_over(key, v, &spec->over[i++], arena, where, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* ====== Run ====== */

/* Data column of denominator `code` for indicator `icode`; it must be a
 * numeric non-indicator column. */
static int denom_column(gca__run *run, const char *code, const char *icode,
                        int *out)
{
    const gca_dataset *ds = run->ds;
    int j = gca__dataset_col(ds, code);
    if (j < 0)
        return gca_fail(run->err, GCA_EDATA, run->where, 0, 0,
                        "denominator '%s' of indicator '%s' is not a column "
                        "of the data", code, icode);
    gca_data_kind k = ds->cols[j].kind;
    if (k != GCA_DATA_DENOMINATOR && k != GCA_DATA_OTHER)
        return gca_fail(run->err, GCA_EDATA, run->where, 0, 0,
                        "denominator '%s' of indicator '%s' is not a "
                        "denominator column", code, icode);
    /* Binding has checked the cells of declared denominators; another
     * column is checked here. */
    for (size_t u = 0; k == GCA_DATA_OTHER && u < ds->nunit; u++)
        if (gca_dataset_text(ds, (size_t)j, u) &&
            isnan(gca_dataset_num(ds, (size_t)j, u)))
            return gca_fail(run->err, GCA_EDATA, run->where, 0, 0,
                            "denominator '%s' of indicator '%s' is not a "
                            "number for unit '%s'",
                            code, icode, ds->ucode[u]);
    *out = j;
    return 0;
}

static int run(gca__run *run, const void *vspec, const gca_dset *in,
               gca_dset *out)
{
    const denominate_spec *spec = vspec;
    int rc = gca__dset_copy(run, in, out->name, out);
    if (rc < 0)
        return rc;
    for (size_t k = 0; k < spec->nover; k++) {
        const char *ic = spec->over[k].icode;
        int node = gca_framework_find(run->fw, ic);
        if (node < 0 || gca__dset_col(in, node) < 0)
            return gca_fail(run->err, GCA_EMETHOD, run->where, 0, 0,
                            "parameter 'denomby': '%s' is not an indicator "
                            "of the data set", ic);
    }
    for (size_t c = 0; c < in->ncol; c++) {
        const gca_node *n = gca_framework_node_at(run->fw,
                                                  (size_t)in->node[c]);
        const char *col = n->denominator;
        double scale = 1;
        for (size_t k = 0; k < spec->nover; k++) {
            if (!strcmp(spec->over[k].icode, n->code)) {
                col = spec->over[k].col;
                scale = spec->over[k].scale;
            }
        }
        if (!col)
            continue;
        int j = -1;
        rc = denom_column(run, col, n->code, &j);
        if (rc < 0)
            return rc;
        for (size_t r = 0; r < in->nrow; r++) {
            double d = gca_dataset_num(run->ds, (size_t)j,
                                       (size_t)in->unit[r]);
            GCA_DSET_AT(out, r, c) = GCA_DSET_AT(in, r, c) / (d / scale);
        }
    }
    return 0;
}

const gca__step_ops gca__step_denominate = {
    "denominate", "Denominated", sizeof(denominate_spec), parse, run};
