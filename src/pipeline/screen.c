/* screen.c - the "screen" step: drop units with too little data or too
 * many zeros, as COINr's Screen(), and report COINr's DataSummary as
 * "screen_summary". Method: docs/method.md#screen.
 *
 * Parameters: unit_screen ("byNA" default, "byzeros", "byNAandzeros",
 * "none"), dat_thresh (default 2/3), nonzero_thresh (default 0.05), and
 * forced units: COINr's "Force": [{"uCode": "X", "Include": true}, ...]
 * or the shorter "force_include" / "force_exclude": ["X", ...]. A unit
 * both forced in and out is excluded (COINr applies exclusions last). */
#include <math.h>
#include <string.h>

#include "pipeline/step.h"
#include "core/banned.h"

enum { BY_NA, BY_ZEROS, BY_NA_AND_ZEROS, BY_NONE };

typedef struct forced {
    const char *ucode;
    int include;
} forced;

typedef struct screen_spec {
    int by;
    double dat_thresh, nonzero_thresh;
    forced *force;
    size_t nforce;
} screen_spec;

/* ====== Parameters ====== */

static int add_forced(screen_spec *spec, const json_t *code, int include,
                      gca_arena *arena, const char *key, const char *where,
                      gca_err *err)
{
    if (!json_is_string(code))
        return gca__method_fail(err, where,
                                "parameter '%s': each unit must be a uCode "
                                "string",
                                key);
    forced *f = &spec->force[spec->nforce++];
    f->ucode = gca_arena_strdup(arena, json_string_value(code));
    f->include = include;
    if (!f->ucode)
        return gca_fail(err, GCA_ENOMEM, where, 0, 0, "out of memory");
    return 0;
}

static int parse_force(const json_t *obj, screen_spec *spec, gca_arena *arena,
                       const char *where, gca_err *err)
{
    static const char *const lists[] = {"force_include", "force_exclude"};
    static const char *const fkeys[] = {"uCode", "Include", NULL};
    const json_t *force = json_object_get(obj, "Force");
    size_t n = 0;
    if (force && !json_is_array(force))
        return gca__method_fail(err, where,
                                "parameter 'Force' must be an array of "
                                "{\"uCode\": ..., \"Include\": true|false}");
    n += force ? json_array_size(force) : 0;
    for (size_t k = 0; k < GCA_COUNT(lists); k++) {
        const json_t *l = json_object_get(obj, lists[k]);
        if (l && !json_is_array(l))
            return gca__method_fail(err, where,
                                    "parameter '%s' must be an array of uCodes",
                                    lists[k]);
        n += l ? json_array_size(l) : 0;
    }
    spec->force = gca_arena_array(arena, n ? n : 1, sizeof *spec->force);
    if (!spec->force)
        return gca_fail(err, GCA_ENOMEM, where, 0, 0, "out of memory");
    size_t i;
    const json_t *v;
    json_array_foreach(force, i, v)
    {
        int include = -1;
        if (!json_is_object(v))
            return gca__method_fail(err, where,
                                    "parameter 'Force': entry %zu must be an "
                                    "object {\"uCode\", \"Include\"}",
                                    i + 1);
        int rc = gca__params_only(v, fkeys, where, err);
        if (rc == 0)
            rc = gca__param_bool(v, "Include", &include, where, err);
        if (rc < 0)
            return rc;
        if (include < 0)
            return gca__method_fail(err, where,
                                    "parameter 'Force': entry %zu has no "
                                    "'Include'",
                                    i + 1);
        rc = add_forced(spec, json_object_get(v, "uCode"), include, arena,
                        "Force", where, err);
        if (rc < 0)
            return rc;
    }
    for (size_t k = 0; k < GCA_COUNT(lists); k++) {
        json_array_foreach(json_object_get(obj, lists[k]), i, v)
        {
            int rc = add_forced(spec, v, k == 0, arena, lists[k], where, err);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

static int parse(const json_t *obj, void *vspec, gca_arena *arena,
                 const char *where, gca_err *err)
{
    static const char *const keys[] = {
        "unit_screen", "dat_thresh",    "nonzero_thresh", "Force",
        "force_include", "force_exclude", NULL};
    static const char *const modes[] = {"byNA", "byzeros", "byNAandzeros",
                                        "none", NULL};
    screen_spec *spec = vspec;
    const char *mode = "byNA";
    spec->dat_thresh = 2.0 / 3.0;
    spec->nonzero_thresh = 0.05;
    int rc = gca__params_only(obj, keys, where, err);
    if (rc == 0)
        rc = gca__param_string(obj, "unit_screen", arena, &mode, where, err);
    if (rc == 0)
        rc = gca__param_number(obj, "dat_thresh", &spec->dat_thresh, where,
                               err);
    if (rc == 0)
        rc = gca__param_number(obj, "nonzero_thresh", &spec->nonzero_thresh,
                               where, err);
    if (rc < 0)
        return rc;
    spec->by = gca__name_index(mode, modes);
    if (spec->by < 0)
        return gca__method_fail(err, where,
                                "parameter 'unit_screen' must be one of byNA, "
                                "byzeros, byNAandzeros, none, not '%.60s'",
                                mode);
    if (!(spec->dat_thresh >= 0 && spec->dat_thresh <= 1))
        return gca__method_fail(err, where,
                                "parameter 'dat_thresh' must be from 0 to 1");
    if (!(spec->nonzero_thresh >= 0 && spec->nonzero_thresh <= 1))
        return gca__method_fail(err, where,
                                "parameter 'nonzero_thresh' must be from 0 "
                                "to 1");
    return parse_force(obj, spec, arena, where, err);
}

/* ====== Run ====== */

static const char *const summary_header[] = {
    "uCode",     "N_missing", "N_zero",     "N_miss_or_zero",
    "Dat_Avail", "Non_Zero",  "LowData",    "LowNonZero",
    "LowDatOrZeroFlag", "Included"};

/* R's logical: 1 TRUE, 0 FALSE, -1 NA. */
static int report_lgl(gca__run *run, gca_report *rep, size_t r, size_t c,
                      int v)
{
    if (v < 0)
        return gca__report_text(run, rep, r, c, "NA");
    return gca__report_bool(run, rep, r, c, v);
}

static int run(gca__run *run, const void *vspec, const gca_dset *in,
               gca_dset *out)
{
    const screen_spec *spec = vspec;
    size_t n = in->nrow, nc = in->ncol;
    int *keep = gca_arena_array(run->arena, n ? n : 1, sizeof *keep);
    if (!keep)
        return gca_fail(run->err, GCA_ENOMEM, run->where, 0, 0,
                        "out of memory");
    for (size_t k = 0; k < spec->nforce; k++)
        if (gca__dset_row(in, spec->force[k].ucode) < 0)
            return gca_fail(run->err, GCA_EMETHOD, run->where, 0, 0,
                            "forced unit '%s' is not in the data set",
                            spec->force[k].ucode);
    gca_report *rep = gca__result_add_report(run, "screen_summary", n,
                                             GCA_COUNT(summary_header),
                                             summary_header);
    if (!rep)
        return run->err->code;
    int rc = 0;
    for (size_t r = 0; r < n && rc == 0; r++) {
        size_t nmiss = 0, nzero = 0;
        for (size_t c = 0; c < nc; c++) {
            double x = GCA_DSET_AT(in, r, c);
            nmiss += isnan(x);
            nzero += x == 0;
        }
        double avail = 1 - (double)nmiss / (double)nc;
        double nonzero = 1 - (double)nzero / (double)(nc - nmiss);
        /* Comparisons with NaN are NA in R. */
        int low_data = isnan(avail) ? -1 : avail < spec->dat_thresh;
        int low_nz = isnan(nonzero) ? -1 : nonzero < spec->nonzero_thresh;
        int low_any = low_data == 1 || low_nz == 1 ? 1
                      : low_data < 0 || low_nz < 0 ? -1
                                                   : 0;
        int low = spec->by == BY_NA      ? low_data
                  : spec->by == BY_ZEROS ? low_nz
                  : spec->by == BY_NONE  ? 0
                                         : low_any;
        /* COINr would keep a garbage row for an NA flag; a unit whose
         * flag cannot be computed (no data at all) is dropped instead. */
        keep[r] = low == 0;
        for (size_t k = 0; k < spec->nforce; k++)
            if (spec->force[k].include && !strcmp(spec->force[k].ucode,
                                                  in->ucode[r]))
                keep[r] = 1;
        for (size_t k = 0; k < spec->nforce; k++)
            if (!spec->force[k].include && !strcmp(spec->force[k].ucode,
                                                   in->ucode[r]))
                keep[r] = 0;
        rc = gca__report_text(run, rep, r, 0, in->ucode[r]);
        if (rc == 0)
            rc = gca__report_num(run, rep, r, 1, (double)nmiss);
        if (rc == 0)
            rc = gca__report_num(run, rep, r, 2, (double)nzero);
        if (rc == 0)
            rc = gca__report_num(run, rep, r, 3, (double)(nmiss + nzero));
        if (rc == 0)
            rc = gca__report_num(run, rep, r, 4, avail);
        if (rc == 0)
            rc = gca__report_num(run, rep, r, 5, nonzero);
        if (rc == 0)
            rc = report_lgl(run, rep, r, 6, low_data);
        if (rc == 0)
            rc = report_lgl(run, rep, r, 7, low_nz);
        if (rc == 0)
            rc = report_lgl(run, rep, r, 8, low_any);
        if (rc == 0)
            rc = report_lgl(run, rep, r, 9, keep[r]);
    }
    if (rc < 0)
        return rc;
    size_t nkeep = 0;
    for (size_t r = 0; r < n; r++)
        nkeep += keep[r] != 0;
    if (nkeep == 0)
        return gca_fail(run->err, GCA_EMETHOD, run->where, 0, 0,
                        "every unit was screened out (unit_screen, "
                        "dat_thresh %g, nonzero_thresh %g)",
                        spec->dat_thresh, spec->nonzero_thresh);
    rc = gca__dset_alloc(run, out->name, nkeep, nc, out);
    if (rc < 0)
        return rc;
    memcpy(out->icode, in->icode, nc * sizeof *in->icode);
    memcpy(out->node, in->node, nc * sizeof *in->node);
    size_t q = 0;
    for (size_t r = 0; r < n; r++) {
        if (!keep[r])
            continue;
        out->ucode[q] = in->ucode[r];
        out->unit[q] = in->unit[r];
        for (size_t c = 0; c < nc; c++)
            GCA_DSET_AT(out, q, c) = GCA_DSET_AT(in, r, c);
        q++;
    }
    return 0;
}

const gca__step_ops gca__step_screen = {"screen", "Screened",
                                        sizeof(screen_spec), parse, run};
