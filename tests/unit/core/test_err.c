/* test_err.c - error reporting of src/core/err.c: gca_fail fills every
 * field and truncates safely, the first error wins, codes have names and
 * texts from one table, formatting, and the error list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gca/core.h"

static void test_fail_fills(void **state)
{
    (void)state;
    gca_err err = {0};
    int rc = gca_fail(&err, GCA_EPARSE, "data/x.csv", 14, 3,
                      "value '%s' is not a number", "n/a");
    assert_int_equal(rc, GCA_EPARSE);
    assert_int_equal(err.code, GCA_EPARSE);
    assert_int_equal(err.line, 14);
    assert_int_equal(err.col, 3);
    assert_string_equal(err.source, "data/x.csv");
    assert_string_equal(err.msg, "value 'n/a' is not a number");
    assert_non_null(err.origin);
    assert_non_null(strstr(err.origin, "test_err.c:"));

    /* The first error wins: a second one leaves err alone, but its code is
     * still returned. */
    rc = gca_fail(&err, GCA_EIO, "other", 1, 1, "later");
    assert_int_equal(rc, GCA_EIO);
    assert_int_equal(err.code, GCA_EPARSE);
    assert_string_equal(err.msg, "value 'n/a' is not a number");

    gca_err_clear(&err);
    assert_int_equal(err.code, 0);
    assert_string_equal(err.msg, "");
    assert_string_equal(err.source, "");
    assert_null(err.origin);
    gca_err_clear(NULL); /* harmless */

    /* NULL err: only the code comes back. NULL source: empty. */
    assert_int_equal(gca_fail(NULL, GCA_ENOMEM, "x", 0, 0, "m"),
                     GCA_ENOMEM);
    rc = gca_fail(&err, GCA_EINVAL, NULL, 0, 0, "%d%%", 5);
    assert_int_equal(rc, GCA_EINVAL);
    assert_string_equal(err.source, "");
    assert_string_equal(err.msg, "5%");
    assert_int_equal(err.line, 0);
}

static void test_fail_truncates(void **state)
{
    (void)state;
    char huge[2000];
    memset(huge, 's', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    /* Canaries around the struct catch a write past either field. */
    struct {
        gca_err err;
        char canary[64];
    } box;
    memset(&box, 0x77, sizeof box);
    box.err.code = 0;
    int rc = gca_fail(&box.err, GCA_ETOOBIG, huge, 1, 2, "%s-%s", huge,
                      huge);
    assert_int_equal(rc, GCA_ETOOBIG);
    assert_int_equal(strlen(box.err.source), sizeof box.err.source - 1);
    assert_int_equal(strlen(box.err.msg), sizeof box.err.msg - 1);
    assert_int_equal(box.err.msg[0], 's');
    for (size_t i = 0; i < sizeof box.canary; i++)
        assert_int_equal((unsigned char)box.canary[i], 0x77);

    /* Exactly the size of the field minus one fits whole. */
    gca_err err = {0};
    char fit[sizeof err.source];
    memset(fit, 'f', sizeof fit - 1);
    fit[sizeof fit - 1] = '\0';
    gca_fail(&err, GCA_EIO, fit, 0, 0, "m");
    assert_string_equal(err.source, fit);

    /* UTF-8 text is copied byte for byte. */
    gca_err_clear(&err);
    gca_fail(&err, GCA_EDATA, "caf\xc3\xa9.csv", 0, 0, "unit '%s'",
             "\xc3\xbc");
    assert_string_equal(err.source, "caf\xc3\xa9.csv");
    assert_string_equal(err.msg, "unit '\xc3\xbc'");
}

static void test_names(void **state)
{
    (void)state;
    static const struct {
        int code;
        const char *name, *text;
    } table[] = {
        {GCA_ENOMEM, "GCA_ENOMEM", "out of memory"},
        {GCA_EPARSE, "GCA_EPARSE", "malformed input"},
        {GCA_EINVAL, "GCA_EINVAL", "invalid argument"},
        {GCA_EIO, "GCA_EIO", "input/output error"},
        {GCA_ETOOBIG, "GCA_ETOOBIG", "input too large"},
        {GCA_ENOTFOUND, "GCA_ENOTFOUND", "not found"},
        {GCA_EFRAMEWORK, "GCA_EFRAMEWORK", "framework violates a rule"},
        {GCA_EDATA, "GCA_EDATA", "data do not fit the framework"},
        {GCA_EMETHOD, "GCA_EMETHOD", "method cannot be applied"},
        {GCA_ENOTSUP, "GCA_ENOTSUP", "not supported by this build"},
        {GCA_EINTERNAL, "GCA_EINTERNAL", "internal error"},
        {GCA_EPERM, "GCA_EPERM", "not permitted for this user"},
        {GCA_ESTATE, "GCA_ESTATE", "not allowed in the current state"},
    };
    for (size_t i = 0; i < GCA_COUNT(table); i++) {
        assert_string_equal(gca_err_name(table[i].code), table[i].name);
        assert_string_equal(gca_strerror(table[i].code), table[i].text);
    }
    /* The table above covers every code in the map, no more, no less. */
    size_t n = 0;
#define XX(name, val, text) n++;
    GCA_ERRNO_MAP(XX)
#undef XX
    assert_int_equal(n, GCA_COUNT(table));
    /* Codes are distinct and negative. */
    for (size_t i = 0; i < GCA_COUNT(table); i++) {
        assert_true(table[i].code < 0);
        for (size_t k = i + 1; k < GCA_COUNT(table); k++)
            assert_int_not_equal(table[i].code, table[k].code);
    }
    assert_string_equal(gca_err_name(0), "0");
    assert_string_equal(gca_strerror(0), "no error");
    static const int unknown[] = {1, -14, -100, 12345, INT32_MIN, INT32_MAX};
    for (size_t i = 0; i < GCA_COUNT(unknown); i++) {
        assert_string_equal(gca_err_name(unknown[i]), "GCA_E?");
        assert_string_equal(gca_strerror(unknown[i]), "unknown error");
    }
    assert_string_equal(gca_version(), GCA_VERSION_STRING);
}

static void test_format(void **state)
{
    (void)state;
    static const struct {
        const char *source;
        int line, col;
        const char *msg;
        const char *want;
    } cases[] = {
        {"d.csv", 14, 3, "bad", "d.csv:14:3: bad"},
        {"d.csv", 14, 0, "bad", "d.csv:14: bad"},
        {"d.csv", 0, 0, "bad", "d.csv: bad"},
        /* A column without a line is not shown. */
        {"d.csv", 0, 5, "bad", "d.csv: bad"},
        {"", 3, 4, "bad", "bad"},
        /* No message: the code's text. */
        {"d.csv", 2, 0, "", "d.csv:2: malformed input"},
    };
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        gca_err err = {0};
        err.code = GCA_EPARSE;
        err.line = cases[i].line;
        err.col = cases[i].col;
        memcpy(err.source, cases[i].source, strlen(cases[i].source) + 1);
        memcpy(err.msg, cases[i].msg, strlen(cases[i].msg) + 1);
        char out[128];
        gca_err_format(&err, out, sizeof out);
        assert_string_equal(out, cases[i].want);
    }
    /* Short output buffers: truncated and terminated, nothing past. */
    gca_err err = {0};
    gca_fail(&err, GCA_EIO, "file.csv", 10, 2, "cannot read");
    char small[12];
    memset(small, 'X', sizeof small);
    gca_err_format(&err, small, 8);
    assert_string_equal(small, "file.cs");
    assert_int_equal(small[8], 'X');
    gca_err_format(&err, small, 1);
    assert_string_equal(small, "");
    small[0] = 'Q';
    gca_err_format(&err, small, 0); /* writes nothing */
    assert_int_equal(small[0], 'Q');
}

static void test_errlist(void **state)
{
    (void)state;
    gca_errlist l = GCA_ERRLIST_INIT;
    for (int i = 0; i < 100; i++) {
        gca_err e = {0};
        gca_fail(&e, GCA_EFRAMEWORK, "fw.json", i + 1, 0, "rule %d", i);
        assert_int_equal(gca_errlist_add(&l, &e), 0);
    }
    assert_int_equal(l.n, 100);
    assert_true(l.cap >= 100);
    for (int i = 0; i < 100; i++) {
        char want[32];
        snprintf(want, sizeof want, "rule %d", i);
        assert_string_equal(l.v[i].msg, want);
        assert_int_equal(l.v[i].line, i + 1);
        assert_int_equal(l.v[i].code, GCA_EFRAMEWORK);
    }
    gca_errlist_release(&l);
    assert_null(l.v);
    assert_int_equal(l.n, 0);
    assert_int_equal(l.cap, 0);
    gca_errlist_release(&l); /* twice is harmless */

    /* Out of memory while growing: GCA_ENOMEM, the list is unchanged. */
    gca_err e = {0};
    gca_fail(&e, GCA_EDATA, "d", 0, 0, "x");
    gca_alloc_fail_after(1);
    int rc = gca_errlist_add(&l, &e);
    gca_alloc_fail_after(0);
    assert_int_equal(rc, GCA_ENOMEM);
    assert_int_equal(l.n, 0);
    for (int i = 0; i < 8; i++)
        assert_int_equal(gca_errlist_add(&l, &e), 0);
    gca_alloc_fail_after(1);
    rc = gca_errlist_add(&l, &e);
    gca_alloc_fail_after(0);
    assert_int_equal(rc, GCA_ENOMEM);
    assert_int_equal(l.n, 8);
    assert_string_equal(l.v[7].msg, "x");
    gca_errlist_release(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fail_fills),
        cmocka_unit_test(test_fail_truncates),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_errlist),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
