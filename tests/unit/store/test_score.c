/* test_score.c - scoring an edition from its answers (src/store/score.c),
 * exporting it (export.c) and comparing editions (diff.c), on the small
 * questionnaire tests/cases/_inputs/questionnaire.json whose scores are
 * worked out by hand below:
 *
 *   I1 = mean(q1, q2); I2 = (2 q3 + q4/10) / 3; I3 = q5;
 *   P1 = (I1 + 3 I2) / 4; P2 = I3; TOP = (P1 + P2) / 2.
 *
 *   FRA  q1 yes, q2 partial, q3 draft, q4 5, q5 no:
 *        I1 = 0.75, I2 = (1 + 0.5) / 3 = 0.5, I3 = 0,
 *        P1 = (0.75 + 1.5) / 4 = 0.5625, TOP = 0.28125 (tier T2)
 *   DEU  every answer at its best: all 1 (tier T1)
 *   KEN  only q5 yes (analyst-sourced): I1 = I2 = 0, I3 = 1, TOP = 0.5 (T1)
 *   BRA  q1 yes approved, q2 submitted only: I1 = 0.5, P1 = 0.125,
 *        TOP = 0.0625 (T2)
 *   USA  a draft only: not scored. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <ftw.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/fs.h"
#include "gca.h"
#include "store/backend.h"
#include "store/sqlite.h"
#include "testutil.h"

typedef struct fixture {
    char dir[64];
    char db[128];
    gca_store *st;
} fixture;

#define OK(call)                                                            \
    do {                                                                    \
        gca_err e_ = {0};                                                   \
        gca_err *err = &e_;                                                 \
        int rc_ = (call);                                                   \
        if (rc_ != 0)                                                       \
            fail_msg("%s: %s: %s", #call, e_.source, e_.msg);               \
    } while (0)

static void answer(gca_store *st, const char *who, const char *ed,
                   const char *c, const char *q, const char *v, int approve)
{
    OK(gca_answer_set(st, who, ed, c, q, v, NULL, err));
    OK(gca_answer_submit(st, who, ed, c, q, err));
    if (approve)
        OK(gca_answer_review(st, "ana", ed, c, q, "approve", NULL, err));
}

static int setup(void **state)
{
    gca_err e0 = {0};
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    memcpy(f->dir, "/tmp/gca-test-score-XXXXXX", 27);
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->db, sizeof f->db, "%s/gca.db", f->dir);
    if (gca_store_open(f->db, GCA_STORE_CREATE, &f->st, &e0) < 0 ||
        gca_store_migrate(f->st, NULL, &e0) < 0 ||
        gca_store_load_shipped(f->st, &e0) < 0)
        return -1;
    gca_store *st = f->st;
    gca_store_set_pwhash_cost(st, GCA_PWHASH_MIN);
    OK(gca_user_add(st, NULL, "admin", "admin", NULL, NULL, err));
    OK(gca_user_add(st, "admin", "ana", "analyst", NULL, NULL, err));
    OK(gca_user_add(st, "admin", "fra", "focal", "FRA", NULL, err));
    OK(gca_user_add(st, "admin", "deu", "focal", "DEU", NULL, err));
    OK(gca_user_add(st, "admin", "usa", "focal", "USA", NULL, err));
    OK(gca_user_add(st, "admin", "vic", "viewer", NULL, NULL, err));
    gca_buf b;
    gca_buf_init(&b, 1u << 24);
    OK(gca_file_read(tu_path("tests/cases/_inputs/questionnaire.json"), &b,
                     err));
    OK(gca_store_add_framework(st, "admin", gca_buf_str(&b), b.len,
                               "questionnaire.json", NULL, err));
    gca_buf_release(&b);
    OK(gca_edition_create(st, "admin", "qtest", 2026, NULL, NULL, err));
    OK(gca_edition_open(st, "admin", "qtest-2026", err));

    const char *ed = "qtest-2026";
    answer(st, "fra", ed, "FRA", "q1", "yes", 1);
    answer(st, "fra", ed, "FRA", "q2", "partial", 1);
    answer(st, "fra", ed, "FRA", "q3", "draft", 1);
    answer(st, "fra", ed, "FRA", "q4", "5", 1);
    answer(st, "fra", ed, "FRA", "q5", "no", 1);
    answer(st, "deu", ed, "DEU", "q1", "yes", 1);
    answer(st, "deu", ed, "DEU", "q2", "yes", 1);
    answer(st, "deu", ed, "DEU", "q3", "adopted", 1);
    answer(st, "deu", ed, "DEU", "q4", "10", 1);
    answer(st, "deu", ed, "DEU", "q5", "yes", 1);
    answer(st, "ana", ed, "KEN", "q5", "yes", 1);
    answer(st, "ana", ed, "BRA", "q1", "yes", 1);
    answer(st, "ana", ed, "BRA", "q2", "partial", 0);
    OK(gca_answer_set(st, "usa", ed, "USA", "q1", "yes", NULL, err));
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

static double stored(gca_store *st, const char *ed, const char *c,
                     const char *node, long long *rank)
{
    sqlite3_stmt *s = NULL;
    sqlite3_prepare_v2(gca__sqlite_handle(st->conn),
                       "SELECT s.score, s.rank FROM edition_scores s JOIN "
                       "editions e ON e.id = s.edition WHERE e.code = ? AND "
                       "s.country = ? AND s.node = ?",
                       -1, &s, NULL);
    assert_non_null(s);
    sqlite3_bind_text(s, 1, ed, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, c, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, node, -1, SQLITE_STATIC);
    double v = NAN;
    if (sqlite3_step(s) == SQLITE_ROW) {
        v = sqlite3_column_double(s, 0);
        if (rank)
            *rank = sqlite3_column_int64(s, 1);
    }
    sqlite3_finalize(s);
    return v;
}

static void tier_is(gca_store *st, const char *c, const char *want)
{
    sqlite3_stmt *s = NULL;
    sqlite3_prepare_v2(gca__sqlite_handle(st->conn),
                       "SELECT tier FROM edition_tiers WHERE country = ?",
                       -1, &s, NULL);
    sqlite3_bind_text(s, 1, c, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), want);
    sqlite3_finalize(s);
}

static void test_hand_checked_scores(void **state)
{
    fixture *f = *state;
    gca_store *st = f->st;
    int n = 0;
    OK(gca_edition_score(st, "ana", "qtest-2026", &n, err));
    assert_int_equal(n, 4);
    long long r = 0;
    assert_true(fabs(stored(st, "qtest-2026", "DEU", "TOP", &r) - 1) < 1e-15);
    assert_int_equal(r, 1);
    assert_true(fabs(stored(st, "qtest-2026", "KEN", "TOP", &r) - 0.5) <
                1e-15);
    assert_int_equal(r, 2);
    assert_true(fabs(stored(st, "qtest-2026", "FRA", "TOP", &r) - 0.28125) <
                1e-15);
    assert_int_equal(r, 3);
    assert_true(fabs(stored(st, "qtest-2026", "BRA", "TOP", &r) - 0.0625) <
                1e-15);
    assert_int_equal(r, 4);
    assert_true(fabs(stored(st, "qtest-2026", "FRA", "P1", NULL) - 0.5625) <
                1e-15);
    assert_true(fabs(stored(st, "qtest-2026", "FRA", "I1", NULL) - 0.75) <
                1e-15);
    assert_true(fabs(stored(st, "qtest-2026", "FRA", "I2", NULL) - 0.5) <
                1e-15);
    assert_true(fabs(stored(st, "qtest-2026", "BRA", "I1", NULL) - 0.5) <
                1e-15);
    assert_true(isnan(stored(st, "qtest-2026", "USA", "TOP", NULL)));
    tier_is(st, "DEU", "T1");
    tier_is(st, "KEN", "T1");
    tier_is(st, "FRA", "T2");
    tier_is(st, "BRA", "T2");
    gca_edition e;
    OK(gca_edition_get(st, "qtest-2026", &e, err));
    assert_true(e.scored_at[0] != '\0');
    gca_audit_result ar;
    OK(gca_audit_verify(st, &ar, err));
}

static void test_score_refused(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    assert_int_equal(gca_edition_score(f->st, "vic", "qtest-2026", NULL,
                                       &err),
                     GCA_EPERM);
    assert_int_equal(gca_edition_score(f->st, "fra", "qtest-2026", NULL,
                                       &err),
                     GCA_EPERM);
    assert_int_equal(gca_edition_score(f->st, "ana", "nope-2026", NULL,
                                       &err),
                     GCA_ENOTFOUND);
    assert_int_equal(gca_edition_score(f->st, "ghost", "qtest-2026", NULL,
                                       &err),
                     GCA_ENOTFOUND);
}

static char *slurp(const char *dir, const char *name)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    gca_buf b;
    gca_err err = {0};
    gca_buf_init(&b, 1u << 24);
    if (gca_file_read(p, &b, &err) < 0)
        fail_msg("%s: %s", p, err.msg);
    return gca_buf_detach(&b, NULL);
}

/* export -> gca build on the exported files -> the same scores.csv. */
static void test_export_rebuilds(void **state)
{
    fixture *f = *state;
    gca_store *st = f->st;
    char out[128];
    snprintf(out, sizeof out, "%s/export", f->dir);
    OK(gca_edition_export(st, NULL, "qtest-2026", out, err));

    char p[512];
    gca_framework *fw = NULL;
    gca_dataset *ds = NULL;
    gca_method *m = NULL;
    gca_result *res = NULL;
    snprintf(p, sizeof p, "%s/framework.json", out);
    OK(gca_framework_load(p, &fw, NULL, err));
    snprintf(p, sizeof p, "%s/data.csv", out);
    OK(gca_dataset_read_csv(p, &ds, err));
    OK(gca_dataset_bind(ds, fw, NULL, NULL, err));
    snprintf(p, sizeof p, "%s/method.json", out);
    OK(gca_method_load(p, &m, err));
    OK(gca_build(fw, ds, m, 0, &res, err));
    char *text = NULL;
    size_t len = 0;
    OK(gca_render_scores(res, 0, GCA_FORMAT_CSV, &text, &len, err));
    char *want = slurp(out, "scores.csv");
    assert_string_equal(text, want);
    assert_non_null(strstr(want, "FRA,0.28125,0.5625,0"));
    gca_free(text);
    gca_free(want);
    gca_result_free(res);
    gca_method_free(m);
    gca_dataset_free(ds);
    gca_framework_free(fw);

    /* The public sees approved answers and their history only. */
    char *ans = slurp(out, "answers.csv");
    assert_non_null(strstr(ans, "FRA,q1,I1,yes"));
    assert_null(strstr(ans, "BRA,q2"));
    assert_null(strstr(ans, "USA"));
    gca_free(ans);
    char *hist = slurp(out, "history.csv");
    assert_non_null(strstr(hist, "answer.approve"));
    assert_null(strstr(hist, ",BRA,q2,"));
    gca_free(hist);
    char *qs = slurp(out, "question_scores.csv");
    assert_non_null(strstr(qs, "BRA,I1,q2,0\n"));
    gca_free(qs);

    /* An analyst sees every answer. */
    char out2[128];
    snprintf(out2, sizeof out2, "%s/export-ana", f->dir);
    OK(gca_edition_export(st, "ana", "qtest-2026", out2, err));
    ans = slurp(out2, "answers.csv");
    assert_non_null(strstr(ans, "BRA,q2,I1,partial"));
    assert_non_null(strstr(ans, "USA,q1,I1,yes"));
    gca_free(ans);
}

static void test_diff(void **state)
{
    fixture *f = *state;
    gca_store *st = f->st;
    OK(gca_edition_score(st, "ana", "qtest-2026", NULL, err));
    OK(gca_edition_create(st, "admin", "QTEST", 2027, NULL, NULL, err));
    OK(gca_edition_open(st, "admin", "qtest-2027", err));
    answer(st, "fra", "qtest-2027", "FRA", "q1", "no", 1);
    answer(st, "fra", "qtest-2027", "FRA", "q5", "yes", 1);
    OK(gca_edition_score(st, "ana", "qtest-2027", NULL, err));
    char *text = NULL;
    OK(gca_edition_diff(st, "qtest-2027", NULL, "FRA", &text, err));
    json_error_t je;
    json_t *d = json_loads(text, 0, &je);
    assert_non_null(d);
    assert_string_equal(json_string_value(json_object_get(d, "from")),
                        "qtest-2026");
    json_t *c = json_object_get(json_object_get(d, "countries"), "FRA");
    assert_non_null(c);
    json_t *a = json_object_get(c, "answers");
    /* q1 yes -> no, q2..q4 gone, q5 no -> yes */
    assert_int_equal(json_array_size(a), 5);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(a, 0), "to")), "no");
    assert_true(json_is_null(json_object_get(json_array_get(a, 1), "to")));
    /* FRA 2027: I1 = 0, I3 = 1: TOP = 0.5 (T1), was 0.28125 (T2). */
    json_t *t = json_object_get(c, "tier");
    assert_string_equal(json_string_value(json_object_get(t, "from")), "T2");
    assert_string_equal(json_string_value(json_object_get(t, "to")), "T1");
    assert_null(json_object_get(json_object_get(d, "countries"), "DEU"));
    json_decref(d);
    gca_free(text);
    gca_err e0 = {0};
    assert_int_equal(gca_edition_diff(st, "qtest-2026", NULL, NULL, &text,
                                      &e0),
                     GCA_ENOTFOUND);
    assert_int_equal(gca_edition_diff(st, "qtest-2027", "gci-2020", NULL,
                                      &text, &e0),
                     GCA_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hand_checked_scores, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_score_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_rebuilds, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_diff, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
