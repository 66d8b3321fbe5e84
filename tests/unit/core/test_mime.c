/* test_mime.c - content sniffing of evidence files (src/core/mime.c):
 * each accepted type from its magic number, ZIP containers told apart
 * (ODF, OOXML, plain ZIP), text and HTML, and every refused kind:
 * executables, scripts, unknown binary data, empty and tiny inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/mime.h"

#define B(lit) (const unsigned char *)(lit), sizeof(lit) - 1

static void expect(const unsigned char *p, size_t n, const char *want)
{
    const char *got = gca_mime_sniff(p, n);
    if (!want && got)
        fail_msg("sniffed %s, want refused", got);
    if (want && (!got || strcmp(got, want) != 0))
        fail_msg("sniffed %s, want %s", got ? got : "(refused)", want);
}

static void test_documents_and_images(void **state)
{
    (void)state;
    static const struct {
        const char *data;
        size_t len;
        const char *mime;
    } cases[] = {
#define C(lit, mime) {lit, sizeof(lit) - 1, mime}
        C("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "application/pdf"),
        C("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "image/png"),
        C("\xff\xd8\xff\xe0\0\x10JFIF", "image/jpeg"),
        C("GIF87a\x01\0\x01\0", "image/gif"),
        C("GIF89a\x01\0\x01\0", "image/gif"),
        C("RIFF\x24\0\0\0WEBPVP8 ", "image/webp"),
        C("II*\0\x08\0\0\0", "image/tiff"),
        C("MM\0*\0\0\0\x08", "image/tiff"),
        C("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0", "application/x-ole-storage"),
        C("PK\x03\x04\x14\0", "application/zip"),
#undef C
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect((const unsigned char *)cases[i].data, cases[i].len,
               cases[i].mime);
    /* RIFF without WEBP (a WAV file) is unknown binary. */
    expect(B("RIFF\x24\0\0\0WAVEfmt "), NULL);
}

/* A ZIP local file header for entry `name` stored (method 0) holding
 * `data`, then `tail`, into out; returns the length. */
static size_t zip(unsigned char *out, const char *name, const char *data,
                  const char *tail)
{
    size_t nl = strlen(name), dl = strlen(data), tl = strlen(tail);
    memset(out, 0, 30);
    memcpy(out, "PK\x03\x04", 4);
    out[4] = 20;
    out[18] = (unsigned char)dl; /* compressed size */
    out[22] = (unsigned char)dl;
    out[26] = (unsigned char)nl;
    memcpy(out + 30, name, nl);
    memcpy(out + 30 + nl, data, dl);
    memcpy(out + 30 + nl + dl, tail, tl);
    return 30 + nl + dl + tl;
}

static void test_zip_containers(void **state)
{
    unsigned char buf[512];
    size_t n;
    (void)state;
    n = zip(buf, "mimetype", "application/vnd.oasis.opendocument.text", "");
    expect(buf, n, "application/vnd.oasis.opendocument.text");
    n = zip(buf, "mimetype",
            "application/vnd.oasis.opendocument.spreadsheet", "PK\x03\x04");
    expect(buf, n, "application/vnd.oasis.opendocument.spreadsheet");
    /* An ODF type gca does not list, or a size past the end: plain ZIP. */
    n = zip(buf, "mimetype", "application/vnd.oasis.opendocument.graphics",
            "");
    expect(buf, n, "application/zip");
    n = zip(buf, "mimetype", "application/vnd.oasis.opendocument.text", "");
    expect(buf, n - 5, "application/zip");
    n = zip(buf, "[Content_Types].xml", "<Types/>",
            "PK\x03\x04word/document.xml");
    expect(buf, n,
           "application/vnd.openxmlformats-officedocument."
           "wordprocessingml.document");
    n = zip(buf, "[Content_Types].xml", "<Types/>", "xl/workbook.xml");
    expect(buf, n,
           "application/vnd.openxmlformats-officedocument.spreadsheetml."
           "sheet");
    n = zip(buf, "[Content_Types].xml", "<Types/>", "ppt/presentation.xml");
    expect(buf, n,
           "application/vnd.openxmlformats-officedocument.presentationml."
           "presentation");
    n = zip(buf, "[Content_Types].xml", "<Types/>", "other.xml");
    expect(buf, n, "application/zip");
    n = zip(buf, "data.csv", "a,b\n", "");
    expect(buf, n, "application/zip");
    /* A header whose name runs past the end is still a ZIP. */
    n = zip(buf, "mimetype", "", "");
    buf[26] = 200;
    expect(buf, n, "application/zip");
}

static void test_text(void **state)
{
    (void)state;
    expect(B("country,score\nFRA,1\n"), "text/plain");
    expect(B("Loi n\xc2\xb0 2016-1321 pour une R\xc3\xa9publique "
             "num\xc3\xa9rique\n"),
           "text/plain");
    expect(B("\xef\xbb\xbfwith a byte order mark"), "text/plain");
    expect(B("x"), "text/plain");
    expect(B("<!DOCTYPE html><title>x</title>"), "text/html");
    expect(B("\n  \t<!doctype HTML>"), "text/html");
    expect(B("<HTML lang=en>"), "text/html");
    expect(B("\xef\xbb\xbf<html>"), "text/html");
    expect(B("<html"), "text/html");
    /* <htmlx> is not an html element; XML is plain text. */
    expect(B("<htmlx>"), "text/plain");
    expect(B("<?xml version=\"1.0\"?><a/>"), "text/plain");
    /* One control character in a hundred bytes passes, more do not. */
    char many[101];
    memset(many, 'a', 100);
    many[100] = '\0';
    many[50] = '\x1b';
    expect((const unsigned char *)many, 100, "text/plain");
    many[51] = '\x01';
    expect((const unsigned char *)many, 100, NULL);
}

static void test_refused(void **state)
{
    (void)state;
    static const struct {
        const char *data;
        size_t len;
        const char *what;
    } cases[] = {
#define C(lit, what) {lit, sizeof(lit) - 1, what}
        C("\x7f" "ELF\x02\x01\x01", "ELF executable"),
        C("MZ\x90\0\x03", "Windows executable"),
        C("MZ", "Windows executable"),
        C("\xcf\xfa\xed\xfe\x07\0\0\x01", "Mach-O executable"),
        C("\xfe\xed\xfa\xce", "Mach-O executable"),
        C("\xca\xfe\xba\xbe\0\0\0\x02",
          "Mach-O universal binary or Java class"),
        C("#!/bin/sh\nrm -rf /\n", "script"),
        C("#!", "script"),
        C("\0\0\0\0", "binary data"),
        C("text with a NUL\0inside", "binary data"),
        C("bad UTF-8 \xc3\x28", "binary data"),
        C("\xfe\xff\0h\0i", "binary data"), /* UTF-16 */
        C("\x1f\x8b\x08\0", "binary data"), /* gzip */
#undef C
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const unsigned char *p = (const unsigned char *)cases[i].data;
        expect(p, cases[i].len, NULL);
        assert_string_equal(gca_mime_describe(p, cases[i].len),
                            cases[i].what);
    }
}

static void test_tiny(void **state)
{
    (void)state;
    expect(NULL, 0, NULL);
    expect(B(""), NULL);
    assert_string_equal(gca_mime_describe(B("")), "empty");
    assert_string_equal(gca_mime_describe(NULL, 0), "empty");
    assert_string_equal(gca_mime_describe(B("%PDF-")), "application/pdf");
    /* Prefixes of magic numbers are not the format. */
    expect(B("%PDF"), "text/plain");
    expect(B("\x89PNG"), NULL);
    expect(B("\xff\xd8"), NULL);
    expect(B("PK\x03"), NULL); /* a control byte in three */
    expect(B("RIFF\0\0\0\0WEB"), NULL);
    expect(B("\xd0\xcf\x11\xe0"), NULL);
    expect(B("\x7f" "EL"), NULL);
    expect(B("M"), "text/plain");
    expect(B("#"), "text/plain");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_documents_and_images),
        cmocka_unit_test(test_zip_containers),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_tiny),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
