/* mime.c - content sniffing for evidence files (mime.h): magic numbers
 * of the accepted document and image formats, refusal of executables,
 * and a strict test for plain text. The list is docs/evidence.md,
 * "File types"; magic numbers as in the WHATWG MIME Sniffing Standard
 * (https://mimesniff.spec.whatwg.org/) and each format's specification. */
#include "core/mime.h"

#include <string.h>

#include "core/str.h"

#include "core/banned.h"

static int starts(const unsigned char *p, size_t n, const char *magic,
                  size_t len)
{
    return n >= len && !memcmp(p, magic, len);
}
#define STARTS(p, n, lit) starts((p), (n), (lit), sizeof(lit) - 1)

/* ====== Refused: programs ====== */

/* The description of executable content, NULL if it is none. */
static const char *executable(const unsigned char *p, size_t n)
{
    if (STARTS(p, n, "\x7f" "ELF"))
        return "ELF executable";
    if (STARTS(p, n, "MZ"))
        return "Windows executable";
    if (STARTS(p, n, "\xfe\xed\xfa\xce") || STARTS(p, n, "\xfe\xed\xfa\xcf") ||
        STARTS(p, n, "\xce\xfa\xed\xfe") || STARTS(p, n, "\xcf\xfa\xed\xfe"))
        return "Mach-O executable";
    /* Mach-O universal binary, and Java class files, share this one. */
    if (STARTS(p, n, "\xca\xfe\xba\xbe"))
        return "Mach-O universal binary or Java class";
    if (STARTS(p, n, "#!"))
        return "script";
    return NULL;
}

/* ====== ZIP containers ====== */

static unsigned le16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static unsigned long le32(const unsigned char *p)
{
    return (unsigned long)le16(p) | (unsigned long)le16(p + 2) << 16;
}

/* 1 if `name` occurs in p[0..n). */
static int contains(const unsigned char *p, size_t n, const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; len <= n && i <= n - len; i++)
        if (p[i] == (unsigned char)name[0] && !memcmp(p + i, name, len))
            return 1;
    return 0;
}

/* ODF: the first entry is "mimetype", stored uncompressed, and holds the
 * type (ODF 1.2 part 3, 3.3). Only the types listed are reported. */
static const char *odf_type(const unsigned char *p, size_t n, size_t off,
                            unsigned long size)
{
    static const char *const types[] = {
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.presentation",
    };
    if (le16(p + 8) != 0 || off > n || size > n - off)
        return NULL;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strlen(types[i]) == size && !memcmp(p + off, types[i], size))
            return types[i];
    return NULL;
}

/* OOXML: the first entry is "[Content_Types].xml"; the part names, kept
 * uncompressed in the local headers and the central directory, tell a
 * document from a workbook from a presentation. */
static const char *ooxml_type(const unsigned char *p, size_t n)
{
    if (contains(p, n, "word/document.xml"))
        return "application/vnd.openxmlformats-officedocument."
               "wordprocessingml.document";
    if (contains(p, n, "xl/workbook.xml"))
        return "application/vnd.openxmlformats-officedocument."
               "spreadsheetml.sheet";
    if (contains(p, n, "ppt/presentation.xml"))
        return "application/vnd.openxmlformats-officedocument."
               "presentationml.presentation";
    return NULL;
}

/* A ZIP archive starting with a local file header (APPNOTE 4.3.7). */
static const char *zip_type(const unsigned char *p, size_t n)
{
    const char *t = NULL;
    if (n < 30)
        return "application/zip";
    size_t name_len = le16(p + 26), extra = le16(p + 28);
    if (30 + name_len > n)
        return "application/zip";
    const unsigned char *name = p + 30;
    if (name_len == 8 && !memcmp(name, "mimetype", 8))
        t = odf_type(p, n, 30 + name_len + extra, le32(p + 18));
    else if (name_len == 19 && !memcmp(name, "[Content_Types].xml", 19))
        t = ooxml_type(p, n);
    return t ? t : "application/zip";
}

/* ====== Text ====== */

/* Valid UTF-8 without NUL, and at most one byte in a hundred a control
 * character other than tab, line feed, form feed and carriage return. */
static int is_text(const unsigned char *p, size_t n)
{
    size_t ctl = 0;
    if (gca_utf8_valid_prefix((const char *)p, n) != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (c == 0)
            return 0;
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\f' && c != '\r') ||
            c == 0x7f)
            ctl++;
    }
    return ctl * 100 <= n;
}

static int starts_nocase(const unsigned char *p, size_t n, const char *s)
{
    size_t len = strlen(s);
    if (n < len)
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = p[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        if (c != (unsigned char)s[i])
            return 0;
    }
    return 1;
}

static int is_html(const unsigned char *p, size_t n)
{
    if (STARTS(p, n, "\xef\xbb\xbf")) {
        p += 3;
        n -= 3;
    }
    while (n && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
                 *p == '\f')) {
        p++;
        n--;
    }
    if (starts_nocase(p, n, "<html")) {
        p += 5;
        n -= 5;
        return !n || *p == '>' || *p == ' ' || *p == '\t' || *p == '\n' ||
               *p == '\r';
    }
    return starts_nocase(p, n, "<!doctype html");
}

/* ====== Sniffing ====== */

const char *gca_mime_sniff(const unsigned char *p, size_t n)
{
    if (!p || n == 0 || executable(p, n))
        return NULL;
    if (STARTS(p, n, "%PDF-"))
        return "application/pdf";
    if (STARTS(p, n, "\x89PNG\r\n\x1a\n"))
        return "image/png";
    if (STARTS(p, n, "\xff\xd8\xff"))
        return "image/jpeg";
    if (STARTS(p, n, "GIF87a") || STARTS(p, n, "GIF89a"))
        return "image/gif";
    if (n >= 12 && STARTS(p, n, "RIFF") && !memcmp(p + 8, "WEBP", 4))
        return "image/webp";
    if (STARTS(p, n, "II*\0") || STARTS(p, n, "MM\0*"))
        return "image/tiff";
    if (STARTS(p, n, "PK\x03\x04"))
        return zip_type(p, n);
    if (STARTS(p, n, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"))
        return "application/x-ole-storage";
    if (is_text(p, n))
        return is_html(p, n) ? "text/html" : "text/plain";
    return NULL;
}

const char *gca_mime_describe(const unsigned char *p, size_t n)
{
    if (!p || n == 0)
        return "empty";
    const char *what = executable(p, n);
    if (what)
        return what;
    what = gca_mime_sniff(p, n);
    return what ? what : "binary data";
}
