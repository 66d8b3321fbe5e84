/* api_session.c - log in and out (POST and DELETE /api/v1/session), the
 * current session (GET, with the CSRF token that changes must carry in
 * X-CSRF-Token), and the users (admins). The session cookie is HttpOnly
 * and SameSite=Strict; failed log-ins are limited per peer and name. */
#include <stdio.h>
#include <string.h>

#include "http/api.h"

#include "core/banned.h"

static json_t *user_json(const gca_user *u)
{
    return json_pack("{s:o,s:s,s:o,s:b}", "name", gca__json_text(u->name), "role",
                     u->role, "country",
                     *u->country ? json_string(u->country) : json_null(),
                     "disabled", u->disabled);
}

static json_t *session_json(const gca_session *s)
{
    return json_pack("{s:o,s:s,s:s}", "user", user_json(&s->user), "csrf",
                     s->csrf, "expires_at", s->expires_at);
}

int api_login(http_req *rq, http_resp *rs)
{
    json_error_t jerr;
    json_t *body = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES,
                              &jerr);
    const char *name = NULL, *password = NULL;
    if (!body)
        return http_error(rs, 400, "malformed",
                          "body: line %d, column %d: %s", jerr.line,
                          jerr.column, jerr.text);
    if (!json_is_object(body)) {
        json_decref(body);
        return http_error(rs, 400, "malformed",
                          "body: a JSON object {\"name\", \"password\"} "
                          "is expected");
    }
    name = json_string_value(json_object_get(body, "name"));
    password = json_string_value(json_object_get(body, "password"));
    if (!name || !password) {
        json_decref(body);
        return http_error(rs, 400, "invalid",
                          "body: \"name\" and \"password\" must be strings");
    }
    char peer[64], who[160];
    http_peer(rq, peer);
    snprintf(who, sizeof who, "%s\n%.64s", peer, name);
    int wait = http_login_wait(rq->srv, who);
    if (wait > 0) {
        json_decref(body);
        return http_error(rs, 429, "too_many_attempts",
                          "too many failed log-ins: try again in %d s",
                          wait);
    }
    char token[65];
    gca_session s;
    gca_err err = {0};
    gca_store *w = http_writer(rq->srv);
    int rc = gca_session_login(w, name, password, http_session_ttl(rq->srv),
                               token, &s, &err);
    http_writer_release(rq->srv);
    json_decref(body);
    if (rc < 0) {
        if (rc != GCA_EINVAL)
            return http_fail(rs, &err);
        http_login_failed(rq->srv, who);
        return http_error(rs, 401, "login_failed", "%s", err.msg);
    }
    http_login_ok(rq->srv, who);
    snprintf(rs->set_cookie, sizeof rs->set_cookie,
             "gca_session=%s; Path=/; Max-Age=%d; HttpOnly; "
             "SameSite=Strict%s",
             token, http_session_ttl(rq->srv),
             http_tls(rq->srv) ? "; Secure" : "");
    return http_json(rs, 200, session_json(&s));
}

int api_session(http_req *rq, http_resp *rs)
{
    return http_json(rs, 200, session_json(&rq->session));
}

int api_logout(http_req *rq, http_resp *rs)
{
    gca_err err = {0};
    gca_store *w = http_writer(rq->srv);
    int rc = gca_session_logout(w, rq->token, &err);
    http_writer_release(rq->srv);
    if (rc < 0)
        return http_fail(rs, &err);
    snprintf(rs->set_cookie, sizeof rs->set_cookie,
             "gca_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict%s",
             http_tls(rq->srv) ? "; Secure" : "");
    return http_json(rs, 200, json_pack("{s:b}", "logged_out", 1));
}

static int add_user(const gca_user *u, void *ctx)
{
    json_t *o = user_json(u);
    return o && json_array_append_new(ctx, o) == 0 ? 0 : GCA_ENOMEM;
}

int api_users(http_req *rq, http_resp *rs)
{
    gca_err err = {0};
    json_t *list = json_array();
    if (!list)
        return http_error(rs, 500, "internal", "out of memory");
    if (gca_user_list(rq->st, add_user, list, &err) < 0) {
        json_decref(list);
        return http_fail(rs, &err);
    }
    return http_list(rq, rs, "users", list, NULL);
}
