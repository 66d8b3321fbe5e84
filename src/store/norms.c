/* norms.c (store) - what the norms analysis reads from the database: the
 * GGE norms kept as knowledge-base entries (0004_kb.sql) and an edition's
 * stored indicator scores with their scale (0003_workflow.sql,
 * edition_scores; docs/norms.md "Values"). The analysis itself is
 * src/norms/norms.c. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "gca/norms.h"
#include "gca/pipeline.h"
#include "gca/workflow.h"
#include "store/backend.h"

#include "core/banned.h"

int gca_norms_load_kb(gca_store *st, gca_norms *n, gca_err *err)
{
    gca__stmt *s = NULL;
    int rc = st->be->prepare(st->conn,
                             "SELECT id, subtype, title FROM kb_entries "
                             "WHERE kind = 'norm' ORDER BY id",
                             &s, err);
    if (rc < 0)
        return rc;
    size_t first = n->nnorms;
    while ((rc = st->be->step(s, err)) > 0) {
        rc = gca_norms_add(n, st->be->col_text(s, 0),
                           st->be->col_text(s, 1), st->be->col_text(s, 2),
                           err);
        if (rc < 0)
            break;
    }
    st->be->finalize(s);
    if (rc < 0)
        while (n->nnorms > first) {
            n->nnorms--;
            gca_free(n->norms[n->nnorms].id);
            gca_free(n->norms[n->nnorms].para);
            gca_free(n->norms[n->nnorms].title);
        }
    return rc < 0 ? rc : 0;
}

/* ====== An edition's scores ====== */

/* [lo, hi] of a normalise step `step` (a method JSON step object); -1
 * when its scale is not a fixed range. */
static int normalise_range(const json_t *step, double *lo, double *hi)
{
    const json_t *para = json_object_get(step, "f_n_para");
    const char *fn = json_string_value(json_object_get(step, "f_n"));
    if (json_object_get(step, "indiv_specs") ||
        json_is_true(json_object_get(step, "use_iMeta")) ||
        json_is_string(para))
        return -1;
    if (!fn || !strcmp(fn, "n_minmax")) {
        const json_t *lu = json_object_get(step, "l_u");
        if (!lu && json_is_object(para))
            lu = json_object_get(para, "l_u");
        if (!lu) {
            *lo = 0;
            *hi = 100;
            return 0;
        }
        if (!json_is_array(lu) || json_array_size(lu) != 2 ||
            !json_is_number(json_array_get(lu, 0)) ||
            !json_is_number(json_array_get(lu, 1)))
            return -1;
        *lo = json_number_value(json_array_get(lu, 0));
        *hi = json_number_value(json_array_get(lu, 1));
        return *hi > *lo ? 0 : -1;
    }
    static const char *const unit[] = {"n_dist2max", "n_dist2ref",
                                       "n_dist2targ", "n_fracmax",
                                       "n_prank", NULL};
    for (size_t i = 0; unit[i]; i++)
        if (!strcmp(fn, unit[i])) {
            *lo = 0;
            *hi = 1;
            return 0;
        }
    return -1;
}

/* The scale of the indicators as the method leaves them: the last
 * normalise step's range, [0, 1] without one. */
static int method_range(const char *mjson, const char *edition, double *lo,
                        double *hi, gca_err *err)
{
    *lo = 0;
    *hi = 1;
    if (!mjson)
        return 0;
    json_error_t je;
    json_t *m = json_loads(mjson, 0, &je);
    if (!m)
        return gca_fail(err, GCA_EMETHOD, edition, 0, 0,
                        "method is not JSON: %s", je.text);
    int rc = 0;
    const json_t *steps = json_object_get(m, "steps");
    for (size_t i = 0; rc == 0 && i < json_array_size(steps); i++) {
        const json_t *step = json_array_get(steps, i);
        const char *name = json_string_value(json_object_get(step, "step"));
        if (!name || (strcasecmp(name, "normalise") &&
                      strcasecmp(name, "normalize")))
            continue;
        if (normalise_range(step, lo, hi) < 0)
            rc = gca_fail(err, GCA_ENOTSUP, edition, 0, 0,
                          "the scale of the indicators after the method's "
                          "normalise step (step %zu) is not a fixed range; "
                          "use an indicator data file (--data)", i + 1);
    }
    json_decref(m);
    return rc;
}

static int read_method_json(gca_store *st, long long id, char **out,
                            gca_err *err)
{
    gca__stmt *s = NULL;
    *out = NULL;
    int rc = st->be->prepare(st->conn,
                             "SELECT method_json FROM editions WHERE id = ?",
                             &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_int(s, 1, id);
    rc = st->be->step(s, err);
    if (rc > 0 && st->be->col_text(s, 0)) {
        *out = gca_strdup(st->be->col_text(s, 0));
        if (!*out)
            rc = gca_fail(err, GCA_ENOMEM, "edition", 0, 0, "out of memory");
    }
    st->be->finalize(s);
    return rc < 0 ? rc : 0;
}

/* Fill d's indicator list (the framework's indicators) and scales. */
static int data_indicators(const gca_framework *fw, double mlo, double mhi,
                           gca_norms_data *d, gca_err *err)
{
    size_t nn = gca_framework_nnodes(fw), ni = 0;
    for (size_t i = 0; i < nn; i++)
        ni += gca_framework_node_at(fw, i)->type == GCA_NODE_INDICATOR;
    d->indicators = gca_calloc(ni ? ni : 1, sizeof *d->indicators);
    d->lo = gca_calloc(ni ? ni : 1, sizeof *d->lo);
    d->hi = gca_calloc(ni ? ni : 1, sizeof *d->hi);
    if (!d->indicators || !d->lo || !d->hi)
        return gca_fail(err, GCA_ENOMEM, "edition", 0, 0, "out of memory");
    for (size_t i = 0; i < nn; i++) {
        const gca_node *nd = gca_framework_node_at(fw, i);
        if (nd->type != GCA_NODE_INDICATOR)
            continue;
        int own = isfinite(nd->score_min) && isfinite(nd->score_max) &&
                  nd->score_max > nd->score_min;
        d->lo[d->nindicators] = own ? nd->score_min : mlo;
        d->hi[d->nindicators] = own ? nd->score_max : mhi;
        d->indicators[d->nindicators] = gca_strdup(nd->code);
        if (!d->indicators[d->nindicators++])
            return gca_fail(err, GCA_ENOMEM, "edition", 0, 0,
                            "out of memory");
    }
    return 0;
}

static long indicator_index(const gca_norms_data *d, const char *code)
{
    for (size_t i = 0; i < d->nindicators; i++)
        if (!strcmp(d->indicators[i], code))
            return (long)i;
    return -1;
}

/* Append country `iso3` with all values NaN. */
static int add_country(gca_norms_data *d, const char *iso3, gca_err *err)
{
    char **c = gca_realloc(d->countries,
                           (d->ncountries + 1) * sizeof *c);
    if (!c)
        return gca_fail(err, GCA_ENOMEM, "edition", 0, 0, "out of memory");
    d->countries = c;
    double *v = gca_realloc(d->values, (d->ncountries + 1) *
                                           (d->nindicators ? d->nindicators
                                                           : 1) *
                                           sizeof *v);
    if (!v)
        return gca_fail(err, GCA_ENOMEM, "edition", 0, 0, "out of memory");
    d->values = v;
    for (size_t i = 0; i < d->nindicators; i++)
        v[d->ncountries * d->nindicators + i] = NAN;
    c[d->ncountries] = gca_strdup(iso3);
    if (!c[d->ncountries])
        return gca_fail(err, GCA_ENOMEM, "edition", 0, 0, "out of memory");
    d->ncountries++;
    return 0;
}

static int read_scores(gca_store *st, long long id, gca_norms_data *d,
                       gca_err *err)
{
    gca__stmt *s = NULL;
    int rc = st->be->prepare(st->conn,
                             "SELECT country, node, score FROM "
                             "edition_scores WHERE edition = ? "
                             "ORDER BY country",
                             &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_int(s, 1, id);
    while ((rc = st->be->step(s, err)) > 0) {
        const char *iso3 = st->be->col_text(s, 0);
        long i = indicator_index(d, st->be->col_text(s, 1));
        if (i < 0 || !iso3)
            continue; /* an aggregate */
        if (d->ncountries == 0 ||
            strcmp(d->countries[d->ncountries - 1], iso3)) {
            rc = add_country(d, iso3, err);
            if (rc < 0)
                break;
        }
        d->values[(d->ncountries - 1) * d->nindicators + (size_t)i] =
            st->be->col_double(s, 2);
    }
    st->be->finalize(s);
    return rc < 0 ? rc : 0;
}

int gca_norms_edition_data(gca_store *st, const char *edition,
                           gca_norms_data *out, gca_framework **fwout,
                           gca_err *err)
{
    gca_edition e;
    gca_framework *fw = NULL;
    gca_norms_data d = {0};
    char *mjson = NULL;
    double mlo = 0, mhi = 1;
    int rc = gca_edition_get(st, edition, &e, err);
    if (rc == 0 && !e.scored_at[0])
        rc = gca_fail(err, GCA_ESTATE, "edition", 0, 0,
                      "edition %s has no up-to-date scores (run gca score)",
                      e.code);
    if (rc == 0)
        rc = gca_edition_framework(st, edition, &fw, NULL, err);
    if (rc == 0)
        rc = read_method_json(st, e.id, &mjson, err);
    if (rc == 0)
        rc = method_range(mjson ? mjson : gca_method_default_json(fw),
                          e.code, &mlo, &mhi, err);
    if (rc == 0)
        rc = data_indicators(fw, mlo, mhi, &d, err);
    if (rc == 0)
        rc = read_scores(st, e.id, &d, err);
    if (rc == 0) {
        *out = d;
        memset(&d, 0, sizeof d);
        if (fwout) {
            *fwout = fw;
            fw = NULL;
        }
    }
    gca_free(mjson);
    gca_norms_data_release(&d);
    gca_framework_free(fw);
    return rc;
}
