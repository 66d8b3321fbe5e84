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

/* A tier cell: its name, with the code for sorting and screen readers. */
static void tier_cell(gca_buf *b, const http_view *v, const char *code)
{
    if (!*code)
        return;
    gca_buf_printf(b, "<span class=\"tier t%d\">",
                   http_view_tier_index(v, code) + 1);
    gca_buf_html(b, code);
    gca_buf_puts(b, " ");
    gca_buf_html(b, http_view_tier_name(v, code));
    gca_buf_puts(b, "</span>");
}

/* "3-7" (5th to 95th percentile rank), "5" when they agree. */
static void rank_interval(gca_buf *b, const http_view_row *r)
{
    if (isnan(r->rank_q5))
        return;
    if (r->rank_q5 == r->rank_q95)
        gca_buf_printf(b, "%g", r->rank_q5);
    else
        gca_buf_printf(b, "%g&ndash;%g", r->rank_q5, r->rank_q95);
}

/* "Download WHAT: csv, json, xlsx" linking /api/v1/downloads/EDITION/
 * TABLE.EXT followed by `query` (HTML-ready, "" for none); `table` is
 * written as it is (letters, digits and '-'). */
static void download_links(gca_buf *b, const char *what,
                           const char *edition, const char *table,
                           const char *query)
{
    static const char *const ext[] = {"csv", "json", "xlsx"};
    gca_buf_printf(b, "<p class=\"downloads\">Download %s: ", what);
    for (size_t i = 0; i < GCA_COUNT(ext); i++) {
        gca_buf_printf(b, "%s<a href=\"/api/v1/downloads/", i ? ", " : "");
        url_esc(b, edition);
        gca_buf_printf(b, "/%s.%s%s\">%s</a>", table, ext[i], query, ext[i]);
    }
    gca_buf_puts(b, "</p>");
}

/* Download links for the view's results with its filters. */
static void view_downloads(gca_buf *b, const http_view *v)
{
    gca_buf query = GCA_BUF_INIT(1024);
    http_view_query(v, &query, 1);
    download_links(b, "this table", v->edition, "results",
                   gca_buf_str(&query));
    gca_buf_release(&query);
}

/* The ranking table of the view, at most `limit` rows (0 = all), with
 * rights flags when `flags`. */
static void ranking_table(http_req *rq, const http_view *v, gca_buf *b,
                          size_t limit)
{
    gca_buf_puts(b, "<table class=\"sortable\"><caption>");
    gca_buf_html(b, v->title);
    gca_buf_printf(b, ": overall score (0-%g)", v->score_max);
    if (v->ncols && !isnan(v->col_max))
        gca_buf_printf(b, " and pillar scores (0-%g)", v->col_max);
    else if (v->ncols)
        gca_buf_puts(b, " and pillar scores");
    if (v->region || v->income) {
        gca_buf_puts(b, "; ");
        gca_buf_html(b, v->region ? v->region : "");
        gca_buf_puts(b, v->region && v->income ? ", " : "");
        gca_buf_html(b, v->income ? v->income : "");
        gca_buf_printf(b, " (%zu of %zu countries)", v->nrows, v->total);
    }
    gca_buf_puts(b, "</caption><thead><tr><th scope=\"col\">Rank</th>"
                    "<th scope=\"col\">Country</th><th scope=\"col\">Region"
                    "</th><th scope=\"col\">Income group</th><th scope=\""
                    "col\">Score</th>");
    for (size_t k = 0; k < v->ncols; k++) {
        gca_buf_puts(b, "<th scope=\"col\"><abbr title=\"");
        gca_buf_html(b, v->colnames[k]);
        gca_buf_puts(b, "\">");
        gca_buf_html(b, v->cols[k]);
        gca_buf_puts(b, "</abbr></th>");
    }
    if (v->ntiers)
        gca_buf_puts(b, "<th scope=\"col\">Tier</th>");
    if (v->robust)
        gca_buf_printf(b, "<th scope=\"col\"><abbr title=\"5th to 95th "
                          "percentile of the rank over %zu rebuilds with the "
                          "method's uncertain choices varied (publication's "
                          "robustness analysis)\">Rank interval</abbr></th>"
                          "<th scope=\"col\"><abbr title=\"Share of those "
                          "rebuilds in which the country keeps its tier\">"
                          "P(tier)</abbr></th>",
                       v->robust_runs);
    gca_buf_puts(b, "<th scope=\"col\"><abbr title=\"Rights measures "
                    "recorded: E lawful access/E2EE, C encryption "
                    "restriction, R data retention, I subscriber ID, G "
                    "routing/gateway, S shutdown; lower case = proposed. "
                    "None shown means none recorded, not none.\">Rights "
                    "flags</abbr></th></tr></thead><tbody>");
    size_t n = limit && limit < v->nrows ? limit : v->nrows;
    for (size_t i = 0; i < n; i++) {
        const http_view_row *r = &v->rows[i];
        const gca_country *c = r->country;
        char flags[GCA_RIGHTS_FLAGS_MAX] = "";
        gca_err err = {0};
        gca_rights_country_flags(rq->st, r->iso3, flags, &err);
        gca_buf_puts(b, "<tr><td class=\"num\">");
        if (r->rank)
            gca_buf_printf(b, "%d", r->rank);
        gca_buf_puts(b, "</td><td><a href=\"/countries/");
        gca_buf_html(b, r->iso3);
        gca_buf_puts(b, "\">");
        gca_buf_html(b, r->name);
        gca_buf_puts(b, "</a></td><td>");
        gca_buf_html(b, c && c->m49_region ? c->m49_region : "");
        gca_buf_puts(b, "</td><td>");
        gca_buf_html(b, c && c->income_group ? c->income_group : "");
        gca_buf_puts(b, "</td><td class=\"num\">");
        num(b, r->score);
        for (size_t k = 0; k < v->ncols; k++) {
            gca_buf_puts(b, "</td><td class=\"num\">");
            num(b, r->col[k]);
        }
        if (v->ntiers) {
            gca_buf_puts(b, "</td><td>");
            tier_cell(b, v, r->tier);
        }
        if (v->robust) {
            gca_buf_puts(b, "</td><td class=\"num interval\">");
            rank_interval(b, r);
            gca_buf_puts(b, "</td><td class=\"num\">");
            if (!isnan(r->tier_prob))
                gca_buf_printf(b, "%.0f %%", 100 * r->tier_prob);
        }
        gca_buf_puts(b, "</td><td class=\"flags\">");
        gca_buf_html(b, flags);
        gca_buf_puts(b, "</td></tr>");
    }
    gca_buf_puts(b, "</tbody></table>");
    if (!v->nrows)
        gca_buf_puts(b, "<p>No country matches.</p>");
}

/* ====== The world map ====== */

typedef struct map_ctx {
    const http_view *v;
    int tiers; /* colour by tier, else by score band */
} map_ctx;

/* Bands 0-4 of the score (fifths of the scale), or of the tier (best =
 * 4); -1 no data, -2 outside the filters. */
static int map_band(const char *iso3, const char *name, int *band,
                    char *title, size_t size, void *ctx)
{
    const map_ctx *m = ctx;
    const http_view *v = m->v;
    const gca_country *c = gca_countries_by_iso3(v->cs, iso3);
    if ((v->region &&
         (!c || !c->m49_region || strcmp(c->m49_region, v->region))) ||
        (v->income &&
         (!c || !c->income_group || strcmp(c->income_group, v->income)))) {
        *band = -2;
        snprintf(title, size, "%s: outside the filter", name);
        return 0;
    }
    *band = -1;
    snprintf(title, size, "%s: no data", name);
    for (size_t i = 0; i < v->nrows; i++) {
        const http_view_row *r = &v->rows[i];
        if (strcmp(r->iso3, iso3))
            continue;
        if (m->tiers) {
            int t = http_view_tier_index(v, r->tier);
            if (t < 0)
                return 0;
            *band = v->ntiers > 1
                        ? (int)((v->ntiers - 1 - (size_t)t) * 4 /
                                (v->ntiers - 1))
                        : 4;
            snprintf(title, size, "%s: %s %s", name, r->tier,
                     http_view_tier_name(v, r->tier));
        } else if (!isnan(r->score)) {
            int b = (int)(r->score / (v->score_max / 5.0));
            *band = b < 0 ? 0 : b > 4 ? 4 : b;
            snprintf(title, size, "%s: %.2f", name, r->score);
        }
        return 0;
    }
    return 0;
}

/* The map of the view (tiers or score), with its legend; the ranking
 * table below the map is its text equivalent. 0, or -1 after an error
 * answer. */
static int world_map(http_resp *rs, const http_view *v, int tiers)
{
    gca_err err = {0};
    gca_buf *b = &rs->body;
    map_ctx m = {v, tiers};
    gca_buf_puts(b, "<figure>");
    char label[256];
    snprintf(label, sizeof label, "World map of the %s, %s (table below)",
             v->title, tiers ? "tiers" : "overall scores");
    if (gca__svg_world_map(v->cs, map_band, &m, label, b, &err) < 0) {
        http_fail(rs, &err);
        return -1;
    }
    gca_buf_puts(b, "<figcaption>");
    gca_buf_html(b, v->title);
    gca_buf_puts(b, tiers ? ": tier. " : ": overall score. ");
    gca_buf_puts(b, "<ul class=\"legend\">");
    if (tiers) {
        for (size_t i = 0; i < v->ntiers; i++) {
            int band = v->ntiers > 1 ? (int)((v->ntiers - 1 - i) * 4 /
                                             (v->ntiers - 1))
                                     : 4;
            gca_buf_printf(b, "<li><span class=\"sw b%d\"></span>", band);
            gca_buf_html(b, v->tiers[i].code);
            gca_buf_puts(b, " ");
            gca_buf_html(b, v->tiers[i].name);
            gca_buf_puts(b, "</li>");
        }
    } else {
        for (int i = 0; i < 5; i++)
            gca_buf_printf(b, "<li><span class=\"sw b%d\"></span>%g-%g</li>",
                           i, v->score_max * i / 5, v->score_max * (i + 1) / 5);
    }
    gca_buf_puts(b, "<li><span class=\"sw nodata\"></span>no data</li></ul> "
                    "Boundaries: Natural Earth 1:110m (public domain)."
                    "</figcaption></figure>");
    return 0;
}

int page_home(http_req *rq, http_resp *rs)
{
    http_view v;
    const char *show = http_arg(rq, "show");
    if (show && *show && strcmp(show, "score") && strcmp(show, "tier"))
        return http_error(rs, 400, "invalid", "show: score or tier");
    if (http_view_load(rq, rs, NULL, 1, &v) < 0)
        return 0;
    int tiers = v.ntiers && !v.is_published &&
                !(show && !strcmp(show, "score"));
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
    gca_buf extra = GCA_BUF_INIT(512);
    gca_buf_printf(&extra, " <label for=\"show\">Colour by</label> <select "
                           "id=\"show\" name=\"show\"><option value=\"tier\""
                           "%s>tier</option><option value=\"score\"%s>score"
                           "</option></select>",
                   tiers ? " selected" : "", tiers ? "" : " selected");
    http_view_form(rq, &v, b, "/", VIEW_FORM_FILTERS, gca_buf_str(&extra));
    gca_buf_release(&extra);
    if (world_map(rs, &v, tiers) < 0) {
        http_view_release(&v);
        return 0;
    }
    gca_buf_puts(b, "<h2>Top ten</h2>");
    ranking_table(rq, &v, b, 10);
    gca_buf_puts(b, "<p><a href=\"/rankings?edition=");
    url_esc(b, v.edition);
    gca_buf_puts(b, "\">All countries</a></p>");
    view_downloads(b, &v);
    http_view_release(&v);
    rs->cache = rq->role == ROLE_ANON;
    return page_end(rs);
}

int page_rankings(http_req *rq, http_resp *rs)
{
    http_view v;
    if (http_view_load(rq, rs, NULL, 1, &v) < 0)
        return 0;
    page_begin(rs, "Rankings", "/rankings");
    http_view_form(rq, &v, &rs->body, "/rankings", VIEW_FORM_FILTERS, NULL);
    ranking_table(rq, &v, &rs->body, 0);
    view_downloads(&rs->body, &v);
    http_view_release(&v);
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
            gca_buf_printf(b, " (rank %lld)",
                           (long long)json_integer_value(er));
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

/* A node's place for the profile: its rank among the countries scored
 * on it, as a share (0 best, 1 worst). */
typedef struct placed {
    const char *code, *name;
    double score;
    int rank, of;
} placed;

static int cmp_placed(const void *a, const void *b)
{
    const placed *x = a, *y = b;
    double px = (double)(x->rank - 1) / x->of,
           py = (double)(y->rank - 1) / y->of;
    return px < py ? -1 : px > py ? 1 : strcmp(x->code, y->code);
}

/* Strengths (the best-placed nodes, in the top half of the countries)
 * and areas to grow (the worst-placed, not already first): up to `most`
 * of each, from the country's rank on each node. */
static void strengths(gca_buf *b, placed *p, size_t n, size_t most,
                      const char *what)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (p[i].rank > 0)
            p[k++] = p[i];
    if (!k)
        return;
    qsort(p, k, sizeof *p, cmp_placed);
    size_t half = (k + 1) / 2 < most ? (k + 1) / 2 : most;
    /* Strengths from the best end, areas from the worst, never both. */
    size_t from[2] = {0, k - 1}, shown[2] = {0, 0};
    for (int side = 0; side < 2; side++) {
        gca_buf_printf(b, side ? "<div><h4>Areas to grow (%s)</h4><ul>"
                               : "<div class=\"strengths\"><div><h4>"
                                 "Strengths (%s)</h4><ul>",
                       what);
        for (size_t j = 0; j < half; j++) {
            size_t i = side ? from[1] - j : from[0] + j;
            int ok = side ? p[i].rank != 1 && i >= shown[0]
                          : (double)(p[i].rank - 1) / p[i].of < 0.5;
            if (!ok)
                break;
            gca_buf_puts(b, "<li>");
            gca_buf_html(b, p[i].name);
            gca_buf_printf(b, ": %.2f, rank %d of %d</li>", p[i].score,
                           p[i].rank, p[i].of);
            shown[side]++;
        }
        if (!shown[side])
            gca_buf_puts(b, side ? "<li>none: first on every one</li>"
                                 : "<li>none in the top half of the "
                                   "countries</li>");
        gca_buf_puts(b, "</ul></div>");
    }
    gca_buf_puts(b, "</div>");
}

/* Pillar chart and table, strengths and areas to grow, and the
 * indicator table of the view for one country. */
static void profile_scores(http_resp *rs, const http_view *v,
                           const char *iso3)
{
    gca_buf *b = &rs->body;
    gca_err err = {0};
    placed p[HTTP_VIEW_COLS];
    const char *labels[HTTP_VIEW_COLS];
    double vals[HTTP_VIEW_COLS];
    size_t n = v->ncols;
    for (size_t k = 0; k < n; k++) {
        labels[k] = v->cols[k];
        vals[k] = http_nodes_score(&v->nodes, iso3, v->cols[k], NULL);
        p[k] = (placed){v->cols[k], v->colnames[k], vals[k], 0, 0};
        p[k].rank = http_view_column_rank(v, iso3, v->cols[k], &p[k].of);
    }
    for (size_t i = 0; i < v->nrows; i++) {
        const http_view_row *r = &v->rows[i];
        if (strcmp(r->iso3, iso3) || isnan(r->rank_q5))
            continue;
        gca_buf_puts(b, "<p class=\"robustness\">Rank ");
        if (r->rank)
            gca_buf_printf(b, "%d", r->rank);
        gca_buf_puts(b, ", rank interval <strong>");
        rank_interval(b, r);
        gca_buf_printf(b, "</strong> (5th to 95th percentile over %zu "
                          "rebuilds with the method's uncertain choices "
                          "varied)",
                       v->robust_runs);
        if (*r->tier && !isnan(r->tier_prob)) {
            gca_buf_puts(b, "; tier ");
            gca_buf_html(b, r->tier);
            gca_buf_printf(b, " in <strong>%.0f %%</strong> of them",
                           100 * r->tier_prob);
        }
        gca_buf_puts(b, ".</p>");
    }
    gca_buf_puts(b, "<h3>");
    gca_buf_html(b, v->title);
    gca_buf_puts(b, ": pillars</h3>");
    if (!n) {
        gca_buf_puts(b, "<p>No pillar scores.</p>");
        return;
    }
    char label[200];
    snprintf(label, sizeof label, "Pillar scores, %s (table below)",
             v->title);
    gca__svg_bars(labels, vals, n,
                  isnan(v->col_max) ? v->score_max : v->col_max, label, b,
                  &err);
    gca_buf_puts(b, "<table class=\"pillars\"><thead><tr><th scope=\"col\">"
                    "Pillar</th><th scope=\"col\">Score</th><th scope=\""
                    "col\">Rank</th></tr></thead><tbody>");
    for (size_t k = 0; k < n; k++) {
        gca_buf_puts(b, "<tr><th scope=\"row\"><abbr title=\"");
        gca_buf_html(b, v->colnames[k]);
        gca_buf_puts(b, "\">");
        gca_buf_html(b, v->cols[k]);
        gca_buf_puts(b, "</abbr> ");
        gca_buf_html(b, v->colnames[k]);
        gca_buf_puts(b, "</th><td class=\"num\">");
        num(b, vals[k]);
        gca_buf_puts(b, "</td><td class=\"num\">");
        if (p[k].rank)
            gca_buf_printf(b, "%d of %d", p[k].rank, p[k].of);
        gca_buf_puts(b, "</td></tr>");
    }
    gca_buf_puts(b, "</tbody></table>");
    strengths(b, p, n, 2, "pillars");
    /* Indicators: the framework's level-1 nodes the view has scores for. */
    size_t nn = v->fw ? gca_framework_nnodes(v->fw) : 0, rows = 0;
    placed *ind = calloc(nn ? nn : 1, sizeof *ind);
    gca_buf_puts(b, "<h3>Indicators</h3>");
    for (size_t i = 0; ind && i < nn; i++) {
        const gca_node *node = gca_framework_node_at(v->fw, i);
        if (node->level != 1)
            continue;
        double s = http_nodes_score(&v->nodes, iso3, node->code, NULL);
        if (isnan(s))
            continue;
        if (!rows)
            gca_buf_puts(b, "<table class=\"sortable indicators\"><thead>"
                            "<tr><th scope=\"col\">Indicator</th><th scope"
                            "=\"col\">Name</th><th scope=\"col\">Pillar</th>"
                            "<th scope=\"col\">Score</th><th scope=\"col\">"
                            "Rank</th></tr></thead><tbody>");
        placed *q = &ind[rows++];
        *q =
            (placed){node->code, node->name ? node->name : node->code, s, 0, 0};
        q->rank = http_view_column_rank(v, iso3, node->code, &q->of);
        const gca_node *up =
            node->parent >= 0
                ? gca_framework_node_at(v->fw, (size_t)node->parent)
                : NULL;
        gca_buf_puts(b, "<tr><td>");
        gca_buf_html(b, node->code);
        gca_buf_puts(b, "</td><td>");
        gca_buf_html(b, q->name);
        gca_buf_puts(b, "</td><td>");
        gca_buf_html(b, up ? up->code : "");
        gca_buf_puts(b, "</td><td class=\"num\">");
        num(b, s);
        gca_buf_printf(b, "</td><td class=\"num\">%d of %d</td></tr>",
                       q->rank, q->of);
    }
    if (rows) {
        gca_buf_puts(b, "</tbody></table>");
        strengths(b, ind, rows, 3, "indicators");
    } else if (v->is_published) {
        gca_buf_puts(b, "<p>ITU published no indicator scores for GCI 2020, "
                        "only the pillar scores above.</p>");
    } else {
        gca_buf_puts(b, "<p>No indicator scores for this country.</p>");
    }
    free(ind);
}

/* In one walk, newest first: the newest published edition ("" if
 * none) and, when `iso3` is set, the newest published one that scored
 * the country (else GCI 2020 as published). */
typedef struct newest_ctx {
    http_req *rq;
    const char *iso3;
    char published[GCA_EDITION_CODE_MAX + 1];
    char scored[GCA_EDITION_CODE_MAX + 1];
} newest_ctx;

static int newest_editions(const gca_edition *e, void *ctx)
{
    newest_ctx *c = ctx;
    gca_rights_security sec;
    gca_err err = {0};
    if (strcmp(e->state, "published"))
        return 0;
    if (!*c->published)
        snprintf(c->published, sizeof c->published, "%s", e->code);
    if (!c->iso3)
        return 1;
    if (gca_rights_security_get(c->rq->st, c->iso3, e->code, &sec, &err) < 0 ||
        !sec.has_edition)
        return 0;
    snprintf(c->scored, sizeof c->scored, "%s", e->code);
    return 1;
}

int page_country(http_req *rq, http_resp *rs)
{
    gca_err err = {0};
    json_t *p = NULL;
    const char *iso3 = rq->params[0];
    const char *pick = http_arg(rq, "edition");
    int chosen = pick && *pick;
    newest_ctx nc = {rq, chosen ? NULL : iso3, "", HTTP_PUBLISHED};
    if (gca_edition_list(rq->st, newest_editions, &nc, &err) < 0 ||
        gca__rights_profile_json(rq->st, iso3,
                                 *nc.published ? nc.published : NULL, &p,
                                 &err) < 0)
        return http_fail(rs, &err);
    if (!chosen)
        pick = nc.scored;
    http_view v;
    if (http_view_load(rq, rs, pick, 0, &v) < 0) {
        json_decref(p);
        return 0;
    }
    page_begin(rs, jstr(p, "name"), "");
    gca_buf *b = &rs->body;
    gca_buf_puts(b, "<p>");
    gca_buf_html(b, jstr(p, "m49_region"));
    gca_buf_puts(b, " / ");
    gca_buf_html(b, jstr(p, "m49_subregion"));
    const gca_country *c = gca_countries_by_iso3(v.cs, iso3);
    if (c && c->income_group) {
        gca_buf_puts(b, " &middot; ");
        gca_buf_html(b, c->income_group);
        gca_buf_puts(b, " (World Bank, FY2023)");
    }
    gca_buf_puts(b, "</p>");
    char action[32];
    snprintf(action, sizeof action, "/countries/%.3s", iso3);
    http_view_form(rq, &v, b, action, 0, NULL);
    gca_buf_puts(b, "<div class=\"side-by-side\"><section aria-labelledby"
                    "=\"sec\"><h2 id=\"sec\">Security</h2>");
    security_rows(b, p);
    profile_scores(rs, &v, iso3);
    gca_buf table = GCA_BUF_INIT(64);
    gca_buf_puts(&table, "profile-");
    url_esc(&table, iso3);
    download_links(b, "these scores", v.edition, gca_buf_str(&table), "");
    gca_buf_release(&table);
    http_view_release(&v);
    edition_history(rq, iso3, p, b);
    gca_buf_puts(b, "</section><section aria-labelledby=\"rig\"><h2 id=\"rig"
                    "\">Rights measures (never added to the score)</h2>");
    rights_list(b, p);
    gca_buf_puts(b, "</section></div><p><a href=\"/api/v1/countries/");
    gca_buf_html(b, iso3);
    gca_buf_puts(b, "\">This profile as JSON</a> &middot; <a href=\"/compare"
                    "?countries=");
    url_esc(b, iso3);
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
        http_view v;
        if (http_view_load(rq, rs, NULL, 0, &v) < 0) {
            json_decref(ps);
            return 0;
        }
        http_view_form(rq, &v, b, "/compare",  0, NULL);
        gca_buf_puts(b, "<table class=\"compare-scores\"><caption>");
        gca_buf_html(b, v.title);
        gca_buf_puts(b, "</caption><thead><tr><th scope=\"col\">Score</th>");
        json_array_foreach(ps, i, p)
        {
            gca_buf_puts(b, "<th scope=\"col\">");
            gca_buf_html(b, jstr(p, "name"));
            gca_buf_puts(b, "</th>");
        }
        gca_buf_puts(b, "</tr></thead><tbody>");
        for (size_t k = 0; k <= v.ncols; k++) {
            const char *code = k ? v.cols[k - 1] : v.top;
            gca_buf_puts(b, "<tr><th scope=\"row\">");
            gca_buf_html(b, k ? v.colnames[k - 1] : "Overall");
            gca_buf_puts(b, "</th>");
            json_array_foreach(ps, i, p)
            {
                gca_buf_puts(b, "<td class=\"num\">");
                num(b, http_nodes_score(&v.nodes, jstr(p, "iso3"), code, NULL));
                gca_buf_puts(b, "</td>");
            }
            gca_buf_puts(b, "</tr>");
        }
        gca_buf_puts(b, "</tbody></table>");
        gca_buf query = GCA_BUF_INIT(1024);
        gca_buf_puts(&query, "?countries=");
        url_esc(&query, list);
        download_links(b, "this comparison", v.edition, "compare",
                       gca_buf_str(&query));
        gca_buf_release(&query);
        http_view_release(&v);
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
