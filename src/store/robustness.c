/* robustness.c - the uncertainty analysis an edition's publication runs
 * (gca/sensitivity.h) on the edition's own build: the rank interval and
 * tier probability of every country, stored with the results
 * (schema/0008_robustness.sql) and signed in the bundle's payload.
 * docs/workflow.md, "Robustness". */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "gca/sensitivity.h"
#include "store/audit.h"
#include "store/score.h"
#include "store/workflow.h"
#include "core/banned.h"

/* The edition's spec, or NULL (the default). */
static int edition_spec(gca_store *st, long long id, char **out,
                        gca_err *err)
{
    gca__stmt *s = NULL;
    *out = NULL;
    int rc = st->be->prepare(
        st->conn, "SELECT sensitivity_json FROM editions WHERE id = ?", &s,
        err);
    if (rc < 0)
        return rc;
    st->be->bind_int(s, 1, id);
    rc = st->be->step(s, err);
    const char *t = rc > 0 ? st->be->col_text(s, 0) : NULL;
    if (t && !(*out = gca_strdup(t)))
        rc = gca_fail(err, GCA_ENOMEM, "publish", 0, 0, "out of memory");
    st->be->finalize(s);
    return rc < 0 ? rc : 0;
}

/* The default spec: every weight below the index perturbed uniformly by
 * up to 25 %, 100 weight sets (COINr's get_noisy_weights). NULL when the
 * method has no aggregate step (nothing to perturb). */
static char *default_spec(const gca_framework *fw, const char *method)
{
    json_t *m = json_loads(method, 0, NULL);
    int agg = 0;
    size_t i;
    json_t *step;
    json_array_foreach(json_object_get(m, "steps"), i, step)
    {
        const char *n = json_string_value(json_object_get(step, "step"));
        agg |= n && !strcmp(n, "aggregate");
    }
    json_decref(m);
    if (!agg)
        return NULL;
    json_t *levels = json_object();
    for (int lev = 1; levels && lev < gca_framework_nlevels(fw); lev++) {
        char key[16];
        snprintf(key, sizeof key, "%d", lev);
        json_object_set_new(levels, key, json_real(0.25));
    }
    json_t *spec = json_pack(
        "{s:[{s:s,s:s,s:{s:i,s:o}}]}", "inputs", "name", "Weights",
        "address", "weights", "noise", "nrep", 100, "levels", levels);
    char *text = spec ? json_dumps(spec, JSON_COMPACT) : NULL;
    json_decref(spec);
    return text;
}

/* The statements of storing the countries, prepared once for all. */
typedef struct unit_sql {
    gca__stmt *tier; /* the stored tier of a country */
    gca__stmt *ins;  /* its robustness row */
} unit_sql;

static int unit_sql_prepare(gca_store *st, unit_sql *q, gca_err *err)
{
    int rc = st->be->prepare(st->conn,
                             "SELECT tier FROM edition_tiers WHERE edition "
                             "= ? AND country = ?",
                             &q->tier, err);
    if (rc == 0)
        rc = st->be->prepare(
            st->conn,
            "INSERT INTO edition_robustness (edition, country, ranked, "
            "rank_q5, rank_q95, rank_median, rank_mean, tier, tier_prob, "
            "tier_probs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            &q->ins, err);
    return rc;
}

static void unit_sql_finalize(gca_store *st, unit_sql *q)
{
    st->be->finalize(q->tier);
    st->be->finalize(q->ins);
}

/* The stored tier of the country, to read its probability. */
static int stored_tier(gca_store *st, gca__stmt *s, long long id,
                       const char *iso3, char tier[64], gca_err *err)
{
    tier[0] = '\0';
    st->be->reset(s);
    st->be->bind_int(s, 1, id);
    st->be->bind_text(s, 2, iso3);
    int rc = st->be->step(s, err);
    const char *t = rc > 0 ? st->be->col_text(s, 0) : NULL;
    if (t)
        snprintf(tier, 64, "%s", t);
    return rc < 0 ? rc : 0;
}

static json_t *num_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static int store_unit(gca_store *st, const unit_sql *q, long long id,
                      const gca_framework *fw, const gca_sens_unit *u,
                      json_t *rows, gca_err *err)
{
    char tier[64];
    int rc = stored_tier(st, q->tier, id, u->ucode, tier, err);
    if (rc < 0)
        return rc;
    json_t *probs = json_object();
    double tp = NAN;
    for (size_t k = 0; probs && k < gca_framework_ntiers(fw); k++) {
        const char *code = gca_framework_tier_at(fw, k)->code;
        json_object_set_new(probs, code, num_or_null(u->tier_prob[k]));
        if (!strcmp(code, tier))
            tp = u->tier_prob[k];
    }
    char *ptext = probs && json_object_size(probs)
                      ? json_dumps(probs, JSON_COMPACT | JSON_SORT_KEYS |
                                              JSON_REAL_PRECISION(17))
                      : NULL;
    gca__stmt *s = q->ins;
    st->be->reset(s);
    st->be->bind_int(s, 1, id);
    st->be->bind_text(s, 2, u->ucode);
    st->be->bind_int(s, 3, (long long)u->nranked);
    st->be->bind_double(s, 4, u->q5);
    st->be->bind_double(s, 5, u->q95);
    st->be->bind_double(s, 6, u->median);
    st->be->bind_double(s, 7, u->mean);
    st->be->bind_text(s, 8, tier[0] ? tier : NULL);
    st->be->bind_double(s, 9, tp);
    st->be->bind_text(s, 10, ptext);
    rc = st->be->step(s, err);
    json_t *row = json_pack("{s:s,s:I,s:o,s:o,s:o,s:o,s:o}", "country",
                            u->ucode, "ranked", (json_int_t)u->nranked,
                            "rank_q5", num_or_null(u->q5), "rank_q95",
                            num_or_null(u->q95), "rank_median",
                            num_or_null(u->median), "tier_prob",
                            num_or_null(tp), "tier_probs",
                            probs ? probs : json_null());
    free(ptext);
    if (rc == 0 && (!row || json_array_append_new(rows, row) < 0))
        rc = gca_fail(err, GCA_ENOMEM, "publish", 0, 0, "out of memory");
    else if (rc < 0)
        json_decref(row);
    return rc < 0 ? rc : 0;
}

int gca__edition_robustness_run(gca_store *st, const gca_edition *e,
                                const char *now, json_t *payload,
                                gca_err *err)
{
    ebuild b;
    int rc = gca__ebuild(st, e, &b, err);
    if (rc < 0)
        return rc;
    char *spec = NULL;
    gca_sens *s = NULL;
    if (!b.ds)
        goto done; /* no country scored: nothing to vary */
    rc = edition_spec(st, e->id, &spec, err);
    if (rc == 0 && !spec && !(spec = default_spec(b.fws, b.method_json)))
        goto done;
    gca_sens_opts o = {.type = GCA_SENS_UA, .n = GCA_ROBUSTNESS_N,
                       .seed = GCA_ROBUSTNESS_SEED};
    if (rc == 0)
        rc = gca_sens_run(b.fws, b.ds, b.method_json, strlen(b.method_json),
                          spec, strlen(spec), "the edition's sensitivity "
                                              "spec",
                          NULL, &o, &s, err);
    json_t *rows = rc == 0 ? json_array() : NULL;
    unit_sql us = {NULL, NULL};
    if (rc == 0)
        rc = unit_sql_prepare(st, &us, err);
    for (size_t u = 0; rc == 0 && u < gca_sens_nunits(s); u++)
        rc = store_unit(st, &us, e->id, b.fws, gca_sens_unit_at(s, u), rows,
                        err);
    unit_sql_finalize(st, &us);
    gca__stmt *q = NULL;
    if (rc == 0)
        rc = st->be->prepare(st->conn,
                             "INSERT INTO edition_robustness_runs (edition, "
                             "spec_json, n, seed, runs, failed, made_at) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)",
                             &q, err);
    if (rc == 0) {
        st->be->bind_int(q, 1, e->id);
        st->be->bind_text(q, 2, spec);
        st->be->bind_int(q, 3, GCA_ROBUSTNESS_N);
        st->be->bind_int(q, 4, GCA_ROBUSTNESS_SEED);
        st->be->bind_int(q, 5, (long long)gca_sens_nruns(s));
        st->be->bind_int(q, 6, (long long)gca_sens_nfailed(s));
        st->be->bind_text(q, 7, now);
        rc = st->be->step(q, err);
        st->be->finalize(q);
    }
    if (rc == 0) {
        json_t *sj = json_loads(spec, 0, NULL);
        json_t *r = json_pack("{s:s,s:I,s:I,s:I,s:I,s:o,s:o}", "type", "UA",
                              "n", (json_int_t)GCA_ROBUSTNESS_N, "seed",
                              (json_int_t)GCA_ROBUSTNESS_SEED, "runs",
                              (json_int_t)gca_sens_nruns(s), "failed",
                              (json_int_t)gca_sens_nfailed(s), "spec",
                              sj ? sj : json_null(), "countries", rows);
        rows = NULL;
        if (!r || json_object_set_new(payload, "robustness", r) < 0)
            rc = gca_fail(err, GCA_ENOMEM, "publish", 0, 0, "out of memory");
    }
    json_decref(rows);
done:
    gca_sens_free(s);
    free(spec);
    gca__ebuild_release(&b);
    return rc < 0 ? rc : 0;
}

int gca_edition_set_sensitivity(gca_store *st, const char *actor,
                                const char *code, const char *spec_json,
                                gca_err *err)
{
    gca_user a;
    gca_edition e;
    int rc = gca__edition_admin_begin(st, actor, code,
                                      "set an edition's sensitivity spec",
                                      &a, &e, err);
    if (rc < 0)
        return rc;
    if (!strcmp(e.state, "published"))
        rc = gca_fail(err, GCA_ESTATE, "edition", 0, 0,
                      "cannot set the sensitivity spec: edition %s is "
                      "published",
                      e.code);
    if (rc == 0 && spec_json) {
        /* Checked as publication will read it: against the framework
         * without unasked indicators, and the edition's method. */
        ebuild b;
        rc = gca__ebuild(st, &e, &b, err);
        if (rc == 0) {
            rc = gca_sens_spec_check(b.fws, b.method_json,
                                     strlen(b.method_json), spec_json,
                                     strlen(spec_json), "sensitivity spec",
                                     NULL, err);
            gca__ebuild_release(&b);
        }
    }
    gca__stmt *s = NULL;
    if (rc == 0)
        rc = st->be->prepare(st->conn,
                             "UPDATE editions SET sensitivity_json = ? "
                             "WHERE id = ?",
                             &s, err);
    if (rc == 0) {
        st->be->bind_text(s, 1, spec_json);
        st->be->bind_int(s, 2, e.id);
        rc = st->be->step(s, err);
        st->be->finalize(s);
    }
    if (rc == 0) {
        char hex[65];
        if (spec_json)
            gca__sha256_hex(spec_json, strlen(spec_json), hex);
        rc = gca__edition_event(
            st, a.name, "edition.sensitivity", &e,
            json_pack("{s:o}", "spec_sha256",
                      spec_json ? json_string(hex) : json_null()),
            err);
    }
    if (rc == 0)
        rc = st->be->commit(st->conn, err);
    if (rc < 0)
        st->be->rollback(st->conn);
    return rc;
}

int gca_edition_robustness(gca_store *st, const char *edition,
                           gca_robustness_fn fn, void *ctx, gca_err *err)
{
    gca_edition e;
    int rc = gca__edition_load(st, edition, &e, err);
    gca__stmt *s = NULL;
    if (rc == 0)
        rc = st->be->prepare(
            st->conn,
            "SELECT country, ranked, rank_q5, rank_q95, rank_median, "
            "rank_mean, tier, tier_prob, tier_probs FROM edition_robustness "
            "WHERE edition = ? ORDER BY country",
            &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_int(s, 1, e.id);
    while ((rc = st->be->step(s, err)) > 0) {
        gca_robustness r = {st->be->col_text(s, 0),
                            (int)st->be->col_int(s, 1),
                            st->be->col_double(s, 2),
                            st->be->col_double(s, 3),
                            st->be->col_double(s, 4),
                            st->be->col_double(s, 5),
                            st->be->col_text(s, 6),
                            st->be->col_double(s, 7),
                            st->be->col_text(s, 8)};
        rc = fn(&r, ctx);
        if (rc != 0)
            break;
    }
    st->be->finalize(s);
    return rc < 0 ? rc : 0;
}
