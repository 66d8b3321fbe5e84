/* routes.c - the route table of `gca serve` (http.h): every path the
 * server answers, the roles each admits and whether it changes state
 * (then the session's CSRF token must come with it). Anything not here
 * is 404 or 405; a role not listed is 401 (anonymous) or 403. The table
 * is also what `gca serve --routes` prints and what tests/http checks
 * every role against. docs/openapi.yaml describes the same routes. */
#include <string.h>

#include "http/api.h"
#include "http/http.h"

#include "core/banned.h"

const http_route http_routes[] = {
    /* Pages (HTML, readable without JavaScript). */
    {"GET", "/", ROLES_ALL, 0, page_home, "home page", 0},
    {"GET", "/rankings", ROLES_ALL, 0, page_rankings, "rankings page", 0},
    {"GET", "/countries/{iso3}", ROLES_ALL, 0, page_country,
     "country profile page", 0},
    {"GET", "/compare", ROLES_ALL, 0, page_compare, "compare page", 0},
    {"GET", "/search", ROLES_ALL, 0, page_search, "gateway search page", 0},
    {"GET", "/login", ROLES_ALL, 0, page_login, "workspace log-in page", 0},
    {"GET", "/workspace", ROLES_ALL, 0, page_workspace,
     "the workspace (a log-in link when not logged in)", 0},
    {"GET", "/static/{file}", ROLES_ALL, 0, page_static,
     "the portal's CSS and JavaScript", 0},
    /* The JSON API (docs/openapi.yaml). */
    {"GET", "/api/v1/openapi.yaml", ROLES_ALL, 0, api_openapi,
     "this API, as OpenAPI 3", 0},
    {"GET", "/api/v1/frameworks", ROLES_ALL, 0, api_frameworks,
     "the frameworks of the store", 0},
    {"GET", "/api/v1/frameworks/{code}", ROLES_ALL, 0, api_framework,
     "a framework as JSON (docs/framework-format.md)", 0},
    {"GET", "/api/v1/editions", ROLES_ALL, 0, api_editions,
     "editions (drafts for analysts and admins only)", 0},
    {"GET", "/api/v1/countries", ROLES_ALL, 0, api_countries,
     "countries with their regions", 0},
    {"GET", "/api/v1/countries/{iso3}", ROLES_ALL, 0, api_country,
     "country profile: security beside rights, never combined", 0},
    {"GET", "/api/v1/compare", ROLES_ALL, 0, api_compare,
     "profiles of up to four countries side by side", 0},
    {"GET", "/api/v1/results", ROLES_ALL, 0, api_results,
     "scores and ranks of a published edition, or of GCI 2020", 0},
    {"GET", "/api/v1/downloads/{edition}/{file}", ROLES_ALL, 0, api_download,
     "a table as CSV, JSON or XLSX, at a stable address per edition", 0},
    {"GET", "/api/v1/kb", ROLES_ALL, 0, api_kb,
     "search the knowledge base (gateway)", 0},
    {"POST", "/api/v1/session", ROLES_ALL, 0, api_login, "log in", 0},
    {"GET", "/api/v1/session", ROLES_USERS, 0, api_session,
     "the current session and its CSRF token", 0},
    {"DELETE", "/api/v1/session", ROLES_USERS, 1, api_logout, "log out", 0},
    {"GET", "/api/v1/users", ROLE_ADMIN, 0, api_users, "users", 0},
    {"POST", "/api/v1/users", ROLE_ADMIN, 1, api_user_add, "add a user", 0},
    {"POST", "/api/v1/editions/{code}/open", ROLE_ADMIN, 1, api_edition_open,
     "open an edition for answers", 0},
    {"POST", "/api/v1/editions/{code}/close", ROLE_ADMIN, 1,
     api_edition_close, "close an edition", 0},
    {"POST", "/api/v1/editions/{code}/score", ROLE_ANALYST | ROLE_ADMIN, 1,
     api_edition_score, "score an edition from its approved answers", 0},
    {"POST", "/api/v1/editions/{code}/publish", ROLE_ADMIN, 1,
     api_edition_publish, "publish a closed, scored edition, signed", 0},
    {"GET", "/api/v1/editions/{code}/bundle", ROLES_ALL, 0,
     api_edition_bundle, "the signed bundle of a published edition", 0},
    {"GET", "/api/v1/editions/{code}/questions", ROLES_ALL, 0, api_questions,
     "the questionnaire of an edition", 0},
    {"GET", "/api/v1/editions/{code}/answers",
     ROLE_FOCAL | ROLE_ANALYST | ROLE_ADMIN, 0, api_answers,
     "answers (a focal point: its own country's)", 0},
    {"PUT", "/api/v1/editions/{code}/answers/{iso3}/{question}",
     ROLE_FOCAL | ROLE_ANALYST, 1, api_answer_set,
     "set an answer (draft)", 0},
    {"POST", "/api/v1/editions/{code}/answers/{iso3}/{question}/submit",
     ROLE_FOCAL | ROLE_ANALYST, 1, api_answer_submit, "submit an answer", 0},
    {"POST", "/api/v1/editions/{code}/answers/{iso3}/{question}/review",
     ROLE_ANALYST, 1, api_answer_review,
     "approve or return an answer, with a comment", 0},
    {"POST", "/api/v1/editions/{code}/answers/{iso3}/{question}/confirm",
     ROLE_FOCAL, 1, api_answer_confirm,
     "confirm an answer an analyst recorded", 0},
    {"GET", "/api/v1/editions/{code}/answers/{iso3}/{question}/history",
     ROLE_FOCAL | ROLE_ANALYST | ROLE_ADMIN, 0, api_answer_history,
     "the audit trail of an answer and its evidence", 0},
    {"GET", "/api/v1/editions/{code}/evidence", ROLES_ALL, 0, api_evidence,
     "evidence (restricted items only for whom may see them)", 0},
    {"POST", "/api/v1/editions/{code}/evidence/{iso3}/{question}",
     ROLE_FOCAL | ROLE_ANALYST, 1, api_evidence_url, "add a URL as evidence", 0},
    {"POST", "/api/v1/editions/{code}/evidence/{iso3}/{question}/file",
     ROLE_FOCAL | ROLE_ANALYST, 1, api_evidence_file,
     "add a file as evidence (the body; ?name=&visibility=&note=)", 1},
    {NULL, NULL, 0, 0, NULL, NULL, 0},
};

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

size_t http_unescape(char *s)
{
    char *w = s;
    for (const char *r = s; *r; r++) {
        int hi, lo;
        if (r[0] == '%' && (hi = hexval(r[1])) >= 0 &&
            (lo = hexval(r[2])) >= 0 && (hi | lo)) {
            *w++ = (char)(hi * 16 + lo);
            r += 2;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    return (size_t)(w - s);
}


/* Split `s` (written into; it starts with '/') at '/' into at most
 * `max` segments; -1 for more. Empty segments ("//") stay empty and
 * match no route. */
static int split(char *s, char **seg, int max)
{
    int n = 0;
    if (*s == '/')
        s++;
    while (*s && n < max) {
        seg[n++] = s;
        char *slash = strchr(s, '/');
        if (!slash)
            break;
        *slash = '\0';
        s = slash + 1;
    }
    return *s && n == max ? -1 : n;
}

#define MAX_SEGS 16

const http_route *http_route_find(const char *method, const char *path,
                                  char *scratch, const char **params,
                                  int *path_known)
{
    char *seg[MAX_SEGS];
    *path_known = 0;
    if (path[0] != '/')
        return NULL;
    /* A trailing slash is another resource. */
    size_t n = strlen(path);
    if (n > 1 && path[n - 1] == '/')
        return NULL;
    memcpy(scratch, path, n + 1);
    int nseg = split(scratch, seg, MAX_SEGS);
    if (nseg < 0)
        return NULL;
    for (const http_route *r = http_routes; r->method; r++) {
        char pat[256];
        char *pseg[MAX_SEGS];
        size_t pn = strlen(r->path);
        if (pn >= sizeof pat)
            continue;
        memcpy(pat, r->path, pn + 1);
        int np = split(pat, pseg, MAX_SEGS);
        if (np != nseg)
            continue;
        int k = 0, ok = 1;
        for (int i = 0; i < np && ok; i++) {
            if (pseg[i][0] == '{') {
                if (!seg[i][0] || k == HTTP_MAX_PARAMS)
                    ok = 0;
                else
                    params[k++] = seg[i];
            } else {
                ok = !strcmp(pseg[i], seg[i]);
            }
        }
        if (!ok)
            continue;
        if (strcmp(r->method, method)) {
            *path_known = 1;
            continue;
        }
        return r;
    }
    return NULL;
}

json_t *http_routes_json(void)
{
    static const struct {
        int bit;
        const char *name;
    } roles[] = {{ROLE_ANON, "anonymous"}, {ROLE_VIEWER, "viewer"},
                 {ROLE_FOCAL, "focal"},    {ROLE_ANALYST, "analyst"},
                 {ROLE_ADMIN, "admin"}};
    json_t *out = json_array();
    for (const http_route *r = http_routes; out && r->method; r++) {
        json_t *admit = json_array();
        for (size_t i = 0; admit && i < GCA_COUNT(roles); i++)
            if (r->roles & roles[i].bit)
                json_array_append_new(admit, json_string(roles[i].name));
        json_t *o = json_pack("{s:s,s:s,s:o,s:b,s:s}", "method", r->method,
                              "path", r->path, "roles", admit, "csrf",
                              r->csrf, "summary", r->summary);
        if (!o || json_array_append_new(out, o) < 0) {
            json_decref(out);
            return NULL;
        }
    }
    return out;
}
