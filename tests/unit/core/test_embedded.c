/* test_embedded.c - the files built into the library are the source
 * tree's files, byte for byte, and can be found by path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/embedded.h"
#include "testutil.h"

static char *slurp(const char *rel, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", GCA_TEST_ROOT, rel);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

static void test_same_bytes(void **state)
{
    (void)state;
    assert_true(gca__embedded_nfiles >= 3);
    for (size_t i = 0; i < gca__embedded_nfiles; i++) {
        const gca__blob *b = &gca__embedded_files[i];
        size_t len;
        char *want = slurp(b->name, &len);
        assert_int_equal(b->len, len);
        assert_memory_equal(b->data, want, len);
        assert_int_equal(b->data[len], '\0');
        assert_ptr_equal(gca__embedded(b->name), b);
        free(want);
    }
    assert_null(gca__embedded_files[gca__embedded_nfiles].name);
}

static void test_lookup(void **state)
{
    (void)state;
    assert_non_null(gca__embedded("data/frameworks/gci.json"));
    assert_non_null(gca__embedded("data/published/gci2020.csv"));
    assert_null(gca__embedded("data/frameworks/none.json"));
    assert_null(gca__embedded(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_bytes),
        cmocka_unit_test(test_lookup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
