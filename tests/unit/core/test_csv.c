/* test_csv.c - the RFC 4180 reader: well-formed input, every accepted
 * variant (BOM, CRLF, CR, blank lines, quoted line ends) and every class
 * of bad input with its position. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/csv.h"

static void test_basic(void **state)
{
    (void)state;
    gca_csv c;
    gca_err err = {0};
    const char *in = "a,b,c\n1,\"x,y\",\"he said \"\"hi\"\"\"\n";
    assert_int_equal(gca_csv_parse(in, strlen(in), "t.csv", 100, 100, &c,
                                   &err), 0);
    assert_int_equal(c.nrow, 1);
    assert_int_equal(c.ncol, 3);
    assert_string_equal(GCA_CSV_CELL(&c, 1, 1)->text.ptr, "x,y");
    assert_string_equal(GCA_CSV_CELL(&c, 1, 2)->text.ptr, "he said \"hi\"");
    assert_int_equal(GCA_CSV_CELL(&c, 1, 2)->col, 9);
    gca_csv_release(&c);
}

static void test_variants(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "\xEF\xBB\xBF" "a,b\r\n1,2\r\n",
        "a,b\r1,2\r",
        "a,b\n\n1,2\n\n\n",
        "a,b\n1,2",
        "a,b\n\"1\n1\",2\n",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        gca_csv c;
        gca_err err = {0};
        assert_int_equal(gca_csv_parse(ok[i], strlen(ok[i]), "t", 100, 100,
                                       &c, &err), 0);
        assert_int_equal(c.nrow, 1);
        assert_int_equal(c.ncol, 2);
        assert_string_equal(GCA_CSV_CELL(&c, 0, 0)->text.ptr, "a");
        gca_csv_release(&c);
    }
}

static void test_bad(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        size_t len;
        int line, col;
        const char *msg;
    } bad[] = {
        {"", 0, 0, 0, "empty file"},
        {"\n\n", 2, 0, 0, "empty file"},
        {"a,b\n1,2,3\n", 10, 2, 5, "more fields"},
        {"a,b\n1\n", 6, 2, 2, "row has 1 fields"},
        {"a,b\n\"1,2\n", 9, 2, 1, "unterminated"},
        {"a,b\n\"1\"x,2\n", 11, 2, 4, "after closing quote"},
        {"a,b\n1\"1,2\n", 10, 2, 2, "quote inside"},
        {"a,b\n1\0,2\n", 9, 2, 2, "NUL"},
        {"a,b\n\xff,2\n", 8, 2, 1, "UTF-8"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gca_csv c;
        gca_err err = {0};
        assert_true(gca_csv_parse(bad[i].in, bad[i].len, "t.csv", 100, 100,
                                  &c, &err) < 0);
        assert_int_equal(err.code, GCA_EPARSE);
        assert_int_equal(err.line, bad[i].line);
        assert_int_equal(err.col, bad[i].col);
        assert_non_null(strstr(err.msg, bad[i].msg));
        assert_null(c.cells);
    }
}

static void test_limits(void **state)
{
    (void)state;
    gca_csv c;
    gca_err err = {0};
    assert_int_equal(gca_csv_parse("a,b,c\n", 6, "t", 10, 2, &c, &err),
                     GCA_ETOOBIG);
    gca_err_clear(&err);
    assert_int_equal(gca_csv_parse("a\n1\n2\n3\n", 8, "t", 2, 2, &c, &err),
                     GCA_ETOOBIG);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    const char *in = "a,b\n1,2\n";
    for (long n = 1; n < 10; n++) {
        gca_csv c;
        gca_err err = {0};
        gca_alloc_fail_after(n);
        int rc = gca_csv_parse(in, strlen(in), "t", 100, 100, &c, &err);
        gca_alloc_fail_after(0);
        if (rc == 0) {
            gca_csv_release(&c);
            break;
        }
        assert_int_equal(rc, GCA_ENOMEM);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_variants),
        cmocka_unit_test(test_bad),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
