/* view.c - one ranking as the pages, the API and the downloads show it:
 * its source (ITU's GCI 2020 as published, or a published edition), the
 * framework's pillars and tiers, every node score, and the rows left by
 * the region and income filters. */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gca/countries.h"
#include "gca/rights.h"
#include "gca/workflow.h"
#include "http/api.h"

/* The UN M49 regions and the World Bank income groups the filters take. */
const char *const http_regions[HTTP_NREGIONS] = {"Africa", "Americas", "Asia",
                                                 "Europe", "Oceania"};
const char *const http_incomes[HTTP_NINCOMES] = {
    "Low income", "Lower middle income", "Upper middle income",
    "High income"};

/* `name`=value, one of list[n] (the list's own pointer into *out), or
 * absent/empty (NULL). 0, or -1 after a 400 naming the choices. */
static int choice_arg(http_req *rq, http_resp *rs, const char *name,
                      const char *const *list, size_t n, const char **out)
{
    const char *v = http_arg(rq, name);
    *out = NULL;
    if (!v || !*v)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v, list[i])) {
            *out = list[i];
            return 0;
        }
    gca_buf msg = GCA_BUF_INIT(1024);
    for (size_t i = 0; i < n; i++)
        gca_buf_printf(&msg, "%s%s", i ? ", " : "", list[i]);
    http_error(rs, 400, "invalid", "%s: one of %s", name,
               msg.ptr ? msg.ptr : "");
    gca_buf_release(&msg);
    return -1;
}

int http_filter_args(http_req *rq, http_resp *rs, const char **region,
                     const char **income)
{
    if (choice_arg(rq, rs, "region", http_regions, HTTP_NREGIONS, region) < 0)
        return -1;
    if (income &&
        choice_arg(rq, rs, "income", http_incomes, HTTP_NINCOMES, income) < 0)
        return -1;
    return 0;
}

int http_edition_visible(http_req *rq, http_resp *rs, const char *code)
{
    gca_err err = {0};
    gca_edition e;
    int staff = !!(rq->role & (ROLE_ANALYST | ROLE_ADMIN));
    if (gca_edition_get(rq->st, code, &e, &err) < 0 ||
        (!staff && strcmp(e.state, "published"))) {
        http_error(rs, 404, "not_found",
                   "edition: no published edition '%.40s'", code);
        return -1;
    }
    return 0;
}

/* The framework the view's nodes come from: the edition's copy, or the
 * store's GCI for ITU's published scores. */
static int view_framework(http_req *rq, http_view *v, gca_err *err)
{
    if (!v->is_published)
        return gca_edition_framework(rq->st, v->edition, &v->fw, NULL, err);
    char *json = NULL;
    size_t len = 0;
    int rc = gca_store_framework_json(rq->st, "GCI", &json, &len, err);
    if (rc == GCA_ENOTFOUND) {
        *err = (gca_err){0};
        return 0; /* names are then the codes */
    }
    if (rc == 0)
        rc = gca_framework_load_mem(json, len, "GCI", &v->fw, NULL, err);
    gca_free(json);
    return rc;
}

typedef struct row_ctx {
    http_view *v;
    gca_err *err;
} row_ctx;

static int add_row(const gca_rights_rank *r, void *ctx)
{
    row_ctx *c = ctx;
    http_view *v = c->v;
    const gca_country *cty = gca_countries_by_iso3(v->cs, r->iso3);
    v->total++;
    if (v->region && (!cty || !cty->m49_region ||
                      strcmp(cty->m49_region, v->region)))
        return 0;
    if (v->income && (!cty || !cty->income_group ||
                      strcmp(cty->income_group, v->income)))
        return 0;
    if (v->nrows == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 256;
        http_view_row *rows = realloc(v->rows, cap * sizeof *rows);
        if (!rows)
            return GCA_ENOMEM;
        v->rows = rows;
        v->cap = cap;
    }
    http_view_row *w = &v->rows[v->nrows];
    memset(w, 0, sizeof *w);
    snprintf(w->iso3, sizeof w->iso3, "%s", r->iso3);
    w->name = strdup(r->name ? r->name : r->iso3);
    if (!w->name)
        return GCA_ENOMEM;
    w->country = cty;
    w->score = r->score;
    w->rank_q5 = w->rank_q95 = w->tier_prob = NAN;
    w->rank = r->rank;
    const char *tier = "";
    for (size_t k = 0; k < v->ncols; k++)
        w->col[k] = http_nodes_score(&v->nodes, r->iso3, v->cols[k], &tier);
    http_nodes_score(&v->nodes, r->iso3, "", &tier);
    snprintf(w->tier, sizeof w->tier, "%s", tier);
    v->nrows++;
    return 0;
}

/* Pillars: the top node's children in framework order, else (no
 * framework) every node but the top met in the scores. */
static void view_columns(http_view *v)
{
    const gca_framework *fw = v->fw;
    int top = fw ? gca_framework_top(fw) : -1;
    if (top >= 0) {
        const gca_node *t = gca_framework_node_at(fw, (size_t)top);
        snprintf(v->top, sizeof v->top, "%s", t->code);
        v->score_max = isnan(t->score_max) ? 100.0 : t->score_max;
        for (size_t i = 0; i < t->nchildren && v->ncols < HTTP_VIEW_COLS;
             i++) {
            const gca_node *c =
                gca_framework_node_at(fw, (size_t)t->children[i]);
            snprintf(v->cols[v->ncols], sizeof v->cols[0], "%s", c->code);
            snprintf(v->colnames[v->ncols], sizeof v->colnames[0], "%s",
                     c->name ? c->name : c->code);
            if (!isnan(c->score_max))
                v->col_max = c->score_max;
            v->ncols++;
        }
        /* GCI 2020 had no tiers: the framework's are GCIv5's. */
        size_t nt = v->is_published ? 0 : gca_framework_ntiers(fw);
        for (size_t i = 0; i < nt && i < HTTP_VIEW_TIERS; i++) {
            const gca_tier *tr = gca_framework_tier_at(fw, i);
            snprintf(v->tiers[i].code, sizeof v->tiers[i].code, "%s", tr->code);
            snprintf(v->tiers[i].name, sizeof v->tiers[i].name, "%s",
                     tr->name ? tr->name : tr->code);
            v->ntiers++;
        }
        return;
    }
    snprintf(v->top, sizeof v->top, "GCI");
    v->score_max = 100.0;
    for (size_t k = 0; k < v->nodes.ncols && v->ncols < HTTP_VIEW_COLS; k++) {
        snprintf(v->cols[v->ncols], sizeof v->cols[0], "%s", v->nodes.cols[k]);
        snprintf(v->colnames[v->ncols], sizeof v->colnames[0], "%s",
                 v->nodes.cols[k]);
        v->ncols++;
    }
}

static int add_robustness(const gca_robustness *r, void *ctx)
{
    http_view *v = ctx;
    for (size_t i = 0; i < v->nrows; i++)
        if (!strcmp(v->rows[i].iso3, r->country)) {
            v->rows[i].rank_q5 = r->rank_q5;
            v->rows[i].rank_q95 = r->rank_q95;
            v->rows[i].tier_prob = r->tier_prob;
            v->robust = 1;
            if ((size_t)r->ranked > v->robust_runs)
                v->robust_runs = (size_t)r->ranked;
        }
    return 0;
}

int http_view_load(http_req *rq, http_resp *rs, const char *edition,
                   int filters, http_view *v)
{
    gca_err err = {0};
    memset(v, 0, sizeof *v);
    v->col_max = NAN;
    if (!edition) {
        edition = http_arg(rq, "edition");
        if (!edition || !*edition)
            edition = HTTP_PUBLISHED;
    }
    v->is_published = !strcmp(edition, HTTP_PUBLISHED);
    if (!v->is_published && http_edition_visible(rq, rs, edition) < 0)
        return -1;
    snprintf(v->edition, sizeof v->edition, "%s", edition);
    if (filters && http_filter_args(rq, rs, &v->region, &v->income) < 0)
        return -1;
    if (v->is_published)
        snprintf(v->title, sizeof v->title,
                 "ITU Global Cybersecurity Index 2020 as published");
    else
        snprintf(v->title, sizeof v->title, "gca edition %s", v->edition);
    int rc = gca_countries_default(&v->cs, &err);
    if (rc == 0)
        rc = view_framework(rq, v, &err);
    if (rc < 0) {
        http_view_release(v);
        return http_fail(rs, &err), -1;
    }
    if (http_nodes_load(rq, rs, v->is_published ? NULL : v->edition, "GCI",
                        &v->nodes) < 0) {
        http_view_release(v);
        return -1;
    }
    view_columns(v);
    row_ctx c = {v, &err};
    rc = gca_rights_ranking(rq->st, v->is_published ? NULL : v->edition, 0,
                            add_row, &c, &err);
    if (rc != 0) {
        if (!err.code)
            err.code = GCA_ENOMEM;
        http_view_release(v);
        return http_fail(rs, &err), -1;
    }
    if (!v->is_published &&
        gca_edition_robustness(rq->st, v->edition, add_robustness, v, &err) <
            0) {
        http_view_release(v);
        return http_fail(rs, &err), -1;
    }
    return 0;
}

void http_view_release(http_view *v)
{
    for (size_t i = 0; i < v->nrows; i++)
        free(v->rows[i].name);
    free(v->rows);
    http_nodes_release(&v->nodes);
    gca_framework_free(v->fw);
    gca_countries_free(v->cs);
    memset(v, 0, sizeof *v);
}

const char *http_view_tier_name(const http_view *v, const char *code)
{
    for (size_t i = 0; i < v->ntiers; i++)
        if (!strcmp(v->tiers[i].code, code))
            return v->tiers[i].name;
    return code;
}

int http_view_tier_index(const http_view *v, const char *code)
{
    for (size_t i = 0; i < v->ntiers; i++)
        if (!strcmp(v->tiers[i].code, code))
            return (int)i;
    return -1;
}

int http_view_column_rank(const http_view *v, const char *iso3,
                          const char *node, int *of)
{
    double mine = NAN;
    int stored = 0;
    size_t n = 0;
    double *all = malloc((v->nodes.n + 1) * sizeof *all);
    for (size_t i = 0; i < v->nodes.n; i++) {
        const struct http_node *e = &v->nodes.v[i];
        if (strcmp(e->node, node) || isnan(e->score))
            continue;
        if (all)
            all[n] = e->score;
        n++;
        if (!strcmp(e->iso3, iso3)) {
            mine = e->score;
            stored = e->rank;
        }
    }
    *of = (int)n;
    if (isnan(mine) || stored || !all) {
        free(all);
        return isnan(mine) ? 0 : stored;
    }
    /* 1 + the countries above: "rank r of n" is a position among n
     * countries, whatever the index's own ties rule. */
    int rank = 1;
    for (size_t i = 0; i < n; i++)
        rank += all[i] > mine;
    free(all);
    return rank;
}

typedef struct edition_opts {
    gca_buf *b;
    const char *selected;
} edition_opts;

static int edition_option(const gca_edition *e, void *ctx)
{
    edition_opts *o = ctx;
    if (strcmp(e->state, "published"))
        return 0;
    gca_buf_puts(o->b, "<option value=\"");
    gca_buf_html(o->b, e->code);
    gca_buf_printf(o->b, "\"%s>gca edition ",
                   !strcmp(e->code, o->selected) ? " selected" : "");
    gca_buf_html(o->b, e->code);
    gca_buf_puts(o->b, "</option>");
    return 0;
}

/* A labelled <select> of list[n], `on` (one of them, or NULL) chosen. */
static void choice_select(gca_buf *b, const char *name, const char *label,
                          const char *const *list, size_t n, const char *on)
{
    gca_buf_printf(b, " <label for=\"%s\">%s</label> <select id=\"%s\" "
                      "name=\"%s\"><option value=\"\">All</option>",
                   name, label, name, name);
    for (size_t i = 0; i < n; i++)
        gca_buf_printf(b, "<option%s>%s</option>",
                       on == list[i] ? " selected" : "", list[i]);
    gca_buf_puts(b, "</select>");
}

void http_view_form(http_req *rq, const http_view *v, gca_buf *b,
                    const char *action, int filters, const char *extra)
{
    gca_err err = {0};
    gca_buf_printf(b, "<form method=\"get\" action=\"%s\" class=\"filters\">"
                      "<label for=\"edition\">Index</label> <select id=\""
                      "edition\" name=\"edition\"><option value=\"%s\"%s>"
                      "GCI 2020 (ITU, as published)</option>",
                   action, HTTP_PUBLISHED, v->is_published ? " selected" : "");
    edition_opts o = {b, v->edition};
    gca_edition_list(rq->st, edition_option, &o, &err);
    gca_buf_puts(b, "</select>");
    if (filters) {
        choice_select(b, "region", "Region", http_regions, HTTP_NREGIONS,
                      v->region);
        choice_select(b, "income", "Income group", http_incomes,
                      HTTP_NINCOMES, v->income);
    }
    if (extra)
        gca_buf_puts(b, extra);
    gca_buf_puts(b, " <button>Show</button></form>");
}

void http_view_query(const http_view *v, gca_buf *b, int html)
{
    static const char hex[] = "0123456789ABCDEF";
    const char *args[2][2] = {{"region", v->region}, {"income", v->income}};
    char sep = '?';
    for (size_t a = 0; a < 2; a++) {
        if (!args[a][1])
            continue;
        gca_buf_printf(b, "%s%s=", sep == '?' ? "?" : html ? "&amp;" : "&",
                       args[a][0]);
        sep = '&';
        for (const unsigned char *s = (const unsigned char *)args[a][1]; *s;
             s++) {
            if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
                gca_buf_printf(b, "%c", *s);
            else
                gca_buf_printf(b, "%%%c%c", hex[*s >> 4], hex[*s & 15]);
        }
    }
}
