/* test_str.c - slices and the strict cell parsers of src/core/str.c:
 * numbers as R's read.csv accepts them (type.convert), NA cells, integer
 * ranges, COINr's rules for codes and the UTF-8 helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include <cmocka.h>

#include "gca/core.h"
#include "gca/model.h"
#include "core/str.h"

static gca_str S(const char *s)
{
    return (gca_str){s, strlen(s)};
}

static void test_eq_trim(void **state)
{
    (void)state;
    assert_true(gca_str_eq(GCA_STR("abc"), "abc"));
    assert_false(gca_str_eq(GCA_STR("abc"), "ab"));
    assert_false(gca_str_eq(GCA_STR("ab"), "abc"));
    assert_true(gca_str_eq(GCA_STR(""), ""));
    /* A slice need not be terminated: only its len bytes count. */
    gca_str part = {"abcdef", 3};
    assert_true(gca_str_eq(part, "abc"));

    static const struct {
        const char *in, *want;
    } cases[] = {
        {"", ""},         {"   ", ""},     {"\t a \t", "a"},
        {"a b", "a b"},   {" a b ", "a b"}, {"\na\n", "\na\n"},
    };
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        gca_str t = gca_str_trim(S(cases[i].in));
        assert_true(gca_str_eq(t, cases[i].want));
    }
}

static void test_parse_double_valid(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        double want;
    } cases[] = {
        {"0", 0.0},
        {"1", 1.0},
        {"-1", -1.0},
        {"+1", 1.0},
        {"1.5", 1.5},
        {".5", 0.5},
        {"5.", 5.0},
        {"-.25", -0.25},
        {"1e3", 1000.0},
        {"1E3", 1000.0},
        {"1e+3", 1000.0},
        {"2.5e-3", 0.0025},
        {"  42  ", 42.0},
        {"\t7\t", 7.0},
        {"007", 7.0},
        {"0.1", 0.1},
        {"123456789012345678", 123456789012345678.0},
        {"1.7976931348623157e308", DBL_MAX},
        {"4.9406564584124654e-324", 4.9406564584124654e-324},
        /* Too large for a double: R reads these as Inf, and so do we. */
        {"1e400", INFINITY},
        {"-1e400", -INFINITY},
        /* Too small: 0, as R. */
        {"1e-400", 0.0},
        {"Inf", INFINITY},
        {"+Inf", INFINITY},
        {"-Inf", -INFINITY},
        {" -Inf ", -INFINITY},
    };
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        double v = 12345.0;
        if (!gca_parse_double(S(cases[i].in), &v))
            fail_msg("'%s' was refused", cases[i].in);
        if (!(v == cases[i].want))
            fail_msg("'%s' gave %.17g, want %.17g", cases[i].in, v,
                     cases[i].want);
    }
    double z = 1.0;
    assert_true(gca_parse_double(S("-0"), &z));
    assert_true(z == 0.0 && signbit(z));
}

static void test_parse_double_invalid(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",     " ",     "\t",    "1x",    "x1",     "1e",   "1e+",
        "1e-",  "e5",    ".",     "-",     "+",      "--1",  "+-1",
        "-+1",  "0x10",  "0X1A",  "nan",   "NaN",    "NA",   "inf",
        "INF",  "Infinity",       "-inf",  "1 2",    "1,5",  "1..2",
        "1.2.3", "1e5.5", "1e 5", "1 e5",  "Inf1",   "- 1",  "1d5",
        "TRUE", "1_000", "\xc2\xa0" "1",
    };
    for (size_t i = 0; i < GCA_COUNT(bad); i++) {
        double v = 12345.0;
        if (gca_parse_double(S(bad[i]), &v))
            fail_msg("'%s' was accepted as %.17g", bad[i], v);
        /* A refused cell leaves *out alone. */
        assert_true(v == 12345.0);
    }
    /* An embedded NUL is not the end of the cell. */
    gca_str nul = {"1\0" "2", 3};
    double v = 0;
    assert_false(gca_parse_double(nul, &v));
    /* Only the slice is read, not the bytes after it. */
    gca_str part = {"12x", 2};
    assert_true(gca_parse_double(part, &v));
    assert_true(v == 12.0);
}

/* Cells longer than the parser's stack copy take the heap path. */
static void test_parse_double_long(void **state)
{
    (void)state;
    char buf[600];
    /* "0.000...0001e500" with 500 zeros: 1e-501 * 1e500. */
    size_t n = 0;
    buf[n++] = '0';
    buf[n++] = '.';
    for (int i = 0; i < 500; i++)
        buf[n++] = '0';
    buf[n++] = '1';
    buf[n++] = 'e';
    buf[n++] = '5';
    buf[n++] = '0';
    buf[n++] = '0';
    buf[n] = '\0';
    double v = 0;
    assert_true(gca_parse_double(S(buf), &v));
    /* 1e-501 * 1e500 = 0.1 */
    assert_true(v == 0.1);

    /* 200 digits of 1 followed by zeros: a finite number near 1.1e199. */
    memset(buf, '1', 200);
    buf[200] = '\0';
    assert_true(gca_parse_double(S(buf), &v));
    assert_true(isfinite(v) && v > 1.1e199 && v < 1.2e199);

    /* 400 digits overflow to Inf, as R. */
    memset(buf, '9', 400);
    buf[400] = '\0';
    assert_true(gca_parse_double(S(buf), &v));
    assert_true(isinf(v) && v > 0);

    /* A long invalid cell is refused without reading past it. */
    memset(buf, '1', 300);
    buf[300] = 'x';
    buf[301] = '\0';
    v = 5;
    assert_false(gca_parse_double(S(buf), &v));
    assert_true(v == 5);

    /* Exactly the stack copy's size and one less: both parse. */
    for (size_t len = 126; len <= 130; len++) {
        memset(buf, '0', len);
        buf[len - 1] = '3';
        buf[len] = '\0';
        v = 0;
        assert_true(gca_parse_double(S(buf), &v));
        assert_true(v == 3.0);
    }
}

/* The heap copy of a long cell can fail: the cell is refused, no crash. */
static void test_parse_double_long_nomem(void **state)
{
    (void)state;
    char buf[300];
    memset(buf, '2', 299);
    buf[299] = '\0';
    double v = 7;
    gca_alloc_fail_after(1);
    bool ok = gca_parse_double(S(buf), &v);
    gca_alloc_fail_after(0);
    assert_false(ok);
    assert_true(v == 7);
    /* Short cells need no allocation at all. */
    gca_alloc_fail_after(1);
    ok = gca_parse_double(S("2.5"), &v);
    long made = gca_alloc_fail_after(0);
    assert_true(ok);
    assert_true(v == 2.5);
    assert_int_equal(made, 0);
}

static void test_is_na(void **state)
{
    (void)state;
    static const char *const na[] = {"", " ", "\t", "NA", " NA ", "\tNA"};
    static const char *const not_na[] = {"na",  "N A", "NaN", "NAN", "0",
                                         "NA1", "-",   "N",   "\"NA\""};
    for (size_t i = 0; i < GCA_COUNT(na); i++)
        if (!gca_is_na(S(na[i])))
            fail_msg("'%s' is not NA", na[i]);
    for (size_t i = 0; i < GCA_COUNT(not_na); i++)
        if (gca_is_na(S(not_na[i])))
            fail_msg("'%s' is NA", not_na[i]);
}

static void test_parse_int(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        long min, max;
        bool ok;
        long want;
    } cases[] = {
        {"0", 0, 10, true, 0},
        {"10", 0, 10, true, 10},
        {"11", 0, 10, false, 0},
        {"-1", 0, 10, false, 0},
        {"-5", -10, 10, true, -5},
        {" 3 ", 0, 10, true, 3},
        {"3.0", 0, 10, true, 3},
        {"1e1", 0, 10, true, 10},
        {"3.5", 0, 10, false, 0},
        {"Inf", 0, 10, false, 0},
        {"-Inf", -10, 10, false, 0},
        {"1e400", 0, 10, false, 0},
        {"NA", 0, 10, false, 0},
        {"", 0, 10, false, 0},
        {"x", 0, 10, false, 0},
        {"0x3", 0, 10, false, 0},
        {"1000000", 1, 1000000, true, 1000000},
        {"1000001", 1, 1000000, false, 0},
    };
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        long v = -999;
        bool ok = gca_parse_int(S(cases[i].in), cases[i].min, cases[i].max,
                                &v);
        if (ok != cases[i].ok)
            fail_msg("'%s' in [%ld, %ld]: got %d", cases[i].in,
                     cases[i].min, cases[i].max, ok);
        if (ok)
            assert_int_equal(v, cases[i].want);
        else
            assert_int_equal(v, -999);
    }
}

static void test_code_problem(void **state)
{
    (void)state;
    static const char *const fine[] = {
        "LEG.1", "a",     "Index", "x_1",   "GCI-2020", "café",
        "A0",    "_1",    ".x",    "Ü1",    "a/b",      "a,b",
    };
    for (size_t i = 0; i < GCA_COUNT(fine); i++) {
        const char *why = gca_code_problem(fine[i]);
        if (why)
            fail_msg("'%s' refused: %s", fine[i], why);
    }
    static const struct {
        const char *in, *why;
    } bad[] = {
        {"", "is empty"},
        {"a b", "contains a space"},
        {" a", "contains a space"},
        {"a\t", "contains a space"},
        {"a\nb", "contains a control character"},
        {"a\x7f", "contains a control character"},
        {"a\x1b", "contains a control character"},
        {"\xff" "a", "is not valid UTF-8"},
        {"a\xc3", "is not valid UTF-8"},
        {"1abc", GCA_CODE_DIGIT},
        {"9", GCA_CODE_DIGIT},
        /* Spaces are reported before the digit rule, which is last. */
        {"1 a", "contains a space"},
    };
    for (size_t i = 0; i < GCA_COUNT(bad); i++) {
        const char *why = gca_code_problem(bad[i].in);
        if (!why || strcmp(why, bad[i].why) != 0)
            fail_msg("'%s': got '%s', want '%s'", bad[i].in,
                     why ? why : "(null)", bad[i].why);
    }
    char code[GCA_MAX_CODE + 2];
    memset(code, 'a', GCA_MAX_CODE);
    code[GCA_MAX_CODE] = '\0';
    assert_null(gca_code_problem(code));
    code[GCA_MAX_CODE] = 'a';
    code[GCA_MAX_CODE + 1] = '\0';
    const char *why = gca_code_problem(code);
    assert_non_null(why);
    assert_non_null(strstr(why, "longer than"));
}

static void test_utf8_valid_prefix(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        size_t len, want;
    } cases[] = {
        {"", 0, 0},
        {"abc", 3, 3},
        {"a\xc3\xa9z", 4, 4},           /* é */
        {"\xe2\x82\xac", 3, 3},         /* € */
        {"\xf0\x9f\x98\x80", 4, 4},     /* U+1F600 */
        {"\xf4\x8f\xbf\xbf", 4, 4},     /* U+10FFFF, the last */
        {"ab\xff", 3, 2},               /* never a UTF-8 byte */
        {"ab\x80", 3, 2},               /* lone continuation */
        {"a\xc3", 2, 1},                /* truncated 2-byte */
        {"a\xe2\x82", 3, 1},            /* truncated 3-byte */
        {"a\xc3\x28", 3, 1},            /* bad continuation */
        {"a\xc0\xaf", 3, 1},            /* overlong '/' */
        {"a\xe0\x80\xaf", 4, 1},        /* overlong 3-byte */
        {"a\xf0\x80\x80\xaf", 5, 1},    /* overlong 4-byte */
        {"a\xed\xa0\x80", 4, 1},        /* surrogate U+D800 */
        {"a\xf4\x90\x80\x80", 5, 1},    /* above U+10FFFF */
        {"a\xf8\x88\x80\x80\x80", 6, 1}, /* 5-byte form */
        {"a\0b", 3, 3},                 /* NUL is valid UTF-8 */
    };
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        size_t got = gca_utf8_valid_prefix(cases[i].in, cases[i].len);
        if (got != cases[i].want)
            fail_msg("case %zu: got %zu, want %zu", i, got, cases[i].want);
    }
    /* The length bounds the read even if a sequence continues past it. */
    assert_int_equal(gca_utf8_valid_prefix("\xc3\xa9", 1), 0);
}

static void test_utf8_column(void **state)
{
    (void)state;
    const char *line = "a\xc3\xa9" "b\xe2\x82\xac" "c";
    assert_int_equal(gca_utf8_column(line, 0), 1);
    assert_int_equal(gca_utf8_column(line, 1), 2); /* at é */
    assert_int_equal(gca_utf8_column(line, 3), 3); /* at b */
    assert_int_equal(gca_utf8_column(line, 4), 4); /* at € */
    assert_int_equal(gca_utf8_column(line, 7), 5); /* at c */
    assert_int_equal(gca_utf8_column("abc", 2), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eq_trim),
        cmocka_unit_test(test_parse_double_valid),
        cmocka_unit_test(test_parse_double_invalid),
        cmocka_unit_test(test_parse_double_long),
        cmocka_unit_test(test_parse_double_long_nomem),
        cmocka_unit_test(test_is_na),
        cmocka_unit_test(test_parse_int),
        cmocka_unit_test(test_code_problem),
        cmocka_unit_test(test_utf8_valid_prefix),
        cmocka_unit_test(test_utf8_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
