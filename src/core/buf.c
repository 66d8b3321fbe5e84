/* buf.c - capped, sticky-error string builder (see buf.h). */
#include "core/buf.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

void gca_buf_init(gca_buf *b, size_t max)
{
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
    b->err = 0;
}

void gca_buf_release(gca_buf *b)
{
    gca_free(b->ptr);
    gca_buf_init(b, b->max);
}

void gca_buf_reset(gca_buf *b)
{
    b->len = 0;
    b->err = 0;
    if (b->ptr)
        b->ptr[0] = '\0';
}

const char *gca_buf_str(const gca_buf *b)
{
    return b->ptr ? b->ptr : "";
}

int gca_buf_error(const gca_buf *b)
{
    return b->err;
}

/* Make room for `extra` more bytes plus the NUL. */
static int grow(gca_buf *b, size_t extra)
{
    if (b->err)
        return -1;
    if (extra > b->max || b->len > b->max - extra) {
        b->err = GCA_ETOOBIG;
        return -1;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = gca_realloc(b->ptr, cap);
    if (!p) {
        b->err = GCA_ENOMEM;
        return -1;
    }
    b->ptr = p;
    b->cap = cap;
    return 0;
}

void gca_buf_add(gca_buf *b, const void *data, size_t len)
{
    if (grow(b, len) < 0)
        return;
    if (len)
        memcpy(b->ptr + b->len, data, len);
    b->len += len;
    b->ptr[b->len] = '\0';
}

void gca_buf_puts(gca_buf *b, const char *s)
{
    gca_buf_add(b, s, strlen(s));
}

void gca_buf_putc(gca_buf *b, char c)
{
    gca_buf_add(b, &c, 1);
}

void gca_buf_vprintf(gca_buf *b, const char *fmt, va_list ap)
{
    char small[256];
    va_list ap2;

    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        b->err = b->err ? b->err : GCA_EINVAL;
        return;
    }
    if ((size_t)n < sizeof small) {
        gca_buf_add(b, small, (size_t)n);
        return;
    }
    if (grow(b, (size_t)n) < 0)
        return;
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void gca_buf_printf(gca_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gca_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void gca_buf_json_string(gca_buf *b, const char *s)
{
    gca_buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            gca_buf_puts(b, "\\\"");
            break;
        case '\\':
            gca_buf_puts(b, "\\\\");
            break;
        case '\n':
            gca_buf_puts(b, "\\n");
            break;
        case '\r':
            gca_buf_puts(b, "\\r");
            break;
        case '\t':
            gca_buf_puts(b, "\\t");
            break;
        default:
            if (*p < 0x20)
                gca_buf_printf(b, "\\u%04x", *p);
            else
                gca_buf_putc(b, (char)*p);
        }
    }
    gca_buf_putc(b, '"');
}

void gca_buf_csv_field(gca_buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n") && s[0] != ' ' &&
        (s[0] == '\0' || s[strlen(s) - 1] != ' ')) {
        gca_buf_puts(b, s);
        return;
    }
    gca_buf_putc(b, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            gca_buf_putc(b, '"');
        gca_buf_putc(b, *p);
    }
    gca_buf_putc(b, '"');
}

void gca_buf_double(gca_buf *b, double v, const char *na)
{
    if (isnan(v))
        gca_buf_puts(b, na);
    else if (isinf(v))
        gca_buf_puts(b, v > 0 ? "Inf" : "-Inf");
    else if (v == 0)
        gca_buf_puts(b, "0"); /* no "-0" */
    else
        gca_buf_printf(b, "%.17g", v);
}

void gca_buf_fixed(gca_buf *b, double v, int dp, const char *na)
{
    if (isnan(v)) {
        gca_buf_puts(b, na);
        return;
    }
    if (isinf(v)) {
        gca_buf_puts(b, v > 0 ? "Inf" : "-Inf");
        return;
    }
    char tmp[64];
    int n = snprintf(tmp, sizeof tmp, "%.*f", dp, v);
    if (n < 0 || (size_t)n >= sizeof tmp) {
        gca_buf_printf(b, "%.*e", dp, v);
        return;
    }
    /* A negative value that rounds to zero prints as 0, as R does. */
    const char *p = tmp;
    if (tmp[0] == '-' && strspn(tmp + 1, "0.") == (size_t)n - 1)
        p++;
    gca_buf_puts(b, p);
}

char *gca_buf_detach(gca_buf *b, size_t *len)
{
    if (b->err)
        return NULL;
    if (!b->ptr && grow(b, 0) < 0)
        return NULL;
    b->ptr[b->len] = '\0';
    char *p = b->ptr;
    if (len)
        *len = b->len;
    gca_buf_init(b, b->max);
    return p;
}

void gca_buf_html(gca_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': gca_buf_puts(b, "&amp;"); break;
        case '<': gca_buf_puts(b, "&lt;"); break;
        case '>': gca_buf_puts(b, "&gt;"); break;
        case '"': gca_buf_puts(b, "&quot;"); break;
        case '\'': gca_buf_puts(b, "&#39;"); break;
        default: gca_buf_putc(b, *s);
        }
    }
}
