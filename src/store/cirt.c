/* cirt.c - the store side of the CIRT programme (gca/cirt.h,
 * docs/cirt.md): SIM3 assessments, national CIRT status (analysts'
 * records over knowledge-base entries) and the inputs of the
 * prioritisation. Every write checks everything first, then writes its
 * rows and one audit event in one transaction. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/csv.h"
#include "core/embedded.h"
#include "core/str.h"
#include "gca/cirt.h"
#include "store/audit.h"
#include "store/workflow.h"

#include "core/banned.h"

#define SHUTDOWNS_FILE "data/rights/shutdowns.csv"

/* ====== Checks ====== */

static int require_writer(gca_store *st, const gca_user *u, const char *what,
                          gca_err *err)
{
    if (!strcmp(u->role, "admin") || !strcmp(u->role, "analyst"))
        return 0;
    return gca_fail(err, GCA_EPERM, st->path, 0, 0,
                    "'%s' (%s) may not %s: only an admin or an analyst may",
                    u->name, u->role, what);
}

/* A required text: present, non-empty, within `max`. */
static int check_required(gca_store *st, const char *field, const char *s,
                          size_t max, gca_err *err)
{
    if (!s || !*s)
        return gca_fail(err, GCA_EINVAL, field, 0, 0, "no %s given", field);
    return gca__check_text(st, field, s, max, err);
}

static const char *or_null(const char *s)
{
    return s && *s ? s : NULL;
}

/* ====== Assessments ====== */

static int insert_assessment(gca_store *st, const gca_cirt_assessment *a,
                             const char *actor, const char *now,
                             long long *id, gca_err *err)
{
    gca__stmt *s = NULL;
    int rc = st->be->prepare(
        st->conn,
        "INSERT INTO cirt_assessments (team, country, assessed_on, "
        "assessor, source, note, created_by, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_text(s, 1, a->team);
    st->be->bind_text(s, 2, or_null(a->country));
    st->be->bind_text(s, 3, a->assessed);
    st->be->bind_text(s, 4, or_null(a->assessor) ? a->assessor : actor);
    st->be->bind_text(s, 5, or_null(a->source));
    st->be->bind_text(s, 6, or_null(a->note));
    st->be->bind_text(s, 7, actor);
    st->be->bind_text(s, 8, now);
    rc = st->be->step(s, err);
    if (rc > 0) {
        *id = st->be->col_int(s, 0);
        rc = st->be->step(s, err);
    }
    st->be->finalize(s);
    if (rc > 0)
        rc = gca_fail(err, GCA_EINTERNAL, st->path, 0, 0,
                      "insert returned more than one row");
    return rc;
}

static int insert_levels(gca_store *st, const gca_sim3_model *m,
                         long long id, const int *levels, json_t *jl,
                         gca_err *err)
{
    gca__stmt *s = NULL;
    int rc = st->be->prepare(st->conn,
                             "INSERT INTO cirt_assessment_levels "
                             "(assessment, code, level) VALUES (?, ?, ?)",
                             &s, err);
    if (rc < 0)
        return rc;
    for (size_t i = 0; rc >= 0 && i < m->n; i++) {
        st->be->reset(s);
        st->be->bind_int(s, 1, id);
        st->be->bind_text(s, 2, m->params[i].code);
        if (levels[i] == GCA_SIM3_NOT_ASSESSED)
            st->be->bind_text(s, 3, NULL);
        else
            st->be->bind_int(s, 3, levels[i]);
        rc = st->be->step(s, err);
        json_t *v = levels[i] == GCA_SIM3_NOT_ASSESSED
                        ? json_null()
                        : json_integer(levels[i]);
        if (rc >= 0 && json_object_set_new(jl, m->params[i].code, v) != 0)
            rc = gca_fail(err, GCA_ENOMEM, st->path, 0, 0, "out of memory");
    }
    st->be->finalize(s);
    return rc < 0 ? rc : 0;
}

static int assess_in_tx(gca_store *st, const char *actor,
                        const gca_cirt_assessment *a,
                        const gca_sim3_model *m, long long *id, gca_err *err)
{
    gca_user u;
    char now[32], object[64];
    int rc = gca__store_actor(st, actor, &u, err);
    if (rc == 0)
        rc = require_writer(st, &u, "record a SIM3 assessment", err);
    if (rc == 0 && or_null(a->country))
        rc = gca__country_require(st, a->country, err);
    if (rc == 0)
        rc = gca__store_now(st, now, err);
    if (rc == 0)
        rc = insert_assessment(st, a, actor, now, id, err);
    if (rc < 0)
        return rc;
    json_t *jl = json_object();
    json_t *data = jl ? json_pack("{s:s, s:s?, s:s, s:s, s:O}", "team",
                                  a->team, "country", or_null(a->country),
                                  "assessed", a->assessed, "assessor",
                                  or_null(a->assessor) ? a->assessor : actor,
                                  "levels", jl)
                      : NULL;
    if (!data)
        rc = gca_fail(err, GCA_ENOMEM, st->path, 0, 0, "out of memory");
    if (rc == 0)
        rc = insert_levels(st, m, *id, a->levels, jl, err);
    snprintf(object, sizeof object, "cirt/assessment/%lld", *id);
    if (rc == 0)
        rc = gca__audit_append(st, actor, "cirt.assess", object, data, err);
    json_decref(jl);
    json_decref(data);
    return rc;
}

int gca_cirt_assess(gca_store *st, const char *actor,
                    const gca_cirt_assessment *a, long long *id,
                    gca_err *err)
{
    gca_sim3_model m = {NULL, 0};
    long long new_id = 0;
    int rc = check_required(st, "team", a->team, GCA_CIRT_NAME_MAX, err);
    if (rc == 0)
        rc = gca__check_date(a->assessed, "date", "date", err);
    if (rc == 0)
        rc = gca__check_text(st, "assessor", a->assessor, GCA_CIRT_NAME_MAX,
                             err);
    if (rc == 0)
        rc = gca__check_text(st, "source", a->source, GCA_CIRT_TEXT_MAX,
                             err);
    if (rc == 0)
        rc = gca__check_text(st, "note", a->note, GCA_CIRT_TEXT_MAX, err);
    if (rc == 0 && !a->levels)
        rc = gca_fail(err, GCA_EINVAL, "levels", 0, 0, "no levels given");
    if (rc == 0)
        rc = gca_sim3_model_default(&m, err);
    for (size_t i = 0; rc == 0 && i < m.n; i++)
        if (a->levels[i] != GCA_SIM3_NOT_ASSESSED &&
            (a->levels[i] < 0 || a->levels[i] > GCA_SIM3_LEVEL_MAX))
            rc = gca_fail(err, GCA_EINVAL, m.params[i].code, 0, 0,
                          "level %d is not 0 to 4", a->levels[i]);
    if (rc == 0)
        rc = gca__store_require_latest(st, err);
    if (rc == 0)
        rc = st->be->begin(st->conn, err);
    if (rc == 0)
        rc = assess_in_tx(st, actor, a, &m, &new_id, err);
    if (rc == 0)
        rc = st->be->commit(st->conn, err);
    if (rc < 0)
        st->be->rollback(st->conn);
    else if (id)
        *id = new_id;
    gca_sim3_model_release(&m);
    return rc;
}

static int load_levels(gca_store *st, const gca_sim3_model *m, long long id,
                       int *levels, gca_err *err)
{
    gca__stmt *s = NULL;
    for (size_t i = 0; i < m->n; i++)
        levels[i] = GCA_SIM3_NOT_ASSESSED;
    int rc = st->be->prepare(st->conn,
                             "SELECT code, level FROM cirt_assessment_levels "
                             "WHERE assessment = ?",
                             &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_int(s, 1, id);
    while ((rc = st->be->step(s, err)) > 0) {
        int k = gca_sim3_find(m, st->be->col_text(s, 0));
        if (k >= 0 && st->be->col_text(s, 1))
            levels[k] = (int)st->be->col_int(s, 1);
    }
    st->be->finalize(s);
    return rc;
}

int gca_cirt_assessments(gca_store *st, const char *team,
                         gca_cirt_assessment_fn fn, void *ctx, gca_err *err)
{
    gca_sim3_model m = {NULL, 0};
    gca__stmt *s = NULL;
    int *levels = NULL;
    size_t n = 0;
    int rc = check_required(st, "team", team, GCA_CIRT_NAME_MAX, err);
    if (rc == 0)
        rc = gca_sim3_model_default(&m, err);
    if (rc == 0 && !(levels = gca_malloc(m.n * sizeof *levels)))
        rc = gca_fail(err, GCA_ENOMEM, st->path, 0, 0, "out of memory");
    if (rc == 0)
        rc = st->be->prepare(st->conn,
                             "SELECT id, team, country, assessed_on, "
                             "assessor, source, note, created_by, "
                             "created_at FROM cirt_assessments WHERE team = ? "
                             "ORDER BY assessed_on, id",
                             &s, err);
    if (rc < 0)
        goto out;
    st->be->bind_text(s, 1, team);
    while ((rc = st->be->step(s, err)) > 0) {
        gca_cirt_assessment a = {0};
        a.id = st->be->col_int(s, 0);
        rc = load_levels(st, &m, a.id, levels, err);
        if (rc < 0)
            break;
        a.team = st->be->col_text(s, 1);
        a.country = st->be->col_text(s, 2);
        a.assessed = st->be->col_text(s, 3);
        a.assessor = st->be->col_text(s, 4);
        a.source = st->be->col_text(s, 5);
        a.note = st->be->col_text(s, 6);
        a.created_by = st->be->col_text(s, 7);
        a.created_at = st->be->col_text(s, 8);
        a.levels = levels;
        n++;
        rc = fn(&a, ctx);
        if (rc != 0)
            break;
    }
    if (rc == 0 && n == 0)
        rc = gca_fail(err, GCA_ENOTFOUND, "team", 0, 0,
                      "no SIM3 assessment of team '%.200s'", team);
out:
    st->be->finalize(s);
    gca_free(levels);
    gca_sim3_model_release(&m);
    return rc;
}

/* ====== National CIRT status ====== */

const char *gca_cirt_status_name(int status)
{
    return status == GCA_CIRT_HAS    ? "has"
           : status == GCA_CIRT_NONE ? "none"
                                     : "unknown";
}

/* Every country with its resolved status, strings owned. */
typedef struct ccountry {
    char iso3[4];
    char *name, *subregion;
    int status;
    char *team, *source, *evidence, *origin, *ref, *by, *at;
} ccountry;

typedef struct clist {
    ccountry *c;
    size_t n;
} clist;

static void clist_release(clist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        ccountry *c = &l->c[i];
        gca_free(c->name);
        gca_free(c->subregion);
        gca_free(c->team);
        gca_free(c->source);
        gca_free(c->evidence);
        gca_free(c->origin);
        gca_free(c->ref);
        gca_free(c->by);
        gca_free(c->at);
    }
    gca_free(l->c);
    l->c = NULL;
    l->n = 0;
}

static int by_iso3(const void *key, const void *elt)
{
    return strcmp(key, ((const ccountry *)elt)->iso3);
}

static ccountry *clist_find(clist *l, const char *iso3)
{
    return iso3 ? bsearch(iso3, l->c, l->n, sizeof *l->c, by_iso3) : NULL;
}

/* Replace *dst by a copy of `s` ("" for NULL); -1 when out of memory. */
static int set(char **dst, const char *s)
{
    char *c = gca_strdup(s ? s : "");
    if (!c)
        return -1;
    gca_free(*dst);
    *dst = c;
    return 0;
}

static int clist_countries(gca_store *st, clist *l, gca_err *err)
{
    gca__stmt *s = NULL;
    size_t cap = 0;
    int rc = st->be->prepare(st->conn,
                             "SELECT iso3, name, m49_subregion FROM "
                             "countries ORDER BY iso3",
                             &s, err);
    if (rc < 0)
        return rc;
    while ((rc = st->be->step(s, err)) > 0) {
        if (l->n == cap) {
            size_t nc = cap ? cap * 2 : 256;
            ccountry *p = gca_realloc(l->c, nc * sizeof *p);
            if (!p) {
                rc = gca_fail(err, GCA_ENOMEM, st->path, 0, 0,
                              "out of memory");
                break;
            }
            l->c = p;
            cap = nc;
        }
        ccountry *c = &l->c[l->n];
        memset(c, 0, sizeof *c);
        l->n++;
        const char *iso = st->be->col_text(s, 0);
        snprintf(c->iso3, sizeof c->iso3, "%s", iso ? iso : "");
        c->status = GCA_CIRT_UNKNOWN;
        const char *sub = st->be->col_text(s, 2);
        if (set(&c->name, st->be->col_text(s, 1)) < 0 ||
            (sub && set(&c->subregion, sub) < 0) ||
            set(&c->team, "") < 0 || set(&c->source, "") < 0 ||
            set(&c->evidence, "") < 0 || set(&c->origin, "") < 0 ||
            set(&c->ref, "") < 0 || set(&c->by, "") < 0 ||
            set(&c->at, "") < 0) {
            rc = gca_fail(err, GCA_ENOMEM, st->path, 0, 0, "out of memory");
            break;
        }
    }
    st->be->finalize(s);
    return rc < 0 ? rc : 0;
}

/* Knowledge-base entries: a "has" entry wins over a "none" one (a team
 * that a source lists exists), then the smaller id. */
static int clist_kb(gca_store *st, clist *l, gca_err *err)
{
    gca__stmt *s = NULL;
    int rc = st->be->prepare(
        st->conn,
        "SELECT c.iso3, e.id, e.status, e.title, e.source "
        "FROM kb_entries e JOIN kb_entry_countries c ON c.entry = e.rowid "
        "WHERE e.kind = 'national_cirt' "
        "ORDER BY c.iso3, e.status = 'has' DESC, e.id",
        &s, err);
    if (rc < 0)
        return rc;
    while ((rc = st->be->step(s, err)) > 0) {
        ccountry *c = clist_find(l, st->be->col_text(s, 0));
        if (!c || c->status != GCA_CIRT_UNKNOWN)
            continue;
        const char *status = st->be->col_text(s, 2);
        int has = status && !strcmp(status, "has");
        c->status = has ? GCA_CIRT_HAS : GCA_CIRT_NONE;
        if (set(&c->team, has ? st->be->col_text(s, 3) : "") < 0 ||
            set(&c->source, st->be->col_text(s, 4)) < 0 ||
            set(&c->origin, "kb") < 0 ||
            set(&c->ref, st->be->col_text(s, 1)) < 0) {
            rc = gca_fail(err, GCA_ENOMEM, st->path, 0, 0, "out of memory");
            break;
        }
    }
    st->be->finalize(s);
    return rc < 0 ? rc : 0;
}

/* The newest analyst record of each country wins over everything. */
static int clist_records(gca_store *st, clist *l, gca_err *err)
{
    gca__stmt *s = NULL;
    int rc = st->be->prepare(
        st->conn,
        "SELECT iso3, id, status, team, source, evidence, recorded_by, "
        "recorded_at FROM cirt_status_records r WHERE id = "
        "(SELECT max(id) FROM cirt_status_records WHERE iso3 = r.iso3)",
        &s, err);
    if (rc < 0)
        return rc;
    while ((rc = st->be->step(s, err)) > 0) {
        ccountry *c = clist_find(l, st->be->col_text(s, 0));
        if (!c)
            continue;
        const char *status = st->be->col_text(s, 2);
        c->status = status && !strcmp(status, "has") ? GCA_CIRT_HAS
                                                     : GCA_CIRT_NONE;
        if (set(&c->ref, st->be->col_text(s, 1)) < 0 ||
            set(&c->team, st->be->col_text(s, 3)) < 0 ||
            set(&c->source, st->be->col_text(s, 4)) < 0 ||
            set(&c->evidence, st->be->col_text(s, 5)) < 0 ||
            set(&c->by, st->be->col_text(s, 6)) < 0 ||
            set(&c->at, st->be->col_text(s, 7)) < 0 ||
            set(&c->origin, "record") < 0) {
            rc = gca_fail(err, GCA_ENOMEM, st->path, 0, 0, "out of memory");
            break;
        }
    }
    st->be->finalize(s);
    return rc < 0 ? rc : 0;
}

static int clist_load(gca_store *st, clist *l, gca_err *err)
{
    int rc = gca__store_require_latest(st, err);
    if (rc == 0)
        rc = clist_countries(st, l, err);
    if (rc == 0)
        rc = clist_kb(st, l, err);
    if (rc == 0)
        rc = clist_records(st, l, err);
    if (rc < 0)
        clist_release(l);
    return rc;
}

static void count(gca_cirt_counts *k, int status)
{
    k->total++;
    if (status == GCA_CIRT_HAS)
        k->has++;
    else if (status == GCA_CIRT_NONE)
        k->none++;
    else
        k->unknown++;
}

int gca_cirt_status(gca_store *st, const char *iso3, gca_cirt_country_fn fn,
                    void *ctx, gca_cirt_counts *counts, gca_err *err)
{
    clist l = {NULL, 0};
    gca_cirt_counts k = {0, 0, 0, 0};
    int rc = 0;
    if (iso3)
        rc = gca__country_require(st, iso3, err);
    if (rc == 0)
        rc = clist_load(st, &l, err);
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        const ccountry *c = &l.c[i];
        if (iso3 && strcmp(iso3, c->iso3) != 0)
            continue;
        count(&k, c->status);
        gca_cirt_country out = {c->iso3,     c->name,   c->subregion
                                                            ? c->subregion
                                                            : "",
                                c->status,   c->team,   c->source,
                                c->evidence, c->origin, c->ref,
                                c->by,       c->at};
        if (fn)
            rc = fn(&out, ctx);
    }
    clist_release(&l);
    if (rc == 0 && counts)
        *counts = k;
    return rc;
}

static int status_in_tx(gca_store *st, const char *actor, const char *iso3,
                        const char *status, const char *team,
                        const char *source, const char *evidence,
                        const char *note, gca_err *err)
{
    gca_user u;
    gca__stmt *s = NULL;
    char now[32], object[32];
    int rc = gca__store_actor(st, actor, &u, err);
    if (rc == 0)
        rc = require_writer(st, &u, "record a national CIRT status", err);
    if (rc == 0)
        rc = gca__country_require(st, iso3, err);
    if (rc == 0)
        rc = gca__store_now(st, now, err);
    if (rc == 0)
        rc = st->be->prepare(
            st->conn,
            "INSERT INTO cirt_status_records (iso3, status, team, source, "
            "evidence, note, recorded_by, recorded_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_text(s, 1, iso3);
    st->be->bind_text(s, 2, status);
    st->be->bind_text(s, 3, or_null(team));
    st->be->bind_text(s, 4, source);
    st->be->bind_text(s, 5, or_null(evidence));
    st->be->bind_text(s, 6, or_null(note));
    st->be->bind_text(s, 7, actor);
    st->be->bind_text(s, 8, now);
    rc = st->be->step(s, err);
    st->be->finalize(s);
    if (rc < 0)
        return rc;
    json_t *data = json_pack("{s:s, s:s, s:s?, s:s, s:s?}", "country", iso3,
                             "status", status, "team", or_null(team),
                             "source", source, "evidence", or_null(evidence));
    if (!data)
        return gca_fail(err, GCA_ENOMEM, st->path, 0, 0, "out of memory");
    snprintf(object, sizeof object, "cirt/status/%s", iso3);
    rc = gca__audit_append(st, actor, "cirt.status", object, data, err);
    json_decref(data);
    return rc;
}

int gca_cirt_status_set(gca_store *st, const char *actor, const char *iso3,
                        const char *status, const char *team,
                        const char *source, const char *evidence,
                        const char *note, gca_err *err)
{
    int rc = 0;
    if (!status || (strcmp(status, "has") != 0 && strcmp(status, "none") != 0))
        rc = gca_fail(err, GCA_EINVAL, "status", 0, 0,
                      "status '%.16s' is not has or none (unknown is what "
                      "no record says)",
                      status ? status : "");
    if (rc == 0 && or_null(team) && strcmp(status, "has") != 0)
        rc = gca_fail(err, GCA_EINVAL, "team", 0, 0,
                      "a team goes only with status has");
    if (rc == 0)
        rc = check_required(st, "source", source, GCA_CIRT_TEXT_MAX, err);
    if (rc == 0)
        rc = gca__check_text(st, "team", team, GCA_CIRT_NAME_MAX, err);
    if (rc == 0)
        rc = gca__check_text(st, "evidence", evidence, GCA_CIRT_TEXT_MAX,
                             err);
    if (rc == 0)
        rc = gca__check_text(st, "note", note, GCA_CIRT_TEXT_MAX, err);
    if (rc == 0)
        rc = gca__store_require_latest(st, err);
    if (rc == 0)
        rc = st->be->begin(st->conn, err);
    if (rc == 0)
        rc = status_in_tx(st, actor, iso3, status, team, source, evidence,
                          note, err);
    if (rc == 0)
        rc = st->be->commit(st->conn, err);
    if (rc < 0)
        st->be->rollback(st->conn);
    return rc;
}

/* ====== Inputs of the prioritisation ====== */

void gca_cirt_pdata_release(gca_cirt_pdata *d)
{
    if (!d)
        return;
    for (size_t i = 0; d->names && i < d->n; i++)
        gca_free(d->names[i]);
    gca_free(d->names);
    gca_free(d->in);
    gca_free(d->shut);
    memset(d, 0, sizeof *d);
}

static int pillar_index(const char *node)
{
    for (int k = 0; node && k < GCA_CIRT_NPILLARS; k++)
        if (!strcmp(node, gca_cirt_pillars[k]))
            return k;
    return -1;
}

static gca_cirt_pinput *pfind(gca_cirt_pdata *d, const char *iso3)
{
    for (size_t i = 0; iso3 && i < d->n; i++)
        if (!strcmp(d->in[i].iso3, iso3))
            return &d->in[i];
    return NULL;
}

static int load_scores(gca_store *st, const char *edition, gca_cirt_pdata *d,
                       gca_err *err)
{
    gca__stmt *s = NULL;
    int rc;
    if (edition) {
        rc = st->be->prepare(st->conn,
                             "SELECT 1 FROM editions WHERE code = ?", &s,
                             err);
        if (rc < 0)
            return rc;
        st->be->bind_text(s, 1, edition);
        rc = st->be->step(s, err);
        st->be->finalize(s);
        if (rc == 0)
            rc = gca_fail(err, GCA_ENOTFOUND, "edition", 0, 0,
                          "no edition '%.80s'", edition);
        if (rc < 0)
            return rc;
        rc = st->be->prepare(st->conn,
                             "SELECT s.country, s.node, s.score FROM "
                             "edition_scores s JOIN editions e ON "
                             "e.id = s.edition WHERE e.code = ?",
                             &s, err);
    } else {
        rc = st->be->prepare(st->conn,
                             "SELECT iso3, node, score FROM "
                             "published_results WHERE edition = ?",
                             &s, err);
    }
    if (rc < 0)
        return rc;
    st->be->bind_text(s, 1, edition ? edition : "GCI 2020");
    while ((rc = st->be->step(s, err)) > 0) {
        gca_cirt_pinput *in = pfind(d, st->be->col_text(s, 0));
        const char *node = st->be->col_text(s, 1);
        double v = st->be->col_double(s, 2);
        if (!in || !node)
            continue;
        int k = pillar_index(node);
        if (k >= 0)
            in->pillars[k] = v;
        else if (!strcmp(node, "GCI"))
            in->index = v;
    }
    st->be->finalize(s);
    return rc < 0 ? rc : 0;
}

/* Column `want` of the header of `c`, or an error. */
static int csv_col(const gca_csv *c, const char *name, const char *want,
                   int *out, gca_err *err)
{
    for (size_t j = 0; j < c->ncol; j++)
        if (gca_str_eq(GCA_CSV_CELL(c, 0, j)->text, want)) {
            *out = (int)j;
            return 0;
        }
    return gca_fail(err, GCA_EPARSE, name, 1, 1, "missing column '%s'", want);
}

static int load_shutdowns(gca_cirt_pdata *d, gca_err *err)
{
    const gca__blob *b = gca__embedded(SHUTDOWNS_FILE);
    gca_csv c = {0};
    int ci, cy, cn, ct;
    if (!b)
        return 0; /* not in this build: the factor is left out */
    int rc = gca_csv_parse(b->data, b->len, b->name, 100000, 32, &c, err);
    if (rc == 0)
        rc = csv_col(&c, b->name, "iso3", &ci, err);
    if (rc == 0)
        rc = csv_col(&c, b->name, "year", &cy, err);
    if (rc == 0)
        rc = csv_col(&c, b->name, "shutdowns", &cn, err);
    if (rc == 0)
        rc = csv_col(&c, b->name, "count_type", &ct, err);
    if (rc == 0 && !(d->shut = gca_calloc(c.nrow ? c.nrow : 1,
                                          sizeof *d->shut)))
        rc = gca_fail(err, GCA_ENOMEM, b->name, 0, 0, "out of memory");
    if (rc < 0) {
        gca_csv_release(&c);
        return rc;
    }
    /* Rows grouped per country so that each input points at its own
     * run of d->shut: one pass per country keeps it simple (86 rows). */
    size_t k = 0;
    for (size_t i = 0; rc == 0 && i < d->n; i++) {
        gca_cirt_pinput *in = &d->in[i];
        in->have_shutdown_data = 1;
        in->shutdowns = &d->shut[k];
        for (size_t r = 1; rc == 0 && r <= c.nrow; r++) {
            const gca_csv_cell *iso = GCA_CSV_CELL(&c, r, ci);
            if (!gca_str_eq(iso->text, in->iso3))
                continue;
            const gca_csv_cell *y = GCA_CSV_CELL(&c, r, cy);
            const gca_csv_cell *n = GCA_CSV_CELL(&c, r, cn);
            const gca_csv_cell *t = GCA_CSV_CELL(&c, r, ct);
            long year = 0;
            double v = 0;
            if (!gca_parse_int(y->text, 1900, 2099, &year))
                rc = gca_fail(err, GCA_EPARSE, b->name, y->line, y->col,
                              "year '%.16s' is not 1900 to 2099", y->text.ptr);
            else if (!gca_parse_double(n->text, &v) || !(v >= 0) ||
                     !isfinite(v))
                rc = gca_fail(err, GCA_EPARSE, b->name, n->line, n->col,
                              "shutdowns '%.16s' is not a count",
                              n->text.ptr);
            else if (!gca_str_eq(t->text, "reported") &&
                     !gca_str_eq(t->text, "at_least"))
                rc = gca_fail(err, GCA_EPARSE, b->name, t->line, t->col,
                              "count_type '%.16s' is not reported or "
                              "at_least",
                              t->text.ptr);
            else {
                d->shut[k].year = (int)year;
                d->shut[k].count = v;
                d->shut[k].at_least = gca_str_eq(t->text, "at_least");
                k++;
                in->nshutdowns++;
            }
        }
    }
    d->have_shutdowns = rc == 0;
    gca_csv_release(&c);
    return rc;
}

static int load_users(const char *data, size_t len, const char *name,
                      gca_cirt_pdata *d, gca_err *err)
{
    gca_csv c = {0};
    int ci, cv, cs;
    int rc = gca_csv_parse(data, len, name, 100000, 16, &c, err);
    if (rc == 0)
        rc = csv_col(&c, name, "iso3", &ci, err);
    if (rc == 0)
        rc = csv_col(&c, name, "value", &cv, err);
    if (rc == 0)
        rc = csv_col(&c, name, "source", &cs, err);
    for (size_t r = 1; rc == 0 && r <= c.nrow; r++) {
        const gca_csv_cell *iso = GCA_CSV_CELL(&c, r, ci);
        const gca_csv_cell *val = GCA_CSV_CELL(&c, r, cv);
        const gca_csv_cell *src = GCA_CSV_CELL(&c, r, cs);
        gca_cirt_pinput *in = pfind(d, iso->text.ptr);
        double v = 0;
        if (!in)
            rc = gca_fail(err, GCA_EPARSE, name, iso->line, iso->col,
                          "unknown country '%.16s' (ISO 3166-1 alpha-3)",
                          iso->text.ptr);
        else if (!isnan(in->users))
            rc = gca_fail(err, GCA_EPARSE, name, iso->line, iso->col,
                          "country %s appears twice", in->iso3);
        else if (!gca_parse_double(val->text, &v) || !(v >= 0 && v <= 100))
            rc = gca_fail(err, GCA_EPARSE, name, val->line, val->col,
                          "value '%.16s' is not a percentage 0 to 100",
                          val->text.ptr);
        else if (src->text.len == 0)
            rc = gca_fail(err, GCA_EPARSE, name, src->line, src->col,
                          "no source");
        else
            in->users = v;
    }
    gca_csv_release(&c);
    return rc;
}

int gca_cirt_pdata_load(gca_store *st, const char *edition,
                        const char *users_csv, size_t users_len,
                        const char *users_name, gca_cirt_pdata *out,
                        gca_err *err)
{
    clist l = {NULL, 0};
    gca_cirt_pdata d;
    memset(&d, 0, sizeof d);
    memset(out, 0, sizeof *out);
    int rc = clist_load(st, &l, err);
    if (rc < 0)
        return rc;
    d.n = l.n;
    d.in = gca_calloc(l.n ? l.n : 1, sizeof *d.in);
    d.names = gca_calloc(l.n ? l.n : 1, sizeof *d.names);
    if (!d.in || !d.names)
        rc = gca_fail(err, GCA_ENOMEM, st->path, 0, 0, "out of memory");
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        gca_cirt_pinput *in = &d.in[i];
        memcpy(in->iso3, l.c[i].iso3, sizeof in->iso3);
        in->status = l.c[i].status;
        in->index = NAN;
        for (int k = 0; k < GCA_CIRT_NPILLARS; k++)
            in->pillars[k] = NAN;
        in->users = NAN;
        count(&d.counts, in->status);
        /* Share of the other countries of the sub-region with a CIRT. */
        size_t others = 0, has = 0;
        for (size_t j = 0; l.c[i].subregion && j < l.n; j++)
            if (j != i && l.c[j].subregion &&
                !strcmp(l.c[j].subregion, l.c[i].subregion)) {
                others++;
                has += l.c[j].status == GCA_CIRT_HAS;
            }
        in->region_share = others ? (double)has / (double)others : NAN;
        if (!(d.names[i] = gca_strdup(l.c[i].name)))
            rc = gca_fail(err, GCA_ENOMEM, st->path, 0, 0, "out of memory");
    }
    clist_release(&l);
    if (rc == 0)
        rc = load_scores(st, edition, &d, err);
    if (rc == 0)
        rc = load_shutdowns(&d, err);
    if (rc == 0 && users_csv) {
        d.have_users = 1;
        rc = load_users(users_csv, users_len,
                        users_name ? users_name : "population", &d, err);
    }
    if (rc < 0) {
        gca_cirt_pdata_release(&d);
        return rc;
    }
    *out = d;
    return 0;
}
