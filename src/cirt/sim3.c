/* sim3.c - SIM3 parameters, baseline profiles, assessment files and the
 * gap of an assessment to a profile (gca/cirt.h, docs/cirt.md). Pure:
 * no store, no file system; the shipped files come from the library. */
#include <math.h>
#include <string.h>

#include "core/csv.h"
#include "core/embedded.h"
#include "core/str.h"
#include "gca/cirt.h"

#include "core/banned.h"

const char gca_sim3_categories[GCA_SIM3_NCAT] = {'O', 'H', 'T', 'P'};

static const char *const cat_names[GCA_SIM3_NCAT] = {
    "Organisation", "Human", "Tools", "Processes"};

#define TEXT_MAX 2000 /* bytes of a name, description, note cell */

/* Column `want` of the header of `c`, or -1. */
static int column(const gca_csv *c, const char *want)
{
    for (size_t j = 0; j < c->ncol; j++)
        if (gca_str_eq(GCA_CSV_CELL(c, 0, j)->text, want))
            return (int)j;
    return -1;
}

/* Every column in `names` (NULL-terminated) into idx[], or an error
 * naming the first missing. */
static int columns(const gca_csv *c, const char *name,
                   const char *const *names, int *idx, gca_err *err)
{
    for (size_t i = 0; names[i]; i++) {
        idx[i] = column(c, names[i]);
        if (idx[i] < 0)
            return gca_fail(err, GCA_EPARSE, name, 1, 1,
                            "missing column '%s'", names[i]);
    }
    return 0;
}

static const gca_csv_cell *cell(const gca_csv *c, size_t row, int col)
{
    return GCA_CSV_CELL(c, row, (size_t)col);
}

/* "O-1" .. "P-99": category letter, '-', a number 1..99 without a
 * leading zero. Returns the category index or -1. */
static int code_category(gca_str s)
{
    if (s.len < 3 || s.len > 4 || s.ptr[1] != '-' || s.ptr[2] < '1' ||
        s.ptr[2] > '9' || (s.len == 4 && (s.ptr[3] < '0' || s.ptr[3] > '9')))
        return -1;
    for (int i = 0; i < GCA_SIM3_NCAT; i++)
        if (s.ptr[0] == gca_sim3_categories[i])
            return i;
    return -1;
}

int gca_sim3_find(const gca_sim3_model *m, const char *code)
{
    for (size_t i = 0; code && i < m->n; i++)
        if (!strcmp(m->params[i].code, code))
            return (int)i;
    return -1;
}

static int find_slice(const gca_sim3_model *m, gca_str s)
{
    for (size_t i = 0; i < m->n; i++)
        if (gca_str_eq(s, m->params[i].code))
            return (int)i;
    return -1;
}

static int too_long(const gca_csv_cell *x, const char *name, gca_err *err)
{
    if (x->text.len > TEXT_MAX)
        return gca_fail(err, GCA_EPARSE, name, x->line, x->col,
                        "cell is longer than %d bytes", TEXT_MAX);
    return 0;
}

/* ====== Parameters ====== */

void gca_sim3_model_release(gca_sim3_model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        gca_free(m->params[i].name);
        gca_free(m->params[i].description);
        gca_free(m->params[i].edition);
        gca_free(m->params[i].status);
    }
    gca_free(m->params);
    m->params = NULL;
    m->n = 0;
}

int gca_sim3_model_parse(const char *data, size_t len, const char *name,
                         gca_sim3_model *out, gca_err *err)
{
    static const char *const need[] = {"code", "category", "name",
                                       "description", "edition", "status",
                                       NULL};
    gca_csv c = {0};
    gca_sim3_model m = {NULL, 0};
    int idx[6];
    memset(out, 0, sizeof *out);
    if (len > GCA_SIM3_MAX_FILE)
        return gca_fail(err, GCA_ETOOBIG, name, 0, 0,
                        "file is larger than %d bytes", GCA_SIM3_MAX_FILE);
    int rc = gca_csv_parse(data, len, name, GCA_SIM3_MAX_PARAMS, 32, &c, err);
    if (rc == 0)
        rc = columns(&c, name, need, idx, err);
    if (rc == 0 && c.nrow == 0)
        rc = gca_fail(err, GCA_EPARSE, name, 1, 1, "no parameters");
    if (rc == 0 && !(m.params = gca_calloc(c.nrow, sizeof *m.params)))
        rc = gca_fail(err, GCA_ENOMEM, name, 0, 0, "out of memory");
    for (size_t r = 1; rc == 0 && r <= c.nrow; r++) {
        const gca_csv_cell *code = cell(&c, r, idx[0]);
        const gca_csv_cell *cat = cell(&c, r, idx[1]);
        int k = code_category(code->text);
        if (k < 0) {
            rc = gca_fail(err, GCA_EPARSE, name, code->line, code->col,
                          "code '%.16s' is not a SIM3 parameter code "
                          "(O-1, H-2, T-3, P-4)",
                          code->text.ptr);
            break;
        }
        if (find_slice(&m, code->text) >= 0) {
            rc = gca_fail(err, GCA_EPARSE, name, code->line, code->col,
                          "parameter '%s' appears twice", code->text.ptr);
            break;
        }
        if (!gca_str_eq(cat->text, cat_names[k])) {
            rc = gca_fail(err, GCA_EPARSE, name, cat->line, cat->col,
                          "category '%.32s' does not match code %s "
                          "(expected %s)",
                          cat->text.ptr, code->text.ptr, cat_names[k]);
            break;
        }
        for (int j = 2; rc == 0 && j < 6; j++)
            rc = too_long(cell(&c, r, idx[j]), name, err);
        if (rc == 0 && cell(&c, r, idx[2])->text.len == 0)
            rc = gca_fail(err, GCA_EPARSE, name, cell(&c, r, idx[2])->line,
                          cell(&c, r, idx[2])->col, "parameter %s has no "
                          "name", code->text.ptr);
        if (rc < 0)
            break;
        gca_sim3_param *p = &m.params[m.n++];
        memcpy(p->code, code->text.ptr, code->text.len);
        p->category = k;
        p->name = gca_strdup(cell(&c, r, idx[2])->text.ptr);
        p->description = gca_strdup(cell(&c, r, idx[3])->text.ptr);
        p->edition = gca_strdup(cell(&c, r, idx[4])->text.ptr);
        p->status = gca_strdup(cell(&c, r, idx[5])->text.ptr);
        if (!p->name || !p->description || !p->edition || !p->status)
            rc = gca_fail(err, GCA_ENOMEM, name, 0, 0, "out of memory");
    }
    gca_csv_release(&c);
    if (rc < 0) {
        gca_sim3_model_release(&m);
        return rc;
    }
    *out = m;
    return 0;
}

static int shipped(const char *path, const gca__blob **b, gca_err *err)
{
    *b = gca__embedded(path);
    if (!*b)
        return gca_fail(err, GCA_ENOTFOUND, path, 0, 0,
                        "not built into this library");
    return 0;
}

int gca_sim3_model_default(gca_sim3_model *out, gca_err *err)
{
    const gca__blob *b;
    int rc = shipped("data/cirt/sim3_parameters.csv", &b, err);
    if (rc < 0)
        return rc;
    return gca_sim3_model_parse(b->data, b->len, b->name, out, err);
}

/* ====== Baselines ====== */

void gca_sim3_baselines_release(gca_sim3_baselines *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++) {
        gca_free(b->p[i].name);
        gca_free(b->p[i].source);
        gca_free(b->p[i].note);
        gca_free(b->p[i].min);
    }
    gca_free(b->p);
    b->p = NULL;
    b->n = 0;
}

const gca_sim3_profile *gca_sim3_profile_find(const gca_sim3_baselines *b,
                                              const char *name)
{
    for (size_t i = 0; name && i < b->n; i++)
        if (!strcmp(b->p[i].name, name))
            return &b->p[i];
    return NULL;
}

/* A profile name: 1..40 bytes of [a-z0-9_-]. */
static int bad_profile_name(gca_str s)
{
    if (s.len == 0 || s.len > 40)
        return 1;
    for (size_t i = 0; i < s.len; i++) {
        char ch = s.ptr[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '_' || ch == '-'))
            return 1;
    }
    return 0;
}

/* The profile `name` of *b, added when new. */
static int profile_get(const gca_sim3_model *m, gca_sim3_baselines *b,
                       const char *name, const char *source,
                       const char *note, gca_sim3_profile **out)
{
    for (size_t i = 0; i < b->n; i++)
        if (!strcmp(b->p[i].name, name)) {
            *out = &b->p[i];
            return 0;
        }
    gca_sim3_profile *p = gca_realloc(b->p, (b->n + 1) * sizeof *p);
    if (!p)
        return GCA_ENOMEM;
    b->p = p;
    p = &b->p[b->n];
    memset(p, 0, sizeof *p);
    b->n++;
    p->name = gca_strdup(name);
    p->source = gca_strdup(source);
    p->note = gca_strdup(note);
    p->min = gca_malloc(m->n * sizeof *p->min);
    if (!p->name || !p->source || !p->note || !p->min)
        return GCA_ENOMEM;
    for (size_t i = 0; i < m->n; i++)
        p->min[i] = GCA_SIM3_NOT_ASSESSED;
    *out = p;
    return 0;
}

int gca_sim3_baselines_parse(const gca_sim3_model *m, const char *data,
                             size_t len, const char *name,
                             gca_sim3_baselines *out, gca_err *err)
{
    static const char *const need[] = {"profile", "code", "min_level",
                                       "source", "note", NULL};
    gca_csv c = {0};
    gca_sim3_baselines b = {NULL, 0};
    int idx[5];
    memset(out, 0, sizeof *out);
    if (len > GCA_SIM3_MAX_FILE)
        return gca_fail(err, GCA_ETOOBIG, name, 0, 0,
                        "file is larger than %d bytes", GCA_SIM3_MAX_FILE);
    int rc = gca_csv_parse(data, len, name, 100000, 32, &c, err);
    if (rc == 0)
        rc = columns(&c, name, need, idx, err);
    if (rc == 0 && c.nrow == 0)
        rc = gca_fail(err, GCA_EPARSE, name, 1, 1, "no profiles");
    for (size_t r = 1; rc == 0 && r <= c.nrow; r++) {
        const gca_csv_cell *prof = cell(&c, r, idx[0]);
        const gca_csv_cell *code = cell(&c, r, idx[1]);
        const gca_csv_cell *lvl = cell(&c, r, idx[2]);
        const gca_csv_cell *src = cell(&c, r, idx[3]);
        const gca_csv_cell *note = cell(&c, r, idx[4]);
        long v = 0;
        int k;
        gca_sim3_profile *p = NULL;
        if (bad_profile_name(prof->text))
            rc = gca_fail(err, GCA_EPARSE, name, prof->line, prof->col,
                          "profile name '%.40s' is not 1 to 40 of a-z, "
                          "0-9, '_', '-'",
                          prof->text.ptr);
        else if ((k = find_slice(m, code->text)) < 0)
            rc = gca_fail(err, GCA_EPARSE, name, code->line, code->col,
                          "unknown SIM3 parameter '%.16s'", code->text.ptr);
        else if (!gca_parse_int(lvl->text, 0, GCA_SIM3_LEVEL_MAX, &v))
            rc = gca_fail(err, GCA_EPARSE, name, lvl->line, lvl->col,
                          "min_level '%.16s' is not a level 0 to 4",
                          lvl->text.ptr);
        else if (src->text.len == 0)
            rc = gca_fail(err, GCA_EPARSE, name, src->line, src->col,
                          "no source: say where the profile comes from");
        else if ((rc = too_long(src, name, err)) == 0 &&
                 (rc = too_long(note, name, err)) == 0) {
            if (profile_get(m, &b, prof->text.ptr, src->text.ptr,
                            note->text.ptr, &p) < 0)
                rc = gca_fail(err, GCA_ENOMEM, name, 0, 0, "out of memory");
            else if (p->min[k] != GCA_SIM3_NOT_ASSESSED)
                rc = gca_fail(err, GCA_EPARSE, name, code->line, code->col,
                              "parameter %s appears twice in profile %s",
                              m->params[k].code, p->name);
            else
                p->min[k] = (int)v;
        }
    }
    gca_csv_release(&c);
    if (rc < 0) {
        gca_sim3_baselines_release(&b);
        return rc;
    }
    *out = b;
    return 0;
}

int gca_sim3_baselines_default(const gca_sim3_model *m,
                               gca_sim3_baselines *out, gca_err *err)
{
    const gca__blob *b;
    int rc = shipped("data/cirt/sim3_baselines.csv", &b, err);
    if (rc < 0)
        return rc;
    return gca_sim3_baselines_parse(m, b->data, b->len, b->name, out, err);
}

/* ====== Assessment files ====== */

static int not_assessed(gca_str s)
{
    s = gca_str_trim(s);
    if (s.len == 0)
        return 1;
    if (s.len == 2 && (s.ptr[0] == 'n' || s.ptr[0] == 'N') &&
        (s.ptr[1] == 'a' || s.ptr[1] == 'A'))
        return 1;
    return 0;
}

int gca_sim3_levels_parse(const gca_sim3_model *m, const char *data,
                          size_t len, const char *name, int *levels,
                          gca_err *err)
{
    static const char *const need[] = {"code", "level", NULL};
    gca_csv c = {0};
    int idx[2];
    for (size_t i = 0; i < m->n; i++)
        levels[i] = GCA_SIM3_NOT_ASSESSED;
    if (len > GCA_SIM3_MAX_FILE)
        return gca_fail(err, GCA_ETOOBIG, name, 0, 0,
                        "file is larger than %d bytes", GCA_SIM3_MAX_FILE);
    int rc = gca_csv_parse(data, len, name, GCA_SIM3_MAX_PARAMS, 8, &c, err);
    if (rc == 0)
        rc = columns(&c, name, need, idx, err);
    if (rc == 0 && c.ncol != 2)
        rc = gca_fail(err, GCA_EPARSE, name, 1, 1,
                      "expected the two columns code,level, found %zu",
                      c.ncol);
    if (rc == 0 && c.nrow == 0)
        rc = gca_fail(err, GCA_EPARSE, name, 1, 1, "no levels");
    int *seen = rc == 0 ? gca_calloc(m->n ? m->n : 1, sizeof *seen) : NULL;
    if (rc == 0 && !seen)
        rc = gca_fail(err, GCA_ENOMEM, name, 0, 0, "out of memory");
    for (size_t r = 1; rc == 0 && r <= c.nrow; r++) {
        const gca_csv_cell *code = cell(&c, r, idx[0]);
        const gca_csv_cell *lvl = cell(&c, r, idx[1]);
        long v = 0;
        int k = find_slice(m, gca_str_trim(code->text));
        if (k < 0)
            rc = gca_fail(err, GCA_EPARSE, name, code->line, code->col,
                          "unknown SIM3 parameter '%.16s'", code->text.ptr);
        else if (seen[k])
            rc = gca_fail(err, GCA_EPARSE, name, code->line, code->col,
                          "parameter %s appears twice", m->params[k].code);
        else if (not_assessed(lvl->text))
            seen[k] = 1;
        else if (!gca_parse_int(lvl->text, 0, GCA_SIM3_LEVEL_MAX, &v))
            rc = gca_fail(err, GCA_EPARSE, name, lvl->line, lvl->col,
                          "level '%.16s' is not 0 to 4 (or empty / na for "
                          "not assessed)",
                          lvl->text.ptr);
        else {
            seen[k] = 1;
            levels[k] = (int)v;
        }
    }
    gca_free(seen);
    gca_csv_release(&c);
    if (rc < 0)
        for (size_t i = 0; i < m->n; i++)
            levels[i] = GCA_SIM3_NOT_ASSESSED;
    return rc;
}

/* ====== Gap ====== */

void gca_sim3_gap_release(gca_sim3_gap *g)
{
    if (!g)
        return;
    gca_free(g->rows);
    g->rows = NULL;
}

int gca_sim3_gap_compute(const gca_sim3_model *m, const gca_sim3_profile *p,
                         const int *levels, gca_sim3_gap *out, gca_err *err)
{
    double sum[GCA_SIM3_NCAT] = {0};
    memset(out, 0, sizeof *out);
    out->rows = gca_calloc(m->n ? m->n : 1, sizeof *out->rows);
    if (!out->rows)
        return gca_fail(err, GCA_ENOMEM, "gap", 0, 0, "out of memory");
    for (size_t i = 0; i < m->n; i++) {
        gca_sim3_gap_row *r = &out->rows[i];
        gca_sim3_cat_gap *c = &out->cat[m->params[i].category];
        r->level = levels[i];
        r->required = p ? p->min[i] : GCA_SIM3_NOT_ASSESSED;
        if (r->level != GCA_SIM3_NOT_ASSESSED) {
            c->assessed++;
            sum[m->params[i].category] += r->level;
        }
        if (r->required == GCA_SIM3_NOT_ASSESSED)
            continue;
        int have = r->level == GCA_SIM3_NOT_ASSESSED ? 0 : r->level;
        r->shortfall = r->required > have ? r->required - have : 0;
        c->total++;
        /* Not assessed never meets a requirement, even one of 0. */
        if (r->level != GCA_SIM3_NOT_ASSESSED && r->shortfall == 0)
            c->met++;
    }
    for (int k = 0; k < GCA_SIM3_NCAT; k++) {
        gca_sim3_cat_gap *c = &out->cat[k];
        c->mean = c->assessed ? sum[k] / c->assessed : NAN;
        out->met += c->met;
        out->total += c->total;
    }
    out->all_met = out->met == out->total;
    return 0;
}
