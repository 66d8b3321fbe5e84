/* cmd_cirt.c - `gca cirt`: the CIRT programme (docs/cirt.md, docs/gca.1
 * "gca cirt"). SIM3 assessments (assess, gap, history, baselines), the
 * national CIRT status of every country (status, status-set) and the
 * ranking of countries without one (priorities). The library side is
 * gca/cirt.h. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "core/buf.h"
#include "core/fs.h"
#include "gca/cirt.h"

#include "core/banned.h"

static const cli_opt opts[] = {
    {"db", "FILE", "database file (default $GCA_DB, else gca.db)", 0},
    {"as", "NAME", "acting user (default $GCA_USER; assess, status-set)", 0},
    {"team", "NAME", "assess, gap, history: the team", 0},
    {"country", "ISO3", "assess: the team's country", 0},
    {"date", "DATE", "assess: the day of the assessment, YYYY-MM-DD", 0},
    {"file", "FILE", "assess: the levels, CSV code,level (0 to 4, empty = "
                     "not assessed)", 0},
    {"source", "TEXT", "assess: the evidence; status-set: where the "
                       "finding comes from (required there)", 0},
    {"assessor", "NAME", "assess: who assessed (default: the acting user)",
     0},
    {"note", "TEXT", "assess, status-set: a note", 0},
    {"baseline", "NAME|FILE", "gap: a shipped profile (basic, advanced; "
                              "default basic) or a baselines file", 0},
    {"profile", "NAME", "gap --baseline FILE: the profile of the file, when "
                        "it holds several", 0},
    {"status", "has|none", "status-set: the finding", 0},
    {"evidence", "URL", "status-set: a page or document that shows it", 0},
    {"formula", "FILE", "priorities: the formula (default the shipped "
                        "data/cirt/priority.json)", 0},
    {"population", "FILE", "priorities: Internet users per country, CSV "
                           "iso3,value,source (percent)", 0},
    {"edition", "CODE", "priorities: scores of this edition instead of the "
                        "published GCI 2020", 0},
    {"limit", "N", "priorities: print the first N countries only", 0},
    {"json", NULL, "print JSON instead of a table", 0},
    {NULL, NULL, NULL, 0},
};

#define ACTIONS \
    "assess, gap, history, baselines, status [ISO3], status-set ISO3 or " \
    "priorities"

static int need(const cli_cmd *cmd, const cli_args *a, const char *action,
                const char *name)
{
    if (!cli_get(cmd, a, name))
        return cli_usage_error(cmd, "%s needs --%s", action, name);
    return 0;
}

/* Options given that `action` does not take: a usage error naming the
 * first, or 0. `allowed` is NULL-terminated; db is always allowed. */
static int only(const cli_cmd *cmd, const cli_args *a, const char *action,
                const char *const *allowed)
{
    for (size_t i = 0; opts[i].name; i++) {
        if (!a->values[i] || !strcmp(opts[i].name, "db"))
            continue;
        size_t k = 0;
        while (allowed[k] && strcmp(allowed[k], opts[i].name) != 0)
            k++;
        if (!allowed[k])
            return cli_usage_error(cmd, "%s does not take --%s", action,
                                   opts[i].name);
    }
    return 0;
}

static int oom(void)
{
    fprintf(stderr, "%s: out of memory\n", cli_prog);
    return EXIT_INTERNAL;
}

static int print_json_owned(json_t *j)
{
    if (!j)
        return oom();
    int rc = cli_print_json(j);
    json_decref(j);
    return rc;
}

/* A JSON number, or null for NaN. */
static json_t *jnum(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

static void print_num(double v, int dp)
{
    if (isnan(v))
        printf("-");
    else
        printf("%.*f", dp, v);
}

static int read_file(const char *path, size_t max, gca_buf *out)
{
    gca_err err = {0};
    gca_buf_init(out, max);
    if (gca_file_read(path, out, &err) < 0) {
        gca_buf_release(out);
        return cli_fail(&err);
    }
    return 0;
}

/* ====== assess ====== */

static int do_assess(const cli_cmd *cmd, const cli_args *a, gca_store *st)
{
    gca_err err = {0};
    gca_sim3_model m = {NULL, 0};
    gca_buf text;
    int *levels = NULL;
    long long id = 0;
    const char *path = cli_get(cmd, a, "file");
    int rc = read_file(path, GCA_SIM3_MAX_FILE, &text);
    if (rc)
        return rc;
    if (gca_sim3_model_default(&m, &err) < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    if (!(levels = gca_malloc(m.n * sizeof *levels))) {
        rc = oom();
        goto out;
    }
    if (gca_sim3_levels_parse(&m, text.ptr, text.len, path, levels, &err) <
        0) {
        rc = cli_fail(&err);
        goto out;
    }
    gca_cirt_assessment as = {0};
    as.team = cli_get(cmd, a, "team");
    as.country = cli_get(cmd, a, "country");
    as.assessed = cli_get(cmd, a, "date");
    as.assessor = cli_get(cmd, a, "assessor");
    as.source = cli_get(cmd, a, "source");
    as.note = cli_get(cmd, a, "note");
    as.levels = levels;
    if (gca_cirt_assess(st, cli_actor(cmd, a), &as, &id, &err) < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    size_t n = 0;
    for (size_t i = 0; i < m.n; i++)
        n += levels[i] != GCA_SIM3_NOT_ASSESSED;
    printf("assessment %lld of %s recorded (%s): %zu of %zu parameters "
           "assessed\n",
           id, as.team, as.assessed, n, m.n);
    rc = EXIT_OK;
out:
    gca_free(levels);
    gca_sim3_model_release(&m);
    gca_buf_release(&text);
    return rc;
}

/* ====== Baselines ====== */

/* The profile --baseline names: a shipped one, else one of a file. */
static int load_profile(const cli_cmd *cmd, const cli_args *a,
                        const gca_sim3_model *m, gca_sim3_baselines *b,
                        const gca_sim3_profile **p, const char **from)
{
    gca_err err = {0};
    const char *name = cli_get(cmd, a, "baseline");
    const char *want = cli_get(cmd, a, "profile");
    if (!name)
        name = "basic";
    if (gca_sim3_baselines_default(m, b, &err) < 0)
        return cli_fail(&err);
    if (!want && (*p = gca_sim3_profile_find(b, name))) {
        *from = "data/cirt/sim3_baselines.csv";
        return 0;
    }
    gca_sim3_baselines_release(b);
    gca_buf text;
    int rc = read_file(name, GCA_SIM3_MAX_FILE, &text);
    if (rc)
        return rc;
    rc = gca_sim3_baselines_parse(m, text.ptr, text.len, name, b, &err);
    gca_buf_release(&text);
    if (rc < 0)
        return cli_fail(&err);
    *from = name;
    if (want) {
        if (!(*p = gca_sim3_profile_find(b, want))) {
            fprintf(stderr, "%s: %s: no profile '%s'\n", cli_prog, name,
                    want);
            return EXIT_INPUT;
        }
    } else if (b->n != 1) {
        fprintf(stderr, "%s: %s holds %zu profiles: choose one with "
                "--profile\n", cli_prog, name, b->n);
        return EXIT_INPUT;
    } else {
        *p = &b->p[0];
    }
    return 0;
}

static int do_baselines(const cli_cmd *cmd, const cli_args *a)
{
    gca_err err = {0};
    gca_sim3_model m = {NULL, 0};
    gca_sim3_baselines b = {NULL, 0};
    int json = cli_get(cmd, a, "json") != NULL;
    int rc = EXIT_OK;
    if (gca_sim3_model_default(&m, &err) < 0 ||
        gca_sim3_baselines_default(&m, &b, &err) < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    json_t *arr = json ? json_array() : NULL;
    if (json && !arr) {
        rc = oom();
        goto out;
    }
    if (!json)
        printf("profile\tparameters\tminimum levels\n");
    for (size_t i = 0; i < b.n; i++) {
        const gca_sim3_profile *p = &b.p[i];
        json_t *mins = json ? json_object() : NULL;
        size_t n = 0;
        gca_buf line = GCA_BUF_INIT(64 * 1024);
        for (size_t k = 0; k < m.n; k++) {
            if (p->min[k] == GCA_SIM3_NOT_ASSESSED)
                continue;
            gca_buf_printf(&line, "%s%s>=%d", n ? " " : "", m.params[k].code,
                           p->min[k]);
            n++;
            if (mins)
                json_object_set_new(mins, m.params[k].code,
                                    json_integer(p->min[k]));
        }
        if (json) {
            json_t *o = json_pack("{s:s, s:s, s:s, s:o}", "profile", p->name,
                                  "source", p->source, "note", p->note,
                                  "min_levels", mins);
            if (!o || json_array_append_new(arr, o) != 0)
                rc = EXIT_INTERNAL;
        } else {
            printf("%s\t%zu\t%s\n  source: %s\n  note: %s\n", p->name, n,
                   gca_buf_error(&line) ? "(too long)" : line.ptr,
                   p->source, p->note);
        }
        gca_buf_release(&line);
    }
    if (json)
        rc = rc ? oom() : print_json_owned(arr);
out:
    gca_sim3_baselines_release(&b);
    gca_sim3_model_release(&m);
    return rc;
}

/* ====== history and gap ====== */

typedef struct hist {
    const gca_sim3_model *m;
    json_t *items;      /* history --json */
    int keep_last;      /* gap: keep the latest only */
    int *last;          /* its levels */
    char last_date[16], last_by[256], last_source[512];
    long long last_id;
} hist;

static int on_assessment(const gca_cirt_assessment *as, void *ctx)
{
    hist *h = ctx;
    gca_sim3_gap g;
    gca_err err = {0};
    if (h->keep_last) {
        memcpy(h->last, as->levels, h->m->n * sizeof *h->last);
        snprintf(h->last_date, sizeof h->last_date, "%s", as->assessed);
        snprintf(h->last_by, sizeof h->last_by, "%s", as->assessor);
        snprintf(h->last_source, sizeof h->last_source, "%s",
                 as->source ? as->source : "");
        h->last_id = as->id;
        return 0;
    }
    if (gca_sim3_gap_compute(h->m, NULL, as->levels, &g, &err) < 0)
        return GCA_ENOMEM;
    int assessed = 0;
    for (int k = 0; k < GCA_SIM3_NCAT; k++)
        assessed += g.cat[k].assessed;
    if (h->items) {
        json_t *means = json_object(), *lv = json_object();
        for (int k = 0; means && k < GCA_SIM3_NCAT; k++) {
            char c[2] = {gca_sim3_categories[k], '\0'};
            json_object_set_new(means, c, jnum(g.cat[k].mean));
        }
        for (size_t i = 0; lv && i < h->m->n; i++)
            json_object_set_new(lv, h->m->params[i].code,
                                as->levels[i] == GCA_SIM3_NOT_ASSESSED
                                    ? json_null()
                                    : json_integer(as->levels[i]));
        json_t *o = json_pack(
            "{s:I, s:s, s:s?, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "id",
            (json_int_t)as->id, "team", as->team, "country", as->country,
            "date", as->assessed, "assessor", as->assessor, "source",
            gca__json_text(as->source), "note", gca__json_text(as->note),
            "assessed", json_integer(assessed), "means", means, "levels",
            lv);
        gca_sim3_gap_release(&g);
        if (!o || json_array_append_new(h->items, o) != 0)
            return GCA_ENOMEM;
        return 0;
    }
    printf("%lld\t%s\t%s\t%d", as->id, as->assessed, as->assessor, assessed);
    for (int k = 0; k < GCA_SIM3_NCAT; k++) {
        printf("\t");
        print_num(g.cat[k].mean, 2);
    }
    printf("\n");
    gca_sim3_gap_release(&g);
    return 0;
}

static int do_history(const cli_cmd *cmd, const cli_args *a, gca_store *st)
{
    gca_err err = {0};
    gca_sim3_model m = {NULL, 0};
    hist h;
    memset(&h, 0, sizeof h);
    int json = cli_get(cmd, a, "json") != NULL;
    if (gca_sim3_model_default(&m, &err) < 0)
        return cli_fail(&err);
    h.m = &m;
    if (json && !(h.items = json_array())) {
        gca_sim3_model_release(&m);
        return oom();
    }
    if (!json)
        printf("id\tdate\tassessor\tassessed\tO\tH\tT\tP\n");
    int rc = gca_cirt_assessments(st, cli_get(cmd, a, "team"), on_assessment,
                                  &h, &err);
    gca_sim3_model_release(&m);
    if (rc == GCA_ENOMEM && !err.code) {
        json_decref(h.items);
        return oom();
    }
    if (rc < 0) {
        json_decref(h.items);
        return cli_fail(&err);
    }
    if (json)
        return print_json_owned(h.items);
    return cli_write_stdout("", 0);
}

static int do_gap(const cli_cmd *cmd, const cli_args *a, gca_store *st)
{
    gca_err err = {0};
    gca_sim3_model m = {NULL, 0};
    gca_sim3_baselines b = {NULL, 0};
    const gca_sim3_profile *p = NULL;
    const char *from = NULL;
    gca_sim3_gap g = {0};
    const char *team = cli_get(cmd, a, "team");
    int json = cli_get(cmd, a, "json") != NULL;
    hist h;
    memset(&h, 0, sizeof h);
    int rc = EXIT_OK;
    if (gca_sim3_model_default(&m, &err) < 0)
        return cli_fail(&err);
    rc = load_profile(cmd, a, &m, &b, &p, &from);
    if (rc)
        goto out;
    h.m = &m;
    h.keep_last = 1;
    if (!(h.last = gca_malloc(m.n * sizeof *h.last))) {
        rc = oom();
        goto out;
    }
    if (gca_cirt_assessments(st, team, on_assessment, &h, &err) < 0 ||
        gca_sim3_gap_compute(&m, p, h.last, &g, &err) < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    if (json) {
        json_t *params = json_array(), *cats = json_object();
        for (size_t i = 0; params && i < m.n; i++) {
            const gca_sim3_gap_row *r = &g.rows[i];
            json_array_append_new(
                params,
                json_pack("{s:s, s:s, s:o, s:o, s:i, s:b}", "code",
                          m.params[i].code, "name", m.params[i].name,
                          "level", r->level < 0 ? json_null()
                                                : json_integer(r->level),
                          "required", r->required < 0
                                          ? json_null()
                                          : json_integer(r->required),
                          "shortfall", r->shortfall, "met",
                          r->required < 0 ||
                              (r->level >= 0 && r->shortfall == 0)));
        }
        for (int k = 0; cats && k < GCA_SIM3_NCAT; k++) {
            char c[2] = {gca_sim3_categories[k], '\0'};
            json_object_set_new(
                cats, c,
                json_pack("{s:i, s:i, s:i, s:o}", "met", g.cat[k].met,
                          "total", g.cat[k].total, "assessed",
                          g.cat[k].assessed, "mean", jnum(g.cat[k].mean)));
        }
        rc = print_json_owned(json_pack(
            "{s:s, s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:i, s:i, s:b}",
            "team", team, "assessment", (json_int_t)h.last_id, "date",
            h.last_date, "assessor", h.last_by, "baseline", p->name,
            "baseline_file", from, "parameters", params, "categories", cats,
            "met", g.met, "total", g.total, "all_met", g.all_met));
        goto out;
    }
    printf("team %s, assessment %lld of %s by %s\n", team, h.last_id,
           h.last_date, h.last_by);
    printf("baseline %s (%s): %s\n", p->name, from, p->note);
    printf("code\tname\tlevel\trequired\tshortfall\n");
    for (size_t i = 0; i < m.n; i++) {
        const gca_sim3_gap_row *r = &g.rows[i];
        if (r->required < 0 && r->level < 0)
            continue;
        printf("%s\t%s\t", m.params[i].code, m.params[i].name);
        if (r->level < 0)
            printf("not assessed");
        else
            printf("%d", r->level);
        if (r->required < 0)
            printf("\t-\t-\n");
        else
            printf("\t%d\t%d\n", r->required, r->shortfall);
    }
    printf("category\tmet\tmean level\n");
    for (int k = 0; k < GCA_SIM3_NCAT; k++) {
        printf("%c\t%d of %d\t", gca_sim3_categories[k], g.cat[k].met,
               g.cat[k].total);
        print_num(g.cat[k].mean, 2);
        printf("\n");
    }
    printf("baseline %s: %d of %d requirements met: %s\n", p->name, g.met,
           g.total, g.all_met ? "met" : "not met");
    rc = cli_write_stdout("", 0);
out:
    gca_sim3_gap_release(&g);
    gca_free(h.last);
    gca_sim3_baselines_release(&b);
    gca_sim3_model_release(&m);
    return rc;
}

/* ====== status ====== */

static void print_counts(const gca_cirt_counts *k)
{
    printf("has %zu, none %zu, unknown %zu of %zu\n", k->has, k->none,
           k->unknown, k->total);
}

static json_t *counts_json(const gca_cirt_counts *k)
{
    return json_pack("{s:I, s:I, s:I, s:I}", "has", (json_int_t)k->has,
                     "none", (json_int_t)k->none, "unknown",
                     (json_int_t)k->unknown, "total", (json_int_t)k->total);
}

static const char *dash(const char *s)
{
    return s && *s ? s : "-";
}

static int on_country(const gca_cirt_country *c, void *ctx)
{
    json_t *items = ctx;
    if (items) {
        json_t *o = json_pack(
            "{s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:s, s:o, s:o}", "iso3",
            c->iso3, "name", c->name, "status",
            gca_cirt_status_name(c->status), "team", gca__json_text(c->team),
            "source", gca__json_text(c->source), "evidence",
            gca__json_text(c->evidence), "origin", c->origin, "ref", c->ref,
            "recorded_by", gca__json_text(c->recorded_by), "recorded_at",
            gca__json_text(c->recorded_at));
        if (!o || json_array_append_new(items, o) != 0)
            return GCA_ENOMEM;
        return 0;
    }
    printf("%s\t%s\t%s\t%s\t%s\t%s\n", c->iso3,
           gca_cirt_status_name(c->status), dash(c->team),
           *c->origin ? c->origin : "-", dash(c->source), c->name);
    return 0;
}

static int do_status(const cli_cmd *cmd, const cli_args *a, gca_store *st,
                     const char *iso3)
{
    gca_err err = {0};
    gca_cirt_counts k;
    int json = cli_get(cmd, a, "json") != NULL;
    json_t *items = json ? json_array() : NULL;
    if (json && !items)
        return oom();
    if (!json)
        printf("iso3\tstatus\tteam\torigin\tsource\tname\n");
    int rc = gca_cirt_status(st, iso3, on_country, items, &k, &err);
    if (rc < 0) {
        json_decref(items);
        if (rc == GCA_ENOMEM && !err.code)
            return oom();
        return cli_fail(&err);
    }
    if (json)
        return print_json_owned(json_pack("{s:o, s:o}", "countries", items,
                                          "counts", counts_json(&k)));
    print_counts(&k);
    return cli_write_stdout("", 0);
}

static int do_status_set(const cli_cmd *cmd, const cli_args *a,
                         gca_store *st, const char *iso3)
{
    gca_err err = {0};
    const char *status = cli_get(cmd, a, "status");
    if (gca_cirt_status_set(st, cli_actor(cmd, a), iso3, status,
                            cli_get(cmd, a, "team"),
                            cli_get(cmd, a, "source"),
                            cli_get(cmd, a, "evidence"),
                            cli_get(cmd, a, "note"), &err) < 0)
        return cli_fail(&err);
    printf("national CIRT status of %s recorded: %s\n", iso3, status);
    return EXIT_OK;
}

/* ====== priorities ====== */

/* The formula without factor `kind`, with a note why; refuses a formula
 * left with no weight. */
static int drop_factor(gca_cirt_formula *f, int kind, const char *why,
                       json_t *dropped)
{
    size_t j = 0;
    double left = 0;
    for (size_t i = 0; i < f->n; i++) {
        if (f->f[i].kind == kind) {
            if (dropped)
                json_array_append_new(
                    dropped, json_pack("{s:s, s:s}", "factor",
                                       gca_cirt_factor_names[kind], "reason",
                                       why));
            else
                printf("note: factor %s left out: %s\n",
                       gca_cirt_factor_names[kind], why);
            continue;
        }
        f->f[j++] = f->f[i];
    }
    f->n = j;
    for (size_t i = 0; i < f->n; i++)
        left += f->f[i].weight;
    if (!(left > 0)) {
        fprintf(stderr, "%s: no factor of the formula with a weight is "
                "left once %s is left out\n", cli_prog,
                gca_cirt_factor_names[kind]);
        return EXIT_INPUT;
    }
    return 0;
}

static int has_factor(const gca_cirt_formula *f, int kind)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->f[i].kind == kind)
            return 1;
    return 0;
}

static int parse_limit(const char *s, long *out)
{
    char *end = NULL;
    if (!s)
        return 0;
    errno = 0;
    *out = strtol(s, &end, 10);
    return errno || *end || *s < '1' || *s > '9' || *out > 100000 ? -1 : 0;
}

static int do_priorities(const cli_cmd *cmd, const cli_args *a,
                         gca_store *st, long limit)
{
    gca_err err = {0};
    gca_cirt_formula f;
    gca_cirt_pdata d;
    gca_cirt_prow *rows = NULL;
    size_t n = 0;
    gca_buf ftext = GCA_BUF_INIT(1), ptext = GCA_BUF_INIT(1);
    const char *fpath = cli_get(cmd, a, "formula");
    const char *ppath = cli_get(cmd, a, "population");
    int json = cli_get(cmd, a, "json") != NULL;
    json_t *dropped = json ? json_array() : NULL;
    int rc = EXIT_OK;
    memset(&d, 0, sizeof d);
    if (json && !dropped)
        return oom();
    if (fpath) {
        rc = read_file(fpath, GCA_CIRT_MAX_FORMULA, &ftext);
        if (!rc && gca_cirt_formula_parse(ftext.ptr, ftext.len, fpath, &f,
                                          &err) < 0)
            rc = cli_fail(&err);
    } else if (gca_cirt_formula_default(&f, &err) < 0) {
        rc = cli_fail(&err);
    }
    if (!rc && ppath)
        rc = read_file(ppath, 16u << 20, &ptext);
    if (rc)
        goto out;
    if (gca_cirt_pdata_load(st, cli_get(cmd, a, "edition"),
                            ppath ? ptext.ptr : NULL, ptext.len, ppath, &d,
                            &err) < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    if (!json)
        printf("formula: %s (missing inputs: %s)\n",
               fpath ? fpath : "data/cirt/priority.json",
               f.renormalise ? "renormalise" : "zero");
    if (!d.have_users && has_factor(&f, GCA_CIRT_F_USERS))
        rc = drop_factor(&f, GCA_CIRT_F_USERS,
                         "no --population file given (gca ships none)",
                         dropped);
    if (!rc && !d.have_shutdowns && has_factor(&f, GCA_CIRT_F_SHUTDOWN))
        rc = drop_factor(&f, GCA_CIRT_F_SHUTDOWN,
                         "this build carries no data/rights/shutdowns.csv",
                         dropped);
    if (rc)
        goto out;
    if (gca_cirt_prioritise(&f, d.in, d.n, &rows, &n, &err) < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    size_t shown = limit > 0 && (size_t)limit < n ? (size_t)limit : n;
    size_t ranked = 0;
    for (size_t i = 0; i < n; i++)
        ranked += rows[i].rank > 0;
    if (json) {
        json_t *list = json_array(), *facs = json_array();
        for (size_t j = 0; facs && j < f.n; j++)
            json_array_append_new(
                facs, json_pack("{s:s, s:f}", "name",
                                gca_cirt_factor_names[f.f[j].kind], "weight",
                                f.f[j].weight));
        for (size_t i = 0; list && i < shown; i++) {
            const gca_cirt_prow *r = &rows[i];
            json_t *fo = json_object();
            for (size_t j = 0; fo && j < f.n; j++)
                json_object_set_new(
                    fo, gca_cirt_factor_names[f.f[j].kind],
                    json_pack("{s:o, s:f, s:f}", "value", jnum(r->value[j]),
                              "share", r->share[j], "contribution",
                              r->contrib[j]));
            json_array_append_new(
                list,
                json_pack("{s:o, s:s, s:s, s:s, s:o, s:f, s:b, s:o}", "rank",
                          r->rank ? json_integer(r->rank) : json_null(),
                          "iso3", r->iso3, "name", d.names[r->input],
                          "status",
                          gca_cirt_status_name(d.in[r->input].status),
                          "score", jnum(r->score), "shutdowns", r->shutdowns,
                          "shutdowns_at_least", r->at_least, "factors", fo));
        }
        rc = print_json_owned(json_pack(
            "{s:s, s:s, s:o, s:o, s:o, s:I, s:I, s:o}", "formula",
            fpath ? fpath : "data/cirt/priority.json", "missing",
            f.renormalise ? "renormalise" : "zero", "factors", facs,
            "left_out", dropped, "countries", list, "candidates",
            (json_int_t)n, "ranked", (json_int_t)ranked, "counts",
            counts_json(&d.counts)));
        dropped = NULL;
        goto out;
    }
    printf("note: shutdown counts marked * include 'at least' figures, "
           "lower bounds\n");
    printf("rank\tiso3\tstatus\tscore");
    for (size_t j = 0; j < f.n; j++)
        printf("\t%s", gca_cirt_factor_names[f.f[j].kind]);
    printf("\tname\n");
    for (size_t i = 0; i < shown; i++) {
        const gca_cirt_prow *r = &rows[i];
        if (r->rank)
            printf("%d", r->rank);
        else
            printf("-");
        printf("\t%s\t%s\t", r->iso3,
               gca_cirt_status_name(d.in[r->input].status));
        print_num(r->score, 4);
        /* Each factor as value=contribution; "-" when missing. */
        for (size_t j = 0; j < f.n; j++) {
            printf("\t");
            if (isnan(r->value[j])) {
                printf("-");
                continue;
            }
            printf("%.3f=%.4f", r->value[j], r->contrib[j]);
            if (f.f[j].kind == GCA_CIRT_F_SHUTDOWN)
                printf(" (%g%s)", r->shutdowns, r->at_least ? "*" : "");
        }
        printf("\t%s\n", d.names[r->input]);
    }
    printf("candidates %zu, ranked %zu (the others lack a required "
           "input), shown %zu\n",
           n, ranked, shown);
    print_counts(&d.counts);
    rc = cli_write_stdout("", 0);
out:
    json_decref(dropped);
    gca_free(rows);
    gca_cirt_pdata_release(&d);
    gca_buf_release(&ftext);
    gca_buf_release(&ptext);
    return rc;
}

/* ====== The command ====== */

static int run(const cli_cmd *cmd, int argc, char **argv)
{
    static const char *const assess_ok[] = {"as", "team", "country", "date",
                                            "file", "source", "assessor",
                                            "note", NULL};
    static const char *const gap_ok[] = {"team", "baseline", "profile",
                                         "json", NULL};
    static const char *const hist_ok[] = {"team", "json", NULL};
    static const char *const base_ok[] = {"json", NULL};
    static const char *const status_ok[] = {"json", NULL};
    static const char *const set_ok[] = {"as", "status", "team", "source",
                                         "evidence", "note", NULL};
    static const char *const prio_ok[] = {"formula", "population", "edition",
                                          "limit", "json", NULL};
    const char *pos[3];
    int npos = 0;
    cli_args a;
    gca_store *st = NULL;
    long limit = 0;

    int rc = cli_parse_mixed(cmd, argc, argv, &a, pos, 3, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos == 0)
        return cli_usage_error(cmd, "needs an action: " ACTIONS);
    const char *act = pos[0];
    int max_pos = 1;
    if (!strcmp(act, "assess")) {
        rc = only(cmd, &a, act, assess_ok);
        if (!rc)
            rc = need(cmd, &a, act, "team");
        if (!rc)
            rc = need(cmd, &a, act, "date");
        if (!rc)
            rc = need(cmd, &a, act, "file");
        if (!rc && !cli_actor_required(cmd, &a))
            rc = EXIT_USAGE;
    } else if (!strcmp(act, "gap") || !strcmp(act, "history")) {
        rc = only(cmd, &a, act, act[0] == 'g' ? gap_ok : hist_ok);
        if (!rc)
            rc = need(cmd, &a, act, "team");
        if (!rc && cli_get(cmd, &a, "profile") &&
            !cli_get(cmd, &a, "baseline"))
            rc = cli_usage_error(cmd, "--profile goes with --baseline FILE");
    } else if (!strcmp(act, "baselines")) {
        rc = only(cmd, &a, act, base_ok);
    } else if (!strcmp(act, "status")) {
        rc = only(cmd, &a, act, status_ok);
        max_pos = 2;
    } else if (!strcmp(act, "status-set")) {
        rc = only(cmd, &a, act, set_ok);
        max_pos = 2;
        if (!rc && npos < 2)
            rc = cli_usage_error(cmd, "status-set needs the country: "
                                 "status-set ISO3");
        if (!rc)
            rc = need(cmd, &a, act, "status");
        if (!rc && !cli_actor_required(cmd, &a))
            rc = EXIT_USAGE;
    } else if (!strcmp(act, "priorities")) {
        rc = only(cmd, &a, act, prio_ok);
        if (!rc && parse_limit(cli_get(cmd, &a, "limit"), &limit) < 0)
            rc = cli_usage_error(cmd, "--limit '%s' is not a whole number "
                                 "from 1", cli_get(cmd, &a, "limit"));
    } else {
        return cli_usage_error(cmd, "unknown action '%s' (use " ACTIONS ")",
                               act);
    }
    if (rc)
        return rc;
    if (npos > max_pos)
        return cli_usage_error(cmd, "unexpected argument '%s'",
                               pos[max_pos]);
    if (!strcmp(act, "baselines"))
        return do_baselines(cmd, &a);

    rc = cli_open_current(cmd, &a, &st);
    if (rc)
        return rc;
    if (!strcmp(act, "assess"))
        rc = do_assess(cmd, &a, st);
    else if (!strcmp(act, "gap"))
        rc = do_gap(cmd, &a, st);
    else if (!strcmp(act, "history"))
        rc = do_history(cmd, &a, st);
    else if (!strcmp(act, "status"))
        rc = do_status(cmd, &a, st, npos > 1 ? pos[1] : NULL);
    else if (!strcmp(act, "status-set"))
        rc = do_status_set(cmd, &a, st, pos[1]);
    else
        rc = do_priorities(cmd, &a, st, limit);
    gca_store_close(st);
    return rc;
}

const cli_cmd cli_cmd_cirt = {
    "cirt",
    "The CIRT programme: record SIM3 assessments of a team (assess), "
    "compare the latest with a baseline profile (gap), list them over time "
    "(history) and the profiles shipped (baselines); the national CIRT "
    "status of every country, has, none or unknown (status), recorded by "
    "an analyst with its source (status-set); and the ranking of countries "
    "without a national CIRT by the formula of data/cirt/priority.json "
    "(priorities).",
    "assess|gap|history|baselines|status|status-set|priorities [options]",
    opts,
    run,
};
