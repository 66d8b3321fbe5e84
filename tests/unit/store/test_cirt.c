/* test_cirt.c - the store side of the CIRT programme (src/store/cirt.c):
 * SIM3 assessments with their audit events, refused writes that leave
 * nothing behind, the three-valued national CIRT status (knowledge-base
 * entries written straight with SQL, analysts' records winning) and the
 * inputs gathered for the prioritisation. */
#define _XOPEN_SOURCE 700
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gca.h"
#include "gca/cirt.h"
#include "store/backend.h"
#include "store/sqlite.h"
#include "testutil.h"

typedef struct fixture {
    char dir[64];
    char db[128];
    gca_store *st;
} fixture;

static void exec_sql(gca_store *st, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(gca__sqlite_handle(st->conn), sql, NULL, NULL, &msg) !=
        SQLITE_OK)
        fail_msg("sql: %s", msg ? msg : "?");
}

/* A knowledge-base national_cirt entry, as the importer would write it. */
static void kb_cirt(gca_store *st, const char *id, const char *iso3,
                    const char *status, const char *title)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "INSERT INTO kb_entries (id, kind, title, countries, status, "
             "source, origin, updated_at) VALUES ('%s', 'national_cirt', "
             "'%s', '%s', '%s', 'test fixture', 'test', "
             "'2026-01-01T00:00:00Z');"
             "INSERT INTO kb_entry_countries (entry, iso3) "
             "VALUES (last_insert_rowid(), '%s');",
             id, title, iso3, status, iso3);
    exec_sql(st, sql);
}

static int setup(void **state)
{
    gca_err err = {0};
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    memcpy(f->dir, "/tmp/gca-test-cirt-XXXXXX", 26);
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->db, sizeof f->db, "%s/gca.db", f->dir);
    if (gca_store_open(f->db, GCA_STORE_CREATE, &f->st, &err) < 0 ||
        gca_store_migrate(f->st, NULL, &err) < 0 ||
        gca_store_load_shipped(f->st, &err) < 0 ||
        /* The shipped knowledge base out of the way: the tests count
         * their own rows. */
        f->st->be->exec(f->st->conn, "DELETE FROM kb_entries", &err) < 0 ||
        gca_user_add(f->st, NULL, "admin", "admin", NULL, NULL, &err) < 0 ||
        gca_user_add(f->st, "admin", "ana", "analyst", NULL, NULL, &err) <
            0 ||
        gca_user_add(f->st, "admin", "fred", "focal", "FRA", NULL, &err) <
            0) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    kb_cirt(f->st, "test/AUT", "AUT", "has", "Test team A");
    kb_cirt(f->st, "test/DEU", "DEU", "has", "Test team D");
    kb_cirt(f->st, "test/DEU-none", "DEU", "none", "older none");
    kb_cirt(f->st, "test/MLT", "MLT", "none", "none (test)");
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

static long long nrows(gca_store *st)
{
    return query_int(st, "SELECT (SELECT count(*) FROM cirt_assessments) + "
                         "(SELECT count(*) FROM cirt_assessment_levels) + "
                         "(SELECT count(*) FROM cirt_status_records) + "
                         "(SELECT count(*) FROM audit_events WHERE action "
                         "LIKE 'cirt.%')");
}

/* ====== Assessments ====== */

typedef struct seen {
    int n;
    char dates[4][16];
    int o1[4];
} seen;

static int collect(const gca_cirt_assessment *a, void *ctx)
{
    seen *s = ctx;
    if (s->n < 4) {
        snprintf(s->dates[s->n], sizeof s->dates[0], "%s", a->assessed);
        s->o1[s->n] = a->levels[0];
    }
    s->n++;
    return 0;
}

static void test_assess_and_history(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    int lv[44];
    long long id = 0;
    for (int i = 0; i < 44; i++)
        lv[i] = GCA_SIM3_NOT_ASSESSED;
    lv[0] = 2;
    lv[5] = 0;
    gca_cirt_assessment a = {0};
    a.team = "CERT-T";
    a.country = "FRA";
    a.assessed = "2025-06-01";
    a.source = "peer review";
    a.levels = lv;
    assert_int_equal(gca_cirt_assess(f->st, "ana", &a, &id, &err), 0);
    assert_int_equal(id, 1);
    /* An older one, recorded later: history is by date. */
    lv[0] = 1;
    a.assessed = "2024-01-15";
    a.country = NULL;
    assert_int_equal(gca_cirt_assess(f->st, "admin", &a, &id, &err), 0);
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM "
                                      "cirt_assessment_levels"),
                     88);
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM audit_events "
                                      "WHERE action = 'cirt.assess'"),
                     2);
    assert_int_equal(gca_audit_verify(f->st, NULL, &err), 0);

    seen s = {0};
    assert_int_equal(gca_cirt_assessments(f->st, "CERT-T", collect, &s,
                                          &err),
                     0);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.dates[0], "2024-01-15");
    assert_int_equal(s.o1[0], 1);
    assert_string_equal(s.dates[1], "2025-06-01");
    assert_int_equal(s.o1[1], 2);
    assert_int_equal(gca_cirt_assessments(f->st, "nobody", collect, &s,
                                          &err),
                     GCA_ENOTFOUND);
}

static void test_assess_refused(void **state)
{
    fixture *f = *state;
    int lv[44];
    for (int i = 0; i < 44; i++)
        lv[i] = 1;
    gca_cirt_assessment a = {0};
    a.team = "CERT-T";
    a.assessed = "2025-06-01";
    a.levels = lv;
    long long before = nrows(f->st);
    struct {
        const char *actor, *team, *country, *date;
        int bad_level;
        int code;
    } cases[] = {
        {"fred", "T", NULL, "2025-06-01", 0, GCA_EPERM},
        {"nobody", "T", NULL, "2025-06-01", 0, GCA_ENOTFOUND},
        {"ana", "", NULL, "2025-06-01", 0, GCA_EINVAL},
        {"ana", "T", "XXX", "2025-06-01", 0, GCA_ENOTFOUND},
        {"ana", "T", NULL, "2025-13-01", 0, GCA_EINVAL},
        {"ana", "T", NULL, "2999-01-01", 0, GCA_EINVAL},
        {"ana", "T", NULL, "2025-06-01", 5, GCA_EINVAL},
        {"ana", "T\x01", NULL, "2025-06-01", 0, GCA_EINVAL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gca_err err = {0};
        a.team = cases[i].team;
        a.country = cases[i].country;
        a.assessed = cases[i].date;
        lv[3] = cases[i].bad_level ? cases[i].bad_level : 1;
        int rc = gca_cirt_assess(f->st, cases[i].actor, &a, NULL, &err);
        if (rc != cases[i].code)
            fail_msg("case %zu: %d (%s), want %d", i, rc, err.msg,
                     cases[i].code);
    }
    assert_int_equal(nrows(f->st), before);
}

/* ====== Status ====== */

typedef struct st_seen {
    int n;
    gca_cirt_country last;
    char team[64], origin[16], ref[32];
} st_seen;

static int one(const gca_cirt_country *c, void *ctx)
{
    st_seen *s = ctx;
    s->n++;
    s->last = *c;
    snprintf(s->team, sizeof s->team, "%s", c->team);
    snprintf(s->origin, sizeof s->origin, "%s", c->origin);
    snprintf(s->ref, sizeof s->ref, "%s", c->ref);
    return 0;
}

static void test_status(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    gca_cirt_counts k;
    st_seen s = {0};
    assert_int_equal(gca_cirt_status(f->st, NULL, NULL, NULL, &k, &err), 0);
    assert_int_equal(k.total, 249);
    assert_int_equal(k.has, 2); /* DEU's "has" wins over its "none" */
    assert_int_equal(k.none, 1);
    assert_int_equal(k.unknown, 246);

    assert_int_equal(gca_cirt_status(f->st, "DEU", one, &s, &k, &err), 0);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.last.status, GCA_CIRT_HAS);
    assert_string_equal(s.team, "Test team D");
    assert_string_equal(s.origin, "kb");
    assert_string_equal(s.ref, "test/DEU");
    assert_int_equal(k.total, 1);

    /* A record wins over the kb entry; the newest record wins. */
    assert_int_equal(gca_cirt_status_set(f->st, "ana", "DEU", "none", NULL,
                                         "test: letter", NULL, NULL, &err),
                     0);
    assert_int_equal(gca_cirt_status_set(f->st, "admin", "FRA", "has",
                                         "Team F", "test: site",
                                         "https://example.org/", "n", &err),
                     0);
    assert_int_equal(gca_cirt_status_set(f->st, "ana", "FRA", "none", NULL,
                                         "test: later finding", NULL, NULL,
                                         &err),
                     0);
    s.n = 0;
    assert_int_equal(gca_cirt_status(f->st, "DEU", one, &s, NULL, &err), 0);
    assert_int_equal(s.last.status, GCA_CIRT_NONE);
    assert_string_equal(s.origin, "record");
    s.n = 0;
    assert_int_equal(gca_cirt_status(f->st, "FRA", one, &s, NULL, &err), 0);
    assert_int_equal(s.last.status, GCA_CIRT_NONE);
    assert_int_equal(gca_cirt_status(f->st, NULL, NULL, NULL, &k, &err), 0);
    assert_int_equal(k.has, 1);
    assert_int_equal(k.none, 3);
    assert_int_equal(k.unknown, 245);
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM audit_events "
                                      "WHERE action = 'cirt.status'"),
                     3);
}

static void test_status_set_refused(void **state)
{
    fixture *f = *state;
    long long before = nrows(f->st);
    struct {
        const char *actor, *iso3, *status, *team, *source;
        int code;
    } cases[] = {
        {"ana", "XXX", "none", NULL, "s", GCA_ENOTFOUND},
        {"ana", "FRA", "none", NULL, NULL, GCA_EINVAL},
        {"ana", "FRA", "none", NULL, "", GCA_EINVAL},
        {"ana", "FRA", "unknown", NULL, "s", GCA_EINVAL},
        {"ana", "FRA", "none", "a team", "s", GCA_EINVAL},
        {"fred", "FRA", "has", NULL, "s", GCA_EPERM},
        {"ana", NULL, "has", NULL, "s", GCA_EINVAL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gca_err err = {0};
        int rc = gca_cirt_status_set(f->st, cases[i].actor, cases[i].iso3,
                                     cases[i].status, cases[i].team,
                                     cases[i].source, NULL, NULL, &err);
        if (rc != cases[i].code)
            fail_msg("case %zu: %d (%s), want %d", i, rc, err.msg,
                     cases[i].code);
    }
    assert_int_equal(nrows(f->st), before);
}

/* ====== Inputs of the prioritisation ====== */

static const gca_cirt_pinput *input(const gca_cirt_pdata *d,
                                    const char *iso3)
{
    for (size_t i = 0; i < d->n; i++)
        if (!strcmp(d->in[i].iso3, iso3))
            return &d->in[i];
    fail_msg("no input for %s", iso3);
    return NULL;
}

static void test_pdata(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    gca_cirt_pdata d;
    static const char users[] = "iso3,value,source\nFRA,85.5,test\n";
    assert_int_equal(gca_cirt_pdata_load(f->st, NULL, users,
                                         sizeof users - 1, "u.csv", &d,
                                         &err),
                     0);
    assert_int_equal(d.n, 249);
    assert_int_equal(d.counts.has, 2);
    assert_true(d.have_users);
    /* Western Europe: AUT BEL CHE DEU FRA LIE LUX MCO NLD; AUT and DEU
     * have a team. FRA sees 2 of its 8 neighbours, AUT 1 of 8. */
    const gca_cirt_pinput *fra = input(&d, "FRA"), *aut = input(&d, "AUT");
    assert_true(fabs(fra->region_share - 0.25) < 1e-12);
    assert_true(fabs(aut->region_share - 0.125) < 1e-12);
    assert_true(fabs(fra->users - 85.5) < 1e-12);
    assert_true(isnan(aut->users));
    /* Published GCI 2020: the overall score and pillars are there. */
    assert_false(isnan(fra->index));
    for (int k = 0; k < GCA_CIRT_NPILLARS; k++)
        assert_true(fra->pillars[k] >= 0 && fra->pillars[k] <= 20);
    assert_string_equal(d.names[fra - d.in], "France");
    gca_cirt_pdata_release(&d);

    /* Bad population rows and an unknown edition. */
    static const char bad[] = "iso3,value,source\nFRA,85,t\nFRA,80,t\n";
    assert_int_equal(gca_cirt_pdata_load(f->st, NULL, bad, sizeof bad - 1,
                                         "u.csv", &d, &err),
                     GCA_EPARSE);
    assert_int_equal(err.line, 3);
    assert_null(d.in);
    err = (gca_err){0};
    static const char nosrc[] = "iso3,value,source\nZZZ,85,t\n";
    assert_int_equal(gca_cirt_pdata_load(f->st, NULL, nosrc,
                                         sizeof nosrc - 1, "u.csv", &d,
                                         &err),
                     GCA_EPARSE);
    err = (gca_err){0};
    assert_int_equal(gca_cirt_pdata_load(f->st, "no-such-edition", NULL, 0,
                                         NULL, &d, &err),
                     GCA_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_assess_and_history, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_assess_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_status, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_set_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pdata, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
