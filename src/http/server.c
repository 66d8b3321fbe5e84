/* server.c - the core of `gca serve` (http.h): libmicrohttpd with a pool
 * of worker threads, each with its own read-only store connection (and
 * its own knowledge-base index); one writer connection behind a mutex;
 * the session cookie and the role; deny-by-default dispatch through the
 * route table; CSRF check; answers with security headers, ETag and
 * Cache-Control on public GETs, gzip when asked. */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>
#include <sodium.h>
#include <zlib.h>

#include "gca/kb.h"
#include "gca/workflow.h"
#include "http/api.h"
#include "http/http.h"
#include "store/backend.h"
#include "store/sqlite.h"

#include "core/fs.h"
#include "core/banned.h"

#define MAX_WORKERS 64
#define LOGIN_SLOTS 1024
#define LOGIN_TRIES 5        /* failures per window, per name and peer */
#define LOGIN_TRIES_PEER 20  /* failures per window, per peer */
#define LOGIN_WINDOW 300     /* seconds */
#define GZIP_MIN 256         /* bytes: smaller bodies go as they are */

typedef struct login_slot {
    char key[160];
    int fails;
    time_t first;
} login_slot;

/* A worker's answer cache (see "The answer cache" below). */
#define CACHE_SLOTS 64
#define CACHE_BYTES ((size_t)4 << 20)

typedef struct cached {
    char *key;
    http_resp rs; /* body, gz, type, filename, etag */
    unsigned long long used;
} cached;

typedef struct http_cache {
    cached e[CACHE_SLOTS];
    size_t bytes;
    unsigned long long tick;
    long long data_version;
    sqlite3_stmt *version_stmt; /* PRAGMA data_version, kept prepared */
} http_cache;


struct http_server {
    const http_options *o;
    struct MHD_Daemon *d;
    pthread_mutex_t lock; /* stores[], caches[], logins[] */
    gca_store *stores[MAX_WORKERS];
    http_cache *caches[MAX_WORKERS];
    int nstores;
    pthread_mutex_t wlock; /* the writer */
    gca_store *writer;
    login_slot logins[LOGIN_SLOTS];
    gca_buf cert, key; /* PEM, when serving TLS */
};

int http_tls(const http_server *srv)
{
    return srv->o->tls_cert != NULL;
}

/* The worker thread's own connection and answer cache. */
static _Thread_local gca_store *tl_store;
static _Thread_local http_cache *tl_cache;

/* ====== Answers ====== */

int http_json(http_resp *rs, int status, json_t *json)
{
    rs->status = status;
    rs->type = "application/json";
    gca_buf_reset(&rs->body);
    char *text = json ? json_dumps(json, JSON_COMPACT | JSON_ENSURE_ASCII)
                      : NULL;
    json_decref(json);
    if (!text) {
        rs->status = 500;
        gca_buf_puts(&rs->body, "{\"error\":{\"code\":\"internal\","
                                "\"message\":\"out of memory\"}}");
        return 0;
    }
    gca_buf_puts(&rs->body, text);
    free(text);
    return 0;
}

int http_list(http_req *rq, http_resp *rs, const char *key, json_t *list,
              json_t *extra)
{
    long limit, offset;
    if (!list || (extra && !json_is_object(extra))) {
        json_decref(list);
        json_decref(extra);
        return http_error(rs, 500, "internal", "out of memory");
    }
    if (http_arg_int(rq, rs, "limit", 1, HTTP_PAGE_MAX, HTTP_PAGE_MAX,
                     &limit) < 0 ||
        http_arg_int(rq, rs, "offset", 0, 1000000, 0, &offset) < 0) {
        json_decref(list);
        json_decref(extra);
        return 0;
    }
    size_t total = json_array_size(list);
    json_t *page = json_array();
    for (size_t i = (size_t)offset; page && i < total &&
                                    i < (size_t)offset + (size_t)limit;
         i++)
        json_array_append(page, json_array_get(list, i));
    json_decref(list);
    json_t *out = extra ? extra : json_object();
    if (!page || !out ||
        json_object_set_new(out, "total", json_integer((json_int_t)total)) ||
        json_object_set_new(out, "limit", json_integer(limit)) ||
        json_object_set_new(out, "offset", json_integer(offset)) ||
        json_object_set_new(out, key, page)) {
        json_decref(out);
        return http_error(rs, 500, "internal", "out of memory");
    }
    return http_json(rs, 200, out);
}

int http_error(http_resp *rs, int status, const char *code, const char *fmt,
               ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    rs->cache = 0;
    return http_json(rs, status,
                     json_pack("{s:{s:s,s:o}}", "error", "code", code,
                               "message", gca__json_text(msg)));
}

int http_fail(http_resp *rs, const gca_err *err)
{
    static const struct {
        int code, status;
        const char *name;
    } map[] = {
        {GCA_EINVAL, 400, "invalid"},     {GCA_EPARSE, 400, "malformed"},
        {GCA_ENOTFOUND, 404, "not_found"}, {GCA_EPERM, 403, "not_permitted"},
        {GCA_ESTATE, 409, "conflict"},    {GCA_ETOOBIG, 413, "too_large"},
        {GCA_EDATA, 400, "invalid"},      {GCA_EFRAMEWORK, 400, "invalid"},
        {GCA_EMETHOD, 400, "invalid"},
    };
    int status = 500;
    const char *name = "internal";
    for (size_t i = 0; i < GCA_COUNT(map); i++)
        if (map[i].code == err->code) {
            status = map[i].status;
            name = map[i].name;
        }
    if (status == 500)
        return http_error(rs, 500, name, "internal error");
    if (err->source[0])
        return http_error(rs, status, name, "%s: %s", err->source, err->msg);
    return http_error(rs, status, name, "%s", err->msg);
}

const char *http_arg(const http_req *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND,
                                       name);
}

int http_arg_int(const http_req *rq, http_resp *rs, const char *name,
                 long lo, long hi, long def, long *out)
{
    const char *v = http_arg(rq, name);
    *out = def;
    if (!v)
        return 0;
    char *end = NULL;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (!*v || *end || errno || n < lo || n > hi) {
        http_error(rs, 400, "invalid",
                   "%s: '%.40s' is not a whole number from %ld to %ld", name,
                   v, lo, hi);
        return -1;
    }
    *out = n;
    return 0;
}

void http_peer(const http_req *rq, char out[64])
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
        rq->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, 64, "?");
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)
                               ->sin_addr,
                  out, 64);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6,
                  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                  out, 64);
}

/* ====== Shared state ====== */

gca_store *http_writer(http_server *srv)
{
    pthread_mutex_lock(&srv->wlock);
    return srv->writer;
}

void http_writer_release(http_server *srv)
{
    pthread_mutex_unlock(&srv->wlock);
}

int http_session_ttl(const http_server *srv)
{
    return srv->o->session_ttl;
}

const http_options *http_opts(const http_server *srv)
{
    return srv->o;
}

static login_slot *login_slot_of(http_server *srv, const char *key, int make)
{
    time_t now = time(NULL);
    login_slot *free_slot = NULL;
    for (int i = 0; i < LOGIN_SLOTS; i++) {
        login_slot *s = &srv->logins[i];
        if (s->key[0] && now - s->first >= LOGIN_WINDOW)
            s->key[0] = '\0'; /* the window is over */
        if (s->key[0] && !strcmp(s->key, key))
            return s;
        if (!s->key[0] && !free_slot)
            free_slot = s;
    }
    if (!make)
        return NULL;
    if (!free_slot) { /* full: the oldest goes */
        free_slot = &srv->logins[0];
        for (int i = 1; i < LOGIN_SLOTS; i++)
            if (srv->logins[i].first < free_slot->first)
                free_slot = &srv->logins[i];
    }
    snprintf(free_slot->key, sizeof free_slot->key, "%s", key);
    free_slot->fails = 0;
    free_slot->first = now;
    return free_slot;
}

/* Keys: the peer alone, and the peer with the name. */
static void login_keys(const char *who, char peer[160], char both[160])
{
    snprintf(both, 160, "%s", who);
    snprintf(peer, 160, "%s", who);
    char *nl = strchr(peer, '\n');
    if (nl)
        *nl = '\0';
}

int http_login_wait(http_server *srv, const char *who)
{
    char peer[160], both[160];
    login_keys(who, peer, both);
    int wait = 0;
    pthread_mutex_lock(&srv->lock);
    const login_slot *a = login_slot_of(srv, both, 0);
    const login_slot *b = login_slot_of(srv, peer, 0);
    time_t now = time(NULL);
    if (a && a->fails >= LOGIN_TRIES)
        wait = (int)(LOGIN_WINDOW - (now - a->first));
    if (b && b->fails >= LOGIN_TRIES_PEER) {
        int w = (int)(LOGIN_WINDOW - (now - b->first));
        wait = w > wait ? w : wait;
    }
    pthread_mutex_unlock(&srv->lock);
    return wait > 0 ? wait : 0;
}

void http_login_failed(http_server *srv, const char *who)
{
    char peer[160], both[160];
    login_keys(who, peer, both);
    pthread_mutex_lock(&srv->lock);
    login_slot *a = login_slot_of(srv, both, 1);
    a->fails++;
    if (strcmp(peer, both)) {
        login_slot *b = login_slot_of(srv, peer, 1);
        b->fails++;
    }
    pthread_mutex_unlock(&srv->lock);
}

void http_login_ok(http_server *srv, const char *who)
{
    char peer[160], both[160];
    login_keys(who, peer, both);
    pthread_mutex_lock(&srv->lock);
    login_slot *a = login_slot_of(srv, both, 0);
    if (a)
        a->key[0] = '\0';
    pthread_mutex_unlock(&srv->lock);
}

/* This thread's store, opened on first use (read only, with the
 * knowledge base's in-memory index). */
static gca_store *worker_store(http_server *srv, gca_err *err)
{
    if (tl_store)
        return tl_store;
    gca_store *st = NULL;
    int rc = gca_store_open(srv->o->db, GCA_STORE_READONLY, &st, err);
    if (rc == 0)
        rc = gca_kb_keep_index(st, 1, err);
    if (rc < 0) {
        gca_store_close(st);
        return NULL;
    }
    pthread_mutex_lock(&srv->lock);
    if (srv->nstores == MAX_WORKERS) {
        pthread_mutex_unlock(&srv->lock);
        gca_store_close(st);
        gca_fail(err, GCA_EINTERNAL, "serve", 0, 0, "too many workers");
        return NULL;
    }
    http_cache *cache = calloc(1, sizeof *cache);
    if (cache)
        cache->data_version = -1;
    srv->caches[srv->nstores] = cache;
    srv->stores[srv->nstores++] = st;
    pthread_mutex_unlock(&srv->lock);
    tl_store = st;
    tl_cache = cache;
    return st;
}

/* ====== One request ====== */

typedef struct pending {
    gca_buf body;
    size_t max;
    int too_big;
} pending;

static int role_bit(const char *role)
{
    if (!strcmp(role, "admin"))
        return ROLE_ADMIN;
    if (!strcmp(role, "analyst"))
        return ROLE_ANALYST;
    if (!strcmp(role, "focal"))
        return ROLE_FOCAL;
    if (!strcmp(role, "viewer"))
        return ROLE_VIEWER;
    return ROLE_ANON;
}

static int is_change(const char *method)
{
    return strcmp(method, "GET") && strcmp(method, "HEAD");
}

/* Content-Encoding gzip of the body, if the client takes it and it is
 * worth it. */
static int wants_gzip(struct MHD_Connection *c)
{
    const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                 "Accept-Encoding");
    if (!ae)
        return 0;
    /* A "gzip" token, not refused with q=0. */
    for (const char *p = ae; (p = strstr(p, "gzip")); p += 4) {
        int start = p == ae || p[-1] == ' ' || p[-1] == ',';
        const char *e = p + 4;
        while (*e == ' ')
            e++;
        if (!start || (*e && *e != ',' && *e != ';'))
            continue;
        if (*e == ';' && (strstr(e, "q=0,") == e + 1 || !strcmp(e + 1, "q=0") ||
                          strstr(e, "q=0.0") == e + 1))
            return 0;
        return 1;
    }
    return 0;
}

static int gzip_body(const gca_buf *in, gca_buf *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK)
        return -1;
    uLong cap = deflateBound(&z, (uLong)in->len);
    unsigned char *buf = malloc(cap);
    if (!buf) {
        deflateEnd(&z);
        return -1;
    }
    z.next_in = (Bytef *)(uintptr_t)in->ptr;
    z.avail_in = (uInt)in->len;
    z.next_out = buf;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    size_t n = cap - z.avail_out;
    deflateEnd(&z);
    if (rc == Z_STREAM_END)
        gca_buf_add(out, buf, n);
    free(buf);
    return rc == Z_STREAM_END && !gca_buf_error(out) ? 0 : -1;
}

static void add_security_headers(struct MHD_Response *r)
{
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; script-src 'self'; "
                            "style-src 'self'; img-src 'self' data:; "
                            "object-src 'none'; base-uri 'none'; "
                            "form-action 'self'; frame-ancestors 'none'");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
}

static enum MHD_Result respond(struct MHD_Connection *c, const http_req *rq,
                               http_resp *rs)
{
    const gca_buf *body = &rs->body;
    int gzipped = 0;
    char etag[80] = "";
    int status = rs->status;
    int head = rq && !strcmp(rq->method, "HEAD");
    int public_get = rq && rs->cache && status == 200 && !is_change(rq->method);
    int gz_ok = body->len >= GZIP_MIN && wants_gzip(c);
    if (public_get) {
        if (!rs->etag[0]) {
            unsigned char h[16];
            crypto_generichash(h, sizeof h, (const unsigned char *)body->ptr,
                               body->len, NULL, 0);
            sodium_bin2hex(rs->etag, sizeof rs->etag, h, sizeof h);
        }
        snprintf(etag, sizeof etag, "\"%s%s\"", rs->etag, gz_ok ? "-gz" : "");
        const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                      "If-None-Match");
        if (inm && (strstr(inm, etag) || !strcmp(inm, "*")))
            status = 304;
    }
    if (status != 304 && gz_ok) {
        if (!rs->gz_done) {
            rs->gz_done = 1;
            if (gzip_body(body, &rs->gz) < 0)
                gca_buf_reset(&rs->gz);
        }
        if (rs->gz.len) {
            body = &rs->gz;
            gzipped = 1;
        }
    }
    /* A cached answer's full response is made once and queued again:
     * no copy of the body, no headers to add. */
    int keep = rs->cache == 2 && status == 200 && !head;
    if (keep && rs->made[gzipped])
        return MHD_queue_response(c, 200, rs->made[gzipped]);
    struct MHD_Response *r = MHD_create_response_from_buffer(
        status == 304 || head ? 0 : body->len,
        status == 304 || head ? (void *)"" : (void *)body->ptr,
        MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    add_security_headers(r);
    if (status != 304 && rs->type)
        MHD_add_response_header(r, "Content-Type", rs->type);
    if (gzipped)
        MHD_add_response_header(r, "Content-Encoding", "gzip");
    MHD_add_response_header(r, "Vary", "Accept-Encoding, Cookie");
    if (public_get) {
        MHD_add_response_header(r, "ETag", etag);
        /* Stored, but checked each time: a publication shows at once, and
         * the check is a 304 while nothing changed. */
        MHD_add_response_header(r, "Cache-Control", "public, no-cache");
    } else {
        MHD_add_response_header(r, "Cache-Control", "no-store");
    }
    if (rs->set_cookie[0])
        MHD_add_response_header(r, "Set-Cookie", rs->set_cookie);
    if (rs->filename[0] && status != 304) {
        char cd[200];
        snprintf(cd, sizeof cd, "attachment; filename=\"%s\"",
                 rs->filename);
        MHD_add_response_header(r, "Content-Disposition", cd);
    }
    if (status == 405 && rq)
        MHD_add_response_header(r, "Allow", "GET, HEAD, POST, PUT, DELETE");
    rs->status = status; /* for the log: 304 */
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, r);
    if (keep)
        rs->made[gzipped] = r; /* the cache's reference */
    else
        MHD_destroy_response(r);
    return ret;
}

/* ====== The answer cache ======
 * Public answers to anonymous GETs, per worker thread, kept until the
 * database changes: SQLite's data_version of the worker's connection
 * moves with every commit of any other connection (the writer, a gca
 * command), and then the worker's cache is emptied. */

static void cached_free(http_cache *c, cached *e)
{
    if (!e->key)
        return;
    c->bytes -= e->rs.body.len + e->rs.gz.len;
    free(e->key);
    gca_buf_release(&e->rs.body);
    gca_buf_release(&e->rs.gz);
    /* Connections still sending them keep their own references. */
    for (int i = 0; i < 2; i++)
        if (e->rs.made[i])
            MHD_destroy_response(e->rs.made[i]);
    memset(e, 0, sizeof *e);
}

static void cache_free(http_cache *c)
{
    if (!c)
        return;
    for (int i = 0; i < CACHE_SLOTS; i++)
        cached_free(c, &c->e[i]);
    sqlite3_finalize(c->version_stmt);
    free(c);
}

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind,
                               const char *key, const char *value)
{
    (void)kind;
    gca_buf *b = cls;
    gca_buf_printf(b, "\x1f%s\x1e%s", key, value ? value : "");
    return MHD_YES;
}

/* The key of a GET: its path and arguments, in order. */
static int cache_key(struct MHD_Connection *c, const char *url, gca_buf *key)
{
    gca_buf_puts(key, url);
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_arg, key);
    return gca_buf_error(key) ? -1 : 0;
}

/* The worker's cache, emptied if the database changed. */
static http_cache *cache_now(http_cache *c, gca_store *st)
{
    long long v = -1;
    if (!c->version_stmt)
        sqlite3_prepare_v2(gca__sqlite_handle(st->conn), "PRAGMA data_version",
                           -1, &c->version_stmt, NULL);
    if (c->version_stmt && sqlite3_step(c->version_stmt) == SQLITE_ROW)
        v = sqlite3_column_int64(c->version_stmt, 0);
    if (c->version_stmt)
        sqlite3_reset(c->version_stmt);
    if (v != c->data_version || v < 0) {
        for (int i = 0; i < CACHE_SLOTS; i++)
            cached_free(c, &c->e[i]);
        c->data_version = v;
    }
    return v < 0 ? NULL : c;
}

static cached *cache_find(http_cache *c, const char *key)
{
    for (int i = 0; i < CACHE_SLOTS; i++)
        if (c->e[i].key && !strcmp(c->e[i].key, key)) {
            c->e[i].used = ++c->tick;
            return &c->e[i];
        }
    return NULL;
}

/* Keep a copy of rs under key, making room by least recent use. */
static void cache_put(http_cache *c, const char *key, const http_resp *rs)
{
    size_t size = rs->body.len + rs->gz.len;
    if (size > CACHE_BYTES / 4)
        return;
    cached *slot = NULL;
    for (int i = 0; i < CACHE_SLOTS && !slot; i++)
        if (!c->e[i].key)
            slot = &c->e[i];
    while (!slot || c->bytes + size > CACHE_BYTES) {
        cached *old = NULL;
        for (int i = 0; i < CACHE_SLOTS; i++)
            if (c->e[i].key && (!old || c->e[i].used < old->used))
                old = &c->e[i];
        if (!old)
            return;
        cached_free(c, old);
        if (!slot)
            slot = old;
    }
    slot->key = strdup(key);
    slot->rs.status = 200;
    slot->rs.type = rs->type;
    slot->rs.cache = 2; /* keeps its made responses */
    gca_buf_init(&slot->rs.body, (size_t)1 << 30);
    gca_buf_init(&slot->rs.gz, (size_t)1 << 30);
    gca_buf_add(&slot->rs.body, rs->body.ptr ? rs->body.ptr : "",
                rs->body.len);
    gca_buf_add(&slot->rs.gz, rs->gz.ptr ? rs->gz.ptr : "", rs->gz.len);
    slot->rs.gz_done = rs->gz_done;
    memcpy(slot->rs.etag, rs->etag, sizeof rs->etag);
    memcpy(slot->rs.filename, rs->filename, sizeof rs->filename);
    slot->used = ++c->tick;
    if (!slot->key || gca_buf_error(&slot->rs.body) ||
        gca_buf_error(&slot->rs.gz)) {
        c->bytes += slot->rs.body.len + slot->rs.gz.len;
        cached_free(c, slot);
        return;
    }
    c->bytes += size;
}

static void log_request(const http_server *srv, const char *method,
                        const char *url, int status, size_t bytes,
                        struct timespec t0)
{
    if (srv->o->quiet)
        return;
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
                (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    fprintf(stderr, "%s %.200s %d %zu %.2fms\n", method, url, status, bytes,
            ms);
}

/* Who is asking: the session cookie, looked up on the worker's store. */
static void find_session(http_req *rq)
{
    const char *tok = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND,
                                                  "gca_session");
    gca_err err = {0};
    rq->role = ROLE_ANON;
    if (!tok || gca_session_get(rq->st, tok, &rq->session, &err) < 0)
        return;
    rq->has_session = 1;
    snprintf(rq->token, sizeof rq->token, "%s", tok);
    rq->role = role_bit(rq->session.user.role);
}

/* A body of a change must be JSON. */
static int content_type_ok(struct MHD_Connection *c, size_t len)
{
    if (!len)
        return 1;
    const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                 "Content-Type");
    if (!ct)
        return 0;
    size_t n = strlen("application/json");
    return !strncmp(ct, "application/json", n) &&
           (ct[n] == '\0' || ct[n] == ';');
}

/* The largest body the route of method and url takes. */
static size_t body_limit(const http_server *srv, const char *method,
                         const char *url)
{
    size_t n = strlen(url);
    char *scratch = malloc(n + 1);
    const char *params[HTTP_MAX_PARAMS];
    int known = 0;
    const http_route *r =
        scratch ? http_route_find(method, url, scratch, params, &known) : NULL;
    free(scratch);
    return r && r->file ? (size_t)GCA_EVIDENCE_MAX_DEFAULT + 1
                        : srv->o->body_max;
}

/* The X-CSRF-Token header is the session's token (constant time). */
static int csrf_ok(const http_req *rq)
{
    const char *t = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND,
                                                "X-CSRF-Token");
    return t && strlen(t) == 64 &&
           sodium_memcmp(t, rq->session.csrf, 64) == 0;
}

static int dispatch(http_req *rq, http_resp *rs)
{
    size_t n = strlen(rq->path);
    char *scratch = malloc(n + 1);
    if (!scratch)
        return http_error(rs, 500, "internal", "out of memory");
    int path_known = 0;
    const http_route *r = http_route_find(
        !strcmp(rq->method, "HEAD") ? "GET" : rq->method, rq->path, scratch,
        rq->params, &path_known);
    int rc;
    if (!r) {
        rc = path_known ? http_error(rs, 405, "method_not_allowed",
                                     "%s is not allowed on %.200s",
                                     rq->method, rq->path)
                        : http_error(rs, 404, "not_found",
                                     "no such resource: %.200s", rq->path);
    } else if (!(r->roles & rq->role)) {
        rc = rq->role == ROLE_ANON
                 ? http_error(rs, 401, "unauthenticated",
                              "log in first (POST /api/v1/session)")
                 : http_error(rs, 403, "forbidden",
                              "the %s role may not use %s %s",
                              rq->session.user.role, r->method, r->path);
    } else if (r->csrf && rq->has_session && !csrf_ok(rq)) {
        rc = http_error(rs, 403, "csrf",
                        "missing or wrong X-CSRF-Token header (GET "
                        "/api/v1/session gives it)");
    } else if (is_change(rq->method) && !r->file &&
               !content_type_ok(rq->conn, rq->body_len)) {
        rc = http_error(rs, 415, "unsupported_media_type",
                        "send the body as application/json");
    } else {
        rc = r->fn(rq, rs);
    }
    free(scratch);
    /* Outside the API (and its static files) an error is a page. */
    if (rs->status >= 400 && strncmp(rq->path, "/api/", 5) &&
        strncmp(rq->path, "/static/", 8) && rs->type &&
        !strcmp(rs->type, "application/json"))
        page_error(rs);
    return rc;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version,
                                  const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    http_server *srv = cls;
    pending *p = *con_cls;
    (void)version;
    if (!p) {
        p = calloc(1, sizeof *p);
        if (!p)
            return MHD_NO;
        p->max = body_limit(srv, method, url);
        gca_buf_init(&p->body, p->max);
        *con_cls = p;
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                     "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > p->max)
            p->too_big = 1;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!p->too_big) {
            gca_buf_add(&p->body, upload_data, *upload_size);
            if (gca_buf_error(&p->body))
                p->too_big = 1;
        }
        *upload_size = 0;
        return MHD_YES;
    }

    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    http_resp rs = {.status = 200, .body = GCA_BUF_INIT((size_t)1 << 30),
                    .gz = GCA_BUF_INIT((size_t)1 << 30)};
    http_req rq = {.srv = srv, .conn = c, .method = method, .path = url};
    gca_err err = {0};
    if (p->too_big) {
        http_error(&rs, 413, "too_large", "the request body is larger than "
                                          "%zu bytes",
                   p->max);
    } else if (strlen(url) > 2048) {
        http_error(&rs, 414, "uri_too_long", "the path is too long");
    } else if (!(rq.st = worker_store(srv, &err))) {
        http_error(&rs, 503, "unavailable", "the database cannot be read");
    } else {
        rq.body = p->body.ptr ? p->body.ptr : "";
        rq.body_len = p->body.len;
        find_session(&rq);
        int get = !strcmp(method, "GET");
        http_cache *cache = get && rq.role == ROLE_ANON && tl_cache
                                ? cache_now(tl_cache, rq.st)
                                : NULL;
        gca_buf key = GCA_BUF_INIT(8192);
        cached *hit = cache && cache_key(c, url, &key) == 0
                          ? cache_find(cache, key.ptr)
                          : NULL;
        if (hit) {
            enum MHD_Result ret = respond(c, &rq, &hit->rs);
            log_request(srv, method, url, hit->rs.status, hit->rs.body.len,
                        t0);
            hit->rs.status = 200;
            gca_buf_release(&key);
            gca_buf_release(&rs.body);
            return ret;
        }
        dispatch(&rq, &rs);
        if (cache && key.ptr && rs.cache && rs.status == 200) {
            /* Compute what the cache keeps once: ETag and gzip. */
            enum MHD_Result ret = respond(c, &rq, &rs);
            if (rs.status == 200 || rs.status == 304) {
                if (!rs.gz_done && rs.body.len >= GZIP_MIN) {
                    rs.gz_done = 1;
                    if (gzip_body(&rs.body, &rs.gz) < 0)
                        gca_buf_reset(&rs.gz);
                }
                cache_put(cache, key.ptr, &rs);
            }
            log_request(srv, method, url, rs.status, rs.body.len, t0);
            gca_buf_release(&key);
            gca_buf_release(&rs.body);
            gca_buf_release(&rs.gz);
            return ret;
        }
        gca_buf_release(&key);
    }
    enum MHD_Result ret = respond(c, &rq, &rs);
    log_request(srv, method, url, rs.status, rs.body.len, t0);
    sodium_memzero(rq.token, sizeof rq.token);
    gca_buf_release(&rs.body);
    gca_buf_release(&rs.gz);
    return ret;
}

/* MHD's hook for percent-decoding (http_unescape, routes.c). */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return http_unescape(s);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    pending *p = *con_cls;
    if (!p)
        return;
    gca_buf_release(&p->body);
    free(p);
    *con_cls = NULL;
}

/* ====== Start and stop ====== */

int http_serve(const http_options *o, gca_err *err)
{
    http_server *srv = calloc(1, sizeof *srv);
    if (!srv)
        return gca_fail(err, GCA_ENOMEM, "serve", 0, 0, "out of memory");
    srv->o = o;
    pthread_mutex_init(&srv->lock, NULL);
    pthread_mutex_init(&srv->wlock, NULL);
    int rc = gca_store_open(o->db, 0, &srv->writer, err);
    if (rc == 0 && sodium_init() < 0)
        rc = gca_fail(err, GCA_EINTERNAL, "serve", 0, 0,
                      "libsodium cannot start");
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)o->port);
    if (rc == 0 && inet_pton(AF_INET, o->host, &sa.sin_addr) != 1)
        rc = gca_fail(err, GCA_EINVAL, "listen", 0, 0,
                      "'%s' is not an IPv4 address", o->host);
    /* The signals go to the waiting thread below, not the workers. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    signal(SIGPIPE, SIG_IGN);
    if (rc == 0)
        pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    /* TLS: the certificate and key are read before listening, so that a
     * wrong file stops the start with its name. */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL;
    struct MHD_OptionItem tls[] = {
        {MHD_OPTION_HTTPS_MEM_CERT, 0, NULL},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    gca_buf_init(&srv->cert, (size_t)1 << 20);
    gca_buf_init(&srv->key, (size_t)1 << 20);
    if (rc == 0 && o->tls_cert) {
        if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
            rc = gca_fail(err, GCA_EINVAL, "tls", 0, 0,
                          "this libmicrohttpd has no TLS support");
        if (rc == 0)
            rc = gca_file_read(o->tls_cert, &srv->cert, err);
        if (rc == 0)
            rc = gca_file_read(o->tls_key, &srv->key, err);
        if (rc == 0 && (!strstr(gca_buf_str(&srv->cert), "-----BEGIN ") ||
                        !strstr(gca_buf_str(&srv->key), "-----BEGIN ")))
            rc = gca_fail(err, GCA_EPARSE,
                          strstr(gca_buf_str(&srv->cert), "-----BEGIN ")
                              ? o->tls_key
                              : o->tls_cert,
                          0, 0, "not a PEM file");
        flags |= MHD_USE_TLS;
        tls[0].ptr_value = (void *)gca_buf_str(&srv->cert);
        tls[1].ptr_value = (void *)gca_buf_str(&srv->key);
    } else {
        tls[0].option = MHD_OPTION_END;
    }
    if (rc == 0) {
        srv->d = MHD_start_daemon(
            flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR,
            (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
            (unsigned)o->threads, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
            (size_t)64 * 1024, MHD_OPTION_CONNECTION_TIMEOUT, 30u,
            MHD_OPTION_CONNECTION_LIMIT, 1000u, MHD_OPTION_NOTIFY_COMPLETED,
            on_completed, NULL, MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
            MHD_OPTION_ARRAY, tls, MHD_OPTION_END);
        if (!srv->d)
            rc = gca_fail(err, GCA_EIO, "listen", 0, 0,
                          "cannot listen on %s:%d (in use, or not "
                          "allowed%s)",
                          o->host, o->port,
                          o->tls_cert ? ", or a certificate and key that "
                                        "do not make a pair"
                                      : "");
    }
    if (rc == 0) {
        const union MHD_DaemonInfo *di =
            MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);
        printf("listening on %s://%s:%u/\n", o->tls_cert ? "https" : "http",
               o->host,
               di ? (unsigned)di->port : (unsigned)o->port);
        fflush(stdout);
        int sig = 0;
        sigwait(&sigs, &sig);
        fprintf(stderr, "gca serve: stopping (signal %d)\n", sig);
        MHD_stop_daemon(srv->d);
    }
    for (int i = 0; i < srv->nstores; i++) {
        cache_free(srv->caches[i]); /* its statement first */
        gca_store_close(srv->stores[i]);
    }
    gca_store_close(srv->writer);
    pthread_mutex_destroy(&srv->lock);
    pthread_mutex_destroy(&srv->wlock);
    gca_buf_release(&srv->cert);
    /* The key's bytes are secret: wiped before they are freed. */
    if (srv->key.ptr)
        sodium_memzero(srv->key.ptr, srv->key.cap);
    gca_buf_release(&srv->key);
    free(srv);
    return rc;
}
