/* http.h - the web server of `gca serve` (libmicrohttpd): what the
 * server core (server.c), the route table (routes.c) and the API
 * handlers (api_*.c) share. Deny by default: a request is served only by
 * a route of the table, and only for the roles that route lists. */
#ifndef GCA_HTTP_H
#define GCA_HTTP_H

#include <stddef.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/json.h"
#include "gca.h"
#include "gca/users.h"

/* Roles, as bits of a route's `roles`. */
enum http_role {
    ROLE_ANON = 1 << 0,
    ROLE_VIEWER = 1 << 1,
    ROLE_FOCAL = 1 << 2,
    ROLE_ANALYST = 1 << 3,
    ROLE_ADMIN = 1 << 4
};
#define ROLES_ALL 0x1f   /* anyone, logged in or not */
#define ROLES_USERS 0x1e /* any logged-in user */

#define HTTP_MAX_PARAMS 4

typedef struct http_server http_server;

/* A request as a handler sees it. */
typedef struct http_req {
    http_server *srv;
    struct MHD_Connection *conn;
    const char *method;
    const char *path;
    const char *body; /* NUL-terminated; "" when none */
    size_t body_len;
    const char *params[HTTP_MAX_PARAMS]; /* {name} parts of the path */
    gca_store *st;                       /* this worker's, read only */
    int role;                            /* one ROLE_* */
    int has_session;
    gca_session session;
    char token[65]; /* the session cookie, when has_session */
} http_req;

/* What a handler answers. */
typedef struct http_resp {
    int status;
    gca_buf body;
    const char *type;     /* Content-Type */
    int cache;            /* 1: public and cacheable (ETag, revalidated) */
    char set_cookie[256]; /* "" = none */
    char filename[128];   /* a download's name; "" = shown inline */
    /* Filled by the server (and its cache): the ETag's digits, and the
     * gzip form of the body once made. */
    char etag[33];
    gca_buf gz;
    int gz_done;
    /* A cached answer's libmicrohttpd responses, plain and gzip, made at
     * its first hit and queued again on the next ones (NULL = not yet). */
    struct MHD_Response *made[2];
} http_resp;

typedef int (*http_handler)(http_req *rq, http_resp *rs);

typedef struct http_route {
    const char *method;
    const char *path; /* segments; "{name}" takes one segment */
    int roles;        /* ROLE_* bits admitted */
    int csrf;         /* 1: a state change; needs the session's token */
    http_handler fn;
    const char *summary;
    int file; /* 1: the body is a file of any type (evidence), up to
                 GCA_EVIDENCE_MAX_DEFAULT; else JSON up to body_max */
} http_route;

/* The table (routes.c), ended by a NULL method. */
extern const http_route http_routes[];

/* The route for method and path, with its {name} parts in params[] (as
 * pointers into `scratch`, a copy of path of at least strlen(path) + 1
 * bytes). NULL if none; *path_known = 1 when the path matches a route of
 * another method (405 rather than 404). */
const http_route *http_route_find(const char *method, const char *path,
                                  char *scratch, const char **params,
                                  int *path_known);

/* Percent-decode `s` in place (paths and query arguments), except %00:
 * a NUL would cut "/api/v1/x%00.json" short into another path, so it
 * stays as written and such a path matches no route. Returns the new
 * length. */
size_t http_unescape(char *s);

/* The route table as JSON (`gca serve --routes`): [{method, path,
 * roles: [...], csrf}], new reference. */
json_t *http_routes_json(void);

/* ====== Answers ====== */

/* `json` (stolen) as the body with `status`. */
int http_json(http_resp *rs, int status, json_t *json);
/* A list answer: {"total", "limit", "offset", key: the page of `list`
 * that ?limit= (1..HTTP_PAGE_MAX, default HTTP_PAGE_MAX) and ?offset=
 * ask for}, added to `extra` (an object, or NULL). Both are stolen. */
#define HTTP_PAGE_MAX 1000
int http_list(http_req *rq, http_resp *rs, const char *key, json_t *list,
              json_t *extra);
/* {"error":{"code":code,"message":...}} with `status`. */
int http_error(http_resp *rs, int status, const char *code,
               const char *fmt, ...) GCA_PRINTF(4, 5);
/* The error of a failed library call: its code as a status (400 for a
 * bad value, 404 not found, 403 refused, 409 wrong state, 413 too big,
 * 500 otherwise) and its message, naming the field. */
int http_fail(http_resp *rs, const gca_err *err);

/* Query argument `name` (decoded), NULL if absent. */
const char *http_arg(const http_req *rq, const char *name);
/* Query argument as a whole number in [lo, hi]; *out = def when absent.
 * 0, or -1 after an error answer naming the argument. */
int http_arg_int(const http_req *rq, http_resp *rs, const char *name,
                 long lo, long hi, long def, long *out);

/* The server's writer: the one read-write connection, one request at a
 * time. http_writer_release after use. */
gca_store *http_writer(http_server *srv);
void http_writer_release(http_server *srv);
/* Log-in attempts: 0 if `who` may try now, else the seconds to wait;
 * http_login_failed counts a failure, http_login_ok forgets them. */
int http_login_wait(http_server *srv, const char *who);
void http_login_failed(http_server *srv, const char *who);
void http_login_ok(http_server *srv, const char *who);
/* 1 when the server speaks TLS only (cookies are then Secure). */
int http_tls(const http_server *srv);
/* Seconds a new session lasts. */
int http_session_ttl(const http_server *srv);
/* The options the server runs with. */
struct http_options;
const struct http_options *http_opts(const http_server *srv);
/* "IP" of the peer, into out[64]. */
void http_peer(const http_req *rq, char out[64]);

/* ====== The server ====== */

typedef struct http_options {
    const char *db;     /* the store (must exist, current schema) */
    const char *host;   /* "127.0.0.1" */
    int port;           /* 0 = any free port */
    int threads;        /* worker threads, 1..64 */
    size_t body_max;    /* bytes of a request body */
    int session_ttl;    /* seconds */
    int quiet;          /* no request log on stderr */
    const char *key;     /* secret key to publish with; NULL = none */
    const char *bundles; /* where published bundles go */
    const char *tls_cert; /* PEM certificate chain; NULL = plain HTTP */
    const char *tls_key;  /* PEM private key of tls_cert */
} http_options;

/* Serve until SIGINT or SIGTERM. Prints "listening on http://HOST:PORT/"
 * on stdout once ready (tests read the port from it). */
int http_serve(const http_options *o, gca_err *err);

#endif
