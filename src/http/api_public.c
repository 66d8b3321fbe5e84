/* api_public.c - the public, read-only routes of /api/v1 (routes.c):
 * the OpenAPI text, editions, countries, results and knowledge-base
 * search. Lists are paged (limit, offset) and give their total. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/embedded.h"
#include "gca/countries.h"
#include "gca/kb.h"
#include "gca/rights.h"
#include "gca/workflow.h"
#include "http/api.h"
#include "render/table.h"
#include "rights/json.h"

#include "core/banned.h"

#define PAGE_MAX HTTP_PAGE_MAX

int api_openapi(http_req *rq, http_resp *rs)
{
    (void)rq;
    const gca__blob *b = gca__embedded("docs/openapi.yaml");
    if (!b)
        return http_error(rs, 500, "internal", "openapi.yaml not built in");
    rs->status = 200;
    rs->type = "application/yaml; charset=utf-8";
    rs->cache = 1;
    gca_buf_add(&rs->body, b->data, b->len);
    return 0;
}

/* ====== Frameworks ====== */

static int add_framework(const gca_framework_info *f, void *ctx)
{
    json_t *o = json_pack(
        "{s:o,s:o,s:o,s:o,s:I}", "code", gca__json_text(f->code), "name",
        gca__json_text(f->name), "source", gca__json_text(f->source), "sha256",
        gca__json_text(f->sha256), "bytes", (json_int_t)f->bytes);
    return o && json_array_append_new(ctx, o) == 0 ? 0 : GCA_ENOMEM;
}

int api_frameworks(http_req *rq, http_resp *rs)
{
    gca_err err = {0};
    json_t *list = json_array();
    if (!list)
        return http_error(rs, 500, "internal", "out of memory");
    if (gca_store_frameworks(rq->st, add_framework, list, &err) < 0) {
        json_decref(list);
        return http_fail(rs, &err);
    }
    rs->cache = 1;
    return http_list(rq, rs, "frameworks", list, NULL);
}

/* The framework's JSON as stored: the tree, questions and tiers. */
int api_framework(http_req *rq, http_resp *rs)
{
    gca_err err = {0};
    char *json = NULL;
    size_t len = 0;
    if (gca_store_framework_json(rq->st, rq->params[0], &json, &len, &err) <
        0)
        return http_fail(rs, &err);
    gca_buf_add(&rs->body, json, len);
    gca_free(json);
    rs->status = 200;
    rs->type = "application/json";
    rs->cache = 1;
    return 0;
}

/* ====== Editions ====== */

typedef struct editions_ctx {
    json_t *list;
    int drafts; /* the caller may see drafts */
} editions_ctx;

static int add_edition(const gca_edition *e, void *ctx)
{
    editions_ctx *c = ctx;
    if (!c->drafts && !strcmp(e->state, "draft"))
        return 0;
    json_t *o = json_pack(
        "{s:s,s:s,s:i,s:s,s:o,s:o,s:o}", "code", e->code, "framework",
        e->framework, "year", e->year, "state", e->state, "opened_at",
        *e->opened_at ? gca__json_text(e->opened_at) : json_null(),
        "published_at",
        *e->published_at ? gca__json_text(e->published_at) : json_null(),
        "scored_at",
        *e->scored_at ? gca__json_text(e->scored_at) : json_null());
    return o && json_array_append_new(c->list, o) == 0 ? 0 : GCA_ENOMEM;
}

int api_editions(http_req *rq, http_resp *rs)
{
    gca_err err = {0};
    editions_ctx c = {json_array(), !!(rq->role & (ROLE_ANALYST | ROLE_ADMIN))};
    if (!c.list)
        return http_error(rs, 500, "internal", "out of memory");
    if (gca_edition_list(rq->st, add_edition, &c, &err) < 0) {
        json_decref(c.list);
        return http_fail(rs, &err);
    }
    rs->cache = rq->role == ROLE_ANON;
    return http_list(rq, rs, "editions", c.list, NULL);
}

/* ====== Countries ====== */

int api_countries(http_req *rq, http_resp *rs)
{
    gca_err err = {0};
    gca_countries *cs = NULL;
    (void)rq;
    if (gca_countries_default(&cs, &err) < 0)
        return http_fail(rs, &err);
    json_t *list = json_array();
    for (size_t i = 0; list && i < gca_countries_count(cs); i++) {
        const gca_country *c = gca_countries_at(cs, i);
        json_t *o = json_pack("{s:s,s:s,s:o,s:o,s:o,s:o}", "iso3", c->iso3,
                              "iso2", c->iso2, "name", gca__json_text(c->name),
                              "region", gca__json_text(c->m49_region),
                              "subregion", gca__json_text(c->m49_subregion),
                              "itu_region", gca__json_text(c->itu_region));
        if (!o || json_array_append_new(list, o) < 0) {
            json_decref(list);
            list = NULL;
        }
    }
    gca_countries_free(cs);
    if (!list)
        return http_error(rs, 500, "internal", "out of memory");
    rs->cache = 1;
    return http_list(rq, rs, "countries", list, NULL);
}

/* ====== Node scores ====== */

static int add_node(const gca_results_node *n, void *ctx)
{
    http_nodes *t = ctx;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 1024;
        void *v = realloc(t->v, cap * sizeof *t->v);
        if (!v)
            return GCA_ENOMEM;
        t->v = v;
        t->cap = cap;
    }
    struct http_node *e = &t->v[t->n++];
    snprintf(e->iso3, sizeof e->iso3, "%s", n->iso3);
    snprintf(e->node, sizeof e->node, "%s", n->node);
    snprintf(e->tier, sizeof e->tier, "%s", n->tier ? n->tier : "");
    e->score = n->score;
    e->rank = n->rank;
    return 0;
}

static int cmp_col(const void *a, const void *b)
{
    return strcmp(a, b);
}

int http_nodes_load(http_req *rq, http_resp *rs, const char *edition,
                    const char *top, http_nodes *out)
{
    gca_err err = {0};
    memset(out, 0, sizeof *out);
    if (gca_results_nodes(rq->st, edition, add_node, out, &err) < 0) {
        http_nodes_release(out);
        if (!err.code)
            err.code = GCA_ENOMEM;
        http_fail(rs, &err);
        return -1;
    }
    for (size_t i = 0; i < out->n; i++) {
        const char *node = out->v[i].node;
        size_t k = 0;
        while (k < out->ncols && strcmp(out->cols[k], node))
            k++;
        if (k == out->ncols && out->ncols < 16 && strcmp(node, top))
            snprintf(out->cols[out->ncols++], 32, "%s", node);
    }
    qsort(out->cols, out->ncols, sizeof out->cols[0], cmp_col);
    return 0;
}

void http_nodes_release(http_nodes *t)
{
    free(t->v);
    memset(t, 0, sizeof *t);
}

double http_nodes_score(const http_nodes *t, const char *iso3,
                        const char *node, const char **tier)
{
    /* Rows come by country then node: a binary search on the country. */
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(t->v[mid].iso3, iso3) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (tier)
        *tier = "";
    for (size_t i = lo; i < t->n && !strcmp(t->v[i].iso3, iso3); i++) {
        if (tier)
            *tier = t->v[i].tier;
        if (!strcmp(t->v[i].node, node))
            return t->v[i].score;
    }
    return NAN;
}

/* ====== Results ====== */

int api_results(http_req *rq, http_resp *rs)
{
    long limit, offset;
    if (http_arg_int(rq, rs, "limit", 1, PAGE_MAX, 250, &limit) < 0 ||
        http_arg_int(rq, rs, "offset", 0, 1000000, 0, &offset) < 0)
        return 0;
    http_view v;
    if (http_view_load(rq, rs, NULL, 1, &v) < 0)
        return 0;
    json_t *rows = json_array();
    for (size_t i = (size_t)offset;
         rows && i < v.nrows && i < (size_t)(offset + limit); i++) {
        const http_view_row *r = &v.rows[i];
        json_t *pillars = json_object();
        for (size_t k = 0; pillars && k < v.ncols; k++)
            json_object_set_new(pillars, v.cols[k],
                                isnan(r->col[k]) ? json_null()
                                                 : json_real(r->col[k]));
        const gca_country *c = r->country;
        json_t *interval =
            isnan(r->rank_q5) ? json_null()
                              : json_pack("[f,f]", r->rank_q5, r->rank_q95);
        json_t *o = json_pack(
            "{s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "iso3", r->iso3,
            "rank_interval", interval, "tier_probability",
            isnan(r->tier_prob) ? json_null() : json_real(r->tier_prob),
            "name",
            gca__json_text(r->name), "region",
            gca__json_text(c ? c->m49_region : NULL), "income_group",
            gca__json_text(c ? c->income_group : NULL), "score",
            isnan(r->score) ? json_null() : json_real(r->score), "rank",
            r->rank ? json_integer(r->rank) : json_null(), "tier",
            *r->tier ? gca__json_text(r->tier) : json_null(), "tier_name",
            *r->tier ? gca__json_text(http_view_tier_name(&v, r->tier))
                     : json_null(),
            "pillars", pillars);
        if (!o || json_array_append_new(rows, o) < 0) {
            json_decref(rows);
            rows = NULL;
        }
    }
    json_t *cols = json_array();
    for (size_t k = 0; cols && k < v.ncols; k++)
        json_array_append_new(cols, json_pack("{s:s,s:o}", "code", v.cols[k],
                                              "name",
                                              gca__json_text(v.colnames[k])));
    json_t *out = NULL;
    if (!rows || !cols) {
        json_decref(rows);
        json_decref(cols);
    } else
        out = json_pack("{s:s,s:s,s:o,s:o,s:o,s:I,s:I,s:I,s:o,s:o}",
                        "edition", v.edition, "source", v.title, "region",
                        gca__json_text(v.region), "income_group",
                        gca__json_text(v.income), "total_unfiltered",
                        json_integer((json_int_t)v.total), "total",
                        (json_int_t)v.nrows, "limit", (json_int_t)limit,
                        "offset", (json_int_t)offset, "pillars", cols,
                        "results", rows); /* steals rows and cols */
    rs->cache = v.is_published || rq->role == ROLE_ANON;
    http_view_release(&v);
    if (!out)
        return http_error(rs, 500, "internal", "out of memory");
    return http_json(rs, 200, out);
}

/* ====== Knowledge base ====== */

typedef struct kb_ctx {
    json_t *hits;
} kb_ctx;

static int add_hit(const gca_kb_hit *h, void *ctx)
{
    kb_ctx *c = ctx;
    const gca_kb_entry *e = &h->entry;
    json_t *o = json_pack(
        "{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:f,s:o}",
        "id", gca__json_text(e->id), "kind", gca__json_text(e->kind), "subtype",
        gca__json_text(e->subtype), "title", gca__json_text(e->title),
        "summary", gca__json_text(e->summary), "pillars",
        gca__json_text(e->pillars), "countries", gca__json_text(e->countries),
        "region", gca__json_text(e->region), "year",
        e->year ? json_integer(e->year) : json_null(), "status",
        gca__json_text(e->status), "url", gca__json_text(e->url), "source",
        gca__json_text(e->source), "retrieved", gca__json_text(e->retrieved),
        "note", gca__json_text(e->note), "score", h->score, "snippet",
        gca__json_text(h->snippet));
    return o && json_array_append_new(c->hits, o) == 0 ? 0 : GCA_ENOMEM;
}

int api_kb(http_req *rq, http_resp *rs)
{
    gca_err err = {0};
    long limit, offset, yf, yt;
    if (http_arg_int(rq, rs, "limit", 1, PAGE_MAX, 20, &limit) < 0 ||
        http_arg_int(rq, rs, "offset", 0, 1000000, 0, &offset) < 0 ||
        http_arg_int(rq, rs, "year_from", GCA_KB_YEAR_MIN, GCA_KB_YEAR_MAX, 0,
                     &yf) < 0 ||
        http_arg_int(rq, rs, "year_to", GCA_KB_YEAR_MIN, GCA_KB_YEAR_MAX, 0,
                     &yt) < 0)
        return 0;
    /* Marks around matched words: control characters, so that no text
     * of an entry can fake one; the page escapes, then replaces them. */
    gca_kb_query q = {
        .text = http_arg(rq, "q"),
        .kind = http_arg(rq, "kind"),
        .pillar = http_arg(rq, "pillar"),
        .region = http_arg(rq, "region"),
        .country = http_arg(rq, "country"),
        .status = http_arg(rq, "status"),
        .year_from = (int)yf,
        .year_to = (int)yt,
        .limit = (int)limit,
        .offset = (int)offset,
        .mark_open = "\x02",
        .mark_close = "\x03",
    };
    kb_ctx c = {json_array()};
    size_t total = 0;
    if (!c.hits)
        return http_error(rs, 500, "internal", "out of memory");
    if (gca_kb_search(rq->st, &q, add_hit, &c, &total, &err) < 0) {
        json_decref(c.hits);
        return http_fail(rs, &err);
    }
    rs->cache = 1;
    return http_json(rs, 200,
                     json_pack("{s:I,s:I,s:I,s:o}", "total",
                               (json_int_t)total, "limit", (json_int_t)limit,
                               "offset", (json_int_t)offset, "hits",
                               c.hits));
}

/* ====== Country profile and comparison ====== */

/* The edition of ?edition= if the caller may see its scores (published,
 * or an analyst or admin): 0, or -1 after a 404. */
static int visible_edition(http_req *rq, http_resp *rs, const char **ed)
{
    *ed = http_arg(rq, "edition");
    return *ed ? http_edition_visible(rq, rs, *ed) : 0;
}

int api_country(http_req *rq, http_resp *rs)
{
    const char *ed;
    gca_err err = {0};
    json_t *out = NULL;
    if (visible_edition(rq, rs, &ed) < 0)
        return 0;
    if (gca__rights_profile_json(rq->st, rq->params[0], ed, &out, &err) < 0)
        return http_fail(rs, &err);
    rs->cache = !ed || rq->role == ROLE_ANON;
    return http_json(rs, 200, out);
}

#define COMPARE_MAX 4

int http_profiles(http_req *rq, http_resp *rs, const char *list,
                  const char *edition, json_t **out)
{
    json_t *arr = json_array();
    *out = NULL;
    if (!arr)
        return http_error(rs, 500, "internal", "out of memory"), -1;
    int n = 0;
    for (const char *p = list ? list : ""; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char iso3[8];
        gca_err err = {0};
        json_t *one = NULL;
        if (++n > COMPARE_MAX || len == 0 || len >= sizeof iso3) {
            json_decref(arr);
            http_error(rs, 400, "invalid",
                       "countries: 1 to %d ISO3 codes, comma separated "
                       "(FRA,DEU)",
                       COMPARE_MAX);
            return -1;
        }
        memcpy(iso3, p, len);
        iso3[len] = '\0';
        if (gca__rights_profile_json(rq->st, iso3, edition, &one, &err) < 0 ||
            json_array_append_new(arr, one) < 0) {
            json_decref(arr);
            http_fail(rs, &err);
            return -1;
        }
        p = comma ? comma + 1 : p + len;
    }
    *out = arr;
    return 0;
}

int api_compare(http_req *rq, http_resp *rs)
{
    const char *ed, *list = http_arg(rq, "countries");
    json_t *arr = NULL;
    if (visible_edition(rq, rs, &ed) < 0)
        return 0;
    if (!list || !*list)
        return http_error(rs, 400, "invalid",
                          "countries: give 1 to %d ISO3 codes, comma "
                          "separated (?countries=FRA,DEU)",
                          COMPARE_MAX);
    if (http_profiles(rq, rs, list, ed, &arr) < 0)
        return 0;
    rs->cache = !ed || rq->role == ROLE_ANON;
    return http_json(rs, 200, json_pack("{s:o,s:o}", "edition",
                                        ed ? gca__json_text(ed) : json_null(),
                                        "countries", arr));
}

/* ====== Downloads ====== */

#define TABLE_OOM(err)                                                         \
    gca_fail(err, GCA_ENOMEM, "download", 0, 0, "out of memory")

/* The results of the view: what the rankings page shows. */
static int results_table(const http_view *v, gca__table *t, gca_err *err)
{
    const char *h[6 + HTTP_VIEW_COLS + 5] = {"iso3",  "name",         "region",
                                             "income_group", "score", "rank"};
    size_t n = 6;
    for (size_t k = 0; k < v->ncols; k++)
        h[n++] = v->cols[k];
    size_t tier = n;
    if (v->ntiers) {
        h[n++] = "tier";
        h[n++] = "tier_name";
    }
    size_t robust = n;
    if (v->robust) {
        h[n++] = "rank_q5";
        h[n++] = "rank_q95";
        h[n++] = "tier_probability";
    }
    if (gca__table_init(t, n, h) < 0)
        return TABLE_OOM(err);
    for (size_t k = 4; k < tier; k++)
        gca__table_numeric(t, k);
    for (size_t k = robust; k < n; k++)
        gca__table_numeric(t, k);
    for (size_t i = 0; i < v->nrows; i++) {
        const http_view_row *r = &v->rows[i];
        size_t row = gca__table_row(t);
        gca__table_text(t, row, 0, r->iso3);
        gca__table_text(t, row, 1, r->name);
        gca__table_text(t, row, 2, r->country ? r->country->m49_region : NULL);
        gca__table_text(t, row, 3,
                        r->country ? r->country->income_group : NULL);
        gca__table_num(t, row, 4, r->score);
        gca__table_num(t, row, 5, r->rank ? (double)r->rank : NAN);
        for (size_t k = 0; k < v->ncols; k++)
            gca__table_num(t, row, 6 + k, r->col[k]);
        if (v->ntiers) {
            gca__table_text(t, row, tier, r->tier);
            gca__table_text(t, row, tier + 1,
                            *r->tier ? http_view_tier_name(v, r->tier) : "");
        }
        if (v->robust) {
            gca__table_num(t, row, robust, r->rank_q5);
            gca__table_num(t, row, robust + 1, r->rank_q95);
            gca__table_num(t, row, robust + 2, r->tier_prob);
        }
    }
    return t->err;
}

static int countries_table(gca__table *t, gca_err *err)
{
    static const char *const h[] = {"iso3",       "iso2",         "name",
                                    "region",     "subregion",    "itu_region",
                                    "income_group", "income_group_source"};
    gca_countries *cs = NULL;
    if (gca__table_init(t, GCA_COUNT(h), h) < 0)
        return TABLE_OOM(err);
    int rc = gca_countries_default(&cs, err);
    for (size_t k = 0; rc == 0 && k < gca_countries_count(cs); k++) {
        const gca_country *c = gca_countries_at(cs, k);
        const char *cell[] = {c->iso3,          c->iso2,
                              c->name,          c->m49_region,
                              c->m49_subregion, c->itu_region,
                              c->income_group,  c->income_group_source};
        size_t i = gca__table_row(t);
        for (size_t j = 0; j < GCA_COUNT(cell); j++)
            gca__table_text(t, i, j, cell[j]);
    }
    gca_countries_free(cs);
    return rc < 0 ? rc : t->err;
}

/* A country's node scores in the view: the profile's pillar and
 * indicator tables, with the country's rank on each node. */
static int profile_table(const http_view *v, const char *iso3, gca__table *t,
                         gca_err *err)
{
    static const char *const h[] = {"iso3",  "node", "name", "level",
                                    "score", "rank", "ranked"};
    if (gca__table_init(t, GCA_COUNT(h), h) < 0)
        return TABLE_OOM(err);
    for (size_t k = 3; k < GCA_COUNT(h); k++)
        gca__table_numeric(t, k);
    size_t nn = v->fw ? gca_framework_nnodes(v->fw) : 0;
    for (size_t i = 0; i < v->nodes.n; i++) {
        const struct http_node *e = &v->nodes.v[i];
        if (strcmp(e->iso3, iso3))
            continue;
        const gca_node *node = NULL;
        for (size_t j = 0; j < nn && !node; j++)
            if (!strcmp(gca_framework_node_at(v->fw, j)->code, e->node))
                node = gca_framework_node_at(v->fw, j);
        int of = 0, rank = http_view_column_rank(v, iso3, e->node, &of);
        size_t row = gca__table_row(t);
        gca__table_text(t, row, 0, iso3);
        gca__table_text(t, row, 1, e->node);
        gca__table_text(t, row, 2, node && node->name ? node->name : e->node);
        gca__table_num(t, row, 3, node ? node->level : NAN);
        gca__table_num(t, row, 4, e->score);
        gca__table_num(t, row, 5, rank ? rank : NAN);
        gca__table_num(t, row, 6, of);
    }
    if (!t->nrow)
        return gca_fail(err, GCA_ENOTFOUND, "country", 0, 0,
                        "no score for '%s' in %s", iso3, v->edition);
    return t->err;
}

/* The compare page's table: one row per country of ?countries=. */
static int compare_table(http_req *rq, http_resp *rs, const http_view *v,
                         gca__table *t, gca_err *err)
{
    json_t *ps = NULL;
    if (http_profiles(rq, rs, http_arg(rq, "countries"), NULL, &ps) < 0)
        return 1; /* answered */
    const char *h[6 + HTTP_VIEW_COLS + 2] = {"iso3", "name",  "national_cirt",
                                             "score", "rank", "tier"};
    size_t n = 6;
    for (size_t k = 0; k < v->ncols; k++)
        h[n++] = v->cols[k];
    h[n++] = "rights_flags";
    h[n++] = "rights_measures";
    int rc = gca__table_init(t, n, h);
    if (rc < 0) {
        json_decref(ps);
        return TABLE_OOM(err);
    }
    for (size_t k = 3; k < n - 1; k++)
        if (k != 5)
            gca__table_numeric(t, k);
    gca__table_numeric(t, n - 1);
    size_t i;
    json_t *p;
    json_array_foreach(ps, i, p)
    {
        const char *iso3 = json_string_value(json_object_get(p, "iso3"));
        json_t *rights = json_object_get(p, "rights");
        json_t *cirt = json_object_get(json_object_get(p, "security"),
                                       "national_cirt");
        const http_view_row *r = NULL;
        for (size_t j = 0; j < v->nrows && !r; j++)
            if (!strcmp(v->rows[j].iso3, iso3))
                r = &v->rows[j];
        size_t row = gca__table_row(t);
        gca__table_text(t, row, 0, iso3);
        gca__table_text(t, row, 1,
                        json_string_value(json_object_get(p, "name")));
        gca__table_text(t, row, 2,
                        json_string_value(json_object_get(cirt, "status")));
        gca__table_num(t, row, 3, r ? r->score : NAN);
        gca__table_num(t, row, 4, r && r->rank ? r->rank : NAN);
        gca__table_text(t, row, 5, r ? r->tier : "");
        for (size_t k = 0; k < v->ncols; k++)
            gca__table_num(t, row, 6 + k, r ? r->col[k] : NAN);
        gca__table_text(t, row, n - 2,
                        json_string_value(json_object_get(rights, "flags")));
        gca__table_num(t, row, n - 1,
                       (double)json_array_size(
                           json_object_get(rights, "measures")));
    }
    json_decref(ps);
    return t->err;
}

static int kb_row(const gca_kb_hit *h, void *ctx)
{
    gca__table *t = ctx;
    const gca_kb_entry *e = &h->entry;
    const char *cell[] = {e->id,     e->kind,   e->title,  e->countries,
                          e->region, e->status, e->url,    e->source};
    size_t row = gca__table_row(t);
    for (size_t j = 0; j < GCA_COUNT(cell); j++)
        gca__table_text(t, row, j, cell[j]);
    gca__table_num(t, row, GCA_COUNT(cell), e->year ? e->year : NAN);
    gca__table_num(t, row, GCA_COUNT(cell) + 1, h->score);
    return t->err;
}

/* The gateway search page's hits for ?q= and ?kind=, up to 1000. */
static int search_table(http_req *rq, gca__table *t, gca_err *err)
{
    static const char *const h[] = {"id",     "kind",   "title", "countries",
                                    "region", "status", "url",   "source",
                                    "year",   "score"};
    const char *kind = http_arg(rq, "kind");
    gca_kb_query q = {.text = http_arg(rq, "q"),
                      .kind = kind && *kind ? kind : NULL,
                      .limit = 1000};
    if (gca__table_init(t, GCA_COUNT(h), h) < 0)
        return TABLE_OOM(err);
    gca__table_numeric(t, 8);
    gca__table_numeric(t, 9);
    size_t total = 0;
    if (!q.text || !*q.text)
        return gca_fail(err, GCA_EINVAL, "q", 0, 0,
                        "q: the words searched for are missing");
    return gca_kb_search(rq->st, &q, kb_row, t, &total, err);
}

/* GET /api/v1/downloads/{edition}/{table}.{csv,json,xlsx}: a stable
 * address per edition (HTTP_PUBLISHED is ITU's GCI 2020 as published)
 * for every table the pages show: results (?region= ?income=),
 * countries, profile-ISO3, compare (?countries=); and the gateway's
 * search (/downloads/gateway/search.csv?q=&kind=). */
int api_download(http_req *rq, http_resp *rs)
{
    const char *edition = rq->params[0], *file = rq->params[1];
    const char *dot = strrchr(file, '.');
    static const struct {
        const char *ext, *type;
        gca_format fmt;
    } kinds[] = {
        {"csv", "text/csv; charset=utf-8", GCA_FORMAT_CSV},
        {"json", "application/json", GCA_FORMAT_JSON},
        {"xlsx",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         0},
    };
    size_t k = GCA_COUNT(kinds);
    for (size_t i = 0; dot && i < GCA_COUNT(kinds); i++)
        if (!strcmp(dot + 1, kinds[i].ext))
            k = i;
    char table[32];
    size_t n = dot ? (size_t)(dot - file) : 0;
    if (k == GCA_COUNT(kinds) || n == 0 || n >= sizeof table)
        return http_error(rs, 404, "not_found",
                          "downloads are TABLE.csv, TABLE.json or "
                          "TABLE.xlsx");
    memcpy(table, file, n);
    table[n] = '\0';
    int gateway = !strcmp(edition, "gateway");
    int profile = !strncmp(table, "profile-", 8) && strlen(table) == 11;
    if (gateway ? strcmp(table, "search")
                : strcmp(table, "results") && strcmp(table, "countries") &&
                      strcmp(table, "compare") && !profile)
        return http_error(rs, 404, "not_found",
                          "no table '%s' (results, countries, profile-ISO3, "
                          "compare; gateway/search)",
                          table);
    gca__table t;
    memset(&t, 0, sizeof t);
    gca_err err = {0};
    http_view v;
    int rc, has_view = 0;
    if (gateway)
        rc = search_table(rq, &t, &err);
    else if (!strcmp(table, "countries"))
        rc = countries_table(&t, &err);
    else {
        if (http_view_load(rq, rs, edition, !strcmp(table, "results"), &v) < 0)
            return 0;
        has_view = 1;
        if (profile)
            rc = profile_table(&v, table + 8, &t, &err);
        else if (!strcmp(table, "compare"))
            rc = compare_table(rq, rs, &v, &t, &err);
        else
            rc = results_table(&v, &t, &err);
    }
    char *out = NULL;
    size_t len = 0;
    if (rc == 0)
        rc = kinds[k].fmt ? gca__table_render(&t, kinds[k].fmt, &out, &len,
                                              &err)
                          : gca__table_xlsx(&t, table, &out, &len, &err);
    gca__table_release(&t);
    int published = !has_view || v.is_published;
    if (has_view)
        http_view_release(&v);
    if (rc > 0)
        return 0; /* answered already */
    if (rc < 0)
        return http_fail(rs, &err);
    gca_buf_add(&rs->body, out, len);
    gca_free(out);
    rs->status = 200;
    rs->type = kinds[k].type;
    rs->cache = published || rq->role == ROLE_ANON;
    snprintf(rs->filename, sizeof rs->filename, "%s-%s.%s", edition, table,
             kinds[k].ext);
    return 0;
}
