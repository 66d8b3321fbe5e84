/* test_rights.c - the pure part of the rights lens (src/rights/): the
 * short name of an instrument and its matching in free text (with near
 * misses), the flags string, and the shutdown counts file (malformed,
 * oversized, hostile input). */
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

#define IPA "Investigatory Powers Act 2016, s.253 (technical capability notices)"

static void test_short_name(void **state)
{
    static const struct {
        const char *in, *want;
        int tokens;
    } cases[] = {
        {IPA, "investigatory powers act 2016", 4},
        {"Investigatory Powers (Amendment) Act 2024", "investigatory powers",
         2},
        {"Yarovaya law (Federal Laws 374-FZ, 375-FZ)", "yarovaya law", 2},
        {"  Décret n°2015-1 ", "d cret n 2015 1", 5},
        {"(only brackets)", "", 0},
        {", leading comma", "", 0},
        {"", "", 0},
        {"IT-Act 2000", "it act 2000", 3},
    };
    (void)state;
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        char out[128];
        int n = gca_rights_short_name(cases[i].in, out, sizeof out);
        assert_int_equal(n, cases[i].tokens);
        assert_string_equal(out, cases[i].want);
    }
    char small[8];
    assert_int_equal(gca_rights_short_name(IPA, small, sizeof small),
                     GCA_ETOOBIG);
    assert_int_equal(gca_rights_short_name(NULL, small, sizeof small), 0);
}

static void test_match_table(void **state)
{
    static const struct {
        const char *instrument, *text;
        int want;
    } cases[] = {
        {IPA, "Cybercrime law: the Investigatory Powers Act 2016 applies", 1},
        {IPA, "see INVESTIGATORY-POWERS-ACT-2016.pdf", 1},
        {IPA, "https://example.org/investigatory_powers_act_2016/s253", 1},
        {IPA, "investigatory  powers,\nact (2016)", 1},
        {IPA, "Investigatory Powers Act 2016", 1},
        /* Near misses. */
        {IPA, "Investigatory Powers Act 2000", 0},
        {IPA, "Investigatory Powers Act 20166", 0},
        {IPA, "Investigatory Powers Act", 0},
        {IPA, "Regulation of Investigatory Powers Act 2000", 0},
        {IPA, "investigatory powers bill act 2016", 0},
        {IPA, "Investigatory Power Act 2016", 0},
        {IPA, "xinvestigatory powers act 2016", 0},
        {IPA, "", 0},
        {IPA, NULL, 0},
        {"(nothing)", "nothing", 0},
        {"", "anything", 0},
        {"IT Act 2000", "the IT act 2000 (amended 2008)", 1},
        {"IT Act 2000", "EDIT Act 2000", 0},
        {"Investigatory Powers (Amendment) Act 2024",
         "Investigatory Powers Act 2016", 1}, /* short name is two words */
    };
    (void)state;
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        int got = gca_rights_match(cases[i].instrument, cases[i].text);
        if (got != cases[i].want)
            fail_msg("case %zu: '%s' in '%s': got %d", i,
                     cases[i].instrument, cases[i].text ? cases[i].text
                                                        : "(null)", got);
    }
}

static void test_flags(void **state)
{
    static const struct {
        const char *m[4], *s[4];
        const char *want;
    } cases[] = {
        {{NULL}, {NULL}, ""},
        {{"lawful_access_e2ee"}, {"in_force"}, "E"},
        {{"lawful_access_e2ee"}, {"proposed"}, "e"},
        {{"lawful_access_e2ee", "lawful_access_e2ee"},
         {"proposed", "in_force"}, "E"},
        {{"shutdown", "data_retention", "routing_restriction"},
         {"in_force", "in_force", "proposed"}, "RgS"},
        {{"data_retention", "encryption_restriction"},
         {"repealed", "struck_down"}, ""},
        {{"subscriber_id_registration", "encryption_restriction", "bogus"},
         {"in_force", "proposed", "in_force"}, "cI"},
        {{"lawful_access_e2ee", "encryption_restriction", "data_retention",
          "subscriber_id_registration"},
         {"in_force", "in_force", "in_force", "in_force"}, "ECRI"},
    };
    (void)state;
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        gca_rights_flags f = {0, 0};
        char out[GCA_RIGHTS_FLAGS_MAX];
        for (size_t k = 0; k < 4 && cases[i].m[k]; k++)
            gca_rights_flags_add(&f, cases[i].m[k], cases[i].s[k]);
        gca_rights_flags_format(&f, out);
        assert_string_equal(out, cases[i].want);
    }
    gca_rights_flags all = {0x3f, 0x3f};
    char out[GCA_RIGHTS_FLAGS_MAX];
    gca_rights_flags_format(&all, out);
    assert_string_equal(out, "ECRIGS");
    assert_int_equal(gca_rights_type_index("shutdown"), 5);
    assert_int_equal(gca_rights_type_index("Shutdown"), -1);
    assert_int_equal(gca_rights_type_index(NULL), -1);
    assert_true(gca_rights_status_valid("struck_down"));
    assert_false(gca_rights_status_valid("in force"));
}

/* ====== Shutdown counts ====== */

typedef struct rows {
    int n;
    long total;
    char last[4];
} rows;

static int add_row(const gca_rights_shutdown *s, void *ctx)
{
    rows *r = ctx;
    r->n++;
    r->total += s->count;
    memcpy(r->last, s->iso3, 4);
    return 0;
}

#define HEAD "iso3,country,year,shutdowns,count_type,source,note\n"

static void test_shutdowns_ok(void **state)
{
    static const char csv[] =
        HEAD "IND,India,2024,84,reported,https://a.example,x\n"
             "IRQ,Iraq,2023,1,at_least,https://b.example,\"lower, bound\"\n";
    rows r = {0, 0, ""};
    gca_err err = {0};
    (void)state;
    assert_int_equal(gca_rights_shutdowns_parse(csv, sizeof csv - 1, "s.csv",
                                                add_row, &r, &err),
                     0);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.total, 85);
    assert_string_equal(r.last, "IRQ");
    /* Columns in another order are fine. */
    static const char swapped[] =
        "note,source,count_type,shutdowns,year,country,iso3\n"
        ",src,reported,3,2020,Chad,TCD\n";
    r = (rows){0, 0, ""};
    assert_int_equal(gca_rights_shutdowns_parse(swapped, sizeof swapped - 1,
                                                "s.csv", add_row, &r, &err),
                     0);
    assert_int_equal(r.total, 3);
}

static void test_shutdowns_bad(void **state)
{
    static const struct {
        const char *csv, *msg;
    } cases[] = {
        {HEAD "ind,India,2024,84,reported,src,\n",
         "s.csv:2:1: iso3 'ind' is not three upper-case letters"},
        {HEAD "IND,India,1899,84,reported,src,\n",
         "s.csv:2:11: year '1899' is not a year"},
        {HEAD "IND,India,2024,-1,reported,src,\n",
         "s.csv:2:16: shutdowns '-1' is not a whole number"},
        {HEAD "IND,India,2024,8x,reported,src,\n", "shutdowns '8x'"},
        {HEAD "IND,India,2024,84,about,src,\n",
         "s.csv:2:19: count_type 'about'"},
        {HEAD "IND,India,2024,84,reported,  ,\n", "s.csv:2:28: source is "
                                                  "empty"},
        {HEAD "IND,India,2024,84,reported,s,\nIND,India,2024,1,reported,s,\n",
         "s.csv:3:1: IND 2024 already given on line 2"},
        {"iso3,country,year,shutdowns,count_type,source\n", "missing column "
                                                            "'note'"},
        {"iso3,country,year,shutdowns,count_type,source,note,extra\n",
         "unknown column 'extra'"},
        {"iso3,iso3,year,shutdowns,count_type,source,note\n", "appears "
                                                              "twice"},
        {HEAD "IND,\"India,2024,84,reported,s,\n", "s.csv:2"},
        {"", "empty"},
    };
    (void)state;
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        rows r = {0, 0, ""};
        gca_err err = {0};
        char full[1200];
        int rc = gca_rights_shutdowns_parse(cases[i].csv,
                                            strlen(cases[i].csv), "s.csv",
                                            add_row, &r, &err);
        assert_true(rc < 0);
        assert_int_equal(r.n, 0); /* nothing handed out */
        if (err.line)
            snprintf(full, sizeof full, "%s:%d:%d: %s", err.source,
                     err.line, err.col, err.msg);
        else
            snprintf(full, sizeof full, "%s: %s", err.source, err.msg);
        if (!strstr(full, cases[i].msg))
            fail_msg("case %zu: '%s' lacks '%s'", i, full, cases[i].msg);
    }
}

static void test_shutdowns_oversized(void **state)
{
    size_t len = GCA_RIGHTS_SHUTDOWNS_MAX + 1;
    char *big = malloc(len);
    gca_err err = {0};
    rows r = {0, 0, ""};
    (void)state;
    assert_non_null(big);
    memset(big, 'A', len);
    assert_int_equal(gca_rights_shutdowns_parse(big, len, "big.csv", add_row,
                                                &r, &err),
                     GCA_ETOOBIG);
    free(big);
    /* NUL bytes inside a file are refused, not read as the end. */
    static const char nul[] = HEAD "IND,In\0dia,2024,1,reported,s,\n";
    assert_true(gca_rights_shutdowns_parse(nul, sizeof nul - 1, "n.csv",
                                           add_row, &r, &err) < 0);
    assert_int_equal(r.n, 0);
}

static int stop_first(const gca_rights_shutdown *s, void *ctx)
{
    (void)s;
    (void)ctx;
    return 7;
}

static void test_shutdowns_stop(void **state)
{
    static const char csv[] = HEAD "IND,India,2024,84,reported,s,\n"
                                   "PAK,Pakistan,2024,21,reported,s,\n";
    gca_err err = {0};
    (void)state;
    assert_int_equal(gca_rights_shutdowns_parse(csv, sizeof csv - 1, "s.csv",
                                                stop_first, NULL, &err),
                     7);
}

/* Every allocation may fail: the parser then returns GCA_ENOMEM, hands
 * out nothing and leaks nothing (ASan checks the leaks). */
static void test_shutdowns_out_of_memory(void **state)
{
    static const char csv[] = HEAD "IND,India,2024,84,reported,s,\n"
                                   "PAK,Pakistan,2024,21,reported,s,\n";
    (void)state;
    for (long n = 1;; n++) {
        rows r = {0, 0, ""};
        gca_err err = {0};
        gca_alloc_fail_after(n);
        int rc = gca_rights_shutdowns_parse(csv, sizeof csv - 1, "s.csv",
                                            add_row, &r, &err);
        gca_alloc_fail_after(0);
        if (rc == 0) {
            assert_int_equal(r.n, 2);
            break;
        }
        assert_int_equal(rc, GCA_ENOMEM);
        assert_int_equal(r.n, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_short_name),
        cmocka_unit_test(test_match_table),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_shutdowns_ok),
        cmocka_unit_test(test_shutdowns_bad),
        cmocka_unit_test(test_shutdowns_oversized),
        cmocka_unit_test(test_shutdowns_stop),
        cmocka_unit_test(test_shutdowns_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
