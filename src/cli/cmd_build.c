/* cmd_build.c - `gca build`: run a method over data and a framework and
 * write every data set, the scores, ranks, weights and reports into a
 * directory, all or nothing (docs/gca.1). */
#include "cli.h"

static int run(const cli_cmd *cmd, int argc, char **argv)
{
    cli_args a;
    cli_inputs in;
    gca_result *res;
    gca_err err = {0};
    gca_format fmt;

    int rc = cli_build_args(cmd, argc, argv, &a, &in, &fmt, &res);
    if (res &&
        gca_result_write_dir(res, cli_get(cmd, &a, "out"), fmt, &err) < 0)
        rc = cli_fail(&err);
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
    cli_build_opts,
    run,
};
