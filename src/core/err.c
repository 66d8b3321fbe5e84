/* err.c - error codes, their names and texts (one table: GCA_ERRNO_MAP in
 * gca/core.h), and the error list used by checks that report everything. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gca/core.h"
#include "core/banned.h"

const char *gca_version(void)
{
    return GCA_VERSION_STRING;
}

const char *gca_strerror(int code)
{
    switch (code) {
#define XX(name, val, text) \
    case GCA_E##name:       \
        return text;
        GCA_ERRNO_MAP(XX)
#undef XX
    case 0:
        return "no error";
    }
    return "unknown error";
}

const char *gca_err_name(int code)
{
    switch (code) {
#define XX(name, val, text) \
    case GCA_E##name:       \
        return "GCA_E" #name;
        GCA_ERRNO_MAP(XX)
#undef XX
    case 0:
        return "0";
    }
    return "GCA_E?";
}

void gca_err_clear(gca_err *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

/* Copy at most size-1 bytes and terminate; no strncpy (banned). */
static void copy_text(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

int gca__fail_at(gca_err *err, int code, const char *origin,
                 const char *source, int line, int col, const char *fmt, ...)
{
    if (!err || err->code)
        return code;
    err->code = code;
    err->origin = origin;
    err->line = line;
    err->col = col;
    copy_text(err->source, sizeof err->source, source ? source : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

void gca_err_format(const gca_err *err, char *buf, size_t size)
{
    if (!size)
        return;
    const char *msg = err->msg[0] ? err->msg : gca_strerror(err->code);
    if (err->source[0] && err->line > 0 && err->col > 0)
        snprintf(buf, size, "%s:%d:%d: %s", err->source, err->line, err->col,
                 msg);
    else if (err->source[0] && err->line > 0)
        snprintf(buf, size, "%s:%d: %s", err->source, err->line, msg);
    else if (err->source[0])
        snprintf(buf, size, "%s: %s", err->source, msg);
    else
        snprintf(buf, size, "%s", msg);
}

int gca_errlist_add(gca_errlist *l, const gca_err *e)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        gca_err *v = gca_realloc(l->v, cap * sizeof *v);
        if (!v)
            return GCA_ENOMEM;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = *e;
    return 0;
}

void gca_errlist_release(gca_errlist *l)
{
    gca_free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}
