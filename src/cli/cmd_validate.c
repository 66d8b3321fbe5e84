/* cmd_validate.c - `gca validate`: check a framework, and data and a
 * method against it, and list every problem found; builds nothing
 * (docs/gca.1). */
#include <stdio.h>

#include "cli.h"

static const cli_opt opts[] = {
    {"meta", "FILE", "framework: gca JSON or COINr iMeta CSV", 1},
    {"data", "FILE", "unit data to check against the framework", 0},
    {"method", "FILE", "method JSON to check", 0},
    {"data-level", "N", "the data give the nodes of level N", 0},
    {"exclude", "CODES", "comma-separated indicators or data columns to "
                         "leave out", 0},
    {"time", "T", "use only the rows of panel data with Time T", 0},
    {"verbose", NULL, "print a summary when everything is valid", 0},
    {NULL, NULL, NULL, 0},
};

static int run(const cli_cmd *cmd, int argc, char **argv)
{
    cli_args a;
    cli_inputs in;
    gca_err err = {0};
    gca_errlist all = GCA_ERRLIST_INIT;

    int rc = cli_parse(cmd, argc, argv, &a);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    rc = cli_load_inputs(cmd, &a, &in, &all, &err);
    if (rc == 0 && cli_get(cmd, &a, "verbose")) {
        size_t ind = 0, agg = 0;
        for (size_t i = 0; i < gca_framework_nnodes(in.fw); i++) {
            if (gca_framework_node_at(in.fw, i)->type == GCA_NODE_INDICATOR)
                ind++;
            else
                agg++;
        }
        printf("framework %s: %d levels, %zu indicators, %zu aggregates\n",
               gca_framework_code(in.fw), gca_framework_nlevels(in.fw), ind,
               agg);
        if (in.ds)
            printf("data %s: %zu units\n", gca_dataset_source(in.ds),
                   gca_dataset_nunits(in.ds));
        printf("method: %zu steps\n", gca_method_nsteps(in.method));
    }
    gca_errlist_release(&all);
    cli_inputs_release(&in);
    return rc;
}

const cli_cmd cli_cmd_validate = {
    "validate",
    "Check a framework (and data and a method against it) and print every "
    "problem found, one per line; exit 0 when all is valid.",
    "--meta FILE [--data FILE] [--method FILE] [options]",
    opts,
    run,
};
