/* test_countries.c - the country list: the shipped data/countries.csv
 * (count and codes as in Debian iso-codes, GCI 2020 units all known),
 * lookups by code and name, and the CSV rules at file:line:col.
 * Format: include/gca/countries.h; sources: data/README.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "gca.h"
#include "testutil.h"

/* iso-codes 4.15.0, iso_3166-1.json: `jq '."3166-1" | length'` = 249. */
#define ISO_CODES_COUNT 249
#define ISO_JSON "/usr/share/iso-codes/json/iso_3166-1.json"

#define HDR "iso3,iso2,numeric,name\n"

static gca_countries *shipped(void)
{
    gca_countries *cs = NULL;
    gca_err err = {0};
    if (gca_countries_default(&cs, &err) < 0)
        fail_msg("%s:%d:%d: %s", err.source, err.line, err.col, err.msg);
    return cs;
}

static void test_default_loads(void **state)
{
    (void)state;
    gca_countries *cs = shipped();
    assert_int_equal(gca_countries_count(cs), ISO_CODES_COUNT);
    assert_null(gca_countries_at(cs, ISO_CODES_COUNT));
    /* Every entry has its four codes; regions come from M49 except for
     * Antarctica and Taiwan, which the M49 merge leaves without one. */
    size_t no_region = 0;
    for (size_t i = 0; i < gca_countries_count(cs); i++) {
        const gca_country *c = gca_countries_at(cs, i);
        assert_non_null(c->iso3);
        assert_non_null(c->iso2);
        assert_non_null(c->numeric);
        assert_non_null(c->name);
        assert_ptr_equal(gca_countries_by_iso3(cs, c->iso3), c);
        assert_ptr_equal(gca_countries_by_iso2(cs, c->iso2), c);
        assert_ptr_equal(gca_countries_find(cs, c->numeric), c);
        assert_ptr_equal(gca_countries_by_name(cs, c->name), c);
        if (!c->m49_region)
            no_region++;
        /* data/README.md: no ITU region is shipped (no full source). */
        assert_null(c->itu_region);
        assert_null(c->itu_region_source);
    }
    assert_int_equal(no_region, 2);
    assert_null(gca_countries_by_iso3(cs, "ATA")->m49_region);
    assert_null(gca_countries_by_iso3(cs, "TWN")->m49_region);
    gca_countries_free(cs);
}

/* Where the system has iso-codes, every entry of its JSON is in the list
 * with the same codes and short name. */
static void test_matches_iso_codes(void **state)
{
    (void)state;
    FILE *f = fopen(ISO_JSON, "rb");
    if (!f) {
        skip();
        return;
    }
    fclose(f);
    json_error_t jerr;
    json_t *root = json_load_file(ISO_JSON, 0, &jerr);
    assert_non_null(root);
    json_t *list = json_object_get(root, "3166-1");
    assert_true(json_is_array(list));
    gca_countries *cs = shipped();
    assert_int_equal(json_array_size(list), gca_countries_count(cs));
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        const char *a3 = json_string_value(json_object_get(e, "alpha_3"));
        const gca_country *c = gca_countries_by_iso3(cs, a3);
        if (!c)
            fail_msg("%s from %s is not in the list", a3, ISO_JSON);
        assert_string_equal(
            c->iso2, json_string_value(json_object_get(e, "alpha_2")));
        assert_string_equal(
            c->numeric, json_string_value(json_object_get(e, "numeric")));
        assert_string_equal(c->name,
                            json_string_value(json_object_get(e, "name")));
        const char *off =
            json_string_value(json_object_get(e, "official_name"));
        if (off)
            assert_string_equal(c->official_name, off);
        else
            assert_null(c->official_name);
    }
    gca_countries_free(cs);
    json_decref(root);
}

static void test_lookups(void **state)
{
    (void)state;
    gca_countries *cs = shipped();
    const gca_country *afg = gca_countries_by_iso3(cs, "AFG");
    assert_non_null(afg);
    assert_string_equal(afg->iso2, "AF");
    assert_string_equal(afg->numeric, "004");
    assert_int_equal(afg->number, 4);
    assert_string_equal(afg->name, "Afghanistan");
    assert_string_equal(afg->official_name,
                        "Islamic Republic of Afghanistan");
    assert_string_equal(afg->m49_region, "Asia");
    assert_string_equal(afg->m49_subregion, "Southern Asia");
    assert_null(afg->m49_intermediate_region);

    static const char *const same[] = {
        "AFG", "afg", "Afg", "AF", "af", "004", "4", "04",
    };
    for (size_t i = 0; i < GCA_COUNT(same); i++)
        assert_ptr_equal(gca_countries_find(cs, same[i]), afg);
    assert_ptr_equal(gca_countries_by_number(cs, 4), afg);
    assert_ptr_equal(gca_countries_by_iso2(cs, "aF"), afg);
    assert_ptr_equal(gca_countries_by_name(cs, "Afghanistan"), afg);
    assert_ptr_equal(gca_countries_by_name(cs, "AFGHANISTAN"), afg);
    assert_ptr_equal(
        gca_countries_by_name(cs, "islamic republic of afghanistan"), afg);

    static const char *const none[] = {
        "", "A", "AFGH", "XXX", "A1G", "0004", "999", "-4", " AFG", "AF ",
    };
    for (size_t i = 0; i < GCA_COUNT(none); i++)
        if (gca_countries_find(cs, none[i]))
            fail_msg("'%s' found a country", none[i]);
    assert_null(gca_countries_find(cs, NULL));
    assert_null(gca_countries_by_iso3(cs, "AF"));
    assert_null(gca_countries_by_iso2(cs, "AFG"));
    assert_null(gca_countries_by_number(cs, -1));
    assert_null(gca_countries_by_name(cs, "Afghan"));
    assert_null(gca_countries_by_name(cs, NULL));

    /* A name with a comma, a non-ASCII name and an M49 intermediate
     * region, all as the sources spell them. */
    const gca_country *ven = gca_countries_find(cs, "862");
    assert_non_null(ven);
    assert_string_equal(ven->iso3, "VEN");
    assert_string_equal(ven->name, "Venezuela, Bolivarian Republic of");
    assert_string_equal(ven->m49_intermediate_region, "South America");
    const gca_country *civ = gca_countries_by_name(cs, "C\xc3\xb4te d'Ivoire");
    assert_non_null(civ);
    assert_string_equal(civ->iso3, "CIV");
    assert_null(gca_countries_by_name(cs, "Cote d'Ivoire"));
    gca_countries_free(cs);
}

/* GCI uses ISO alpha-3 codes as unit codes; every one must be known. */
static void test_gci2020_units(void **state)
{
    (void)state;
    gca_countries *cs = shipped();
    tu_table t;
    tu_table_load(&t, "data/published/gci2020.csv");
    int col = tu_col(&t, "uCode");
    assert_true(col >= 0);
    assert_int_equal(t.csv.nrow, 194);
    for (size_t r = 1; r <= t.csv.nrow; r++) {
        const char *code = tu_cell(&t, r, (size_t)col);
        if (!gca_countries_by_iso3(cs, code))
            fail_msg("GCI unit '%s' is not a country", code);
    }
    static const char *const some[] = {"VAT", "FSM", "PSE", "PRK", "SSD"};
    for (size_t i = 0; i < GCA_COUNT(some); i++)
        assert_true(tu_row(&t, col, some[i]) > 0);
    tu_table_release(&t);
    gca_countries_free(cs);
}

static gca_countries *load_ok(const char *text)
{
    gca_countries *cs = NULL;
    gca_err err = {0};
    if (gca_countries_load_mem(text, strlen(text), "c.csv", &cs, &err) < 0)
        fail_msg("c.csv:%d:%d: %s", err.line, err.col, err.msg);
    return cs;
}

static void test_optional_columns(void **state)
{
    (void)state;
    /* Columns in any order; only the four codes and name required. */
    gca_countries *cs = load_ok(
        "name,itu_region_source,numeric,iso2,itu_region,iso3\n"
        "Afghanistan,an API,004,AF,Asia & Pacific,AFG\n"
        "\"Korea, Republic of\",,410,KR,,KOR\n");
    assert_int_equal(gca_countries_count(cs), 2);
    const gca_country *afg = gca_countries_at(cs, 0);
    assert_string_equal(afg->itu_region, "Asia & Pacific");
    assert_string_equal(afg->itu_region_source, "an API");
    assert_null(afg->official_name);
    assert_null(afg->m49_region);
    const gca_country *kor = gca_countries_by_name(cs, "korea, republic of");
    assert_ptr_equal(kor, gca_countries_at(cs, 1));
    assert_null(kor->itu_region);
    gca_countries_free(cs);
}

static void test_income_groups(void **state)
{
    (void)state;
    /* The World Bank's FY2023 counts over the shipped list: 81 high, 54
     * upper middle, 54 lower middle, 28 low income economies, less
     * Kosovo and the Channel Islands (not ISO 3166-1 entries). */
    gca_countries *cs = NULL;
    gca_err err = {0};
    assert_int_equal(gca_countries_default(&cs, &err), 0);
    size_t low = 0, lmi = 0, umi = 0, high = 0;
    for (size_t i = 0; i < gca_countries_count(cs); i++) {
        const char *g = gca_countries_at(cs, i)->income_group;
        low += g && !strcmp(g, "Low income");
        lmi += g && !strcmp(g, "Lower middle income");
        umi += g && !strcmp(g, "Upper middle income");
        high += g && !strcmp(g, "High income");
    }
    assert_int_equal(low, 28);
    assert_int_equal(lmi, 54);
    assert_int_equal(umi + 1, 54); /* Kosovo */
    assert_int_equal(high + 1, 81); /* the Channel Islands */
    assert_string_equal(gca_countries_by_iso3(cs, "AFG")->income_group,
                        "Low income");
    assert_null(gca_countries_by_iso3(cs, "VEN")->income_group);
    gca_countries_free(cs);
}

static void test_bad_csv(void **state)
{
    static const struct {
        const char *text;
        int code, line, col;
        const char *msg;
    } cases[] = {
        {"iso3,iso2,name\nAFG,AF,Afghanistan\n", GCA_EPARSE, 1, 0,
         "country list has no 'numeric' column (required: iso3, iso2, "
         "numeric, name)"},
        {"iso3,iso2,numeric,name,region\nAFG,AF,004,Afghanistan,Asia\n",
         GCA_EPARSE, 1, 24, "unknown column 'region'"},
        {"iso3,iso2,numeric,name,iso2\nAFG,AF,004,Afghanistan,AF\n",
         GCA_EPARSE, 1, 24, "duplicate column 'iso2'"},
        {HDR "AFG,AF,004,Afghanistan\nAF,AL,008,Albania\n", GCA_EPARSE, 3,
         1, "iso3 'AF' is not 3 upper-case letters"},
        {HDR "afg,AF,004,Afghanistan\n", GCA_EPARSE, 2, 1,
         "iso3 'afg' is not 3 upper-case letters"},
        {HDR "AFG,A1,004,Afghanistan\n", GCA_EPARSE, 2, 5,
         "iso2 'A1' is not 2 upper-case letters"},
        {HDR "AFG,AF,4,Afghanistan\n", GCA_EPARSE, 2, 8,
         "numeric '4' is not 3 digits"},
        {HDR "AFG,AF,004,\n", GCA_EPARSE, 2, 12, "name '' is empty"},
        {HDR "AFG,AF,004, Afghanistan\n", GCA_EPARSE, 2, 12,
         "name ' Afghanistan' has leading or trailing blanks"},
        {HDR "AFG,AF,004,\"Afghan\nistan\"\n", GCA_EPARSE, 2, 12,
         "contains a control character"},
        {HDR "AFG,AF,004,Afghanistan\nALB,AL,008,Albania\n"
             "AFG,AX,248,Aland\n",
         GCA_EPARSE, 4, 1, "duplicate iso3 'AFG' (also on line 2)"},
        {HDR "AFG,AF,004,Afghanistan\nALB,AF,008,Albania\n", GCA_EPARSE, 3,
         5, "duplicate iso2 'AF' (also on line 2)"},
        {HDR "AFG,AF,004,Afghanistan\nALB,AL,004,Albania\n", GCA_EPARSE, 3,
         8, "duplicate numeric '004' (also on line 2)"},
        {HDR "AFG,AF,004,Afghanistan\nALB,AL,008,AFGHANISTAN\n", GCA_EPARSE,
         3, 12, "duplicate name 'AFGHANISTAN' (also on line 2)"},
        /* The repeat that comes first in the file is reported, whatever
         * the sort order of the codes. */
        {HDR "ZWE,ZW,716,Zimbabwe\nAFG,AF,004,Afghanistan\n"
             "AFG,AX,248,Aland\nZWE,ZX,717,Zim\n",
         GCA_EPARSE, 4, 1, "duplicate iso3 'AFG' (also on line 3)"},
        {HDR "AFG,AF,004,Afghanistan\nALB,AL,008\n", GCA_EPARSE, 3, 11,
         "row has 3 fields, the header has 4"},
        {HDR "AFG,AF,004,Afghanistan,x\n", GCA_EPARSE, 2, 24,
         "row has more fields than the header (4)"},
        {HDR, GCA_EPARSE, 2, 0, "country list has no rows"},
        {"", GCA_EPARSE, 0, 0, "empty file"},
        {"iso3,iso2,numeric,name,itu_region\nAFG,AF,004,Afghanistan,Asia\n",
         GCA_EPARSE, 2, 24, "itu_region 'Asia' is not an ITU region"},
        {"iso3,iso2,numeric,name,itu_region\n"
         "AFG,AF,004,Afghanistan,Asia & Pacific\n",
         GCA_EPARSE, 2, 24, "itu_region is given without itu_region_source"},
        {"iso3,iso2,numeric,name,itu_region,itu_region_source\n"
         "AFG,AF,004,Afghanistan,,somewhere\n",
         GCA_EPARSE, 2, 25, "itu_region_source is given without itu_region"},
        {"iso3,iso2,numeric,name,income_group,income_group_source\n"
         "AFG,AF,004,Afghanistan,Middle income,WB\n",
         GCA_EPARSE, 2, 24,
         "income_group 'Middle income' is not a World Bank income group"},
        {"iso3,iso2,numeric,name,income_group\n"
         "AFG,AF,004,Afghanistan,Low income\n",
         GCA_EPARSE, 2, 24,
         "income_group is given without income_group_source"},
        {"iso3,iso2,numeric,name,income_group,income_group_source\n"
         "AFG,AF,004,Afghanistan,,WB\n",
         GCA_EPARSE, 2, 25,
         "income_group_source is given without income_group"},
    };
    (void)state;
    for (size_t i = 0; i < GCA_COUNT(cases); i++) {
        gca_countries *cs = NULL;
        gca_err err = {0};
        int rc = gca_countries_load_mem(cases[i].text, strlen(cases[i].text),
                                        "c.csv", &cs, &err);
        if (rc != cases[i].code || err.line != cases[i].line ||
            err.col != cases[i].col || !strstr(err.msg, cases[i].msg))
            fail_msg("case %zu: got %d at %d:%d '%s', want %d at %d:%d '%s'",
                     i, rc, err.line, err.col, err.msg, cases[i].code,
                     cases[i].line, cases[i].col, cases[i].msg);
        assert_null(cs);
        assert_string_equal(err.source, "c.csv");
    }
}

static void test_load_file(void **state)
{
    (void)state;
    gca_countries *cs = NULL;
    gca_err err = {0};
    assert_int_equal(
        gca_countries_load(tu_path("data/countries.csv"), &cs, &err), 0);
    assert_int_equal(gca_countries_count(cs), ISO_CODES_COUNT);
    gca_countries_free(cs);
    assert_int_equal(gca_countries_load("/nonexistent/countries.csv", &cs,
                                        &err),
                     GCA_EIO);
    gca_countries_free(NULL);
    assert_int_equal(gca_countries_count(NULL), 0);
    assert_null(gca_countries_at(NULL, 0));
}

/* Every allocation may fail: the loader then returns GCA_ENOMEM and
 * leaks nothing (ASan checks the leaks). */
static void test_out_of_memory(void **state)
{
    (void)state;
    for (long n = 1;; n++) {
        gca_countries *cs = NULL;
        gca_err err = {0};
        gca_alloc_fail_after(n);
        int rc = gca_countries_default(&cs, &err);
        gca_alloc_fail_after(0);
        if (rc == 0) {
            assert_int_equal(gca_countries_count(cs), ISO_CODES_COUNT);
            gca_countries_free(cs);
            break;
        }
        assert_int_equal(rc, GCA_ENOMEM);
        assert_null(cs);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_loads),
        cmocka_unit_test(test_matches_iso_codes),
        cmocka_unit_test(test_lookups),
        cmocka_unit_test(test_gci2020_units),
        cmocka_unit_test(test_optional_columns),
        cmocka_unit_test(test_income_groups),
        cmocka_unit_test(test_bad_csv),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
