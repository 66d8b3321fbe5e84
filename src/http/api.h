/* api.h - the handlers of the route table (routes.c), one per route;
 * each answers through http_json / http_error (http.h). */
#ifndef GCA_HTTP_API_H
#define GCA_HTTP_API_H

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
