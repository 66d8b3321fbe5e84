/* test_alloc.c - the library allocator of src/core/alloc.c: zero sizes,
 * calloc's overflow check on n * size, strdup, and the failure-injection
 * hook gca_alloc_fail_after that the other tests rely on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gca/core.h"

static void test_basic(void **state)
{
    (void)state;
    /* Size 0 still gives a pointer that can be freed (never "maybe
     * NULL"), so NULL always means out of memory. */
    void *p = gca_malloc(0);
    assert_non_null(p);
    gca_free(p);
    p = gca_calloc(0, 8);
    assert_non_null(p);
    gca_free(p);
    p = gca_calloc(8, 0);
    assert_non_null(p);
    gca_free(p);

    unsigned char *z = gca_calloc(100, 3);
    assert_non_null(z);
    for (int i = 0; i < 300; i++)
        assert_int_equal(z[i], 0);
    z = gca_realloc(z, 1000);
    assert_non_null(z);
    for (int i = 0; i < 300; i++)
        assert_int_equal(z[i], 0); /* contents kept */
    z = gca_realloc(z, 0);
    assert_non_null(z);
    gca_free(z);
    p = gca_realloc(NULL, 16);
    assert_non_null(p);
    gca_free(p);
    gca_free(NULL);
}

static void test_calloc_overflow(void **state)
{
    (void)state;
    static const struct {
        size_t n, size;
    } over[] = {
        {SIZE_MAX, 2},
        {2, SIZE_MAX},
        {SIZE_MAX / 8 + 1, 8},
        {(size_t)1 << (sizeof(size_t) * 4), (size_t)1 << (sizeof(size_t) * 4)},
    };
    for (size_t i = 0; i < GCA_COUNT(over); i++)
        assert_null(gca_calloc(over[i].n, over[i].size));
}

static void test_strdup(void **state)
{
    (void)state;
    assert_null(gca_strdup(NULL));
    char *s = gca_strdup("");
    assert_string_equal(s, "");
    gca_free(s);
    const char *src = "caf\xc3\xa9 LEG.1";
    s = gca_strdup(src);
    assert_string_equal(s, src);
    assert_ptr_not_equal(s, src);
    gca_free(s);
    gca_alloc_fail_after(1);
    s = gca_strdup("x");
    gca_alloc_fail_after(0);
    assert_null(s);
}

static void test_fail_after(void **state)
{
    (void)state;
    /* Allocation n and every later one fail; earlier ones succeed. */
    gca_alloc_fail_after(3);
    void *a = gca_malloc(8);
    void *b = gca_calloc(1, 8);
    void *c = gca_malloc(8);
    void *d = gca_realloc(NULL, 8);
    void *e = gca_calloc(1, 8);
    long made = gca_alloc_fail_after(0);
    assert_non_null(a);
    assert_non_null(b);
    assert_null(c);
    assert_null(d);
    assert_null(e);
    /* The count includes the failed attempts. */
    assert_int_equal(made, 5);

    /* A failed realloc leaves the old block alone. */
    char *keep = gca_malloc(4);
    assert_non_null(keep);
    memcpy(keep, "abc", 4);
    gca_alloc_fail_after(1);
    char *grown = gca_realloc(keep, 1 << 20);
    gca_alloc_fail_after(0);
    assert_null(grown);
    assert_string_equal(keep, "abc");
    gca_free(keep);

    /* Off again: allocations succeed and are counted from the last call;
     * gca_free is not an allocation. */
    gca_alloc_fail_after(0);
    void *x = gca_malloc(1);
    assert_non_null(x);
    gca_free(x);
    void *y = gca_malloc(1);
    assert_non_null(y);
    gca_free(y);
    assert_int_equal(gca_alloc_fail_after(0), 2);
    gca_free(a);
    gca_free(b);

    /* Failing from the first allocation. */
    gca_alloc_fail_after(1);
    void *f = gca_malloc(1);
    gca_alloc_fail_after(0);
    assert_null(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_calloc_overflow),
        cmocka_unit_test(test_strdup),
        cmocka_unit_test(test_fail_after),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
