/* str.c - slices and strict cell parsers (see str.h). */
#include "core/str.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gca/core.h"
#include "gca/model.h"
#include "core/banned.h"

bool gca_str_eq(gca_str a, const char *b)
{
    size_t n = strlen(b);
    return a.len == n && memcmp(a.ptr, b, n) == 0;
}

gca_str gca_str_trim(gca_str s)
{
    while (s.len && (s.ptr[0] == ' ' || s.ptr[0] == '\t')) {
        s.ptr++;
        s.len--;
    }
    while (s.len && (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t'))
        s.len--;
    return s;
}

bool gca_is_na(gca_str s)
{
    s = gca_str_trim(s);
    return s.len == 0 || gca_str_eq(s, "NA");
}

static size_t digits(const char *p, const char *end)
{
    const char *q = p;
    while (q < end && *q >= '0' && *q <= '9')
        q++;
    return (size_t)(q - p);
}

bool gca_parse_double(gca_str s, double *out)
{
    s = gca_str_trim(s);
    const char *p = s.ptr, *end = s.ptr + s.len;
    if (p == end)
        return false;
    bool neg = false;
    if (*p == '+' || *p == '-') {
        neg = *p == '-';
        p++;
    }
    gca_str rest = {p, (size_t)(end - p)};
    if (gca_str_eq(rest, "Inf")) {
        *out = neg ? -INFINITY : INFINITY;
        return true;
    }
    size_t ni = digits(p, end);
    p += ni;
    size_t nf = 0;
    if (p < end && *p == '.') {
        p++;
        nf = digits(p, end);
        p += nf;
    }
    if (ni + nf == 0)
        return false;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        size_t ne = digits(p, end);
        if (!ne)
            return false;
        p += ne;
    }
    if (p != end)
        return false;
    /* The syntax is checked; strtod needs a terminated copy. */
    char tmp[128];
    char *heap = NULL;
    char *c = tmp;
    if (s.len >= sizeof tmp) {
        heap = gca_malloc(s.len + 1);
        if (!heap)
            return false;
        c = heap;
    }
    memcpy(c, s.ptr, s.len);
    c[s.len] = '\0';
    errno = 0;
    char *e = NULL;
    double v = strtod(c, &e);
    bool ok = e == c + s.len;
    gca_free(heap);
    /* Overflow gives ±HUGE_VAL = ±Inf, as R reads such numbers; underflow
     * gives a denormal or 0, also as R. */
    if (ok)
        *out = v;
    return ok;
}

bool gca_parse_int(gca_str s, long min, long max, long *out)
{
    double v;
    if (!gca_parse_double(s, &v) || !isfinite(v) || v != floor(v) ||
        v < (double)min || v > (double)max)
        return false;
    *out = (long)v;
    return true;
}

const char *gca_code_problem(const char *s)
{
    size_t n = strlen(s);
    if (n == 0)
        return "is empty";
    if (n > GCA_MAX_CODE)
        return "is longer than 128 bytes";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == ' ' || *p == '\t')
            return "contains a space";
        if (*p < 0x20 || *p == 0x7f)
            return "contains a control character";
    }
    if (gca_utf8_valid_prefix(s, n) != n)
        return "is not valid UTF-8";
    /* Checked last: unit codes may start with a digit (see dataset.c). */
    if (s[0] >= '0' && s[0] <= '9')
        return GCA_CODE_DIGIT;
    return NULL;
}

size_t gca_utf8_valid_prefix(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned c = p[i];
        size_t n;
        unsigned min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            n = 2;
            min = 0x80;
            c &= 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            n = 3;
            min = 0x800;
            c &= 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            n = 4;
            min = 0x10000;
            c &= 0x07;
        } else {
            return i;
        }
        if (len - i < n)
            return i;
        for (size_t k = 1; k < n; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                return i;
            c = (c << 6) | (p[i + k] & 0x3f);
        }
        if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
            return i;
        i += n;
    }
    return i;
}

int gca_utf8_column(const char *line_start, size_t off)
{
    int col = 1;
    for (size_t i = 0; i < off; i++)
        if (((unsigned char)line_start[i] & 0xc0) != 0x80)
            col++;
    return col;
}

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int gca_date_problem(const char *d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30,
                                31, 31, 30, 31, 30, 31};
    if (strlen(d) != 10 || d[4] != '-' || d[7] != '-')
        return GCA_DATE_FORMAT;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
            return GCA_DATE_FORMAT;
    int y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 +
            (d[3] - '0');
    int m = (d[5] - '0') * 10 + (d[6] - '0');
    int day = (d[8] - '0') * 10 + (d[9] - '0');
    if (y < 1900 || m < 1 || m > 12 || day < 1 ||
        day > mdays[m - 1] + (m == 2 && leap(y)))
        return GCA_DATE_NO_DAY;
    return 0;
}

bool gca_prefix_nocase(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++) {
        char c = *s;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != *prefix)
            return false;
    }
    return true;
}

static int fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

int gca_str_collate(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a;
    const unsigned char *y = (const unsigned char *)b;
    size_t i = 0;
    for (; x[i] && fold(x[i]) == fold(y[i]); i++)
        ;
    if (x[i] != y[i] && fold(x[i]) != fold(y[i]))
        return fold(x[i]) - fold(y[i]);
    for (i = 0; x[i] || y[i]; i++)
        if (x[i] != y[i])
            return y[i] - x[i]; /* 'a' (97) before 'A' (65) */
    return 0;
}
