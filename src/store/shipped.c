/* shipped.c - load the data built into gca (embedded.h) into the store:
 * frameworks (data/frameworks/NAME.json), countries (gca_countries_default),
 * published results (data/published/NAME.csv, columns described in
 * data/README.md) and the knowledge base files data/kb/NAME.csv (kb.c).
 * One transaction; rows already there are updated only where they
 * differ, so loading twice changes nothing. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/csv.h"
#include "core/embedded.h"
#include "core/str.h"
#include "gca/countries.h"
#include "store/backend.h"

#include "core/banned.h"

#define FRAMEWORK_DIR "data/frameworks/"
#define MAX_PUBLISHED_ROWS 10000
#define MAX_PUBLISHED_COLS 256

/* The published results shipped, and what they are. */
static const struct {
    const char *file;
    const char *edition;
    const char *framework;
} published_files[] = {
    {"data/published/gci2020.csv", "GCI 2020", "GCI"},
};

/* ====== Frameworks ====== */

static int load_framework(gca_store *st, gca__stmt *s, const gca__blob *b,
                          gca_err *err)
{
    const gca__backend *be = st->be;
    json_error_t jerr;
    json_t *root = json_loadb(b->data, b->len, 0, &jerr);
    if (!root)
        return gca_fail(err, GCA_EINTERNAL, b->name, jerr.line, jerr.column,
                        "shipped framework: %s", jerr.text);
    const char *code = json_string_value(json_object_get(root, "code"));
    const char *name = json_string_value(json_object_get(root, "name"));
    int rc;
    if (!code || !name) {
        rc = gca_fail(err, GCA_EINTERNAL, b->name, 0, 0,
                      "shipped framework has no \"code\" or \"name\"");
        goto out;
    }
    be->reset(s);
    be->bind_text(s, 1, code);
    be->bind_text(s, 2, name);
    be->bind_text(s, 3, b->name);
    be->bind_text(s, 4, b->data);
    be->bind_int(s, 5, (long long)b->len);
    rc = be->step(s, err);
out:
    json_decref(root);
    return rc < 0 ? rc : 0;
}

static int load_frameworks(gca_store *st, gca_err *err)
{
    gca__stmt *s = NULL;
    int rc = st->be->prepare(
        st->conn,
        "INSERT INTO frameworks (code, name, source, json, json_len) "
        "VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
        "source = excluded.source, json = excluded.json, "
        "json_len = excluded.json_len "
        "WHERE name IS NOT excluded.name OR source IS NOT excluded.source "
        "OR json IS NOT excluded.json",
        &s, err);
    size_t dlen = strlen(FRAMEWORK_DIR);
    for (size_t i = 0; rc == 0 && i < gca__embedded_nfiles; i++) {
        const gca__blob *b = &gca__embedded_files[i];
        size_t len = strlen(b->name);
        if (strncmp(b->name, FRAMEWORK_DIR, dlen) != 0 || len < 5 ||
            strcmp(b->name + len - 5, ".json") != 0)
            continue;
        rc = load_framework(st, s, b, err);
    }
    st->be->finalize(s);
    return rc;
}

/* ====== Countries ====== */

static int load_countries(gca_store *st, const gca_countries *cs,
                          gca_err *err)
{
    const gca__backend *be = st->be;
    gca__stmt *s = NULL;
    int rc = be->prepare(
        st->conn,
        "INSERT INTO countries (iso3, iso2, iso_numeric, name, "
        "official_name, m49_region, m49_subregion, m49_intermediate_region, "
        "itu_region, itu_region_source) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (iso3) DO UPDATE SET iso2 = excluded.iso2, "
        "iso_numeric = excluded.iso_numeric, name = excluded.name, "
        "official_name = excluded.official_name, "
        "m49_region = excluded.m49_region, "
        "m49_subregion = excluded.m49_subregion, "
        "m49_intermediate_region = excluded.m49_intermediate_region, "
        "itu_region = excluded.itu_region, "
        "itu_region_source = excluded.itu_region_source "
        "WHERE iso2 IS NOT excluded.iso2 "
        "OR iso_numeric IS NOT excluded.iso_numeric "
        "OR name IS NOT excluded.name "
        "OR official_name IS NOT excluded.official_name "
        "OR m49_region IS NOT excluded.m49_region "
        "OR m49_subregion IS NOT excluded.m49_subregion "
        "OR m49_intermediate_region IS NOT excluded.m49_intermediate_region "
        "OR itu_region IS NOT excluded.itu_region "
        "OR itu_region_source IS NOT excluded.itu_region_source",
        &s, err);
    size_t n = gca_countries_count(cs);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const gca_country *c = gca_countries_at(cs, i);
        be->reset(s);
        be->bind_text(s, 1, c->iso3);
        be->bind_text(s, 2, c->iso2);
        be->bind_text(s, 3, c->numeric);
        be->bind_text(s, 4, c->name);
        be->bind_text(s, 5, c->official_name);
        be->bind_text(s, 6, c->m49_region);
        be->bind_text(s, 7, c->m49_subregion);
        be->bind_text(s, 8, c->m49_intermediate_region);
        be->bind_text(s, 9, c->itu_region);
        be->bind_text(s, 10, c->itu_region_source);
        rc = be->step(s, err);
        if (rc > 0)
            rc = 0;
    }
    be->finalize(s);
    return rc;
}

/* ====== Published results ====== */

/* Columns of a published file: uCode (the ISO3 code), uName, source,
 * Rank_published (the rank of the overall score), NODE_published (the
 * overall score of node NODE) and one column per node score. */
typedef struct pub_cols {
    int ucode, source, rank;
} pub_cols;

static int find_cols(const gca_csv *csv, const char *file, pub_cols *pc,
                     gca_err *err)
{
    pc->ucode = pc->source = pc->rank = -1;
    for (size_t j = 0; j < csv->ncol; j++) {
        gca_str h = GCA_CSV_CELL(csv, 0, j)->text;
        if (gca_str_eq(h, "uCode"))
            pc->ucode = (int)j;
        else if (gca_str_eq(h, "source"))
            pc->source = (int)j;
        else if (gca_str_eq(h, "Rank_published"))
            pc->rank = (int)j;
    }
    if (pc->ucode < 0 || pc->source < 0)
        return gca_fail(err, GCA_EINTERNAL, file, 1, 0,
                        "shipped results need columns uCode and source");
    return 0;
}

/* Insert the score cells of data row `r`. */
static int load_pub_row(gca_store *st, gca__stmt *s, const gca_csv *csv,
                        size_t r, const pub_cols *pc, const char *file,
                        gca_err *err)
{
    const gca__backend *be = st->be;
    long rank = 0;
    const gca_csv_cell *rk =
        pc->rank >= 0 ? GCA_CSV_CELL(csv, r, pc->rank) : NULL;
    if (rk && !gca_is_na(rk->text) &&
        !gca_parse_int(rk->text, 1, 100000, &rank))
        return gca_fail(err, GCA_EINTERNAL, file, rk->line, rk->col,
                        "rank '%s' is not a whole number >= 1",
                        rk->text.ptr);
    for (size_t j = 0; j < csv->ncol; j++) {
        char node[128];
        gca_str h = GCA_CSV_CELL(csv, 0, j)->text;
        const gca_csv_cell *cell = GCA_CSV_CELL(csv, r, j);
        double v;
        if ((int)j == pc->ucode || (int)j == pc->source ||
            (int)j == pc->rank || gca_str_eq(h, "uName") ||
            gca_is_na(cell->text))
            continue;
        size_t n = h.len;
        int overall = n > 10 && !memcmp(h.ptr + n - 10, "_published", 10);
        if (overall)
            n -= 10;
        if (n >= sizeof node)
            return gca_fail(err, GCA_EINTERNAL, file, 1, (int)j + 1,
                            "column name too long");
        memcpy(node, h.ptr, n);
        node[n] = '\0';
        if (!gca_parse_double(cell->text, &v) || v != v)
            return gca_fail(err, GCA_EINTERNAL, file, cell->line, cell->col,
                            "score '%s' is not a number", cell->text.ptr);
        be->reset(s);
        be->bind_text(s, 3, GCA_CSV_CELL(csv, r, pc->ucode)->text.ptr);
        be->bind_text(s, 4, node);
        be->bind_double(s, 5, v);
        if (overall && rank > 0)
            be->bind_int(s, 6, rank);
        else
            be->bind_text(s, 6, NULL);
        be->bind_text(s, 7, GCA_CSV_CELL(csv, r, pc->source)->text.ptr);
        int rc = be->step(s, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int load_published(gca_store *st, const gca_csv *csv, size_t k,
                          gca_err *err)
{
    const char *file = published_files[k].file;
    gca__stmt *s = NULL;
    pub_cols pc;
    int rc = find_cols(csv, file, &pc, err);
    if (rc == 0)
        rc = st->be->prepare(
            st->conn,
            "INSERT INTO published_results (edition, framework, iso3, node, "
            "score, rank, source) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (edition, framework, iso3, node) DO UPDATE SET "
            "score = excluded.score, rank = excluded.rank, "
            "source = excluded.source "
            "WHERE score IS NOT excluded.score OR rank IS NOT excluded.rank "
            "OR source IS NOT excluded.source",
            &s, err);
    if (rc == 0) {
        st->be->bind_text(s, 1, published_files[k].edition);
        st->be->bind_text(s, 2, published_files[k].framework);
    }
    for (size_t r = 1; rc == 0 && r <= csv->nrow; r++)
        rc = load_pub_row(st, s, csv, r, &pc, file, err);
    st->be->finalize(s);
    return rc;
}

static int parse_published(size_t k, gca_csv *out, gca_err *err)
{
    const char *file = published_files[k].file;
    const gca__blob *b = gca__embedded(file);
    if (!b)
        return gca_fail(err, GCA_EINTERNAL, file, 0, 0,
                        "not built into this gca");
    return gca_csv_parse(b->data, b->len, file, MAX_PUBLISHED_ROWS,
                         MAX_PUBLISHED_COLS, out, err);
}

/* ====== All of it ====== */

int gca__store_load_shipped(gca_store *st, gca_err *err)
{
    gca_countries *cs = NULL;
    gca_csv csv[GCA_COUNT(published_files)];
    size_t parsed = 0;

    memset(csv, 0, sizeof csv);
    int rc = gca__store_require_latest(st, err);
    if (rc == 0)
        rc = gca_countries_default(&cs, err);
    /* Parse before the transaction, so that the write lock is held only
     * while writing. */
    for (; rc == 0 && parsed < GCA_COUNT(published_files); parsed++)
        rc = parse_published(parsed, &csv[parsed], err);
    if (rc < 0)
        goto out;
    rc = st->be->begin(st->conn, err);
    if (rc < 0)
        goto out;
    rc = load_frameworks(st, err);
    if (rc == 0)
        rc = load_countries(st, cs, err);
    for (size_t k = 0; rc == 0 && k < GCA_COUNT(published_files); k++)
        rc = load_published(st, &csv[k], k, err);
    if (rc == 0)
        rc = gca__kb_load_shipped(st, err);
    if (rc == 0)
        rc = st->be->commit(st->conn, err);
    if (rc < 0)
        st->be->rollback(st->conn);
out:
    for (size_t k = 0; k < parsed; k++)
        gca_csv_release(&csv[k]);
    gca_countries_free(cs);
    return rc;
}
