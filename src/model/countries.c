/* countries.c - the ISO 3166-1 country list with UN M49 and ITU regions:
 * strict CSV reader and lookups by code and name. Format: the comment of
 * gca_countries_load_mem in include/gca/countries.h; shipped data and its
 * sources: data/countries.csv, data/README.md. */
#include "gca/countries.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/embedded.h"
#include "core/fs.h"
#include "core/banned.h"

/* The columns, in the order of gca_country's string fields. */
enum field {
    F_ISO3,
    F_ISO2,
    F_NUMERIC,
    F_NAME,
    F_OFFICIAL,
    F_M49_REGION,
    F_M49_SUB,
    F_M49_INTER,
    F_ITU,
    F_ITU_SOURCE,
    F_INCOME,
    F_INCOME_SOURCE,
    F_COUNT
};

static const char *const field_names[F_COUNT] = {
    "iso3",
    "iso2",
    "numeric",
    "name",
    "official_name",
    "m49_region",
    "m49_subregion",
    "m49_intermediate_region",
    "itu_region",
    "itu_region_source",
    "income_group",
    "income_group_source",
};
#define F_REQUIRED 4 /* the first four fields */

/* The six regions of ITU-D (BDT). */
static const char *const itu_regions[] = {
    "Africa", "Americas", "Arab States", "Asia & Pacific", "CIS", "Europe",
};

/* The World Bank's four income groups. */
static const char *const income_groups[] = {
    "Low income", "Lower middle income", "Upper middle income", "High income",
};

struct gca_countries {
    gca_csv csv;        /* owns every string of v */
    gca_country *v;     /* file order */
    size_t n;
    /* Entry indices sorted by iso3, iso2, number and folded name, for
     * binary search (all four keys are unique). */
    size_t *by_iso3, *by_iso2, *by_number, *by_name;
    int *line;          /* line of each entry in the source, for errors */
};

/* ====== Comparing ====== */

static int fold(int c)
{
    return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

/* strcmp ignoring ASCII case; other bytes compare as they are. */
static int casecmp(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a;
    const unsigned char *y = (const unsigned char *)b;
    while (*x && fold(*x) == fold(*y)) {
        x++;
        y++;
    }
    return fold(*x) - fold(*y);
}

static size_t span(const char *s, int (*is)(int))
{
    size_t i = 0;
    while (s[i] && is((unsigned char)s[i]))
        i++;
    return i;
}

static int is_upper(int c)
{
    return c >= 'A' && c <= 'Z';
}

static int is_letter(int c)
{
    return is_upper(fold(c));
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int key_cmp(const gca_country *a, const gca_country *b, int key)
{
    switch (key) {
    case F_ISO3:
        return strcmp(a->iso3, b->iso3);
    case F_ISO2:
        return strcmp(a->iso2, b->iso2);
    case F_NUMERIC:
        return (a->number > b->number) - (a->number < b->number);
    default:
        return casecmp(a->name, b->name);
    }
}

/* What qsort sorts: qsort passes no context, so each element carries its
 * key. Ties are broken by file order, so duplicates sit in file order. */
typedef struct keyref {
    const char *s;
    int num;
    size_t idx;
} keyref;

static int tie(const keyref *x, const keyref *y)
{
    return (x->idx > y->idx) - (x->idx < y->idx);
}

static int cmp_str(const void *a, const void *b)
{
    int c = strcmp(((const keyref *)a)->s, ((const keyref *)b)->s);
    return c ? c : tie(a, b);
}

static int cmp_casestr(const void *a, const void *b)
{
    int c = casecmp(((const keyref *)a)->s, ((const keyref *)b)->s);
    return c ? c : tie(a, b);
}

static int cmp_num(const void *a, const void *b)
{
    const keyref *x = a, *y = b;
    int c = (x->num > y->num) - (x->num < y->num);
    return c ? c : tie(x, y);
}

/* ====== Reading ====== */

static const char *cell_text(const gca_csv *c, size_t row, int col)
{
    return col < 0 ? "" : GCA_CSV_CELL(c, row, col)->text.ptr;
}

static int header(const gca_csv *c, const char *source, int colof[F_COUNT],
                  gca_err *err)
{
    for (int f = 0; f < F_COUNT; f++)
        colof[f] = -1;
    for (size_t j = 0; j < c->ncol; j++) {
        const gca_csv_cell *h = GCA_CSV_CELL(c, 0, j);
        int f = 0;
        while (f < F_COUNT && strcmp(h->text.ptr, field_names[f]))
            f++;
        if (f == F_COUNT)
            return gca_fail(err, GCA_EPARSE, source, h->line, h->col,
                            "unknown column '%.60s' (columns: iso3, iso2, "
                            "numeric, name, official_name, m49_region, "
                            "m49_subregion, m49_intermediate_region, "
                            "itu_region, itu_region_source, income_group, "
                            "income_group_source)",
                            h->text.ptr);
        if (colof[f] >= 0)
            return gca_fail(err, GCA_EPARSE, source, h->line, h->col,
                            "duplicate column '%s'", field_names[f]);
        colof[f] = (int)j;
    }
    for (int f = 0; f < F_REQUIRED; f++)
        if (colof[f] < 0)
            return gca_fail(err, GCA_EPARSE, source, 1, 0,
                            "country list has no '%s' column (required: "
                            "iso3, iso2, numeric, name)",
                            field_names[f]);
    return 0;
}

/* Shape of one cell; returns a static reason or NULL. */
static const char *cell_problem(int f, const char *s)
{
    size_t len = strlen(s);
    if (f == F_ISO3 && (len != 3 || span(s, is_upper) != 3))
        return "is not 3 upper-case letters";
    if (f == F_ISO2 && (len != 2 || span(s, is_upper) != 2))
        return "is not 2 upper-case letters";
    if (f == F_NUMERIC && (len != 3 || span(s, is_digit) != 3))
        return "is not 3 digits";
    if (f == F_NAME && len == 0)
        return "is empty";
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return "contains a control character";
    if (len && (s[0] == ' ' || s[len - 1] == ' '))
        return "has leading or trailing blanks";
    if (f == F_ITU && len) {
        for (size_t i = 0; i < GCA_COUNT(itu_regions); i++)
            if (!strcmp(s, itu_regions[i]))
                return NULL;
        return "is not an ITU region (Africa, Americas, Arab States, "
               "Asia & Pacific, CIS, Europe)";
    }
    if (f == F_INCOME && len) {
        for (size_t i = 0; i < GCA_COUNT(income_groups); i++)
            if (!strcmp(s, income_groups[i]))
                return NULL;
        return "is not a World Bank income group (Low income, Lower "
               "middle income, Upper middle income, High income)";
    }
    return NULL;
}

static int read_row(gca_countries *cs, const char *source,
                    const int colof[F_COUNT], size_t row, gca_err *err)
{
    const gca_csv *c = &cs->csv;
    gca_country *e = &cs->v[row - 1];
    const char *val[F_COUNT];

    for (int f = 0; f < F_COUNT; f++) {
        val[f] = cell_text(c, row, colof[f]);
        const char *why = cell_problem(f, val[f]);
        if (why) {
            const gca_csv_cell *cell = GCA_CSV_CELL(c, row, colof[f]);
            return gca_fail(err, GCA_EPARSE, source, cell->line, cell->col,
                            "%s '%.60s' %s", field_names[f], val[f], why);
        }
    }
    /* A value without its source cannot be checked, and a source
     * without a value says nothing. */
    for (int v = F_ITU; v <= F_INCOME; v += 2) {
        if (!val[v][0] == !val[v + 1][0])
            continue;
        int f = val[v][0] ? v : v + 1;
        const gca_csv_cell *cell = GCA_CSV_CELL(c, row, colof[f]);
        return gca_fail(err, GCA_EPARSE, source, cell->line, cell->col,
                        "%s is given without %s", field_names[f],
                        field_names[f == v ? v + 1 : v]);
    }
    const char **out[F_COUNT] = {
        &e->iso3,
        &e->iso2,
        &e->numeric,
        &e->name,
        &e->official_name,
        &e->m49_region,
        &e->m49_subregion,
        &e->m49_intermediate_region,
        &e->itu_region,
        &e->itu_region_source,
        &e->income_group,
        &e->income_group_source,
    };
    for (int f = 0; f < F_COUNT; f++)
        *out[f] = val[f][0] ? val[f] : NULL;
    e->number = (val[F_NUMERIC][0] - '0') * 100 +
                (val[F_NUMERIC][1] - '0') * 10 + (val[F_NUMERIC][2] - '0');
    cs->line[row - 1] = GCA_CSV_CELL(c, row, 0)->line;
    return 0;
}

/* Sort the index for `key` and fail on the duplicate that comes first in
 * the file. */
static int make_index(gca_countries *cs, const char *source, int key,
                      const int colof[F_COUNT], size_t **out, gca_err *err)
{
    keyref *r = gca_malloc(cs->n * sizeof *r);
    size_t *ix = gca_malloc(cs->n * sizeof *ix);
    if (!r || !ix) {
        gca_free(r);
        gca_free(ix);
        return gca_fail(err, GCA_ENOMEM, source, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < cs->n; i++) {
        const gca_country *e = &cs->v[i];
        r[i].s = key == F_ISO3 ? e->iso3 : key == F_ISO2 ? e->iso2 : e->name;
        r[i].num = e->number;
        r[i].idx = i;
    }
    qsort(r, cs->n, sizeof *r,
          key == F_NUMERIC ? cmp_num : key == F_NAME ? cmp_casestr : cmp_str);
    /* Within a run of equal keys the first is the first copy in the file
     * and the second the first repeat; the repeat that comes first in the
     * file is reported. */
    size_t dup = cs->n, first = 0, run = 0;
    for (size_t i = 0; i < cs->n; i++) {
        ix[i] = r[i].idx;
        if (i == 0 || key_cmp(&cs->v[r[run].idx], &cs->v[r[i].idx], key)) {
            run = i;
            continue;
        }
        if (r[i].idx < dup) {
            dup = r[i].idx;
            first = r[run].idx;
        }
    }
    gca_free(r);
    *out = ix;
    if (dup == cs->n)
        return 0;
    const gca_csv_cell *cell = GCA_CSV_CELL(&cs->csv, dup + 1, colof[key]);
    return gca_fail(err, GCA_EPARSE, source, cell->line, cell->col,
                    "duplicate %s '%.60s' (also on line %d)", field_names[key],
                    cell->text.ptr, cs->line[first]);
}

int gca_countries_load_mem(const char *data, size_t len, const char *source,
                           gca_countries **out, gca_err *err)
{
    int colof[F_COUNT];
    gca_countries *cs = NULL;
    int rc;

    if (!source)
        source = "";
    if (!data && len)
        return gca_fail(err, GCA_EINVAL, source, 0, 0, "no data");
    if (len > GCA_MAX_COUNTRIES_FILE)
        return gca_fail(err, GCA_ETOOBIG, source, 0, 0,
                        "country list is larger than %u bytes",
                        GCA_MAX_COUNTRIES_FILE);
    cs = gca_calloc(1, sizeof *cs);
    if (!cs)
        return gca_fail(err, GCA_ENOMEM, source, 0, 0, "out of memory");
    rc = gca_csv_parse(data ? data : "", len, source, GCA_MAX_COUNTRIES,
                       64, &cs->csv, err);
    if (rc < 0)
        goto fail;
    rc = header(&cs->csv, source, colof, err);
    if (rc < 0)
        goto fail;
    cs->n = cs->csv.nrow;
    if (!cs->n) {
        rc = gca_fail(err, GCA_EPARSE, source, 2, 0,
                      "country list has no rows");
        goto fail;
    }
    cs->v = gca_calloc(cs->n, sizeof *cs->v);
    cs->line = gca_calloc(cs->n, sizeof *cs->line);
    if (!cs->v || !cs->line) {
        rc = gca_fail(err, GCA_ENOMEM, source, 0, 0, "out of memory");
        goto fail;
    }
    for (size_t row = 1; row <= cs->n; row++) {
        rc = read_row(cs, source, colof, row, err);
        if (rc < 0)
            goto fail;
    }
    rc = make_index(cs, source, F_ISO3, colof, &cs->by_iso3, err);
    if (rc == 0)
        rc = make_index(cs, source, F_ISO2, colof, &cs->by_iso2, err);
    if (rc == 0)
        rc = make_index(cs, source, F_NUMERIC, colof, &cs->by_number, err);
    if (rc == 0)
        rc = make_index(cs, source, F_NAME, colof, &cs->by_name, err);
    if (rc < 0)
        goto fail;
    *out = cs;
    return 0;
fail:
    gca_countries_free(cs);
    return rc;
}

int gca_countries_load(const char *path, gca_countries **out, gca_err *err)
{
    gca_buf text = GCA_BUF_INIT(GCA_MAX_COUNTRIES_FILE);
    int rc = gca_file_read(path, &text, err);
    if (rc == 0)
        rc = gca_countries_load_mem(text.ptr, text.len, path, out, err);
    gca_buf_release(&text);
    return rc;
}

int gca_countries_default(gca_countries **out, gca_err *err)
{
    const char *name = "data/countries.csv";
    const gca__blob *b = gca__embedded(name);
    if (!b)
        return gca_fail(err, GCA_ENOTFOUND, name, 0, 0,
                        "country list is not built into this library");
    return gca_countries_load_mem(b->data, b->len, name, out, err);
}

void gca_countries_free(gca_countries *cs)
{
    if (!cs)
        return;
    gca_csv_release(&cs->csv);
    gca_free(cs->v);
    gca_free(cs->line);
    gca_free(cs->by_iso3);
    gca_free(cs->by_iso2);
    gca_free(cs->by_number);
    gca_free(cs->by_name);
    gca_free(cs);
}

/* ====== Lookups ====== */

size_t gca_countries_count(const gca_countries *cs)
{
    return cs ? cs->n : 0;
}

const gca_country *gca_countries_at(const gca_countries *cs, size_t i)
{
    return cs && i < cs->n ? &cs->v[i] : NULL;
}

/* Binary search of index `ix` (sorted by `key`) for an entry equal to
 * `probe` on that key. */
static const gca_country *search(const gca_countries *cs, const size_t *ix,
                                 int key, const gca_country *probe)
{
    size_t lo = 0, hi = cs ? cs->n : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = key_cmp(&cs->v[ix[mid]], probe, key);
        if (c == 0)
            return &cs->v[ix[mid]];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Upper-case copy of a code of exactly `len` letters into buf, or NULL. */
static const char *upper_code(const char *code, size_t len, char *buf)
{
    if (!code || strlen(code) != len || span(code, is_letter) != len)
        return NULL;
    for (size_t i = 0; i < len; i++)
        buf[i] = (char)fold((unsigned char)code[i]);
    buf[len] = '\0';
    return buf;
}

const gca_country *gca_countries_by_iso3(const gca_countries *cs,
                                         const char *iso3)
{
    char buf[4];
    gca_country probe = {0};
    probe.iso3 = upper_code(iso3, 3, buf);
    return probe.iso3 && cs ? search(cs, cs->by_iso3, F_ISO3, &probe) : NULL;
}

const gca_country *gca_countries_by_iso2(const gca_countries *cs,
                                         const char *iso2)
{
    char buf[3];
    gca_country probe = {0};
    probe.iso2 = upper_code(iso2, 2, buf);
    return probe.iso2 && cs ? search(cs, cs->by_iso2, F_ISO2, &probe) : NULL;
}

const gca_country *gca_countries_by_number(const gca_countries *cs,
                                           int number)
{
    gca_country probe = {0};
    probe.number = number;
    return cs ? search(cs, cs->by_number, F_NUMERIC, &probe) : NULL;
}

const gca_country *gca_countries_by_name(const gca_countries *cs,
                                         const char *name)
{
    if (!cs || !name)
        return NULL;
    gca_country probe = {0};
    probe.name = name;
    const gca_country *e = search(cs, cs->by_name, F_NAME, &probe);
    if (e)
        return e;
    /* Official names need not be unique; the first in file order wins. */
    for (size_t i = 0; i < cs->n; i++)
        if (cs->v[i].official_name && !casecmp(cs->v[i].official_name, name))
            return &cs->v[i];
    return NULL;
}

const gca_country *gca_countries_find(const gca_countries *cs,
                                      const char *code)
{
    if (!code)
        return NULL;
    size_t len = strlen(code);
    if (len >= 1 && len <= 3 && span(code, is_digit) == len) {
        int n = 0;
        for (size_t i = 0; i < len; i++)
            n = n * 10 + (code[i] - '0');
        return gca_countries_by_number(cs, n);
    }
    if (len == 3)
        return gca_countries_by_iso3(cs, code);
    if (len == 2)
        return gca_countries_by_iso2(cs, code);
    return NULL;
}
