/* sessions.c - sessions of the web portal (gca/users.h, gca_session_*;
 * table: schema/0007_sessions.sql). Tokens are 256 random bits from
 * libsodium; the store keeps only their SHA-256, so that reading the
 * database does not give anyone a live session. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "gca/users.h"
#include "store/audit.h"
#include "store/backend.h"

#include "core/banned.h"

static void random_hex(char out[65])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(out, 65, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
}

/* A token as sent by a browser: 64 lower-case hex digits. */
static int token_ok(const char *token)
{
    if (!token || strlen(token) != 64)
        return 0;
    for (const char *p = token; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return 0;
    return 1;
}

int gca_session_login(gca_store *st, const char *name, const char *password,
                      int ttl, char token[65], gca_session *out,
                      gca_err *err)
{
    gca_session s;
    char hash[65], now[32];
    memset(&s, 0, sizeof s);
    token[0] = '\0';
    if (ttl < 1 || ttl > GCA_SESSION_TTL_MAX)
        return gca_fail(err, GCA_EINVAL, "ttl", 0, 0,
                        "a session lasts 1 to %d seconds, not %d",
                        GCA_SESSION_TTL_MAX, ttl);
    int rc = gca_user_authenticate(st, name, password, &s.user, err);
    if (rc == 0)
        rc = gca__store_now(st, now, err);
    if (rc == 0)
        rc = gca__store_time_at(st, ttl, s.expires_at, err);
    if (rc < 0)
        return rc;
    char tok[65];
    random_hex(tok);
    random_hex(s.csrf);
    gca__sha256_hex(tok, 64, hash);

    const gca__backend *be = st->be;
    gca__stmt *del = NULL, *ins = NULL;
    json_t *data = NULL;
    rc = be->begin(st->conn, err);
    if (rc < 0)
        return rc;
    rc = be->prepare(st->conn, "DELETE FROM sessions WHERE expires_at <= ?",
                     &del, err);
    if (rc == 0) {
        be->bind_text(del, 1, now);
        rc = be->step(del, err);
    }
    if (rc >= 0)
        rc = be->prepare(st->conn,
                         "INSERT INTO sessions (token_sha256, user_id, csrf, "
                         "created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                         &ins, err);
    if (rc >= 0) {
        be->bind_text(ins, 1, hash);
        be->bind_int(ins, 2, s.user.id);
        be->bind_text(ins, 3, s.csrf);
        be->bind_text(ins, 4, now);
        be->bind_text(ins, 5, s.expires_at);
        rc = be->step(ins, err);
    }
    char object[96];
    snprintf(object, sizeof object, "user/%s", s.user.name);
    if (rc >= 0) {
        data = json_pack("{s:s}", "expires_at", s.expires_at);
        rc = data ? gca__audit_append(st, s.user.name, "session.login",
                                      object, data, err)
                  : gca_fail(err, GCA_ENOMEM, st->path, 0, 0,
                             "out of memory");
    }
    be->finalize(del);
    be->finalize(ins);
    json_decref(data);
    if (rc >= 0)
        rc = be->commit(st->conn, err);
    if (rc < 0) {
        be->rollback(st->conn);
        sodium_memzero(tok, sizeof tok);
        return rc;
    }
    memcpy(token, tok, 65);
    sodium_memzero(tok, sizeof tok);
    if (out)
        *out = s;
    return 0;
}

/* The session row of `token` (rc 1), its user's name into name[]. */
static int find(gca_store *st, const char *token, gca_session *out,
                char name[GCA_USER_NAME_MAX + 1], gca_err *err)
{
    char hash[65], now[32];
    if (!token_ok(token))
        return gca_fail(err, GCA_ENOTFOUND, "session", 0, 0,
                        "no such session");
    gca__sha256_hex(token, 64, hash);
    int rc = gca__store_now(st, now, err);
    if (rc < 0)
        return rc;
    gca__stmt *s = NULL;
    rc = st->be->prepare(st->conn,
                         "SELECT u.name, s.csrf, s.expires_at FROM sessions s "
                         "JOIN users u ON u.id = s.user_id "
                         "WHERE s.token_sha256 = ? AND s.expires_at > ? "
                         "AND u.disabled = 0",
                         &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_text(s, 1, hash);
    st->be->bind_text(s, 2, now);
    rc = st->be->step(s, err);
    if (rc > 0) {
        const char *v[3];
        for (int i = 0; i < 3; i++) {
            v[i] = st->be->col_text(s, i);
            if (!v[i])
                v[i] = "";
        }
        snprintf(name, GCA_USER_NAME_MAX + 1, "%s", v[0]);
        snprintf(out->csrf, sizeof out->csrf, "%s", v[1]);
        snprintf(out->expires_at, sizeof out->expires_at, "%s", v[2]);
    }
    st->be->finalize(s);
    if (rc == 0)
        return gca_fail(err, GCA_ENOTFOUND, "session", 0, 0,
                        "no such session, or it has expired");
    return rc;
}

int gca_session_get(gca_store *st, const char *token, gca_session *out,
                    gca_err *err)
{
    gca_session s;
    char name[GCA_USER_NAME_MAX + 1];
    memset(&s, 0, sizeof s);
    int rc = find(st, token, &s, name, err);
    if (rc < 0)
        return rc;
    rc = gca_user_get(st, name, &s.user, err);
    if (rc < 0)
        return rc;
    if (out)
        *out = s;
    return 0;
}

int gca_session_logout(gca_store *st, const char *token, gca_err *err)
{
    gca_session s;
    char name[GCA_USER_NAME_MAX + 1], hash[65], object[96];
    memset(&s, 0, sizeof s);
    const gca__backend *be = st->be;
    int rc = be->begin(st->conn, err);
    if (rc < 0)
        return rc;
    rc = find(st, token, &s, name, err);
    gca__stmt *del = NULL;
    if (rc >= 0) {
        gca__sha256_hex(token, 64, hash);
        rc = be->prepare(st->conn,
                         "DELETE FROM sessions WHERE token_sha256 = ?", &del,
                         err);
    }
    if (rc >= 0) {
        be->bind_text(del, 1, hash);
        rc = be->step(del, err);
    }
    if (rc >= 0) {
        snprintf(object, sizeof object, "user/%s", name);
        rc = gca__audit_append(st, name, "session.logout", object, NULL, err);
    }
    be->finalize(del);
    if (rc >= 0)
        rc = be->commit(st->conn, err);
    if (rc < 0)
        be->rollback(st->conn);
    return rc < 0 ? rc : 0;
}
