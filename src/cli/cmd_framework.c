/* cmd_framework.c - `gca framework`: read a framework (JSON or COINr iMeta
 * CSV), optionally cut or trimmed, and write it as JSON or iMeta CSV
 * (docs/gca.1, docs/framework-format.md). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/fs.h"

static const cli_opt opts[] = {
    {"meta", "FILE", "framework: gca JSON or COINr iMeta CSV", 1},
    {"to", "json|imeta|lineage", "output: gca JSON (default), COINr iMeta "
                                 "CSV, or each indicator's ancestors (CSV)",
     0},
    {"out", "FILE", "file to write (default standard output)", 0},
    {"data-level", "N", "make the nodes of level N the indicators", 0},
    {NULL, NULL, NULL, 0},
};

static int run(const cli_cmd *cmd, int argc, char **argv)
{
    cli_args a;
    gca_framework *fw = NULL;
    gca_err err = {0};
    char *text = NULL;
    size_t len = 0;

    int rc = cli_parse(cmd, argc, argv, &a);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    const char *to = cli_get(cmd, &a, "to");
    int imeta = to && !strcmp(to, "imeta");
    int lineage = to && !strcmp(to, "lineage");
    if (to && !imeta && !lineage && strcmp(to, "json"))
        return cli_usage_error(cmd, "--to must be json, imeta or lineage");
    if (gca_framework_load(cli_get(cmd, &a, "meta"), &fw, NULL, &err) < 0)
        return cli_fail(&err);
    const char *level = cli_get(cmd, &a, "data-level");
    if (level) {
        char *end;
        long lev = strtol(level, &end, 10);
        if (*end || !*level || lev < 1 || lev > gca_framework_nlevels(fw)) {
            rc = cli_usage_error(cmd, "--data-level must be 1 to %d",
                                 gca_framework_nlevels(fw));
            goto out;
        }
        gca_framework *cut = NULL;
        if (lev > 1 && gca_framework_cut(fw, (int)lev, &cut, &err) < 0) {
            rc = cli_fail(&err);
            goto out;
        }
        if (cut) {
            gca_framework_free(fw);
            fw = cut;
        }
    }
    if (lineage)
        rc = gca_render_lineage(fw, GCA_FORMAT_CSV, &text, &len, &err);
    else if (imeta)
        rc = gca_framework_to_imeta(fw, &text, &len, &err);
    else
        rc = gca_framework_to_json(fw, &text, &len, &err);
    if (rc < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    const char *outpath = cli_get(cmd, &a, "out");
    if (outpath)
        rc = gca_file_write_atomic(outpath, text, len, &err) < 0
                 ? cli_fail(&err)
                 : EXIT_OK;
    else
        rc = cli_write_stdout(text, len);
out:
    gca_free(text);
    gca_framework_free(fw);
    return rc;
}

const cli_cmd cli_cmd_framework = {
    "framework",
    "Read a framework and write it as gca JSON or as a COINr iMeta CSV "
    "(import and export between the two), or list each indicator's "
    "ancestors.",
    "--meta FILE [--to json|imeta|lineage] [--out FILE] [--data-level N]",
    opts,
    run,
};
