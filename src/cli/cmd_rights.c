/* cmd_rights.c - the rights lens on the command line (docs/rights.md,
 * docs/gca.1): `gca rights list|check`, the country profile `gca country
 * ISO3` and `gca rankings`. Security figures and rights measures are
 * printed side by side and never combined: JSON keeps them in separate
 * "security" and "rights" objects. The library side is gca/rights.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "gca/rights.h"
#include "rights/json.h"

#include "core/banned.h"

#define LEGEND_TEXT                                                       \
    "legend: E lawful access/E2EE, C encryption restriction, R data "      \
    "retention, I subscriber ID registration, G routing restriction/"     \
    "gateway, S shutdown; upper case = in force, lower case = proposed; " \
    GCA_RIGHTS_ABSENCE_NOTE

static const char *dash(const char *s)
{
    return s && *s ? s : "-";
}

static int oom(void)
{
    fprintf(stderr, "%s: out of memory\n", cli_prog);
    return EXIT_INTERNAL;
}

/* Turn a library result into an exit code; the callbacks below return
 * GCA_ENOMEM without filling err. */
static int fail(int rc, gca_err *err)
{
    if (rc == GCA_ENOMEM && !err->code)
        return oom();
    return cli_fail(err);
}

/* Open the database at the current schema (no actor: these only read). */
static int open_db(const cli_cmd *cmd, const cli_args *a, gca_store **st)
{
    return cli_open_current(cmd, a, st);
}

static char flag_of(const gca_rights_measure *m)
{
    int i = gca_rights_type_index(m->measure);
    if (i < 0)
        return '-';
    char c = gca_rights_types[i].letter;
    if (!strcmp(m->status, "in_force"))
        return c;
    if (!strcmp(m->status, "proposed"))
        return (char)(c - 'A' + 'a');
    return '-'; /* repealed, struck down: no flag */
}

static void print_measure(const gca_rights_measure *m, const char *indent)
{
    char when[16];
    snprintf(when, sizeof when, "%d", m->year);
    printf("%s%s\t%s\t%s\t%c\t%s\t%s\t%s\t%s\t%s\t%s\n", indent,
           *m->iso3 ? m->iso3 : "-",
           *m->iso3 ? m->country : m->region, m->measure, flag_of(m),
           m->status, m->year ? when : "-", m->instrument, dash(m->url),
           m->source, dash(m->note));
}

/* ====== gca rights ====== */

static const cli_opt rights_opts[] = {
    {"db", "FILE", "database file (default $GCA_DB, else gca.db)", 0},
    {"country", "ISO3", "list: only measures naming this country", 0},
    {"measure", "TYPE", "list: only this type (lawful_access_e2ee, "
                        "encryption_restriction, data_retention, "
                        "subscriber_id_registration, routing_restriction, "
                        "shutdown)", 0},
    {"status", "STATUS", "list: only this status (in_force, proposed, "
                         "repealed, struck_down)", 0},
    {"edition", "CODE", "check: the edition whose legal answers to check",
     0},
    {"json", NULL, "print JSON", 0},
    {NULL, NULL, NULL, 0},
};

typedef struct list_ctx {
    json_t *national, *regional; /* --json; NULL = a table */
    size_t n, nregional;
} list_ctx;

static int list_item(const gca_rights_measure *m, void *ctx)
{
    list_ctx *c = ctx;
    if (*m->iso3)
        c->n++;
    else
        c->nregional++;
    if (!c->national) {
        print_measure(m, "");
        return 0;
    }
    json_t *o = gca__rights_measure_json(m);
    if (!o ||
        json_array_append_new(*m->iso3 ? c->national : c->regional, o) != 0)
        return GCA_ENOMEM;
    return 0;
}

static int do_list(const cli_cmd *cmd, const cli_args *a, gca_store *st)
{
    gca_err err = {0};
    list_ctx c = {NULL, NULL, 0, 0};
    gca_rights_filter flt = {cli_get(cmd, a, "country"),
                             cli_get(cmd, a, "measure"),
                             cli_get(cmd, a, "status")};
    int json = cli_get(cmd, a, "json") != NULL;
    if (json) {
        c.national = json_array();
        c.regional = json_array();
        if (!c.national || !c.regional) {
            json_decref(c.national);
            json_decref(c.regional);
            return oom();
        }
    } else {
        printf("iso3\tcountry_or_region\tmeasure\tflag\tstatus\tyear\t"
               "instrument\turl\tsource\tnote\n");
    }
    int rc = gca_rights_list(st, &flt, list_item, &c, &err);
    if (rc < 0) {
        json_decref(c.national);
        json_decref(c.regional);
        return fail(rc, &err);
    }
    if (!json) {
        printf("# %zu measure%s by country, %zu regional (recorded for a "
               "region such as the European Union, never attributed to "
               "its member states)\n# %s\n",
               c.n, c.n == 1 ? "" : "s", c.nregional, LEGEND_TEXT);
        return cli_write_stdout("", 0);
    }
    json_t *o =
        json_pack("{s:o, s:o, s:o, s:o}", "measures", c.national, "regional",
                  c.regional, "legend", gca__rights_legend_json(), "note",
                  json_string(GCA_RIGHTS_ABSENCE_NOTE));
    if (!o)
        return oom();
    rc = cli_print_json(o);
    json_decref(o);
    return rc;
}

/* ---- check ---- */

typedef struct warn_ctx {
    json_t *by_country; /* --json */
    FILE *out;          /* text: where to print */
} warn_ctx;

static int warn_item(const gca_rights_warning *w, void *ctx)
{
    warn_ctx *c = ctx;
    if (!c->by_country) {
        fprintf(c->out,
                "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", w->iso3, w->where,
                w->question, dash(w->answer_state), w->field, w->measure,
                w->status, w->instrument, w->text);
        return 0;
    }
    json_t *list = json_object_get(c->by_country, w->iso3);
    if (!list) {
        list = json_array();
        if (!list || json_object_set_new(c->by_country, w->iso3, list) != 0)
            return GCA_ENOMEM;
    }
    json_t *o = json_pack(
        "{s:o, s:o, s:o, s:o, s:o, s:{s:o, s:o, s:o, s:o}}", "where",
        gca__json_text(w->where), "question", gca__json_text(w->question),
        "answer_state",
        *w->answer_state ? gca__json_text(w->answer_state) : json_null(),
        "field", gca__json_text(w->field), "text", gca__json_text(w->text),
        "rights_measure", "id", gca__json_text(w->measure_id), "measure",
        gca__json_text(w->measure), "status", gca__json_text(w->status),
        "instrument", gca__json_text(w->instrument));
    if (!o || json_array_append_new(list, o) != 0)
        return GCA_ENOMEM;
    return 0;
}

#define CHECK_HEAD                                                        \
    "iso3\twhere\tquestion\tanswer_state\tfield\tmeasure\tstatus\t"       \
    "instrument\ttext\n"
#define CHECK_WHY                                                         \
    "a legal instrument counted toward the index is also recorded as a "  \
    "rights measure"

/* One warning on stderr, for `gca score`. */
static int warn_stderr(const gca_rights_warning *w, void *ctx)
{
    (void)ctx;
    fprintf(stderr,
            "%s: warning: %s %s %s (%s) names '%s', also recorded as "
            "rights measure %s (%s, %s)\n",
            cli_prog, w->iso3, w->where, w->question, w->field,
            w->instrument, w->measure_id, w->measure, w->status);
    return 0;
}

int cli_rights_warn(gca_store *st, const char *edition)
{
    gca_err err = {0};
    size_t n = 0;
    int rc = gca_rights_check(st, edition, warn_stderr, NULL, &n, &err);
    if (rc < 0) {
        /* Only a warning: the scores are stored whatever happens here. */
        fprintf(stderr, "%s: warning: rights check not done: %s\n",
                cli_prog, err.msg[0] ? err.msg : gca_strerror(rc));
        return 0;
    }
    if (n > 0)
        fprintf(stderr, "%s: %zu rights warning%s: %s (gca rights check "
                "--edition %s)\n", cli_prog, n, n == 1 ? "" : "s",
                CHECK_WHY, edition);
    return (int)n;
}

static int do_check(const cli_cmd *cmd, const cli_args *a, gca_store *st)
{
    gca_err err = {0};
    size_t n = 0;
    const char *ed = cli_get(cmd, a, "edition");
    warn_ctx c = {NULL, stdout};
    int json = cli_get(cmd, a, "json") != NULL;
    if (json && !(c.by_country = json_object()))
        return oom();
    if (!json)
        printf(CHECK_HEAD);
    int rc = gca_rights_check(st, ed, warn_item, &c, &n, &err);
    if (rc < 0) {
        json_decref(c.by_country);
        return fail(rc, &err);
    }
    if (!json) {
        printf("# %zu warning%s: %s\n", n, n == 1 ? "" : "s", CHECK_WHY);
        return cli_write_stdout("", 0);
    }
    json_t *o = json_pack("{s:o, s:I, s:o, s:o}", "edition",
                          gca__json_text(ed), "warnings", (json_int_t)n,
                          "why", json_string(CHECK_WHY), "countries",
                          c.by_country);
    if (!o)
        return oom();
    rc = cli_print_json(o);
    json_decref(o);
    return rc;
}

static int run_rights(const cli_cmd *cmd, int argc, char **argv)
{
    const char *pos[2];
    int npos = 0;
    cli_args a;
    gca_store *st = NULL;
    int rc = cli_parse_mixed(cmd, argc, argv, &a, pos, 1, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos == 0)
        return cli_usage_error(cmd, "needs an action: list or check");
    int check = !strcmp(pos[0], "check");
    if (!check && strcmp(pos[0], "list") != 0)
        return cli_usage_error(cmd, "unknown action '%s' (use list or "
                               "check)", pos[0]);
    if (check) {
        static const char *const no[] = {"country", "measure", "status"};
        for (size_t i = 0; i < GCA_COUNT(no); i++)
            if (cli_get(cmd, &a, no[i]))
                return cli_usage_error(cmd, "check does not take --%s",
                                       no[i]);
        if (!cli_get(cmd, &a, "edition"))
            return cli_usage_error(cmd, "check needs --edition");
    } else if (cli_get(cmd, &a, "edition")) {
        return cli_usage_error(cmd, "list does not take --edition");
    }
    rc = open_db(cmd, &a, &st);
    if (rc)
        return rc;
    rc = check ? do_check(cmd, &a, st) : do_list(cmd, &a, st);
    gca_store_close(st);
    return rc;
}

const cli_cmd cli_cmd_rights = {
    "rights",
    "The rights lens: measures that weaken encryption, retain data, "
    "identify subscribers, restrict routing or shut networks down, per "
    "country with their evidence (list); the analyst warning for legal "
    "answers of an edition that name such a measure (check).",
    "list|check [--country ISO3] [--measure TYPE] [--status STATUS] "
    "[--edition CODE] [--json] [--db FILE]",
    rights_opts,
    run_rights,
};

/* ====== gca country ====== */

static const cli_opt country_opts[] = {
    {"db", "FILE", "database file (default $GCA_DB, else gca.db)", 0},
    {"edition", "CODE", "also show this edition's score, rank and tier", 0},
    {"json", NULL, "print JSON", 0},
    {NULL, NULL, NULL, 0},
};

/* What the profile collects on the rights side. */
/* What the text profile counts. */
typedef struct profile_ctx {
    size_t nmeasures, nregional, nshutdowns;
} profile_ctx;

static int profile_measure(const gca_rights_measure *m, void *ctx)
{
    profile_ctx *c = ctx;
    c->nmeasures++;
    print_measure(m, "  ");
    return 0;
}

static int count_regional(const gca_rights_measure *m, void *ctx)
{
    if (!*m->iso3)
        ((profile_ctx *)ctx)->nregional++;
    return 0;
}

static int profile_shutdown(const gca_rights_shutdown *s, void *ctx)
{
    profile_ctx *c = ctx;
    c->nshutdowns++;
    printf("  %d\t%ld%s\t%s\t%s\n", s->year, s->count,
           strcmp(s->count_type, "at_least") ? "" : " (at least)", s->source,
           dash(s->note));
    return 0;
}

static void print_security(const gca_rights_security *s, const char *ed)
{
    printf("\nsecurity (shown beside the rights measures, never combined "
           "with them)\n");
    if (s->has_published)
        printf("  GCI 2020 published score: %.15g (rank %d)\n",
               s->published_score, s->published_rank);
    else
        printf("  GCI 2020 published score: none\n");
    if (ed && s->has_edition && !isnan(s->edition_score))
        printf("  edition %s: score %.15g, rank %d, tier %s\n", ed,
               s->edition_score, s->edition_rank, dash(s->edition_tier));
    else if (ed)
        printf("  edition %s: not scored for this country\n", ed);
    if (!strcmp(s->cirt_status, "unknown"))
        printf("  national CIRT: unknown (none recorded either way)\n");
    else
        printf("  national CIRT: %s (%s; source: %s)\n", s->cirt_status,
               s->cirt_team, s->cirt_source);
}

static int profile(const cli_cmd *cmd, const cli_args *a, gca_store *st,
                   const gca_country *cty)
{
    gca_err err = {0};
    gca_rights_security sec;
    profile_ctx c = {0, 0, 0};
    char flags[GCA_RIGHTS_FLAGS_MAX];
    const char *ed = cli_get(cmd, a, "edition");
    int avail = 0;
    gca_rights_filter flt = {cty->iso3, NULL, NULL};

    if (cli_get(cmd, a, "json")) {
        json_t *out = NULL;
        int rc = gca__rights_profile_json(st, cty->iso3, ed, &out, &err);
        if (rc < 0)
            return fail(rc, &err);
        rc = cli_print_json(out);
        json_decref(out);
        return rc;
    }
    int rc = gca_rights_security_get(st, cty->iso3, ed, &sec, &err);
    if (rc == 0)
        rc = gca_rights_country_flags(st, cty->iso3, flags, &err);
    if (rc == 0)
        rc = gca_rights_list(st, NULL, count_regional, &c, &err);
    if (rc < 0)
        return fail(rc, &err);
    printf("country: %s %s\n", cty->iso3, cty->name);
    printf("UN M49 region: %s / %s\n", dash(cty->m49_region),
           dash(cty->m49_subregion));
    print_security(&sec, ed);
    printf("\nrights (never added to or subtracted from the score)\n"
           "  flags: %s\n  %s\n  measures:\n",
           *flags ? flags : "(none recorded)", LEGEND_TEXT);
    rc = gca_rights_list(st, &flt, profile_measure, &c, &err);
    if (rc == 0) {
        if (c.nmeasures == 0)
            printf("  (none recorded)\n");
        printf("  shutdowns (data/rights/shutdowns.csv):\n");
        rc = gca_rights_shutdowns(cty->iso3, profile_shutdown, &c, &avail,
                                  &err);
    }
    if (rc < 0)
        return fail(rc, &err);
    if (!avail)
        printf("  (no counts file in this build)\n");
    else if (c.nshutdowns == 0)
        printf("  (none recorded)\n");
    printf("  regional measures, not attributed to any country: %zu "
           "(gca rights list)\n", c.nregional);
    return cli_write_stdout("", 0);
}

static int run_country(const cli_cmd *cmd, int argc, char **argv)
{
    const char *pos[1];
    int npos = 0;
    cli_args a;
    gca_store *st = NULL;
    gca_countries *cs = NULL;
    gca_err err = {0};
    int rc = cli_parse_mixed(cmd, argc, argv, &a, pos, 1, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos == 0)
        return cli_usage_error(cmd, "needs a country: an ISO 3166-1 "
                               "alpha-3 code such as FRA");
    rc = open_db(cmd, &a, &st);
    if (rc)
        return rc;
    if (gca_countries_default(&cs, &err) < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    /* Three upper-case letters only: "fra" or "FR" are refused, not
     * guessed, so that scripts do not depend on a lookup rule. */
    const gca_country *cty = strlen(pos[0]) == 3
                                 ? gca_countries_by_iso3(cs, pos[0])
                                 : NULL;
    if (!cty || strcmp(cty->iso3, pos[0]) != 0) {
        gca_fail(&err, GCA_ENOTFOUND, "country", 0, 0,
                 "unknown country '%.16s' (an ISO 3166-1 alpha-3 code "
                 "such as FRA)", pos[0]);
        rc = cli_fail(&err);
        goto out;
    }
    rc = profile(cmd, &a, st, cty);
out:
    gca_countries_free(cs);
    gca_store_close(st);
    return rc;
}

const cli_cmd cli_cmd_country = {
    "country",
    "A country profile: name, UN M49 region, the security scores (GCI 2020 "
    "as published, and an edition's score, rank and tier), the national "
    "CIRT status, and beside them, never combined with them, the rights "
    "measures and shutdown counts recorded for the country.",
    "ISO3 [--edition CODE] [--json] [--db FILE]",
    country_opts,
    run_country,
};

/* ====== gca rankings ====== */

static const cli_opt rankings_opts[] = {
    {"db", "FILE", "database file (default $GCA_DB, else gca.db)", 0},
    {"edition", "CODE", "rank by this edition's stored scores (default: "
                        "GCI 2020 as published)", 0},
    {"limit", "N", "only the first N rows (default: all)", 0},
    {"json", NULL, "print JSON", 0},
    {NULL, NULL, NULL, 0},
};

typedef struct rank_ctx {
    gca_store *st;
    json_t *rows; /* --json */
    gca_err *err;
    json_t *robust; /* country -> [q5, q95, tier share]; NULL = none */
} rank_ctx;

/* The edition's robustness, by country, for the rank interval column. */
static int add_robust(const gca_robustness *r, void *ctx)
{
    rank_ctx *c = ctx;
    if (!c->robust && !(c->robust = json_object()))
        return GCA_ENOMEM;
    json_t *v = json_pack("[f,f,o]", r->rank_q5, r->rank_q95,
                          isnan(r->tier_prob) ? json_null()
                                              : json_real(r->tier_prob));
    return v && json_object_set_new(c->robust, r->country, v) == 0
               ? 0
               : GCA_ENOMEM;
}

static int rank_item(const gca_rights_rank *r, void *ctx)
{
    rank_ctx *c = ctx;
    char flags[GCA_RIGHTS_FLAGS_MAX];
    int rc = gca_rights_country_flags(c->st, r->iso3, flags, c->err);
    if (rc < 0)
        return rc;
    json_t *rb = c->robust ? json_object_get(c->robust, r->iso3) : NULL;
    double q5 = json_real_value(json_array_get(rb, 0)),
           q95 = json_real_value(json_array_get(rb, 1));
    json_t *tp = json_array_get(rb, 2);
    if (!c->rows) {
        char rank[16], extra[64] = "";
        snprintf(rank, sizeof rank, "%d", r->rank);
        if (c->robust && rb && json_is_real(tp))
            snprintf(extra, sizeof extra, "\t%g-%g\t%.3f", q5, q95,
                     json_real_value(tp));
        else if (c->robust && rb)
            snprintf(extra, sizeof extra, "\t%g-%g\t-", q5, q95);
        else if (c->robust)
            snprintf(extra, sizeof extra, "\t-\t-");
        printf("%s\t%s\t%s\t%.15g%s\t%s\n", r->rank ? rank : "-", r->iso3,
               r->name, r->score, extra, flags);
        return 0;
    }
    json_t *o = json_pack(
        "{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "rank_interval",
        rb ? json_pack("[f,f]", q5, q95) : json_null(), "tier_probability",
        json_is_real(tp) ? json_real(json_real_value(tp)) : json_null(), "rank",
        r->rank ? json_integer(r->rank) : json_null(), "iso3",
        gca__json_text(r->iso3), "name", gca__json_text(r->name), "score",
        isnan(r->score) ? json_null() : json_real(r->score), "rights_flags",
        json_string(flags));
    return !o || json_array_append_new(c->rows, o) ? GCA_ENOMEM : 0;
}

static int run_rankings(const cli_cmd *cmd, int argc, char **argv)
{
    cli_args a;
    gca_store *st = NULL;
    gca_err err = {0};
    long limit = 0;
    int rc = cli_parse(cmd, argc, argv, &a);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    const char *lim = cli_get(cmd, &a, "limit");
    if (lim) {
        char *end = NULL;
        limit = strtol(lim, &end, 10);
        if (!*lim || *end || limit < 1 || limit > 100000)
            return cli_usage_error(cmd, "--limit '%s' is not a whole number "
                                   "from 1 to 100000", lim);
    }
    rc = open_db(cmd, &a, &st);
    if (rc)
        return rc;
    const char *ed = cli_get(cmd, &a, "edition");
    rank_ctx c = {st, NULL, &err, NULL};
    int json = cli_get(cmd, &a, "json") != NULL;
    if (json && !(c.rows = json_array())) {
        gca_store_close(st);
        return oom();
    }
    rc = ed ? gca_edition_robustness(st, ed, add_robust, &c, &err) : 0;
    if (rc == 0 && !json)
        printf("rank\tiso3\tcountry\tscore%s\trights_flags\n",
               c.robust ? "\trank_interval\ttier_probability" : "");
    if (rc == 0)
        rc = gca_rights_ranking(st, ed, (int)limit, rank_item, &c, &err);
    gca_store_close(st);
    json_decref(c.robust);
    if (rc < 0) {
        json_decref(c.rows);
        return fail(rc, &err);
    }
    if (!json) {
        printf("# ranking of %s; rights flags are shown beside it and "
               "change no score or rank\n# %s\n", ed ? ed : "GCI 2020 "
               "(published)", LEGEND_TEXT);
        if (c.robust)
            printf("# rank_interval: 5th-95th percentile rank over %d "
                   "rebuilds of the publication's robustness analysis; "
                   "tier_probability: share of them in the published tier\n",
                   GCA_ROBUSTNESS_N);
        return cli_write_stdout("", 0);
    }
    json_t *o = json_pack("{s:o, s:o, s:o, s:o}", "ranking",
                          ed ? gca__json_text(ed) : json_string("GCI 2020"),
                          "rows", c.rows, "legend", gca__rights_legend_json(),
                          "note", json_string(GCA_RIGHTS_ABSENCE_NOTE));
    if (!o)
        return oom();
    rc = cli_print_json(o);
    json_decref(o);
    return rc;
}

const cli_cmd cli_cmd_rankings = {
    "rankings",
    "The ranking (GCI 2020 as published, or an edition's stored scores) "
    "with a column of rights flags beside it; the flags never change a "
    "score or a rank.",
    "[--edition CODE] [--limit N] [--json] [--db FILE]",
    rankings_opts,
    run_rankings,
};
