/* priority.c - ranking countries without a national CIRT (gca/cirt.h,
 * docs/cirt.md "Prioritisation"): the formula file and the computation
 * over in-memory inputs. Pure, so that the robustness analysis can call
 * it with other weights as often as it likes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/embedded.h"
#include "gca/cirt.h"

#include "core/banned.h"

const char *const gca_cirt_factor_names[GCA_CIRT_NKINDS] = {
    "index_gap", "pillar_gap", "region_coverage_gap", "shutdown_exposure",
    "internet_users"};

const char *const gca_cirt_pillars[GCA_CIRT_NPILLARS] = {"LEG", "TEC", "ORG",
                                                         "CAP", "COO"};

/* Scores closer than this are a tie: sums of the same terms in another
 * order differ in the last bits. */
#define TIE_EPS 1e-9

/* ====== Formula file ====== */

static int ffail(gca_err *err, const char *name, const char *field,
                 const char *what)
{
    return gca_fail(err, GCA_EPARSE, name, 0, 0, "%s: %s", field, what);
}

/* Fail on a key of `o` not in `keys` (NULL-terminated). */
static int only_keys(json_t *o, const char *const *keys, const char *name,
                     const char *at, gca_err *err)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        size_t i = 0;
        while (keys[i] && strcmp(keys[i], k) != 0)
            i++;
        if (!keys[i])
            return gca_fail(err, GCA_EPARSE, name, 0, 0,
                            "%s%s%.64s: unknown field", at, *at ? "." : "",
                            k);
    }
    return 0;
}

static int parse_factor(json_t *o, size_t i, const char *name,
                        gca_cirt_factor *f, gca_err *err)
{
    static const char *const keys[] = {"name", "weight", "pillars", "years",
                                       "cap", "about", NULL};
    char at[64];
    char field[96];
    snprintf(at, sizeof at, "factors[%zu]", i);
    if (!json_is_object(o))
        return ffail(err, name, at, "not an object");
    int rc = only_keys(o, keys, name, at, err);
    if (rc < 0)
        return rc;
    memset(f, 0, sizeof *f);
    json_t *v = json_object_get(o, "name");
    snprintf(field, sizeof field, "%s.name", at);
    if (!json_is_string(v))
        return ffail(err, name, field, "missing or not a string");
    f->kind = -1;
    for (int k = 0; k < GCA_CIRT_NKINDS; k++)
        if (!strcmp(json_string_value(v), gca_cirt_factor_names[k]))
            f->kind = k;
    if (f->kind < 0)
        return gca_fail(err, GCA_EPARSE, name, 0, 0,
                        "%s: unknown factor '%.64s' (index_gap, pillar_gap, "
                        "region_coverage_gap, shutdown_exposure, "
                        "internet_users)",
                        field, json_string_value(v));
    v = json_object_get(o, "weight");
    snprintf(field, sizeof field, "%s.weight", at);
    if (!json_is_number(v))
        return ffail(err, name, field, "missing or not a number");
    f->weight = json_number_value(v);
    if (!isfinite(f->weight) || f->weight < 0)
        return ffail(err, name, field, "must be a number >= 0");

    json_t *pil = json_object_get(o, "pillars");
    json_t *years = json_object_get(o, "years");
    json_t *cap = json_object_get(o, "cap");
    snprintf(field, sizeof field, "%s.pillars", at);
    if (f->kind != GCA_CIRT_F_PILLAR_GAP && pil)
        return ffail(err, name, field, "only pillar_gap takes pillars");
    if (f->kind == GCA_CIRT_F_PILLAR_GAP) {
        if (!json_is_array(pil) || json_array_size(pil) == 0)
            return ffail(err, name, field,
                         "missing or not a non-empty array");
        size_t j;
        json_t *p;
        json_array_foreach(pil, j, p) {
            int hit = -1;
            for (int k = 0; json_is_string(p) && k < GCA_CIRT_NPILLARS; k++)
                if (!strcmp(json_string_value(p), gca_cirt_pillars[k]))
                    hit = k;
            if (hit < 0)
                return ffail(err, name, field,
                             "each must be one of LEG TEC ORG CAP COO");
            if (f->pillars & (1u << hit))
                return ffail(err, name, field, "a pillar appears twice");
            f->pillars |= 1u << hit;
        }
    }
    snprintf(field, sizeof field, "%s.years", at);
    if (f->kind != GCA_CIRT_F_SHUTDOWN && (years || cap))
        return ffail(err, name, years ? field : at,
                     "only shutdown_exposure takes years and cap");
    if (f->kind == GCA_CIRT_F_SHUTDOWN) {
        json_t *a = json_array_get(years, 0), *b = json_array_get(years, 1);
        if (!json_is_array(years) || json_array_size(years) != 2 ||
            !json_is_integer(a) || !json_is_integer(b))
            return ffail(err, name, field,
                         "missing or not [first year, last year]");
        json_int_t ya = json_integer_value(a), yb = json_integer_value(b);
        if (ya < 1900 || yb > 2099 || ya > yb)
            return ffail(err, name, field,
                         "years must be 1900..2099, first <= last");
        f->year_from = (int)ya;
        f->year_to = (int)yb;
        snprintf(field, sizeof field, "%s.cap", at);
        if (!json_is_number(cap) || !(json_number_value(cap) > 0) ||
            !isfinite(json_number_value(cap)))
            return ffail(err, name, field, "missing or not a number > 0");
        f->cap = json_number_value(cap);
    }
    return 0;
}

static int parse_formula(json_t *root, const char *name,
                         gca_cirt_formula *out, gca_err *err)
{
    static const char *const keys[] = {"candidates", "factors", "missing",
                                       "required", "about", NULL};
    gca_cirt_formula f;
    memset(&f, 0, sizeof f);
    if (!json_is_object(root))
        return ffail(err, name, "(top)", "not a JSON object");
    int rc = only_keys(root, keys, name, "", err);
    if (rc < 0)
        return rc;

    json_t *cand = json_object_get(root, "candidates");
    if (!json_is_array(cand) || json_array_size(cand) == 0)
        return ffail(err, name, "candidates",
                     "missing or not a non-empty array");
    size_t i;
    json_t *v;
    json_array_foreach(cand, i, v) {
        const char *s = json_is_string(v) ? json_string_value(v) : "";
        unsigned bit = !strcmp(s, "none")      ? 1u << GCA_CIRT_NONE
                       : !strcmp(s, "unknown") ? 1u << GCA_CIRT_UNKNOWN
                                               : 0;
        if (!bit)
            return ffail(err, name, "candidates",
                         "each must be \"none\" or \"unknown\"");
        f.candidates |= bit;
    }

    json_t *fac = json_object_get(root, "factors");
    if (!json_is_array(fac) || json_array_size(fac) == 0)
        return ffail(err, name, "factors",
                     "missing or not a non-empty array");
    if (json_array_size(fac) > GCA_CIRT_MAX_FACTORS)
        return ffail(err, name, "factors", "more than 16 factors");
    double total = 0;
    json_array_foreach(fac, i, v) {
        rc = parse_factor(v, i, name, &f.f[i], err);
        if (rc < 0)
            return rc;
        for (size_t j = 0; j < i; j++)
            if (f.f[j].kind == f.f[i].kind) {
                char field[64];
                snprintf(field, sizeof field, "factors[%zu].name", i);
                return ffail(err, name, field, "factor appears twice");
            }
        total += f.f[i].weight;
        f.n = i + 1;
    }
    if (!(total > 0))
        return ffail(err, name, "factors", "weights are all zero");

    json_t *req = json_object_get(root, "required");
    if (req && !json_is_array(req))
        return ffail(err, name, "required", "not an array");
    json_array_foreach(req, i, v) {
        size_t j = 0;
        while (j < f.n && !(json_is_string(v) &&
                            !strcmp(json_string_value(v),
                                    gca_cirt_factor_names[f.f[j].kind])))
            j++;
        if (j == f.n)
            return ffail(err, name, "required",
                         "each must name a factor of the formula");
        f.f[j].required = 1;
    }

    json_t *miss = json_object_get(root, "missing");
    f.renormalise = 1;
    if (miss) {
        const char *s = json_is_string(miss) ? json_string_value(miss) : "";
        if (!strcmp(s, "zero"))
            f.renormalise = 0;
        else if (strcmp(s, "renormalise") != 0)
            return ffail(err, name, "missing",
                         "must be \"renormalise\" or \"zero\"");
    }
    *out = f;
    return 0;
}

int gca_cirt_formula_parse(const char *data, size_t len, const char *name,
                           gca_cirt_formula *out, gca_err *err)
{
    json_error_t je;
    if (len > GCA_CIRT_MAX_FORMULA)
        return gca_fail(err, GCA_ETOOBIG, name, 0, 0,
                        "file is larger than %d bytes", GCA_CIRT_MAX_FORMULA);
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return gca_fail(err, GCA_EPARSE, name, je.line > 0 ? je.line : 0,
                        je.column > 0 ? je.column : 0, "bad JSON: %s",
                        je.text);
    int rc = parse_formula(root, name, out, err);
    json_decref(root);
    return rc;
}

int gca_cirt_formula_default(gca_cirt_formula *out, gca_err *err)
{
    const gca__blob *b = gca__embedded("data/cirt/priority.json");
    if (!b)
        return gca_fail(err, GCA_ENOTFOUND, "data/cirt/priority.json", 0, 0,
                        "not built into this library");
    return gca_cirt_formula_parse(b->data, b->len, b->name, out, err);
}

/* ====== Computation ====== */

static double clamp01(double v)
{
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

/* Value of factor `f` for `in` (NaN = no input); shutdown totals into
 * *shut and *at_least. */
static double factor_value(const gca_cirt_factor *f,
                           const gca_cirt_pinput *in, double *shut,
                           int *at_least)
{
    switch (f->kind) {
    case GCA_CIRT_F_INDEX_GAP:
        return isnan(in->index) ? NAN : clamp01(1 - in->index / 100);
    case GCA_CIRT_F_PILLAR_GAP: {
        double sum = 0;
        int n = 0;
        for (int k = 0; k < GCA_CIRT_NPILLARS; k++)
            if ((f->pillars & (1u << k)) && !isnan(in->pillars[k])) {
                sum += clamp01(1 - in->pillars[k] / 20);
                n++;
            }
        return n ? sum / n : NAN;
    }
    case GCA_CIRT_F_REGION_GAP:
        return isnan(in->region_share) ? NAN : clamp01(1 - in->region_share);
    case GCA_CIRT_F_SHUTDOWN: {
        if (!in->have_shutdown_data)
            return NAN;
        double total = 0;
        for (size_t i = 0; i < in->nshutdowns; i++) {
            const gca_cirt_shutdown *s = &in->shutdowns[i];
            if (s->year >= f->year_from && s->year <= f->year_to) {
                total += s->count;
                *at_least |= s->at_least;
            }
        }
        *shut = total;
        return clamp01(total / f->cap);
    }
    case GCA_CIRT_F_USERS:
        return isnan(in->users) ? NAN : clamp01(in->users / 100);
    default:
        return NAN;
    }
}

static void score_one(const gca_cirt_formula *f, const gca_cirt_pinput *in,
                      gca_cirt_prow *r)
{
    double wsum = 0;
    for (size_t j = 0; j < f->n; j++) {
        r->value[j] = factor_value(&f->f[j], in, &r->shutdowns, &r->at_least);
        if (!f->renormalise || !isnan(r->value[j]))
            wsum += f->f[j].weight;
    }
    r->score = NAN;
    if (!(wsum > 0))
        return;
    for (size_t j = 0; j < f->n; j++)
        if (f->f[j].required && isnan(r->value[j]))
            return;
    r->score = 0;
    for (size_t j = 0; j < f->n; j++) {
        double v = r->value[j];
        if (isnan(v) && f->renormalise)
            continue;
        r->share[j] = f->f[j].weight / wsum;
        r->contrib[j] = r->share[j] * (isnan(v) ? 0 : v);
        r->score += r->contrib[j];
    }
}

static int by_score(const void *pa, const void *pb)
{
    const gca_cirt_prow *a = pa, *b = pb;
    int na = isnan(a->score), nb = isnan(b->score);
    if (na != nb)
        return na - nb;
    if (!na && fabs(a->score - b->score) > TIE_EPS)
        return a->score > b->score ? -1 : 1;
    return strcmp(a->iso3, b->iso3);
}

int gca_cirt_prioritise(const gca_cirt_formula *f, const gca_cirt_pinput *in,
                        size_t n, gca_cirt_prow **out, size_t *nout,
                        gca_err *err)
{
    *out = NULL;
    *nout = 0;
    if (f->n == 0 || f->n > GCA_CIRT_MAX_FACTORS)
        return gca_fail(err, GCA_EINVAL, "formula", 0, 0,
                        "formula has %zu factors (1 to 16)", f->n);
    gca_cirt_prow *rows = gca_calloc(n ? n : 1, sizeof *rows);
    if (!rows)
        return gca_fail(err, GCA_ENOMEM, "priorities", 0, 0,
                        "out of memory");
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(f->candidates & (1u << in[i].status)))
            continue;
        rows[m].input = i;
        memcpy(rows[m].iso3, in[i].iso3, sizeof rows[m].iso3);
        rows[m].iso3[3] = '\0';
        score_one(f, &in[i], &rows[m]);
        m++;
    }
    qsort(rows, m, sizeof *rows, by_score);
    for (size_t i = 0; i < m; i++) {
        if (isnan(rows[i].score))
            rows[i].rank = 0;
        else if (i > 0 && !isnan(rows[i - 1].score) &&
                 fabs(rows[i].score - rows[i - 1].score) <= TIE_EPS)
            rows[i].rank = rows[i - 1].rank;
        else
            rows[i].rank = (int)i + 1;
    }
    *out = rows;
    *nout = m;
    return 0;
}
