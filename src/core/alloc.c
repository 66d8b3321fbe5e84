/* alloc.c - the library's allocator, with failure injection for tests
 * (gca_alloc_fail_after): every path must survive a failed allocation. */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gca/core.h"
#include "core/arena.h"
#include "core/banned.h"

/* Allocations counted since the last gca_alloc_fail_after() call, and the
 * number at which failures start (0 = never). Atomic because the server
 * allocates from several threads. */
static atomic_long alloc_count;
static atomic_long alloc_fail_at;

long gca_alloc_fail_after(long n)
{
    long made = atomic_exchange_explicit(&alloc_count, 0,
                                         memory_order_relaxed);
    atomic_store_explicit(&alloc_fail_at, n, memory_order_relaxed);
    return made;
}

static int should_fail(void)
{
    long at = atomic_load_explicit(&alloc_fail_at, memory_order_relaxed);
    long n = atomic_fetch_add_explicit(&alloc_count, 1,
                                       memory_order_relaxed) + 1;
    return at > 0 && n >= at;
}

int gca__alloc_injecting(void)
{
    return atomic_load_explicit(&alloc_fail_at, memory_order_relaxed) > 0;
}

void *gca_malloc(size_t size)
{
    if (should_fail())
        return NULL;
    return malloc(size ? size : 1);
}

void *gca_calloc(size_t n, size_t size)
{
    if (should_fail())
        return NULL;
    /* Checked here, not left to calloc: sanitizer builds abort on it. */
    if (size && n > SIZE_MAX / size)
        return NULL;
    return calloc(n ? n : 1, size ? size : 1);
}

void *gca_realloc(void *ptr, size_t size)
{
    if (should_fail())
        return NULL;
    return realloc(ptr, size ? size : 1);
}

void gca_free(void *ptr)
{
    free(ptr);
}

char *gca_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = gca_malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}
