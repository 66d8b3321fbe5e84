/* cmd_edition.c - `gca edition ACTION`: create an edition of a framework,
 * open and close it, list the editions and show one with its answers
 * counted per state (docs/gca.1, "gca edition"; rules in
 * docs/workflow.md, "Editions"). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/buf.h"
#include "core/fs.h"
#include "gca/sensitivity.h"

#include "core/banned.h"

static const cli_opt opts[] = {
    {"db", "FILE", "database file (default $GCA_DB, else gca.db)", 0},
    {"as", "NAME", "acting user (default $GCA_USER)", 0},
    {"framework", "CODE", "create: the framework (gci, asem, ...)", 0},
    {"framework-file", "FILE",
     "create: add this framework JSON to the database first (admin) and "
     "use it", 0},
    {"year", "YEAR", "create: the year of the edition", 0},
    {"method", "FILE", "create: the edition's own method (JSON)", 0},
    {"key", "FILE", "publish: the secret key to sign with", 0},
    {"out", "FILE", "publish: the bundle to write (never overwritten)", 0},
    {"json", NULL, "list, show: write JSON", 0},
    {"spec", "FILE", "sensitivity: the spec of the robustness analysis run "
                     "at publication (docs/method.md)", 0},
    {"default", NULL, "sensitivity: drop the edition's spec (the default "
                      "analysis runs)", 0},
    {NULL, NULL, NULL, 0},
};

#define ACTIONS "create, open, close, publish, sensitivity, list or show"
#define METHOD_FILE_MAX (1024 * 1024)

static const char *const states[] = {"draft", "submitted", "returned",
                                     "resubmitted", "approved"};

static json_t *edition_json(const gca_edition *e)
{
    json_t *o = json_pack("{s:s, s:s, s:i, s:s, s:s, s:b, s:s}", "code",
                          e->code, "framework", e->framework, "year",
                          e->year, "state", e->state, "framework_sha256",
                          e->framework_sha256, "own_method", e->has_method,
                          "created_at", e->created_at);
    const char *const names[] = {"opened_at", "closed_at", "published_at",
                                 "scored_at"};
    const char *const vals[] = {e->opened_at, e->closed_at, e->published_at,
                                e->scored_at};
    for (size_t i = 0; o && i < GCA_COUNT(names); i++)
        if (json_object_set_new(o, names[i], *vals[i] ? json_string(vals[i])
                                                      : json_null()) != 0) {
            json_decref(o);
            o = NULL;
        }
    return o;
}

static int list_one(const gca_edition *e, void *ctx)
{
    json_t *arr = ctx;
    if (arr)
        return json_array_append_new(arr, edition_json(e)) != 0 ? -1 : 0;
    printf("%-20s %-10s %4d  %s\n", e->code, e->framework, e->year,
           e->state);
    return 0;
}

static int do_list(gca_store *st, int as_json)
{
    gca_err err = {0};
    json_t *arr = as_json ? json_array() : NULL;
    if (as_json && !arr)
        return EXIT_INTERNAL;
    int rc = gca_edition_list(st, list_one, arr, &err);
    if (rc < 0)
        rc = cli_fail(&err);
    else if (rc > 0 || (as_json && rc != 0))
        rc = EXIT_INTERNAL;
    else if (as_json)
        rc = cli_print_json(arr);
    json_decref(arr);
    return rc;
}

static int count_state(const gca_answer *a, void *ctx)
{
    long long *n = ctx;
    for (size_t i = 0; i < GCA_COUNT(states); i++)
        if (!strcmp(a->state, states[i]))
            n[i]++;
    return 0;
}

static int do_show(gca_store *st, const char *code, int as_json)
{
    gca_err err = {0};
    gca_edition e;
    long long n[GCA_COUNT(states)] = {0};
    if (gca_edition_get(st, code, &e, &err) < 0 ||
        gca_answer_list(st, code, NULL, count_state, n, &err) < 0)
        return cli_fail(&err);
    if (as_json) {
        json_t *o = edition_json(&e);
        json_t *c = json_object();
        for (size_t i = 0; c && i < GCA_COUNT(states); i++)
            json_object_set_new(c, states[i], json_integer(n[i]));
        int rc = EXIT_INTERNAL;
        if (o && c && json_object_set(o, "answers", c) == 0)
            rc = cli_print_json(o);
        json_decref(c);
        json_decref(o);
        return rc;
    }
    printf("edition:    %s\nframework:  %s (sha256 %s)\nyear:       %d\n"
           "state:      %s\nmethod:     %s\ncreated:    %s\n",
           e.code, e.framework, e.framework_sha256, e.year, e.state,
           e.has_method ? "its own" : "the framework's default",
           e.created_at);
    printf("opened:     %s\nclosed:     %s\npublished:  %s\nscored:     %s\n",
           *e.opened_at ? e.opened_at : "-", *e.closed_at ? e.closed_at : "-",
           *e.published_at ? e.published_at : "-",
           *e.scored_at ? e.scored_at : "-");
    printf("answers:   ");
    for (size_t i = 0; i < GCA_COUNT(states); i++)
        printf(" %s %lld%s", states[i], n[i],
               i + 1 < GCA_COUNT(states) ? "," : "\n");
    return EXIT_OK;
}

/* The year of `create`, checked before the database is opened; 0 after
 * a usage message. */
static int create_year(const cli_cmd *cmd, const cli_args *a)
{
    const char *year = cli_get(cmd, a, "year");
    int nfw = (cli_get(cmd, a, "framework") != NULL) +
              (cli_get(cmd, a, "framework-file") != NULL);
    if (nfw != 1 || !year) {
        cli_usage_error(cmd, "create needs --year and one of --framework "
                        "and --framework-file");
        return 0;
    }
    char *end = NULL;
    errno = 0;
    long y = strtol(year, &end, 10);
    if (!*year || *end || errno || y < 1900 || y > 9999) {
        cli_usage_error(cmd, "--year must be a year from 1900 to 9999, "
                        "not '%s'", year);
        return 0;
    }
    return (int)y;
}

static int do_create(const cli_cmd *cmd, const cli_args *a, gca_store *st,
                     const char *actor, int year)
{
    gca_err err = {0};
    gca_edition e;
    const char *fw = cli_get(cmd, a, "framework");
    const char *fwfile = cli_get(cmd, a, "framework-file");
    const char *method = cli_get(cmd, a, "method");
    char code[GCA_MAX_CODE + 1];
    if (fwfile) {
        gca_buf fwtext = GCA_BUF_INIT(GCA_MAX_FRAMEWORK_FILE);
        int frc = gca_file_read(fwfile, &fwtext, &err);
        if (frc == 0)
            frc = gca_store_add_framework(st, actor, gca_buf_str(&fwtext),
                                          fwtext.len, fwfile, code, &err);
        gca_buf_release(&fwtext);
        if (frc < 0)
            return cli_fail(&err);
        fw = code;
    }
    gca_buf text = GCA_BUF_INIT(METHOD_FILE_MAX);
    if (method && gca_file_read(method, &text, &err) < 0) {
        gca_buf_release(&text);
        return cli_fail(&err);
    }
    int rc = gca_edition_create(st, actor, fw, year,
                                method ? gca_buf_str(&text) : NULL, &e,
                                &err);
    gca_buf_release(&text);
    if (rc < 0)
        return cli_fail(&err);
    printf("created edition %s of %s (%s)\n", e.code, e.framework, e.state);
    return EXIT_OK;
}

static int do_publish(const cli_cmd *cmd, const cli_args *a, gca_store *st,
                      const char *actor, const char *code)
{
    gca_err err = {0};
    gca_key *key = NULL;
    const char *out = cli_get(cmd, a, "out");
    int rc = gca_key_load_secret(cli_get(cmd, a, "key"), &key, &err);
    if (rc == 0)
        rc = gca_edition_publish(st, actor, code, key, out, &err);
    if (rc == 0)
        printf("edition %s is published: %s signed by key %s\n", code, out,
               gca_key_id(key));
    gca_key_free(key);
    return rc < 0 ? cli_fail(&err) : EXIT_OK;
}

static int do_sensitivity(const cli_cmd *cmd, const cli_args *a,
                          gca_store *st, const char *actor, const char *code)
{
    gca_err err = {0};
    const char *path = cli_get(cmd, a, "spec");
    gca_buf text = GCA_BUF_INIT(GCA_MAX_SPEC_FILE);
    int rc = path ? gca_file_read(path, &text, &err) : 0;
    if (rc == 0)
        rc = gca_edition_set_sensitivity(st, actor, code,
                                         path ? gca_buf_str(&text) : NULL,
                                         &err);
    gca_buf_release(&text);
    if (rc < 0)
        return cli_fail(&err);
    printf("edition %s: %s\n", code,
           path ? "robustness analysis with its own spec"
                : "robustness analysis with the default spec");
    return EXIT_OK;
}

static int run(const cli_cmd *cmd, int argc, char **argv)
{
    const char *pos[2];
    int npos = 0;
    cli_args a;
    gca_store *st = NULL;
    gca_err err = {0};

    int rc = cli_parse_mixed(cmd, argc, argv, &a, pos, 2, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos == 0)
        return cli_usage_error(cmd, "needs an action: " ACTIONS);
    const char *action = pos[0];
    int create = !strcmp(action, "create"), list = !strcmp(action, "list");
    int show = !strcmp(action, "show"), opening = !strcmp(action, "open");
    int closing = !strcmp(action, "close");
    int publish = !strcmp(action, "publish");
    int sens = !strcmp(action, "sensitivity");
    if (!create && !list && !show && !opening && !closing && !publish &&
        !sens)
        return cli_usage_error(cmd, "unknown action '%s' (use " ACTIONS ")",
                               action);
    if ((create || list) && npos > 1)
        return cli_usage_error(cmd, "unexpected argument '%s'", pos[1]);
    if ((show || opening || closing || publish || sens) && npos != 2)
        return cli_usage_error(cmd, "%s needs the EDITION (gci-2026)",
                               action);
    int as_json = cli_get(cmd, &a, "json") != NULL;
    if (as_json && !list && !show)
        return cli_usage_error(cmd, "--json goes with list and show");
    if (!create && (cli_get(cmd, &a, "framework") ||
                    cli_get(cmd, &a, "framework-file") ||
                    cli_get(cmd, &a, "year") || cli_get(cmd, &a, "method")))
        return cli_usage_error(cmd, "--framework, --framework-file, --year "
                               "and --method go with create");
    if (!publish && (cli_get(cmd, &a, "key") || cli_get(cmd, &a, "out")))
        return cli_usage_error(cmd, "--key and --out go with publish");
    if (publish && (!cli_get(cmd, &a, "key") || !cli_get(cmd, &a, "out")))
        return cli_usage_error(cmd, "publish needs --key FILE and --out FILE");
    if (!sens && (cli_get(cmd, &a, "spec") || cli_get(cmd, &a, "default")))
        return cli_usage_error(cmd, "--spec and --default go with "
                               "sensitivity");
    if (sens && !cli_get(cmd, &a, "spec") == !cli_get(cmd, &a, "default"))
        return cli_usage_error(cmd, "sensitivity needs --spec FILE or "
                               "--default");
    int year = create ? create_year(cmd, &a) : 0;
    if (create && !year)
        return EXIT_USAGE;
    const char *actor = NULL;
    if (create || opening || closing || publish || sens) {
        actor = cli_actor_required(cmd, &a);
        if (!actor)
            return EXIT_USAGE;
    }
    rc = cli_open_store(cmd, &a, &st);
    if (rc)
        return rc;
    if (create) {
        rc = do_create(cmd, &a, st, actor, year);
    } else if (list) {
        rc = do_list(st, as_json);
    } else if (show) {
        rc = do_show(st, pos[1], as_json);
    } else if (publish) {
        rc = do_publish(cmd, &a, st, actor, pos[1]);
    } else if (sens) {
        rc = do_sensitivity(cmd, &a, st, actor, pos[1]);
    } else {
        rc = opening ? gca_edition_open(st, actor, pos[1], &err)
                  : gca_edition_close(st, actor, pos[1], &err);
        if (rc < 0)
            rc = cli_fail(&err);
        else
            printf("edition %s is %s\n", pos[1], opening ? "open" : "closed");
    }
    gca_store_close(st);
    return rc;
}

const cli_cmd cli_cmd_edition = {
    "edition",
    "Manage the editions of a framework's questionnaire: create one "
    "(admin), open it for answers or close it (admin), publish it signed "
    "with its robustness analysis (admin), set that analysis's spec "
    "(sensitivity, admin), list them, show one with its answers counted "
    "per state.",
    "create|open|close|publish|sensitivity|list|show [EDITION] [--db FILE] "
    "[--as NAME] "
    "[--framework CODE|--framework-file FILE --year YEAR [--method FILE]] "
    "[--key FILE --out FILE] [--spec FILE|--default] "
    "[--json]",
    opts,
    run,
};
