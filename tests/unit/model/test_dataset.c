/* test_dataset.c - unit data (iData): reading the CSV (header and unit
 * code rules, numbers, NA) and binding it to a small framework (column
 * roles, missing and unknown columns, Time and panels), with and without
 * an error list; exclude and the accessors. Rules: docs/method.md#data. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gca.h"
#include "testutil.h"

/* Two indicators under one pillar under the index, plus one declared
 * column of each kind. */
static const char IMETA[] =
    "Level,iCode,iName,Direction,Weight,Parent,Type\n"
    "1,i1,Ind one,1,1,P,Indicator\n"
    "1,i2,Ind two,-1,1,P,Indicator\n"
    "2,P,Pillar,1,1,Index,Aggregate\n"
    "3,Index,Index,1,1,,Aggregate\n"
    "NA,grp,Group,NA,NA,,Group\n"
    "NA,pop,Population,NA,NA,,Denominator\n"
    "NA,note,Note,NA,NA,,Other\n";

static gca_framework *fw_full;  /* IMETA */
static gca_framework *fw_plain; /* IMETA without the declared columns */

static int setup(void **state)
{
    (void)state;
    gca_err err = {0};
    if (gca_framework_load_mem(IMETA, strlen(IMETA), "t_iMeta.csv", &fw_full,
                               NULL, &err) < 0) {
        fprintf(stderr, "t_iMeta.csv:%d: %s\n", err.line, err.msg);
        return -1;
    }
    /* The first five lines: header, two indicators, two aggregates. */
    const char *p = IMETA;
    for (int k = 0; k < 5; k++)
        p = strchr(p, '\n') + 1;
    if (gca_framework_load_mem(IMETA, (size_t)(p - IMETA), "plain.csv",
                               &fw_plain, NULL, &err) < 0) {
        fprintf(stderr, "plain.csv:%d: %s\n", err.line, err.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    gca_framework_free(fw_full);
    gca_framework_free(fw_plain);
    return 0;
}

static gca_dataset *read_ok(const char *text)
{
    gca_dataset *ds = NULL;
    gca_err err = {0};
    int rc = gca_dataset_read_csv_mem(text, strlen(text), "d.csv", &ds, &err);
    if (rc < 0)
        fail_msg("d.csv:%d:%d: %s", err.line, err.col, err.msg);
    return ds;
}

/* Reading `text` fails with `code` at line:col and a message holding
 * `part`. */
static void read_fails(const char *text, int code, int line, int col,
                       const char *part)
{
    gca_dataset *ds = NULL;
    gca_err err = {0};
    int rc = gca_dataset_read_csv_mem(text, strlen(text), "d.csv", &ds, &err);
    if (rc != code || err.line != line || err.col != col ||
        !strstr(err.msg, part))
        fail_msg("'%s': got %d at %d:%d '%s', want %d at %d:%d '%s'", text,
                 rc, err.line, err.col, err.msg, code, line, col, part);
    assert_null(ds);
    assert_string_equal(err.source, "d.csv");
}

/* Binding `text` to `fw` (time filter `time`) fails with `code` at
 * line:col, message holding `part`; with an error list too, which must
 * hold that message. */
static void bind_fails(const char *text, const gca_framework *fw,
                       const char *time, int code, int line, int col,
                       const char *part)
{
    for (int with_list = 0; with_list < 2; with_list++) {
        gca_dataset *ds = read_ok(text);
        gca_errlist all = GCA_ERRLIST_INIT;
        gca_err err = {0};
        int rc = gca_dataset_bind(ds, fw, time, with_list ? &all : NULL,
                                  &err);
        if (rc != code || err.line != line || err.col != col ||
            !strstr(err.msg, part))
            fail_msg("'%s': got %d at %d:%d '%s', want %d at %d:%d '%s'",
                     text, rc, err.line, err.col, err.msg, code, line, col,
                     part);
        if (with_list) {
            int seen = 0;
            for (size_t i = 0; i < all.n; i++)
                seen |= strstr(all.v[i].msg, part) != NULL;
            assert_true(all.n >= 1);
            assert_true(seen);
        }
        gca_errlist_release(&all);
        gca_dataset_free(ds);
    }
}

static void test_read_header_rules(void **state)
{
    (void)state;
    read_fails("uName,i1\nA,1\n", GCA_EPARSE, 1, 1, "no 'uCode' column");
    read_fails("uCode,i1,i1\nA,1,2\n", GCA_EPARSE, 1, 10,
               "duplicate column 'i1' (also column 2)");
    read_fails("uCode,i 1\nA,1\n", GCA_EPARSE, 1, 7,
               "column name 'i 1' contains a space");
    read_fails("uCode,,i2\nA,1,2\n", GCA_EPARSE, 1, 7, "is empty");
    read_fails("uCode,1x\nA,1\n", GCA_EPARSE, 1, 7,
               "column name '1x' starts with a digit");
    read_fails("uCode,i1\n", GCA_EPARSE, 2, 0, "no data rows");
}

static void test_read_unit_rules(void **state)
{
    (void)state;
    read_fails("uCode,i1\nA,1\nNA,2\n", GCA_EDATA, 3, 1, "uCode is missing");
    read_fails("uCode,i1\nA,1\n,2\n", GCA_EDATA, 3, 1, "uCode is missing");
    read_fails("i1,uCode\n1,A B\n", GCA_EDATA, 2, 3,
               "uCode 'A B' contains a space");
    read_fails("uCode,Time,i1\nA,2020,1\nB,soon,2\n", GCA_EDATA, 3, 3,
               "Time 'soon' is not a number");
    /* ISO numeric codes start with a digit: COINr accepts them. */
    gca_dataset *ds = read_ok("uCode,i1\n004,1\n");
    assert_string_equal(gca_dataset_ucode(ds, 0), "004");
    gca_dataset_free(ds);
}

static void test_numbers_and_missing(void **state)
{
    (void)state;
    gca_dataset *ds = read_ok("uCode,uName,i1,i2\n"
                              "A,Alpha,1.5,NA\n"
                              "B,,,Inf\n"
                              "C,Gamma,-Inf,-2e3\n");
    gca_err err = {0};
    assert_int_equal(gca_dataset_bind(ds, fw_plain, NULL, NULL, &err), 0);
    assert_int_equal(err.code, 0);
    assert_int_equal(gca_dataset_find_col(ds, "i1"), 0);
    assert_int_equal(gca_dataset_find_col(ds, "i2"), 1);
    assert_true(gca_dataset_num(ds, 0, 0) == 1.5);
    assert_true(isnan(gca_dataset_num(ds, 1, 0)));   /* NA */
    assert_true(isnan(gca_dataset_num(ds, 0, 1)));   /* empty */
    assert_true(gca_dataset_num(ds, 1, 1) == INFINITY);
    assert_true(gca_dataset_num(ds, 0, 2) == -INFINITY);
    assert_true(gca_dataset_num(ds, 1, 2) == -2000.0);
    assert_null(gca_dataset_text(ds, 1, 0));
    assert_null(gca_dataset_text(ds, 0, 1));
    assert_string_equal(gca_dataset_text(ds, 0, 0), "1.5");
    /* uName falls back to uCode when empty. */
    assert_string_equal(gca_dataset_uname(ds, 0), "Alpha");
    assert_string_equal(gca_dataset_uname(ds, 1), "B");
    assert_string_equal(gca_dataset_uname(ds, 2), "Gamma");
    gca_dataset_free(ds);

    /* No uName column at all. */
    ds = read_ok("uCode,i1,i2\nX,1,2\n");
    assert_string_equal(gca_dataset_uname(ds, 0), "X");
    gca_dataset_free(ds);
}

static void test_non_numeric_cell(void **state)
{
    (void)state;
    bind_fails("uCode,i1,i2\nA,1,2\nB,3,n/a\n", fw_plain, NULL, GCA_EDATA, 3,
               5, "value 'n/a' in column 'i2' is not a number");
    /* With a list, every bad cell is listed, in order. */
    gca_dataset *ds = read_ok("uCode,i1,i2\nA,x,2\nB,3,y\n");
    gca_errlist all = GCA_ERRLIST_INIT;
    gca_err err = {0};
    assert_int_equal(gca_dataset_bind(ds, fw_plain, NULL, &all, &err),
                     GCA_EDATA);
    assert_int_equal(all.n, 2);
    assert_int_equal(all.v[0].line, 2);
    assert_int_equal(all.v[0].col, 3);
    assert_int_equal(all.v[1].line, 3);
    assert_int_equal(all.v[1].col, 5);
    assert_non_null(strstr(all.v[1].msg, "'y'"));
    /* The first problem is the one returned. */
    assert_int_equal(err.line, 2);
    gca_errlist_release(&all);
    gca_dataset_free(ds);
}

static void test_duplicate_units(void **state)
{
    (void)state;
    bind_fails("uCode,i1,i2\nA,1,2\nB,1,2\nA,3,4\n", fw_plain, NULL,
               GCA_EDATA, 4, 1, "duplicate uCode 'A' (first on line 2)");
    bind_fails("uCode,i1,i2\ni1,1,2\n", fw_plain, NULL, GCA_EDATA, 2, 1,
               "uCode 'i1' is also a column name");
}

static void test_column_roles(void **state)
{
    (void)state;
    gca_dataset *ds = read_ok("uCode,note,i2,grp,pop,i1\n"
                              "A,hello,2,g1,100,1\n"
                              "B,,4,g2,NA,3\n");
    assert_int_equal(gca_dataset_ncols(ds), 5);
    for (size_t j = 0; j < 5; j++)
        assert_int_equal(gca_dataset_col_kind(ds, j), GCA_DATA_UNBOUND);
    gca_err err = {0};
    assert_int_equal(gca_dataset_bind(ds, fw_full, NULL, NULL, &err), 0);
    assert_int_equal(gca_dataset_col_kind(ds, 0), GCA_DATA_OTHER);
    assert_int_equal(gca_dataset_col_kind(ds, 1), GCA_DATA_INDICATOR);
    assert_int_equal(gca_dataset_col_kind(ds, 2), GCA_DATA_GROUP);
    assert_int_equal(gca_dataset_col_kind(ds, 3), GCA_DATA_DENOMINATOR);
    assert_int_equal(gca_dataset_col_kind(ds, 4), GCA_DATA_INDICATOR);
    assert_string_equal(gca_dataset_col_code(ds, 2), "grp");
    assert_string_equal(gca_dataset_text(ds, 2, 1), "g2");
    assert_string_equal(gca_dataset_text(ds, 0, 0), "hello");
    assert_true(gca_dataset_num(ds, 3, 0) == 100.0);
    assert_true(isnan(gca_dataset_num(ds, 3, 1)));
    /* A group cell is text: not a number, yet not an error. */
    assert_true(isnan(gca_dataset_num(ds, 2, 0)));
    /* Out of range accessors. */
    assert_null(gca_dataset_col_code(ds, 5));
    assert_int_equal(gca_dataset_col_kind(ds, 5), GCA_DATA_UNBOUND);
    assert_true(isnan(gca_dataset_num(ds, 5, 0)));
    assert_true(isnan(gca_dataset_num(ds, 0, 2)));
    assert_null(gca_dataset_text(ds, 0, 2));
    assert_null(gca_dataset_ucode(ds, 2));
    assert_null(gca_dataset_uname(ds, 2));
    assert_int_equal(gca_dataset_find_col(ds, "nope"), -1);
    assert_int_equal(gca_dataset_find_col(ds, "uCode"), -1);
    assert_string_equal(gca_dataset_source(ds), "d.csv");
    /* Binding twice is refused. */
    gca_err_clear(&err);
    assert_int_equal(gca_dataset_bind(ds, fw_full, NULL, NULL, &err),
                     GCA_EINVAL);
    assert_non_null(strstr(err.msg, "already bound"));
    gca_dataset_free(ds);

    /* A denominator must be numeric; a group need not. */
    bind_fails("uCode,i1,i2,grp,pop,note\nA,1,2,g,lots,x\n", fw_full, NULL,
               GCA_EDATA, 2, 9, "value 'lots' in column 'pop'");
}

static void test_column_problems(void **state)
{
    (void)state;
    bind_fails("uCode,i1,i2,P\nA,1,2,3\n", fw_plain, NULL, GCA_EDATA, 1, 13,
               "column 'P' is an aggregate of the framework");
    bind_fails("uCode,i1,i2,zz\nA,1,2,3\n", fw_plain, NULL, GCA_EDATA, 1, 13,
               "unknown column 'zz'");
    bind_fails("uCode,i1\nA,1\n", fw_plain, NULL, GCA_EDATA, 1, 0,
               "indicator 'i2' of framework");
    bind_fails("uCode,i1,i2,grp,note\nA,1,2,g,x\n", fw_full, NULL, GCA_EDATA,
               1, 0, "column 'pop' declared by framework");

    /* Every problem listed, the first one returned. */
    gca_dataset *ds = read_ok("uCode,zz,P,i1\nA,1,2,x\n");
    gca_errlist all = GCA_ERRLIST_INIT;
    gca_err err = {0};
    assert_int_equal(gca_dataset_bind(ds, fw_full, NULL, &all, &err),
                     GCA_EDATA);
    /* zz, P, 'x', i2, grp, pop, note */
    assert_int_equal(all.n, 7);
    assert_non_null(strstr(all.v[0].msg, "unknown column 'zz'"));
    assert_non_null(strstr(all.v[1].msg, "'P' is an aggregate"));
    assert_non_null(strstr(all.v[2].msg, "value 'x'"));
    assert_non_null(strstr(all.v[3].msg, "indicator 'i2'"));
    assert_non_null(strstr(all.v[6].msg, "column 'note' declared"));
    assert_string_equal(err.msg, all.v[0].msg);
    gca_errlist_release(&all);
    gca_dataset_free(ds);
}

static void test_time(void **state)
{
    (void)state;
    /* One Time value: fine, all rows kept. */
    gca_dataset *ds = read_ok("uCode,Time,i1,i2\nA,2020,1,2\nB,2020,3,4\n");
    gca_err err = {0};
    assert_int_equal(gca_dataset_bind(ds, fw_plain, NULL, NULL, &err), 0);
    assert_int_equal(gca_dataset_nunits(ds), 2);
    assert_int_equal(gca_dataset_find_col(ds, "Time"), -1);
    gca_dataset_free(ds);

    static const char panel[] = "uCode,Time,i1,i2\n"
                                "A,2020,1,2\n"
                                "B,2020,3,4\n"
                                "A,2021,5,6\n"
                                "B,2021,7,8\n";
    bind_fails(panel, fw_plain, NULL, GCA_EDATA, 0, 0,
               "panel data: the Time column has more than one value");

    /* --time keeps that year's rows; duplicates across years are fine. */
    ds = read_ok(panel);
    assert_int_equal(gca_dataset_bind(ds, fw_plain, "2021", NULL, &err), 0);
    assert_int_equal(gca_dataset_nunits(ds), 2);
    assert_string_equal(gca_dataset_ucode(ds, 0), "A");
    assert_string_equal(gca_dataset_ucode(ds, 1), "B");
    assert_true(gca_dataset_num(ds, 0, 0) == 5.0);
    assert_true(gca_dataset_num(ds, 1, 1) == 8.0);
    gca_dataset_free(ds);

    bind_fails(panel, fw_plain, "2019", GCA_EDATA, 0, 0,
               "no rows with Time 2019");
    bind_fails(panel, fw_plain, "next", GCA_EINVAL, 0, 0,
               "'next' is not a number");
    bind_fails("uCode,i1,i2\nA,1,2\n", fw_plain, "2020", GCA_EDATA, 1, 0,
               "--time given but the data have no Time column");
}

static void test_exclude(void **state)
{
    (void)state;
    gca_dataset *ds = read_ok("uCode,i1,zz,i2\nA,1,junk,2\n");
    gca_err err = {0};
    assert_int_equal(gca_dataset_exclude(ds, "nope", &err), GCA_ENOTFOUND);
    assert_non_null(strstr(err.msg, "no column 'nope' to exclude"));
    gca_err_clear(&err);
    assert_int_equal(gca_dataset_exclude(ds, "uCode", &err), GCA_EINVAL);
    assert_non_null(strstr(err.msg, "cannot exclude 'uCode'"));
    gca_err_clear(&err);
    assert_int_equal(gca_dataset_exclude(ds, "zz", &err), 0);
    assert_int_equal(gca_dataset_ncols(ds), 2);
    assert_string_equal(gca_dataset_col_code(ds, 1), "i2");
    assert_int_equal(gca_dataset_bind(ds, fw_plain, NULL, NULL, &err), 0);
    assert_true(gca_dataset_num(ds, 1, 0) == 2.0);
    assert_int_equal(gca_dataset_exclude(ds, "i1", &err), GCA_EINVAL);
    assert_non_null(strstr(err.msg, "after binding"));
    assert_int_equal(gca_dataset_ncols(ds), 2);
    gca_dataset_free(ds);
}

static void test_bom_crlf_and_file(void **state)
{
    (void)state;
    gca_dataset *ds = read_ok("\xef\xbb\xbfuCode,i1,i2\r\nA,1,2\r\n");
    gca_err err = {0};
    assert_int_equal(gca_dataset_bind(ds, fw_plain, NULL, NULL, &err), 0);
    assert_string_equal(gca_dataset_col_code(ds, 1), "i2");
    assert_true(gca_dataset_num(ds, 1, 0) == 2.0);
    gca_dataset_free(ds);

    ds = NULL;
    assert_int_equal(gca_dataset_read_csv("/nonexistent/d.csv", &ds, &err),
                     GCA_EIO);
    assert_null(ds);
    assert_non_null(strstr(err.source, "/nonexistent/d.csv"));

    gca_err_clear(&err);
    const char *asem = tu_path("tests/oracle/data/asem_iData.csv");
    assert_int_equal(gca_dataset_read_csv(asem, &ds, &err), 0);
    assert_int_equal(gca_dataset_nunits(ds), 51);
    gca_dataset_free(ds);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    static const char text[] = "uCode,uName,Time,i1,i2,grp,pop,note\n"
                               "A,Alpha,2020,1,2,g,10,x\n"
                               "B,Beta,2020,3,NA,g,20,y\n";
    int done = 0, tries = 0;
    for (long n = 1; n < 10000 && !done; n++) {
        gca_dataset *ds = NULL;
        gca_errlist all = GCA_ERRLIST_INIT;
        gca_err err = {0};
        gca_alloc_fail_after(n);
        int rc = gca_dataset_read_csv_mem(text, strlen(text), "d.csv", &ds,
                                          &err);
        if (rc == 0)
            rc = gca_dataset_bind(ds, fw_full, "2020", &all, &err);
        gca_alloc_fail_after(0);
        tries++;
        if (rc == 0)
            done = 1;
        else
            assert_int_equal(rc, GCA_ENOMEM);
        gca_errlist_release(&all);
        gca_dataset_free(ds);
    }
    assert_true(done && tries > 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_header_rules),
        cmocka_unit_test(test_read_unit_rules),
        cmocka_unit_test(test_numbers_and_missing),
        cmocka_unit_test(test_non_numeric_cell),
        cmocka_unit_test(test_duplicate_units),
        cmocka_unit_test(test_column_roles),
        cmocka_unit_test(test_column_problems),
        cmocka_unit_test(test_time),
        cmocka_unit_test(test_exclude),
        cmocka_unit_test(test_bom_crlf_and_file),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
