/* test_kb.c - the knowledge base (src/gateway/kbparse.c, src/store/kb.c):
 * bad rows refused at file:line:col with nothing imported, JSON errors
 * naming entry and field, import/export round trips, the search text
 * translator, search filters, ranking and snippets, hostile search text
 * giving hits or a clean GCA_EINVAL, roles and the audit event, and the
 * shipped files. Test data: tests/cases/_inputs/kb_small.csv. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/embedded.h"
#include "core/fs.h"
#include "gateway/kb.h"
#include "gca.h"
#include "gca/kb.h"
#include "store/backend.h"
#include "store/sqlite.h"
#include "testutil.h"

#define SMALL "tests/cases/_inputs/kb_small.csv"
#define NSMALL 11

typedef struct fixture {
    char dir[64];
    char db[128];
    gca_store *st;
} fixture;

static int open_store(const char *dir, const char *name, gca_store **st)
{
    char db[160];
    gca_err err = {0};
    snprintf(db, sizeof db, "%s/%s", dir, name);
    if (gca_store_open(db, GCA_STORE_CREATE, st, &err) < 0 ||
        gca_store_migrate(*st, NULL, &err) < 0 ||
        gca_store_load_shipped(*st, &err) < 0 ||
        gca_user_add(*st, NULL, "admin", "admin", NULL, NULL, &err) < 0 ||
        gca_user_add(*st, "admin", "ana", "analyst", NULL, NULL, &err) < 0 ||
        gca_user_add(*st, "admin", "vic", "viewer", NULL, NULL, &err) < 0) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    if (sqlite3_exec(gca__sqlite_handle((*st)->conn),
                     "DELETE FROM kb_entries", NULL, NULL, NULL) != SQLITE_OK)
        return -1;
    return 0;
}

/* A store with admin, ana (analyst) and vic (viewer), and kb_small.csv
 * imported instead of the shipped entries (removed, so that the tests
 * see only the small file whatever data/kb/ ships). */
static int setup(void **state)
{
    gca_err err = {0};
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    memcpy(f->dir, "/tmp/gca-test-kb-XXXXXX", 24);
    if (!mkdtemp(f->dir) || open_store(f->dir, "gca.db", &f->st) < 0)
        return -1;
    if (gca_kb_import(f->st, "ana", tu_path(SMALL), NULL, &err) < 0) {
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

static size_t total_entries(gca_store *st)
{
    size_t counts[16], n = 0;
    gca_err err = {0};
    assert_int_equal(gca_kb_counts(st, counts, &err), 0);
    for (size_t k = 0; gca_kb_kinds[k]; k++)
        n += counts[k];
    return n;
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
    assert_int_equal(fclose(fp), 0);
}

/* 1-based column of field k of an unquoted CSV row. */
static int col_of(const char *row, int k)
{
    const char *p = row;
    for (int i = 0; i < k; i++)
        p = strchr(p, ',') + 1;
    return (int)(p - row) + 1;
}

/* ====== Bad rows ====== */

#define HDR "id,kind,title,countries,year,source,url,retrieved,subtype," \
            "status,pillars\n"
#define GOOD "x/1,initiative,Good row,AUT;DEU,2001,src,https://a.example/," \
             "2026-01-01,,,LEG;TEC\n"

static void test_bad_rows(void **state)
{
    static const struct {
        const char *row; /* line 3 */
        int field;       /* column of the error */
        const char *msg; /* part of the message */
    } cases[] = {
        {"x/2,thing,T,,,src,,,,,", 1, "kind 'thing'"},
        {"x/2,initiative,T,XXX,,src,,,,,", 3, "country 'XXX'"},
        {"x/2,initiative,T,AUT;aut,,src,,,,,", 3, "country 'aut'"},
        {"x/2,initiative,T,AUT;AUT,,src,,,,,", 3, "twice"},
        {"x/2,initiative,T,,1899,src,,,,,", 4, "year '1899'"},
        {"x/2,initiative,T,,2100,src,,,,,", 4, "year '2100'"},
        {"x/2,initiative,T,,20x1,src,,,,,", 4, "year '20x1'"},
        {"x/2,initiative,T,,2001,,,,,,", 5, "source is empty"},
        {"x/2,initiative,T,,,src,ftp://a.example/,,,,", 6, "url"},
        {"x/2,initiative,T,,,src,https://,,,,", 6, "no host"},
        {"x/2,initiative,T,,,src,,2026-02-30,,,", 7, "not a day"},
        {"x/2,initiative,T,,,src,,26-01-01,,,", 7, "YYYY-MM-DD"},
        {"x 2,initiative,T,,,src,,,,,", 0, "may hold only"},
        {"x/1,initiative,T,,,src,,,,,", 0, "used on line 2"},
        {"x/2,rights_measure,T,AUT,,src,,,,in_force,", 8, "subtype"},
        {"x/2,rights_measure,T,AUT,,src,,,shutdown,maybe,", 9, "status"},
        {"x/2,national_cirt,T,AUT,,src,,,,maybe,", 9, "has or none"},
        {"x/2,legal_instrument,T,,,src,,,treaty,,", 8, "treaty"},
        {"x/2,initiative,T,,,src,,,,,XYZ", 10, "pillar 'XYZ'"},
        {"x/2,initiative,T,,,src,,,,,LEG;", 10, "empty"},
        {"x/2,initiative,,,,src,,,,,", 2, "title is empty"},
        {"x/2,initiative,T\x01,,,src,,,,,", 2, "control character"},
    };
    fixture *f = *state;
    char path[160];
    snprintf(path, sizeof path, "%s/bad.csv", f->dir);
    size_t before = total_entries(f->st);
    long long events = query_int(f->st, "SELECT count(*) FROM audit_events");
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        gca_buf b = GCA_BUF_INIT(1 << 20);
        gca_buf_printf(&b, HDR GOOD "%s\n", cases[i].row);
        write_file(path, gca_buf_str(&b));
        gca_buf_release(&b);
        gca_err err = {0};
        size_t n = 99;
        int rc = gca_kb_import(f->st, "ana", path, &n, &err);
        if (rc != GCA_EPARSE || err.line != 3 ||
            err.col != col_of(cases[i].row, cases[i].field) ||
            !strstr(err.msg, cases[i].msg))
            fail_msg("case %zu: rc %d at %d:%d: %s", i, rc, err.line,
                     err.col, err.msg);
        assert_string_equal(err.source, path);
        assert_int_equal(n, 99);
        /* Nothing of the file, not even its good row. */
        assert_int_equal(total_entries(f->st), before);
        gca_kb_entry *none = NULL;
        assert_int_equal(gca_kb_get(f->st, "x/1", NULL, none, &err),
                         GCA_ENOTFOUND);
    }
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM audit_events"),
                     events);
}

static void test_bad_files(void **state)
{
    static const struct {
        const char *text;
        int line, col;
        const char *msg;
    } cases[] = {
        {"id,kind,title,source,colour\n", 1, 22, "unknown column 'colour'"},
        {"id,kind,title\n", 1, 0, "no column 'source'"},
        {"id,kind,title,source,id\n", 1, 22, "given twice"},
        {"", 0, 0, ""},
        {"id,kind,title,source\nx,initiative,\"T,src\n", 2, 0, ""},
        {"[1]", 0, 0, "entry 1 is not an object"},
        {"[{\"id\":\"a\",\"kind\":\"norm\",\"title\":\"T\"}]", 0, 0,
         "entry 1, field 'source': source is missing"},
        {"[{\"id\":\"a\",\"kind\":\"norm\",\"title\":\"T\",\"source\":\"s\"},"
         "{\"id\":\"b\",\"kind\":\"norm\",\"title\":\"T\",\"source\":\"s\","
         "\"year\":3000}]",
         0, 0, "entry 2, field 'year'"},
        {"[{\"id\":\"a\",\"kind\":\"norm\",\"title\":\"T\",\"source\":\"s\","
         "\"countries\":[\"AUT\",\"ZZZ\"]}]",
         0, 0, "entry 1, field 'countries': country 'ZZZ'"},
        {"[{\"id\":\"a\",\"kind\":\"norm\",\"title\":\"T\",\"source\":\"s\","
         "\"pillars\":[1]}]",
         0, 0, "entry 1, field 'pillars': item 1"},
        {"[{\"id\":\"a\",\"kind\":\"norm\",\"title\":\"T\",\"source\":\"s\","
         "\"colour\":\"red\"}]",
         0, 0, "unknown field 'colour'"},
        {"{\"entries\":[], \"x\":1}", 0, 0, "unknown key 'x'"},
        {"{\"entries\":{}}", 0, 0, "array of entries"},
        {"[{\"id\":\"a\",", 1, 0, ""},
    };
    (void)state;
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        gca_err err = {0};
        size_t n = 0;
        int rc = gca_kb_parse(cases[i].text, strlen(cases[i].text), "f",
                              NULL, &n, &err);
        if (rc >= 0 || !err.msg[0] || err.line != cases[i].line ||
            (cases[i].col && err.col != cases[i].col) ||
            !strstr(err.msg, cases[i].msg))
            fail_msg("case %zu: rc %d at %d:%d: %s", i, rc, err.line,
                     err.col, err.msg);
    }
}

static void test_oversize(void **state)
{
    (void)state;
    gca_buf b = GCA_BUF_INIT(1 << 24);
    gca_err err = {0};
    gca_buf_puts(&b, "id,kind,title,source\nx,norm,");
    for (int i = 0; i < GCA_KB_TITLE_MAX + 1; i++)
        gca_buf_putc(&b, 't');
    gca_buf_puts(&b, ",s\n");
    assert_int_equal(gca_kb_parse(b.ptr, b.len, "f", NULL, NULL, &err),
                     GCA_EPARSE);
    assert_non_null(strstr(err.msg, "title is 501 bytes long"));
    /* An id of 81 bytes. */
    gca_buf_reset(&b);
    gca_buf_puts(&b, "id,kind,title,source\n");
    for (int i = 0; i < GCA_KB_ID_MAX + 1; i++)
        gca_buf_putc(&b, 'i');
    gca_buf_puts(&b, ",norm,T,s\n");
    gca_err_clear(&err);
    assert_int_equal(gca_kb_parse(b.ptr, b.len, "f", NULL, NULL, &err),
                     GCA_EPARSE);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 1);
    /* Too many rows. */
    gca_buf_reset(&b);
    gca_buf_puts(&b, "id,kind,title,source\n");
    for (int i = 0; i < GCA_KB_ROWS_MAX + 1; i++)
        gca_buf_printf(&b, "i%d,norm,T,s\n", i);
    gca_err_clear(&err);
    assert_int_equal(gca_kb_parse(b.ptr, b.len, "f", NULL, NULL, &err),
                     GCA_ETOOBIG);
    gca_buf_release(&b);
    gca_err_clear(&err);
    assert_int_equal(gca_kb_parse("x", (size_t)GCA_KB_FILE_MAX + 1, "f",
                                  NULL, NULL, &err),
                     GCA_ETOOBIG);
}

/* Both forms of lists in JSON, and column order free in CSV. */
static int keep_first(const gca_kb_entry *e, void *ctx)
{
    char *out = ctx;
    snprintf(out, 256, "%s|%s|%s|%d|%s", e->id, e->pillars, e->countries,
             e->year, e->origin);
    return 0;
}

static void test_forms(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"[{\"id\":\"a\",\"kind\":\"norm\",\"title\":\"T\",\"source\":\"s\","
         "\"pillars\":[\"LEG\",\"TEC\"],\"countries\":\"AUT; DEU\","
         "\"year\":2015}]",
         "a|LEG;TEC|AUT;DEU|2015|f"},
        {"{\"entries\":[{\"id\":\"a\",\"kind\":\"norm\",\"title\":\"T\","
         "\"source\":\"s\",\"year\":\"2015\",\"url\":null}]}",
         "a|||2015|f"},
        {"source,title,kind,id,countries\r\ns,T,norm,a, AUT ;DEU\r\n",
         "a||AUT;DEU|0|f"},
    };
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        char got[256] = "";
        gca_err err = {0};
        int rc = gca_kb_parse(cases[i].text, strlen(cases[i].text), "f",
                              keep_first, got, &err);
        if (rc != 0)
            fail_msg("case %zu: %s", i, err.msg);
        assert_string_equal(got, cases[i].want);
    }
}

/* ====== Store ====== */

static void test_roles_and_audit(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    size_t before = total_entries(f->st);
    assert_int_equal(before, NSMALL);
    assert_int_equal(gca_kb_import(f->st, "vic", tu_path(SMALL), NULL, &err),
                     GCA_EPERM);
    gca_err_clear(&err);
    assert_int_equal(gca_kb_import(f->st, "nobody", tu_path(SMALL), NULL,
                                   &err),
                     GCA_ENOTFOUND);
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM audit_events "
                                      "WHERE action = 'kb.import'"),
                     1);
    /* Importing the same file again changes no row. */
    long long rows = query_int(f->st, "SELECT count(*) FROM "
                                      "kb_entry_countries");
    gca_err_clear(&err);
    size_t n = 0;
    assert_int_equal(gca_kb_import(f->st, "admin", tu_path(SMALL), &n, &err),
                     0);
    assert_int_equal(n, NSMALL);
    assert_int_equal(total_entries(f->st), NSMALL);
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM "
                                      "kb_entry_countries"),
                     rows);
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM audit_events "
                                      "WHERE action = 'kb.import'"),
                     2);
    /* Shipped data loaded twice: the second load changes nothing. */
    assert_int_equal(gca_store_load_shipped(f->st, &err), 0);
    size_t once = total_entries(f->st);
    long long changed = query_int(f->st, "SELECT count(*) FROM kb_entries "
                                         "WHERE origin = 'shipped'");
    assert_int_equal(gca_store_load_shipped(f->st, &err), 0);
    assert_int_equal(total_entries(f->st), once);
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM kb_entries "
                                      "WHERE origin = 'shipped'"),
                     changed);
}

static char *slurp(const char *path)
{
    gca_buf b = GCA_BUF_INIT(1 << 26);
    gca_err err = {0};
    assert_int_equal(gca_file_read(path, &b, &err), 0);
    return gca_buf_detach(&b, NULL);
}

static void test_round_trip(void **state)
{
    fixture *f = *state;
    static const char *const fmts[] = {"csv", "json"};
    for (int i = 0; i < 2; i++) {
        char a[192], b[192];
        gca_err err = {0};
        gca_store *st2 = NULL;
        snprintf(a, sizeof a, "%s/a.%s", f->dir, fmts[i]);
        snprintf(b, sizeof b, "%s/b.%s", f->dir, fmts[i]);
        assert_int_equal(gca_kb_export(f->st, NULL, fmts[i], a, &err), 0);
        assert_int_equal(open_store(f->dir, i ? "rt2.db" : "rt1.db", &st2),
                         0);
        size_t n = 0;
        if (gca_kb_import(st2, "ana", a, &n, &err) < 0)
            fail_msg("%s: %s", fmts[i], err.msg);
        assert_int_equal(n, NSMALL);
        assert_int_equal(gca_kb_export(st2, NULL, fmts[i], b, &err), 0);
        char *ta = slurp(a), *tb = slurp(b);
        assert_string_equal(ta, tb);
        gca_free(ta);
        gca_free(tb);
        gca_store_close(st2);
    }
    /* A filtered export. */
    char c[192];
    gca_err err = {0};
    gca_kb_query q = {.kind = "norm"};
    snprintf(c, sizeof c, "%s/norms.csv", f->dir);
    assert_int_equal(gca_kb_export(f->st, &q, "csv", c, &err), 0);
    char *tc = slurp(c);
    assert_non_null(strstr(tc, "norm/GGE15-H,norm,13(h)"));
    assert_null(strstr(tc, "conv/budapest"));
    gca_free(tc);
    assert_int_equal(gca_kb_export(f->st, NULL, "xml", c, &err), GCA_EINVAL);
}

/* ====== Search text ====== */

static void test_translate(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"a", "(\"a\")"},
        {"a b", "(\"a\" AND \"b\")"},
        {"\"a b\" c*", "(\"a b\" AND \"c\"*)"},
        {"\"a b\"*", "(\"a b\"*)"},
        {"\"unbalanced words", "(\"unbalanced words\")"},
        {"a OR b c", "((\"a\" OR \"b\") AND \"c\")"},
        {"a OR", "(\"a\")"},
        {"OR a", "(\"OR\" AND \"a\")"},
        {"a or b", "(\"a\" AND \"or\" AND \"b\")"},
        {"a -b -\"c d\"", "(\"a\") NOT \"b\" NOT \"c d\""},
        {"NEAR(a b)", "(\"NEAR(a\" AND \"b)\")"},
        {"title:x ^y", "(\"title:x\" AND \"^y\")"},
        {"*", ""},
        {"  - ^ () ", ""},
        {"", ""},
        {"a\tb\x01" "c", "(\"a\" AND \"b\" AND \"c\")"},
        {"x\"y", "(\"x\" AND \"y\")"},
    };
    gca_buf out = GCA_BUF_INIT(1 << 16);
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        gca_err err = {0};
        if (gca__kb_fts_query(cases[i].text, &out, &err) != 0)
            fail_msg("case %zu: %s", i, err.msg);
        if (strcmp(gca_buf_str(&out), cases[i].want))
            fail_msg("case %zu: got %s", i, gca_buf_str(&out));
    }
    static const char *const bad[] = {"-only", "-a -\"b c\"", "\xff"};
    for (size_t i = 0; i < GCA_COUNT(bad); i++) {
        gca_err err = {0};
        assert_int_equal(gca__kb_fts_query(bad[i], &out, &err), GCA_EINVAL);
        assert_string_equal(err.source, "text");
    }
    gca_buf_release(&out);
}

/* ====== Search ====== */

typedef struct got {
    char ids[1024];
    char snippets[2048];
    double scores[32];
    size_t n;
} got;

static int collect(const gca_kb_hit *h, void *ctx)
{
    got *g = ctx;
    size_t len = strlen(g->ids);
    snprintf(g->ids + len, sizeof g->ids - len, "%s%s", len ? " " : "",
             h->entry.id);
    len = strlen(g->snippets);
    snprintf(g->snippets + len, sizeof g->snippets - len, "%s|", h->snippet);
    if (g->n < 32)
        g->scores[g->n] = h->score;
    g->n++;
    return 0;
}

static void test_search_table(void **state)
{
    fixture *f = *state;
    static const struct {
        gca_kb_query q;
        size_t total;
        const char *ids; /* in order */
    } cases[] = {
        {{.text = "incident"}, 2, "org/FIRST cirt/AUT/CERT.at"},
        {{.text = "\"emergency response\" -austria"}, 3,
         "norm/GGE15-K cirt/CIV/CI-CERT cirt/DEU/CERT-Bund"},
        {{.text = "conv*", .kind = "legal_instrument"}, 2,
         "conv/budapest conv/malabo"},
        {{.text = "conv*", .year_from = 2000, .year_to = 2010}, 1,
         "conv/budapest"},
        {{.text = "cote"}, 1, "cirt/CIV/CI-CERT"},
        {{.text = "nosuchword"}, 0, ""},
        {{.pillar = "CAP"}, 1, "init/itu-cirt"},
        {{.region = "western europe"}, 2,
         "cirt/AUT/CERT.at cirt/DEU/CERT-Bund"},
        {{.region = "AFRICA"}, 2, "conv/malabo cirt/CIV/CI-CERT"},
        {{.country = "AUS"}, 1, "rights/AUS/assistance-access"},
        {{.status = "in_force"}, 1, "rights/AUS/assistance-access"},
        {{.kind = "norm"}, 2, "norm/GGE15-K norm/GGE15-H"},
        {{.year_from = 2015}, 4,
         "std/iso27001 norm/GGE15-K norm/GGE15-H "
         "rights/AUS/assistance-access"},
        {{.year_to = 1995}, 1, "org/FIRST"},
        {{.text = "team", .limit = 2, .offset = 1}, 3,
         "cirt/DEU/CERT-Bund cirt/AUT/CERT.at"},
        {{.text = "team", .limit = 2, .offset = 10}, 3, ""},
        {{.text = "team", .limit = 1}, 3, "cirt/CIV/CI-CERT"},
        {{.text = "cybercrime OR malabo"}, 2, "conv/malabo conv/budapest"},
    };
    /* Once in SQL, once with the in-memory index. */
    for (int keep = 0; keep < 2; keep++) {
        gca_err err = {0};
        assert_int_equal(gca_kb_keep_index(f->st, keep, &err), 0);
        for (size_t i = 0; i < GCA_COUNT(cases); i++) {
            got g = {0};
            size_t total = 99;
            int rc = gca_kb_search(f->st, &cases[i].q, collect, &g, &total,
                                   &err);
            if (rc != 0)
                fail_msg("index %d, case %zu: %s", keep, i, err.msg);
            if (total != cases[i].total || strcmp(g.ids, cases[i].ids))
                fail_msg("index %d, case %zu: %zu hits: %s", keep, i, total,
                         g.ids);
        }
    }
}

static void test_ranking_snippets(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    got g = {0};
    gca_kb_query q = {.text = "incident"};
    assert_int_equal(gca_kb_search(f->st, &q, collect, &g, NULL, &err), 0);
    /* The title match ranks above the summary match. */
    assert_int_equal(g.n, 2);
    assert_true(g.scores[0] > g.scores[1]);
    assert_true(g.scores[1] > 0);
    assert_non_null(strstr(g.snippets, "Forum of [Incident] Response"));
    assert_non_null(strstr(g.snippets, "coordinates [incident] handling"));
    /* Marks of the caller's choice. */
    got h = {0};
    q.mark_open = "\x02";
    q.mark_close = "\x03";
    assert_int_equal(gca_kb_search(f->st, &q, collect, &h, NULL, &err), 0);
    assert_non_null(strstr(h.snippets, "\x02Incident\x03"));
    /* Without text: no score, no snippet. */
    got k = {0};
    gca_kb_query none = {.kind = "standard"};
    assert_int_equal(gca_kb_search(f->st, &none, collect, &k, NULL, &err), 0);
    assert_int_equal(k.n, 1);
    assert_true(k.scores[0] == 0.0);
    assert_string_equal(k.snippets, "|");
}

static void search_hostile(fixture *f)
{
    char longtext[2001];
    memset(longtext, 'a', 2000);
    longtext[2000] = '\0';
    const char *const texts[] = {
        "\"unbalanced", "NEAR(", "NEAR(a b, 2)", "a OR", "OR", "-only",
        "title:x", "summary:incident", "^x", "*", "**", "\"\"", "\"",
        "a AND", "AND", "NOT", "a NOT b", "(incident", "incident)",
        "{title summary}: x", "x\x01y\x1f", "'; DROP TABLE kb_entries; --",
        "incident*\"*", "- - -", "\"a\"\"b\"", "\xc3\xa9", "\xff\xfe",
        longtext,
    };
    for (size_t i = 0; i < GCA_COUNT(texts); i++) {
        gca_kb_query q = {.text = texts[i]};
        gca_err err = {0};
        size_t total = 0;
        int rc = gca_kb_search(f->st, &q, NULL, NULL, &total, &err);
        if (rc != 0 && !(rc == GCA_EINVAL && !strcmp(err.source, "text")))
            fail_msg("text %zu: rc %d %s: %s", i, rc, err.source, err.msg);
    }
    assert_int_equal(total_entries(f->st), NSMALL);
    /* Injected column filter words are plain words: "summary:incident" is
     * the phrase "summary incident", which no entry holds. */
    gca_kb_query q = {.text = "(incident"};
    size_t total = 0;
    gca_err err = {0};
    assert_int_equal(gca_kb_search(f->st, &q, NULL, NULL, &total, &err), 0);
    assert_int_equal(total, 2);
}

/* In SQL, then with the in-memory index. */
static void test_search_hostile(void **state)
{
    fixture *f = *state;
    for (int keep = 0; keep < 2; keep++) {
        gca_err err = {0};
        assert_int_equal(gca_kb_keep_index(f->st, keep, &err), 0);
        search_hostile(f);
    }
}

static void test_search_bad_filters(void **state)
{
    fixture *f = *state;
    static const struct {
        gca_kb_query q;
        const char *field;
    } cases[] = {
        {{.kind = "thing"}, "kind"},
        {{.pillar = "XYZ"}, "pillar"},
        {{.country = "XXX"}, "country"},
        {{.year_from = 1800}, "year"},
        {{.year_from = 2010, .year_to = 2000}, "year"},
        {{.limit = 1001}, "limit"},
        {{.offset = -1}, "offset"},
        {{.text = "-x"}, "text"},
    };
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        gca_err err = {0};
        int rc = gca_kb_search(f->st, &cases[i].q, NULL, NULL, NULL, &err);
        if (rc != GCA_EINVAL || strcmp(err.source, cases[i].field))
            fail_msg("case %zu: rc %d %s: %s", i, rc, err.source, err.msg);
    }
}

/* ====== The in-memory index agrees with FTS5 ====== */

static unsigned long long rng = 0x2545f4914f6cdd1dULL;

static size_t pick(size_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (size_t)(rng % n);
}

/* Few words, so that entries share them, ranks tie and phrases repeat;
 * case, diacritics, hyphens and digits as real text has them. */
static const char *const dwords[] = {
    "cyber", "security", "cybersecurity", "national", "team", "incident",
    "response", "C\xc3\xb4te", "cote", "d'Ivoire", "e-government", "data",
    "DATA", "protection", "law", "lawful", "access", "retention", "network",
    "networks", "emergency", "computer", "crime", "cybercrime", "na\xc3\xafve",
    "stra\xc3\x9f" "e", "2015", "13(k)", "norms", "x1", "team", "data",
};
static const char *const dcountries[] = {"AUT", "DEU", "CIV", "SEN", "KEN",
                                         "BRA", "AUS", "FRA"};
static const char *const dregions[] = {"Europe", "africa", "Western Africa",
                                       "global", "", "Americas"};

static void dwrite(FILE *f, int n)
{
    for (int i = 0; i < n; i++)
        fprintf(f, "%s%s", i ? " " : "", dwords[pick(GCA_COUNT(dwords))]);
}

static void write_generated(const char *path, int n)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("id,kind,subtype,title,summary,pillars,countries,region,year,"
          "status,url,source,retrieved,note\n",
          f);
    static const char *const pil[] = {"LEG", "TEC", "ORG", "CAP", "COO"};
    for (int i = 0; i < n; i++) {
        const char *kind = gca_kb_kinds[pick(7)];
        const char *sub = "", *status = pick(3) ? "" : "active";
        char norm[16];
        if (!strcmp(kind, "rights_measure")) {
            sub = gca_kb_rights_measures[pick(6)];
            status = pick(2) ? "in_force" : "proposed";
        } else if (!strcmp(kind, "national_cirt")) {
            status = pick(4) ? "has" : "none";
        } else if (!strcmp(kind, "legal_instrument")) {
            sub = pick(2) ? "law" : "";
        } else if (!strcmp(kind, "norm")) {
            snprintf(norm, sizeof norm, "13(%c)", (char)('a' + pick(11)));
            sub = norm;
        } else if (!pick(3)) {
            sub = dwords[pick(GCA_COUNT(dwords))];
        }
        fprintf(f, "gen/%d,%s,\"%s\",\"", i, kind, sub);
        dwrite(f, 1 + (int)pick(6));
        fputs("\",\"", f);
        dwrite(f, (int)pick(25));
        fputs("\",", f);
        for (size_t j = 0, np = pick(3), p0 = pick(5); j < np; j++)
            fprintf(f, "%s%s", j ? ";" : "", pil[(p0 + j) % 5]);
        fputc(',', f);
        for (size_t j = 0, nc = pick(3), c0 = pick(8); j < nc; j++)
            fprintf(f, "%s%s", j ? ";" : "", dcountries[(c0 + j) % 8]);
        fprintf(f, ",%s,", dregions[pick(6)]);
        if (pick(5))
            fprintf(f, "%d", 1995 + (int)pick(30));
        fprintf(f, ",%s,,generated for test_kb,,\"", status);
        if (!pick(4))
            dwrite(f, 1 + (int)pick(4));
        fputs("\"\n", f);
    }
    assert_int_equal(fclose(f), 0);
}

static void random_query(gca_kb_query *q, char *text, size_t size)
{
    const char *a = dwords[pick(GCA_COUNT(dwords))];
    const char *b = dwords[pick(GCA_COUNT(dwords))];
    const char *c = dwords[pick(GCA_COUNT(dwords))];
    memset(q, 0, sizeof *q);
    switch (pick(12)) {
    case 0: snprintf(text, size, "%s", a); break;
    case 1: snprintf(text, size, "%s %s", a, b); break;
    case 2: snprintf(text, size, "\"%s %s\"", a, b); break;
    case 3: snprintf(text, size, "\"%s %s %s\"", a, b, c); break;
    case 4: snprintf(text, size, "%.3s*", a); break;
    case 5: snprintf(text, size, "%s OR %s", a, b); break;
    case 6: snprintf(text, size, "%s -%s", a, b); break;
    case 7: snprintf(text, size, "%s OR %s %s", a, b, c); break;
    case 8: snprintf(text, size, "%s %s OR %.2s* -%s", a, b, c, a); break;
    case 9: snprintf(text, size, "\"%s %s\"*", a, b); break;
    case 10: snprintf(text, size, "%s %s", a, a); break;
    default: snprintf(text, size, "\"%s\" %s*", a, b); break;
    }
    q->text = text;
    switch (pick(9)) {
    case 0: q->kind = gca_kb_kinds[pick(7)]; break;
    case 1: q->pillar = (const char *[]){"LEG", "TEC", "CAP"}[pick(3)]; break;
    case 2:
        q->region = (const char *[]){"europe", "AFRICA", "Western Africa",
                                     "global", "Oceania"}[pick(5)];
        break;
    case 3: q->country = dcountries[pick(8)]; break;
    case 4: q->status = (const char *[]){"has", "in_force", "active"}[pick(3)]; break;
    case 5:
        q->year_from = 1995 + (int)pick(30);
        q->year_to = pick(2) ? q->year_from + (int)pick(8) : 0;
        break;
    default: break;
    }
    if (!pick(4))
        q->limit = 1 + (int)pick(40);
    if (!pick(4))
        q->offset = (int)pick(60);
}

/* Everything a search gave, as text, scores bit for bit. */
static int record(const gca_kb_hit *h, void *ctx)
{
    gca_buf *b = ctx;
    unsigned long long bits;
    memcpy(&bits, &h->score, sizeof bits);
    gca_buf_printf(b, "%s %016llx %s\n", h->entry.id, bits, h->snippet);
    return 0;
}

static void search_into(gca_store *st, const gca_kb_query *q, gca_buf *b)
{
    gca_err err = {0};
    size_t total = 0;
    gca_buf_reset(b);
    int rc = gca_kb_search(st, q, record, b, &total, &err);
    gca_buf_printf(b, "rc %d %s total %zu", rc, err.msg, total);
}

static void test_index_agrees(void **state)
{
    fixture *f = *state;
    char csv[160];
    gca_err err = {0};
    snprintf(csv, sizeof csv, "%s/gen.csv", f->dir);
    write_generated(csv, 3000);
    assert_int_equal(gca_kb_import(f->st, "ana", csv, NULL, &err), 0);
    /* A second handle on the same file keeps the index. */
    gca_store *ix = NULL;
    snprintf(csv, sizeof csv, "%s/gca.db", f->dir);
    assert_int_equal(gca_store_open(csv, 0, &ix, &err), 0);
    assert_int_equal(gca_kb_keep_index(ix, 1, &err), 0);
    gca_buf a = GCA_BUF_INIT(1 << 24), b = GCA_BUF_INIT(1 << 24);
    char text[256];
    size_t hits = 0;
    for (int i = 0; i < 1500; i++) {
        gca_kb_query q;
        random_query(&q, text, sizeof text);
        search_into(f->st, &q, &a);
        search_into(ix, &q, &b);
        if (a.len != b.len || memcmp(a.ptr, b.ptr, a.len))
            fail_msg("query %d '%s' (kind %s region %s country %s "
                     "offset %d):\nSQL:\n%s\nindex:\n%s",
                     i, text, q.kind ? q.kind : "-",
                     q.region ? q.region : "-", q.country ? q.country : "-",
                     q.offset, a.ptr, b.ptr);
        hits += a.len > 40;
    }
    assert_true(hits > 500); /* most queries found something */

    /* A change by another handle moves the generation: the index is
     * rebuilt by the next search, and agrees again. */
    gca_kb_query q = {.text = "incident"};
    search_into(ix, &q, &b);
    assert_int_equal(sqlite3_exec(gca__sqlite_handle(f->st->conn),
                                  "DELETE FROM kb_entries WHERE rowid IN "
                                  "(SELECT rowid FROM kb_entries WHERE "
                                  "title LIKE '%incident%' LIMIT 50)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    search_into(f->st, &q, &a);
    gca_buf c = GCA_BUF_INIT(1 << 24);
    search_into(ix, &q, &c);
    assert_true(b.len != c.len || memcmp(b.ptr, c.ptr, b.len));
    assert_int_equal(a.len, c.len);
    assert_memory_equal(a.ptr, c.ptr, a.len);
    gca_buf_release(&a);
    gca_buf_release(&b);
    gca_buf_release(&c);
    gca_store_close(ix);
}

static int show_get(const gca_kb_entry *e, void *ctx)
{
    snprintf(ctx, 256, "%s|%s|%s|%d|%s|%s", e->kind, e->subtype,
             e->countries, e->year, e->status, e->origin);
    return 0;
}

static void test_get(void **state)
{
    fixture *f = *state;
    char buf[256] = "";
    gca_err err = {0};
    assert_int_equal(gca_kb_get(f->st, "rights/AUS/assistance-access",
                                show_get, buf, &err),
                     0);
    assert_string_equal(buf, "rights_measure|lawful_access_e2ee|AUS|2018|"
                             "in_force|kb_small.csv");
    assert_int_equal(gca_kb_get(f->st, "nope", show_get, buf, &err),
                     GCA_ENOTFOUND);
}

/* Every shipped file parses (whatever data/kb/ holds at build time). */
static void test_shipped_files(void **state)
{
    (void)state;
    for (size_t i = 0; i < gca__embedded_nfiles; i++) {
        const gca__blob *b = &gca__embedded_files[i];
        if (strncmp(b->name, "data/kb/", 8) != 0)
            continue;
        gca_err err = {0};
        size_t n = 0;
        if (gca_kb_parse(b->data, b->len, b->name, NULL, &n, &err) != 0)
            fail_msg("%s:%d:%d: %s", err.source, err.line, err.col, err.msg);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bad_rows, setup, teardown),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_oversize),
        cmocka_unit_test(test_forms),
        cmocka_unit_test_setup_teardown(test_roles_and_audit, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test(test_translate),
        cmocka_unit_test_setup_teardown(test_search_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ranking_snippets, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_search_hostile, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_search_bad_filters, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_index_agrees, setup, teardown),
        cmocka_unit_test_setup_teardown(test_get, setup, teardown),
        cmocka_unit_test(test_shipped_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
