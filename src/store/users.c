/* users.c - users and roles (gca/users.h): adding, password changes,
 * disabling, listing and logging in. Passwords are hashed with argon2id
 * (libsodium crypto_pwhash_str, https://doc.libsodium.org/password_hashing)
 * outside the write transaction, so that the slow part holds no lock;
 * role checks and the audit event (docs/audit.md, "Objects") run inside
 * it. */
#define _POSIX_C_SOURCE 200809L
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "gca/users.h"
#include "store/audit.h"
#include "store/workflow.h"
#include "core/str.h"

#include "core/banned.h"

/* Hashes of a password nobody knows, at each cost, for the unknown-user
 * path of gca_user_authenticate: verifying one takes as long as
 * verifying a real hash of that cost. */
static const char dummy_interactive[crypto_pwhash_STRBYTES] =
    "$argon2id$v=19$m=65536,t=2,p=1$nP2rpm2jixyCmh3lB1r1ow$"
    "FdZkx4Pn1QzIc8q9cSDPaePfB+I3BM8KPKZfe4ouKnE";
static const char dummy_min[crypto_pwhash_STRBYTES] =
    "$argon2id$v=19$m=8,t=1,p=1$17l+Siwox52F27Yw1iP3+w$"
    "1x0AQr2+UGAOODa/MY/FlSf6kQBukF2dwJ+MZwKopXY";

#define USER_COLUMNS \
    "id, name, role, country, pw_hash IS NOT NULL, disabled, created_at"

void gca_store_set_pwhash_cost(gca_store *st, enum gca_pwhash_cost cost)
{
    st->pwhash_min = cost == GCA_PWHASH_MIN;
}

/* ====== Checks on values ====== */

static int is_role(const char *r)
{
    return r && (!strcmp(r, "admin") || !strcmp(r, "analyst") ||
                 !strcmp(r, "focal") || !strcmp(r, "viewer"));
}

/* Why `name` cannot be a user name, NULL if it can. */
static const char *name_problem(const char *name)
{
    if (!name || !*name)
        return "is empty";
    size_t n = strlen(name);
    if (n > GCA_USER_NAME_MAX)
        return "is longer than 64 bytes";
    if (gca_utf8_valid_prefix(name, n) != n)
        return "is not valid UTF-8";
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            return "contains a control character";
        if (*p == '/')
            return "contains '/'";
    }
    if (name[0] == ' ' || name[n - 1] == ' ')
        return "starts or ends with a blank";
    return NULL;
}

static int check_name(gca_store *st, const char *name, gca_err *err)
{
    const char *why = name_problem(name);
    if (why)
        return gca_fail(err, GCA_EINVAL, st->path, 0, 0,
                        "user name '%s' %s", name ? name : "", why);
    return 0;
}

static int check_password(gca_store *st, const char *pw, gca_err *err)
{
    size_t n = strlen(pw);
    if (n < GCA_PASSWORD_MIN)
        return gca_fail(err, GCA_EINVAL, st->path, 0, 0,
                        "password is shorter than %d bytes",
                        GCA_PASSWORD_MIN);
    if (n > GCA_PASSWORD_MAX)
        return gca_fail(err, GCA_EINVAL, st->path, 0, 0,
                        "password is longer than %d bytes",
                        GCA_PASSWORD_MAX);
    return 0;
}

/* Hash `pw` into out[crypto_pwhash_STRBYTES] at the store's cost. */
static int hash_password(gca_store *st, const char *pw, char *out,
                         gca_err *err)
{
    unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
    size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    if (st->pwhash_min) {
        ops = crypto_pwhash_OPSLIMIT_MIN;
        mem = crypto_pwhash_MEMLIMIT_MIN;
    }
    int rc = check_password(st, pw, err);
    if (rc == 0)
        rc = gca__store_sodium_init(st, err);
    if (rc < 0)
        return rc;
    /* Fails only when the memory it needs cannot be had. */
    if (crypto_pwhash_str(out, pw, strlen(pw), ops, mem) != 0)
        return gca_fail(err, GCA_ENOMEM, st->path, 0, 0,
                        "out of memory hashing a password");
    return 0;
}

/* ====== Reading users ====== */

static void read_user(gca_store *st, gca__stmt *s, gca_user *u)
{
    const char *t;
    memset(u, 0, sizeof *u);
    u->id = st->be->col_int(s, 0);
    t = st->be->col_text(s, 1);
    snprintf(u->name, sizeof u->name, "%s", t ? t : "");
    t = st->be->col_text(s, 2);
    snprintf(u->role, sizeof u->role, "%s", t ? t : "");
    t = st->be->col_text(s, 3);
    snprintf(u->country, sizeof u->country, "%s", t ? t : "");
    u->has_password = st->be->col_int(s, 4) != 0;
    u->disabled = st->be->col_int(s, 5) != 0;
    t = st->be->col_text(s, 6);
    snprintf(u->created_at, sizeof u->created_at, "%s", t ? t : "");
}

/* Load `name` into *u (and its hash into pw_hash[crypto_pwhash_STRBYTES]
 * when not NULL, "" if none). *found = 0 when there is no such user. */
static int load_user(gca_store *st, const char *name, gca_user *u,
                     char *pw_hash, int *found, gca_err *err)
{
    gca__stmt *s = NULL;
    int rc = st->be->prepare(st->conn,
                             "SELECT " USER_COLUMNS ", pw_hash FROM users "
                             "WHERE name = ?",
                             &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_text(s, 1, name);
    rc = st->be->step(s, err);
    *found = rc > 0;
    if (rc > 0) {
        read_user(st, s, u);
        if (pw_hash) {
            const char *h = st->be->col_text(s, 7);
            snprintf(pw_hash, crypto_pwhash_STRBYTES, "%s", h ? h : "");
        }
    }
    st->be->finalize(s);
    return rc < 0 ? rc : 0;
}

/* The acting user `actor`, who must exist and be enabled, into *a. */
static int load_actor(gca_store *st, const char *actor, gca_user *a,
                      gca_err *err)
{
    int found = 0;
    if (!actor || !*actor)
        return gca_fail(err, GCA_EINVAL, st->path, 0, 0,
                        "no acting user given");
    int rc = load_user(st, actor, a, NULL, &found, err);
    if (rc < 0)
        return rc;
    if (!found)
        return gca_fail(err, GCA_ENOTFOUND, st->path, 0, 0,
                        "acting user '%s' does not exist", actor);
    if (a->disabled)
        return gca_fail(err, GCA_EPERM, st->path, 0, 0,
                        "acting user '%s' is disabled", actor);
    return 0;
}

int gca__store_actor(gca_store *st, const char *actor, gca_user *out,
                     gca_err *err)
{
    return load_actor(st, actor, out, err);
}

/* One number from a query with at most one text parameter. */
static int query_count(gca_store *st, const char *sql, const char *arg,
                       long long *n, gca_err *err)
{
    gca__stmt *s = NULL;
    int rc = st->be->prepare(st->conn, sql, &s, err);
    if (rc < 0)
        return rc;
    if (arg)
        st->be->bind_text(s, 1, arg);
    rc = st->be->step(s, err);
    *n = rc > 0 ? st->be->col_int(s, 0) : 0;
    st->be->finalize(s);
    return rc < 0 ? rc : 0;
}

/* ====== Audit events ====== */

/* Append `action` on user `u` by `actor`: its name and role, and its
 * country when it has one (so that `gca audit log --country` finds it). */
static int audit_user(gca_store *st, const char *actor, const char *action,
                      const char *name, const char *role,
                      const char *country, gca_err *err)
{
    char object[GCA_USER_NAME_MAX + 8];
    snprintf(object, sizeof object, "user/%s", name);
    json_t *data = json_pack("{s:s, s:s}", "name", name, "role", role);
    if (data && country && *country &&
        json_object_set_new(data, "country", json_string(country)) != 0) {
        json_decref(data);
        data = NULL;
    }
    if (!data)
        return gca_fail(err, GCA_ENOMEM, st->path, 0, 0, "out of memory");
    int rc = gca__audit_append(st, actor, action, object, data, err);
    json_decref(data);
    return rc;
}

/* ====== Changes ====== */

/* Checks of gca_user_add that need the database, inside its
 * transaction. */
static int add_allowed(gca_store *st, const char *actor, const char *name,
                       const char *role, const char *country, gca_err *err)
{
    long long n = 0;
    gca_user a;
    int rc = query_count(st, "SELECT count(*) FROM users", NULL, &n, err);
    if (rc < 0)
        return rc;
    if (!actor && n > 0)
        return gca_fail(err, GCA_EINVAL, st->path, 0, 0,
                        "cannot add user '%s' without an acting admin: "
                        "the store already has users",
                        name);
    if (!actor && strcmp(role, "admin") != 0)
        return gca_fail(err, GCA_EINVAL, st->path, 0, 0,
                        "the first user must be an admin, not %s", role);
    if (actor) {
        rc = load_actor(st, actor, &a, err);
        if (rc == 0)
            rc = gca__require_admin(st, &a, "add users", err);
        if (rc < 0)
            return rc;
    }
    if (country) {
        rc = query_count(st, "SELECT count(*) FROM countries WHERE iso3 = ?",
                         country, &n, err);
        if (rc < 0)
            return rc;
        if (n == 0)
            return gca_fail(err, GCA_ENOTFOUND, st->path, 0, 0,
                            "country '%s' is not in the country list",
                            country);
    }
    rc = query_count(st, "SELECT count(*) FROM users WHERE name = ?", name,
                     &n, err);
    if (rc == 0 && n > 0)
        rc = gca_fail(err, GCA_EINVAL, st->path, 0, 0,
                      "user '%s' already exists", name);
    return rc;
}

static int insert_user(gca_store *st, const char *name, const char *role,
                       const char *country, const char *pw_hash,
                       gca_err *err)
{
    char now[32];
    gca__stmt *s = NULL;
    int rc = gca__store_now(st, now, err);
    if (rc == 0)
        rc = st->be->prepare(st->conn,
                             "INSERT INTO users (name, role, country, "
                             "pw_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                             &s, err);
    if (rc < 0)
        return rc;
    st->be->bind_text(s, 1, name);
    st->be->bind_text(s, 2, role);
    st->be->bind_text(s, 3, country);
    st->be->bind_text(s, 4, pw_hash);
    st->be->bind_text(s, 5, now);
    rc = st->be->step(s, err);
    st->be->finalize(s);
    return rc < 0 ? rc : 0;
}

int gca_user_add(gca_store *st, const char *actor, const char *name,
                 const char *role, const char *country,
                 const char *password, gca_err *err)
{
    char pw_hash[crypto_pwhash_STRBYTES];
    int rc = check_name(st, name, err);
    if (rc < 0)
        return rc;
    if (!is_role(role))
        return gca_fail(err, GCA_EINVAL, st->path, 0, 0,
                        "role '%s' is not admin, analyst, focal or viewer",
                        role ? role : "");
    if (country && !*country)
        country = NULL;
    if (!strcmp(role, "focal") && !country)
        return gca_fail(err, GCA_EINVAL, st->path, 0, 0,
                        "focal point '%s' needs a country", name);
    if (strcmp(role, "focal") != 0 && country)
        return gca_fail(err, GCA_EINVAL, st->path, 0, 0,
                        "only a focal point has a country; '%s' is %s",
                        name, role);
    if (password) {
        rc = hash_password(st, password, pw_hash, err);
        if (rc < 0)
            return rc;
    }

    rc = st->be->begin(st->conn, err);
    if (rc == 0)
        rc = add_allowed(st, actor, name, role, country, err);
    if (rc == 0)
        rc = insert_user(st, name, role, country, password ? pw_hash : NULL,
                         err);
    if (rc == 0)
        rc = audit_user(st, actor ? actor : name,
                        actor ? "user.add" : "user.bootstrap", name, role,
                        country, err);
    if (rc == 0)
        rc = st->be->commit(st->conn, err);
    if (rc < 0)
        st->be->rollback(st->conn);
    sodium_memzero(pw_hash, sizeof pw_hash);
    return rc;
}

/* Load the target `name` (*t) after the actor (*a), inside the
 * transaction. */
static int load_pair(gca_store *st, const char *actor, const char *name,
                     gca_user *a, gca_user *t, gca_err *err)
{
    int found = 0;
    int rc = load_actor(st, actor, a, err);
    if (rc == 0)
        rc = load_user(st, name, t, NULL, &found, err);
    if (rc == 0 && !found)
        rc = gca_fail(err, GCA_ENOTFOUND, st->path, 0, 0,
                      "user '%s' does not exist", name);
    return rc;
}

/* Run `sql` on user `id`: its parameters are `text` then the id, or
 * only the id when `text` is NULL. */
static int update_user(gca_store *st, const char *sql, const char *text,
                       long long id, gca_err *err)
{
    gca__stmt *s = NULL;
    int rc = st->be->prepare(st->conn, sql, &s, err);
    if (rc < 0)
        return rc;
    if (text)
        st->be->bind_text(s, 1, text);
    st->be->bind_int(s, text ? 2 : 1, id);
    rc = st->be->step(s, err);
    st->be->finalize(s);
    return rc < 0 ? rc : 0;
}

int gca_user_passwd(gca_store *st, const char *actor, const char *name,
                    const char *password, gca_err *err)
{
    char pw_hash[crypto_pwhash_STRBYTES];
    gca_user a, t;
    if (!password)
        return gca_fail(err, GCA_EINVAL, st->path, 0, 0, "no password given");
    int rc = check_name(st, name, err);
    if (rc == 0)
        rc = hash_password(st, password, pw_hash, err);
    if (rc < 0)
        return rc;

    rc = st->be->begin(st->conn, err);
    if (rc == 0)
        rc = load_pair(st, actor, name, &a, &t, err);
    if (rc == 0 && a.id != t.id && strcmp(a.role, "admin") != 0)
        rc = gca_fail(err, GCA_EPERM, st->path, 0, 0,
                      "'%s' (%s) may not change the password of '%s': only "
                      "the user or an admin may",
                      a.name, a.role, t.name);
    if (rc == 0)
        rc = update_user(st, "UPDATE users SET pw_hash = ? WHERE id = ?",
                         pw_hash, t.id, err);
    if (rc == 0)
        rc = audit_user(st, a.name, "user.passwd", t.name, t.role, t.country,
                        err);
    if (rc == 0)
        rc = st->be->commit(st->conn, err);
    if (rc < 0)
        st->be->rollback(st->conn);
    sodium_memzero(pw_hash, sizeof pw_hash);
    return rc;
}

int gca_user_disable(gca_store *st, const char *actor, const char *name,
                     gca_err *err)
{
    gca_user a, t;
    long long admins = 0;
    int rc = check_name(st, name, err);
    if (rc == 0)
        rc = st->be->begin(st->conn, err);
    if (rc == 0)
        rc = load_pair(st, actor, name, &a, &t, err);
    if (rc == 0)
        rc = gca__require_admin(st, &a, "disable users", err);
    if (rc == 0 && t.disabled)
        rc = gca_fail(err, GCA_EINVAL, st->path, 0, 0,
                      "user '%s' is already disabled", t.name);
    if (rc == 0 && !strcmp(t.role, "admin"))
        rc = query_count(st,
                         "SELECT count(*) FROM users WHERE role = 'admin' "
                         "AND disabled = 0",
                         NULL, &admins, err);
    /* Nobody could manage users any more. */
    if (rc == 0 && !strcmp(t.role, "admin") && admins <= 1)
        rc = gca_fail(err, GCA_EINVAL, st->path, 0, 0,
                      "cannot disable '%s': it is the last enabled admin",
                      t.name);
    if (rc == 0)
        rc = update_user(st, "UPDATE users SET disabled = 1 WHERE id = ?",
                         NULL, t.id, err);
    if (rc == 0)
        rc = audit_user(st, a.name, "user.disable", t.name, t.role,
                        t.country, err);
    if (rc == 0)
        rc = st->be->commit(st->conn, err);
    if (rc < 0)
        st->be->rollback(st->conn);
    return rc;
}

/* ====== Reading ====== */

int gca_user_get(gca_store *st, const char *name, gca_user *out,
                 gca_err *err)
{
    gca_user u;
    int found = 0;
    int rc = load_user(st, name ? name : "", &u, NULL, &found, err);
    if (rc < 0)
        return rc;
    if (!found)
        return gca_fail(err, GCA_ENOTFOUND, st->path, 0, 0,
                        "user '%s' does not exist", name ? name : "");
    *out = u;
    return 0;
}

int gca_user_list(gca_store *st, gca_user_fn fn, void *ctx, gca_err *err)
{
    gca__stmt *s = NULL;
    int rc = st->be->prepare(st->conn,
                             "SELECT " USER_COLUMNS " FROM users "
                             "ORDER BY name",
                             &s, err);
    if (rc < 0)
        return rc;
    while ((rc = st->be->step(s, err)) > 0) {
        gca_user u;
        read_user(st, s, &u);
        rc = fn(&u, ctx);
        if (rc != 0)
            break;
    }
    st->be->finalize(s);
    return rc;
}

int gca_user_authenticate(gca_store *st, const char *name,
                          const char *password, gca_user *out, gca_err *err)
{
    char pw_hash[crypto_pwhash_STRBYTES];
    gca_user u;
    int found = 0;

    int rc = gca__store_sodium_init(st, err);
    if (rc == 0)
        rc = load_user(st, name ? name : "", &u, pw_hash, &found, err);
    if (rc < 0)
        return rc;
    /* Always verify one hash, so that an unknown name or a user without
     * a password costs what a wrong password does. */
    const char *against = found && pw_hash[0] ? pw_hash
                          : st->pwhash_min    ? dummy_min
                                              : dummy_interactive;
    const char *pw = password ? password : "";
    size_t len = strnlen(pw, GCA_PASSWORD_MAX + 1);
    int ok = crypto_pwhash_str_verify(against, pw, len) == 0;
    sodium_memzero(pw_hash, sizeof pw_hash);
    if (!ok || !found || against != pw_hash || len > GCA_PASSWORD_MAX)
        return gca_fail(err, GCA_EINVAL, st->path, 0, 0,
                        "wrong user name or password");
    if (u.disabled)
        return gca_fail(err, GCA_EINVAL, st->path, 0, 0,
                        "user '%s' is disabled", u.name);
    if (out)
        *out = u;
    return 0;
}
