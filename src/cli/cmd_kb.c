/* cmd_kb.c - `gca kb import|export|search|show|check|stats`: the GCA
 * knowledge base (docs/gca.1, "gca kb"; the library side is gca/kb.h,
 * the file format and search syntax docs/kb.md). Importing needs an
 * admin or analyst (--as or $GCA_USER); the rest only reads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "core/buf.h"
#include "core/fs.h"
#include "gca/kb.h"

#include "core/banned.h"

#define KB_FILE_MAX (64u << 20)
#define MAX_POS 256

static const cli_opt opts[] = {
    {"db", "FILE", "database file (default $GCA_DB, else gca.db)", 0},
    {"as", "NAME", "import: acting user, an admin or analyst (default "
                   "$GCA_USER)", 0},
    {"format", "FMT", "export: csv (default) or json", 0},
    {"out", "FILE", "export: the file to write (default: standard output)",
     0},
    {"kind", "KIND", "search, export: only entries of this kind", 0},
    {"pillar", "CODE", "search, export: only entries of this pillar (LEG, "
                       "TEC, ORG, CAP, COO)", 0},
    {"region", "NAME", "search, export: only entries of this region or "
                       "whose countries are in it (M49 region or "
                       "sub-region)", 0},
    {"country", "ISO3", "search, export: only entries naming this country",
     0},
    {"status", "S", "search, export: only entries with this status", 0},
    {"year", "RANGE", "search, export: A, A-B, A- or -B (inclusive)", 0},
    {"limit", "N", "search: at most N hits (default 20, at most 1000)", 0},
    {"offset", "N", "search: skip the first N hits", 0},
    {"json", NULL, "search, show: print JSON", 0},
    {NULL, NULL, NULL, 0},
};

#define ACTIONS "import, export, search, show, check or stats"

/* ====== Options ====== */

/* "A", "A-B", "A-" or "-B" into the query's year range. */
static int parse_years(const char *s, gca_kb_query *q)
{
    char a[8] = "", b[8] = "";
    const char *dash = strchr(s, '-');
    size_t na = dash ? (size_t)(dash - s) : strlen(s);
    size_t nb = dash ? strlen(dash + 1) : 0;
    long v;
    if (na >= sizeof a || nb >= sizeof b || (!na && !nb))
        return -1;
    memcpy(a, s, na);
    a[na] = '\0';
    if (dash) {
        memcpy(b, dash + 1, nb);
        b[nb] = '\0';
    }
    if (na) {
        if (cli_parse_long(a, GCA_KB_YEAR_MIN, GCA_KB_YEAR_MAX, &v) < 0)
            return -1;
        q->year_from = (int)v;
        if (!dash)
            q->year_to = (int)v;
    }
    if (nb) {
        if (cli_parse_long(b, GCA_KB_YEAR_MIN, GCA_KB_YEAR_MAX, &v) < 0)
            return -1;
        q->year_to = (int)v;
    }
    return 0;
}

/* The filters of the command line into q; a usage error or 0. */
static int get_query(const cli_cmd *cmd, const cli_args *a, gca_kb_query *q)
{
    long v;
    memset(q, 0, sizeof *q);
    q->kind = cli_get(cmd, a, "kind");
    q->pillar = cli_get(cmd, a, "pillar");
    q->region = cli_get(cmd, a, "region");
    q->country = cli_get(cmd, a, "country");
    q->status = cli_get(cmd, a, "status");
    const char *y = cli_get(cmd, a, "year");
    if (y && parse_years(y, q) < 0)
        return cli_usage_error(cmd, "--year '%s' is not A, A-B, A- or -B "
                               "with years %d to %d", y, GCA_KB_YEAR_MIN,
                               GCA_KB_YEAR_MAX);
    const char *s = cli_get(cmd, a, "limit");
    if (s) {
        if (cli_parse_long(s, 1, 1000, &v) < 0)
            return cli_usage_error(cmd, "--limit '%s' is not a whole "
                                   "number from 1 to 1000", s);
        q->limit = (int)v;
    }
    s = cli_get(cmd, a, "offset");
    if (s) {
        if (cli_parse_long(s, 0, 1000000000L, &v) < 0)
            return cli_usage_error(cmd, "--offset '%s' is not a whole "
                                   "number from 0", s);
        q->offset = (int)v;
    }
    return 0;
}

/* Options given that `action` does not take: a usage error, or 0. */
static int refuse(const cli_cmd *cmd, const cli_args *a, const char *action,
                  const char *const *names)
{
    for (size_t i = 0; names[i]; i++)
        if (cli_get(cmd, a, names[i]))
            return cli_usage_error(cmd, "%s does not take --%s", action,
                                   names[i]);
    return 0;
}

/* ====== JSON of an entry ====== */

static json_t *json_list(const char *list)
{
    json_t *arr = json_array();
    while (arr && *list) {
        size_t k = strcspn(list, ";");
        if (json_array_append_new(arr, json_stringn(list, k)) < 0) {
            json_decref(arr);
            return NULL;
        }
        list += k + (list[k] == ';');
    }
    return arr;
}

static json_t *entry_json(const gca_kb_entry *e)
{
    json_t *o = json_object();
    const char *k[] = {"id", "kind", "subtype", "title", "summary",
                       "region", "status", "url", "source", "retrieved",
                       "note", "origin"};
    const char *v[] = {e->id, e->kind, e->subtype, e->title, e->summary,
                       e->region, e->status, e->url, e->source,
                       e->retrieved, e->note, e->origin};
    int bad = !o;
    for (size_t i = 0; !bad && i < GCA_COUNT(k); i++)
        bad = json_object_set_new(o, k[i], gca__json_text(v[i])) < 0;
    if (!bad)
        bad = json_object_set_new(o, "pillars", json_list(e->pillars)) < 0 ||
              json_object_set_new(o, "countries",
                                  json_list(e->countries)) < 0 ||
              json_object_set_new(o, "year", e->year ? json_integer(e->year)
                                                     : json_null()) < 0;
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static int oom(void)
{
    fprintf(stderr, "%s: out of memory\n", cli_prog);
    return EXIT_INTERNAL;
}

/* ====== import, check ====== */

static int count_entry(const gca_kb_entry *e, void *ctx)
{
    (void)e;
    (*(size_t *)ctx)++;
    return 0;
}

static int do_check(const char *const *files, int n)
{
    for (int i = 0; i < n; i++) {
        gca_buf text = GCA_BUF_INIT(KB_FILE_MAX);
        gca_err err = {0};
        size_t count = 0;
        int rc = gca_file_read(files[i], &text, &err);
        if (rc == 0)
            rc = gca_kb_parse(text.ptr ? text.ptr : "", text.len, files[i],
                              count_entry, &count, &err);
        gca_buf_release(&text);
        if (rc < 0)
            return cli_fail(&err);
        printf("%s: %zu entries ok\n", files[i], count);
    }
    return EXIT_OK;
}

static int do_import(const char *who, gca_store *st,
                     const char *const *files, int n)
{
    for (int i = 0; i < n; i++) {
        gca_err err = {0};
        size_t count = 0;
        if (gca_kb_import(st, who, files[i], &count, &err) < 0)
            return cli_fail(&err);
        printf("%s: %zu entries imported\n", files[i], count);
    }
    return EXIT_OK;
}

/* ====== search ====== */

typedef struct hits_ctx {
    json_t *arr; /* --json; NULL = a table */
    size_t n;
} hits_ctx;

static const char *cell(const char *s)
{
    return s && *s ? s : "-";
}

static int print_hit(const gca_kb_hit *h, void *ctx)
{
    hits_ctx *x = ctx;
    x->n++;
    if (x->arr) {
        json_t *o = json_object();
        json_t *e = entry_json(&h->entry);
        if (!o || !e || json_object_set_new(o, "score", json_real(h->score)) ||
            json_object_set_new(o, "snippet", gca__json_text(h->snippet)) ||
            json_object_set_new(o, "entry", e) ||
            json_array_append_new(x->arr, o)) {
            json_decref(o);
            return GCA_ENOMEM;
        }
        return 0;
    }
    char year[8] = "-";
    if (h->entry.year)
        snprintf(year, sizeof year, "%d", h->entry.year);
    printf("%7.3f  %s  %s  %s  %s\n", h->score, h->entry.id, h->entry.kind,
           year, h->entry.title);
    if (*h->snippet)
        printf("         %s\n", h->snippet);
    return 0;
}

static int do_search(gca_store *st, const gca_kb_query *q, int json)
{
    gca_err err = {0};
    hits_ctx x = {json ? json_array() : NULL, 0};
    size_t total = 0;
    if (json && !x.arr)
        return oom();
    int rc = gca_kb_search(st, q, print_hit, &x, &total, &err);
    if (rc == GCA_ENOMEM && !err.code) {
        json_decref(x.arr);
        return oom();
    }
    if (rc < 0) {
        json_decref(x.arr);
        return cli_fail(&err);
    }
    if (!json) {
        printf("%zu of %zu entries\n", x.n, total);
        return EXIT_OK;
    }
    json_t *o = json_pack("{s:I, s:I, s:o}", "total", (json_int_t)total,
                          "offset", (json_int_t)q->offset, "hits", x.arr);
    if (!o)
        return oom();
    rc = cli_print_json(o);
    json_decref(o);
    return rc;
}

/* ====== show, stats ====== */

static int show_entry(const gca_kb_entry *e, void *ctx)
{
    if (*(int *)ctx) {
        json_t *o = entry_json(e);
        if (!o)
            return GCA_ENOMEM;
        int rc = cli_print_json(o);
        json_decref(o);
        return rc ? GCA_EIO : 0;
    }
    char year[8] = "";
    if (e->year)
        snprintf(year, sizeof year, "%d", e->year);
    const char *k[] = {"id", "kind", "subtype", "title", "summary",
                       "pillars", "countries", "region", "year", "status",
                       "url", "source", "retrieved", "note", "origin"};
    const char *v[] = {e->id, e->kind, e->subtype, e->title, e->summary,
                       e->pillars, e->countries, e->region, year, e->status,
                       e->url, e->source, e->retrieved, e->note, e->origin};
    for (size_t i = 0; i < GCA_COUNT(k); i++)
        printf("%-10s %s\n", k[i], cell(v[i]));
    return 0;
}

static int do_show(gca_store *st, const char *id, int json)
{
    gca_err err = {0};
    int rc = gca_kb_get(st, id, show_entry, &json, &err);
    if (rc < 0 && !err.code)
        return rc == GCA_ENOMEM ? oom() : EXIT_INTERNAL;
    return rc < 0 ? cli_fail(&err) : EXIT_OK;
}

static int do_stats(gca_store *st)
{
    gca_err err = {0};
    size_t counts[16] = {0}, total = 0;
    if (gca_kb_counts(st, counts, &err) < 0)
        return cli_fail(&err);
    for (size_t k = 0; gca_kb_kinds[k]; k++) {
        printf("%-18s %zu\n", gca_kb_kinds[k], counts[k]);
        total += counts[k];
    }
    printf("%-18s %zu\n", "total", total);
    return EXIT_OK;
}

/* ====== The command ====== */

static int check_args(const cli_cmd *cmd, const cli_args *a,
                      const char *action, int nargs)
{
    static const char *const filters[] = {"kind", "pillar", "region",
                                          "country", "status", "year", NULL};
    static const char *const page[] = {"limit", "offset", "json", NULL};
    static const char *const exp[] = {"format", "out", NULL};
    static const char *const db[] = {"db", NULL};
    static const char *const as[] = {"as", NULL};
    int rc = 0;
    int is_import = !strcmp(action, "import");
    int is_check = !strcmp(action, "check");
    int is_export = !strcmp(action, "export");
    int is_search = !strcmp(action, "search");
    int is_show = !strcmp(action, "show");
    if (!is_export && !is_search)
        rc = refuse(cmd, a, action, filters);
    if (!rc && !is_export)
        rc = refuse(cmd, a, action, exp);
    if (!rc && !is_search && !is_show)
        rc = refuse(cmd, a, action, page);
    if (!rc && is_show && (cli_get(cmd, a, "limit") ||
                           cli_get(cmd, a, "offset")))
        rc = cli_usage_error(cmd, "show takes no --limit or --offset");
    if (!rc && !is_import)
        rc = refuse(cmd, a, action, as);
    if (!rc && is_check)
        rc = refuse(cmd, a, action, db);
    if (rc)
        return rc;
    if ((is_import || is_check) && nargs < 1)
        return cli_usage_error(cmd, "%s needs at least one FILE", action);
    if ((is_search || is_show) && nargs != 1)
        return cli_usage_error(cmd, "%s needs exactly one %s", action,
                               is_search ? "TEXT (quote it)" : "ID");
    if ((is_export || !strcmp(action, "stats")) && nargs)
        return cli_usage_error(cmd, "%s takes no argument", action);
    return 0;
}

static int run(const cli_cmd *cmd, int argc, char **argv)
{
    cli_args a;
    const char *pos[MAX_POS];
    int npos = 0;
    gca_store *st = NULL;
    gca_kb_query q;

    int rc = cli_parse_mixed(cmd, argc, argv, &a, pos, MAX_POS, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos == 0)
        return cli_usage_error(cmd, "needs an action: " ACTIONS);
    const char *action = pos[0];
    if (strcmp(action, "import") && strcmp(action, "export") &&
        strcmp(action, "search") && strcmp(action, "show") &&
        strcmp(action, "check") && strcmp(action, "stats"))
        return cli_usage_error(cmd, "unknown action '%s' (use " ACTIONS ")",
                               action);
    rc = check_args(cmd, &a, action, npos - 1);
    if (!rc)
        rc = get_query(cmd, &a, &q);
    const char *fmt = cli_get(cmd, &a, "format");
    if (!rc && fmt && strcmp(fmt, "csv") && strcmp(fmt, "json"))
        rc = cli_usage_error(cmd, "--format '%s' is not csv or json", fmt);
    if (rc)
        return rc;
    if (!strcmp(action, "check"))
        return do_check(pos + 1, npos - 1);
    const char *who = NULL;
    if (!strcmp(action, "import")) {
        who = cli_actor_required(cmd, &a);
        if (!who)
            return EXIT_USAGE;
    }
    rc = cli_open_current(cmd, &a, &st);
    if (rc)
        return rc;
    int json = cli_get(cmd, &a, "json") != NULL;
    if (!strcmp(action, "import")) {
        rc = do_import(who, st, pos + 1, npos - 1);
    } else if (!strcmp(action, "search")) {
        q.text = pos[1];
        rc = do_search(st, &q, json);
    } else if (!strcmp(action, "show")) {
        rc = do_show(st, pos[1], json);
    } else if (!strcmp(action, "stats")) {
        rc = do_stats(st);
    } else {
        gca_err err = {0};
        fflush(stdout);
        if (gca_kb_export(st, &q, fmt ? fmt : "csv", cli_get(cmd, &a, "out"),
                          &err) < 0)
            rc = cli_fail(&err);
    }
    gca_store_close(st);
    return rc;
}

const cli_cmd cli_cmd_kb = {
    "kb",
    "The GCA knowledge base: initiatives, legal instruments, "
    "organisations, national CIRTs, standards, norms and rights measures, "
    "each with its source. Import checked CSV or JSON files (all of a file "
    "or nothing; import), write them out (export), search them with "
    "filters (search TEXT), show one entry (show ID), check files without "
    "a database (check) and count entries per kind (stats).",
    "import FILE...|export|search TEXT|show ID|check FILE...|stats "
    "[options]",
    opts,
    run,
};
