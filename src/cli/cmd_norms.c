/* cmd_norms.c - `gca norms list|crosswalk|country|gaps|matrix`: the UN GGE
 * 2015 norms against the framework's indicators and against their
 * objectives (docs/norms.md; docs/gca.1, "gca norms"; the library side is
 * gca/norms.h). The norms come from the knowledge base in the database;
 * the crosswalk and the objectives from the shipped data/norms/ files
 * unless the user names others. Reading only: no acting user. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "core/buf.h"
#include "core/embedded.h"
#include "core/fs.h"
#include "gca/norms.h"

#include "core/banned.h"

static const cli_opt opts[] = {
    {"db", "FILE", "database file (default $GCA_DB, else gca.db)", 0},
    {"crosswalk", "FILE", "norm-indicator links (default: the shipped "
                          "data/norms/crosswalk.csv)", 0},
    {"objectives", "FILE", "objectives of the norms (default: the shipped "
                           "data/norms/objectives.csv)", 0},
    {"links", "FILE", "which norm serves which objective (default: the "
                      "shipped data/norms/norm_objectives.csv)", 0},
    {"edition", "CODE", "country, gaps: indicator scores of this scored "
                        "edition", 0},
    {"data", "FILE", "country, gaps: indicator values 0-1 (uCode and one "
                     "column per GCI indicator)", 0},
    {"threshold", "X", "country, gaps: share of an indicator's range at "
                       "which it is met (default 0.5)", 0},
    {"json", NULL, "print JSON instead of a table", 0},
    {NULL, NULL, NULL, 0},
};

#define ACTIONS "list, crosswalk, country ISO3, gaps or matrix"
#define SHIPPED_FW "data/frameworks/gci.json"

/* Everything an action needs, loaded once. */
typedef struct ctx {
    gca_norms n;
    gca_framework *fw;  /* the framework the crosswalk is for */
    gca_norms_data d;   /* country, gaps */
    int have_data;
    double threshold;
    const char *values_from; /* "edition gci-2026" or the data file */
    char values_buf[200];
} ctx;

/* The bytes of `path`, or of shipped file `shipped` when path is NULL;
 * *name names them in errors. */
static int read_input(const char *path, const char *shipped, gca_buf *b,
                      const char **name, gca_err *err)
{
    if (path) {
        *name = path;
        return gca_file_read(path, b, err);
    }
    const gca__blob *blob = gca__embedded(shipped);
    *name = shipped;
    if (!blob)
        return gca_fail(err, GCA_EINTERNAL, shipped, 0, 0,
                        "not built into this gca");
    gca_buf_add(b, blob->data, blob->len);
    return gca_buf_error(b) ? gca_fail(err, gca_buf_error(b), shipped, 0, 0,
                                       "out of memory")
                            : 0;
}

typedef int (*parse_fn)(ctx *c, const char *data, size_t len,
                        const char *name, gca_err *err);

static int parse_cw(ctx *c, const char *data, size_t len, const char *name,
                    gca_err *err)
{
    return gca_norms_parse_crosswalk(&c->n, data, len, name, c->fw, err);
}

static int parse_obj(ctx *c, const char *data, size_t len, const char *name,
                     gca_err *err)
{
    return gca_norms_parse_objectives(&c->n, data, len, name, err);
}

static int parse_serves(ctx *c, const char *data, size_t len,
                        const char *name, gca_err *err)
{
    return gca_norms_parse_serves(&c->n, data, len, name, err);
}

static int parse_data(ctx *c, const char *data, size_t len,
                      const char *name, gca_err *err)
{
    return gca_norms_data_parse(data, len, name, c->fw, &c->d, err);
}

static int load_file(ctx *c, const char *path, const char *shipped,
                     parse_fn fn, gca_err *err)
{
    gca_buf b = GCA_BUF_INIT(16u << 20);
    const char *name = NULL;
    int rc = read_input(path, shipped, &b, &name, err);
    if (rc == 0)
        rc = fn(c, b.ptr ? b.ptr : "", b.len, name, err);
    gca_buf_release(&b);
    return rc;
}

/* Parse --threshold: a number in (0, 1]. */
static int parse_threshold(const char *s, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = s ? strtod(s, &end) : GCA_NORMS_DEFAULT_THRESHOLD;
    if (s && (end == s || *end || errno || !(v > 0 && v <= 1)))
        return -1;
    *out = v;
    return 0;
}

static int load(ctx *c, const cli_cmd *cmd, const cli_args *a,
                gca_store *st, int values, gca_err *err)
{
    const char *ed = cli_get(cmd, a, "edition");
    int rc = gca_norms_load_kb(st, &c->n, err);
    if (rc == 0 && c->n.nnorms == 0)
        rc = gca_fail(err, GCA_ESTATE, "knowledge base", 0, 0,
                      "no norms in the knowledge base (import "
                      "data/kb/norms.csv with gca kb import)");
    if (rc == 0 && values && ed) {
        rc = gca_norms_edition_data(st, ed, &c->d, &c->fw, err);
        snprintf(c->values_buf, sizeof c->values_buf, "edition %s", ed);
        c->values_from = c->values_buf;
        c->have_data = rc == 0;
    } else if (rc == 0) {
        const gca__blob *b = gca__embedded(SHIPPED_FW);
        rc = b ? gca_framework_load_mem(b->data, b->len, SHIPPED_FW, &c->fw,
                                        NULL, err)
               : gca_fail(err, GCA_EINTERNAL, SHIPPED_FW, 0, 0,
                          "not built into this gca");
    }
    if (rc == 0)
        rc = load_file(c, cli_get(cmd, a, "crosswalk"),
                       "data/norms/crosswalk.csv", parse_cw, err);
    if (rc == 0)
        rc = load_file(c, cli_get(cmd, a, "objectives"),
                       "data/norms/objectives.csv", parse_obj, err);
    if (rc == 0)
        rc = load_file(c, cli_get(cmd, a, "links"),
                       "data/norms/norm_objectives.csv", parse_serves, err);
    if (rc == 0 && values && !ed) {
        rc = load_file(c, cli_get(cmd, a, "data"), NULL, parse_data, err);
        c->values_from = cli_get(cmd, a, "data");
        c->have_data = rc == 0;
    }
    return rc;
}

static void release(ctx *c)
{
    gca_norms_release(&c->n);
    gca_norms_data_release(&c->d);
    gca_framework_free(c->fw);
}

/* ====== Output helpers ====== */

static int oom(void)
{
    fprintf(stderr, "%s: out of memory\n", cli_prog);
    return EXIT_INTERNAL;
}

/* Print `j` (taken) or fail on NULL. */
static int emit(json_t *j)
{
    if (!j)
        return oom();
    int rc = cli_print_json(j);
    json_decref(j);
    return rc;
}

static const char *ind_name(const ctx *c, const char *code)
{
    const gca_node *nd = gca_framework_node(c->fw, code);
    return nd && nd->name ? nd->name : "";
}

static const char *strength_name(gca_norm_strength s)
{
    return s == GCA_STRENGTH_DIRECT ? "direct" : "partial";
}

/* ====== list, crosswalk ====== */

static int do_list(ctx *c, int json)
{
    const gca_norms *n = &c->n;
    json_t *arr = json ? json_array() : NULL;
    if (json && !arr)
        return oom();
    if (!json)
        printf("norm\tid\ttitle\tindicators\tobjectives\n");
    for (size_t i = 0; i < n->nnorms; i++) {
        size_t nl = gca_norms_norm_links(n, i);
        size_t no = gca_norms_norm_objectives(n, i);
        if (!json) {
            printf("%s\t%s\t%s\t%zu\t%zu\n", n->norms[i].para,
                   n->norms[i].id, n->norms[i].title, nl, no);
            continue;
        }
        if (json_array_append_new(
                arr, json_pack("{s:s, s:s, s:o, s:I, s:I}", "norm",
                               n->norms[i].para, "id", n->norms[i].id,
                               "title", gca__json_text(n->norms[i].title),
                               "indicators", (json_int_t)nl, "objectives",
                               (json_int_t)no)) != 0) {
            json_decref(arr);
            return oom();
        }
    }
    return json ? emit(arr) : cli_write_stdout("", 0);
}

static int do_crosswalk(ctx *c, int json)
{
    const gca_norms *n = &c->n;
    json_t *arr = json ? json_array() : NULL;
    if (json && !arr)
        return oom();
    if (!json)
        printf("norm\tframework\tindicator\tname\tstrength\trationale\n");
    for (size_t i = 0; i < n->nlinks; i++) {
        const gca_norm_link *l = &n->links[i];
        const char *para = n->norms[l->norm].para;
        if (!json) {
            printf("%s\t%s\t%s\t%s\t%s\t%s\n", para, l->framework,
                   l->indicator, ind_name(c, l->indicator),
                   strength_name(l->strength), l->rationale);
            continue;
        }
        if (json_array_append_new(
                arr, json_pack("{s:s, s:s, s:s, s:o, s:s, s:o, s:o}",
                               "norm", para, "framework", l->framework,
                               "indicator", l->indicator, "name",
                               gca__json_text(ind_name(c, l->indicator)),
                               "strength", strength_name(l->strength),
                               "rationale", gca__json_text(l->rationale),
                               "source", gca__json_text(l->source))) != 0) {
            json_decref(arr);
            return oom();
        }
    }
    return json ? emit(arr) : cli_write_stdout("", 0);
}

/* ====== country ====== */

/* The state of every link and norm for country row `k`: ls[nlinks],
 * ns[nnorms]. */
static void classify(const ctx *c, size_t k, gca_link_state *ls,
                     gca_norm_state *ns, double *val)
{
    for (size_t i = 0; i < c->n.nlinks; i++)
        val[i] = gca_norms_link_value(&c->n, i, &c->d, k, c->threshold,
                                      &ls[i]);
    for (size_t i = 0; i < c->n.nnorms; i++)
        ns[i] = gca_norms_norm_state(&c->n, i, ls);
}

typedef struct states {
    gca_link_state *ls;
    gca_norm_state *ns;
    double *val;
} states;

static int states_alloc(const ctx *c, states *s)
{
    s->ls = gca_calloc(c->n.nlinks + 1, sizeof *s->ls);
    s->ns = gca_calloc(c->n.nnorms + 1, sizeof *s->ns);
    s->val = gca_calloc(c->n.nlinks + 1, sizeof *s->val);
    return s->ls && s->ns && s->val ? 0 : -1;
}

static void states_free(states *s)
{
    gca_free(s->ls);
    gca_free(s->ns);
    gca_free(s->val);
}

static json_t *json_value(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

static json_t *country_json(const ctx *c, const char *iso3, const states *s)
{
    const gca_norms *n = &c->n;
    json_t *norms = json_array();
    json_t *o = json_pack("{s:s, s:s, s:f, s:o}", "country", iso3, "values",
                          c->values_from, "threshold", c->threshold,
                          "norms", norms);
    if (!o)
        return NULL;
    for (size_t i = 0; i < n->nnorms; i++) {
        json_t *links = json_array();
        if (json_array_append_new(
                norms, json_pack("{s:s, s:s, s:o, s:s, s:o}", "norm",
                                 n->norms[i].para, "id", n->norms[i].id,
                                 "title", gca__json_text(n->norms[i].title),
                                 "state", gca_norm_state_name(s->ns[i]),
                                 "links", links)) != 0)
            goto fail;
        for (size_t l = 0; l < n->nlinks; l++) {
            if (n->links[l].norm != i)
                continue;
            if (json_array_append_new(
                    links, json_pack("{s:s, s:o, s:s, s:o, s:s}",
                                     "indicator", n->links[l].indicator,
                                     "name",
                                     gca__json_text(ind_name(
                                         c, n->links[l].indicator)),
                                     "strength",
                                     strength_name(n->links[l].strength),
                                     "value", json_value(s->val[l]),
                                     "state",
                                     gca_link_state_name(s->ls[l]))) != 0)
                goto fail;
        }
    }
    return o;
fail:
    json_decref(o);
    return NULL;
}

static void country_table(const ctx *c, const char *iso3, const states *s)
{
    const gca_norms *n = &c->n;
    printf("# %s, values: %s, threshold %g\n", iso3, c->values_from,
           c->threshold);
    printf("norm\tstate\tindicator\tstrength\tvalue\tlink\n");
    for (size_t i = 0; i < n->nnorms; i++) {
        int any = 0;
        for (size_t l = 0; l < n->nlinks; l++) {
            if (n->links[l].norm != i)
                continue;
            any = 1;
            if (isnan(s->val[l]))
                printf("%s\t%s\t%s\t%s\tNA\t%s\n", n->norms[i].para,
                       gca_norm_state_name(s->ns[i]),
                       n->links[l].indicator,
                       strength_name(n->links[l].strength),
                       gca_link_state_name(s->ls[l]));
            else
                printf("%s\t%s\t%s\t%s\t%.4g\t%s\n", n->norms[i].para,
                       gca_norm_state_name(s->ns[i]),
                       n->links[l].indicator,
                       strength_name(n->links[l].strength), s->val[l],
                       gca_link_state_name(s->ls[l]));
        }
        if (!any)
            printf("%s\t%s\t-\t-\t-\t-\n", n->norms[i].para,
                   gca_norm_state_name(s->ns[i]));
    }
}

static int do_country(ctx *c, const char *iso3, int json)
{
    long k = gca_norms_data_find(&c->d, iso3);
    if (k < 0) {
        fprintf(stderr, "%s: no values for country '%s' in %s\n", cli_prog,
                iso3, c->values_from);
        return EXIT_INPUT;
    }
    states s = {0};
    int rc = EXIT_OK;
    if (states_alloc(c, &s) < 0) {
        states_free(&s);
        return oom();
    }
    classify(c, (size_t)k, s.ls, s.ns, s.val);
    if (json)
        rc = emit(country_json(c, iso3, &s));
    else
        country_table(c, iso3, &s);
    states_free(&s);
    return json ? rc : cli_write_stdout("", 0);
}

/* ====== gaps ====== */

#define NSTATES 5

static json_t *gaps_norms_json(const ctx *c, size_t (*count)[NSTATES])
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < c->n.nnorms; i++)
        if (json_array_append_new(
                arr, json_pack("{s:s, s:o, s:b, s:I, s:I, s:I, s:I}", "norm",
                               c->n.norms[i].para, "title",
                               gca__json_text(c->n.norms[i].title), "mapped",
                               gca_norms_norm_links(&c->n, i) > 0,
                               "implemented",
                               (json_int_t)count[i][GCA_NORM_IMPLEMENTED],
                               "partial",
                               (json_int_t)count[i][GCA_NORM_PARTIAL], "gap",
                               (json_int_t)count[i][GCA_NORM_GAP], "no_data",
                               (json_int_t)count[i][GCA_NORM_NODATA])) !=
            0) {
            json_decref(arr);
            return NULL;
        }
    return arr;
}

/* The norms of country row `k` in state `want`, as a JSON array or, for
 * the table, space-separated into `b`. */
static json_t *norms_in(const ctx *c, const gca_norm_state *ns,
                        gca_norm_state want, gca_buf *b)
{
    json_t *arr = b ? NULL : json_array();
    for (size_t i = 0; i < c->n.nnorms; i++) {
        if (ns[i] != want)
            continue;
        if (b)
            gca_buf_printf(b, "%s%s", b->len ? " " : "", c->n.norms[i].para);
        else if (json_array_append_new(arr,
                                       json_string(c->n.norms[i].para)))
            return NULL;
    }
    return arr;
}

static int do_gaps(ctx *c, int json)
{
    size_t nn = c->n.nnorms;
    size_t (*count)[NSTATES] = gca_calloc(nn + 1, sizeof *count);
    states s = {0};
    json_t *countries = json ? json_array() : NULL;
    int rc = EXIT_OK;
    if (!count || states_alloc(c, &s) < 0 || (json && !countries)) {
        rc = oom();
        goto out;
    }
    static const gca_norm_state listed[] = {GCA_NORM_GAP, GCA_NORM_PARTIAL,
                                            GCA_NORM_UNMAPPED,
                                            GCA_NORM_NODATA};
    static const char *const key[] = {"gap", "partial", "unmapped",
                                      "no_data"};
    if (!json)
        printf("# values: %s, threshold %g, %zu countries\n"
               "country\tgap\tpartial\tunmapped\tno data\n",
               c->values_from, c->threshold, c->d.ncountries);
    for (size_t k = 0; k < c->d.ncountries; k++) {
        classify(c, k, s.ls, s.ns, s.val);
        for (size_t i = 0; i < nn; i++)
            count[i][s.ns[i]]++;
        json_t *o = json ? json_pack("{s:s}", "country", c->d.countries[k])
                         : NULL;
        if (json && (!o || json_array_append_new(countries, o))) {
            rc = oom();
            goto out;
        }
        if (!json)
            printf("%s", c->d.countries[k]);
        for (size_t q = 0; q < 4; q++) {
            gca_buf b = GCA_BUF_INIT(4096);
            json_t *a = norms_in(c, s.ns, listed[q], json ? NULL : &b);
            if (!json)
                printf("\t%s", b.len ? b.ptr : "-");
            gca_buf_release(&b);
            if (json && (!a || json_object_set_new(o, key[q], a))) {
                rc = oom();
                goto out;
            }
        }
        if (!json)
            printf("\n");
    }
    if (json) {
        json_t *norms = gaps_norms_json(c, count);
        json_t *top = norms ? json_pack("{s:s, s:f, s:I, s:o, s:O}",
                                        "values", c->values_from,
                                        "threshold", c->threshold,
                                        "countries_total",
                                        (json_int_t)c->d.ncountries,
                                        "norms", norms, "countries",
                                        countries)
                            : NULL;
        rc = emit(top);
        goto out;
    }
    printf("\nnorm\ttitle\tmapped\timplemented\tpartial\tgap\tno data\n");
    for (size_t i = 0; i < nn; i++)
        printf("%s\t%s\t%s\t%zu\t%zu\t%zu\t%zu\n", c->n.norms[i].para,
               c->n.norms[i].title,
               gca_norms_norm_links(&c->n, i) ? "yes" : "no",
               count[i][GCA_NORM_IMPLEMENTED], count[i][GCA_NORM_PARTIAL],
               count[i][GCA_NORM_GAP], count[i][GCA_NORM_NODATA]);
    rc = cli_write_stdout("", 0);
out:
    json_decref(countries);
    states_free(&s);
    gca_free(count);
    return rc;
}

/* ====== matrix ====== */

static int matrix_json(const ctx *c)
{
    const gca_norms *n = &c->n;
    json_t *objs = json_array(), *unc = json_array(), *orphan = json_array();
    json_t *norms = json_array();
    json_t *top = json_pack("{s:o, s:o, s:o, s:o}", "norms", norms,
                            "objectives", objs, "objectives_uncovered", unc,
                            "norms_without_objective", orphan);
    if (!top)
        return oom();
    for (size_t i = 0; i < n->nnorms; i++)
        if (json_array_append_new(norms, json_string(n->norms[i].para)) ||
            (!gca_norms_norm_objectives(n, i) &&
             json_array_append_new(orphan, json_string(n->norms[i].para))))
            goto fail;
    for (size_t o = 0; o < n->nobjectives; o++) {
        json_t *by = json_array();
        if (json_array_append_new(
                objs, json_pack("{s:s, s:o, s:o, s:o}", "code",
                                n->objectives[o].code, "name",
                                gca__json_text(n->objectives[o].name),
                                "source",
                                gca__json_text(n->objectives[o].source),
                                "norms", by)))
            goto fail;
        for (size_t i = 0; i < n->nnorms; i++)
            if (gca_norms_serves_objective(n, i, o) &&
                json_array_append_new(by, json_string(n->norms[i].para)))
                goto fail;
        if (!gca_norms_objective_norms(n, o) &&
            json_array_append_new(unc, json_string(n->objectives[o].code)))
            goto fail;
    }
    return emit(top);
fail:
    json_decref(top);
    return oom();
}

static int do_matrix(ctx *c, int json)
{
    const gca_norms *n = &c->n;
    if (json)
        return matrix_json(c);
    printf("objective");
    for (size_t i = 0; i < n->nnorms; i++)
        printf("\t%s", n->norms[i].para);
    printf("\tnorms\n");
    for (size_t o = 0; o < n->nobjectives; o++) {
        printf("%s", n->objectives[o].code);
        for (size_t i = 0; i < n->nnorms; i++)
            printf("\t%s", gca_norms_serves_objective(n, i, o) ? "x" : ".");
        printf("\t%zu\n", gca_norms_objective_norms(n, o));
    }
    printf("\nobjectives no norm covers:");
    size_t k = 0;
    for (size_t o = 0; o < n->nobjectives; o++)
        if (!gca_norms_objective_norms(n, o)) {
            printf(" %s", n->objectives[o].code);
            k++;
        }
    printf("%s\nnorms no objective covers:", k ? "" : " -");
    k = 0;
    for (size_t i = 0; i < n->nnorms; i++)
        if (!gca_norms_norm_objectives(n, i)) {
            printf(" %s", n->norms[i].para);
            k++;
        }
    printf("%s\n", k ? "" : " -");
    return cli_write_stdout("", 0);
}

/* ====== The command ====== */

static int check_args(const cli_cmd *cmd, const cli_args *a,
                      const char *action, int values, int npos)
{
    const char *ed = cli_get(cmd, a, "edition"),
               *data = cli_get(cmd, a, "data");
    if (!values) {
        static const char *const no[] = {"edition", "data", "threshold",
                                         NULL};
        for (size_t i = 0; no[i]; i++)
            if (cli_get(cmd, a, no[i]))
                return cli_usage_error(cmd, "%s does not take --%s", action,
                                       no[i]);
    } else if (!ed == !data) {
        return cli_usage_error(cmd, "%s needs either --edition CODE or "
                               "--data FILE", action);
    }
    int want = !strcmp(action, "country") ? 2 : 1;
    if (npos < want)
        return cli_usage_error(cmd, "country needs an ISO3 code");
    if (npos > want)
        return cli_usage_error(cmd, "unexpected argument");
    return 0;
}

static int run(const cli_cmd *cmd, int argc, char **argv)
{
    const char *pos[3];
    int npos = 0;
    cli_args a;
    gca_store *st = NULL;
    gca_err err = {0};
    ctx c = {0};

    int rc = cli_parse_mixed(cmd, argc, argv, &a, pos, 3, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos == 0)
        return cli_usage_error(cmd, "needs an action: " ACTIONS);
    const char *action = pos[0];
    static const char *const known[] = {"list", "crosswalk", "country",
                                        "gaps", "matrix", NULL};
    size_t w = 0;
    while (known[w] && strcmp(known[w], action))
        w++;
    if (!known[w])
        return cli_usage_error(cmd, "unknown action '%s' (use " ACTIONS ")",
                               action);
    int values = w == 2 || w == 3;
    rc = check_args(cmd, &a, action, values, npos);
    if (rc)
        return rc;
    if (parse_threshold(cli_get(cmd, &a, "threshold"), &c.threshold) < 0)
        return cli_usage_error(cmd, "--threshold '%s' is not a number "
                               "above 0 and at most 1",
                               cli_get(cmd, &a, "threshold"));

    rc = cli_open_current(cmd, &a, &st);
    if (rc)
        return rc;
    gca_norms_init(&c.n);
    if (load(&c, cmd, &a, st, values, &err) < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    int json = cli_get(cmd, &a, "json") != NULL;
    switch (w) {
    case 0: rc = do_list(&c, json); break;
    case 1: rc = do_crosswalk(&c, json); break;
    case 2: rc = do_country(&c, pos[1], json); break;
    case 3: rc = do_gaps(&c, json); break;
    default: rc = do_matrix(&c, json); break;
    }
out:
    release(&c);
    gca_store_close(st);
    return rc;
}

const cli_cmd cli_cmd_norms = {
    "norms",
    "The UN GGE 2015 norms against the framework's indicators and their "
    "objectives: the norms (list), the norm-indicator crosswalk "
    "(crosswalk), which norms a country implements (country ISO3), gaps "
    "and counts per norm over all countries (gaps), and the "
    "objectives-by-norms matrix (matrix).",
    "list|crosswalk|country ISO3|gaps|matrix [options]",
    opts,
    run,
};
