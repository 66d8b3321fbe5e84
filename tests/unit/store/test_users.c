/* test_users.c - users and roles (src/store/users.c): the bootstrap
 * admin, who may add, change and disable whom, focal points and their
 * country, names and passwords refused, logging in (wrong password,
 * unknown user, disabled user), and the audit events every change
 * writes, which never hold a password or its hash; sessions of the web
 * portal (src/store/sessions.c): tokens stored only as their SHA-256,
 * expiry, log-out, disabled users, bad tokens. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "gca.h"
#include "gca/users.h"
#include "store/backend.h"
#include "store/sqlite.h"
#include "testutil.h"

#define PW_ADMIN "correct horse battery"
#define PW_ANA "analyst-secret-1"
#define PW_FOCAL "focal-secret-22"

/* ====== Helpers ====== */

typedef struct fixture {
    char dir[64];
    char db[128];
    gca_store *st;
} fixture;

/* A migrated store with the shipped countries and fast password hashes. */
static int setup(void **state)
{
    gca_err err = {0};
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    memcpy(f->dir, "/tmp/gca-test-users-XXXXXX", 27);
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->db, sizeof f->db, "%s/gca.db", f->dir);
    if (gca_store_open(f->db, GCA_STORE_CREATE, &f->st, &err) < 0 ||
        gca_store_migrate(f->st, NULL, &err) < 0 ||
        gca_store_load_shipped(f->st, &err) < 0)
        return -1;
    gca_store_set_pwhash_cost(f->st, GCA_PWHASH_MIN);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    gca_store_close(f->st);
    int rc = tu_rmtree(f->dir);
    free(f);
    return rc;
}

static long long query_int(gca_store *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(gca__sqlite_handle(st->conn), sql,
                                        -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long long v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static long long users(gca_store *st)
{
    return query_int(st, "SELECT count(*) FROM users");
}

static long long events(gca_store *st)
{
    return query_int(st, "SELECT count(*) FROM audit_events");
}

/* `rc` is `code` and the message holds `text`. */
static void expect_fail(int rc, const gca_err *err, int code,
                        const char *text)
{
    if (rc != code || !strstr(err->msg, text))
        fail_msg("got %d '%s', want %d '%s'", rc, err->msg, code, text);
}

/* admin (bootstrap), ana (analyst), fred (focal, FRA), vic (viewer). */
static void add_team(gca_store *st)
{
    gca_err err = {0};
    assert_int_equal(gca_user_add(st, NULL, "admin", "admin", NULL,
                                  PW_ADMIN, &err),
                     0);
    assert_int_equal(gca_user_add(st, "admin", "ana", "analyst", NULL,
                                  PW_ANA, &err),
                     0);
    assert_int_equal(gca_user_add(st, "admin", "fred", "focal", "FRA",
                                  PW_FOCAL, &err),
                     0);
    assert_int_equal(gca_user_add(st, "admin", "vic", "viewer", "", NULL,
                                  &err),
                     0);
}

/* ====== Adding ====== */

static void test_bootstrap(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    gca_user u;

    /* The first user must be an admin, and nobody acts for it. */
    expect_fail(gca_user_add(f->st, NULL, "ana", "analyst", NULL, PW_ANA,
                             &err),
                &err, GCA_EINVAL, "the first user must be an admin");
    gca_err_clear(&err);
    expect_fail(gca_user_add(f->st, "ghost", "admin", "admin", NULL,
                             PW_ADMIN, &err),
                &err, GCA_ENOTFOUND, "acting user 'ghost' does not exist");
    assert_int_equal(users(f->st), 0);
    assert_int_equal(events(f->st), 0);

    assert_int_equal(gca_user_add(f->st, NULL, "admin", "admin", NULL,
                                  PW_ADMIN, &err),
                     0);
    assert_int_equal(gca_user_get(f->st, "admin", &u, &err), 0);
    assert_string_equal(u.role, "admin");
    assert_string_equal(u.country, "");
    assert_int_equal(u.disabled, 0);
    assert_int_equal(u.has_password, 1);
    assert_int_equal(strlen(u.created_at), 20);
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM audit_events "
                                      "WHERE seq = 1 AND actor = 'admin' "
                                      "AND action = 'user.bootstrap' AND "
                                      "object = 'user/admin'"),
                     1);

    /* Only once. */
    gca_err_clear(&err);
    expect_fail(gca_user_add(f->st, NULL, "eve", "admin", NULL, PW_ADMIN,
                             &err),
                &err, GCA_EINVAL, "without an acting admin");
    assert_int_equal(users(f->st), 1);
    assert_int_equal(events(f->st), 1);
}

static void test_roles_and_countries(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    gca_user u;
    add_team(f->st);
    assert_int_equal(gca_user_get(f->st, "fred", &u, &err), 0);
    assert_string_equal(u.role, "focal");
    assert_string_equal(u.country, "FRA");
    assert_int_equal(gca_user_get(f->st, "vic", &u, &err), 0);
    assert_int_equal(u.has_password, 0);
    long long nu = users(f->st), ne = events(f->st);
    assert_int_equal(nu, 4);
    assert_int_equal(ne, 4);

    static const struct {
        const char *actor, *name, *role, *country, *pw;
        int code;
        const char *msg;
    } cases[] = {
        {"ana", "x1", "viewer", NULL, NULL, GCA_EPERM,
         "'ana' (analyst) may not add users: only an admin may"},
        {"fred", "x1", "viewer", NULL, NULL, GCA_EPERM, "(focal) may not"},
        {"vic", "x1", "viewer", NULL, NULL, GCA_EPERM, "(viewer) may not"},
        {"nobody", "x1", "viewer", NULL, NULL, GCA_ENOTFOUND,
         "acting user 'nobody' does not exist"},
        {"admin", "x1", "root", NULL, NULL, GCA_EINVAL,
         "role 'root' is not admin, analyst, focal or viewer"},
        {"admin", "x1", NULL, NULL, NULL, GCA_EINVAL, "role '' is not"},
        {"admin", "x1", "focal", NULL, NULL, GCA_EINVAL,
         "focal point 'x1' needs a country"},
        {"admin", "x1", "analyst", "FRA", NULL, GCA_EINVAL,
         "only a focal point has a country; 'x1' is analyst"},
        {"admin", "x1", "focal", "ZZZ", NULL, GCA_ENOTFOUND,
         "country 'ZZZ' is not in the country list"},
        {"admin", "x1", "focal", "fra", NULL, GCA_ENOTFOUND,
         "country 'fra' is not"},
        {"admin", "ana", "viewer", NULL, NULL, GCA_EINVAL,
         "user 'ana' already exists"},
        {"admin", "", "viewer", NULL, NULL, GCA_EINVAL,
         "user name '' is empty"},
        {"admin", NULL, "viewer", NULL, NULL, GCA_EINVAL, "is empty"},
        {"admin", "a\tb", "viewer", NULL, NULL, GCA_EINVAL,
         "contains a control character"},
        {"admin", "a/b", "viewer", NULL, NULL, GCA_EINVAL, "contains '/'"},
        {"admin", " ab", "viewer", NULL, NULL, GCA_EINVAL,
         "starts or ends with a blank"},
        {"admin", "ab\xc3", "viewer", NULL, NULL, GCA_EINVAL,
         "is not valid UTF-8"},
        {"admin", "x1234567890123456789012345678901234567890123456789012345"
                  "678901234",
         "viewer", NULL, NULL, GCA_EINVAL, "is longer than 64 bytes"},
        {"admin", "x1", "viewer", NULL, "short", GCA_EINVAL,
         "password is shorter than 8 bytes"},
    };
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        gca_err_clear(&err);
        int rc = gca_user_add(f->st, cases[i].actor, cases[i].name,
                              cases[i].role, cases[i].country, cases[i].pw,
                              &err);
        if (rc != cases[i].code || !strstr(err.msg, cases[i].msg))
            fail_msg("case %zu: got %d '%s', want %d '%s'", i, rc, err.msg,
                     cases[i].code, cases[i].msg);
        assert_string_equal(err.source, f->db);
    }
    /* Refused means nothing written. */
    assert_int_equal(users(f->st), nu);
    assert_int_equal(events(f->st), ne);

    /* A UTF-8 name is fine. */
    gca_err_clear(&err);
    assert_int_equal(gca_user_add(f->st, "admin", "José Díaz", "focal",
                                  "CIV", NULL, &err),
                     0);
}

/* ====== Passwords and logging in ====== */

static void test_authenticate(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    gca_user u;
    add_team(f->st);

    assert_int_equal(gca_user_authenticate(f->st, "fred", PW_FOCAL, &u,
                                           &err),
                     0);
    assert_string_equal(u.name, "fred");
    assert_string_equal(u.country, "FRA");
    /* Wrong password, unknown user, no password at all, NULLs: one
     * message. */
    static const char *const bad[][2] = {
        {"fred", PW_ANA}, {"fred", ""},     {"nobody", PW_FOCAL},
        {"vic", ""},      {"vic", PW_ANA},  {NULL, NULL},
        {"fred", PW_FOCAL "x"},
    };
    for (size_t i = 0; i < GCA_COUNT(bad); i++) {
        gca_err_clear(&err);
        memset(&u, 0x5a, sizeof u);
        int rc = gca_user_authenticate(f->st, bad[i][0], bad[i][1], &u,
                                       &err);
        expect_fail(rc, &err, GCA_EINVAL, "wrong user name or password");
        assert_int_equal(u.name[0], 0x5a); /* untouched */
    }
    /* Logging in writes nothing. */
    assert_int_equal(events(f->st), 4);
}

static void test_passwd(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    add_team(f->st);

    /* Self. */
    assert_int_equal(gca_user_passwd(f->st, "fred", "fred", "new-focal-pw",
                                     &err),
                     0);
    expect_fail(gca_user_authenticate(f->st, "fred", PW_FOCAL, NULL, &err),
                &err, GCA_EINVAL, "wrong user name or password");
    assert_int_equal(gca_user_authenticate(f->st, "fred", "new-focal-pw",
                                           NULL, &err),
                     0);
    /* Not someone else's, unless admin. */
    gca_err_clear(&err);
    expect_fail(gca_user_passwd(f->st, "ana", "fred", "analyst-sets-it",
                                &err),
                &err, GCA_EPERM,
                "'ana' (analyst) may not change the password of 'fred': "
                "only the user or an admin may");
    gca_err_clear(&err);
    assert_int_equal(gca_user_passwd(f->st, "admin", "vic", "viewer-pw-1",
                                     &err),
                     0);
    assert_int_equal(gca_user_authenticate(f->st, "vic", "viewer-pw-1",
                                           NULL, &err),
                     0);
    gca_err_clear(&err);
    expect_fail(gca_user_passwd(f->st, "admin", "ghost", "whatever-pw",
                                &err),
                &err, GCA_ENOTFOUND, "user 'ghost' does not exist");
    gca_err_clear(&err);
    expect_fail(gca_user_passwd(f->st, "admin", "vic", "1234567", &err),
                &err, GCA_EINVAL, "shorter than 8");
    gca_err_clear(&err);
    expect_fail(gca_user_passwd(f->st, "admin", "vic", NULL, &err), &err,
                GCA_EINVAL, "no password given");
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM audit_events "
                                      "WHERE action = 'user.passwd'"),
                     2);
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM audit_events "
                                      "WHERE action = 'user.passwd' AND "
                                      "actor = 'fred' AND "
                                      "object = 'user/fred'"),
                     1);
}

static void test_disable(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    gca_user u;
    add_team(f->st);

    expect_fail(gca_user_disable(f->st, "ana", "fred", &err), &err,
                GCA_EPERM, "'ana' (analyst) may not disable users");
    gca_err_clear(&err);
    expect_fail(gca_user_disable(f->st, "admin", "admin", &err), &err,
                GCA_EINVAL, "cannot disable 'admin': it is the last enabled "
                            "admin");
    gca_err_clear(&err);
    assert_int_equal(gca_user_disable(f->st, "admin", "fred", &err), 0);
    assert_int_equal(gca_user_get(f->st, "fred", &u, &err), 0);
    assert_int_equal(u.disabled, 1);
    expect_fail(gca_user_disable(f->st, "admin", "fred", &err), &err,
                GCA_EINVAL, "user 'fred' is already disabled");

    /* The right password is told it is disabled; a wrong one is not. */
    gca_err_clear(&err);
    expect_fail(gca_user_authenticate(f->st, "fred", PW_FOCAL, &u, &err),
                &err, GCA_EINVAL, "user 'fred' is disabled");
    gca_err_clear(&err);
    expect_fail(gca_user_authenticate(f->st, "fred", PW_ANA, &u, &err),
                &err, GCA_EINVAL, "wrong user name or password");
    /* A disabled user cannot act, not even on itself. */
    gca_err_clear(&err);
    expect_fail(gca_user_passwd(f->st, "fred", "fred", "another-pw-9", &err),
                &err, GCA_EPERM, "acting user 'fred' is disabled");

    /* With a second admin, the first may go; then the second is last. */
    gca_err_clear(&err);
    assert_int_equal(gca_user_add(f->st, "admin", "root2", "admin", NULL,
                                  PW_ADMIN, &err),
                     0);
    assert_int_equal(gca_user_disable(f->st, "root2", "admin", &err), 0);
    expect_fail(gca_user_add(f->st, "admin", "x2", "viewer", NULL, NULL,
                             &err),
                &err, GCA_EPERM, "acting user 'admin' is disabled");
    gca_err_clear(&err);
    expect_fail(gca_user_disable(f->st, "root2", "root2", &err), &err,
                GCA_EINVAL, "last enabled admin");
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM audit_events "
                                      "WHERE action = 'user.disable'"),
                     2);
}

/* ====== Listing ====== */

typedef struct names {
    char v[8][GCA_USER_NAME_MAX + 1];
    int n;
} names;

static int collect(const gca_user *u, void *ctx)
{
    names *ns = ctx;
    if (ns->n < 8)
        snprintf(ns->v[ns->n++], sizeof ns->v[0], "%s", u->name);
    return 0;
}

static int stop_at_two(const gca_user *u, void *ctx)
{
    (void)u;
    return ++*(int *)ctx == 2 ? 7 : 0;
}

static void test_list(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    names ns = {{{0}}, 0};
    int calls = 0;
    assert_int_equal(gca_user_list(f->st, collect, &ns, &err), 0);
    assert_int_equal(ns.n, 0);
    add_team(f->st);
    assert_int_equal(gca_user_list(f->st, collect, &ns, &err), 0);
    assert_int_equal(ns.n, 4);
    assert_string_equal(ns.v[0], "admin");
    assert_string_equal(ns.v[1], "ana");
    assert_string_equal(ns.v[2], "fred");
    assert_string_equal(ns.v[3], "vic");
    assert_int_equal(gca_user_list(f->st, stop_at_two, &calls, &err), 7);
    assert_int_equal(calls, 2);
    gca_user u;
    expect_fail(gca_user_get(f->st, "nobody", &u, &err), &err,
                GCA_ENOTFOUND, "user 'nobody' does not exist");
}

/* ====== The audit trail ====== */

static int count_event(const gca_audit_event *ev, void *ctx)
{
    assert_string_equal(ev->object, "user/fred");
    ++*(int *)ctx;
    return 0;
}

/* Every change wrote one event, the chain verifies, and no column of any
 * event holds a password or a password hash. */
static void test_audit_has_no_secret(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    add_team(f->st);
    assert_int_equal(gca_user_passwd(f->st, "ana", "ana", "ana-new-pass",
                                     &err),
                     0);
    assert_int_equal(gca_user_disable(f->st, "admin", "vic", &err), 0);
    assert_int_equal(events(f->st), 6);

    gca_audit_result res;
    assert_int_equal(gca_audit_verify(f->st, &res, &err), 0);
    assert_int_equal(res.head_seq, 6);

    static const char *const secrets[] = {
        PW_ADMIN, PW_ANA, PW_FOCAL, "ana-new-pass", "argon2", "pw_hash",
        "password",
    };
    for (size_t i = 0; i < GCA_COUNT(secrets); i++) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM audit_events WHERE instr(at || actor "
                 "|| action || object || payload, '%s') > 0",
                 secrets[i]);
        if (query_int(f->st, sql) != 0)
            fail_msg("an audit event holds '%s'", secrets[i]);
    }
    /* The focal point's event carries its country, so that the
     * country filter finds it and nothing else. */
    gca_audit_filter fra = {NULL, NULL, NULL, "FRA", 0};
    int n = 0;
    assert_int_equal(gca_audit_list(f->st, &fra, count_event, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM audit_events "
                                      "WHERE object = 'user/fred' AND "
                                      "json_extract(payload, '$.country') "
                                      "= 'FRA'"),
                     1);
    /* Stored hashes are argon2id at the cost asked for. */
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM users WHERE "
                                      "pw_hash LIKE '$argon2id$v=19$m=8,t=1%'"),
                     3);
}

/* The default cost is libsodium's interactive one. */
static void test_default_cost(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    gca_store_set_pwhash_cost(f->st, GCA_PWHASH_INTERACTIVE);
    assert_int_equal(gca_user_add(f->st, NULL, "admin", "admin", NULL,
                                  PW_ADMIN, &err),
                     0);
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM users WHERE "
                                      "pw_hash LIKE "
                                      "'$argon2id$v=19$m=65536,t=2,p=1$%'"),
                     1);
    assert_int_equal(gca_user_authenticate(f->st, "admin", PW_ADMIN, NULL,
                                           &err),
                     0);
}

/* ====== Out of memory ====== */

/* Add a user with allocation n failing, for every n until it works:
 * GCA_ENOMEM each time, and never a user without its event. */
static void test_enomem(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    int done = 0;
    long n = 1;
    add_team(f->st);
    for (; !done && n < 10000; n++) {
        gca_err_clear(&err);
        gca_alloc_fail_after(n);
        int rc = gca_user_add(f->st, "admin", "zoe", "focal", "DEU",
                              PW_FOCAL, &err);
        gca_alloc_fail_after(0);
        if (rc == 0)
            done = 1;
        else
            expect_fail(rc, &err, GCA_ENOMEM, "out of memory");
        assert_int_equal(users(f->st), 4 + done);
        assert_int_equal(events(f->st), 4 + done);
    }
    assert_true(done);
    assert_true(n > 3);
}

/* ====== Sessions of the web portal (src/store/sessions.c) ====== */

/* admin and ana (analyst), with passwords. */
static void add_session_users(gca_store *st)
{
    gca_err err = {0};
    assert_int_equal(gca_user_add(st, NULL, "admin", "admin", NULL,
                                  "password1", &err),
                     0);
    assert_int_equal(gca_user_add(st, "admin", "ana", "analyst", NULL,
                                  "password2", &err),
                     0);
}

static void test_login_get_logout(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    char token[65];
    gca_session s, g;
    add_session_users(f->st);
    long long events = query_int(f->st, "SELECT count(*) FROM audit_events");
    assert_int_equal(gca_session_login(f->st, "ana", "password2", 3600,
                                       token, &s, &err),
                     0);
    assert_int_equal(strlen(token), 64);
    assert_int_equal(strlen(s.csrf), 64);
    assert_string_not_equal(token, s.csrf);
    assert_string_equal(s.user.name, "ana");
    assert_string_equal(s.user.role, "analyst");
    /* Only the hash is stored. */
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM sessions WHERE token_sha256 = '%s'",
             token);
    assert_int_equal(query_int(f->st, sql), 0);
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM sessions"), 1);
    assert_int_equal(gca_session_get(f->st, token, &g, &err), 0);
    assert_string_equal(g.user.name, "ana");
    assert_string_equal(g.csrf, s.csrf);
    /* Two log-ins, two sessions, two tokens. */
    char token2[65];
    assert_int_equal(gca_session_login(f->st, "ana", "password2", 3600,
                                       token2, NULL, &err),
                     0);
    assert_string_not_equal(token, token2);
    assert_int_equal(gca_session_logout(f->st, token, &err), 0);
    err = (gca_err){0};
    assert_int_equal(gca_session_get(f->st, token, &g, &err), GCA_ENOTFOUND);
    assert_string_equal(err.source, "session");
    err = (gca_err){0};
    assert_int_equal(gca_session_logout(f->st, token, &err), GCA_ENOTFOUND);
    assert_int_equal(gca_session_get(f->st, token2, &g, &err), 0);
    /* Two log-ins and a log-out were audited. */
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM audit_events") - events,
                     3);
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM audit_events WHERE "
                                  "action = 'session.logout'"),
                     1);
}

static void test_refused(void **state)
{
    fixture *f = *state;
    char token[65];
    add_session_users(f->st);
    static const struct {
        const char *name, *password;
        int ttl, code;
        const char *source;
    } cases[] = {
        {"ana", "wrong password", 3600, GCA_EINVAL, NULL},
        {"nobody", "password2", 3600, GCA_EINVAL, NULL},
        {"ana", "", 3600, GCA_EINVAL, NULL},
        {"ana", NULL, 3600, GCA_EINVAL, NULL},
        {NULL, "password2", 3600, GCA_EINVAL, NULL},
        {"ana", "password2", 0, GCA_EINVAL, "ttl"},
        {"ana", "password2", GCA_SESSION_TTL_MAX + 1, GCA_EINVAL, "ttl"},
    };
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        gca_err err = {0};
        int rc = gca_session_login(f->st, cases[i].name, cases[i].password,
                                   cases[i].ttl, token, NULL, &err);
        if (rc != cases[i].code ||
            (cases[i].source && strcmp(err.source, cases[i].source)))
            fail_msg("case %zu: rc %d %s: %s", i, rc, err.source, err.msg);
        assert_string_equal(token, "");
    }
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM sessions"), 0);
    /* Tokens that are not 64 hex digits, or unknown. */
    const char *bad[] = {NULL, "", "abc", "0123",
                         "' OR 1=1 --",
                         "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789",
                         "0000000000000000000000000000000000000000000000000000000000000000"};
    for (size_t i = 0; i < GCA_COUNT(bad); i++) {
        gca_err err = {0};
        gca_session s;
        assert_int_equal(gca_session_get(f->st, bad[i], &s, &err),
                         GCA_ENOTFOUND);
    }
}

static void test_expiry_and_disable(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    char token[65];
    gca_session s;
    add_session_users(f->st);
    assert_int_equal(gca_session_login(f->st, "ana", "password2", 3600,
                                       token, NULL, &err),
                     0);
    /* Expired: the clock is the store's, so move the row instead. */
    assert_int_equal(sqlite3_exec(gca__sqlite_handle(f->st->conn),
                                  "UPDATE sessions SET expires_at = "
                                  "'2000-01-01T00:00:00Z'",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(gca_session_get(f->st, token, &s, &err), GCA_ENOTFOUND);
    /* The next log-in clears expired rows. */
    assert_int_equal(gca_session_login(f->st, "ana", "password2", 3600,
                                       token, NULL, &err),
                     0);
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM sessions"), 1);
    assert_int_equal(gca_session_get(f->st, token, &s, &err), 0);
    /* A disabled user's sessions end. */
    assert_int_equal(gca_user_disable(f->st, "admin", "ana", &err), 0);
    err = (gca_err){0};
    assert_int_equal(gca_session_get(f->st, token, &s, &err), GCA_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bootstrap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roles_and_countries, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_authenticate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_passwd, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_has_no_secret, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_default_cost, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enomem, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login_get_logout, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expiry_and_disable, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
