/* cmd_answer.c - `gca answer ACTION`: set, submit, review (approve or
 * return) and confirm the answer of a country to a question of an
 * edition, and list answers (docs/gca.1, "gca answer"; rules in
 * docs/workflow.md, "Answers and review"). */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#include "core/banned.h"

static const cli_opt opts[] = {
    {"db", "FILE", "database file (default $GCA_DB, else gca.db)", 0},
    {"as", "NAME", "acting user (default $GCA_USER)", 0},
    {"edition", "EDITION", "the edition (gci-2026)", 1},
    {"country", "ISO3", "the country (list: only its answers)", 0},
    {"question", "CODE", "the question (list: only its answers)", 0},
    {"value", "VALUE", "set: the answer", 0},
    {"comment", "TEXT", "set: a note; review: why (required to return)", 0},
    {"approve", NULL, "review: approve the answer", 0},
    {"return", NULL, "review: return the answer to be changed", 0},
    {"state", "STATE", "list: only answers in this state", 0},
    {"json", NULL, "write JSON", 0},
    {NULL, NULL, NULL, 0},
};

#define ACTIONS "set, submit, review, confirm or list"

static json_t *answer_json(const gca_answer *a)
{
    const char *names[] = {"edition", "country", "question", "indicator",
                           "value", "comment", "state", "source",
                           "confirmed_by", "confirmed_at", "review_comment",
                           "updated_by", "updated_at"};
    const char *vals[] = {a->edition, a->country, a->question, a->indicator,
                          a->value, a->comment, a->state, a->source,
                          a->confirmed_by, a->confirmed_at,
                          a->review_comment, a->updated_by, a->updated_at};
    json_t *o = json_object();
    for (size_t i = 0; o && i < GCA_COUNT(names); i++)
        if (json_object_set_new(o, names[i], vals[i] ? json_string(vals[i])
                                                     : json_null()) != 0) {
            json_decref(o);
            o = NULL;
        }
    if (o && json_object_set_new(o, "version", json_integer(a->version))) {
        json_decref(o);
        o = NULL;
    }
    return o;
}

typedef struct listing {
    json_t *arr; /* NULL = text */
    json_t *last;
} listing;

static int list_one(const gca_answer *a, void *ctx)
{
    listing *l = ctx;
    if (l->arr) {
        json_t *o = answer_json(a);
        if (!o || json_array_append_new(l->arr, o) != 0)
            return 1;
        l->last = o;
        return 0;
    }
    printf("%-4s %-16s %-12s %-8s %s%s\n", a->country, a->question, a->state,
           a->source, a->value ? a->value : "-",
           a->confirmed_by ? " (confirmed)" : "");
    return 0;
}

/* Print the answers `f` selects, as JSON (an array, or the one answer
 * when `single`) or as text lines. */
static int print_answers(gca_store *st, const char *edition,
                         const gca_answer_filter *f, int as_json, int single)
{
    gca_err err = {0};
    listing l = {as_json ? json_array() : NULL, NULL};
    if (as_json && !l.arr)
        return EXIT_INTERNAL;
    int rc = gca_answer_list(st, edition, f, list_one, &l, &err);
    if (rc < 0)
        rc = cli_fail(&err);
    else if (rc > 0)
        rc = EXIT_INTERNAL;
    else if (as_json)
        rc = cli_print_json(single && l.last ? l.last : l.arr);
    json_decref(l.arr);
    return rc;
}

/* The options each action takes besides --db, --as, --edition, --json. */
static int check_options(const cli_cmd *cmd, const cli_args *a,
                         const char *action, const char *allowed)
{
    static const char *const own[] = {"country", "question", "value",
                                      "comment", "approve", "return",
                                      "state"};
    for (size_t i = 0; i < GCA_COUNT(own); i++) {
        char key[16];
        snprintf(key, sizeof key, " %s ", own[i]);
        if (cli_get(cmd, a, own[i]) && !strstr(allowed, key))
            return cli_usage_error(cmd, "%s takes no --%s", action, own[i]);
    }
    return 0;
}

static int run(const cli_cmd *cmd, int argc, char **argv)
{
    const char *pos[1];
    int npos = 0;
    cli_args a;
    gca_store *st = NULL;
    gca_err err = {0};

    int rc = cli_parse_mixed(cmd, argc, argv, &a, pos, 1, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos == 0)
        return cli_usage_error(cmd, "needs an action: " ACTIONS);
    const char *action = pos[0];
    const char *allowed = !strcmp(action, "set")       ? " country question value comment "
                          : !strcmp(action, "submit")  ? " country question "
                          : !strcmp(action, "review")  ? " country question comment approve return "
                          : !strcmp(action, "confirm") ? " country question "
                          : !strcmp(action, "list")    ? " country question state "
                                                       : NULL;
    if (!allowed)
        return cli_usage_error(cmd, "unknown action '%s' (use " ACTIONS ")",
                               action);
    rc = check_options(cmd, &a, action, allowed);
    if (rc)
        return rc;
    const char *edition = cli_get(cmd, &a, "edition");
    const char *country = cli_get(cmd, &a, "country");
    const char *question = cli_get(cmd, &a, "question");
    const char *value = cli_get(cmd, &a, "value");
    const char *comment = cli_get(cmd, &a, "comment");
    int approve = cli_get(cmd, &a, "approve") != NULL;
    int ret = cli_get(cmd, &a, "return") != NULL;
    int list = !strcmp(action, "list");
    int as_json = cli_get(cmd, &a, "json") != NULL;
    if (!list && (!country || !question))
        return cli_usage_error(cmd, "%s needs --country and --question",
                               action);
    if (!strcmp(action, "set") && !value)
        return cli_usage_error(cmd, "set needs --value");
    if (!strcmp(action, "review") && approve == ret)
        return cli_usage_error(cmd, "review needs either --approve or "
                               "--return");
    const char *actor = NULL;
    if (!list) {
        actor = cli_actor_required(cmd, &a);
        if (!actor)
            return EXIT_USAGE;
    }
    rc = cli_open_store(cmd, &a, &st);
    if (rc)
        return rc;
    if (list) {
        gca_answer_filter f = {country, question, cli_get(cmd, &a, "state")};
        rc = print_answers(st, edition, &f, as_json, 0);
        goto out;
    }
    if (!strcmp(action, "set"))
        rc = gca_answer_set(st, actor, edition, country, question, value,
                            comment, &err);
    else if (!strcmp(action, "submit"))
        rc = gca_answer_submit(st, actor, edition, country, question, &err);
    else if (!strcmp(action, "review"))
        rc = gca_answer_review(st, actor, edition, country, question,
                               approve ? "approve" : "return", comment, &err);
    else
        rc = gca_answer_confirm(st, actor, edition, country, question, &err);
    if (rc < 0) {
        rc = cli_fail(&err);
        goto out;
    }
    /* Show the answer as it is now. */
    gca_answer_filter one = {country, question, NULL};
    rc = print_answers(st, edition, &one, as_json, 1);
out:
    gca_store_close(st);
    return rc;
}

const cli_cmd cli_cmd_answer = {
    "answer",
    "Answer the questions of an open edition and review the answers: a "
    "focal point sets and submits its country's answers, an analyst "
    "records answers from open sources, approves or returns submitted "
    "ones, and the country confirms the analyst's answers. list shows the "
    "answers of an edition.",
    "set|submit|review|confirm|list --edition EDITION [--country ISO3 "
    "--question CODE] [--value VALUE] [--comment TEXT] "
    "[--approve|--return] [--state STATE] [--db FILE] [--as NAME] [--json]",
    opts,
    run,
};
