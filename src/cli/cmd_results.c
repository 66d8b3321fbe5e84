/* cmd_results.c - `gca results`: build in memory and print COINr's
 * get_results table, sorted by rank (docs/gca.1). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gca/sensitivity.h"

static const cli_opt opts[] = {
    {"data", "FILE", "unit data (COINr iData CSV)", 1},
    {"meta", "FILE", "framework: gca JSON or COINr iMeta CSV", 1},
    {"method", "FILE", "method JSON (default: the framework's)", 0},
    {"data-level", "N", "the data give the nodes of level N", 0},
    {"exclude", "CODES", "comma-separated indicators or data columns to "
                         "leave out", 0},
    {"time", "T", "use only the rows of panel data with Time T", 0},
    {"compat", "coinr|none", "reproduce COINr's known bugs", 0},
    {"tab-type", "summ|aggs|full", "top score and rank / every aggregate / "
                                   "aggregates and indicators (default aggs)",
     0},
    {"use", "scores|ranks|groupranks", "what the cells hold (default "
                                       "scores)", 0},
    {"group", "COLUMN", "group column for --use groupranks", 0},
    {"order-by", "CODE", "node whose score orders the rows (default the "
                         "top)", 0},
    {"also-get", "COLUMNS", "comma-separated extra columns, e.g. uName", 0},
    {"nround", "N", "decimals of scores (default 2; -1 = full precision)", 0},
    {"dset", "NAME", "data set to show (default the last one made)", 0},
    {"format", "text|csv|json", "output format (default text)", 0},
    {"robustness", "SPEC", "also run an uncertainty analysis with this "
                           "spec (docs/method.md) and show each rank's "
                           "interval and tier probability",
     0},
    {"robustness-n", "N", "runs of that analysis (default 1000; seed 1)",
     0},
    {NULL, NULL, NULL, 0},
};

static int pick(const char *v, const char *const *names, int dflt)
{
    if (!v)
        return dflt;
    for (int i = 0; names[i]; i++)
        if (!strcmp(v, names[i]))
            return i;
    return -1;
}

static int run(const cli_cmd *cmd, int argc, char **argv)
{
    static const char *const tabs[] = {"summ", "aggs", "full", NULL};
    static const char *const uses[] = {"scores", "ranks", "groupranks", NULL};
    static const char *const fmts[] = {"text", "csv", "json", NULL};
    cli_args a;
    cli_inputs in;
    gca_result *res = NULL;
    gca_err err = {0};
    char *text = NULL;
    size_t len = 0;
    char alsobuf[2048];
    const char *also[32];
    int nalso = 0;

    int rc = cli_parse(cmd, argc, argv, &a);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    gca_results_opts o = {0};
    int tab = pick(cli_get(cmd, &a, "tab-type"), tabs, 1);
    int use = pick(cli_get(cmd, &a, "use"), uses, 0);
    int fmt = pick(cli_get(cmd, &a, "format"), fmts, 0);
    if (tab < 0)
        return cli_usage_error(cmd, "--tab-type must be summ, aggs or full");
    if (use < 0)
        return cli_usage_error(cmd, "--use must be scores, ranks or "
                               "groupranks");
    if (fmt < 0)
        return cli_usage_error(cmd, "--format must be text, csv or json");
    o.tab_type = (gca_tab_type)(tab + 1);
    o.use = (gca_tab_use)(use + 1);
    o.group = cli_get(cmd, &a, "group");
    o.order_by = cli_get(cmd, &a, "order-by");
    o.dset = cli_get(cmd, &a, "dset");
    o.nround = 2;
    if (o.use == GCA_USE_GROUPRANKS && !o.group)
        return cli_usage_error(cmd, "--use groupranks needs --group");
    const char *nr = cli_get(cmd, &a, "nround");
    if (nr) {
        char *end;
        long v = strtol(nr, &end, 10);
        if (*end || !*nr || v < -1 || v > 15)
            return cli_usage_error(cmd, "--nround must be -1 to 15");
        o.nround = (int)v;
    }
    const char *ag = cli_get(cmd, &a, "also-get");
    if (ag) {
        size_t n = strlen(ag);
        if (n >= sizeof alsobuf)
            return cli_usage_error(cmd, "--also-get is too long");
        memcpy(alsobuf, ag, n + 1);
        for (char *p = alsobuf; p;) {
            char *comma = strchr(p, ',');
            if (comma)
                *comma++ = '\0';
            if (!*p || nalso == (int)GCA_COUNT(also))
                return cli_usage_error(cmd, "--also-get needs a "
                                       "comma-separated list of columns");
            also[nalso++] = p;
            p = comma;
        }
        o.also_get = also;
        o.nalso_get = (size_t)nalso;
    }
    const char *spec = cli_get(cmd, &a, "robustness");
    const char *rns = cli_get(cmd, &a, "robustness-n");
    long rn = 1000;
    if (rns && (!spec || cli_parse_long(rns, 1, GCA_SENS_MAX_RUNS, &rn) < 0))
        return cli_usage_error(cmd, "--robustness-n goes with --robustness "
                               "and is 1 to %u", GCA_SENS_MAX_RUNS);
    gca_sens *sens = NULL;
    rc = cli_load_inputs(cmd, &a, &in, NULL, &err);
    if (rc)
        goto out;
    static const gca_format formats[] = {GCA_FORMAT_TEXT, GCA_FORMAT_CSV,
                                         GCA_FORMAT_JSON};
    int brc = gca_build(in.fw, in.ds, in.method, in.flags, &res, &err);
    /* The uncertainty analysis: UA of rn runs from seed 1. */
    gca_sens_opts so = {.type = GCA_SENS_UA, .n = (size_t)rn, .seed = 1};
    if (brc == 0 && spec)
        brc = cli_run_sensitivity(cmd, &a, &in, spec, &so, &sens, &err);
    o.robust = sens;
    if (brc == 0)
        brc = gca_render_results(res, &o, formats[fmt], &text, &len, &err);
    if (brc < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    rc = cli_write_stdout(text, len);
out:
    gca_free(text);
    gca_sens_free(sens);
    gca_result_free(res);
    cli_inputs_release(&in);
    return rc;
}

const cli_cmd cli_cmd_results = {
    "results",
    "Build in memory and print the results table (COINr's get_results): "
    "units sorted by rank, scores rounded to --nround decimals.",
    "--data FILE --meta FILE [--method FILE] [options]",
    opts,
    run,
};
