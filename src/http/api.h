/* api.h - the handlers of the route table (routes.c), one per route;
 * each answers through http_json / http_error (http.h). */
#ifndef GCA_HTTP_API_H
#define GCA_HTTP_API_H

#include "gca/countries.h"
#include "gca/model.h"
#include "gca/workflow.h"
#include "http/http.h"

/* api_public.c: read-only public data. */
int api_openapi(http_req *rq, http_resp *rs);
int api_frameworks(http_req *rq, http_resp *rs);
int api_framework(http_req *rq, http_resp *rs);
int api_editions(http_req *rq, http_resp *rs);
int api_countries(http_req *rq, http_resp *rs);
int api_results(http_req *rq, http_resp *rs);
int api_kb(http_req *rq, http_resp *rs);
int api_country(http_req *rq, http_resp *rs);
int api_compare(http_req *rq, http_resp *rs);
/* Node scores of a ranking's source (gca_results_nodes), kept for
 * lookups by country: the pillars and tier of each row of a table. */
typedef struct http_nodes {
    struct http_node {
        char iso3[4];
        char node[32];
        double score;
        int rank; /* as stored, 0 = none */
        char tier[32];
    } *v;
    size_t n, cap;
    char cols[16][32]; /* the node codes met, sorted, top node left out */
    size_t ncols;
} http_nodes;
/* Load them (edition NULL = GCI 2020 as published); `top` is left out
 * of cols. 0, or -1 after an error answer. */
int http_nodes_load(http_req *rq, http_resp *rs, const char *edition,
                    const char *top, http_nodes *out);
void http_nodes_release(http_nodes *t);
/* The score of `node` for `iso3`, NaN if none; its tier into *tier
 * (may be NULL; "" = none). */
double http_nodes_score(const http_nodes *t, const char *iso3,
                        const char *node, const char **tier);

/* ====== view.c: a ranking as shown ====== */

/* ITU's GCI 2020 as published, where an edition code is expected. */
#define HTTP_PUBLISHED "gci-2020-published"
#define HTTP_NREGIONS 5
#define HTTP_NINCOMES 4
#define HTTP_VIEW_COLS 16
#define HTTP_VIEW_TIERS 8
/* The UN M49 regions and World Bank income groups filters take. */
extern const char *const http_regions[HTTP_NREGIONS];
extern const char *const http_incomes[HTTP_NINCOMES];

typedef struct http_view_row {
    char iso3[4];
    char *name;
    const gca_country *country; /* NULL if not in the country list */
    double score;
    int rank;     /* 0 = none */
    char tier[32]; /* code, "" = none */
    double col[HTTP_VIEW_COLS]; /* pillar scores, NaN = none */
    /* From the publication's robustness analysis (NaN = none): the 5th
     * and 95th percentile rank, and the share of runs in its tier. */
    double rank_q5, rank_q95, tier_prob;
} http_view_row;

typedef struct http_view {
    char edition[GCA_EDITION_CODE_MAX + 1]; /* HTTP_PUBLISHED or a code */
    int is_published;                       /* ITU's GCI 2020 */
    char title[128];
    gca_framework *fw; /* names, levels, tiers; NULL if unknown */
    char top[32];      /* the index node */
    double score_max;  /* of the index */
    double col_max;    /* of a pillar, NaN = not stated */
    char cols[HTTP_VIEW_COLS][32]; /* pillar codes, framework order */
    char colnames[HTTP_VIEW_COLS][96];
    size_t ncols;
    struct {
        char code[32], name[64];
    } tiers[HTTP_VIEW_TIERS]; /* best first */
    size_t ntiers;
    int robust;                  /* rows carry a robustness analysis */
    size_t robust_runs;
    const char *region, *income; /* filters; NULL = all */
    http_view_row *rows;         /* ranking order, after the filters */
    size_t nrows, cap, total;    /* total: before the filters */
    gca_countries *cs;
    http_nodes nodes; /* every node score of the source */
} http_view;

/* ?region= and ?income= (income may be NULL: not read). 0, or -1 after
 * a 400 listing the choices. */
int http_filter_args(http_req *rq, http_resp *rs, const char **region,
                     const char **income);
/* 0 if the edition `code` exists and the user may see it (published, or
 * the user is staff), else -1 after a 404. */
int http_edition_visible(http_req *rq, http_resp *rs, const char *code);
/* The view of `edition` (NULL: ?edition=, default HTTP_PUBLISHED), with
 * ?region= and ?income= applied when `filters`. 0, or -1 after an
 * error answer. */
int http_view_load(http_req *rq, http_resp *rs, const char *edition,
                   int filters, http_view *v);
void http_view_release(http_view *v);
/* A tier's name, and its position (0 = best; -1 unknown). */
const char *http_view_tier_name(const http_view *v, const char *code);
int http_view_tier_index(const http_view *v, const char *code);
/* The country's rank on `node` among the countries scored on it (*of):
 * the stored rank, else 1 + the countries scoring more; 0 if it has no
 * score. */
int http_view_column_rank(const http_view *v, const char *iso3,
                          const char *node, int *of);
/* The choice of index and (with VIEW_FORM_FILTERS) region and income
 * group as a GET form to `action`; `extra` (trusted HTML, may be NULL)
 * goes before the button. */
#define VIEW_FORM_FILTERS 1
void http_view_form(http_req *rq, const http_view *v, gca_buf *b,
                    const char *action, int filters, const char *extra);
/* "?region=..&income=.." of the view's filters ("" when none); `html`
 * writes & as &amp;. */
void http_view_query(const http_view *v, gca_buf *b, int html);

/* The profiles of `list` ("FRA,DEU", up to four) into *out (a JSON
 * array): 0, or -1 after an error answer. */
int http_profiles(http_req *rq, http_resp *rs, const char *list,
                  const char *edition, json_t **out);
int api_download(http_req *rq, http_resp *rs);

/* api_session.c: log in and out, the session, users. */
int api_login(http_req *rq, http_resp *rs);
int api_session(http_req *rq, http_resp *rs);
int api_logout(http_req *rq, http_resp *rs);
int api_users(http_req *rq, http_resp *rs);

/* api_workflow.c: the workspace. */
int api_questions(http_req *rq, http_resp *rs);
int api_answers(http_req *rq, http_resp *rs);
int api_answer_set(http_req *rq, http_resp *rs);
int api_answer_submit(http_req *rq, http_resp *rs);
int api_answer_review(http_req *rq, http_resp *rs);
int api_answer_confirm(http_req *rq, http_resp *rs);
int api_answer_history(http_req *rq, http_resp *rs);
int api_evidence(http_req *rq, http_resp *rs);
int api_evidence_url(http_req *rq, http_resp *rs);
int api_evidence_file(http_req *rq, http_resp *rs);
int api_edition_open(http_req *rq, http_resp *rs);
int api_edition_close(http_req *rq, http_resp *rs);
int api_edition_score(http_req *rq, http_resp *rs);
int api_edition_publish(http_req *rq, http_resp *rs);
int api_edition_bundle(http_req *rq, http_resp *rs);
int api_user_add(http_req *rq, http_resp *rs);

/* pages.c: the public pages (HTML), the log-in page, static files. */
int page_home(http_req *rq, http_resp *rs);
int page_rankings(http_req *rq, http_resp *rs);
int page_country(http_req *rq, http_resp *rs);
int page_compare(http_req *rq, http_resp *rs);
int page_search(http_req *rq, http_resp *rs);
int page_login(http_req *rq, http_resp *rs);
int page_workspace(http_req *rq, http_resp *rs);
int page_static(http_req *rq, http_resp *rs);
/* The JSON error in rs (status >= 400) as an HTML page. */
int page_error(http_resp *rs);

#endif
