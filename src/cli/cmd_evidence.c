/* cmd_evidence.c - `gca evidence add|list|get`: evidence (URLs and files)
 * for the answers of an edition (docs/gca.1, "gca evidence"; the library
 * side is gca/workflow.h, "Evidence", and docs/evidence.md). The acting
 * user is --as or $GCA_USER: whoever can write the database file is
 * trusted, no password is asked. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "core/buf.h"
#include "core/fs.h"

#include "core/banned.h"

static const cli_opt opts[] = {
    {"db", "FILE", "database file (default $GCA_DB, else gca.db)", 0},
    {"as", "NAME", "acting user (default $GCA_USER; list and get: "
                   "none = the public)", 0},
    {"edition", "CODE", "edition, such as gci-2026 (add, list)", 0},
    {"country", "ISO3", "country (add; list: only this one)", 0},
    {"question", "CODE", "question (add; list: only this one)", 0},
    {"url", "URL", "add: an http or https address", 0},
    {"retrieved", "DATE", "add --url: the day it was read, YYYY-MM-DD", 0},
    {"snapshot", "FILE", "add --url: a copy of the page", 0},
    {"file", "FILE", "add: a document (docs/evidence.md lists the types)",
     0},
    {"restricted", NULL, "add: only analysts, admins and the country's "
                         "focal point may see it", 0},
    {"note", "TEXT", "add: a note (at most 4000 bytes)", 0},
    {"blobs", "DIR", "where files are kept (default: the database file "
                     "followed by .blobs)", 0},
    {"json", NULL, "list: print JSON instead of a table", 0},
    {"out", "FILE", "get: the file to write", 0},
    {NULL, NULL, NULL, 0},
};

#define ACTIONS "add, list or get ID"

/* --as, else $GCA_USER, else NULL. */
static const char *actor(const cli_cmd *cmd, const cli_args *a)
{
    const char *p = cli_get(cmd, a, "as");
    if (p)
        return p;
    p = getenv("GCA_USER");
    return p && *p ? p : NULL;
}

/* Options given that `action` does not take: a usage error naming the
 * first, or 0. */
static int refuse_opts(const cli_cmd *cmd, const cli_args *a,
                       const char *action, const char *const *names)
{
    for (size_t i = 0; names[i]; i++)
        if (cli_get(cmd, a, names[i]))
            return cli_usage_error(cmd, "%s does not take --%s", action,
                                   names[i]);
    return 0;
}

static int need(const cli_cmd *cmd, const cli_args *a, const char *action,
                const char *name)
{
    if (!cli_get(cmd, a, name))
        return cli_usage_error(cmd, "%s needs --%s", action, name);
    return 0;
}

/* ====== add ====== */

static int check_add(const cli_cmd *cmd, const cli_args *a)
{
    static const char *const no[] = {"json", "out", NULL};
    int rc = refuse_opts(cmd, a, "add", no);
    if (!rc)
        rc = need(cmd, a, "add", "edition");
    if (!rc)
        rc = need(cmd, a, "add", "country");
    if (!rc)
        rc = need(cmd, a, "add", "question");
    if (rc)
        return rc;
    const char *url = cli_get(cmd, a, "url"), *file = cli_get(cmd, a, "file");
    if (!url == !file)
        return cli_usage_error(cmd, "add needs either --url or --file");
    if (url && !cli_get(cmd, a, "retrieved"))
        return cli_usage_error(cmd, "add --url needs --retrieved DATE");
    if (file && cli_get(cmd, a, "retrieved"))
        return cli_usage_error(cmd, "--retrieved goes with --url, not "
                               "--file");
    if (file && cli_get(cmd, a, "snapshot"))
        return cli_usage_error(cmd, "--snapshot goes with --url, not --file");
    if (!actor(cmd, a))
        return cli_usage_error(cmd, "add needs the acting user: --as NAME "
                               "or $GCA_USER");
    return 0;
}

static int do_add(const cli_cmd *cmd, const cli_args *a, gca_store *st)
{
    gca_err err = {0};
    long long id = 0;
    const char *who = actor(cmd, a), *ed = cli_get(cmd, a, "edition");
    const char *country = cli_get(cmd, a, "country");
    const char *question = cli_get(cmd, a, "question");
    const char *url = cli_get(cmd, a, "url");
    const char *vis = cli_get(cmd, a, "restricted") ? "restricted" : "public";
    const char *note = cli_get(cmd, a, "note");
    int rc = url ? gca_evidence_add_url(st, who, ed, country, question, url,
                                        cli_get(cmd, a, "retrieved"),
                                        cli_get(cmd, a, "snapshot"), vis,
                                        note, &id, &err)
                 : gca_evidence_add_file(st, who, ed, country, question,
                                         cli_get(cmd, a, "file"), vis, note,
                                         &id, &err);
    if (rc < 0)
        return cli_fail(&err);
    printf("evidence %lld added to %s/%s/%s (%s)\n", id, ed, country,
           question, vis);
    return EXIT_OK;
}

/* ====== list ====== */

typedef struct list_ctx {
    json_t *items; /* --json; NULL = a table */
    long long n;
} list_ctx;

/* Text for a table cell: "-" for none. */
static const char *cell(const char *s)
{
    return s && *s ? s : "-";
}

static int print_item(const gca_evidence *ev, void *ctx)
{
    list_ctx *c = ctx;
    c->n++;
    if (c->items) {
        json_t *o = json_pack(
            "{s:I, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:I, s:s?, s:s?, "
            "s:s?, s:s, s:s}",
            "id", (json_int_t)ev->id, "edition", ev->edition, "country",
            ev->country, "question", ev->question, "kind", ev->kind, "url",
            ev->url, "retrieved", ev->retrieved, "sha256", ev->sha256,
            "size", (json_int_t)ev->size, "mime", ev->mime, "file_name",
            ev->file_name, "note", ev->note, "visibility", ev->visibility,
            "added_by", ev->added_by);
        if (!o || json_object_set_new(o, "added_at",
                                      json_string(ev->added_at)) != 0 ||
            json_array_append_new(c->items, o) != 0)
            return GCA_ENOMEM;
        return 0;
    }
    /* Tab-separated; file names and URLs hold no tab or line break. */
    printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%lld\t%s\n", ev->id,
           ev->country, ev->question, ev->kind, ev->visibility,
           cell(ev->url), cell(ev->retrieved), cell(ev->file_name),
           cell(ev->mime), ev->size, cell(ev->sha256));
    return 0;
}

static int do_list(const cli_cmd *cmd, const cli_args *a, gca_store *st)
{
    gca_err err = {0};
    list_ctx c = {NULL, 0};
    int json = cli_get(cmd, a, "json") != NULL;
    if (json && !(c.items = json_array())) {
        fprintf(stderr, "%s: out of memory\n", cli_prog);
        return EXIT_INTERNAL;
    }
    if (!json)
        printf("id\tcountry\tquestion\tkind\tvisibility\turl\tretrieved\t"
               "file_name\tmime\tsize\tsha256\n");
    int rc = gca_evidence_list(st, actor(cmd, a), cli_get(cmd, a, "edition"),
                               cli_get(cmd, a, "country"),
                               cli_get(cmd, a, "question"), print_item, &c,
                               &err);
    if (rc == GCA_ENOMEM && !err.code)
        gca_fail(&err, GCA_ENOMEM, NULL, 0, 0, "out of memory");
    if (rc < 0) {
        json_decref(c.items);
        return cli_fail(&err);
    }
    if (!json)
        return cli_write_stdout("", 0); /* flushes, reports a failure */
    char *text = json_dumps(c.items, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(c.items);
    if (!text) {
        fprintf(stderr, "%s: out of memory\n", cli_prog);
        return EXIT_INTERNAL;
    }
    rc = cli_write_stdout(text, strlen(text));
    if (rc == EXIT_OK)
        rc = cli_write_stdout("\n", 1);
    free(text);
    return rc;
}

/* ====== get ====== */

/* A positive evidence id, the whole of `s`. */
static int parse_id(const char *s, long long *id)
{
    char *end = NULL;
    if (!s || *s < '1' || *s > '9')
        return -1;
    errno = 0;
    *id = strtoll(s, &end, 10);
    return errno || *end ? -1 : 0;
}

static int do_get(const cli_cmd *cmd, const cli_args *a, gca_store *st,
                  long long id)
{
    gca_err err = {0};
    char *path = NULL;
    /* Blobs were at most the evidence limit when kept; this only guards
     * against a damaged blob directory. */
    gca_buf data = GCA_BUF_INIT((size_t)1 << 31);
    const char *out = cli_get(cmd, a, "out");
    int rc = gca_evidence_blob_path(st, actor(cmd, a), id, &path, &err);
    if (rc == 0)
        rc = gca_file_read(path, &data, &err);
    if (rc == 0)
        rc = gca_file_write_atomic(out, data.ptr, data.len, &err);
    gca_buf_release(&data);
    gca_free(path);
    if (rc < 0)
        return cli_fail(&err);
    printf("evidence %lld written to %s\n", id, out);
    return EXIT_OK;
}

/* ====== The command ====== */

static int run(const cli_cmd *cmd, int argc, char **argv)
{
    const char *pos[3];
    int npos = 0;
    cli_args a;
    gca_store *st = NULL;
    gca_err err = {0};
    long long id = 0;

    /* The action and its ID may come before or after the options. */
    int rc = cli_parse_mixed(cmd, argc, argv, &a, pos, 3, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos == 0)
        return cli_usage_error(cmd, "needs an action: " ACTIONS);
    const char *action = pos[0];
    int get = !strcmp(action, "get");
    static const char *const add_only[] = {
        "url", "retrieved", "snapshot", "file", "restricted", "note", NULL};
    if (!strcmp(action, "add")) {
        rc = check_add(cmd, &a);
    } else if (!strcmp(action, "list")) {
        static const char *const no[] = {"out", NULL};
        rc = refuse_opts(cmd, &a, "list", add_only);
        if (!rc)
            rc = refuse_opts(cmd, &a, "list", no);
        if (!rc)
            rc = need(cmd, &a, "list", "edition");
    } else if (get) {
        static const char *const no[] = {"edition", "country", "question",
                                         "json", NULL};
        rc = refuse_opts(cmd, &a, "get", add_only);
        if (!rc)
            rc = refuse_opts(cmd, &a, "get", no);
        if (!rc && npos < 2)
            return cli_usage_error(cmd, "get needs the ID of an evidence "
                                   "item (gca evidence list shows it)");
        if (!rc && parse_id(pos[1], &id) < 0)
            return cli_usage_error(cmd, "'%s' is not an evidence ID (a "
                                   "whole number from 1)", pos[1]);
        if (!rc)
            rc = need(cmd, &a, "get", "out");
    } else {
        return cli_usage_error(cmd, "unknown action '%s' (use " ACTIONS ")",
                               action);
    }
    if (rc)
        return rc;
    if (npos > (get ? 2 : 1))
        return cli_usage_error(cmd, "unexpected argument '%s'",
                               pos[get ? 2 : 1]);

    rc = cli_open_store(cmd, &a, &st);
    if (rc)
        return rc;
    const char *blobs = cli_get(cmd, &a, "blobs");
    if (blobs && gca_store_set_blob_dir(st, blobs, &err) < 0)
        rc = cli_fail(&err);
    else if (!strcmp(action, "add"))
        rc = do_add(cmd, &a, st);
    else if (get)
        rc = do_get(cmd, &a, st, id);
    else
        rc = do_list(cmd, &a, st);
    gca_store_close(st);
    return rc;
}

const cli_cmd cli_cmd_evidence = {
    "evidence",
    "Keep evidence for the answers of an edition: a web page (its address "
    "and the day it was read, with an optional copy) or a document, which "
    "is stored under its SHA-256 and accepted by its content (add); list "
    "what the acting user may see (list); copy a document out (get ID).",
    "add|list|get ID [options]",
    opts,
    run,
};
