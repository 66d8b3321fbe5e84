/* cmd_score.c - `gca score`, `gca export` and `gca diff`: an edition's
 * scores from its approved answers, the edition written out for anyone
 * to rebuild, and what changed since another edition (docs/gca.1;
 * the library is include/gca/workflow.h, the rules docs/workflow.md). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#include "core/banned.h"

/* Open the database named by --db, at the current schema, and check a
 * named acting user. */
static int open_current(const cli_cmd *cmd, const cli_args *a,
                        gca_store **st)
{
    const char *as = cli_get(cmd, a, "as");
    if (as && !*as)
        return cli_usage_error(cmd, "--as needs a user name");
    int rc = cli_open_current(cmd, a, st);
    if (rc)
        return rc;
    const char *actor = cli_actor(cmd, a);
    if (actor)
        rc = cli_check_actor(*st, actor);
    if (rc) {
        gca_store_close(*st);
        *st = NULL;
    }
    return rc;
}

/* ====== gca score ====== */

static const cli_opt score_opts[] = {
    {"db", "FILE", "database file (default $GCA_DB, else gca.db)", 0},
    {"as", "NAME", "acting user, an analyst or admin (default $GCA_USER)", 0},
    {"edition", "CODE", "edition to score (gci-2026)", 1},
    {"json", NULL, "print JSON", 0},
    {NULL, NULL, NULL, 0},
};

static int run_score(const cli_cmd *cmd, int argc, char **argv)
{
    cli_args a;
    gca_store *st = NULL;
    gca_err err = {0};
    int rc = cli_parse(cmd, argc, argv, &a);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    const char *actor = cli_actor(cmd, &a);
    if (!actor)
        return cli_usage_error(cmd, "needs --as NAME (or $GCA_USER)");
    rc = open_current(cmd, &a, &st);
    if (rc)
        return rc;
    const char *ed = cli_get(cmd, &a, "edition");
    int n = 0;
    if (gca_edition_score(st, actor, ed, &n, &err) < 0) {
        rc = cli_fail(&err);
    } else if (cli_get(cmd, &a, "json")) {
        json_t *o = json_pack("{s:o, s:i}", "edition", gca__json_text(ed),
                              "countries_scored", n);
        char *text = o ? json_dumps(o, JSON_INDENT(2)) : NULL;
        json_decref(o);
        if (!text) {
            gca_fail(&err, GCA_ENOMEM, "score", 0, 0, "out of memory");
            rc = cli_fail(&err);
        } else {
            rc = cli_write_stdout(text, strlen(text));
            if (rc == 0)
                rc = cli_write_stdout("\n", 1);
            free(text); /* allocated by jansson */
        }
    } else {
        printf("%s: %d countr%s scored\n", ed, n, n == 1 ? "y" : "ies");
    }
    /* The rights lens warns, on stderr, and never changes the exit code
     * (docs/rights.md, "Analyst warning"). */
    if (rc == 0)
        cli_rights_warn(st, ed);
    gca_store_close(st);
    return rc;
}

const cli_cmd cli_cmd_score = {
    "score",
    "Score an edition from its approved answers: question scores from the "
    "framework's scoring map, indicator values, then the edition's method "
    "(scores, ranks, tiers), stored in the database.",
    "--edition CODE --as NAME [--db FILE] [--json]",
    score_opts,
    run_score,
};

/* ====== gca export ====== */

static const cli_opt export_opts[] = {
    {"db", "FILE", "database file (default $GCA_DB, else gca.db)", 0},
    {"as", "NAME",
     "acting user (default $GCA_USER; none: what the public may see)", 0},
    {"edition", "CODE", "edition to export", 1},
    {"out", "DIR", "directory to write (replaced only if gca wrote it)", 1},
    {NULL, NULL, NULL, 0},
};

static int run_export(const cli_cmd *cmd, int argc, char **argv)
{
    cli_args a;
    gca_store *st = NULL;
    gca_err err = {0};
    int rc = cli_parse(cmd, argc, argv, &a);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    rc = open_current(cmd, &a, &st);
    if (rc)
        return rc;
    const char *ed = cli_get(cmd, &a, "edition");
    const char *out = cli_get(cmd, &a, "out");
    if (gca_edition_export(st, cli_actor(cmd, &a), ed, out, &err) < 0)
        rc = cli_fail(&err);
    else
        printf("%s: written to %s\n", ed, out);
    gca_store_close(st);
    return rc;
}

const cli_cmd cli_cmd_export = {
    "export",
    "Write an edition into a directory: answers, evidence list and review "
    "history (CSV and JSON), question scores, and the framework, method "
    "and data from which `gca build` gives its scores again.",
    "--edition CODE --out DIR [--as NAME] [--db FILE]",
    export_opts,
    run_export,
};

/* ====== gca diff ====== */

static const cli_opt diff_opts[] = {
    {"db", "FILE", "database file (default $GCA_DB, else gca.db)", 0},
    {"edition", "CODE", "the newer edition", 1},
    {"from", "CODE",
     "the edition to compare with (default: the latest earlier edition of "
     "the same framework)", 0},
    {"country", "ISO3", "only this country", 0},
    {NULL, NULL, NULL, 0},
};

static int run_diff(const cli_cmd *cmd, int argc, char **argv)
{
    cli_args a;
    gca_store *st = NULL;
    gca_err err = {0};
    char *text = NULL;
    int rc = cli_parse(cmd, argc, argv, &a);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    rc = open_current(cmd, &a, &st);
    if (rc)
        return rc;
    if (gca_edition_diff(st, cli_get(cmd, &a, "edition"),
                         cli_get(cmd, &a, "from"),
                         cli_get(cmd, &a, "country"), &text, &err) < 0) {
        rc = cli_fail(&err);
    } else {
        rc = cli_write_stdout(text, strlen(text));
        if (rc == 0)
            rc = cli_write_stdout("\n", 1);
    }
    gca_free(text);
    gca_store_close(st);
    return rc;
}

const cli_cmd cli_cmd_diff = {
    "diff",
    "Show, per country, what changed between two editions of a framework: "
    "approved answers, public evidence, stored scores and tier (JSON).",
    "--edition CODE [--from CODE] [--country ISO3] [--db FILE]",
    diff_opts,
    run_diff,
};
