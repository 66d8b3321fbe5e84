/* test_editions.c - editions (src/store/editions.c): creation (admin
 * only, unknown framework, a framework without questions, duplicates,
 * bad years, an edition's own method), the state changes open and close
 * allowed and refused, listing, and gca_edition_framework.
 * Rules: docs/workflow.md, "Editions". */
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
#include "store/backend.h"
#include "store/sqlite.h"
#include "testutil.h"

typedef struct fixture {
    char dir[64];
    char db[128];
    gca_store *st;
} fixture;

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

static long long events(gca_store *st)
{
    return query_int(st, "SELECT count(*) FROM audit_events");
}

static long long editions(gca_store *st)
{
    return query_int(st, "SELECT count(*) FROM editions");
}

/* A store with the shipped frameworks and users admin and ana
 * (analyst). */
static int setup(void **state)
{
    gca_err err = {0};
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    memcpy(f->dir, "/tmp/gca-test-editions-XXXXXX", 30);
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->db, sizeof f->db, "%s/gca.db", f->dir);
    if (gca_store_open(f->db, GCA_STORE_CREATE, &f->st, &err) < 0 ||
        gca_store_migrate(f->st, NULL, &err) < 0 ||
        gca_store_load_shipped(f->st, &err) < 0 ||
        gca_user_add(f->st, NULL, "admin", "admin", NULL, NULL, &err) < 0 ||
        gca_user_add(f->st, "admin", "ana", "analyst", NULL, NULL, &err) < 0)
        return -1;
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

/* `rc` is `code` and the message holds `text`; then clear *err. */
static void expect_fail(int rc, gca_err *err, int code, const char *text)
{
    if (rc != code || !strstr(err->msg, text))
        fail_msg("got %d '%s', want %d '%s'", rc, err->msg, code, text);
    gca_err_clear(err);
}

static void ok(int rc, const gca_err *err)
{
    if (rc != 0)
        fail_msg("unexpected failure %d: %s: %s", rc, err->source, err->msg);
}

/* ====== Creation ====== */

static void test_create(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    gca_edition e;
    long long ev = events(f->st);
    static const struct {
        const char *actor, *fw;
        int year;
        int code;
        const char *msg;
    } refused[] = {
        {"ana", "gci", 2026, GCA_EPERM, "only an admin may"},
        {"ghost", "gci", 2026, GCA_ENOTFOUND, "acting user 'ghost'"},
        {NULL, "gci", 2026, GCA_EINVAL, "no acting user given"},
        {"admin", "nope", 2026, GCA_ENOTFOUND, "unknown framework 'nope'"},
        {"admin", "", 2026, GCA_EINVAL, "no framework given"},
        {"admin", NULL, 2026, GCA_EINVAL, "no framework given"},
        {"admin", "asem", 2026, GCA_EFRAMEWORK, "has no questions to ask"},
        {"admin", "gci", 1899, GCA_EINVAL, "not between 1900 and 9999"},
        {"admin", "gci", 10000, GCA_EINVAL, "not between 1900 and 9999"},
    };
    for (size_t i = 0; i < GCA_COUNT(refused); i++)
        expect_fail(gca_edition_create(f->st, refused[i].actor, refused[i].fw,
                                       refused[i].year, NULL, NULL, &err),
                    &err, refused[i].code, refused[i].msg);
    assert_int_equal(events(f->st), ev);
    assert_int_equal(editions(f->st), 0);

    ok(gca_edition_create(f->st, "admin", "GCI", 2026, NULL, &e, &err), &err);
    assert_string_equal(e.code, "gci-2026");
    assert_string_equal(e.framework, "GCI");
    assert_string_equal(e.state, "draft");
    assert_int_equal(e.year, 2026);
    assert_int_equal(e.has_method, 0);
    assert_int_equal(strlen(e.framework_sha256), 64);
    assert_string_equal(e.opened_at, "");
    assert_int_equal(events(f->st), ev + 1);
    expect_fail(gca_edition_create(f->st, "admin", "gci", 2026, NULL, NULL,
                                   &err),
                &err, GCA_EINVAL, "edition gci-2026 exists already");
    expect_fail(gca_edition_create(f->st, "admin", "gci", 2027, "{not json",
                                   NULL, &err),
                &err, GCA_EPARSE, "");
    assert_int_equal(editions(f->st), 1);
    assert_int_equal(events(f->st), ev + 1);
}

static void test_own_method(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    gca_edition e;
    gca_framework *fw = NULL;
    gca_method *m = NULL;
    const char *method =
        "{\"steps\": [{\"step\": \"aggregate\", \"f_ag\": \"a_amean\"}]}";
    ok(gca_edition_create(f->st, "admin", "gci", 2027, method, &e, &err),
       &err);
    assert_int_equal(e.has_method, 1);
    ok(gca_edition_framework(f->st, "gci-2027", &fw, &m, &err), &err);
    assert_non_null(m);
    assert_string_equal(gca_framework_code(fw), "GCI");
    assert_non_null(gca_framework_node(fw, "LEG.1"));
    gca_method_free(m);
    gca_framework_free(fw);
    fw = NULL;
    /* The framework alone. */
    ok(gca_edition_framework(f->st, "gci-2027", &fw, NULL, &err), &err);
    gca_framework_free(fw);
    expect_fail(gca_edition_framework(f->st, "gci-1999", &fw, NULL, &err),
                &err, GCA_ENOTFOUND, "unknown edition 'gci-1999'");
}

/* ====== State changes ====== */

static void test_open_close(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    gca_edition e;
    ok(gca_edition_create(f->st, "admin", "gci", 2026, NULL, NULL, &err),
       &err);
    long long ev = events(f->st);
    expect_fail(gca_edition_close(f->st, "admin", "gci-2026", &err), &err,
                GCA_ESTATE, "cannot close the edition: edition gci-2026 is "
                            "draft");
    expect_fail(gca_edition_open(f->st, "ana", "gci-2026", &err), &err,
                GCA_EPERM, "only an admin may");
    expect_fail(gca_edition_open(f->st, "admin", "gci-1999", &err), &err,
                GCA_ENOTFOUND, "unknown edition");
    assert_int_equal(events(f->st), ev);

    ok(gca_edition_open(f->st, "admin", "gci-2026", &err), &err);
    ok(gca_edition_get(f->st, "gci-2026", &e, &err), &err);
    assert_string_equal(e.state, "open");
    assert_true(e.opened_at[0] != '\0');
    expect_fail(gca_edition_open(f->st, "admin", "gci-2026", &err), &err,
                GCA_ESTATE, "is open");
    expect_fail(gca_edition_close(f->st, "ana", "gci-2026", &err), &err,
                GCA_EPERM, "only an admin may");
    ok(gca_edition_close(f->st, "admin", "gci-2026", &err), &err);
    ok(gca_edition_get(f->st, "gci-2026", &e, &err), &err);
    assert_string_equal(e.state, "closed");
    assert_true(e.closed_at[0] != '\0');
    expect_fail(gca_edition_close(f->st, "admin", "gci-2026", &err), &err,
                GCA_ESTATE, "is closed");
    ok(gca_edition_open(f->st, "admin", "gci-2026", &err), &err);
    assert_int_equal(events(f->st), ev + 3);
    assert_int_equal(
        query_int(f->st, "SELECT count(*) FROM audit_events WHERE object = "
                         "'edition/gci-2026' AND action IN ('edition.open', "
                         "'edition.close')"),
        3);
    gca_audit_result r;
    ok(gca_audit_verify(f->st, &r, &err), &err);
}

/* ====== Reading ====== */

typedef struct names {
    int n;
    char code[8][GCA_EDITION_CODE_MAX + 1];
} names;

static int keep_code(const gca_edition *e, void *ctx)
{
    names *l = ctx;
    if (l->n < 8)
        snprintf(l->code[l->n], sizeof l->code[0], "%s", e->code);
    l->n++;
    return 0;
}

static int stop_at_first(const gca_edition *e, void *ctx)
{
    (void)e;
    (void)ctx;
    return 7;
}

static void test_list(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    names l = {0};
    ok(gca_edition_list(f->st, keep_code, &l, &err), &err);
    assert_int_equal(l.n, 0);
    ok(gca_edition_create(f->st, "admin", "gci", 2025, NULL, NULL, &err),
       &err);
    ok(gca_edition_create(f->st, "admin", "gci", 2027, NULL, NULL, &err),
       &err);
    ok(gca_edition_create(f->st, "admin", "gci", 2026, NULL, NULL, &err),
       &err);
    ok(gca_edition_list(f->st, keep_code, &l, &err), &err);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.code[0], "gci-2027");
    assert_string_equal(l.code[1], "gci-2026");
    assert_string_equal(l.code[2], "gci-2025");
    assert_int_equal(gca_edition_list(f->st, stop_at_first, NULL, &err), 7);
    gca_edition e;
    expect_fail(gca_edition_get(f->st, "", &e, &err), &err, GCA_EINVAL,
                "no edition given");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create, setup, teardown),
        cmocka_unit_test_setup_teardown(test_own_method, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_close, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
