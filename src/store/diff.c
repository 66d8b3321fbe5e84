/* diff.c - what changed per country between two editions (gca/workflow.h,
 * docs/workflow.md "Edition diff"): approved answers, public evidence,
 * stored scores and tiers. Only what the public may see is compared, so
 * that the diff can be published as it is. */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/workflow.h"

#include "core/banned.h"

/* The object of `country` under "countries" in `out`, made on first use. */
static json_t *country_obj(json_t *out, const char *country)
{
    json_t *cs = json_object_get(out, "countries");
    json_t *c = json_object_get(cs, country);
    if (!c) {
        c = json_pack("{s:[], s:[], s:[]}", "answers", "evidence", "scores");
        if (!c || json_object_set_new(cs, country, c) != 0)
            return NULL;
    }
    return c;
}

static json_t *text_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *num_or_null(gca_store *st, gca__stmt *s, int col)
{
    double v = st->be->col_double(s, col);
    return isfinite(v) ? json_real(v) : json_null();
}

/* Run `sql` with ?1 = new edition id, ?2 = old edition id, ?3 = country
 * (NULL = all), and hand each row to `row`. */
static int each_row(gca_store *st, const char *sql, long long now_id,
                    long long old_id, const char *country,
                    int (*row)(gca_store *, gca__stmt *, json_t *),
                    json_t *out, gca_err *err)
{
    gca__stmt *s = NULL;
    int rc = st->be->prepare(st->conn, sql, &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_int(s, 1, now_id);
    st->be->bind_int(s, 2, old_id);
    st->be->bind_text(s, 3, country);
    while ((rc = st->be->step(s, err)) > 0)
        if (row(st, s, out) < 0) {
            rc = gca_fail(err, GCA_ENOMEM, "diff", 0, 0, "out of memory");
            break;
        }
    st->be->finalize(s);
    return rc < 0 ? rc : 0;
}

static int answer_row(gca_store *st, gca__stmt *s, json_t *out)
{
    json_t *c = country_obj(out, st->be->col_text(s, 0));
    json_t *a = c ? json_pack("{s:s, s:o, s:o}", "question",
                              st->be->col_text(s, 1), "from",
                              text_or_null(st->be->col_text(s, 2)), "to",
                              text_or_null(st->be->col_text(s, 3)))
                  : NULL;
    return a && json_array_append_new(json_object_get(c, "answers"), a) == 0
               ? 0
               : -1;
}

static int evidence_row(gca_store *st, gca__stmt *s, json_t *out)
{
    json_t *c = country_obj(out, st->be->col_text(s, 0));
    json_t *a = c ? json_pack("{s:s, s:s, s:s, s:s}", "question",
                              st->be->col_text(s, 1), "kind",
                              st->be->col_text(s, 2), "item",
                              st->be->col_text(s, 3), "change",
                              st->be->col_int(s, 4) ? "added" : "removed")
                  : NULL;
    return a && json_array_append_new(json_object_get(c, "evidence"), a) == 0
               ? 0
               : -1;
}

static int score_row(gca_store *st, gca__stmt *s, json_t *out)
{
    json_t *c = country_obj(out, st->be->col_text(s, 0));
    json_t *a = c ? json_pack("{s:s, s:o, s:o}", "node",
                              st->be->col_text(s, 1), "from",
                              num_or_null(st, s, 2), "to",
                              num_or_null(st, s, 3))
                  : NULL;
    return a && json_array_append_new(json_object_get(c, "scores"), a) == 0
               ? 0
               : -1;
}

static int tier_row(gca_store *st, gca__stmt *s, json_t *out)
{
    json_t *c = country_obj(out, st->be->col_text(s, 0));
    json_t *t = c ? json_pack("{s:o, s:o}", "from",
                              text_or_null(st->be->col_text(s, 1)), "to",
                              text_or_null(st->be->col_text(s, 2)))
                  : NULL;
    return t && json_object_set_new(c, "tier", t) == 0 ? 0 : -1;
}

static const char answers_sql[] =
    "SELECT COALESCE(n.country, o.country), COALESCE(n.question, "
    "o.question), o.value, n.value FROM "
    "(SELECT country, question, value FROM answers WHERE edition = ?1 "
    "AND state = 'approved') n FULL OUTER JOIN "
    "(SELECT country, question, value FROM answers WHERE edition = ?2 "
    "AND state = 'approved') o "
    "ON n.country = o.country AND n.question = o.question "
    "WHERE o.value IS DISTINCT FROM n.value "
    "AND (?3 IS NULL OR COALESCE(n.country, o.country) = ?3) "
    "ORDER BY 1, 2";

static const char evidence_sql[] =
    "SELECT COALESCE(n.country, o.country), COALESCE(n.question, "
    "o.question), COALESCE(n.kind, o.kind), COALESCE(n.k, o.k), "
    "o.k IS NULL FROM "
    "(SELECT DISTINCT country, question, kind, COALESCE(url, blob) AS k "
    "FROM evidence WHERE edition = ?1 AND visibility = 'public') n "
    "FULL OUTER JOIN "
    "(SELECT DISTINCT country, question, kind, COALESCE(url, blob) AS k "
    "FROM evidence WHERE edition = ?2 AND visibility = 'public') o "
    "ON n.country = o.country AND n.question = o.question AND n.k = o.k "
    "WHERE (n.k IS NULL OR o.k IS NULL) "
    "AND (?3 IS NULL OR COALESCE(n.country, o.country) = ?3) "
    "ORDER BY 1, 2, 4";

static const char scores_sql[] =
    "SELECT COALESCE(n.country, o.country), COALESCE(n.node, o.node), "
    "o.score, n.score FROM "
    "(SELECT country, node, score FROM edition_scores WHERE edition = ?1) n "
    "FULL OUTER JOIN "
    "(SELECT country, node, score FROM edition_scores WHERE edition = ?2) o "
    "ON n.country = o.country AND n.node = o.node "
    "WHERE o.score IS DISTINCT FROM n.score "
    "AND (?3 IS NULL OR COALESCE(n.country, o.country) = ?3) "
    "ORDER BY 1, 2";

static const char tiers_sql[] =
    "SELECT COALESCE(n.country, o.country), o.tier, n.tier FROM "
    "(SELECT country, tier FROM edition_tiers WHERE edition = ?1) n "
    "FULL OUTER JOIN "
    "(SELECT country, tier FROM edition_tiers WHERE edition = ?2) o "
    "ON n.country = o.country WHERE o.tier IS DISTINCT FROM n.tier "
    "AND (?3 IS NULL OR COALESCE(n.country, o.country) = ?3) ORDER BY 1";

/* The latest edition of the same framework before `e`. */
static int previous_edition(gca_store *st, const gca_edition *e,
                            gca_edition *prev, gca_err *err)
{
    gca__stmt *s = NULL;
    char code[GCA_EDITION_CODE_MAX + 1] = "";
    int rc = st->be->prepare(st->conn,
                             "SELECT code FROM editions WHERE framework = ? "
                             "AND year < ? ORDER BY year DESC LIMIT 1",
                             &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_text(s, 1, e->framework);
    st->be->bind_int(s, 2, e->year);
    rc = st->be->step(s, err);
    if (rc > 0)
        snprintf(code, sizeof code, "%s", st->be->col_text(s, 0));
    st->be->finalize(s);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return gca_fail(err, GCA_ENOTFOUND, "from", 0, 0,
                        "edition %s has no earlier edition of %s to compare "
                        "with",
                        e->code, e->framework);
    return gca__edition_load(st, code, prev, err);
}

int gca_edition_diff(gca_store *st, const char *code, const char *from,
                     const char *country, char **out, gca_err *err)
{
    gca_edition e, o;
    int rc = gca__edition_load(st, code, &e, err);
    if (rc == 0)
        rc = from ? gca__edition_load(st, from, &o, err)
                  : previous_edition(st, &e, &o, err);
    if (rc == 0 && country)
        rc = gca__country_require(st, country, err);
    if (rc < 0)
        return rc;
    if (strcmp(e.framework, o.framework) != 0)
        return gca_fail(err, GCA_EINVAL, "from", 0, 0,
                        "editions %s (%s) and %s (%s) are of different "
                        "frameworks",
                        e.code, e.framework, o.code, o.framework);
    json_t *doc = json_pack("{s:s, s:s, s:s, s:o, s:o, s:{}}", "edition",
                            e.code, "from", o.code, "framework",
                            e.framework, "scored",
                            e.scored_at[0] ? json_string(e.scored_at)
                                           : json_null(),
                            "from_scored",
                            o.scored_at[0] ? json_string(o.scored_at)
                                           : json_null(),
                            "countries");
    if (!doc)
        return gca_fail(err, GCA_ENOMEM, "diff", 0, 0, "out of memory");
    rc = each_row(st, answers_sql, e.id, o.id, country, answer_row, doc, err);
    if (rc == 0)
        rc = each_row(st, evidence_sql, e.id, o.id, country, evidence_row,
                      doc, err);
    if (rc == 0)
        rc = each_row(st, scores_sql, e.id, o.id, country, score_row, doc,
                      err);
    if (rc == 0)
        rc = each_row(st, tiers_sql, e.id, o.id, country, tier_row, doc,
                      err);
    if (rc == 0) {
        char *text = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS |
                                         JSON_REAL_PRECISION(17));
        *out = text ? gca_strdup(text) : NULL;
        free(text);
        if (!*out)
            rc = gca_fail(err, GCA_ENOMEM, "diff", 0, 0, "out of memory");
    }
    json_decref(doc);
    return rc;
}
