/* fuzz_route.c - libFuzzer harness for what gca serve does with a
 * request's path before any handler runs (src/http/routes.c): the
 * percent-decoding and the route table lookup. Checks: decoding never
 * grows the text or makes a NUL; a route found has the method asked,
 * as many parts as its pattern has {names}, each a non-empty segment of
 * the path without '/'; a path with an empty, "." or ".." segment only
 * ever reaches a route through a {name} part. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static void fail(const char *what, const char *path)
{
    fprintf(stderr, "fuzz_route: %s: '%s'\n", what, path);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *path = malloc(size + 1), *scratch = malloc(size + 1);
    if (!path || !scratch) {
        free(path);
        free(scratch);
        return 0;
    }
    memcpy(path, data, size);
    path[size] = '\0';
    size_t before = strlen(path);
    size_t n = http_unescape(path);
    if (n > before || strlen(path) != n)
        fail("decoding grew the text or made a NUL", path);
    static const char *const methods[] = {"GET", "POST", "PUT", "DELETE"};
    for (size_t m = 0; m < 4; m++) {
        const char *params[HTTP_MAX_PARAMS] = {0};
        int known = 0;
        const http_route *r =
            http_route_find(methods[m], path, scratch, params, &known);
        if (!r)
            continue;
        if (strcmp(r->method, methods[m]))
            fail("a route of another method", path);
        size_t want = 0;
        for (const char *p = r->path; (p = strchr(p, '{')); p++)
            want++;
        for (size_t k = 0; k < want; k++)
            if (!params[k] || !*params[k] || strchr(params[k], '/') ||
                params[k] < scratch || params[k] > scratch + size)
                fail("a {name} part that is not a segment", path);
        if (!want && (strstr(path, "//") || strstr(path, "/./") ||
                      strstr(path, "/../")))
            fail("a fixed route for a path with an odd segment", path);
    }
    free(path);
    free(scratch);
    return 0;
}
