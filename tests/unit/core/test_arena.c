/* test_arena.c - the bump allocator of src/core/arena.c: zeroed 16-byte
 * aligned blocks, blocks larger than a chunk, overflow of n * size and of
 * the rounding, out of memory, reset and release. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gca/core.h"
#include "core/arena.h"

static int aligned16(const void *p)
{
    return ((uintptr_t)p & 15) == 0;
}

/* Every byte of p[0..n) is zero. */
static int all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

static void test_alloc(void **state)
{
    (void)state;
    gca_arena a = GCA_ARENA_INIT(1024);
    static const size_t sizes[] = {0, 1, 7, 15, 16, 17, 31, 33, 100, 500};
    unsigned char *prev = NULL;
    size_t prev_len = 0;
    for (int round = 0; round < 20; round++) {
        for (size_t i = 0; i < GCA_COUNT(sizes); i++) {
            unsigned char *p = gca_arena_alloc(&a, sizes[i]);
            assert_non_null(p);
            assert_true(aligned16(p));
            assert_true(all_zero(p, sizes[i]));
            /* Fill it: the next block must not overlap this one. */
            memset(p, 0xab, sizes[i]);
            if (prev && prev_len) {
                /* The previous block is still intact. */
                for (size_t k = 0; k < prev_len; k++)
                    assert_int_equal(prev[k], 0xab);
            }
            prev = p;
            prev_len = sizes[i];
        }
    }
    /* Each size rounded up to 16, and 0 counted as 16. */
    assert_int_equal(a.used, 20 * 816);
    gca_arena_release(&a);
    assert_null(a.head);
    assert_int_equal(a.used, 0);
    gca_arena_release(&a); /* twice is harmless */
}

/* Blocks handed out never overlap, across chunk boundaries too. */
static void test_no_overlap(void **state)
{
    (void)state;
    gca_arena a;
    gca_arena_init(&a, 256);
    unsigned char *blk[200];
    size_t len[200];
    for (size_t i = 0; i < 200; i++) {
        len[i] = 1 + (i * 37) % 300; /* some larger than a chunk */
        blk[i] = gca_arena_alloc(&a, len[i]);
        assert_non_null(blk[i]);
        assert_true(aligned16(blk[i]));
        assert_true(all_zero(blk[i], len[i]));
        memset(blk[i], (int)(i & 0xff), len[i]);
    }
    for (size_t i = 0; i < 200; i++)
        for (size_t k = 0; k < len[i]; k++)
            assert_int_equal(blk[i][k], (unsigned char)(i & 0xff));
    gca_arena_release(&a);
}

static void test_large(void **state)
{
    (void)state;
    gca_arena a = GCA_ARENA_INIT(4096);
    char *small = gca_arena_alloc(&a, 10);
    assert_non_null(small);
    memcpy(small, "before", 7);
    /* Much larger than a chunk: gets a chunk of its own. */
    size_t big_n = 1 << 20;
    unsigned char *big = gca_arena_alloc(&a, big_n);
    assert_non_null(big);
    assert_true(aligned16(big));
    assert_true(all_zero(big, big_n));
    memset(big, 0x5a, big_n);
    /* The first chunk's free space is still used after the big block. */
    char *after = gca_arena_alloc(&a, 10);
    assert_non_null(after);
    assert_true(after > small && after < small + 4096);
    assert_string_equal(small, "before");
    assert_int_equal(big[big_n - 1], 0x5a);
    gca_arena_release(&a);

    /* A zero chunk size means the default, not zero-sized chunks. */
    gca_arena b;
    gca_arena_init(&b, 0);
    assert_true(b.chunk_size > 0);
    void *p = gca_arena_alloc(&b, 1);
    void *q = gca_arena_alloc(&b, 1);
    assert_non_null(p);
    assert_non_null(q);
    assert_ptr_not_equal(p, q);
    gca_arena_release(&b);
}

static void test_array(void **state)
{
    (void)state;
    gca_arena a = GCA_ARENA_INIT(1024);
    double *d = gca_arena_array(&a, 100, sizeof *d);
    assert_non_null(d);
    assert_true(aligned16(d));
    for (int i = 0; i < 100; i++)
        assert_true(d[i] == 0.0);
    assert_non_null(gca_arena_array(&a, 0, 8));
    assert_non_null(gca_arena_array(&a, 8, 0));
    /* n * size would wrap: refused, not a small block. */
    static const struct {
        size_t n, size;
    } over[] = {
        {SIZE_MAX, 2},
        {SIZE_MAX / 2 + 1, 2},
        {(SIZE_MAX >> 4) + 1, 16},
        {2, SIZE_MAX},
        {(size_t)1 << (sizeof(size_t) * 4), (size_t)1 << (sizeof(size_t) * 4)},
        /* The product fits, the rounding to 16 would wrap. */
        {SIZE_MAX - 3, 1},
        {1, SIZE_MAX},
    };
    for (size_t i = 0; i < GCA_COUNT(over); i++)
        assert_null(gca_arena_array(&a, over[i].n, over[i].size));
    assert_null(gca_arena_alloc(&a, SIZE_MAX));
    assert_null(gca_arena_alloc(&a, SIZE_MAX - 14));
    /* The arena still works after refusals. */
    assert_non_null(gca_arena_alloc(&a, 8));
    gca_arena_release(&a);
}

static void test_strdup(void **state)
{
    (void)state;
    gca_arena a = GCA_ARENA_INIT(64);
    char *s = gca_arena_strdup(&a, "hello");
    assert_string_equal(s, "hello");
    assert_null(gca_arena_strdup(&a, NULL));
    assert_null(gca_arena_strndup(&a, NULL, 3));
    char *t = gca_arena_strndup(&a, "abcdef", 3);
    assert_string_equal(t, "abc");
    char *e = gca_arena_strndup(&a, "x", 0);
    assert_string_equal(e, "");
    char longer[200];
    memset(longer, 'L', 199);
    longer[199] = '\0';
    char *l = gca_arena_strdup(&a, longer); /* longer than a chunk */
    assert_string_equal(l, longer);
    assert_string_equal(s, "hello");
    gca_arena_release(&a);
}

static void test_nomem(void **state)
{
    (void)state;
    gca_arena a = GCA_ARENA_INIT(128);
    gca_alloc_fail_after(1);
    void *p = gca_arena_alloc(&a, 8);
    char *s = gca_arena_strdup(&a, "x");
    gca_alloc_fail_after(0);
    assert_null(p);
    assert_null(s);
    assert_null(a.head);
    /* Space left in an existing chunk needs no allocation. */
    assert_non_null(gca_arena_alloc(&a, 8));
    gca_alloc_fail_after(1);
    p = gca_arena_alloc(&a, 8);
    void *big = gca_arena_alloc(&a, 1000);
    gca_alloc_fail_after(0);
    assert_non_null(p);
    assert_null(big);
    gca_arena_release(&a);
}

static void test_reset(void **state)
{
    (void)state;
    gca_arena a = GCA_ARENA_INIT(256);
    gca_arena_reset(&a); /* empty: nothing to do */
    assert_null(a.head);
    for (int i = 0; i < 50; i++)
        assert_non_null(gca_arena_alloc(&a, 100));
    assert_non_null(gca_arena_alloc(&a, 5000));
    gca_arena_reset(&a);
    assert_non_null(a.head);
    assert_int_equal(a.used, 0);
    /* The largest chunk is kept: a run of the same shape as the big
     * block needs no new allocation. */
    gca_alloc_fail_after(1);
    unsigned char *p = gca_arena_alloc(&a, 5000);
    gca_alloc_fail_after(0);
    assert_non_null(p);
    /* Reused memory is zeroed again. */
    assert_true(all_zero(p, 5000));
    gca_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc),
        cmocka_unit_test(test_no_overlap),
        cmocka_unit_test(test_large),
        cmocka_unit_test(test_array),
        cmocka_unit_test(test_strdup),
        cmocka_unit_test(test_nomem),
        cmocka_unit_test(test_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
