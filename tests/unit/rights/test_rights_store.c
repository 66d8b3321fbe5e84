/* test_rights_store.c - the rights lens over a store (src/store/rights.c):
 * measures listed and filtered (regional ones never attributed to a
 * country), flags, the profile's security side unchanged by rights
 * measures, rankings equal with and without them, and the analyst
 * warning (legal pillar only, same country only, near misses, evidence,
 * knowledge-base legal instruments, restricted evidence not quoted). */
#define _XOPEN_SOURCE 700
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gca.h"
#include "gca/rights.h"
#include "store/backend.h"
#include "testutil.h"

#define IPA "Investigatory Powers Act 2016, s.253 (technical capability notices)"
#define ED "rtest-2026"

typedef struct fixture {
    char dir[64];
    char db[128];
    gca_store *st;
} fixture;

/* Knowledge-base rows as the importer would write them (it is not part
 * of this module): the entry, then its country list. */
static void kb_add(gca_store *st, const char *id, const char *kind,
                   const char *subtype, const char *title,
                   const char *iso3, const char *region, const char *status,
                   const char *note)
{
    gca_err err = {0};
    gca__stmt *s = NULL;
    assert_int_equal(
        st->be->prepare(
            st->conn,
            "INSERT INTO kb_entries (id, kind, subtype, title, countries, "
            "region, year, status, url, source, note, origin, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, 2016, ?, 'https://x.example', "
            "'test source', ?, 'test', '2026-01-01T00:00:00Z')",
            &s, &err),
        0);
    st->be->bind_text(s, 1, id);
    st->be->bind_text(s, 2, kind);
    st->be->bind_text(s, 3, subtype);
    st->be->bind_text(s, 4, title);
    st->be->bind_text(s, 5, iso3 ? iso3 : "");
    st->be->bind_text(s, 6, region);
    st->be->bind_text(s, 7, status);
    st->be->bind_text(s, 8, note);
    assert_int_equal(st->be->step(s, &err), 0);
    st->be->finalize(s);
    if (!iso3)
        return;
    assert_int_equal(st->be->prepare(st->conn,
                                     "INSERT INTO kb_entry_countries "
                                     "(entry, iso3) SELECT rowid, ? FROM "
                                     "kb_entries WHERE id = ?",
                                     &s, &err),
                     0);
    st->be->bind_text(s, 1, iso3);
    st->be->bind_text(s, 2, id);
    assert_int_equal(st->be->step(s, &err), 0);
    st->be->finalize(s);
}

static void seed_measures(gca_store *st)
{
    kb_add(st, "rm/GBR/ipa", "rights_measure", "lawful_access_e2ee", IPA,
           "GBR", "Europe", "in_force", "unverified: secondary source");
    kb_add(st, "rm/GBR/ret", "rights_measure", "data_retention",
           "Data Retention Bill", "GBR", "Europe", "proposed", "");
    kb_add(st, "rm/GBR/old", "rights_measure", "encryption_restriction",
           "Old Crypto Order", "GBR", "Europe", "repealed", "");
    kb_add(st, "rm/EU/csar", "rights_measure", "lawful_access_e2ee",
           "CSA Regulation (proposal)", NULL, "European Union", "proposed",
           "");
    kb_add(st, "cirt/GBR", "national_cirt", "", "NCSC", "GBR", "Europe",
           "has", "");
}

static int setup(void **state)
{
    gca_err err = {0};
    char *json = NULL;
    size_t len = 0;
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    memcpy(f->dir, "/tmp/gca-test-rights-XXXXXX", 28);
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->db, sizeof f->db, "%s/gca.db", f->dir);
    FILE *fp = fopen(tu_path("tests/cases/_inputs/rights_questionnaire.json"),
                     "rb");
    if (!fp)
        return -1;
    json = calloc(1, 8192);
    len = json ? fread(json, 1, 8191, fp) : 0;
    fclose(fp);
    if (gca_store_open(f->db, GCA_STORE_CREATE, &f->st, &err) < 0 ||
        gca_store_migrate(f->st, NULL, &err) < 0 ||
        gca_store_load_shipped(f->st, &err) < 0 ||
        /* The shipped knowledge base out of the way: the tests count
         * their own rows. */
        f->st->be->exec(f->st->conn, "DELETE FROM kb_entries", &err) < 0 ||
        gca_user_add(f->st, NULL, "admin", "admin", NULL, NULL, &err) < 0 ||
        gca_user_add(f->st, "admin", "ana", "analyst", NULL, NULL, &err) <
            0 ||
        gca_store_add_framework(f->st, "admin", json, len, "rq.json", NULL,
                                &err) < 0 ||
        gca_edition_create(f->st, "admin", "RTEST", 2026, NULL, NULL, &err) <
            0 ||
        gca_edition_open(f->st, "admin", ED, &err) < 0) {
        fprintf(stderr, "setup: %s\n", err.msg);
        free(json);
        return -1;
    }
    free(json);
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

/* ====== Listing and flags ====== */

typedef struct seen {
    int n, regional;
    char ids[8][32];
} seen;

static int collect(const gca_rights_measure *m, void *ctx)
{
    seen *s = ctx;
    if (!*m->iso3) {
        s->regional++;
        assert_string_equal(m->region, "European Union");
        assert_string_equal(m->country, "");
    }
    if (s->n < 8)
        snprintf(s->ids[s->n], sizeof s->ids[0], "%s", m->id);
    s->n++;
    return 0;
}

static void test_list(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    seed_measures(f->st);
    static const struct {
        gca_rights_filter flt;
        int n, regional;
        const char *first;
    } cases[] = {
        {{NULL, NULL, NULL}, 4, 1, "rm/GBR/ret"},
        {{"GBR", NULL, NULL}, 3, 0, "rm/GBR/ret"},
        {{"FRA", NULL, NULL}, 0, 0, NULL},
        {{NULL, "lawful_access_e2ee", NULL}, 2, 1, "rm/GBR/ipa"},
        {{NULL, NULL, "proposed"}, 2, 1, "rm/GBR/ret"},
        {{"GBR", "encryption_restriction", "repealed"}, 1, 0, "rm/GBR/old"},
    };
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        seen s = {0, 0, {{0}}};
        assert_int_equal(gca_rights_list(f->st, &cases[i].flt, collect, &s,
                                         &err),
                         0);
        assert_int_equal(s.n, cases[i].n);
        assert_int_equal(s.regional, cases[i].regional);
        if (cases[i].first)
            assert_string_equal(s.ids[0], cases[i].first);
    }
    /* The regional row comes last. */
    seen all = {0, 0, {{0}}};
    assert_int_equal(gca_rights_list(f->st, NULL, collect, &all, &err), 0);
    assert_string_equal(all.ids[3], "rm/EU/csar");

    gca_rights_filter bad_m = {NULL, "backdoor", NULL};
    assert_int_equal(gca_rights_list(f->st, &bad_m, collect, &all, &err),
                     GCA_EINVAL);
    assert_string_equal(err.source, "measure");
    err = (gca_err){0};
    gca_rights_filter bad_s = {NULL, NULL, "in force"};
    assert_int_equal(gca_rights_list(f->st, &bad_s, collect, &all, &err),
                     GCA_EINVAL);
    assert_string_equal(err.source, "status");
    gca_rights_filter bad_c = {"XXX", NULL, NULL};
    assert_int_equal(gca_rights_list(f->st, &bad_c, collect, &all, &err),
                     GCA_ENOTFOUND);
}

static void test_flags(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    char flags[GCA_RIGHTS_FLAGS_MAX];
    assert_int_equal(gca_rights_country_flags(f->st, "GBR", flags, &err), 0);
    assert_string_equal(flags, "");
    seed_measures(f->st);
    assert_int_equal(gca_rights_country_flags(f->st, "GBR", flags, &err), 0);
    /* E in force, r proposed, the repealed C absent; the EU proposal is
     * not the United Kingdom's. */
    assert_string_equal(flags, "Er");
    assert_int_equal(gca_rights_country_flags(f->st, "DEU", flags, &err), 0);
    assert_null(strchr(flags, 'e'));
    assert_null(strchr(flags, 'E'));
}

/* ====== Profile and ranking: the security side never moves ====== */

static void test_security_unchanged(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    gca_rights_security before, after;
    assert_int_equal(gca_rights_security_get(f->st, "GBR", ED, &before,
                                             &err),
                     0);
    assert_true(before.has_published);
    assert_true(fabs(before.published_score - 99.54) < 1e-9);
    assert_int_equal(before.published_rank, 2);
    assert_false(before.has_edition);
    assert_string_equal(before.cirt_status, "unknown");
    seed_measures(f->st);
    assert_int_equal(gca_rights_security_get(f->st, "GBR", ED, &after, &err),
                     0);
    assert_string_equal(after.cirt_status, "has");
    assert_string_equal(after.cirt_team, "NCSC");
    /* Every score field is the same, bit for bit. */
    assert_memory_equal(&before.published_score, &after.published_score,
                        sizeof(double));
    assert_int_equal(before.published_rank, after.published_rank);
    assert_int_equal(before.has_edition, after.has_edition);

    assert_int_equal(gca_rights_security_get(f->st, "XXX", NULL, &after,
                                             &err),
                     GCA_ENOTFOUND);
    assert_string_equal(err.source, "country");
    err = (gca_err){0};
    assert_int_equal(gca_rights_security_get(f->st, "GBR", "nope-1", &after,
                                             &err),
                     GCA_ENOTFOUND);
    assert_string_equal(err.source, "edition");
}

typedef struct ranking {
    char text[16384];
    size_t len;
    int n;
} ranking;

static int add_rank(const gca_rights_rank *r, void *ctx)
{
    ranking *k = ctx;
    int w = snprintf(k->text + k->len, sizeof k->text - k->len,
                     "%d %s %.17g\n", r->rank, r->iso3, r->score);
    assert_true(w > 0 && (size_t)w < sizeof k->text - k->len);
    k->len += (size_t)w;
    k->n++;
    return 0;
}

static void test_ranking_unchanged(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    static ranking before, after;
    memset(&before, 0, sizeof before);
    memset(&after, 0, sizeof after);
    assert_int_equal(gca_rights_ranking(f->st, NULL, 50, add_rank, &before,
                                        &err),
                     0);
    assert_int_equal(before.n, 50);
    assert_non_null(strstr(before.text, "1 USA 100\n2 GBR "));
    seed_measures(f->st);
    assert_int_equal(gca_rights_ranking(f->st, NULL, 50, add_rank, &after,
                                        &err),
                     0);
    assert_string_equal(before.text, after.text);
    assert_int_equal(gca_rights_ranking(f->st, NULL, -1, add_rank, &after,
                                        &err),
                     GCA_EINVAL);
    assert_int_equal(gca_rights_ranking(f->st, "nope-1", 0, add_rank,
                                        &after, &err),
                     GCA_ENOTFOUND);
}

/* ====== Analyst warning ====== */

typedef struct warns {
    int n;
    char lines[16][200];
} warns;

static int add_warn(const gca_rights_warning *w, void *ctx)
{
    warns *k = ctx;
    if (k->n < 16)
        snprintf(k->lines[k->n], sizeof k->lines[0], "%s %s %s %s %s %.60s",
                 w->iso3, w->where, w->question, w->field, w->measure_id,
                 w->text);
    k->n++;
    return 0;
}

static void answer(fixture *f, const char *iso3, const char *q,
                   const char *comment)
{
    gca_err err = {0};
    if (gca_answer_set(f->st, "ana", ED, iso3, q, "yes", comment, &err) < 0)
        fail_msg("answer %s %s: %s", iso3, q, err.msg);
}

static void test_check(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    warns w = {0, {{0}}};
    size_t n = 99;
    seed_measures(f->st);
    kb_add(f->st, "li/GBR/ipa", "legal_instrument", "law",
           "Investigatory Powers Act 2016", "GBR", "Europe", "", "");
    kb_add(f->st, "li/FRA/x", "legal_instrument", "law",
           "Investigatory Powers Act 2016", "FRA", "Europe", "", "");
    /* Named in a legal answer: a warning. */
    answer(f, "GBR", "LEG.1.1", "Covered by the Investigatory Powers Act "
                                "2016 (s.253).");
    /* Named in a technical answer: not the legal pillar. */
    answer(f, "GBR", "TEC.1.1", "Investigatory Powers Act 2016");
    /* Another country naming the UK's act: not its measure. */
    answer(f, "FRA", "LEG.1.1", "unlike the Investigatory Powers Act 2016");
    /* A near miss. */
    answer(f, "DEU", "LEG.1.1", "Investigatory Powers Act 2000");
    assert_int_equal(gca_evidence_add_url(
                         f->st, "ana", ED, "GBR", "LEG.1.1",
                         "https://example.org/investigatory-powers-act-2016",
                         "2026-01-02", NULL, "public", NULL, NULL, &err),
                     0);
    assert_int_equal(gca_evidence_add_url(
                         f->st, "ana", ED, "GBR", "LEG.1.1",
                         "https://example.org/secret", "2026-01-02", NULL,
                         "restricted", "draft of the investigatory powers "
                         "act 2016 notice", NULL, &err),
                     0);
    assert_int_equal(gca_rights_check(f->st, ED, add_warn, &w, &n, &err), 0);
    assert_int_equal(n, 4);
    assert_int_equal(w.n, 4);
    assert_string_equal(w.lines[0], "GBR answer LEG.1.1 comment rm/GBR/ipa "
                                    "Covered by the Investigatory Powers "
                                    "Act 2016 (s.253).");
    assert_string_equal(w.lines[1], "GBR evidence LEG.1.1 url rm/GBR/ipa "
                                    "https://example.org/investigatory-"
                                    "powers-act-2016");
    /* Restricted evidence is reported without quoting it. */
    assert_non_null(strstr(w.lines[2], "GBR evidence LEG.1.1 note "
                                       "rm/GBR/ipa (restricted evidence "));
    assert_string_equal(w.lines[3], "GBR kb li/GBR/ipa title rm/GBR/ipa "
                                    "Investigatory Powers Act 2016");

    assert_int_equal(gca_rights_check(f->st, "nope-1", add_warn, &w, &n,
                                      &err),
                     GCA_ENOTFOUND);
    assert_string_equal(err.source, "edition");
}

static void test_check_empty(void **state)
{
    fixture *f = *state;
    gca_err err = {0};
    warns w = {0, {{0}}};
    size_t n = 99;
    answer(f, "GBR", "LEG.1.1", "Investigatory Powers Act 2016");
    /* No rights measure recorded: nothing to warn about. */
    assert_int_equal(gca_rights_check(f->st, ED, add_warn, &w, &n, &err), 0);
    assert_int_equal(n, 0);
    assert_int_equal(w.n, 0);
}

/* Every allocation of the library may fail during a check: it then
 * returns GCA_ENOMEM with the error filled, and leaks nothing. */
static void test_check_out_of_memory(void **state)
{
    fixture *f = *state;
    seed_measures(f->st);
    answer(f, "GBR", "LEG.1.1", "Investigatory Powers Act 2016");
    for (long n = 1;; n++) {
        gca_err err = {0};
        warns w = {0, {{0}}};
        size_t cnt = 0;
        gca_alloc_fail_after(n);
        int rc = gca_rights_check(f->st, ED, add_warn, &w, &cnt, &err);
        gca_alloc_fail_after(0);
        if (rc == 0) {
            assert_int_equal(cnt, 1);
            break;
        }
        assert_int_equal(rc, GCA_ENOMEM);
        assert_int_equal(err.code, GCA_ENOMEM);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flags, setup, teardown),
        cmocka_unit_test_setup_teardown(test_security_unchanged, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ranking_unchanged, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_check, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_out_of_memory, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
