/* gca/core.h - errors, memory and version: what every other part of the
 * public API relies on. Error conventions: docs/method.md#errors and
 * the "Errors" section of DESIGN.md. */
#ifndef GCA_CORE_H
#define GCA_CORE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(GCA_BUILDING_SHARED) && defined(__GNUC__)
#define GCA_API __attribute__((visibility("default")))
#else
#define GCA_API
#endif

#if defined(__GNUC__)
#define GCA_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define GCA_PRINTF(fmt, args)
#endif

#define GCA_VERSION_MAJOR 0
#define GCA_VERSION_MINOR 1
#define GCA_VERSION_PATCH 0
#define GCA_VERSION_STRING "0.1.0"

/* Returns GCA_VERSION_STRING of the library actually linked. */
GCA_API const char *gca_version(void);

/* ====== Errors ====== */

/* One table generates the codes, gca_strerror() and gca_err_name(). */
#define GCA_ERRNO_MAP(XX)                                         \
    XX(NOMEM, -1, "out of memory")                                \
    XX(PARSE, -2, "malformed input")                              \
    XX(INVAL, -3, "invalid argument")                             \
    XX(IO, -4, "input/output error")                              \
    XX(TOOBIG, -5, "input too large")                             \
    XX(NOTFOUND, -6, "not found")                                 \
    XX(FRAMEWORK, -7, "framework violates a rule")                \
    XX(DATA, -8, "data do not fit the framework")                 \
    XX(METHOD, -9, "method cannot be applied")                    \
    XX(NOTSUP, -10, "not supported by this build")                \
    XX(INTERNAL, -11, "internal error")                           \
    XX(PERM, -12, "not permitted for this user")                  \
    XX(STATE, -13, "not allowed in the current state")

enum gca_errno {
#define GCA__ERR_ENUM(name, val, text) GCA_E##name = (val),
    GCA_ERRNO_MAP(GCA__ERR_ENUM)
#undef GCA__ERR_ENUM
};

/* What went wrong, where. Filled by the library, shown by the front ends
 * as "source:line:col: msg". Zero-initialise before use. */
typedef struct gca_err {
    int code;           /* GCA_E*, 0 = no error */
    int line, col;      /* 1-based position in `source`, 0 = none */
    char source[256];   /* input file or field path, "" = none */
    char msg[512];      /* what is wrong */
    const char *origin; /* "src/core/csv.c:212", shown with --verbose */
} gca_err;

/* Static text for an error code ("out of memory"); "unknown error" for
 * codes not in the table. */
GCA_API const char *gca_strerror(int code);
/* Static symbolic name for an error code ("GCA_ENOMEM"). */
GCA_API const char *gca_err_name(int code);

/* Fill `err` (if not NULL) and return `code`. `source` may be NULL.
 * The first error wins: an err that already holds one is left alone, so
 * that a low-level message is not overwritten on the way up. */
GCA_API int gca__fail_at(gca_err *err, int code, const char *origin,
                         const char *source, int line, int col,
                         const char *fmt, ...) GCA_PRINTF(7, 8);
#define GCA__STR2(x) #x
#define GCA__STR(x) GCA__STR2(x)
#define gca_fail(err, code, source, line, col, ...)                     \
    gca__fail_at((err), (code), __FILE__ ":" GCA__STR(__LINE__), (source), \
                 (line), (col), __VA_ARGS__)

/* Reset `err` to "no error". */
GCA_API void gca_err_clear(gca_err *err);

/* Format `err` as "source:line:col: msg" (parts that are empty are left
 * out) into `buf` of `size` bytes; always NUL-terminated. */
GCA_API void gca_err_format(const gca_err *err, char *buf, size_t size);

/* A list of errors, for checks that report every violation rather than
 * the first (framework validation, `gca validate`). */
typedef struct gca_errlist {
    gca_err *v;
    size_t n, cap;
} gca_errlist;
#define GCA_ERRLIST_INIT {NULL, 0, 0}
/* Append a copy of `e`. Returns 0 or GCA_ENOMEM. */
GCA_API int gca_errlist_add(gca_errlist *l, const gca_err *e);
GCA_API void gca_errlist_release(gca_errlist *l);

/* ====== Memory ====== */

/* The library allocates through these; they return NULL on failure and
 * never exit. gca_free(NULL) is a no-op. */
GCA_API void *gca_malloc(size_t size);
GCA_API void *gca_calloc(size_t n, size_t size);
GCA_API void *gca_realloc(void *ptr, size_t size);
GCA_API void gca_free(void *ptr);
/* New copy of `s` (NULL if `s` is NULL or memory runs out). */
GCA_API char *gca_strdup(const char *s);

/* Test hook: make allocation number `n` (counting from the call, 1-based)
 * and every later one fail; n = 0 switches failure injection off.
 * Returns the number of allocations made since the previous call. */
GCA_API long gca_alloc_fail_after(long n);

#define GCA_COUNT(a) (sizeof(a) / sizeof((a)[0]))

#ifdef __cplusplus
}
#endif
#endif
