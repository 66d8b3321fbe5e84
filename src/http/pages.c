/* pages.c - the public pages of the portal, rendered on the server so
 * that they work without JavaScript (web/app.js only enhances them):
 * home, rankings, country profile, compare, knowledge-base search, the
 * log-in page, and the static files of web/ (built into the binary).
 * Every text from the database goes through gca_buf_html(). The pages read the
 * same library calls as the API, so both say the same thing. */
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
#include "render/svg.h"
#include "rights/json.h"

#include "core/banned.h"

/* ====== HTML ====== */


/* A query argument value, percent-encoded. */
static void url_esc(gca_buf *b, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')
            gca_buf_putc(b, (char)c);
        else
            gca_buf_printf(b, "%%%02X", c);
    }
}

/* `text` as a link to `url` when that is an http(s) address (no
 * javascript: or data: links from the database), else as text. */
static void ext_link(gca_buf *b, const char *url, const char *text)
{
    if (url && (!strncmp(url, "https://", 8) || !strncmp(url, "http://", 7))) {
        gca_buf_puts(b, "<a rel=\"noopener noreferrer\" href=\"");
        gca_buf_html(b, url);
        gca_buf_puts(b, "\">");
        gca_buf_html(b, text ? text : url);
        gca_buf_puts(b, "</a>");
    } else {
        gca_buf_html(b, text);
    }
}

static const struct {
    const char *path, *label;
} nav[] = {
    {"/", "Home"},
    {"/rankings", "Rankings"},
    {"/compare", "Compare"},
    {"/search", "Gateway"},
    {"/login", "Workspace"},
};

static void page_begin(http_resp *rs, const char *title, const char *here)
{
    gca_buf *b = &rs->body;
    rs->status = 200;
    rs->type = "text/html; charset=utf-8";
    gca_buf_puts(b, "<!doctype html>\n<html lang=\"en\"><head>"
                    "<meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width, "
                    "initial-scale=1\"><title>");
    gca_buf_html(b, title);
    gca_buf_puts(b, " - gca</title>"
                    "<link rel=\"stylesheet\" href=\"/static/style.css\">"
                    "<script type=\"module\" src=\"/static/app.js\">"
                    "</script></head><body>"
                    "<a class=\"skip\" href=\"#main\">Skip to content</a>"
                    "<header><nav aria-label=\"Main\"><ul>");
    for (size_t i = 0; i < GCA_COUNT(nav); i++) {
        int on = !strcmp(nav[i].path, here);
        gca_buf_printf(b, "<li><a href=\"%s\"%s>%s</a></li>", nav[i].path,
                       on ? " aria-current=\"page\"" : "", nav[i].label);
    }
    gca_buf_puts(b, "</ul></nav></header><main id=\"main\"><h1>");
    gca_buf_html(b, title);
    gca_buf_puts(b, "</h1>");
}

static int page_end(http_resp *rs)
{
    gca_buf_puts(&rs->body,
                 "</main><footer><p>gca: open, reproducible measurement for "
                 "the ITU Global Cybersecurity Agenda. Every number here can "
                 "be rebuilt from the <a href=\"/api/v1/openapi.yaml\">"
                 "API</a> and its downloads. Security scores and rights "
                 "measures are shown side by side and never combined.</p>"
                 "</footer></body></html>\n");
    if (gca_buf_error(&rs->body)) {
        gca_buf_reset(&rs->body);
        return http_error(rs, 500, "internal", "out of memory");
    }
    return 0;
}

static void num(gca_buf *b, double v)
{
    if (isnan(v))
        gca_buf_puts(b, "<span class=\"na\">no data</span>");
    else
        gca_buf_printf(b, "%.2f", v);
}

/* ====== Rankings ====== */

typedef struct rank_rows {
    http_req *rq;
    gca_buf *b;
    const char *region; /* M49 region filter, NULL = all */
    const gca_countries *cs;
    size_t shown, limit;
    const http_nodes *nodes; /* pillar columns */
} rank_rows;

static int rank_row(const gca_rights_rank *r, void *ctx)
{
    rank_rows *c = ctx;
    const gca_country *cty = gca_countries_by_iso3(c->cs, r->iso3);
    const char *region = cty && cty->m49_region ? cty->m49_region : "";
    if (c->region && strcmp(region, c->region))
        return 0;
    if (c->limit && c->shown >= c->limit)
        return 0;
    char flags[GCA_RIGHTS_FLAGS_MAX] = "";
    gca_err err = {0};
    gca_rights_country_flags(c->rq->st, r->iso3, flags, &err);
    gca_buf *b = c->b;
    gca_buf_puts(b, "<tr><td class=\"num\">");
    if (r->rank)
        gca_buf_printf(b, "%d", r->rank);
    gca_buf_puts(b, "</td><td><a href=\"/countries/");
    gca_buf_html(b, r->iso3);
    gca_buf_puts(b, "\">");
    gca_buf_html(b, r->name);
    gca_buf_puts(b, "</a></td><td>");
    gca_buf_html(b, region);
    gca_buf_puts(b, "</td><td class=\"num\">");
    num(b, r->score);
    for (size_t k = 0; k < c->nodes->ncols; k++) {
        gca_buf_puts(b, "</td><td class=\"num\">");
        num(b, http_nodes_score(c->nodes, r->iso3, c->nodes->cols[k], NULL));
    }
    gca_buf_puts(b, "</td><td class=\"flags\">");
    gca_buf_html(b, *flags ? flags : "");
    gca_buf_puts(b, "</td></tr>");
    c->shown++;
    return 0;
}

/* The ranking table; 0, or -1 after an error answer. */
static int ranking_table(http_req *rq, http_resp *rs,
                         const gca_countries *cs, const char *region,
                         size_t limit)
{
    gca_err err = {0};
    http_nodes nodes;
    if (http_nodes_load(rq, rs, NULL, "GCI", &nodes) < 0)
        return -1;
    gca_buf *b = &rs->body;
    gca_buf_puts(b, "<table class=\"sortable\"><caption>ITU Global "
                    "Cybersecurity Index 2020 as published: overall score "
                    "(0-100) and pillar scores (0-20)</caption><thead><tr>"
                    "<th scope=\"col\">Rank</th><th scope=\"col\">Country"
                    "</th><th scope=\"col\">Region</th><th scope=\"col\">"
                    "Score</th>");
    for (size_t k = 0; k < nodes.ncols; k++) {
        gca_buf_puts(b, "<th scope=\"col\">");
        gca_buf_html(b, nodes.cols[k]);
        gca_buf_puts(b, "</th>");
    }
    gca_buf_puts(b, "<th scope=\"col\"><abbr title=\"Rights measures "
                    "recorded: E lawful access/E2EE, C encryption "
                    "restriction, R data retention, I subscriber ID, G "
                    "routing/gateway, S shutdown; lower case = proposed. "
                    "None shown means none recorded, not none.\">Rights "
                    "flags</abbr></th></tr></thead><tbody>");
    rank_rows c = {rq, b, region, cs, 0, limit, &nodes};
    int rc = gca_rights_ranking(rq->st, NULL, 0, rank_row, &c, &err);
    http_nodes_release(&nodes);
    if (rc < 0) {
        http_fail(rs, &err);
        return -1;
    }
    gca_buf_puts(b, "</tbody></table>");
    if (!c.shown)
        gca_buf_puts(b, "<p>No country matches.</p>");
    return 0;
}

/* ====== The world map ====== */

#define MAX_SCORES 300

typedef struct map_ctx {
    char iso3[MAX_SCORES][4];
    double score[MAX_SCORES];
    size_t n;
    const char *region;
    const gca_countries *cs;
} map_ctx;

static int map_score(const gca_rights_rank *r, void *ctx)
{
    map_ctx *m = ctx;
    if (m->n < MAX_SCORES && strlen(r->iso3) == 3) {
        memcpy(m->iso3[m->n], r->iso3, 4);
        m->score[m->n++] = r->score;
    }
    return 0;
}

/* Bands of 20 points of the 0-100 score; -1 no data, -2 outside the
 * region. */
static int map_band(const char *iso3, const char *name, int *band,
                    char *title, size_t size, void *ctx)
{
    map_ctx *m = ctx;
    const gca_country *c = gca_countries_by_iso3(m->cs, iso3);
    if (m->region && (!c || !c->m49_region || strcmp(c->m49_region, m->region))) {
        *band = -2;
        snprintf(title, size, "%s: outside %s", name, m->region);
        return 0;
    }
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->iso3[i], iso3) && !isnan(m->score[i])) {
            int b = (int)(m->score[i] / 20.0);
            *band = b < 0 ? 0 : b > 4 ? 4 : b;
            snprintf(title, size, "%s: %.2f", name, m->score[i]);
            return 0;
        }
    *band = -1;
    snprintf(title, size, "%s: no data", name);
    return 0;
}

/* The UN M49 regions the map and the rankings filter on. */
static const char *const regions[] = {"Africa", "Americas", "Asia",
                                      "Europe", "Oceania"};

/* ?region= into *region (NULL = all): 0, or -1 after a 400. */
static int region_arg(http_req *rq, http_resp *rs, const char **region)
{
    const char *r = http_arg(rq, "region");
    *region = NULL;
    if (!r || !*r)
        return 0;
    for (size_t i = 0; i < GCA_COUNT(regions); i++)
        if (!strcmp(r, regions[i])) {
            *region = regions[i];
            return 0;
        }
    http_error(rs, 400, "invalid",
               "region: one of Africa, Americas, Asia, Europe, Oceania");
    return -1;
}

/* The region filter: a form to `action`, `all` naming no filter. */
static void region_form(gca_buf *b, const char *action, const char *all,
                        const char *region)
{
    gca_buf_printf(b, "<form method=\"get\" action=\"%s\"><label for=\""
                      "region\">Region</label> <select id=\"region\" "
                      "name=\"region\"><option value=\"\">%s</option>",
                   action, all);
    for (size_t i = 0; i < GCA_COUNT(regions); i++)
        gca_buf_printf(b, "<option%s>%s</option>",
                       region == regions[i] ? " selected" : "", regions[i]);
    gca_buf_puts(b, "</select> <button>Show</button></form>");
}

/* The map of GCI 2020 as published, with its legend and region filter;
 * the ranking table below the map is its text equivalent. 0, or -1
 * after an error answer. */
static int world_map(http_req *rq, http_resp *rs, const gca_countries *cs,
                     const char *region)
{
    gca_err err = {0};
    map_ctx *m = calloc(1, sizeof *m);
    if (!m) {
        http_error(rs, 500, "internal", "out of memory");
        return -1;
    }
    m->region = region;
    m->cs = cs;
    int rc = gca_rights_ranking(rq->st, NULL, 0, map_score, m, &err);
    gca_buf *b = &rs->body;
    if (rc == 0) {
        gca_buf_puts(b, "<figure>");
        region_form(b, "/", "World", region);
        rc = gca__svg_world_map(cs, map_band, m,
                                "World map of GCI 2020 overall scores "
                                "(table below)",
                                b, &err);
    }
    free(m);
    if (rc < 0) {
        http_fail(rs, &err);
        return -1;
    }
    gca_buf_puts(b, "<figcaption>GCI 2020 overall score as published by "
                    "ITU (0-100). <ul class=\"legend\"><li><span class=\"sw "
                    "b0\"></span>0-20</li><li><span class=\"sw b1\"></span>"
                    "20-40</li><li><span class=\"sw b2\"></span>40-60</li>"
                    "<li><span class=\"sw b3\"></span>60-80</li><li><span "
                    "class=\"sw b4\"></span>80-100</li><li><span class=\"sw "
                    "nodata\"></span>no data</li></ul> Boundaries: Natural "
                    "Earth 1:110m (public domain).</figcaption></figure>");
    return 0;
}

int page_home(http_req *rq, http_resp *rs)
{
    const char *region;
    if (region_arg(rq, rs, &region) < 0)
        return 0;
    page_begin(rs, "Global Cybersecurity Agenda toolkit", "/");
    gca_buf *b = &rs->body;
    gca_buf_puts(b,
                 "<p>Scores of national cybersecurity commitment, the "
                 "evidence behind them, and the gateway of initiatives, "
                 "legal instruments, national CIRTs, standards and norms. "
                 "Rights measures (lawful access, encryption limits, data "
                 "retention, subscriber identification, routing "
                 "restrictions, shutdowns) are shown beside every score, "
                 "never added to or subtracted from it.</p>"
                 "<form action=\"/search\" method=\"get\" role=\"search\">"
                 "<label for=\"q\">Search the gateway</label> "
                 "<input id=\"q\" name=\"q\" type=\"search\"> "
                 "<button>Search</button></form>");
    /* One country list for the map and the table. */
    gca_err err = {0};
    gca_countries *cs = NULL;
    if (gca_countries_default(&cs, &err) < 0)
        return http_fail(rs, &err);
    int rc = world_map(rq, rs, cs, region);
    if (rc == 0) {
        gca_buf_puts(b, "<h2>Top ten</h2>");
        rc = ranking_table(rq, rs, cs, region, 10);
    }
    gca_countries_free(cs);
    if (rc < 0)
        return 0;
    gca_buf_puts(b, "<p><a href=\"/rankings\">All countries</a> &middot; "
                    "download: <a href=\"/api/v1/downloads/"
                    "gci-2020-published/results.csv\">CSV</a>, <a href=\""
                    "/api/v1/downloads/gci-2020-published/results.json\">"
                    "JSON</a>, <a href=\"/api/v1/downloads/"
                    "gci-2020-published/results.xlsx\">XLSX</a></p>");
    rs->cache = rq->role == ROLE_ANON;
    return page_end(rs);
}

int page_rankings(http_req *rq, http_resp *rs)
{
    const char *region;
    if (region_arg(rq, rs, &region) < 0)
        return 0;
    page_begin(rs, "Rankings", "/rankings");
    region_form(&rs->body, "/rankings", "All", region);
    gca_err err = {0};
    gca_countries *cs = NULL;
    if (gca_countries_default(&cs, &err) < 0)
        return http_fail(rs, &err);
    int rc = ranking_table(rq, rs, cs, region, 0);
    gca_countries_free(cs);
    if (rc < 0)
        return 0;
    rs->cache = rq->role == ROLE_ANON;
    return page_end(rs);
}

/* ====== Country profile and comparison ====== */

static const char *jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static void security_rows(gca_buf *b, json_t *p)
{
    json_t *sec = json_object_get(p, "security");
    json_t *pub = json_object_get(sec, "published");
    json_t *cirt = json_object_get(sec, "national_cirt");
    gca_buf_puts(b, "<dl class=\"security\"><dt>GCI 2020 score</dt><dd>");
    if (json_is_object(pub))
        num(b, json_number_value(json_object_get(pub, "score")));
    else
        gca_buf_puts(b, "<span class=\"na\">not published</span>");
    gca_buf_puts(b, "</dd><dt>GCI 2020 rank</dt><dd>");
    json_t *rank = json_object_get(pub, "rank");
    if (json_is_integer(rank))
        gca_buf_printf(b, "%lld", (long long)json_integer_value(rank));
    else
        gca_buf_puts(b, "<span class=\"na\">none</span>");
    json_t *ed = json_object_get(sec, "edition");
    if (json_is_object(ed)) {
        gca_buf_puts(b, "</dd><dt>");
        gca_buf_html(b, jstr(ed, "edition"));
        gca_buf_puts(b, " score</dt><dd class=\"edition-score\">");
        num(b, json_is_true(json_object_get(ed, "scored"))
                   ? json_number_value(json_object_get(ed, "score"))
                   : NAN);
        json_t *er = json_object_get(ed, "rank");
        if (json_is_integer(er))
            gca_buf_printf(b, " (rank %lld)", (long long)json_integer_value(er));
        if (jstr(ed, "tier")) {
            gca_buf_puts(b, ", tier ");
            gca_buf_html(b, jstr(ed, "tier"));
        }
    }
    gca_buf_puts(b, "</dd><dt>National CIRT</dt><dd>");
    gca_buf_html(b, jstr(cirt, "status"));
    if (jstr(cirt, "team")) {
        gca_buf_puts(b, ": ");
        gca_buf_html(b, jstr(cirt, "team"));
    }
    gca_buf_puts(b, "</dd></dl>");
}

static void rights_list(gca_buf *b, json_t *p)
{
    json_t *r = json_object_get(p, "rights");
    json_t *ms = json_object_get(r, "measures");
    gca_buf_puts(b, "<p class=\"flags\">Flags: <strong>");
    gca_buf_html(b, *jstr(r, "flags") ? jstr(r, "flags") : "none recorded");
    gca_buf_puts(b, "</strong>. ");
    gca_buf_html(b, jstr(r, "note"));
    gca_buf_puts(b, "</p>");
    if (!json_array_size(ms)) {
        gca_buf_puts(b, "<p>No measure recorded.</p>");
        return;
    }
    gca_buf_puts(b, "<table><thead><tr><th scope=\"col\">Measure</th>"
                    "<th scope=\"col\">Status</th><th scope=\"col\">"
                    "Instrument</th><th scope=\"col\">Year</th><th "
                    "scope=\"col\">Evidence</th></tr></thead><tbody>");
    size_t i;
    json_t *m;
    json_array_foreach(ms, i, m)
    {
        gca_buf_puts(b, "<tr><td>");
        gca_buf_html(b, jstr(m, "measure"));
        gca_buf_puts(b, "</td><td>");
        gca_buf_html(b, jstr(m, "status"));
        gca_buf_puts(b, "</td><td>");
        gca_buf_html(b, jstr(m, "instrument"));
        gca_buf_puts(b, "</td><td>");
        json_t *y = json_object_get(m, "year");
        if (json_is_integer(y))
            gca_buf_printf(b, "%lld", (long long)json_integer_value(y));
        gca_buf_puts(b, "</td><td>");
        json_t *ev = json_object_get(m, "evidence");
        ext_link(b, jstr(ev, "url"), jstr(ev, "source"));
        if (json_is_true(json_object_get(m, "unverified")))
            gca_buf_puts(b, " <em>(unverified: secondary source)</em>");
        gca_buf_puts(b, "</td></tr>");
    }
    gca_buf_puts(b, "</tbody></table>");
}

/* One row of a profile's edition history. */
typedef struct history_ctx {
    http_req *rq;
    const char *iso3;
    gca_buf *b;
    int rows;
} history_ctx;

static int history_row(const gca_edition *e, void *ctx)
{
    history_ctx *h = ctx;
    gca_rights_security sec;
    gca_err err = {0};
    if (strcmp(e->state, "published") ||
        gca_rights_security_get(h->rq->st, h->iso3, e->code, &sec, &err) < 0)
        return 0;
    gca_buf *b = h->b;
    gca_buf_puts(b, "<tr><th scope=\"row\">");
    gca_buf_html(b, e->code);
    gca_buf_puts(b, "</th><td class=\"num\">");
    num(b, sec.has_edition ? sec.edition_score : NAN);
    gca_buf_puts(b, "</td><td class=\"num\">");
    if (sec.edition_rank)
        gca_buf_printf(b, "%d", sec.edition_rank);
    gca_buf_puts(b, "</td><td>");
    gca_buf_html(b, sec.edition_tier);
    gca_buf_puts(b, "</td></tr>");
    h->rows++;
    return 0;
}

/* Every published edition's score for the country, newest first, and
 * GCI 2020 as published. */
static void edition_history(http_req *rq, const char *iso3, json_t *p,
                            gca_buf *b)
{
    gca_err err = {0};
    gca_buf_puts(b, "<h2>Edition history</h2><table class=\"history\">"
                    "<thead><tr><th scope=\"col\">Edition</th><th scope=\""
                    "col\">Score</th><th scope=\"col\">Rank</th><th scope"
                    "=\"col\">Tier</th></tr></thead><tbody>");
    history_ctx h = {rq, iso3, b, 0};
    gca_edition_list(rq->st, history_row, &h, &err);
    json_t *pub = json_object_get(json_object_get(p, "security"),
                                  "published");
    if (json_is_object(pub)) {
        gca_buf_puts(b, "<tr><th scope=\"row\">GCI 2020 (ITU, as "
                        "published)</th><td class=\"num\">");
        num(b, json_number_value(json_object_get(pub, "score")));
        gca_buf_puts(b, "</td><td class=\"num\">");
        json_t *rank = json_object_get(pub, "rank");
        if (json_is_integer(rank))
            gca_buf_printf(b, "%lld", (long long)json_integer_value(rank));
        gca_buf_puts(b, "</td><td></td></tr>");
    }
    gca_buf_puts(b, "</tbody></table>");
}

/* The newest published edition's code into out[], "" if none. */
static int newest_published(const gca_edition *e, void *ctx)
{
    char *out = ctx;
    if (*out || strcmp(e->state, "published"))
        return 0;
    snprintf(out, GCA_EDITION_CODE_MAX + 1, "%s", e->code);
    return 1;
}

int page_country(http_req *rq, http_resp *rs)
{
    gca_err err = {0};
    json_t *p = NULL;
    char ed[GCA_EDITION_CODE_MAX + 1] = "";
    if (gca_edition_list(rq->st, newest_published, ed, &err) < 0 ||
        gca__rights_profile_json(rq->st, rq->params[0], *ed ? ed : NULL, &p,
                                 &err) < 0)
        return http_fail(rs, &err);
    page_begin(rs, jstr(p, "name"), "");
    gca_buf *b = &rs->body;
    gca_buf_puts(b, "<p>");
    gca_buf_html(b, jstr(p, "m49_region"));
    gca_buf_puts(b, " / ");
    gca_buf_html(b, jstr(p, "m49_subregion"));
    gca_buf_puts(b, "</p><div class=\"side-by-side\"><section aria-labelledby"
                    "=\"sec\"><h2 id=\"sec\">Security</h2>");
    security_rows(b, p);
    http_nodes nodes;
    if (http_nodes_load(rq, rs, NULL, "GCI", &nodes) < 0) {
        json_decref(p);
        return 0;
    }
    if (nodes.ncols) {
        const char *labels[16];
        double vals[16];
        for (size_t k = 0; k < nodes.ncols; k++) {
            labels[k] = nodes.cols[k];
            vals[k] = http_nodes_score(&nodes, rq->params[0], nodes.cols[k],
                                       NULL);
        }
        gca_buf_puts(b, "<h3>GCI 2020 pillars (0-20)</h3>");
        gca__svg_bars(labels, vals, nodes.ncols, 20.0,
                      "GCI 2020 pillar scores (table below)", b, &err);
        gca_buf_puts(b, "<table class=\"pillars\"><thead><tr><th scope=\""
                        "col\">Pillar</th><th scope=\"col\">Score</th></tr>"
                        "</thead><tbody>");
        for (size_t k = 0; k < nodes.ncols; k++) {
            gca_buf_puts(b, "<tr><th scope=\"row\">");
            gca_buf_html(b, labels[k]);
            gca_buf_puts(b, "</th><td class=\"num\">");
            num(b, vals[k]);
            gca_buf_puts(b, "</td></tr>");
        }
        gca_buf_puts(b, "</tbody></table>");
    }
    http_nodes_release(&nodes);
    edition_history(rq, rq->params[0], p, b);
    gca_buf_puts(b, "</section><section aria-labelledby=\"rig\"><h2 id=\"rig"
                    "\">Rights measures (never added to the score)</h2>");
    rights_list(b, p);
    gca_buf_puts(b, "</section></div><p><a href=\"/api/v1/countries/");
    gca_buf_html(b, rq->params[0]);
    gca_buf_puts(b, "\">This profile as JSON</a> &middot; <a href=\"/compare"
                    "?countries=");
    url_esc(b, rq->params[0]);
    gca_buf_puts(b, "\">Compare with others</a></p>");
    json_decref(p);
    rs->cache = rq->role == ROLE_ANON;
    return page_end(rs);
}

int page_compare(http_req *rq, http_resp *rs)
{
    const char *list = http_arg(rq, "countries");
    json_t *ps = NULL;
    if (http_profiles(rq, rs, list, NULL, &ps) < 0)
        return 0;
    page_begin(rs, "Compare countries", "/compare");
    gca_buf *b = &rs->body;
    gca_buf_puts(b, "<form method=\"get\" action=\"/compare\"><label for=\""
                    "countries\">Up to four ISO3 codes, comma separated"
                    "</label> <input id=\"countries\" name=\"countries\" "
                    "value=\"");
    gca_buf_html(b, list ? list : "");
    gca_buf_puts(b, "\" placeholder=\"FRA,DEU,GBR\"> <button>Compare</button>"
                    "</form>");
    if (json_array_size(ps)) {
        size_t i;
        json_t *p;
        gca_buf_puts(b, "<div class=\"compare\">");
        json_array_foreach(ps, i, p)
        {
            gca_buf_puts(b, "<section><h2><a href=\"/countries/");
            gca_buf_html(b, jstr(p, "iso3"));
            gca_buf_puts(b, "\">");
            gca_buf_html(b, jstr(p, "name"));
            gca_buf_puts(b, "</a></h2>");
            security_rows(b, p);
            gca_buf_puts(b, "<h3>Rights measures</h3>");
            rights_list(b, p);
            gca_buf_puts(b, "</section>");
        }
        gca_buf_puts(b, "</div>");
    }
    json_decref(ps);
    rs->cache = rq->role == ROLE_ANON;
    return page_end(rs);
}

/* ====== Gateway search ====== */

typedef struct search_page {
    gca_buf *b;
} search_page;

/* The snippet with its marks (\x02, \x03) as <mark>, everything else
 * escaped. */
static void snippet(gca_buf *b, const char *s)
{
    char one[2] = {0, 0};
    for (; s && *s; s++) {
        if (*s == '\x02')
            gca_buf_puts(b, "<mark>");
        else if (*s == '\x03')
            gca_buf_puts(b, "</mark>");
        else {
            one[0] = *s;
            gca_buf_html(b, one);
        }
    }
}

static int search_hit(const gca_kb_hit *h, void *ctx)
{
    gca_buf *b = ((search_page *)ctx)->b;
    const gca_kb_entry *e = &h->entry;
    gca_buf_puts(b, "<li><h3>");
    ext_link(b, e->url, e->title);
    gca_buf_puts(b, "</h3><p class=\"meta\">");
    gca_buf_html(b, e->kind);
    if (e->year)
        gca_buf_printf(b, ", %d", e->year);
    if (*e->countries) {
        gca_buf_puts(b, ", ");
        gca_buf_html(b, e->countries);
    }
    gca_buf_puts(b, "</p><p>");
    snippet(b, h->snippet);
    gca_buf_puts(b, "</p><p class=\"source\">Source: ");
    gca_buf_html(b, e->source);
    gca_buf_puts(b, "</p></li>");
    return 0;
}

int page_search(http_req *rq, http_resp *rs)
{
    const char *q = http_arg(rq, "q"), *kind = http_arg(rq, "kind");
    if (kind && !*kind)
        kind = NULL;
    long offset;
    if (http_arg_int(rq, rs, "offset", 0, 1000000, 0, &offset) < 0)
        return 0;
    gca_kb_query query = {.text = q, .kind = kind, .limit = 20,
                          .offset = (int)offset, .mark_open = "\x02",
                          .mark_close = "\x03"};
    gca_buf hits = GCA_BUF_INIT((size_t)1 << 24);
    search_page sp = {&hits};
    size_t total = 0;
    gca_err err = {0};
    if (q && *q &&
        gca_kb_search(rq->st, &query, search_hit, &sp, &total, &err) < 0) {
        gca_buf_release(&hits);
        return http_fail(rs, &err);
    }
    page_begin(rs, "Gateway", "/search");
    gca_buf *b = &rs->body;
    gca_buf_puts(b, "<form method=\"get\" action=\"/search\" role=\"search\">"
                    "<label for=\"q\">Words</label> <input id=\"q\" "
                    "name=\"q\" type=\"search\" value=\"");
    gca_buf_html(b, q ? q : "");
    gca_buf_puts(b, "\"> <label for=\"kind\">Kind</label> <select id=\"kind\""
                    " name=\"kind\"><option value=\"\">Any</option>");
    for (size_t i = 0; gca_kb_kinds[i]; i++) {
        gca_buf_printf(b, "<option%s>",
                       kind && !strcmp(kind, gca_kb_kinds[i]) ? " selected"
                                                              : "");
        gca_buf_html(b, gca_kb_kinds[i]);
        gca_buf_puts(b, "</option>");
    }
    gca_buf_puts(b, "</select> <button>Search</button></form>"
                    "<p class=\"help\">All words must match; \"quoted words"
                    "\" match as a phrase; a trailing * matches a prefix; OR "
                    "and -excluded are understood.</p>");
    if (q && *q) {
        gca_buf_printf(b, "<p role=\"status\">%zu entr%s found.</p><ol>",
                       total, total == 1 ? "y" : "ies");
        gca_buf_add(b, hits.ptr ? hits.ptr : "", hits.len);
        gca_buf_puts(b, "</ol>");
        if ((size_t)offset + 20 < total) {
            gca_buf_puts(b, "<p><a href=\"/search?q=");
            url_esc(b, q);
            if (kind) {
                gca_buf_puts(b, "&amp;kind=");
                url_esc(b, kind);
            }
            gca_buf_printf(b, "&amp;offset=%ld\">Next page</a></p>",
                           offset + 20);
        }
    }
    gca_buf_release(&hits);
    rs->cache = rq->role == ROLE_ANON;
    return page_end(rs);
}

/* ====== Log-in page and static files ====== */

int page_login(http_req *rq, http_resp *rs)
{
    page_begin(rs, "Workspace", "/login");
    gca_buf *b = &rs->body;
    if (rq->has_session) {
        gca_buf_puts(b, "<p>Logged in as <strong>");
        gca_buf_html(b, rq->session.user.name);
        gca_buf_puts(b, "</strong> (");
        gca_buf_html(b, rq->session.user.role);
        gca_buf_puts(b, ").</p>");
    }
    gca_buf_puts(b, "<form id=\"login\" method=\"post\" action=\""
                    "/api/v1/session\"><p><label for=\"name\">User name"
                    "</label> <input id=\"name\" name=\"name\" "
                    "autocomplete=\"username\" required></p><p><label for="
                    "\"password\">Password</label> <input id=\"password\" "
                    "name=\"password\" type=\"password\" autocomplete=\""
                    "current-password\" required></p><p><button>Log in"
                    "</button></p><p id=\"login-status\" role=\"status\">"
                    "</p></form><noscript><p>The workspace needs "
                    "JavaScript; the public pages do not.</p></noscript>");
    return page_end(rs);
}

int page_static(http_req *rq, http_resp *rs)
{
    static const struct {
        const char *ext, *type;
    } types[] = {{".css", "text/css; charset=utf-8"},
                 {".js", "text/javascript; charset=utf-8"},
                 {".svg", "image/svg+xml"}};
    char name[128];
    const char *file = rq->params[0];
    int n = snprintf(name, sizeof name, "web/%s", file);
    const gca__blob *blob = n > 0 && (size_t)n < sizeof name
                                ? gca__embedded(name)
                                : NULL;
    const char *type = NULL;
    for (size_t i = 0; blob && i < GCA_COUNT(types); i++) {
        size_t el = strlen(types[i].ext), fl = strlen(file);
        if (fl > el && !strcmp(file + fl - el, types[i].ext))
            type = types[i].type;
    }
    if (!blob || !type)
        return http_error(rs, 404, "not_found", "no such file");
    rs->status = 200;
    rs->type = type;
    rs->cache = 1;
    gca_buf_add(&rs->body, blob->data, blob->len);
    return 0;
}

/* The workspace: a shell the logged-in user's tools are built into by
 * web/workspace.js from the API (questionnaire for focal points, review
 * queue for analysts, editions and users for admins). */
int page_workspace(http_req *rq, http_resp *rs)
{
    page_begin(rs, "Workspace", "/login");
    gca_buf *b = &rs->body;
    if (!rq->has_session) {
        gca_buf_puts(b, "<p>Please <a href=\"/login\">log in</a>.</p>");
        return page_end(rs);
    }
    gca_buf_puts(b, "<script type=\"module\" src=\"/static/workspace.js\">"
                    "</script><p id=\"ws-user\">Logged in as <strong>");
    gca_buf_html(b, rq->session.user.name);
    gca_buf_puts(b, "</strong> (");
    gca_buf_html(b, rq->session.user.role);
    if (*rq->session.user.country) {
        gca_buf_puts(b, ", ");
        gca_buf_html(b, rq->session.user.country);
    }
    gca_buf_puts(b, "). <button id=\"logout\" type=\"button\">Log out"
                    "</button></p><p><label for=\"edition\">Edition</label> "
                    "<select id=\"edition\"></select></p>"
                    "<p id=\"ws-status\" role=\"status\"></p>"
                    "<div id=\"ws\" data-role=\"");
    gca_buf_html(b, rq->session.user.role);
    gca_buf_puts(b, "\" data-country=\"");
    gca_buf_html(b, rq->session.user.country);
    gca_buf_puts(b, "\"></div><noscript><p>The workspace needs JavaScript."
                    "</p></noscript>");
    return page_end(rs);
}

/* An error of a page route as a page: the JSON error's message, with
 * the same status. */
int page_error(http_resp *rs)
{
    json_error_t jerr;
    json_t *j = json_loadb(rs->body.ptr ? rs->body.ptr : "", rs->body.len, 0,
                           &jerr);
    const char *msg =
        json_string_value(json_object_get(json_object_get(j, "error"),
                                          "message"));
    char text[1024];
    snprintf(text, sizeof text, "%s", msg ? msg : "error");
    json_decref(j);
    int status = rs->status;
    gca_buf_reset(&rs->body);
    rs->cache = 0;
    page_begin(rs, status == 404 ? "Not found" : "Cannot show this page", "");
    rs->status = status;
    gca_buf_puts(&rs->body, "<p>");
    gca_buf_html(&rs->body, text);
    gca_buf_puts(&rs->body, "</p><p><a href=\"/\">Home</a></p>");
    return page_end(rs);
}
