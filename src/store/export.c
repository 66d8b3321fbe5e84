/* export.c - an edition written out for anyone to rebuild (gca/workflow.h,
 * docs/workflow.md "Export"): the answers, evidence list and review
 * history the actor may see, the question scores, and the framework,
 * method and data from which `gca build` gives scores.csv again. All
 * files appear together or not at all (core/fs.h, gca_outdir). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "core/fs.h"
#include "gca/audit.h"
#include "render/table.h"
#include "store/score.h"

#include "core/banned.h"

/* Who reads the export: NULL = the public. */
typedef struct reader {
    const gca_user *u;
} reader;

/* Rows of `sql` (edition id bound as ?1) into a table with `header`;
 * column `country_col` and `approved_col` (-1 = none) decide visibility
 * of each row: a row is kept if the reader may see the country's
 * restricted data, or `approved_col` holds "approved"/"public". */
static int query_table(gca_store *st, const char *sql, long long edition,
                       const char *const *header, size_t ncol,
                       const size_t *numeric, size_t nnumeric,
                       int country_col, int public_col,
                       const char *public_value, const reader *rd,
                       gca__table *t, gca_err *err)
{
    gca__stmt *s = NULL;
    int rc = gca__table_init(t, ncol, header);
    if (rc < 0)
        return gca_fail(err, GCA_ENOMEM, "export", 0, 0, "out of memory");
    for (size_t i = 0; i < nnumeric; i++)
        gca__table_numeric(t, numeric[i]);
    rc = st->be->prepare(st->conn, sql, &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_int(s, 1, edition);
    while ((rc = st->be->step(s, err)) > 0) {
        if (country_col >= 0) {
            const char *c = st->be->col_text(s, country_col);
            const char *p = st->be->col_text(s, public_col);
            if (!gca__may_read_restricted(rd->u, c) &&
                !(p && !strcmp(p, public_value)))
                continue;
        }
        size_t r = gca__table_row(t);
        for (size_t c = 0; c < ncol; c++)
            gca__table_text(t, r, c, st->be->col_text(s, (int)c));
    }
    st->be->finalize(s);
    if (rc < 0)
        return rc;
    return t->err ? gca_fail(err, GCA_ENOMEM, "export", 0, 0,
                             "out of memory")
                  : 0;
}

/* Render `t` as CSV (and JSON when `json_name` is not NULL) into `od`. */
static int put_table(gca_outdir *od, const gca__table *t,
                     const char *csv_name, const char *json_name,
                     gca_err *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc = gca__table_render(t, GCA_FORMAT_CSV, &text, &len, err);
    if (rc == 0)
        rc = gca_outdir_write(od, csv_name, text, len, err);
    gca_free(text);
    text = NULL;
    if (rc == 0 && json_name) {
        rc = gca__table_render(t, GCA_FORMAT_JSON, &text, &len, err);
        if (rc == 0)
            rc = gca_outdir_write(od, json_name, text, len, err);
        gca_free(text);
    }
    return rc;
}

static int put_answers(gca_store *st, gca_outdir *od, const gca_edition *e,
                       const reader *rd, gca_err *err)
{
    static const char *const header[] = {
        "country", "question", "indicator", "value", "comment", "state",
        "source", "confirmed_by", "confirmed_at", "review_comment",
        "updated_by", "updated_at", "version"};
    static const size_t numeric[] = {12};
    gca__table t;
    int rc = query_table(
        st,
        "SELECT country, question, indicator, value, comment, state, "
        "source, confirmed_by, confirmed_at, review_comment, updated_by, "
        "updated_at, version FROM answers WHERE edition = ?1 "
        "ORDER BY country, question",
        e->id, header, 13, numeric, 1, 0, 5, "approved", rd, &t, err);
    if (rc == 0)
        rc = put_table(od, &t, "answers.csv", "answers.json", err);
    gca__table_release(&t);
    return rc;
}

static int put_evidence(gca_store *st, gca_outdir *od, const gca_edition *e,
                        const reader *rd, gca_err *err)
{
    static const char *const header[] = {
        "id", "country", "question", "kind", "url", "retrieved", "sha256",
        "size", "mime", "file_name", "visibility", "note", "added_by",
        "added_at"};
    static const size_t numeric[] = {0, 7};
    gca__table t;
    int rc = query_table(
        st,
        "SELECT v.id, v.country, v.question, v.kind, v.url, v.retrieved, "
        "v.blob, b.size, b.mime, v.file_name, v.visibility, v.note, "
        "v.added_by, v.added_at FROM evidence v LEFT JOIN blobs b "
        "ON b.sha256 = v.blob WHERE v.edition = ?1 "
        "ORDER BY v.country, v.question, v.id",
        e->id, header, 14, numeric, 2, 1, 10, "public", rd, &t, err);
    if (rc == 0)
        rc = put_table(od, &t, "evidence.csv", "evidence.json", err);
    gca__table_release(&t);
    return rc;
}

/* ====== Review history: the answers' audit events ====== */

typedef struct history {
    gca_store *st;
    const gca_edition *e;
    const reader *rd;
    gca__table t;
    size_t prefix_len;
    int rc;
    gca_err *err;
} history;

/* 1 if the answer of `country` to `question` is approved (what the
 * public sees of an answer). */
static int answer_approved(history *h, const char *country,
                           const char *question)
{
    gca__stmt *s = NULL;
    if (h->st->be->prepare(h->st->conn,
                           "SELECT state = 'approved' FROM answers WHERE "
                           "edition = ? AND country = ? AND question = ?",
                           &s, h->err) < 0)
        return -1;
    h->st->be->bind_int(s, 1, h->e->id);
    h->st->be->bind_text(s, 2, country);
    h->st->be->bind_text(s, 3, question);
    int rc = h->st->be->step(s, h->err);
    int yes = rc > 0 && h->st->be->col_int(s, 0) == 1;
    h->st->be->finalize(s);
    return rc < 0 ? -1 : yes;
}

static int history_row(const gca_audit_event *ev, void *ctx)
{
    history *h = ctx;
    /* object: edition/CODE/answer/ISO3/QUESTION */
    const char *rest = ev->object + h->prefix_len;
    const char *slash = strchr(rest, '/');
    char country[4] = "";
    if (!slash || slash - rest != 3)
        return 0;
    memcpy(country, rest, 3);
    const char *question = slash + 1;
    if (!gca__may_read_restricted(h->rd->u, country)) {
        int ok = answer_approved(h, country, question);
        if (ok < 0) {
            h->rc = h->err->code ? h->err->code : GCA_EINTERNAL;
            return 1;
        }
        if (!ok)
            return 0;
    }
    char seq[32];
    snprintf(seq, sizeof seq, "%lld", ev->seq);
    size_t r = gca__table_row(&h->t);
    gca__table_text(&h->t, r, 0, seq);
    gca__table_text(&h->t, r, 1, ev->at);
    gca__table_text(&h->t, r, 2, ev->actor);
    gca__table_text(&h->t, r, 3, ev->action);
    gca__table_text(&h->t, r, 4, country);
    gca__table_text(&h->t, r, 5, question);
    gca__table_text(&h->t, r, 6, ev->payload);
    gca__table_text(&h->t, r, 7, ev->hash);
    return 0;
}

static int put_history(gca_store *st, gca_outdir *od, const gca_edition *e,
                       const reader *rd, gca_err *err)
{
    static const char *const header[] = {"seq",     "at",      "actor",
                                         "action",  "country", "question",
                                         "data",    "hash"};
    char prefix[GCA_EDITION_CODE_MAX + 32];
    snprintf(prefix, sizeof prefix, "edition/%s/answer/", e->code);
    history h = {.st = st, .e = e, .rd = rd, .err = err,
                 .prefix_len = strlen(prefix)};
    if (gca__table_init(&h.t, 8, header) < 0)
        return gca_fail(err, GCA_ENOMEM, "export", 0, 0, "out of memory");
    gca__table_numeric(&h.t, 0);
    gca_audit_filter f = {.object_prefix = prefix};
    int rc = gca_audit_list(st, &f, history_row, &h, err);
    if (rc > 0)
        rc = h.rc;
    if (rc == 0 && h.t.err)
        rc = gca_fail(err, GCA_ENOMEM, "export", 0, 0, "out of memory");
    if (rc == 0)
        rc = put_table(od, &h.t, "history.csv", NULL, err);
    gca__table_release(&h.t);
    return rc;
}

/* ====== Scores and the inputs that rebuild them ====== */

static const char readme[] =
    "This directory is an edition exported by gca (gca export).\n"
    "\n"
    "answers.csv/.json    answers (the public sees approved ones)\n"
    "evidence.csv/.json   evidence items (restricted ones only for those\n"
    "                     who may see them)\n"
    "history.csv          the review events of those answers, from the\n"
    "                     audit log (data = the event's payload)\n"
    "question_scores.csv  the score of every question per country\n"
    "                     (unanswered = 0)\n"
    "data.csv             indicator values: the weighted mean of the\n"
    "                     question scores of each indicator\n"
    "framework.json       the framework scored (indicators that ask no\n"
    "                     question left out)\n"
    "method.json          the edition's method\n"
    "scores.csv, ranks.csv, tiers.csv  the results\n"
    "\n"
    "Rebuild the results with\n"
    "  gca build --meta framework.json --data data.csv \\\n"
    "      --method method.json --out rebuilt\n"
    "and compare rebuilt/scores.csv with scores.csv.\n";

static int put_build(gca_outdir *od, const ebuild *b, gca_err *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc = gca_outdir_write(od, "README.txt", readme, sizeof readme - 1,
                              err);
    if (rc == 0)
        rc = gca_framework_to_json(b->fws, &text, &len, err);
    if (rc == 0)
        rc = gca_outdir_write(od, "framework.json", text, len, err);
    gca_free(text);
    text = NULL;
    if (rc == 0)
        rc = gca_outdir_write(od, "method.json", b->method_json,
                              strlen(b->method_json), err);
    if (rc == 0)
        rc = gca_outdir_write(od, "data.csv", b->data_csv, b->data_len, err);
    if (rc == 0)
        rc = gca_outdir_write(od, "question_scores.csv", b->qscores_csv,
                              b->qscores_len, err);
    if (rc < 0 || !b->res)
        return rc;
    rc = gca_render_scores(b->res, 0, GCA_FORMAT_CSV, &text, &len, err);
    if (rc == 0)
        rc = gca_outdir_write(od, "scores.csv", text, len, err);
    gca_free(text);
    text = NULL;
    if (rc == 0)
        rc = gca_render_scores(b->res, 1, GCA_FORMAT_CSV, &text, &len, err);
    if (rc == 0)
        rc = gca_outdir_write(od, "ranks.csv", text, len, err);
    gca_free(text);
    text = NULL;
    if (rc == 0 && gca_framework_ntiers(b->fws) > 0) {
        rc = gca_render_tiers(b->res, GCA_FORMAT_CSV, &text, &len, err);
        if (rc == 0)
            rc = gca_outdir_write(od, "tiers.csv", text, len, err);
        gca_free(text);
    }
    return rc;
}

int gca_edition_export(gca_store *st, const char *actor, const char *code,
                       const char *dir, gca_err *err)
{
    gca_user u;
    reader rd = {NULL};
    gca_edition e;
    ebuild b;
    gca_outdir od;
    int rc = 0;
    if (actor) {
        rc = gca__store_actor(st, actor, &u, err);
        rd.u = &u;
    }
    if (rc == 0)
        rc = gca__edition_load(st, code, &e, err);
    if (rc == 0)
        rc = gca__ebuild(st, &e, &b, err);
    if (rc < 0)
        return rc;
    rc = gca_outdir_begin(&od, dir, err);
    if (rc == 0) {
        rc = put_answers(st, &od, &e, &rd, err);
        if (rc == 0)
            rc = put_evidence(st, &od, &e, &rd, err);
        if (rc == 0)
            rc = put_history(st, &od, &e, &rd, err);
        if (rc == 0)
            rc = put_build(&od, &b, err);
        if (rc == 0)
            rc = gca_outdir_commit(&od, err);
        else
            gca_outdir_abort(&od);
    }
    gca__ebuild_release(&b);
    return rc;
}
