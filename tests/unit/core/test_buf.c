/* test_buf.c - the capped string builder of src/core/buf.c: growth,
 * printf, the ceiling (GCA_ETOOBIG, sticky, nothing written past it),
 * allocation failure (GCA_ENOMEM), and the JSON / CSV / number writers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>

#include <cmocka.h>

#include "gca/core.h"
#include "core/buf.h"

/* Invariants that hold after every operation. */
static void check_sane_buf(const gca_buf *b)
{
    assert_true(b->len <= b->max);
    if (b->ptr) {
        assert_true(b->len < b->cap);
        assert_int_equal(b->ptr[b->len], '\0');
        assert_int_equal(strlen(gca_buf_str(b)), b->len);
    } else {
        assert_int_equal(b->len, 0);
        assert_int_equal(b->cap, 0);
        assert_string_equal(gca_buf_str(b), "");
    }
    assert_true(b->err == 0 || b->err == GCA_ETOOBIG ||
                b->err == GCA_ENOMEM || b->err == GCA_EINVAL);
}

static void test_empty(void **state)
{
    (void)state;
    gca_buf b = GCA_BUF_INIT(100);
    check_sane_buf(&b);
    assert_int_equal(gca_buf_error(&b), 0);
    size_t len = 99;
    char *s = gca_buf_detach(&b, &len);
    assert_non_null(s);
    assert_string_equal(s, "");
    assert_int_equal(len, 0);
    gca_free(s);
    check_sane_buf(&b);
    gca_buf_release(&b);

    gca_buf c;
    gca_buf_init(&c, 5);
    assert_int_equal(c.max, 5);
    gca_buf_add(&c, "", 0);
    check_sane_buf(&c);
    assert_int_equal(gca_buf_error(&c), 0);
    gca_buf_release(&c);
    gca_buf_release(&c); /* releasing twice is harmless */
}

static void test_growth(void **state)
{
    (void)state;
    gca_buf b = GCA_BUF_INIT(1 << 20);
    char want[5001];
    for (int i = 0; i < 5000; i++) {
        char c = (char)('a' + i % 26);
        gca_buf_putc(&b, c);
        want[i] = c;
        check_sane_buf(&b);
    }
    want[5000] = '\0';
    assert_int_equal(gca_buf_error(&b), 0);
    assert_int_equal(b.len, 5000);
    assert_string_equal(gca_buf_str(&b), want);

    /* Reset keeps the memory and the ceiling, forgets the text. */
    size_t cap = b.cap;
    gca_buf_reset(&b);
    check_sane_buf(&b);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, cap);
    assert_string_equal(gca_buf_str(&b), "");
    gca_buf_puts(&b, "xyz");
    gca_buf_add(&b, "12345", 2);
    assert_string_equal(gca_buf_str(&b), "xyz12");

    /* Embedded NUL bytes are kept; len counts them. */
    gca_buf_add(&b, "a\0b", 3);
    assert_int_equal(b.len, 8);
    assert_memory_equal(b.ptr, "xyz12a\0b", 9);

    size_t len = 0;
    char *s = gca_buf_detach(&b, &len);
    assert_int_equal(len, 8);
    assert_memory_equal(s, "xyz12a\0b", 9);
    gca_free(s);
    /* Detached: the buffer is empty again and keeps its ceiling. */
    assert_null(b.ptr);
    assert_int_equal(b.max, 1 << 20);
    gca_buf_release(&b);
}

static void test_printf(void **state)
{
    (void)state;
    gca_buf b = GCA_BUF_INIT(1 << 16);
    gca_buf_printf(&b, "%d-%s-%.2f", 42, "x", 1.5);
    check_sane_buf(&b);
    assert_string_equal(gca_buf_str(&b), "42-x-1.50");
    /* Longer than the stack scratch (256 bytes): written in place. */
    char big[1001];
    memset(big, 'q', 1000);
    big[1000] = '\0';
    gca_buf_printf(&b, "[%s]", big);
    check_sane_buf(&b);
    assert_int_equal(b.len, 9 + 1002);
    assert_int_equal(b.ptr[9], '[');
    assert_int_equal(b.ptr[9 + 1001], ']');
    assert_int_equal(b.ptr[500], 'q');
    /* Exactly 255 and 256 bytes: both sides of the scratch size. */
    for (int n = 254; n <= 258; n++) {
        gca_buf_reset(&b);
        gca_buf_printf(&b, "%.*s", n, big);
        check_sane_buf(&b);
        assert_int_equal(b.len, (size_t)n);
    }
    gca_buf_printf(&b, "%s", "");
    assert_int_equal(b.len, 258);
    assert_int_equal(gca_buf_error(&b), 0);
    gca_buf_release(&b);
}

static void test_ceiling(void **state)
{
    (void)state;
    gca_buf b = GCA_BUF_INIT(10);
    gca_buf_puts(&b, "0123456789"); /* exactly the ceiling: fine */
    check_sane_buf(&b);
    assert_int_equal(gca_buf_error(&b), 0);
    gca_buf_putc(&b, 'x');
    check_sane_buf(&b);
    assert_int_equal(gca_buf_error(&b), GCA_ETOOBIG);
    assert_string_equal(gca_buf_str(&b), "0123456789");
    /* Sticky: later appends are ignored, even ones that would fit. */
    gca_buf_add(&b, "", 0);
    gca_buf_printf(&b, "%d", 1);
    assert_int_equal(gca_buf_error(&b), GCA_ETOOBIG);
    assert_int_equal(b.len, 10);
    assert_null(gca_buf_detach(&b, NULL));
    gca_buf_release(&b);

    /* A failed append writes nothing, not a truncated part. */
    gca_buf c = GCA_BUF_INIT(8);
    gca_buf_puts(&c, "abc");
    gca_buf_puts(&c, "defghi");
    check_sane_buf(&c);
    assert_int_equal(gca_buf_error(&c), GCA_ETOOBIG);
    assert_string_equal(gca_buf_str(&c), "abc");
    /* Reset clears the error; the buffer is usable again. */
    gca_buf_reset(&c);
    assert_int_equal(gca_buf_error(&c), 0);
    gca_buf_puts(&c, "defghi");
    assert_string_equal(gca_buf_str(&c), "defghi");
    gca_buf_release(&c);

    /* printf past the ceiling, through both the small and large paths. */
    char big[600];
    memset(big, 'z', 599);
    big[599] = '\0';
    gca_buf d = GCA_BUF_INIT(300);
    gca_buf_printf(&d, "%s", big);
    check_sane_buf(&d);
    assert_int_equal(gca_buf_error(&d), GCA_ETOOBIG);
    assert_int_equal(d.len, 0);
    gca_buf_release(&d);
    gca_buf e = GCA_BUF_INIT(100);
    gca_buf_printf(&e, "%.200s", big);
    check_sane_buf(&e);
    assert_int_equal(gca_buf_error(&e), GCA_ETOOBIG);
    gca_buf_release(&e);

    /* A length so large that len + extra would wrap around. */
    gca_buf f = GCA_BUF_INIT(SIZE_MAX);
    gca_buf_puts(&f, "ab");
    gca_buf_add(&f, "", SIZE_MAX - 1);
    check_sane_buf(&f);
    assert_int_not_equal(gca_buf_error(&f), 0);
    assert_string_equal(gca_buf_str(&f), "ab");
    gca_buf_release(&f);

    /* A zero ceiling admits only the empty text. */
    gca_buf z = GCA_BUF_INIT(0);
    gca_buf_putc(&z, 'a');
    assert_int_equal(gca_buf_error(&z), GCA_ETOOBIG);
    check_sane_buf(&z);
    gca_buf_release(&z);
}

static void test_nomem(void **state)
{
    (void)state;
    gca_buf b = GCA_BUF_INIT(1 << 20);
    gca_alloc_fail_after(1);
    gca_buf_puts(&b, "abc");
    gca_alloc_fail_after(0);
    check_sane_buf(&b);
    assert_int_equal(gca_buf_error(&b), GCA_ENOMEM);
    assert_null(gca_buf_detach(&b, NULL));
    gca_buf_release(&b);

    /* Failure while growing keeps the old text intact. */
    gca_buf c = GCA_BUF_INIT(1 << 20);
    gca_buf_puts(&c, "keep");
    char big[300];
    memset(big, 'y', 299);
    big[299] = '\0';
    gca_alloc_fail_after(1);
    gca_buf_puts(&c, big);
    gca_alloc_fail_after(0);
    check_sane_buf(&c);
    assert_int_equal(gca_buf_error(&c), GCA_ENOMEM);
    assert_string_equal(gca_buf_str(&c), "keep");
    gca_buf_release(&c);

    /* Detaching an empty buffer allocates; that can fail too. */
    gca_buf d = GCA_BUF_INIT(10);
    gca_alloc_fail_after(1);
    char *s = gca_buf_detach(&d, NULL);
    gca_alloc_fail_after(0);
    assert_null(s);
    assert_int_equal(gca_buf_error(&d), GCA_ENOMEM);
    gca_buf_release(&d);
}

static void test_json_string(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"", "\"\""},
        {"abc", "\"abc\""},
        {"a\"b", "\"a\\\"b\""},
        {"a\\b", "\"a\\\\b\""},
        {"l1\nl2\r\t", "\"l1\\nl2\\r\\t\""},
        {"\x01\x1f", "\"\\u0001\\u001f\""},
        {"caf\xc3\xa9", "\"caf\xc3\xa9\""},
        {"</script>", "\"</script>\""},
    };
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        gca_buf b = GCA_BUF_INIT(1000);
        gca_buf_json_string(&b, cases[i].in);
        check_sane_buf(&b);
        assert_string_equal(gca_buf_str(&b), cases[i].want);
        gca_buf_release(&b);
    }
}

static void test_csv_field(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"", ""},
        {"abc", "abc"},
        {"a b", "a b"},
        {"a,b", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"l1\nl2", "\"l1\nl2\""},
        {"cr\r", "\"cr\r\""},
        {" lead", "\" lead\""},
        {"trail ", "\"trail \""},
        {"\"", "\"\"\"\""},
    };
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        gca_buf b = GCA_BUF_INIT(1000);
        gca_buf_csv_field(&b, cases[i].in);
        check_sane_buf(&b);
        assert_string_equal(gca_buf_str(&b), cases[i].want);
        gca_buf_release(&b);
    }
}

static void test_numbers(void **state)
{
    (void)state;
    static const struct {
        double v;
        const char *want;
    } dbl[] = {
        {0.0, "0"},
        {-0.0, "0"},
        {1.0, "1"},
        {-2.5, "-2.5"},
        {0.1, "0.10000000000000001"},
        {1e300, "1.0000000000000001e+300"},
        {INFINITY, "Inf"},
        {-INFINITY, "-Inf"},
        {NAN, "NA"},
    };
    for (size_t i = 0; i < GCA_COUNT(dbl); i++) {
        gca_buf b = GCA_BUF_INIT(100);
        gca_buf_double(&b, dbl[i].v, "NA");
        check_sane_buf(&b);
        assert_string_equal(gca_buf_str(&b), dbl[i].want);
        gca_buf_release(&b);
    }
    static const struct {
        double v;
        int dp;
        const char *want;
    } fix[] = {
        {1.0, 2, "1.00"},
        {2.345, 1, "2.3"},
        {-1.25, 1, "-1.2"},  /* binary halves round to even */
        {-0.001, 2, "0.00"}, /* no "-0.00", as R */
        {-0.0, 0, "0"},
        {-0.6, 0, "-1"},
        {12.5, 0, "12"},
        {INFINITY, 2, "Inf"},
        {-INFINITY, 2, "-Inf"},
        {NAN, 2, ""},
    };
    for (size_t i = 0; i < GCA_COUNT(fix); i++) {
        gca_buf b = GCA_BUF_INIT(100);
        gca_buf_fixed(&b, fix[i].v, fix[i].dp, "");
        check_sane_buf(&b);
        assert_string_equal(gca_buf_str(&b), fix[i].want);
        gca_buf_release(&b);
    }
    /* Too wide for the fixed scratch: exponent form, never truncated. */
    gca_buf b = GCA_BUF_INIT(100);
    gca_buf_fixed(&b, 1e300, 2, "NA");
    check_sane_buf(&b);
    assert_string_equal(gca_buf_str(&b), "1.00e+300");
    gca_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_growth),
        cmocka_unit_test(test_printf),
        cmocka_unit_test(test_ceiling),
        cmocka_unit_test(test_nomem),
        cmocka_unit_test(test_json_string),
        cmocka_unit_test(test_csv_field),
        cmocka_unit_test(test_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
