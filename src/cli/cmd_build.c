/* cmd_build.c - `gca build`: run a method over data and a framework and
 * write every data set, the scores, ranks, weights and reports into a
 * directory, all or nothing (docs/gca.1). */
#include <string.h>

#include "cli.h"

static const cli_opt opts[] = {
    {"data", "FILE", "unit data (COINr iData CSV)", 1},
    {"meta", "FILE", "framework: gca JSON or COINr iMeta CSV", 1},
    {"method", "FILE", "method JSON (default: the framework's, else "
                       "min-max then arithmetic mean)", 0},
    {"out", "DIR", "directory to write (replaced only if gca wrote it)", 1},
    {"format", "csv|json", "file format of the outputs (default csv)", 0},
    {"data-level", "N", "the data give the nodes of level N (e.g. 2 for "
                        "pillar scores)", 0},
    {"exclude", "CODES", "comma-separated indicators or data columns to "
                         "leave out", 0},
    {"time", "T", "use only the rows of panel data with Time T", 0},
    {"compat", "coinr|none", "reproduce COINr's known bugs (default none)",
     0},
    {NULL, NULL, NULL, 0},
};

static int run(const cli_cmd *cmd, int argc, char **argv)
{
    cli_args a;
    cli_inputs in;
    gca_result *res = NULL;
    gca_err err = {0};
    gca_format fmt = GCA_FORMAT_CSV;

    int rc = cli_parse(cmd, argc, argv, &a);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    const char *f = cli_get(cmd, &a, "format");
    if (f && !strcmp(f, "json"))
        fmt = GCA_FORMAT_JSON;
    else if (f && strcmp(f, "csv"))
        return cli_usage_error(cmd, "--format must be csv or json");
    rc = cli_load_inputs(cmd, &a, &in, NULL, &err);
    if (rc)
        goto out;
    if (gca_build(in.fw, in.ds, in.method, in.flags, &res, &err) < 0 ||
        gca_result_write_dir(res, cli_get(cmd, &a, "out"), fmt, &err) < 0)
        rc = cli_fail(&err);
out:
    gca_result_free(res);
    cli_inputs_release(&in);
    return rc;
}

const cli_cmd cli_cmd_build = {
    "build",
    "Build an index: run the method's steps over the data and write each "
    "data set (raw.csv ... aggregated.csv), scores.csv, ranks.csv, "
    "weights_effective.csv and the steps' reports into DIR.",
    "--data FILE --meta FILE [--method FILE] --out DIR [options]",
    opts,
    run,
};
