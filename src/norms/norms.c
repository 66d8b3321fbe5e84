/* norms.c - the GGE 2015 norms crosswalk, their objectives and the
 * classification of a country's norm implementation (gca/norms.h;
 * docs/norms.md gives the file formats and the rules). No SQL here: the
 * store's side is src/store/norms.c. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/csv.h"
#include "core/str.h"
#include "gca/norms.h"

#include "core/banned.h"

#define MAX_FILE (16u << 20) /* bytes of a norms file */

void gca_norms_init(gca_norms *n)
{
    memset(n, 0, sizeof *n);
}

static void free_norm(gca_norm *x)
{
    gca_free(x->id);
    gca_free(x->para);
    gca_free(x->title);
}

static void free_link(gca_norm_link *x)
{
    gca_free(x->framework);
    gca_free(x->indicator);
    gca_free(x->rationale);
    gca_free(x->source);
}

static void free_objective(gca_norm_objective *x)
{
    gca_free(x->code);
    gca_free(x->name);
    gca_free(x->source);
    gca_free(x->note);
}

void gca_norms_release(gca_norms *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nnorms; i++)
        free_norm(&n->norms[i]);
    for (size_t i = 0; i < n->nlinks; i++)
        free_link(&n->links[i]);
    for (size_t i = 0; i < n->nobjectives; i++)
        free_objective(&n->objectives[i]);
    for (size_t i = 0; i < n->nserves; i++)
        gca_free(n->serves[i].rationale);
    gca_free(n->norms);
    gca_free(n->links);
    gca_free(n->objectives);
    gca_free(n->serves);
    gca_norms_init(n);
}

/* Grow *v (of *n items of `size`) by one zeroed slot. */
static void *grow(void **v, size_t *n, size_t size)
{
    char *p = gca_realloc(*v, (*n + 1) * size);
    if (!p)
        return NULL;
    memset(p + *n * size, 0, size);
    *v = p;
    return p + (*n)++ * size;
}

/* "13(" + a lower-case letter + ")". */
static int para_ok(const char *s)
{
    return strlen(s) == 5 && !strncmp(s, "13(", 3) && s[3] >= 'a' &&
           s[3] <= 'z' && s[4] == ')';
}

long gca_norms_find(const gca_norms *n, const char *para)
{
    for (size_t i = 0; i < n->nnorms; i++)
        if (!strcmp(n->norms[i].para, para))
            return (long)i;
    return -1;
}

int gca_norms_add(gca_norms *n, const char *id, const char *para,
                  const char *title, gca_err *err)
{
    if (!para || !para_ok(para))
        return gca_fail(err, GCA_EINVAL, "norm", 0, 0,
                        "paragraph '%.40s' of norm '%.80s' is not of the "
                        "form 13(a)", para ? para : "", id ? id : "");
    if (gca_norms_find(n, para) >= 0)
        return gca_fail(err, GCA_EINVAL, "norm", 0, 0,
                        "norm %s appears twice", para);
    if (n->nnorms >= GCA_NORMS_MAX)
        return gca_fail(err, GCA_ETOOBIG, "norm", 0, 0,
                        "more than %d norms", GCA_NORMS_MAX);
    gca_norm *x = grow((void **)&n->norms, &n->nnorms, sizeof *x);
    if (!x)
        return gca_fail(err, GCA_ENOMEM, "norm", 0, 0, "out of memory");
    x->id = gca_strdup(id ? id : "");
    x->para = gca_strdup(para);
    x->title = gca_strdup(title ? title : "");
    if (!x->id || !x->para || !x->title) {
        free_norm(x);
        n->nnorms--;
        return gca_fail(err, GCA_ENOMEM, "norm", 0, 0, "out of memory");
    }
    return 0;
}

/* ====== Reading a file ====== */

/* A parsed file and the position of its named columns. */
typedef struct table {
    gca_csv csv;
    const char *name;
    int col[8]; /* index of each wanted column, -1 = absent */
} table;

/* Parse `data` and find the columns `want` (NULL-terminated; those
 * whose name ends in '?' are optional). Unknown columns are refused so
 * that a misspelt one does not go unnoticed. */
static int table_open(table *t, const char *data, size_t len,
                      const char *name, const char *const *want,
                      gca_err *err)
{
    if (len > MAX_FILE)
        return gca_fail(err, GCA_ETOOBIG, name, 0, 0,
                        "file larger than %u bytes", MAX_FILE);
    t->name = name;
    int rc = gca_csv_parse(data, len, name, GCA_NORMS_MAX_ROWS, 16, &t->csv,
                           err);
    if (rc < 0)
        return rc;
    for (size_t w = 0; want[w]; w++)
        t->col[w] = -1;
    for (size_t c = 0; c < t->csv.ncol; c++) {
        const gca_csv_cell *h = GCA_CSV_CELL(&t->csv, 0, c);
        gca_str hs = gca_str_trim(h->text);
        int found = 0;
        for (size_t w = 0; want[w] && !found; w++) {
            size_t wl = strcspn(want[w], "?");
            if (hs.len == wl && !memcmp(hs.ptr, want[w], wl)) {
                if (t->col[w] >= 0)
                    return gca_fail(err, GCA_EPARSE, name, h->line, h->col,
                                    "column '%.*s' appears twice",
                                    (int)wl, want[w]);
                t->col[w] = (int)c;
                found = 1;
            }
        }
        if (!found)
            return gca_fail(err, GCA_EPARSE, name, h->line, h->col,
                            "unknown column '%.60s'", h->text.ptr);
    }
    for (size_t w = 0; want[w]; w++)
        if (t->col[w] < 0 && !strchr(want[w], '?'))
            return gca_fail(err, GCA_EPARSE, name, 1, 1,
                            "missing column '%s'", want[w]);
    return 0;
}

/* Cell of wanted column `w` in data row `r` (1-based), trimmed into a
 * new string; "" when the optional column is absent. `what` names the
 * field when it is required and empty. */
static int cell(const table *t, size_t r, int w, int required,
                const char *what, char **out, gca_err *err)
{
    *out = NULL;
    if (t->col[w] < 0) {
        *out = gca_strdup("");
        return *out ? 0 : gca_fail(err, GCA_ENOMEM, t->name, 0, 0,
                                   "out of memory");
    }
    const gca_csv_cell *c = GCA_CSV_CELL(&t->csv, r, t->col[w]);
    gca_str s = gca_str_trim(c->text);
    if (required && s.len == 0)
        return gca_fail(err, GCA_EPARSE, t->name, c->line, c->col,
                        "missing %s", what);
    if (s.len > GCA_NORMS_MAX_TEXT)
        return gca_fail(err, GCA_ETOOBIG, t->name, c->line, c->col,
                        "%s longer than %d bytes", what,
                        GCA_NORMS_MAX_TEXT);
    *out = gca_malloc(s.len + 1);
    if (!*out)
        return gca_fail(err, GCA_ENOMEM, t->name, 0, 0, "out of memory");
    memcpy(*out, s.ptr, s.len);
    (*out)[s.len] = '\0';
    return 0;
}

static const gca_csv_cell *at(const table *t, size_t r, int w)
{
    return GCA_CSV_CELL(&t->csv, r, t->col[w]);
}

/* ====== Crosswalk ====== */

enum { CW_NORM, CW_FW, CW_IND, CW_STRENGTH, CW_RATIONALE, CW_SOURCE };

static int crosswalk_row(gca_norms *n, const table *t, size_t r,
                         const gca_framework *fw, size_t first,
                         gca_err *err)
{
    gca_norm_link *x = grow((void **)&n->links, &n->nlinks, sizeof *x);
    char *norm = NULL, *strength = NULL;
    int rc;
    if (!x)
        return gca_fail(err, GCA_ENOMEM, t->name, 0, 0, "out of memory");
    x->line = at(t, r, CW_NORM)->line;
    rc = cell(t, r, CW_NORM, 1, "norm", &norm, err);
    if (rc == 0)
        rc = cell(t, r, CW_FW, 1, "framework", &x->framework, err);
    if (rc == 0)
        rc = cell(t, r, CW_IND, 1, "indicator", &x->indicator, err);
    if (rc == 0)
        rc = cell(t, r, CW_STRENGTH, 1, "strength", &strength, err);
    if (rc == 0)
        rc = cell(t, r, CW_RATIONALE, 1, "rationale", &x->rationale, err);
    if (rc == 0)
        rc = cell(t, r, CW_SOURCE, 1, "source", &x->source, err);
    if (rc < 0)
        goto out;

    const gca_csv_cell *c = at(t, r, CW_NORM);
    long ni = gca_norms_find(n, norm);
    if (ni < 0) {
        rc = gca_fail(err, GCA_EPARSE, t->name, c->line, c->col,
                      "unknown norm '%.40s' (a paragraph such as 13(k))",
                      norm);
        goto out;
    }
    x->norm = (size_t)ni;
    c = at(t, r, CW_FW);
    if (strcasecmp(x->framework, gca_framework_code(fw))) {
        rc = gca_fail(err, GCA_EPARSE, t->name, c->line, c->col,
                      "framework '%.60s' is not the framework in use "
                      "'%s'", x->framework, gca_framework_code(fw));
        goto out;
    }
    c = at(t, r, CW_IND);
    const gca_node *nd = gca_framework_node(fw, x->indicator);
    if (!nd || nd->type != GCA_NODE_INDICATOR) {
        rc = gca_fail(err, GCA_EPARSE, t->name, c->line, c->col,
                      "'%.60s' is not an indicator of framework %s",
                      x->indicator, gca_framework_code(fw));
        goto out;
    }
    c = at(t, r, CW_STRENGTH);
    if (!strcmp(strength, "direct")) {
        x->strength = GCA_STRENGTH_DIRECT;
    } else if (!strcmp(strength, "partial")) {
        x->strength = GCA_STRENGTH_PARTIAL;
    } else {
        rc = gca_fail(err, GCA_EPARSE, t->name, c->line, c->col,
                      "strength '%.40s' is not direct or partial",
                      strength);
        goto out;
    }
    for (size_t i = first; i + 1 < n->nlinks; i++)
        if (n->links[i].norm == x->norm &&
            !strcmp(n->links[i].indicator, x->indicator)) {
            rc = gca_fail(err, GCA_EPARSE, t->name, x->line, 1,
                          "norm %s is linked to %s twice (first on line "
                          "%d)", norm, x->indicator, n->links[i].line);
            goto out;
        }
out:
    gca_free(norm);
    gca_free(strength);
    return rc;
}

int gca_norms_parse_crosswalk(gca_norms *n, const char *data, size_t len,
                              const char *name, const gca_framework *fw,
                              gca_err *err)
{
    static const char *const want[] = {"norm", "framework", "indicator",
                                       "strength", "rationale", "source",
                                       NULL};
    table t = {0};
    size_t first = n->nlinks;
    int rc = table_open(&t, data, len, name, want, err);
    for (size_t r = 1; rc == 0 && r <= t.csv.nrow; r++)
        rc = crosswalk_row(n, &t, r, fw, first, err);
    if (rc < 0) {
        /* Nothing of a bad file stays. */
        while (n->nlinks > first)
            free_link(&n->links[--n->nlinks]);
    }
    gca_csv_release(&t.csv);
    return rc;
}

/* ====== Objectives ====== */

static int code_ok(const char *s)
{
    if (!*s || strlen(s) > 40)
        return 0;
    for (; *s; s++)
        if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
            *s != '_' && *s != '-')
            return 0;
    return 1;
}

static long find_objective(const gca_norms *n, const char *code)
{
    for (size_t i = 0; i < n->nobjectives; i++)
        if (!strcmp(n->objectives[i].code, code))
            return (long)i;
    return -1;
}

int gca_norms_parse_objectives(gca_norms *n, const char *data, size_t len,
                               const char *name, gca_err *err)
{
    static const char *const want[] = {"code", "name", "source", "note?",
                                       NULL};
    table t = {0};
    size_t first = n->nobjectives;
    int rc = table_open(&t, data, len, name, want, err);
    for (size_t r = 1; rc == 0 && r <= t.csv.nrow; r++) {
        gca_norm_objective *x =
            grow((void **)&n->objectives, &n->nobjectives, sizeof *x);
        if (!x) {
            rc = gca_fail(err, GCA_ENOMEM, name, 0, 0, "out of memory");
            break;
        }
        rc = cell(&t, r, 0, 1, "code", &x->code, err);
        if (rc == 0)
            rc = cell(&t, r, 1, 1, "name", &x->name, err);
        if (rc == 0)
            rc = cell(&t, r, 2, 1, "source", &x->source, err);
        if (rc == 0)
            rc = cell(&t, r, 3, 0, "note", &x->note, err);
        if (rc < 0)
            break;
        const gca_csv_cell *c = at(&t, r, 0);
        if (!code_ok(x->code))
            rc = gca_fail(err, GCA_EPARSE, name, c->line, c->col,
                          "objective code '%.60s' is not 1 to 40 of "
                          "a-z 0-9 _ -", x->code);
        else if (find_objective(n, x->code) < (long)n->nobjectives - 1)
            rc = gca_fail(err, GCA_EPARSE, name, c->line, c->col,
                          "objective '%s' appears twice", x->code);
    }
    if (rc < 0)
        while (n->nobjectives > first)
            free_objective(&n->objectives[--n->nobjectives]);
    gca_csv_release(&t.csv);
    return rc;
}

int gca_norms_parse_serves(gca_norms *n, const char *data, size_t len,
                           const char *name, gca_err *err)
{
    static const char *const want[] = {"norm", "objective", "rationale",
                                       NULL};
    table t = {0};
    size_t first = n->nserves;
    char *norm = NULL, *obj = NULL;
    int rc = table_open(&t, data, len, name, want, err);
    for (size_t r = 1; rc == 0 && r <= t.csv.nrow; r++) {
        gca_free(norm);
        gca_free(obj);
        norm = obj = NULL;
        gca_norm_serves *x = grow((void **)&n->serves, &n->nserves,
                                  sizeof *x);
        if (!x) {
            rc = gca_fail(err, GCA_ENOMEM, name, 0, 0, "out of memory");
            break;
        }
        rc = cell(&t, r, 0, 1, "norm", &norm, err);
        if (rc == 0)
            rc = cell(&t, r, 1, 1, "objective", &obj, err);
        if (rc == 0)
            rc = cell(&t, r, 2, 1, "rationale", &x->rationale, err);
        if (rc < 0)
            break;
        long ni = gca_norms_find(n, norm), oi = find_objective(n, obj);
        const gca_csv_cell *cn = at(&t, r, 0), *co = at(&t, r, 1);
        if (ni < 0) {
            rc = gca_fail(err, GCA_EPARSE, name, cn->line, cn->col,
                          "unknown norm '%.40s' (a paragraph such as "
                          "13(k))", norm);
            break;
        }
        if (oi < 0) {
            rc = gca_fail(err, GCA_EPARSE, name, co->line, co->col,
                          "unknown objective '%.60s'", obj);
            break;
        }
        x->norm = (size_t)ni;
        x->objective = (size_t)oi;
        for (size_t i = first; i + 1 < n->nserves; i++)
            if (n->serves[i].norm == x->norm &&
                n->serves[i].objective == x->objective) {
                rc = gca_fail(err, GCA_EPARSE, name, cn->line, cn->col,
                              "norm %s is linked to objective %s twice",
                              norm, obj);
                break;
            }
    }
    gca_free(norm);
    gca_free(obj);
    if (rc < 0)
        while (n->nserves > first)
            gca_free(n->serves[--n->nserves].rationale);
    gca_csv_release(&t.csv);
    return rc;
}

/* ====== The objectives-by-norms matrix ====== */

size_t gca_norms_objective_norms(const gca_norms *n, size_t obj)
{
    size_t k = 0;
    for (size_t i = 0; i < n->nserves; i++)
        k += n->serves[i].objective == obj;
    return k;
}

size_t gca_norms_norm_objectives(const gca_norms *n, size_t norm)
{
    size_t k = 0;
    for (size_t i = 0; i < n->nserves; i++)
        k += n->serves[i].norm == norm;
    return k;
}

int gca_norms_serves_objective(const gca_norms *n, size_t norm, size_t obj)
{
    for (size_t i = 0; i < n->nserves; i++)
        if (n->serves[i].norm == norm && n->serves[i].objective == obj)
            return 1;
    return 0;
}

size_t gca_norms_norm_links(const gca_norms *n, size_t norm)
{
    size_t k = 0;
    for (size_t i = 0; i < n->nlinks; i++)
        k += n->links[i].norm == norm;
    return k;
}

/* ====== Country values ====== */

void gca_norms_data_release(gca_norms_data *d)
{
    if (!d)
        return;
    for (size_t i = 0; d->countries && i < d->ncountries; i++)
        gca_free(d->countries[i]);
    for (size_t i = 0; d->indicators && i < d->nindicators; i++)
        gca_free(d->indicators[i]);
    gca_free(d->countries);
    gca_free(d->indicators);
    gca_free(d->lo);
    gca_free(d->hi);
    gca_free(d->values);
    memset(d, 0, sizeof *d);
}

long gca_norms_data_find(const gca_norms_data *d, const char *iso3)
{
    for (size_t i = 0; i < d->ncountries; i++)
        if (!strcmp(d->countries[i], iso3))
            return (long)i;
    return -1;
}

static int iso3_ok(gca_str s)
{
    return s.len == 3 && isupper((unsigned char)s.ptr[0]) &&
           isupper((unsigned char)s.ptr[1]) &&
           isupper((unsigned char)s.ptr[2]);
}

/* Columns of the data file: which indicator each is, -1 = uName. */
static int data_columns(const gca_csv *csv, const char *name,
                        const gca_framework *fw, int *kind, int *ucode,
                        gca_err *err)
{
    *ucode = -1;
    for (size_t c = 0; c < csv->ncol; c++) {
        const gca_csv_cell *h = GCA_CSV_CELL(csv, 0, c);
        gca_str hs = gca_str_trim(h->text);
        kind[c] = -1;
        if (gca_str_eq(hs, "uCode")) {
            *ucode = (int)c;
            kind[c] = -2;
        } else if (!gca_str_eq(hs, "uName")) {
            const gca_node *nd = gca_framework_node(fw, h->text.ptr);
            if (!nd || nd->type != GCA_NODE_INDICATOR)
                return gca_fail(err, GCA_EPARSE, name, h->line, h->col,
                                "'%.60s' is not an indicator of framework "
                                "%s", h->text.ptr, gca_framework_code(fw));
            kind[c] = 0;
        }
        for (size_t p = 0; p < c; p++)
            if (gca_str_eq(gca_str_trim(GCA_CSV_CELL(csv, 0, p)->text),
                           h->text.ptr))
                return gca_fail(err, GCA_EPARSE, name, h->line, h->col,
                                "column '%.60s' appears twice",
                                h->text.ptr);
    }
    if (*ucode < 0)
        return gca_fail(err, GCA_EPARSE, name, 1, 1, "missing column "
                        "'uCode'");
    return 0;
}

static int cmp_code(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int gca_norms_data_parse(const char *data, size_t len, const char *name,
                         const gca_framework *fw, gca_norms_data *out,
                         gca_err *err)
{
    gca_csv csv = {0};
    gca_norms_data d = {0};
    int *kind = NULL, ucode = -1;
    int rc;

    if (len > MAX_FILE)
        return gca_fail(err, GCA_ETOOBIG, name, 0, 0,
                        "file larger than %u bytes", MAX_FILE);
    rc = gca_csv_parse(data, len, name, 100000, 10000, &csv, err);
    if (rc < 0)
        goto out;
    kind = gca_calloc(csv.ncol, sizeof *kind);
    if (!kind) {
        rc = gca_fail(err, GCA_ENOMEM, name, 0, 0, "out of memory");
        goto out;
    }
    rc = data_columns(&csv, name, fw, kind, &ucode, err);
    if (rc < 0)
        goto out;
    size_t ni = 0;
    for (size_t c = 0; c < csv.ncol; c++)
        ni += kind[c] == 0;
    d.countries = gca_calloc(csv.nrow ? csv.nrow : 1, sizeof *d.countries);
    d.indicators = gca_calloc(ni ? ni : 1, sizeof *d.indicators);
    d.lo = gca_calloc(ni ? ni : 1, sizeof *d.lo);
    d.hi = gca_calloc(ni ? ni : 1, sizeof *d.hi);
    size_t nv = csv.nrow * ni;
    d.values = gca_calloc(nv ? nv : 1, sizeof *d.values);
    if (!d.countries || !d.indicators || !d.lo || !d.hi || !d.values) {
        rc = gca_fail(err, GCA_ENOMEM, name, 0, 0, "out of memory");
        goto out;
    }
    for (size_t c = 0; c < csv.ncol; c++)
        if (kind[c] == 0) {
            d.lo[d.nindicators] = 0;
            d.hi[d.nindicators] = 1;
            d.indicators[d.nindicators] =
                gca_strdup(GCA_CSV_CELL(&csv, 0, c)->text.ptr);
            if (!d.indicators[d.nindicators++]) {
                rc = gca_fail(err, GCA_ENOMEM, name, 0, 0, "out of memory");
                goto out;
            }
        }
    for (size_t r = 1; r <= csv.nrow; r++) {
        const gca_csv_cell *u = GCA_CSV_CELL(&csv, r, ucode);
        gca_str us = gca_str_trim(u->text);
        if (!iso3_ok(us)) {
            rc = gca_fail(err, GCA_EPARSE, name, u->line, u->col,
                          "uCode '%.20s' is not an ISO 3166-1 alpha-3 "
                          "code", u->text.ptr);
            goto out;
        }
        char code[4] = {us.ptr[0], us.ptr[1], us.ptr[2], '\0'};
        if (gca_norms_data_find(&d, code) >= 0) {
            rc = gca_fail(err, GCA_EPARSE, name, u->line, u->col,
                          "country %s appears twice", code);
            goto out;
        }
        d.countries[d.ncountries] = gca_strdup(code);
        if (!d.countries[d.ncountries]) {
            rc = gca_fail(err, GCA_ENOMEM, name, 0, 0, "out of memory");
            goto out;
        }
        size_t row = d.ncountries++, i = 0;
        for (size_t c = 0; c < csv.ncol; c++) {
            if (kind[c] != 0)
                continue;
            const gca_csv_cell *v = GCA_CSV_CELL(&csv, r, c);
            double x = NAN;
            if (!(gca_is_na(v->text) && !v->quoted) &&
                (!gca_parse_double(v->text, &x) || !(x >= 0 && x <= 1))) {
                rc = gca_fail(err, GCA_EPARSE, name, v->line, v->col,
                              "value '%.40s' is not a number from 0 to 1 "
                              "or NA", v->text.ptr);
                goto out;
            }
            d.values[row * d.nindicators + i++] = x;
        }
    }
    /* Sorted by ISO3 so that outputs do not depend on row order. */
    size_t ns = d.ncountries * d.nindicators;
    double *sorted = gca_calloc(ns ? ns : 1, sizeof *sorted);
    char **names = gca_calloc(d.ncountries ? d.ncountries : 1,
                              sizeof *names);
    if (!sorted || !names) {
        gca_free(sorted);
        gca_free(names);
        rc = gca_fail(err, GCA_ENOMEM, name, 0, 0, "out of memory");
        goto out;
    }
    memcpy(names, d.countries, d.ncountries * sizeof *names);
    qsort(names, d.ncountries, sizeof *names, cmp_code);
    for (size_t k = 0; k < d.ncountries; k++) {
        size_t from = (size_t)gca_norms_data_find(&d, names[k]);
        memcpy(sorted + k * d.nindicators, d.values + from * d.nindicators,
               d.nindicators * sizeof *sorted);
    }
    gca_free(d.countries);
    gca_free(d.values);
    d.countries = names;
    d.values = sorted;
    *out = d;
    memset(&d, 0, sizeof d);
out:
    gca_norms_data_release(&d);
    gca_free(kind);
    gca_csv_release(&csv);
    return rc;
}

/* ====== Classification ====== */

const char *gca_link_state_name(gca_link_state s)
{
    switch (s) {
    case GCA_LINK_NOT_MET: return "not met";
    case GCA_LINK_WEAK: return "weak";
    case GCA_LINK_MET: return "met";
    default: return "no data";
    }
}

const char *gca_norm_state_name(gca_norm_state s)
{
    switch (s) {
    case GCA_NORM_NODATA: return "no data";
    case GCA_NORM_GAP: return "gap";
    case GCA_NORM_PARTIAL: return "partial";
    case GCA_NORM_IMPLEMENTED: return "implemented";
    default: return "unmapped";
    }
}

gca_link_state gca_norms_link_state(double value, double lo, double hi,
                                    double threshold)
{
    if (isnan(value) || !(hi > lo))
        return GCA_LINK_NODATA;
    double share = (value - lo) / (hi - lo);
    if (share >= threshold)
        return GCA_LINK_MET;
    return share > 0 ? GCA_LINK_WEAK : GCA_LINK_NOT_MET;
}

double gca_norms_link_value(const gca_norms *n, size_t link,
                            const gca_norms_data *d, size_t country,
                            double threshold, gca_link_state *state)
{
    const char *ind = n->links[link].indicator;
    for (size_t i = 0; i < d->nindicators; i++)
        if (!strcmp(d->indicators[i], ind)) {
            double v = d->values[country * d->nindicators + i];
            *state = gca_norms_link_state(v, d->lo[i], d->hi[i], threshold);
            return v;
        }
    *state = GCA_LINK_NODATA;
    return NAN;
}

gca_norm_state gca_norms_norm_state(const gca_norms *n, size_t norm,
                                    const gca_link_state *ls)
{
    int links = 0, data = 0, met_partial = 0, weak = 0;
    for (size_t i = 0; i < n->nlinks; i++) {
        if (n->links[i].norm != norm)
            continue;
        links = 1;
        if (ls[i] == GCA_LINK_MET &&
            n->links[i].strength == GCA_STRENGTH_DIRECT)
            return GCA_NORM_IMPLEMENTED;
        data |= ls[i] != GCA_LINK_NODATA;
        met_partial |= ls[i] == GCA_LINK_MET;
        weak |= ls[i] == GCA_LINK_WEAK;
    }
    if (!links)
        return GCA_NORM_UNMAPPED;
    if (met_partial || weak)
        return GCA_NORM_PARTIAL;
    return data ? GCA_NORM_GAP : GCA_NORM_NODATA;
}
