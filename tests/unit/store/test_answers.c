/* test_answers.c - answers and review (src/store/answers.c): every
 * transition allowed and refused (state x action x role), the role
 * boundaries between countries, values checked per question type,
 * unknown edition, country and question, a closed edition, comments,
 * the audit events written, and that a refused call writes nothing.
 * Rules: docs/workflow.md, "Answers and review". */
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

#define ED "qt-2026"

/* Every question type; Q.ynj is a yesno with its own choice values. */
static const char QT_JSON[] =
    "{\"code\": \"QT\", \"name\": \"Question types\", \"nodes\": ["
    "{\"code\": \"I1\", \"parent\": \"TOP\", \"questions\": ["
    "{\"code\": \"Q.yn\", \"type\": \"yesno\"},"
    "{\"code\": \"Q.ypn\", \"type\": \"yesno_partial\"},"
    "{\"code\": \"Q.ch\", \"type\": \"choice\", \"choices\": ["
    "{\"value\": \"low\", \"score\": 0}, {\"value\": \"high\", "
    "\"score\": 1}]},"
    "{\"code\": \"Q.num\", \"type\": \"number\", \"min\": 0, \"max\": 100},"
    "{\"code\": \"Q.open\", \"type\": \"number\"},"
    "{\"code\": \"Q.ynj\", \"type\": \"yesno\", \"choices\": ["
    "{\"value\": \"oui\", \"score\": 1}, {\"value\": \"non\", "
    "\"score\": 0}]}]},"
    "{\"code\": \"TOP\"}]}";

/* ====== Helpers ====== */

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
        fail_msg("%s: %s", sql, msg ? msg : "?");
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

static long long events(gca_store *st)
{
    return query_int(st, "SELECT count(*) FROM audit_events");
}

/* Sum of the answer versions: changes whenever any answer changes. */
static long long versions(gca_store *st)
{
    return query_int(st, "SELECT coalesce(sum(version), 0) + count(*) "
                         "FROM answers");
}

/* A store with the QT framework, users admin, ana (analyst), fred
 * (focal FRA), dora (focal DEU), vic (viewer), and edition qt-2026
 * open. */
static int setup(void **state)
{
    gca_err err = {0};
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    memcpy(f->dir, "/tmp/gca-test-answers-XXXXXX", 29);
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
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(gca__sqlite_handle(f->st->conn),
                           "INSERT INTO frameworks (code, name, source, "
                           "json, json_len) VALUES ('QT', 'Question "
                           "types', 'test', ?1, length(CAST(?1 AS BLOB)))",
                           -1, &s, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(s, 1, QT_JSON, -1, SQLITE_STATIC);
    int done = sqlite3_step(s) == SQLITE_DONE;
    sqlite3_finalize(s);
    if (!done ||
        gca_user_add(f->st, NULL, "admin", "admin", NULL, NULL, &err) < 0 ||
        gca_user_add(f->st, "admin", "ana", "analyst", NULL, NULL, &err) <
            0 ||
        gca_user_add(f->st, "admin", "fred", "focal", "FRA", NULL, &err) <
            0 ||
        gca_user_add(f->st, "admin", "dora", "focal", "DEU", NULL, &err) <
            0 ||
        gca_user_add(f->st, "admin", "vic", "viewer", NULL, NULL, &err) < 0 ||
        gca_edition_create(f->st, "admin", "qt", 2026, NULL, NULL, &err) <
            0 ||
        gca_edition_open(f->st, "admin", ED, &err) < 0) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
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

/* `rc` is `code` and the message holds `text`; then clear *err (the
 * first error wins in a gca_err). Its source stays readable in
 * last_source. */
static char last_source[256];

static void expect_fail(int rc, gca_err *err, int code, const char *text)
{
    if (rc != code || !strstr(err->msg, text))
        fail_msg("got %d '%s', want %d '%s'", rc, err->msg, code, text);
    snprintf(last_source, sizeof last_source, "%s", err->source);
    gca_err_clear(err);
}

/* The stored answer of `country` to `q` (text copied). */
typedef struct got {
    int found;
    char value[64], state[16], source[16], comment[64], review[64];
    char confirmed_by[64];
    long long version;
} got;

static int keep_one(const gca_answer *a, void *ctx)
{
    got *g = ctx;
    g->found = 1;
    snprintf(g->value, sizeof g->value, "%s", a->value ? a->value : "");
    snprintf(g->state, sizeof g->state, "%s", a->state);
    snprintf(g->source, sizeof g->source, "%s", a->source);
    snprintf(g->comment, sizeof g->comment, "%s",
             a->comment ? a->comment : "");
    snprintf(g->review, sizeof g->review, "%s",
             a->review_comment ? a->review_comment : "");
    snprintf(g->confirmed_by, sizeof g->confirmed_by, "%s",
             a->confirmed_by ? a->confirmed_by : "");
    g->version = a->version;
    return 0;
}

static got answer(gca_store *st, const char *country, const char *q)
{
    got g = {0};
    gca_err err = {0};
    gca_answer_filter f = {country, q, NULL};
    assert_int_equal(gca_answer_list(st, ED, &f, keep_one, &g, &err), 0);
    return g;
}

static void ok(int rc, const gca_err *err)
{
    if (rc != 0)
        fail_msg("unexpected failure %d: %s: %s", rc, err->source, err->msg);
}

/* ====== Values ====== */

static void test_values(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *q, *value;
        const char *stored; /* NULL = refused */
        const char *msg;
    } cases[] = {
        {"Q.yn", "yes", "yes", NULL},
        {"Q.yn", "no", "no", NULL},
        {"Q.yn", "partial", NULL, "use yes or no"},
        {"Q.yn", "Yes", NULL, "'Yes' is not an answer to Q.yn"},
        {"Q.yn", "", NULL, "is not an answer"},
        {"Q.ypn", "partial", "partial", NULL},
        {"Q.ypn", "maybe", NULL, "use yes, partial or no"},
        {"Q.ch", "high", "high", NULL},
        {"Q.ch", "medium", NULL, "use low or high"},
        {"Q.ynj", "oui", "oui", NULL},
        {"Q.ynj", "yes", NULL, "use oui or non"},
        {"Q.num", "42", "42", NULL},
        {"Q.num", "0.1", "0.1", NULL},
        {"Q.num", "1e1", "10", NULL},
        {"Q.num", "+7.50", "7.5", NULL},
        {"Q.num", "-0", "0", NULL},
        {"Q.num", "100", "100", NULL},
        {"Q.num", "100.0001", NULL, "out of range"},
        {"Q.num", "-1", NULL, "from 0 to 100"},
        {"Q.num", "0x10", NULL, "not a decimal number"},
        {"Q.num", "inf", NULL, "not a decimal number"},
        {"Q.num", "nan", NULL, "not a decimal number"},
        {"Q.num", " 5", NULL, "not a decimal number"},
        {"Q.num", "5 ", NULL, "not a decimal number"},
        {"Q.num", "5,5", NULL, "not a decimal number"},
        {"Q.num", "", NULL, "not a decimal number"},
        {"Q.open", "1e300", "1e+300", NULL},
        {"Q.open", "0.1e-5", "1e-06", NULL},
        {"Q.open", "0.30000000000000004", "0.30000000000000004", NULL},
        {"Q.open", "1e999", NULL, "not a decimal number"},
        {"Q.open", "-12345.678", "-12345.678", NULL},
    };
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        gca_err err = {0};
        long long ev = events(f->st), ver = versions(f->st);
        int rc = gca_answer_set(f->st, "fred", ED, "FRA", cases[i].q,
                                cases[i].value, NULL, &err);
        if (cases[i].stored) {
            ok(rc, &err);
            got g = answer(f->st, "FRA", cases[i].q);
            assert_string_equal(g.value, cases[i].stored);
            assert_int_equal(events(f->st), ev + 1);
        } else {
            expect_fail(rc, &err, GCA_EINVAL, cases[i].msg);
            assert_string_equal(last_source, "value");
            assert_int_equal(events(f->st), ev);
            assert_int_equal(versions(f->st), ver);
        }
    }
    gca_err err = {0};
    expect_fail(gca_answer_set(f->st, "fred", ED, "FRA", "Q.yn", NULL, NULL,
                               &err),
                &err, GCA_EINVAL, "no value given");
    char big[300];
    memset(big, '1', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    expect_fail(gca_answer_set(f->st, "fred", ED, "FRA", "Q.open", big,
                               NULL, &err),
                &err, GCA_EINVAL, "longer than");
    expect_fail(gca_answer_set(f->st, "fred", ED, "FRA", "Q.yn", "y\001",
                               NULL, &err),
                &err, GCA_EINVAL, "control character");
}

/* ====== Transitions ====== */

/* Put the answer of FRA to Q.yn into `st8` with source `src`. */
static void make_answer(gca_store *st, const char *src, const char *st8)
{
    gca_err err = {0};
    const char *setter = !strcmp(src, "country") ? "fred" : "ana";
    if (!strcmp(st8, "none"))
        return;
    ok(gca_answer_set(st, setter, ED, "FRA", "Q.yn", "yes", NULL, &err),
       &err);
    if (!strcmp(st8, "draft"))
        return;
    ok(gca_answer_submit(st, setter, ED, "FRA", "Q.yn", &err), &err);
    if (!strcmp(st8, "submitted"))
        return;
    if (!strcmp(st8, "approved")) {
        ok(gca_answer_review(st, "ana", ED, "FRA", "Q.yn", "approve", NULL,
                             &err),
           &err);
        return;
    }
    ok(gca_answer_review(st, "ana", ED, "FRA", "Q.yn", "return", "why?",
                         &err),
       &err);
    if (!strcmp(st8, "returned"))
        return;
    ok(gca_answer_submit(st, setter, ED, "FRA", "Q.yn", &err), &err);
    assert_string_equal(st8, "resubmitted");
}

static int act(gca_store *st, const char *action, const char *who,
               gca_err *err)
{
    if (!strcmp(action, "set"))
        return gca_answer_set(st, who, ED, "FRA", "Q.yn", "no", NULL, err);
    if (!strcmp(action, "submit"))
        return gca_answer_submit(st, who, ED, "FRA", "Q.yn", err);
    if (!strcmp(action, "approve"))
        return gca_answer_review(st, who, ED, "FRA", "Q.yn", "approve", NULL,
                                 err);
    if (!strcmp(action, "return"))
        return gca_answer_review(st, who, ED, "FRA", "Q.yn", "return",
                                 "check the law", err);
    assert_string_equal(action, "confirm");
    return gca_answer_confirm(st, who, ED, "FRA", "Q.yn", err);
}

static void test_transitions(void **state)
{
    fixture *f = *state;
    /* src: the answer's source; from: its state ("none" = no answer);
     * to: the state after, or 0 = refused with `code`. */
    static const struct {
        const char *src, *from, *action, *who, *to;
        int code;
    } cases[] = {
        /* set */
        {"country", "none", "set", "fred", "draft", 0},
        {"country", "draft", "set", "fred", "draft", 0},
        {"country", "returned", "set", "fred", "returned", 0},
        {"country", "submitted", "set", "fred", NULL, GCA_ESTATE},
        {"country", "resubmitted", "set", "fred", NULL, GCA_ESTATE},
        {"country", "approved", "set", "fred", NULL, GCA_ESTATE},
        {"country", "draft", "set", "ana", NULL, GCA_EPERM},
        {"country", "returned", "set", "ana", NULL, GCA_EPERM},
        {"analyst", "none", "set", "ana", "draft", 0},
        {"analyst", "draft", "set", "ana", "draft", 0},
        {"analyst", "draft", "set", "fred", "draft", 0},
        {"analyst", "returned", "set", "fred", "returned", 0},
        {"analyst", "submitted", "set", "fred", NULL, GCA_ESTATE},
        {"analyst", "approved", "set", "ana", NULL, GCA_ESTATE},
        {"country", "none", "set", "vic", NULL, GCA_EPERM},
        {"country", "none", "set", "admin", NULL, GCA_EPERM},
        {"country", "none", "set", "dora", NULL, GCA_EPERM},
        /* submit */
        {"country", "none", "submit", "fred", NULL, GCA_ESTATE},
        {"country", "draft", "submit", "fred", "submitted", 0},
        {"country", "returned", "submit", "fred", "resubmitted", 0},
        {"country", "submitted", "submit", "fred", NULL, GCA_ESTATE},
        {"country", "resubmitted", "submit", "fred", NULL, GCA_ESTATE},
        {"country", "approved", "submit", "fred", NULL, GCA_ESTATE},
        {"country", "draft", "submit", "ana", NULL, GCA_EPERM},
        {"country", "draft", "submit", "dora", NULL, GCA_EPERM},
        {"country", "draft", "submit", "vic", NULL, GCA_EPERM},
        {"country", "draft", "submit", "admin", NULL, GCA_EPERM},
        {"analyst", "draft", "submit", "ana", "submitted", 0},
        {"analyst", "returned", "submit", "ana", "resubmitted", 0},
        {"analyst", "draft", "submit", "fred", NULL, GCA_EPERM},
        /* approve */
        {"country", "none", "approve", "ana", NULL, GCA_ESTATE},
        {"country", "draft", "approve", "ana", NULL, GCA_ESTATE},
        {"country", "submitted", "approve", "ana", "approved", 0},
        {"country", "resubmitted", "approve", "ana", "approved", 0},
        {"country", "returned", "approve", "ana", NULL, GCA_ESTATE},
        {"country", "approved", "approve", "ana", NULL, GCA_ESTATE},
        {"analyst", "submitted", "approve", "ana", "approved", 0},
        {"country", "submitted", "approve", "fred", NULL, GCA_EPERM},
        {"country", "submitted", "approve", "admin", NULL, GCA_EPERM},
        {"country", "submitted", "approve", "vic", NULL, GCA_EPERM},
        /* return */
        {"country", "draft", "return", "ana", NULL, GCA_ESTATE},
        {"country", "submitted", "return", "ana", "returned", 0},
        {"country", "resubmitted", "return", "ana", "returned", 0},
        {"country", "approved", "return", "ana", "returned", 0},
        {"country", "returned", "return", "ana", NULL, GCA_ESTATE},
        {"country", "submitted", "return", "fred", NULL, GCA_EPERM},
        {"country", "approved", "return", "admin", NULL, GCA_EPERM},
        /* confirm */
        {"analyst", "draft", "confirm", "fred", "draft", 0},
        {"analyst", "submitted", "confirm", "fred", "submitted", 0},
        {"analyst", "approved", "confirm", "fred", "approved", 0},
        {"analyst", "returned", "confirm", "fred", "returned", 0},
        {"analyst", "none", "confirm", "fred", NULL, GCA_ESTATE},
        {"country", "draft", "confirm", "fred", NULL, GCA_ESTATE},
        {"analyst", "draft", "confirm", "dora", NULL, GCA_EPERM},
        {"analyst", "draft", "confirm", "ana", NULL, GCA_EPERM},
        {"analyst", "draft", "confirm", "vic", NULL, GCA_EPERM},
        {"analyst", "draft", "confirm", "admin", NULL, GCA_EPERM},
    };
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        gca_err err = {0};
        exec_sql(f->st, "DELETE FROM answers");
        make_answer(f->st, cases[i].src, cases[i].from);
        got before = answer(f->st, "FRA", "Q.yn");
        long long ev = events(f->st);
        int rc = act(f->st, cases[i].action, cases[i].who, &err);
        got after = answer(f->st, "FRA", "Q.yn");
        if (cases[i].to) {
            if (rc != 0)
                fail_msg("case %zu (%s %s %s by %s): %s", i, cases[i].src,
                         cases[i].from, cases[i].action, cases[i].who,
                         err.msg);
            assert_string_equal(after.state, cases[i].to);
            assert_int_equal(after.version, before.version + 1);
            assert_int_equal(events(f->st), ev + 1);
        } else {
            if (rc != cases[i].code)
                fail_msg("case %zu (%s %s %s by %s): got %d '%s', want %d",
                         i, cases[i].src, cases[i].from, cases[i].action,
                         cases[i].who, rc, err.msg, cases[i].code);
            assert_true(err.msg[0] != '\0');
            /* Nothing written. */
            assert_int_equal(events(f->st), ev);
            assert_int_equal(after.found, before.found);
            assert_int_equal(after.version, before.version);
            assert_string_equal(after.state, before.state);
        }
    }
}

static void test_messages(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    make_answer(f->st, "country", "draft");
    expect_fail(gca_answer_review(f->st, "ana", ED, "FRA", "Q.yn", "approve",
                                  NULL, &err),
                &err, GCA_ESTATE,
                "cannot approve: the answer of FRA to Q.yn is draft, not "
                "submitted or resubmitted");
    expect_fail(gca_answer_set(f->st, "ana", ED, "FRA", "Q.yn", "no", NULL,
                               &err),
                &err, GCA_EPERM, "return it with a comment instead");
    expect_fail(gca_answer_set(f->st, "dora", ED, "FRA", "Q.yn", "no", NULL,
                               &err),
                &err, GCA_EPERM, "'dora' (focal point of DEU) may not");
    expect_fail(gca_answer_review(f->st, "ana", ED, "FRA", "Q.yn", "reject",
                                  "x", &err),
                &err, GCA_EINVAL, "decision 'reject' is not");
    expect_fail(gca_answer_review(f->st, "ana", ED, "FRA", "Q.yn", NULL, "x",
                                  &err),
                &err, GCA_EINVAL, "is not approve or return");
    ok(gca_answer_submit(f->st, "fred", ED, "FRA", "Q.yn", &err), &err);
    expect_fail(gca_answer_review(f->st, "ana", ED, "FRA", "Q.yn", "return",
                                  NULL, &err),
                &err, GCA_EINVAL, "needs a comment");
    assert_string_equal(last_source, "comment");
    expect_fail(gca_answer_review(f->st, "ana", ED, "FRA", "Q.yn", "return",
                                  "", &err),
                &err, GCA_EINVAL, "needs a comment");
    ok(gca_answer_review(f->st, "ana", ED, "FRA", "Q.yn", "return",
                         "cite the law", &err),
       &err);
    got g = answer(f->st, "FRA", "Q.yn");
    assert_string_equal(g.review, "cite the law");
    assert_string_equal(g.state, "returned");
}

/* ====== Sources and confirmation ====== */

static void test_sources(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    /* The analyst records from open sources; the country confirms. */
    ok(gca_answer_set(f->st, "ana", ED, "FRA", "Q.ch", "low", "gazette",
                      &err),
       &err);
    got g = answer(f->st, "FRA", "Q.ch");
    assert_string_equal(g.source, "analyst");
    assert_string_equal(g.comment, "gazette");
    ok(gca_answer_confirm(f->st, "fred", ED, "FRA", "Q.ch", &err), &err);
    g = answer(f->st, "FRA", "Q.ch");
    assert_string_equal(g.confirmed_by, "fred");
    expect_fail(gca_answer_confirm(f->st, "fred", ED, "FRA", "Q.ch", &err),
                &err, GCA_ESTATE, "was confirmed by 'fred'");
    /* The analyst changes the value: the confirmation no longer holds. */
    ok(gca_answer_set(f->st, "ana", ED, "FRA", "Q.ch", "high", NULL, &err),
       &err);
    g = answer(f->st, "FRA", "Q.ch");
    assert_string_equal(g.confirmed_by, "");
    assert_string_equal(g.comment, "gazette"); /* NULL keeps it */
    /* The focal point overwrites it: now the country's answer. */
    ok(gca_answer_set(f->st, "fred", ED, "FRA", "Q.ch", "low", "", &err),
       &err);
    g = answer(f->st, "FRA", "Q.ch");
    assert_string_equal(g.source, "country");
    assert_string_equal(g.comment, ""); /* "" clears it */
    assert_int_equal(g.version, 4);
    expect_fail(gca_answer_set(f->st, "ana", ED, "FRA", "Q.ch", "high", NULL,
                               &err),
                &err, GCA_EPERM, "it comes from the country");
    expect_fail(gca_answer_confirm(f->st, "fred", ED, "FRA", "Q.ch", &err),
                &err, GCA_ESTATE, "comes from the country itself");
    /* Each country only its own. */
    expect_fail(gca_answer_set(f->st, "fred", ED, "DEU", "Q.ch", "low", NULL,
                               &err),
                &err, GCA_EPERM, "for DEU");
    ok(gca_answer_set(f->st, "dora", ED, "DEU", "Q.ch", "high", NULL, &err),
       &err);
    expect_fail(gca_answer_submit(f->st, "fred", ED, "DEU", "Q.ch", &err),
                &err, GCA_EPERM, "may not submit an answer for DEU");
    expect_fail(gca_answer_confirm(f->st, "dora", ED, "FRA", "Q.ch", &err),
                &err, GCA_EPERM, "only the focal point of FRA may");
}

/* ====== Lookups and the edition ====== */

static void test_not_found(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    long long ev = events(f->st);
    expect_fail(gca_answer_set(f->st, "fred", "qt-1999", "FRA", "Q.yn", "yes",
                               NULL, &err),
                &err, GCA_ENOTFOUND, "unknown edition 'qt-1999'");
    assert_string_equal(last_source, "edition");
    expect_fail(gca_answer_set(f->st, "ana", ED, "XYZ", "Q.yn", "yes", NULL,
                               &err),
                &err, GCA_ENOTFOUND, "unknown country 'XYZ'");
    assert_string_equal(last_source, "country");
    expect_fail(gca_answer_set(f->st, "fred", ED, "FRA", "Q.none", "yes",
                               NULL, &err),
                &err, GCA_ENOTFOUND, "has no question 'Q.none'");
    assert_string_equal(last_source, "question");
    expect_fail(gca_answer_submit(f->st, "ghost", ED, "FRA", "Q.yn", &err),
                &err, GCA_ENOTFOUND, "acting user 'ghost' does not exist");
    expect_fail(gca_answer_confirm(f->st, "fred", ED, NULL, "Q.yn", &err),
                &err, GCA_EINVAL, "no country given");
    expect_fail(gca_answer_submit(f->st, "fred", ED, "FRA", "", &err), &err,
                GCA_EINVAL, "no question given");
    expect_fail(gca_answer_list(f->st, "nope", NULL, keep_one, NULL, &err),
                &err, GCA_ENOTFOUND, "unknown edition");
    gca_answer_filter bad = {NULL, NULL, "done"};
    expect_fail(gca_answer_list(f->st, ED, &bad, keep_one, NULL, &err), &err,
                GCA_EINVAL, "state 'done' is not");
    assert_int_equal(events(f->st), ev);
}

static void test_closed_edition(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    make_answer(f->st, "country", "submitted");
    ok(gca_edition_close(f->st, "admin", ED, &err), &err);
    long long ev = events(f->st), ver = versions(f->st);
    expect_fail(gca_answer_set(f->st, "fred", ED, "FRA", "Q.ypn", "yes", NULL,
                               &err),
                &err, GCA_ESTATE,
                "cannot set an answer: edition qt-2026 is closed, not open");
    expect_fail(gca_answer_review(f->st, "ana", ED, "FRA", "Q.yn", "approve",
                                  NULL, &err),
                &err, GCA_ESTATE, "is closed, not open");
    expect_fail(gca_answer_submit(f->st, "fred", ED, "FRA", "Q.yn", &err),
                &err, GCA_ESTATE, "is closed, not open");
    expect_fail(gca_answer_confirm(f->st, "fred", ED, "FRA", "Q.yn", &err),
                &err, GCA_ESTATE, "is closed, not open");
    assert_int_equal(events(f->st), ev);
    assert_int_equal(versions(f->st), ver);
    /* Reading still works. */
    assert_true(answer(f->st, "FRA", "Q.yn").found);
    ok(gca_edition_open(f->st, "admin", ED, &err), &err);
    ok(gca_answer_review(f->st, "ana", ED, "FRA", "Q.yn", "approve", NULL,
                         &err),
       &err);
}

static void test_comments(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    char *long_c = malloc(GCA_COMMENT_MAX + 2);
    assert_non_null(long_c);
    memset(long_c, 'c', GCA_COMMENT_MAX + 1);
    long_c[GCA_COMMENT_MAX + 1] = '\0';
    long long ev = events(f->st);
    expect_fail(gca_answer_set(f->st, "fred", ED, "FRA", "Q.yn", "yes", long_c,
                               &err),
                &err, GCA_EINVAL, "longer than 4000 bytes");
    assert_string_equal(last_source, "comment");
    long_c[GCA_COMMENT_MAX] = '\0'; /* exactly the limit */
    ok(gca_answer_set(f->st, "fred", ED, "FRA", "Q.yn", "yes", long_c, &err),
       &err);
    ok(gca_answer_submit(f->st, "fred", ED, "FRA", "Q.yn", &err), &err);
    long_c[GCA_COMMENT_MAX] = 'c';
    expect_fail(gca_answer_review(f->st, "ana", ED, "FRA", "Q.yn", "return",
                                  long_c, &err),
                &err, GCA_EINVAL, "longer than");
    free(long_c);
    expect_fail(gca_answer_set(f->st, "fred", ED, "FRA", "Q.ypn", "yes",
                               "bell\a", &err),
                &err, GCA_EINVAL, "control character at byte 5");
    expect_fail(gca_answer_set(f->st, "fred", ED, "FRA", "Q.ypn", "yes",
                               "\xff\xfe", &err),
                &err, GCA_EINVAL, "not valid UTF-8");
    ok(gca_answer_set(f->st, "fred", ED, "FRA", "Q.ypn", "yes",
                      "line one\n\tline two, caf\xc3\xa9", &err),
       &err);
    assert_int_equal(events(f->st), ev + 3);
}

/* ====== Audit and scores ====== */

typedef struct seen {
    int n;
    char actions[64][24];
    char last_object[128];
    char last_payload[512];
} seen;

static int keep_event(const gca_audit_event *ev, void *ctx)
{
    seen *s = ctx;
    if (s->n < 64)
        snprintf(s->actions[s->n], sizeof s->actions[0], "%s", ev->action);
    s->n++;
    snprintf(s->last_object, sizeof s->last_object, "%s", ev->object);
    snprintf(s->last_payload, sizeof s->last_payload, "%s", ev->payload);
    return 0;
}

static void test_audit(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    make_answer(f->st, "country", "resubmitted");
    ok(gca_answer_review(f->st, "ana", ED, "FRA", "Q.yn", "approve", NULL,
                         &err),
       &err);
    ok(gca_answer_set(f->st, "ana", ED, "DEU", "Q.num", "3.25", NULL, &err),
       &err);
    ok(gca_answer_confirm(f->st, "dora", ED, "DEU", "Q.num", &err), &err);

    seen s = {0};
    gca_audit_filter flt = {.object_prefix = "edition/" ED "/answer/"};
    assert_int_equal(gca_audit_list(f->st, &flt, keep_event, &s, &err), 0);
    static const char *const want[] = {
        "answer.set",    "answer.submit",  "answer.return", "answer.submit",
        "answer.approve", "answer.set",    "answer.confirm"};
    assert_int_equal(s.n, (int)GCA_COUNT(want));
    for (size_t i = 0; i < GCA_COUNT(want); i++)
        assert_string_equal(s.actions[i], want[i]);
    assert_string_equal(s.last_object, "edition/qt-2026/answer/DEU/Q.num");
    assert_string_equal(s.last_payload,
                        "{\"country\":\"DEU\",\"from\":\"draft\","
                        "\"question\":\"Q.num\",\"source\":\"analyst\","
                        "\"to\":\"draft\",\"value\":\"3.25\"}");

    /* The first set has no state before; the return carries its
     * comment. */
    seen fra = {0};
    gca_audit_filter one = {.object_prefix = "edition/" ED "/answer/FRA/"};
    assert_int_equal(gca_audit_list(f->st, &one, keep_event, &fra, &err), 0);
    assert_int_equal(fra.n, 5);
    assert_int_equal(
        query_int(f->st, "SELECT count(*) FROM audit_events WHERE action = "
                         "'answer.set' AND json_extract(payload, '$.from') "
                         "IS NULL AND object LIKE '%/FRA/Q.yn'"),
        1);
    assert_int_equal(
        query_int(f->st, "SELECT count(*) FROM audit_events WHERE action = "
                         "'answer.return' AND json_extract(payload, "
                         "'$.comment') = 'why?'"),
        1);

    /* A long sequence keeps the chain intact. */
    static const char *const qs[] = {"Q.yn", "Q.ypn", "Q.ch", "Q.num"};
    static const char *const vals[] = {"no", "partial", "high", "12"};
    for (int round = 0; round < 25; round++)
        for (size_t q = 0; q < GCA_COUNT(qs); q++) {
            const char *c = round % 2 ? "DEU" : "FRA";
            const char *who = round % 2 ? "dora" : "fred";
            int rc = gca_answer_set(f->st, who, ED, c, qs[q], vals[q], NULL,
                                    &err);
            assert_true(rc == 0 || rc == GCA_ESTATE || rc == GCA_EPERM);
        }
    gca_audit_result r;
    assert_int_equal(gca_audit_verify(f->st, &r, &err), 0);
    assert_int_equal(r.first_bad_seq, 0);
    assert_int_equal(r.head_seq, events(f->st));
}

static void test_unscore(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    const char *mark = "UPDATE editions SET scored_at = '2026-01-01T00:00:00Z'";
    const char *scored = "SELECT scored_at IS NOT NULL FROM editions";
    make_answer(f->st, "country", "submitted");
    exec_sql(f->st, mark);
    ok(gca_answer_review(f->st, "ana", ED, "FRA", "Q.yn", "approve", NULL,
                         &err),
       &err);
    assert_int_equal(query_int(f->st, scored), 0);
    exec_sql(f->st, mark);
    ok(gca_answer_review(f->st, "ana", ED, "FRA", "Q.yn", "return", "no",
                         &err),
       &err);
    assert_int_equal(query_int(f->st, scored), 0);
    /* Returning a submitted answer leaves approved answers alone. */
    ok(gca_answer_submit(f->st, "fred", ED, "FRA", "Q.yn", &err), &err);
    exec_sql(f->st, mark);
    ok(gca_answer_review(f->st, "ana", ED, "FRA", "Q.yn", "return", "no",
                         &err),
       &err);
    assert_int_equal(query_int(f->st, scored), 1);
}

/* ====== Listing ====== */

typedef struct listing {
    int n;
    char keys[16][32];
} listing;

static int keep_key(const gca_answer *a, void *ctx)
{
    listing *l = ctx;
    assert_string_equal(a->edition, ED);
    assert_string_equal(a->indicator, "I1");
    if (l->n < 16)
        snprintf(l->keys[l->n], sizeof l->keys[0], "%s/%s", a->country,
                 a->question);
    l->n++;
    return 0;
}

static void test_list(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    ok(gca_answer_set(f->st, "dora", ED, "DEU", "Q.ypn", "no", NULL, &err),
       &err);
    ok(gca_answer_set(f->st, "fred", ED, "FRA", "Q.yn", "no", NULL, &err),
       &err);
    ok(gca_answer_set(f->st, "ana", ED, "AUT", "Q.ch", "low", NULL, &err),
       &err);
    ok(gca_answer_set(f->st, "dora", ED, "DEU", "Q.ch", "low", NULL, &err),
       &err);
    ok(gca_answer_submit(f->st, "dora", ED, "DEU", "Q.ch", &err), &err);

    listing all = {0};
    assert_int_equal(gca_answer_list(f->st, ED, NULL, keep_key, &all, &err),
                     0);
    assert_int_equal(all.n, 4);
    assert_string_equal(all.keys[0], "AUT/Q.ch");
    assert_string_equal(all.keys[1], "DEU/Q.ch");
    assert_string_equal(all.keys[2], "DEU/Q.ypn");
    assert_string_equal(all.keys[3], "FRA/Q.yn");

    listing deu = {0};
    gca_answer_filter by_c = {"DEU", NULL, NULL};
    assert_int_equal(gca_answer_list(f->st, ED, &by_c, keep_key, &deu, &err),
                     0);
    assert_int_equal(deu.n, 2);
    listing sub = {0};
    gca_answer_filter by_s = {NULL, NULL, "submitted"};
    assert_int_equal(gca_answer_list(f->st, ED, &by_s, keep_key, &sub, &err),
                     0);
    assert_int_equal(sub.n, 1);
    assert_string_equal(sub.keys[0], "DEU/Q.ch");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transitions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_messages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sources, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_closed_edition, setup, teardown),
        cmocka_unit_test_setup_teardown(test_comments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unscore, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
