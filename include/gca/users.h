/* gca/users.h - the people who act on the store and their roles: admin
 * (manages users and editions), analyst (every country of an edition),
 * focal (one country), viewer (reads). Passwords are stored as argon2id
 * hashes (libsodium crypto_pwhash_str) and never logged. Every change
 * takes the acting user, checks its role and appends an audit event in
 * the same transaction (docs/audit.md). */
#ifndef GCA_USERS_H
#define GCA_USERS_H

#include "gca/core.h"
#include "gca/store.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GCA_USER_NAME_MAX 64     /* bytes */
#define GCA_PASSWORD_MIN 8       /* bytes */
#define GCA_PASSWORD_MAX 1024    /* bytes */

/* A user as stored (never its password hash). */
typedef struct gca_user {
    long long id;
    char name[GCA_USER_NAME_MAX + 1];
    char role[16];        /* "admin", "analyst", "focal", "viewer" */
    char country[4];      /* ISO3 for a focal point, "" otherwise */
    int disabled;         /* 1 = may no longer log in or act */
    int has_password;     /* 0 = cannot log in until one is set */
    char created_at[32];  /* UTC, "2026-11-23T10:21:00Z" */
} gca_user;

/* How costly new password hashes are. */
enum gca_pwhash_cost {
    GCA_PWHASH_INTERACTIVE = 0, /* crypto_pwhash_*_INTERACTIVE: default */
    GCA_PWHASH_MIN = 1          /* *_MIN: weak, for test suites only */
};
/* Set the cost of the hashes that gca_user_add and gca_user_passwd make
 * through `st` from now on. Verification reads the cost from each stored
 * hash, so both kinds keep working. */
GCA_API void gca_store_set_pwhash_cost(gca_store *st,
                                       enum gca_pwhash_cost cost);

/* Add user `name` with `role` ("admin", "analyst", "focal", "viewer"),
 * `country` (ISO3 of a country in the store: required for "focal",
 * refused for the others) and `password` (GCA_PASSWORD_MIN to _MAX
 * bytes; NULL = none, the user cannot log in until gca_user_passwd).
 * `actor` must be an enabled admin. Bootstrap: while the users table is
 * empty, `actor` must be NULL and the role "admin"; the event records the
 * new admin as its own actor. Names: 1 to GCA_USER_NAME_MAX bytes of
 * UTF-8, no control character, no '/', no blank at either end. Returns 0
 * or a negative GCA_E* (GCA_EINVAL for a refused role or a bad value,
 * GCA_ENOTFOUND for an unknown actor or country), nothing written. */
GCA_API int gca_user_add(gca_store *st, const char *actor, const char *name,
                         const char *role, const char *country,
                         const char *password, gca_err *err);

/* Set the password of `name`; `actor` must be `name` itself or an
 * enabled admin. */
GCA_API int gca_user_passwd(gca_store *st, const char *actor,
                            const char *name, const char *password,
                            gca_err *err);

/* Disable `name` (it can no longer log in or act); `actor` must be an
 * enabled admin. The last enabled admin cannot be disabled. */
GCA_API int gca_user_disable(gca_store *st, const char *actor,
                             const char *name, gca_err *err);

/* Look `name` up: 0 and *out, or GCA_ENOTFOUND. */
GCA_API int gca_user_get(gca_store *st, const char *name, gca_user *out,
                         gca_err *err);

/* Called per user in name order; a non-zero return stops the walk and
 * is returned by gca_user_list. `u` is valid during the call only. */
typedef int (*gca_user_fn)(const gca_user *u, void *ctx);
GCA_API int gca_user_list(gca_store *st, gca_user_fn fn, void *ctx,
                          gca_err *err);

/* Check `password` for `name`: 0 and *out (may be NULL) for an enabled
 * user whose password matches; GCA_EINVAL otherwise, with the same
 * message and about the same time for an unknown name, a wrong password
 * or a user without one, so that a caller cannot probe for names. A
 * disabled user with the right password is told so. */
GCA_API int gca_user_authenticate(gca_store *st, const char *name,
                                  const char *password, gca_user *out,
                                  gca_err *err);

/* ====== Sessions of the web portal (gca serve) ====== */

/* A session: its user and the token that state-changing requests must
 * echo (CSRF). The session's own token is a cookie, never stored: the
 * store keeps its SHA-256 (0007_sessions.sql). */
typedef struct gca_session {
    gca_user user;
    char csrf[65];        /* 64 hex digits */
    char expires_at[32];  /* UTC */
} gca_session;

#define GCA_SESSION_TTL_MAX (30 * 24 * 3600) /* seconds */

/* Log `name` in with `password` (gca_user_authenticate): a new session
 * of `ttl` seconds (1 to GCA_SESSION_TTL_MAX), its token (256 random
 * bits as 64 hex digits) into token[65], the session into *out (may be
 * NULL). Appends the audit event "session.login"; removes expired
 * sessions. GCA_EINVAL for a wrong name or password (the same message
 * either way) or a disabled user. */
GCA_API int gca_session_login(gca_store *st, const char *name,
                              const char *password, int ttl,
                              char token[65], gca_session *out,
                              gca_err *err);

/* The live session of `token` into *out: GCA_ENOTFOUND (source
 * "session") when there is none, it has expired or its user is
 * disabled. Reads only. */
GCA_API int gca_session_get(gca_store *st, const char *token,
                            gca_session *out, gca_err *err);

/* End the session of `token` (audit event "session.logout");
 * GCA_ENOTFOUND as gca_session_get. */
GCA_API int gca_session_logout(gca_store *st, const char *token,
                               gca_err *err);

#ifdef __cplusplus
}
#endif
#endif
