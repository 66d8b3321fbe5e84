/* test_evidence.c - evidence for answers (src/store/evidence.c): URLs and
 * their retrieval dates, files kept by SHA-256 in the blob directory
 * (bytes, path, one blob for the same content), every refused input
 * leaving nothing behind (no row, no event, no blob), edition state and
 * roles, restricted items hidden from who may not see them, and the
 * audit chain. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "gca.h"
#include "store/backend.h"
#include "store/sqlite.h"
#include "testutil.h"

#define ED "gci-2026"
#define Q "LEG.1.1"
#define Q2 "LEG.1.1.1"

static const char pdf[] = "%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n";

/* ====== Helpers ====== */

typedef struct fixture {
    char dir[64];
    char db[128];
    char blobs[160]; /* the default blob directory */
    gca_store *st;
} fixture;

/* A store with admin, ana (analyst), fred (focal FRA), gina (focal DEU),
 * vic (viewer), and edition gci-2026 open. */
static int setup(void **state)
{
    gca_err err = {0};
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    memcpy(f->dir, "/tmp/gca-test-evidence-XXXXXX", 30);
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->db, sizeof f->db, "%s/gca.db", f->dir);
    snprintf(f->blobs, sizeof f->blobs, "%s.blobs", f->db);
    if (gca_store_open(f->db, GCA_STORE_CREATE, &f->st, &err) < 0 ||
        gca_store_migrate(f->st, NULL, &err) < 0 ||
        gca_store_load_shipped(f->st, &err) < 0 ||
        gca_user_add(f->st, NULL, "admin", "admin", NULL, NULL, &err) < 0 ||
        gca_user_add(f->st, "admin", "ana", "analyst", NULL, NULL, &err) <
            0 ||
        gca_user_add(f->st, "admin", "fred", "focal", "FRA", NULL, &err) <
            0 ||
        gca_user_add(f->st, "admin", "gina", "focal", "DEU", NULL, &err) <
            0 ||
        gca_user_add(f->st, "admin", "vic", "viewer", NULL, NULL, &err) <
            0 ||
        gca_edition_create(f->st, "admin", "gci", 2026, NULL, NULL, &err) <
            0 ||
        gca_edition_open(f->st, "admin", ED, &err) < 0) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    gca_store_close(f->st);
    int rc = tu_rmtree(f->dir);
    free(f);
    return rc;
}

static long long query_int(gca_store *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(gca__sqlite_handle(st->conn), sql,
                                        -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long long v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* Rows of evidence, blobs and audit events, to see that nothing was
 * written. */
typedef struct counts {
    long long evidence, blobs, events, files;
} counts;

static int count_file(const char *path, const struct stat *st, int flag,
                      struct FTW *ftw);
static long long nfiles;
static int count_file(const char *path, const struct stat *st, int flag,
                      struct FTW *ftw)
{
    (void)path;
    (void)st;
    (void)ftw;
    if (flag == FTW_F)
        nfiles++;
    return 0;
}

static counts count(fixture *f)
{
    counts c;
    c.evidence = query_int(f->st, "SELECT count(*) FROM evidence");
    c.blobs = query_int(f->st, "SELECT count(*) FROM blobs");
    c.events = query_int(f->st, "SELECT count(*) FROM audit_events");
    nfiles = 0;
    if (access(f->blobs, F_OK) == 0)
        assert_int_equal(nftw(f->blobs, count_file, 16, FTW_PHYS), 0);
    c.files = nfiles;
    return c;
}

static void expect_unchanged(fixture *f, counts before)
{
    counts now = count(f);
    assert_int_equal(now.evidence, before.evidence);
    assert_int_equal(now.blobs, before.blobs);
    assert_int_equal(now.events, before.events);
    assert_int_equal(now.files, before.files);
}

/* `rc` is `code`, err->source is `source` and the message holds `text`. */
static void expect_fail(int rc, const gca_err *err, int code,
                        const char *source, const char *text)
{
    if (rc != code || (source && strcmp(err->source, source) != 0) ||
        !strstr(err->msg, text))
        fail_msg("got %d '%s: %s', want %d '%s: ...%s...'", rc, err->source,
                 err->msg, code, source ? source : "*", text);
}

/* Write `len` bytes to DIR/name; the path goes into out[256]. */
static const char *put(fixture *f, const char *name, const void *data,
                       size_t len, char *out)
{
    snprintf(out, 256, "%s/%s", f->dir, name);
    FILE *fp = fopen(out, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
    return out;
}

static int add_file(fixture *f, const char *actor, const char *country,
                    const char *path, const char *vis, long long *id,
                    gca_err *err)
{
    return gca_evidence_add_file(f->st, actor, ED, country, Q, path, vis,
                                 NULL, id, err);
}

typedef struct seen {
    int n;
    gca_evidence last;
    char sha[65], mime[80], name[64], url[128], vis[16], kind[8];
} seen;

static int collect(const gca_evidence *ev, void *ctx)
{
    seen *s = ctx;
    s->n++;
    s->last = *ev; /* text pointers die with the callback: copy them */
    snprintf(s->sha, sizeof s->sha, "%s", ev->sha256 ? ev->sha256 : "");
    snprintf(s->mime, sizeof s->mime, "%s", ev->mime ? ev->mime : "");
    snprintf(s->name, sizeof s->name, "%s",
             ev->file_name ? ev->file_name : "");
    snprintf(s->url, sizeof s->url, "%s", ev->url ? ev->url : "");
    snprintf(s->vis, sizeof s->vis, "%s", ev->visibility);
    snprintf(s->kind, sizeof s->kind, "%s", ev->kind);
    return 0;
}

static int listed(fixture *f, const char *actor, const char *country,
                  const char *question)
{
    seen s = {0};
    gca_err err = {0};
    assert_int_equal(gca_evidence_list(f->st, actor, ED, country, question,
                                       collect, &s, &err),
                     0);
    return s.n;
}

static void sha256_of(const char *data, size_t len, char out[65])
{
    unsigned char h[32];
    crypto_hash_sha256(h, (const unsigned char *)data, len);
    sodium_bin2hex(out, 65, h, sizeof h);
}

/* ====== URLs ====== */

static void test_url_ok(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    long long id = 0;
    counts before = count(f);
    assert_int_equal(gca_evidence_add_url(f->st, "fred", ED, "FRA", Q,
                                          "HTTPS://www.legifrance.gouv.fr/"
                                          "loda/id/JORFTEXT000033202746",
                                          "2020-02-29", NULL, "public",
                                          "the law itself", &id, &err),
                     0);
    assert_true(id > 0);
    counts after = count(f);
    assert_int_equal(after.evidence, before.evidence + 1);
    assert_int_equal(after.events, before.events + 1);
    assert_int_equal(after.blobs, 0);
    assert_int_equal(after.files, 0);

    seen s = {0};
    assert_int_equal(gca_evidence_list(f->st, NULL, ED, "FRA", Q, collect,
                                       &s, &err),
                     0);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.last.id, id);
    assert_string_equal(s.vis, "public");
    assert_string_equal(s.sha, "");
    assert_int_equal(s.last.size, 0);

    char object[512];
    snprintf(object, sizeof object,
             "SELECT count(*) FROM audit_events WHERE action = "
             "'evidence.add' AND object = 'edition/" ED
             "/evidence/FRA/" Q "/%lld' AND actor = 'fred' AND "
             "payload ->> '$.kind' = 'url' AND payload ->> "
             "'$.retrieved' = '2020-02-29'",
             id);
    assert_int_equal(query_int(f->st, object), 1);

    /* Analysts add for any country; the answer need not exist. */
    assert_int_equal(gca_evidence_add_url(f->st, "ana", ED, "DEU", Q2,
                                          "http://example.org", "2026-01-01",
                                          NULL, "restricted", NULL, NULL,
                                          &err),
                     0);
}

static void test_url_refused(void **state)
{
    fixture *f = *state;
    char longurl[2100];
    snprintf(longurl, sizeof longurl, "https://example.org/");
    memset(longurl + 20, 'a', 2029);
    longurl[2049] = '\0';
    static const struct {
        const char *url;
        const char *text;
    } cases[] = {
        {"ftp://example.org/law.pdf", "is not http:// or https://"},
        {"javascript:alert(1)", "is not http:// or https://"},
        {"file:///etc/passwd", "is not http:// or https://"},
        {"www.example.org", "is not http:// or https://"},
        {"http://", "has no host"},
        {"https:///path", "has no host"},
        {"http://user@/x", "has no host"},
        {"http://:80/x", "has no host"},
        {"http://exa mple.org/", "blank or control character at byte 11"},
        {"http://example.org/\t", "blank or control character"},
        {"http://example.org/\x01", "blank or control character"},
        {"http://example.org/\xc3", "not valid UTF-8"},
        {" http://example.org/", "blank or control character at byte 1"},
        {"", "no URL given"},
        {NULL, "no URL given"},
    };
    counts before = count(f);
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        gca_err err = {0};
        int rc = gca_evidence_add_url(f->st, "fred", ED, "FRA", Q,
                                      cases[i].url, "2020-01-01", NULL,
                                      "public", NULL, NULL, &err);
        expect_fail(rc, &err, GCA_EINVAL, "url", cases[i].text);
    }
    gca_err err = {0};
    expect_fail(gca_evidence_add_url(f->st, "fred", ED, "FRA", Q, longurl,
                                     "2020-01-01", NULL, "public", NULL,
                                     NULL, &err),
                &err, GCA_EINVAL, "url", "longer than 2048 bytes");
    longurl[2048] = '\0'; /* exactly 2048 bytes is allowed */
    gca_err_clear(&err);
    assert_int_equal(gca_evidence_add_url(f->st, "fred", ED, "FRA", Q,
                                          longurl, "2020-01-01", NULL,
                                          "public", NULL, NULL, &err),
                     0);
    assert_int_equal(count(f).evidence, before.evidence + 1);
}

static void test_dates(void **state)
{
    fixture *f = *state;
    char tomorrow[16], today[16];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(today, sizeof today, "%Y-%m-%d", &tm);
    t += 86400;
    gmtime_r(&t, &tm);
    strftime(tomorrow, sizeof tomorrow, "%Y-%m-%d", &tm);
    const struct {
        const char *date;
        const char *text;
    } cases[] = {
        {"2026-02-30", "not a day of the calendar"},
        {"2023-02-29", "not a day of the calendar"},
        {"1900-02-29", "not a day of the calendar"},
        {"2025-13-01", "not a day of the calendar"},
        {"2025-00-10", "not a day of the calendar"},
        {"2025-04-31", "not a day of the calendar"},
        {"2025-04-00", "not a day of the calendar"},
        {"1899-12-31", "not a day of the calendar"},
        {tomorrow, "is in the future"},
        {"9999-12-31", "is in the future"},
        {"garbage", "is not YYYY-MM-DD"},
        {"2020-1-01", "is not YYYY-MM-DD"},
        {"2020-01-01T00:00", "is not YYYY-MM-DD"},
        {"2020/01/01", "is not YYYY-MM-DD"},
        {"+020-01-01", "is not YYYY-MM-DD"},
        {"", "no retrieval date"},
        {NULL, "no retrieval date"},
    };
    counts before = count(f);
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        gca_err err = {0};
        int rc = gca_evidence_add_url(f->st, "fred", ED, "FRA", Q,
                                      "https://example.org", cases[i].date,
                                      NULL, "public", NULL, NULL, &err);
        expect_fail(rc, &err, GCA_EINVAL, "retrieved", cases[i].text);
    }
    expect_unchanged(f, before);
    const char *good[] = {today, "2024-02-29", "2000-02-29", "1900-01-01"};
    for (size_t i = 0; i < GCA_COUNT(good); i++) {
        gca_err err = {0};
        assert_int_equal(gca_evidence_add_url(f->st, "fred", ED, "FRA", Q,
                                              "https://example.org",
                                              good[i], NULL, "public", NULL,
                                              NULL, &err),
                         0);
    }
}

/* ====== Files ====== */

static void test_file_ok(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    char path[256], want[65], blob[400];
    long long id = 0;
    put(f, "loi-2016.pdf", pdf, sizeof pdf - 1, path);
    sha256_of(pdf, sizeof pdf - 1, want);
    assert_int_equal(add_file(f, "fred", "FRA", path, "public", &id, &err),
                     0);

    /* The blob sits at DIR/ab/cdef..., with the file's bytes. */
    snprintf(blob, sizeof blob, "%s/%.2s/%s", f->blobs, want, want + 2);
    FILE *fp = fopen(blob, "rb");
    assert_non_null(fp);
    char got[128];
    size_t n = fread(got, 1, sizeof got, fp);
    fclose(fp);
    assert_int_equal(n, sizeof pdf - 1);
    assert_memory_equal(got, pdf, n);
    struct stat s;
    assert_int_equal(stat(f->blobs, &s), 0);
    assert_int_equal(s.st_mode & 0777, 0700);

    seen e = {0};
    assert_int_equal(gca_evidence_list(f->st, "fred", ED, NULL, NULL,
                                       collect, &e, &err),
                     0);
    assert_int_equal(e.n, 1);
    assert_string_equal(e.sha, want);
    assert_string_equal(e.mime, "application/pdf");
    assert_string_equal(e.name, "loi-2016.pdf");
    assert_string_equal(e.kind, "file");
    assert_int_equal(e.last.size, (long long)(sizeof pdf - 1));

    char *bp = NULL;
    assert_int_equal(gca_evidence_blob_path(f->st, NULL, id, &bp, &err), 0);
    assert_string_equal(bp, blob);
    gca_free(bp);

    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit_events WHERE action = "
             "'evidence.add' AND payload ->> '$.sha256' = '%s' AND "
             "payload ->> '$.mime' = 'application/pdf' AND payload ->> "
             "'$.size' = %zu AND payload ->> '$.file_name' = 'loi-2016.pdf'",
             want, sizeof pdf - 1);
    assert_int_equal(query_int(f->st, sql), 1);
}

static void test_same_file_twice(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    char a[256], b[256];
    put(f, "a.pdf", pdf, sizeof pdf - 1, a);
    put(f, "b.pdf", pdf, sizeof pdf - 1, b);
    assert_int_equal(add_file(f, "fred", "FRA", a, "public", NULL, &err), 0);
    assert_int_equal(add_file(f, "ana", "FRA", b, "restricted", NULL, &err),
                     0);
    counts c = count(f);
    assert_int_equal(c.evidence, 2);
    assert_int_equal(c.blobs, 1);
    assert_int_equal(c.files, 1);
}

static void test_file_refused(void **state)
{
    fixture *f = *state;
    char path[256], elf[256], big[256], ok[256], dir[256], sh[256];
    gca_err err = {0};
    counts before = count(f);

    put(f, "empty.pdf", "", 0, path);
    expect_fail(add_file(f, "fred", "FRA", path, "public", NULL, &err), &err,
                GCA_EINVAL, path, "file is empty");
    gca_err_clear(&err);
    put(f, "tool.pdf", "\x7f" "ELF\x02\x01\x01\0\0\0", 10, elf);
    expect_fail(add_file(f, "fred", "FRA", elf, "public", NULL, &err), &err,
                GCA_EINVAL, elf,
                "file type not accepted (sniffed: ELF executable");
    gca_err_clear(&err);
    put(f, "run.txt", "#!/bin/sh\necho hi\n", 18, sh);
    expect_fail(add_file(f, "fred", "FRA", sh, "public", NULL, &err), &err,
                GCA_EINVAL, sh, "(sniffed: script");
    gca_err_clear(&err);
    put(f, "noise.bin", "\x01\x02\x03\x04\0\xff", 6, path);
    expect_fail(add_file(f, "fred", "FRA", path, "public", NULL, &err), &err,
                GCA_EINVAL, path, "(sniffed: binary data");
    gca_err_clear(&err);
    snprintf(dir, sizeof dir, "%s/sub", f->dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    expect_fail(add_file(f, "fred", "FRA", dir, "public", NULL, &err), &err,
                GCA_EINVAL, dir, "is a directory");
    gca_err_clear(&err);
    snprintf(path, sizeof path, "%s/sub/", f->dir);
    expect_fail(add_file(f, "fred", "FRA", path, "public", NULL, &err), &err,
                GCA_EINVAL, path, "names a directory");
    gca_err_clear(&err);
    snprintf(path, sizeof path, "%s/fifo", f->dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    expect_fail(add_file(f, "fred", "FRA", path, "public", NULL, &err), &err,
                GCA_EINVAL, path, "is not a regular file");
    gca_err_clear(&err);
    snprintf(path, sizeof path, "%s/missing.pdf", f->dir);
    expect_fail(add_file(f, "fred", "FRA", path, "public", NULL, &err), &err,
                GCA_EIO, path, "cannot open");
    gca_err_clear(&err);
    expect_fail(add_file(f, "fred", "FRA", NULL, "public", NULL, &err), &err,
                GCA_EINVAL, "file", "no file given");
    gca_err_clear(&err);
    expect_fail(add_file(f, "fred", "FRA", "", "public", NULL, &err), &err,
                GCA_EINVAL, "file", "no file given");

    /* The limit: one byte over is refused, exactly at it is taken. */
    gca_store_set_evidence_max(f->st, 20);
    put(f, "big.txt", "twenty-one bytes....\n", 21, big);
    gca_err_clear(&err);
    expect_fail(add_file(f, "fred", "FRA", big, "public", NULL, &err), &err,
                GCA_ETOOBIG, big, "larger than 20 bytes");
    expect_unchanged(f, before);
    put(f, "ok.txt", "twenty bytes.......\n", 20, ok);
    gca_err_clear(&err);
    assert_int_equal(add_file(f, "fred", "FRA", ok, "public", NULL, &err), 0);
    gca_store_set_evidence_max(f->st, 0); /* back to the default */
    gca_err_clear(&err);
    assert_int_equal(add_file(f, "fred", "FRA", big, "public", NULL, &err),
                     0);
}

static void test_snapshot(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    char snap[256];
    long long id = 0;
    static const char html[] = "<!DOCTYPE html><title>Loi</title>";
    put(f, "page.html", html, sizeof html - 1, snap);
    assert_int_equal(gca_evidence_add_url(f->st, "fred", ED, "FRA", Q,
                                          "https://example.org/loi",
                                          "2026-01-02", snap, "public", NULL,
                                          &id, &err),
                     0);
    seen s = {0};
    assert_int_equal(gca_evidence_list(f->st, NULL, ED, NULL, NULL, collect,
                                       &s, &err),
                     0);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.kind, "url");
    assert_string_equal(s.mime, "text/html");
    assert_string_equal(s.name, "page.html");
    assert_string_equal(s.url, "https://example.org/loi");
    assert_int_equal(s.last.size, (long long)(sizeof html - 1));
    assert_int_equal(count(f).files, 1);

    /* A bad snapshot refuses the whole item. */
    counts before = count(f);
    put(f, "tool", "MZ\x90\0", 4, snap);
    gca_err_clear(&err);
    expect_fail(gca_evidence_add_url(f->st, "fred", ED, "FRA", Q,
                                     "https://example.org/loi", "2026-01-02",
                                     snap, "public", NULL, NULL, &err),
                &err, GCA_EINVAL, snap, "Windows executable");
    gca_err_clear(&err);
    expect_fail(gca_evidence_add_url(f->st, "fred", ED, "FRA", Q,
                                     "https://example.org/loi", "2026-01-02",
                                     "", "public", NULL, NULL, &err),
                &err, GCA_EINVAL, "snapshot", "no file given");
    expect_unchanged(f, before);
}

/* A separate blob directory, made when first needed. */
static void test_blob_dir(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    char dir[200], path[256], want[65], blob[400];
    long long id = 0;
    snprintf(dir, sizeof dir, "%s/elsewhere", f->dir);
    expect_fail(gca_store_set_blob_dir(f->st, "", &err), &err, GCA_EINVAL,
                "blobs", "no blob directory");
    gca_err_clear(&err);
    assert_int_equal(gca_store_set_blob_dir(f->st, dir, &err), 0);
    put(f, "x.pdf", pdf, sizeof pdf - 1, path);
    assert_int_equal(add_file(f, "fred", "FRA", path, "public", &id, &err),
                     0);
    sha256_of(pdf, sizeof pdf - 1, want);
    snprintf(blob, sizeof blob, "%s/%.2s/%s", dir, want, want + 2);
    assert_int_equal(access(blob, R_OK), 0);
    assert_int_equal(access(f->blobs, F_OK), -1);

    /* A blob directory that cannot be made: nothing is written. */
    snprintf(dir, sizeof dir, "%s/x.pdf/blobs", f->dir);
    assert_int_equal(gca_store_set_blob_dir(f->st, dir, &err), 0);
    counts before = count(f);
    gca_err_clear(&err);
    put(f, "y.txt", "other content\n", 14, path);
    expect_fail(add_file(f, "fred", "FRA", path, "public", NULL, &err), &err,
                GCA_EIO, dir, "cannot create the blob directory");
    expect_unchanged(f, before);
}

/* ====== State, roles, lookups ====== */

static void test_closed_edition(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    char path[256];
    assert_int_equal(gca_edition_close(f->st, "admin", ED, &err), 0);
    counts before = count(f);
    put(f, "a.pdf", pdf, sizeof pdf - 1, path);
    expect_fail(add_file(f, "fred", "FRA", path, "public", NULL, &err), &err,
                GCA_ESTATE, "edition", "edition gci-2026 is closed");
    gca_err_clear(&err);
    expect_fail(gca_evidence_add_url(f->st, "ana", ED, "FRA", Q,
                                     "https://example.org", "2020-01-01",
                                     NULL, "public", NULL, NULL, &err),
                &err, GCA_ESTATE, "edition", "not open");
    expect_unchanged(f, before);
    assert_int_equal(access(f->blobs, F_OK), -1);
}

static void test_roles(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    char path[256];
    put(f, "a.pdf", pdf, sizeof pdf - 1, path);
    counts before = count(f);
    expect_fail(add_file(f, "gina", "FRA", path, "public", NULL, &err), &err,
                GCA_EPERM, NULL, "focal point of DEU) may not add evidence "
                                 "for FRA");
    static const char *const refused[] = {"vic", "admin"};
    for (size_t i = 0; i < GCA_COUNT(refused); i++) {
        gca_err_clear(&err);
        expect_fail(add_file(f, refused[i], "FRA", path, "public", NULL,
                             &err),
                    &err, GCA_EPERM, NULL, "may not add evidence");
    }
    gca_err_clear(&err);
    expect_fail(add_file(f, "nobody", "FRA", path, "public", NULL, &err),
                &err, GCA_ENOTFOUND, NULL, "'nobody' does not exist");
    gca_err_clear(&err);
    expect_fail(add_file(f, NULL, "FRA", path, "public", NULL, &err), &err,
                GCA_EINVAL, NULL, "no acting user");
    expect_unchanged(f, before);
    gca_err_clear(&err);
    assert_int_equal(add_file(f, "gina", "DEU", path, "public", NULL, &err),
                     0);
}

static void test_not_found_and_values(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    char path[256], note[GCA_COMMENT_MAX + 2];
    put(f, "a.pdf", pdf, sizeof pdf - 1, path);
    counts before = count(f);
    expect_fail(gca_evidence_add_file(f->st, "fred", "gci-1999", "FRA", Q,
                                      path, "public", NULL, NULL, &err),
                &err, GCA_ENOTFOUND, "edition", "unknown edition 'gci-1999'");
    gca_err_clear(&err);
    expect_fail(gca_evidence_add_file(f->st, "ana", ED, "XXX", Q, path,
                                      "public", NULL, NULL, &err),
                &err, GCA_ENOTFOUND, "country", "unknown country 'XXX'");
    gca_err_clear(&err);
    expect_fail(gca_evidence_add_file(f->st, "fred", ED, "FRA", "NOPE.1",
                                      path, "public", NULL, NULL, &err),
                &err, GCA_ENOTFOUND, "question", "unknown question 'NOPE.1'");
    gca_err_clear(&err);
    expect_fail(gca_evidence_add_file(f->st, "fred", ED, "FRA", "", path,
                                      "public", NULL, NULL, &err),
                &err, GCA_EINVAL, "question", "no question given");
    const char *bad_vis[] = {"secret", "", "Public", NULL};
    for (size_t i = 0; i < GCA_COUNT(bad_vis); i++) {
        gca_err_clear(&err);
        expect_fail(gca_evidence_add_file(f->st, "fred", ED, "FRA", Q, path,
                                          bad_vis[i], NULL, NULL, &err),
                    &err, GCA_EINVAL, "visibility",
                    "is not public or restricted");
    }
    memset(note, 'n', sizeof note - 1);
    note[sizeof note - 1] = '\0';
    gca_err_clear(&err);
    expect_fail(gca_evidence_add_file(f->st, "fred", ED, "FRA", Q, path,
                                      "public", note, NULL, &err),
                &err, GCA_EINVAL, "note", "longer than 4000 bytes");
    gca_err_clear(&err);
    expect_fail(gca_evidence_add_file(f->st, "fred", ED, "FRA", Q, path,
                                      "public", "bell\a", NULL, &err),
                &err, GCA_EINVAL, "note", "control character");
    char bad_name[256];
    put(f, "bad\x01name.pdf", pdf, sizeof pdf - 1, bad_name);
    gca_err_clear(&err);
    expect_fail(gca_evidence_add_file(f->st, "fred", ED, "FRA", Q, bad_name,
                                      "public", NULL, NULL, &err),
                &err, GCA_EINVAL, "file name", "control character");
    expect_unchanged(f, before);
}

/* ====== Who sees what ====== */

static void test_restricted(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    char path[256];
    long long secret = 0, open_url = 0, deu = 0;
    put(f, "a.pdf", pdf, sizeof pdf - 1, path);
    assert_int_equal(add_file(f, "fred", "FRA", path, "restricted", &secret,
                              &err),
                     0);
    assert_int_equal(gca_evidence_add_url(f->st, "fred", ED, "FRA", Q2,
                                          "https://example.org", "2020-01-01",
                                          NULL, "public", NULL, &open_url,
                                          &err),
                     0);
    assert_int_equal(gca_evidence_add_url(f->st, "gina", ED, "DEU", Q,
                                          "https://example.de", "2020-01-01",
                                          NULL, "restricted", NULL, &deu,
                                          &err),
                     0);
    /* Public, viewer, another country's focal point: public items, and
     * gina her own restricted one. */
    assert_int_equal(listed(f, NULL, NULL, NULL), 1);
    assert_int_equal(listed(f, "vic", NULL, NULL), 1);
    assert_int_equal(listed(f, "gina", NULL, NULL), 2);
    assert_int_equal(listed(f, "gina", "FRA", NULL), 1);
    assert_int_equal(listed(f, "fred", NULL, NULL), 2);
    assert_int_equal(listed(f, "fred", "FRA", NULL), 2);
    assert_int_equal(listed(f, "ana", NULL, NULL), 3);
    assert_int_equal(listed(f, "admin", NULL, NULL), 3);
    assert_int_equal(listed(f, "admin", "FRA", Q2), 1);
    assert_int_equal(listed(f, "admin", NULL, Q), 2);
    assert_int_equal(listed(f, "admin", "ITA", NULL), 0);

    seen s = {0};
    expect_fail(gca_evidence_list(f->st, "nobody", ED, NULL, NULL, collect,
                                  &s, &err),
                &err, GCA_ENOTFOUND, NULL, "'nobody' does not exist");
    gca_err_clear(&err);
    expect_fail(gca_evidence_list(f->st, NULL, "gci-1999", NULL, NULL,
                                  collect, &s, &err),
                &err, GCA_ENOTFOUND, "edition", "unknown edition");
    assert_int_equal(s.n, 0);

    char *p = NULL;
    static const char *const denied[] = {NULL, "vic", "gina"};
    for (size_t i = 0; i < GCA_COUNT(denied); i++) {
        gca_err_clear(&err);
        expect_fail(gca_evidence_blob_path(f->st, denied[i], secret, &p,
                                           &err),
                    &err, GCA_EPERM, "evidence", "is restricted");
        assert_null(p);
    }
    static const char *const allowed[] = {"fred", "ana", "admin"};
    for (size_t i = 0; i < GCA_COUNT(allowed); i++) {
        gca_err_clear(&err);
        assert_int_equal(gca_evidence_blob_path(f->st, allowed[i], secret,
                                                &p, &err),
                         0);
        assert_int_equal(access(p, R_OK), 0);
        gca_free(p);
        p = NULL;
    }
    gca_err_clear(&err);
    expect_fail(gca_evidence_blob_path(f->st, NULL, open_url, &p, &err),
                &err, GCA_ENOTFOUND, "evidence", "has no file");
    gca_err_clear(&err);
    expect_fail(gca_evidence_blob_path(f->st, "admin", 9999, &p, &err),
                &err, GCA_ENOTFOUND, "evidence", "no evidence item 9999");
    gca_err_clear(&err);
    expect_fail(gca_evidence_blob_path(f->st, "nobody", secret, &p, &err),
                &err, GCA_ENOTFOUND, NULL, "does not exist");
    assert_null(p);
    (void)deu;
}

static int stop_at_first(const gca_evidence *ev, void *ctx)
{
    (void)ev;
    ++*(int *)ctx;
    return 7;
}

static void test_list_stops_and_chain(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    char path[256];
    put(f, "a.pdf", pdf, sizeof pdf - 1, path);
    for (int i = 0; i < 3; i++)
        assert_int_equal(add_file(f, "fred", "FRA", path, "public", NULL,
                                  &err),
                         0);
    int calls = 0;
    assert_int_equal(gca_evidence_list(f->st, NULL, ED, NULL, NULL,
                                       stop_at_first, &calls, &err),
                     7);
    assert_int_equal(calls, 1);
    gca_audit_result r;
    assert_int_equal(gca_audit_verify(f->st, &r, &err), 0);
    assert_int_equal(r.first_bad_seq, 0);
    assert_int_equal(r.events, count(f).events);
}

/* Out of memory at every allocation of an add: an error, and nothing
 * half-written. */
static void test_nomem(void **state)
{
    fixture *f = *state;
    char path[256];
    put(f, "a.pdf", pdf, sizeof pdf - 1, path);
    counts before = count(f);
    int done = 0;
    for (long n = 1; n < 10000 && !done; n++) {
        gca_err err = {0};
        gca_alloc_fail_after(n);
        int rc = add_file(f, "fred", "FRA", path, "public", NULL, &err);
        gca_alloc_fail_after(0);
        if (rc == 0) {
            done = 1;
            break;
        }
        assert_true(rc < 0 && err.msg[0]);
        counts now = count(f);
        assert_int_equal(now.evidence, before.evidence);
        assert_int_equal(now.events, before.events);
        assert_int_equal(now.blobs, before.blobs);
    }
    assert_true(done);
    assert_int_equal(count(f).evidence, before.evidence + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(test_url_ok),
        T(test_url_refused),
        T(test_dates),
        T(test_file_ok),
        T(test_same_file_twice),
        T(test_file_refused),
        T(test_snapshot),
        T(test_blob_dir),
        T(test_closed_edition),
        T(test_roles),
        T(test_not_found_and_values),
        T(test_restricted),
        T(test_list_stops_and_chain),
        T(test_nomem),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
