/* cmd_analyse.c - `gca analyse`: build in memory, then write the
 * statistical audit of the index (COINr's get_stats, get_corr,
 * get_cronbach, get_data_avail, get_str_weak, get_unit_summary,
 * remove_elements, and warnings) into a directory, all or nothing
 * (docs/gca.1, docs/analyse.md). */
#include "cli.h"

static int run(const cli_cmd *cmd, int argc, char **argv)
{
    cli_args a;
    cli_inputs in;
    gca_result *res;
    gca_analysis *an = NULL;
    gca_err err = {0};
    gca_format fmt;

    int rc = cli_build_args(cmd, argc, argv, &a, &in, &fmt, &res);
    if (res && (gca_analysis_run(res, NULL, &an, &err) < 0 ||
                gca_analysis_write_dir(an, cli_get(cmd, &a, "out"), fmt,
                                       &err) < 0))
        rc = cli_fail(&err);
    gca_analysis_free(an);
    gca_result_free(res);
    cli_inputs_release(&in);
    return rc;
}

const cli_cmd cli_cmd_analyse = {
    "analyse",
    "Build in memory and write the statistical audit of the index into "
    "DIR: indicator statistics of every data set, correlations within "
    "each aggregate and with the parents, Cronbach's alphas, data "
    "availability, strengths and weaknesses and the summary of every "
    "unit, the effect of removing each element, and warnings.",
    "--data FILE --meta FILE [--method FILE] --out DIR [options]",
    cli_build_opts,
    run,
};
