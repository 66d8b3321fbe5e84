/* score.c - scoring an edition from its approved answers (gca/workflow.h,
 * docs/workflow.md "Scoring"): question scores from the framework's
 * scoring map, indicator values as weighted means, then the edition's
 * method through the same pipeline as `gca build`, so that the data file
 * this makes (and `gca export` writes) rebuilds the same scores. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "gca/render.h"
#include "store/audit.h"
#include "store/score.h"

#include "core/banned.h"

int gca_question_score(const gca_question *q, const char *value,
                       double *score, gca_err *err)
{
    if (!value)
        return gca_fail(err, GCA_EINVAL, "value", 0, 0, "no value");
    if (q->type == GCA_ANSWER_NUMBER) {
        char *end = NULL;
        double v = strtod(value, &end);
        if (end == value || *end || !isfinite(v))
            return gca_fail(err, GCA_EINVAL, "value", 0, 0,
                            "'%.40s' is not a number (question %s)", value,
                            q->code);
        /* A range makes the answer a share of it; open ranges score the
         * number itself. */
        if (isfinite(q->min) && isfinite(q->max) && q->max > q->min) {
            v = (v - q->min) / (q->max - q->min);
            v = v < 0 ? 0 : v > 1 ? 1 : v;
        }
        *score = v;
        return 0;
    }
    for (size_t i = 0; i < q->nchoices; i++)
        if (!strcmp(q->choices[i].value, value)) {
            *score = q->choices[i].score;
            return 0;
        }
    return gca_fail(err, GCA_EINVAL, "value", 0, 0,
                    "'%.40s' is not an answer of question %s", value,
                    q->code);
}

/* ====== Reading the approved answers ====== */

/* Per country: the score of every question (NaN = no approved answer),
 * in the order of `qs`. */
typedef struct country_row {
    char iso3[4];
    char *name;
    double *qscore; /* [nq] */
} country_row;

/* The questions of the scored framework in node order. */
typedef struct question_ref {
    const gca_question *q;
    int node; /* index in the scored framework */
} question_ref;

static int collect_questions(ebuild *b, gca_err *err)
{
    size_t n = gca_framework_nnodes(b->fws), nq = 0;
    for (size_t i = 0; i < n; i++)
        nq += gca_framework_node_at(b->fws, i)->nquestions;
    b->qs = gca_calloc(nq ? nq : 1, sizeof *b->qs);
    if (!b->qs)
        return gca_fail(err, GCA_ENOMEM, "edition", 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const gca_node *nd = gca_framework_node_at(b->fws, i);
        for (size_t q = 0; q < nd->nquestions; q++) {
            b->qs[b->nq].q = &nd->questions[q];
            b->qs[b->nq].node = (int)i;
            b->nq++;
        }
    }
    return 0;
}

/* Index of question `code` in b->qs: a binary search would need a
 * sorted copy; questions are few (hundreds) and answers come in question
 * order per country, so the search starts where the last one ended. */
static long find_q(const ebuild *b, const char *code, size_t *hint)
{
    for (size_t k = 0; k < b->nq; k++) {
        size_t i = (*hint + k) % b->nq;
        if (!strcmp(b->qs[i].q->code, code)) {
            *hint = i + 1;
            return (long)i;
        }
    }
    return -1;
}

static int add_country(ebuild *b, const char *iso3, const char *name,
                       gca_err *err)
{
    if (b->ncountries == b->capcountries) {
        size_t cap = b->capcountries ? 2 * b->capcountries : 64;
        country_row *r = gca_realloc(b->countries, cap * sizeof *r);
        if (!r)
            return gca_fail(err, GCA_ENOMEM, "edition", 0, 0,
                            "out of memory");
        b->countries = r;
        b->capcountries = cap;
    }
    country_row *c = &b->countries[b->ncountries];
    memset(c, 0, sizeof *c);
    snprintf(c->iso3, sizeof c->iso3, "%s", iso3);
    c->name = gca_strdup(name ? name : iso3);
    c->qscore = gca_malloc((b->nq ? b->nq : 1) * sizeof *c->qscore);
    if (!c->name || !c->qscore) {
        gca_free(c->name);
        gca_free(c->qscore);
        return gca_fail(err, GCA_ENOMEM, "edition", 0, 0, "out of memory");
    }
    for (size_t i = 0; i < b->nq; i++)
        c->qscore[i] = NAN;
    b->ncountries++;
    return 0;
}

static int read_answers(gca_store *st, ebuild *b, long long edition,
                        gca_err *err)
{
    gca__stmt *s = NULL;
    int rc = st->be->prepare(st->conn,
                             "SELECT a.country, c.name, a.question, a.value "
                             "FROM answers a JOIN countries c "
                             "ON c.iso3 = a.country WHERE a.edition = ? "
                             "AND a.state = 'approved' "
                             "ORDER BY a.country, a.question",
                             &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_int(s, 1, edition);
    size_t hint = 0;
    while ((rc = st->be->step(s, err)) > 0) {
        const char *iso3 = st->be->col_text(s, 0);
        const char *qcode = st->be->col_text(s, 2);
        const char *value = st->be->col_text(s, 3);
        if (!iso3 || !qcode)
            continue;
        if (b->ncountries == 0 ||
            strcmp(b->countries[b->ncountries - 1].iso3, iso3) != 0) {
            rc = add_country(b, iso3, st->be->col_text(s, 1), err);
            if (rc < 0)
                break;
        }
        long qi = find_q(b, qcode, &hint);
        if (qi < 0)
            continue; /* a question of an indicator not scored */
        double v;
        rc = gca_question_score(b->qs[qi].q, value, &v, err);
        if (rc < 0) {
            gca_fail(err, rc, "edition", 0, 0,
                     "approved answer of %s to %s: %s", iso3, qcode,
                     err->msg);
            break;
        }
        b->countries[b->ncountries - 1].qscore[qi] = v;
    }
    st->be->finalize(s);
    return rc < 0 ? rc : 0;
}

/* ====== The data the pipeline reads ====== */

/* Indicator value of country `c` at scored node `node`: the weighted
 * mean of its question scores, an unanswered question scoring 0. */
static double indicator_value(const ebuild *b, const country_row *c,
                              int node)
{
    double sw = 0, s = 0;
    for (size_t i = 0; i < b->nq; i++) {
        if (b->qs[i].node != node)
            continue;
        double w = b->qs[i].q->weight;
        sw += w;
        if (!isnan(c->qscore[i]))
            s += w * c->qscore[i];
    }
    return sw > 0 ? s / sw : NAN;
}

static int write_data(ebuild *b, gca_err *err)
{
    gca_buf d, q;
    gca_buf_init(&d, GCA_MAX_DATA_FILE);
    gca_buf_init(&q, GCA_MAX_DATA_FILE);
    size_t n = gca_framework_nnodes(b->fws);
    gca_buf_puts(&d, "uCode,uName");
    for (size_t i = 0; i < n; i++) {
        const gca_node *nd = gca_framework_node_at(b->fws, i);
        if (nd->type == GCA_NODE_INDICATOR) {
            gca_buf_putc(&d, ',');
            gca_buf_csv_field(&d, nd->code);
        }
    }
    gca_buf_puts(&d, "\n");
    gca_buf_puts(&q, "uCode,indicator,question,score\n");
    for (size_t c = 0; c < b->ncountries; c++) {
        const country_row *r = &b->countries[c];
        gca_buf_csv_field(&d, r->iso3);
        gca_buf_putc(&d, ',');
        gca_buf_csv_field(&d, r->name);
        for (size_t i = 0; i < n; i++)
            if (gca_framework_node_at(b->fws, i)->type ==
                GCA_NODE_INDICATOR) {
                gca_buf_putc(&d, ',');
                gca_buf_double(&d, indicator_value(b, r, (int)i), "NA");
            }
        gca_buf_puts(&d, "\n");
        for (size_t i = 0; i < b->nq; i++) {
            gca_buf_printf(&q, "%s,", r->iso3);
            gca_buf_csv_field(
                &q, gca_framework_node_at(b->fws, (size_t)b->qs[i].node)
                        ->code);
            gca_buf_putc(&q, ',');
            gca_buf_csv_field(&q, b->qs[i].q->code);
            gca_buf_putc(&q, ',');
            gca_buf_double(&q, isnan(r->qscore[i]) ? 0 : r->qscore[i],
                           "NA");
            gca_buf_puts(&q, "\n");
        }
    }
    if (gca_buf_error(&d) || gca_buf_error(&q)) {
        gca_buf_release(&d);
        gca_buf_release(&q);
        return gca_fail(err, GCA_ENOMEM, "edition", 0, 0, "out of memory");
    }
    b->data_csv = gca_buf_detach(&d, &b->data_len);
    b->qscores_csv = gca_buf_detach(&q, &b->qscores_len);
    return 0;
}

/* The framework to score: the edition's without indicators that ask no
 * question (nothing could give them a value). */
static int scored_framework(ebuild *b, gca_err *err)
{
    size_t n = gca_framework_nnodes(b->fw), nx = 0, nind = 0;
    const char **drop = gca_calloc(n ? n : 1, sizeof *drop);
    if (!drop)
        return gca_fail(err, GCA_ENOMEM, "edition", 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const gca_node *nd = gca_framework_node_at(b->fw, i);
        if (nd->type != GCA_NODE_INDICATOR)
            continue;
        nind++;
        if (nd->nquestions == 0)
            drop[nx++] = nd->code;
    }
    int rc;
    if (nx == nind)
        rc = gca_fail(err, GCA_EFRAMEWORK, "framework", 0, 0,
                      "no indicator of framework %s asks a question",
                      gca_framework_code(b->fw));
    else
        rc = gca_framework_exclude(b->fw, drop, nx, &b->fws, err);
    gca_free(drop);
    return rc;
}

void gca__ebuild_release(ebuild *b)
{
    gca_result_free(b->res);
    gca_dataset_free(b->ds);
    gca_method_free(b->m);
    gca_framework_free(b->fws);
    gca_framework_free(b->fw);
    for (size_t i = 0; i < b->ncountries; i++) {
        gca_free(b->countries[i].name);
        gca_free(b->countries[i].qscore);
    }
    gca_free(b->countries);
    gca_free(b->qs);
    gca_free(b->data_csv);
    gca_free(b->qscores_csv);
    gca_free(b->method_json);
    memset(b, 0, sizeof *b);
}

/* The text of the edition's method: its own, else the framework's. */
static int method_text(gca_store *st, const gca_edition *e, ebuild *b,
                       gca_err *err)
{
    gca__stmt *s = NULL;
    int rc = st->be->prepare(st->conn,
                             "SELECT method_json FROM editions WHERE id = ?",
                             &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_int(s, 1, e->id);
    rc = st->be->step(s, err);
    const char *t = rc > 0 ? st->be->col_text(s, 0) : NULL;
    b->method_json = gca_strdup(t ? t : gca_method_default_json(b->fw));
    st->be->finalize(s);
    if (rc < 0)
        return rc;
    return b->method_json ? 0
                          : gca_fail(err, GCA_ENOMEM, "edition", 0, 0,
                                     "out of memory");
}

int gca__ebuild(gca_store *st, const gca_edition *e, ebuild *b,
                gca_err *err)
{
    memset(b, 0, sizeof *b);
    int rc = gca_edition_framework(st, e->code, &b->fw, &b->m, err);
    if (rc == 0)
        rc = method_text(st, e, b, err);
    if (rc == 0)
        rc = scored_framework(b, err);
    if (rc == 0)
        rc = collect_questions(b, err);
    if (rc == 0)
        rc = read_answers(st, b, e->id, err);
    if (rc == 0)
        rc = write_data(b, err);
    if (rc == 0 && b->ncountries > 0) {
        rc = gca_dataset_read_csv_mem(b->data_csv, b->data_len, "data.csv",
                                      &b->ds, err);
        if (rc == 0)
            rc = gca_dataset_bind(b->ds, b->fws, NULL, NULL, err);
        if (rc == 0)
            rc = gca_build(b->fws, b->ds, b->m, 0, &b->res, err);
    }
    if (rc < 0)
        gca__ebuild_release(b);
    return rc;
}

/* ====== Storing the scores ====== */

static int store_scores(gca_store *st, const gca_edition *e,
                        const ebuild *b, gca_err *err)
{
    gca__stmt *s = NULL;
    int rc = st->be->prepare(st->conn,
                             "DELETE FROM edition_scores WHERE edition = ?",
                             &s, err);
    if (rc == 0) {
        st->be->bind_int(s, 1, e->id);
        rc = st->be->step(s, err);
        st->be->finalize(s);
    }
    if (rc == 0)
        rc = st->be->prepare(st->conn,
                             "DELETE FROM edition_tiers WHERE edition = ?",
                             &s, err);
    if (rc == 0) {
        st->be->bind_int(s, 1, e->id);
        rc = st->be->step(s, err);
        st->be->finalize(s);
    }
    if (rc < 0 || !b->res)
        return rc < 0 ? rc : 0;

    const gca_dset *d = gca_result_final(b->res);
    const gca_dset *rk = gca_result_ranks(b->res);
    if (!rk)
        return gca_fail(err, GCA_ENOMEM, "edition", 0, 0, "out of memory");
    rc = st->be->prepare(st->conn,
                         "INSERT INTO edition_scores (edition, country, "
                         "node, score, rank) VALUES (?, ?, ?, ?, ?)",
                         &s, err);
    if (rc < 0)
        return rc;
    for (size_t c = 0; c < d->ncol && rc == 0; c++)
        for (size_t r = 0; r < d->nrow && rc == 0; r++) {
            double v = GCA_DSET_AT(d, r, c), k = GCA_DSET_AT(rk, r, c);
            st->be->reset(s);
            st->be->bind_int(s, 1, e->id);
            st->be->bind_text(s, 2, d->ucode[r]);
            st->be->bind_text(s, 3, d->icode[c]);
            st->be->bind_double(s, 4, v);
            if (isnan(k))
                st->be->bind_text(s, 5, NULL);
            else
                st->be->bind_int(s, 5, (long long)k);
            rc = st->be->step(s, err);
        }
    st->be->finalize(s);
    if (rc < 0 || gca_framework_ntiers(b->fws) == 0)
        return rc < 0 ? rc : 0;

    int top = gca_framework_top(b->fws);
    const char *topcode = gca_framework_node_at(b->fws, (size_t)top)->code;
    long tc = -1;
    for (size_t c = 0; c < d->ncol; c++)
        if (!strcmp(d->icode[c], topcode))
            tc = (long)c;
    if (tc < 0)
        return 0;
    rc = st->be->prepare(st->conn,
                         "INSERT INTO edition_tiers (edition, country, tier) "
                         "VALUES (?, ?, ?)",
                         &s, err);
    if (rc < 0)
        return rc;
    for (size_t r = 0; r < d->nrow && rc == 0; r++) {
        const gca_tier *t =
            gca_framework_tier_of(b->fws, GCA_DSET_AT(d, r, (size_t)tc));
        st->be->reset(s);
        st->be->bind_int(s, 1, e->id);
        st->be->bind_text(s, 2, d->ucode[r]);
        st->be->bind_text(s, 3, t ? t->code : NULL);
        rc = st->be->step(s, err);
    }
    st->be->finalize(s);
    return rc < 0 ? rc : 0;
}

int gca_edition_score(gca_store *st, const char *actor, const char *code,
                      int *nscored, gca_err *err)
{
    gca_user a;
    gca_edition e;
    ebuild b;
    char now[32], sha[65];
    int rc = gca__store_require_latest(st, err);
    if (rc == 0)
        rc = gca__store_sodium_init(st, err);
    if (rc == 0)
        rc = st->be->begin(st->conn, err);
    if (rc < 0)
        return rc;
    rc = gca__store_actor(st, actor, &a, err);
    if (rc == 0 && strcmp(a.role, "analyst") && strcmp(a.role, "admin"))
        rc = gca_fail(err, GCA_EPERM, st->path, 0, 0,
                      "'%s' (%s) may not score editions: only an analyst "
                      "or an admin may",
                      a.name, a.role);
    if (rc == 0)
        rc = gca__edition_load(st, code, &e, err);
    if (rc == 0 && strcmp(e.state, "open") && strcmp(e.state, "closed"))
        rc = gca_fail(err, GCA_ESTATE, "edition", 0, 0,
                      "cannot score: edition %s is %s, not open or closed",
                      e.code, e.state);
    if (rc == 0)
        rc = gca__ebuild(st, &e, &b, err);
    if (rc < 0) {
        st->be->rollback(st->conn);
        return rc;
    }
    rc = store_scores(st, &e, &b, err);
    if (rc == 0)
        rc = gca__store_now(st, now, err);
    gca__stmt *s = NULL;
    if (rc == 0)
        rc = st->be->prepare(st->conn,
                             "UPDATE editions SET scored_at = ? WHERE id = ?",
                             &s, err);
    if (rc == 0) {
        st->be->bind_text(s, 1, now);
        st->be->bind_int(s, 2, e.id);
        rc = st->be->step(s, err);
        st->be->finalize(s);
    }
    if (rc == 0) {
        gca__sha256_hex(b.data_csv, b.data_len, sha);
        rc = gca__edition_event(st, a.name, "edition.score", &e,
                                json_pack("{s:I, s:s}", "countries",
                                          (json_int_t)b.ncountries,
                                          "data_sha256", sha),
                                err);
    }
    if (rc == 0)
        rc = st->be->commit(st->conn, err);
    if (rc < 0)
        st->be->rollback(st->conn);
    else if (nscored)
        *nscored = (int)b.ncountries;
    gca__ebuild_release(&b);
    return rc;
}
