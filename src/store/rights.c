/* rights.c - the store's reads for the rights lens (gca/rights.h,
 * docs/rights.md): rights measures and national CIRTs from the knowledge
 * base, a country's security figures kept apart from them, rankings, and
 * the analyst warning over an edition's legal-pillar answers. Reads only:
 * nothing here changes the database. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gca/cirt.h"
#include "gca/rights.h"
#include "rights/lens.h"
#include "store/workflow.h"

#include "core/banned.h"

#define PUBLISHED_EDITION "GCI 2020"
#define PUBLISHED_NODE "GCI"
#define LEGAL_PILLAR "LEG"

static const char *txt(gca_store *st, gca__stmt *s, int i)
{
    const char *v = st->be->col_text(s, i);
    return v ? v : "";
}

static void copy(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* ====== Measures ====== */

#define MEASURE_SQL                                                        \
    "SELECT e.id, coalesce(c.iso3, ''), coalesce(n.name, ''), e.region, "  \
    "e.subtype, e.status, e.title, e.summary, coalesce(e.year, 0), e.url, " \
    "e.source, e.note FROM kb_entries e "                                  \
    "LEFT JOIN kb_entry_countries c ON c.entry = e.rowid "                 \
    "LEFT JOIN countries n ON n.iso3 = c.iso3 "                            \
    "WHERE e.kind = 'rights_measure' "

static void read_measure(gca_store *st, gca__stmt *s, gca_rights_measure *m)
{
    m->id = txt(st, s, 0);
    m->iso3 = txt(st, s, 1);
    m->country = txt(st, s, 2);
    m->region = txt(st, s, 3);
    m->measure = txt(st, s, 4);
    m->status = txt(st, s, 5);
    m->instrument = txt(st, s, 6);
    m->summary = txt(st, s, 7);
    m->year = (int)st->be->col_int(s, 8);
    m->url = txt(st, s, 9);
    m->source = txt(st, s, 10);
    m->note = txt(st, s, 11);
}

int gca_rights_list(gca_store *st, const gca_rights_filter *flt,
                    gca_rights_measure_fn fn, void *ctx, gca_err *err)
{
    static const gca_rights_filter none = {NULL, NULL, NULL};
    gca__stmt *s = NULL;
    gca_rights_measure m;
    int rc;
    if (!flt)
        flt = &none;
    if (flt->measure && gca_rights_type_index(flt->measure) < 0)
        return gca_fail(err, GCA_EINVAL, "measure", 0, 0,
                        "unknown measure '%.64s' (docs/rights.md lists "
                        "them)", flt->measure);
    if (flt->status && !gca_rights_status_valid(flt->status))
        return gca_fail(err, GCA_EINVAL, "status", 0, 0,
                        "unknown status '%.64s' (in_force, proposed, "
                        "repealed or struck_down)", flt->status);
    if (flt->iso3) {
        rc = gca__country_require(st, flt->iso3, err);
        if (rc < 0)
            return rc;
    }
    rc = st->be->prepare(
        st->conn,
        MEASURE_SQL "AND (?1 IS NULL OR c.iso3 = ?1) "
                    "AND (?2 IS NULL OR e.subtype = ?2) "
                    "AND (?3 IS NULL OR e.status = ?3) "
                    "ORDER BY c.iso3 IS NULL, c.iso3, e.subtype, "
                    "coalesce(e.year, 0), e.id",
        &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_text(s, 1, flt->iso3);
    st->be->bind_text(s, 2, flt->measure);
    st->be->bind_text(s, 3, flt->status);
    while ((rc = st->be->step(s, err)) > 0) {
        read_measure(st, s, &m);
        rc = fn(&m, ctx);
        if (rc != 0)
            break;
    }
    st->be->finalize(s);
    return rc;
}

/* ====== Flags ====== */

static int flag_measure(const gca_rights_measure *m, void *ctx)
{
    gca_rights_flags_add(ctx, m->measure, m->status);
    return 0;
}

static int flag_shutdown(const gca_rights_shutdown *s, void *ctx)
{
    gca_rights_flags *f = ctx;
    int i = gca_rights_type_index("shutdown");
    if (s->count > 0 && s->year >= GCA_RIGHTS_SHUTDOWN_FROM &&
        s->year <= GCA_RIGHTS_SHUTDOWN_TO)
        f->in_force |= 1u << i;
    return 0;
}

int gca_rights_country_flags(gca_store *st, const char *iso3,
                             char out[GCA_RIGHTS_FLAGS_MAX], gca_err *err)
{
    gca_rights_flags f = {0, 0};
    gca_rights_filter flt = {iso3, NULL, NULL};
    out[0] = '\0';
    int rc = gca_rights_list(st, &flt, flag_measure, &f, err);
    if (rc == 0)
        rc = gca_rights_shutdowns(iso3, flag_shutdown, &f, NULL, err);
    if (rc == 0)
        gca_rights_flags_format(&f, out);
    return rc;
}

/* ====== Security side of a profile ====== */

/* The country's national CIRT status as `gca cirt status` gives it
 * (analysts' records, then knowledge-base entries). */
static int copy_cirt(const gca_cirt_country *c, void *ctx)
{
    gca_rights_security *o = ctx;
    copy(o->cirt_status, sizeof o->cirt_status,
         gca_cirt_status_name(c->status));
    copy(o->cirt_team, sizeof o->cirt_team, c->team);
    copy(o->cirt_source, sizeof o->cirt_source, c->source);
    return 0;
}

static int read_cirt(gca_store *st, const char *iso3, gca_rights_security *o,
                     gca_err *err)
{
    return gca_cirt_status(st, iso3, copy_cirt, o, NULL, err);
}

static int read_published(gca_store *st, const char *iso3,
                          gca_rights_security *o, gca_err *err)
{
    gca__stmt *s = NULL;
    int rc = st->be->prepare(st->conn,
                             "SELECT score, coalesce(rank, 0) FROM "
                             "published_results WHERE edition = ? AND "
                             "node = ? AND iso3 = ?",
                             &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_text(s, 1, PUBLISHED_EDITION);
    st->be->bind_text(s, 2, PUBLISHED_NODE);
    st->be->bind_text(s, 3, iso3);
    rc = st->be->step(s, err);
    if (rc > 0) {
        o->has_published = 1;
        o->published_score = st->be->col_double(s, 0);
        o->published_rank = (int)st->be->col_int(s, 1);
        rc = 0;
    }
    st->be->finalize(s);
    return rc;
}

/* The code of the top node of edition `e`'s framework into top[]. */
static int edition_top(gca_store *st, const gca_edition *e, char *top,
                       size_t cap, gca_err *err)
{
    const gca_framework *fw = NULL;
    int rc = gca__edition_fw(st, e, &fw, err);
    if (rc < 0)
        return rc;
    int t = gca_framework_top(fw);
    const gca_node *n = t >= 0 ? gca_framework_node_at(fw, (size_t)t) : NULL;
    if (!n)
        return gca_fail(err, GCA_EFRAMEWORK, "edition", 0, 0,
                        "the framework of edition '%s' has no top node",
                        e->code);
    copy(top, cap, n->code);
    return 0;
}

static int read_edition_score(gca_store *st, const char *iso3,
                              const char *code, gca_rights_security *o,
                              gca_err *err)
{
    gca_edition e;
    char top[GCA_MAX_CODE + 1];
    gca__stmt *s = NULL;
    int rc = gca__edition_load(st, code, &e, err);
    if (rc == 0)
        rc = edition_top(st, &e, top, sizeof top, err);
    if (rc == 0)
        rc = st->be->prepare(
            st->conn,
            "SELECT s.score, coalesce(s.rank, 0), "
            "(SELECT tier FROM edition_tiers t WHERE t.edition = s.edition "
            "AND t.country = s.country) FROM edition_scores s "
            "WHERE s.edition = ? AND s.country = ? AND s.node = ?",
            &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_int(s, 1, e.id);
    st->be->bind_text(s, 2, iso3);
    st->be->bind_text(s, 3, top);
    rc = st->be->step(s, err);
    if (rc > 0) {
        o->has_edition = 1;
        o->edition_score = st->be->col_double(s, 0);
        o->edition_rank = (int)st->be->col_int(s, 1);
        copy(o->edition_tier, sizeof o->edition_tier, txt(st, s, 2));
        rc = 0;
    }
    st->be->finalize(s);
    return rc;
}

int gca_rights_security_get(gca_store *st, const char *iso3,
                            const char *edition, gca_rights_security *out,
                            gca_err *err)
{
    memset(out, 0, sizeof *out);
    out->published_score = NAN;
    out->edition_score = NAN;
    int rc = gca__country_require(st, iso3, err);
    if (rc == 0)
        rc = read_published(st, iso3, out, err);
    if (rc == 0 && edition)
        rc = read_edition_score(st, iso3, edition, out, err);
    if (rc == 0)
        rc = read_cirt(st, iso3, out, err);
    return rc;
}

/* ====== Rankings ====== */

int gca_rights_ranking(gca_store *st, const char *edition, int limit,
                       gca_rights_rank_fn fn, void *ctx, gca_err *err)
{
    gca__stmt *s = NULL;
    gca_edition e;
    char top[GCA_MAX_CODE + 1];
    int rc;
    if (limit < 0)
        return gca_fail(err, GCA_EINVAL, "limit", 0, 0,
                        "limit must be 0 (all) or more");
    if (edition) {
        rc = gca__edition_load(st, edition, &e, err);
        if (rc == 0)
            rc = edition_top(st, &e, top, sizeof top, err);
        if (rc == 0)
            rc = st->be->prepare(
                st->conn,
                "SELECT s.country, c.name, s.score, coalesce(s.rank, 0) "
                "FROM edition_scores s JOIN countries c ON c.iso3 = "
                "s.country WHERE s.edition = ? AND s.node = ? "
                "ORDER BY s.rank IS NULL, s.rank, s.country LIMIT ?",
                &s, err);
        if (rc < 0)
            return rc;
        st->be->bind_int(s, 1, e.id);
        st->be->bind_text(s, 2, top);
    } else {
        rc = st->be->prepare(
            st->conn,
            "SELECT p.iso3, c.name, p.score, coalesce(p.rank, 0) "
            "FROM published_results p JOIN countries c ON c.iso3 = p.iso3 "
            "WHERE p.edition = ? AND p.node = ? "
            "ORDER BY p.rank IS NULL, p.rank, p.iso3 LIMIT ?",
            &s, err);
        if (rc < 0)
            return rc;
        st->be->bind_text(s, 1, PUBLISHED_EDITION);
        st->be->bind_text(s, 2, PUBLISHED_NODE);
    }
    st->be->bind_int(s, 3, limit > 0 ? limit : -1);
    while ((rc = st->be->step(s, err)) > 0) {
        gca_rights_rank r = {txt(st, s, 0), txt(st, s, 1),
                             st->be->col_double(s, 2),
                             (int)st->be->col_int(s, 3)};
        rc = fn(&r, ctx);
        if (rc != 0)
            break;
    }
    st->be->finalize(s);
    return rc;
}

int gca_results_nodes(gca_store *st, const char *edition,
                      gca_results_node_fn fn, void *ctx, gca_err *err)
{
    gca__stmt *s = NULL;
    gca_edition e;
    int rc;
    if (edition) {
        rc = gca__edition_load(st, edition, &e, err);
        if (rc == 0)
            rc = st->be->prepare(
                st->conn,
                "SELECT s.country, s.node, s.score, coalesce(s.rank, 0), "
                "t.tier FROM edition_scores s LEFT JOIN edition_tiers t ON "
                "t.edition = s.edition AND t.country = s.country "
                "WHERE s.edition = ? ORDER BY s.country, s.node",
                &s, err);
        if (rc < 0)
            return rc;
        st->be->bind_int(s, 1, e.id);
    } else {
        rc = st->be->prepare(
            st->conn,
            "SELECT iso3, node, score, coalesce(rank, 0), NULL "
            "FROM published_results WHERE edition = ? "
            "ORDER BY iso3, node",
            &s, err);
        if (rc < 0)
            return rc;
        st->be->bind_text(s, 1, PUBLISHED_EDITION);
    }
    while ((rc = st->be->step(s, err)) > 0) {
        gca_results_node n = {txt(st, s, 0), txt(st, s, 1),
                              st->be->col_double(s, 2),
                              (int)st->be->col_int(s, 3),
                              st->be->col_text(s, 4)};
        rc = fn(&n, ctx);
        if (rc != 0)
            break;
    }
    st->be->finalize(s);
    return rc;
}

/* ====== Analyst warning ====== */

/* The measures of countries, loaded once per check. */
typedef struct measure_row {
    char *id, *iso3, *measure, *status, *title;
} measure_row;

typedef struct check_ctx {
    gca_store *st;
    measure_row *rows;
    size_t n, cap;
    gca_rights_warning_fn fn;
    void *ctx;
    size_t count;
} check_ctx;

static void rows_free(check_ctx *c)
{
    for (size_t i = 0; i < c->n; i++) {
        gca_free(c->rows[i].id);
        gca_free(c->rows[i].iso3);
        gca_free(c->rows[i].measure);
        gca_free(c->rows[i].status);
        gca_free(c->rows[i].title);
    }
    gca_free(c->rows);
}

static int keep_measure(const gca_rights_measure *m, void *ctx)
{
    check_ctx *c = ctx;
    if (!*m->iso3) /* regional: no country to compare with */
        return 0;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        measure_row *p = gca_realloc(c->rows, cap * sizeof *p);
        if (!p)
            return GCA_ENOMEM;
        c->rows = p;
        c->cap = cap;
    }
    measure_row *r = &c->rows[c->n];
    memset(r, 0, sizeof *r);
    c->n++; /* counted at once, so rows_free frees a half-filled row */
    r->id = gca_strdup(m->id);
    r->iso3 = gca_strdup(m->iso3);
    r->measure = gca_strdup(m->measure);
    r->status = gca_strdup(m->status);
    r->title = gca_strdup(m->instrument);
    if (!r->id || !r->iso3 || !r->measure || !r->status || !r->title)
        return GCA_ENOMEM;
    return 0;
}

/* Warn for every measure of `w->iso3` that `text` names. */
static int match_text(check_ctx *c, gca_rights_warning *w, const char *field,
                      const char *text, const char *shown)
{
    if (!text || !*text)
        return 0;
    for (size_t i = 0; i < c->n; i++) {
        const measure_row *m = &c->rows[i];
        if (strcmp(m->iso3, w->iso3) != 0 || !gca_rights_match(m->title, text))
            continue;
        w->measure_id = m->id;
        w->measure = m->measure;
        w->status = m->status;
        w->instrument = m->title;
        w->field = field;
        w->text = shown ? shown : text;
        c->count++;
        int rc = c->fn(w, c->ctx);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int check_answers(check_ctx *c, const gca_edition *e,
                         const gca_framework *fw, gca_err *err)
{
    gca_store *st = c->st;
    gca__stmt *s = NULL;
    int rc = st->be->prepare(st->conn,
                             "SELECT country, question, indicator, state, "
                             "comment FROM answers WHERE edition = ? "
                             "ORDER BY country, question",
                             &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_int(s, 1, e->id);
    while ((rc = st->be->step(s, err)) > 0) {
        if (!gca__rights_under(fw, txt(st, s, 2), LEGAL_PILLAR))
            continue;
        gca_rights_warning w = {0};
        w.iso3 = txt(st, s, 0);
        w.where = "answer";
        w.question = txt(st, s, 1);
        w.answer_state = txt(st, s, 3);
        rc = match_text(c, &w, "comment", txt(st, s, 4), NULL);
        if (rc != 0)
            break;
    }
    st->be->finalize(s);
    return rc;
}

static int check_evidence(check_ctx *c, const gca_edition *e,
                          const gca_framework *fw, gca_err *err)
{
    static const char *const fields[] = {"url", "file_name", "note"};
    gca_store *st = c->st;
    gca__stmt *s = NULL;
    int rc = st->be->prepare(
        st->conn,
        "SELECT v.country, v.question, a.indicator, a.state, v.url, "
        "v.file_name, v.note, v.visibility, v.id FROM evidence v "
        "JOIN answers a ON a.edition = v.edition AND a.country = v.country "
        "AND a.question = v.question WHERE v.edition = ? "
        "ORDER BY v.country, v.question, v.id",
        &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_int(s, 1, e->id);
    while ((rc = st->be->step(s, err)) > 0) {
        if (!gca__rights_under(fw, txt(st, s, 2), LEGAL_PILLAR))
            continue;
        gca_rights_warning w = {0};
        char shown[64];
        /* Restricted evidence is matched but not quoted: whoever runs the
         * check learns that it names the instrument, not what it says. */
        int hidden = !strcmp(txt(st, s, 7), "restricted");
        snprintf(shown, sizeof shown, "(restricted evidence %lld)",
                 st->be->col_int(s, 8));
        w.iso3 = txt(st, s, 0);
        w.where = "evidence";
        w.question = txt(st, s, 1);
        w.answer_state = txt(st, s, 3);
        int stop = 0;
        for (size_t k = 0; !stop && k < GCA_COUNT(fields); k++)
            stop = match_text(c, &w, fields[k], txt(st, s, 4 + (int)k),
                              hidden ? shown : NULL);
        if (stop != 0) {
            rc = stop;
            break;
        }
    }
    st->be->finalize(s);
    return rc;
}

static int check_kb(check_ctx *c, gca_err *err)
{
    gca_store *st = c->st;
    gca__stmt *s = NULL;
    int rc = st->be->prepare(st->conn,
                             "SELECT c.iso3, e.id, e.title, e.summary "
                             "FROM kb_entries e JOIN kb_entry_countries c "
                             "ON c.entry = e.rowid WHERE e.kind = "
                             "'legal_instrument' ORDER BY c.iso3, e.id",
                             &s, err);
    if (rc < 0)
        return rc;
    while ((rc = st->be->step(s, err)) > 0) {
        gca_rights_warning w = {0};
        w.iso3 = txt(st, s, 0);
        w.where = "kb";
        w.question = txt(st, s, 1);
        w.answer_state = "";
        rc = match_text(c, &w, "title", txt(st, s, 2), NULL);
        if (rc == 0)
            rc = match_text(c, &w, "summary", txt(st, s, 3), NULL);
        if (rc != 0)
            break;
    }
    st->be->finalize(s);
    return rc;
}

int gca_rights_check(gca_store *st, const char *edition,
                     gca_rights_warning_fn fn, void *ctx, size_t *count,
                     gca_err *err)
{
    check_ctx c = {st, NULL, 0, 0, fn, ctx, 0};
    gca_edition e;
    const gca_framework *fw = NULL;
    int rc = gca__edition_load(st, edition, &e, err);
    if (rc == 0)
        rc = gca_rights_list(st, NULL, keep_measure, &c, err);
    /* The framework last: the cache lends it until another edition is
     * read, and nothing below reads one. */
    if (rc == 0)
        rc = gca__edition_fw(st, &e, &fw, err);
    if (rc == 0)
        rc = check_answers(&c, &e, fw, err);
    if (rc == 0)
        rc = check_evidence(&c, &e, fw, err);
    if (rc == 0)
        rc = check_kb(&c, err);
    if (rc == GCA_ENOMEM && !err->code)
        gca_fail(err, GCA_ENOMEM, "rights", 0, 0, "out of memory");
    if (count)
        *count = c.count;
    rows_free(&c);
    return rc;
}
