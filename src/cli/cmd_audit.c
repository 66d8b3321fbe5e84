/* cmd_audit.c - `gca audit ACTION`: verify the audit log's hash chain
 * and show who did what (docs/gca.1, "gca audit"; the chain is specified
 * in docs/audit.md, the library is include/gca/audit.h). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#include "core/banned.h"

static const cli_opt opts[] = {
    {"db", "FILE", "database file (default $GCA_DB, else gca.db)", 0},
    {"as", "NAME", "acting user (default $GCA_USER)", 0},
    {"country", "ISO3", "events about this country (log)", 0},
    {"actor", "NAME", "events by this user (log)", 0},
    {"object", "PREFIX", "events on objects starting with PREFIX (log)", 0},
    {"since", "DATE",
     "events at or after DATE, UTC: 2026-11-23 or 2026-11-23T10:21:00Z "
     "(log)", 0},
    {"json", NULL, "print JSON", 0},
    {NULL, NULL, NULL, 0},
};

#define ACTIONS "verify or log"

/* Print JSON `v` (taking it) and a newline on stdout. */
static int print_json(json_t *v, gca_store *st)
{
    gca_err err = {0};
    char *text = v ? json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER)
                   : NULL;
    int rc;
    json_decref(v);
    if (!text) {
        gca_fail(&err, GCA_ENOMEM, gca_store_path(st), 0, 0,
                 "out of memory");
        return cli_fail(&err);
    }
    rc = cli_write_stdout(text, strlen(text));
    if (rc == 0)
        rc = cli_write_stdout("\n", 1);
    free(text); /* allocated by jansson */
    return rc;
}

/* ====== verify ====== */

static int do_verify(gca_store *st, int as_json)
{
    gca_audit_result r;
    gca_err err = {0};
    memset(&r, 0, sizeof r);
    int rc = gca_audit_verify(st, &r, &err);
    if (rc < 0 && rc != GCA_EDATA)
        return cli_fail(&err);
    if (as_json) {
        json_t *o = json_pack("{s:b, s:I, s:I, s:s}", "intact", rc == 0,
                              "events", (json_int_t)r.events, "head_seq",
                              (json_int_t)r.head_seq, "head_hash",
                              r.head_hash);
        if (o && rc < 0) {
            char msg[1200];
            gca_err_format(&err, msg, sizeof msg);
            if (json_object_set_new(o, "first_bad_seq",
                                    json_integer(r.first_bad_seq)) ||
                json_object_set_new(o, "error", json_string(msg))) {
                json_decref(o);
                o = NULL;
            }
        }
        int out = print_json(o, st);
        if (out)
            return out;
    }
    if (rc < 0)
        return cli_fail(&err); /* the row that breaks the chain */
    if (!as_json)
        printf("audit chain intact: %lld event%s, head %lld %s\n", r.events,
               r.events == 1 ? "" : "s", r.head_seq, r.head_hash);
    return cli_write_stdout("", 0);
}

/* ====== log ====== */

/* Print `s` with control characters as '?': a row changed behind gca's
 * back could otherwise send escape sequences to the terminal. */
static void put_text(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;
         p++)
        putchar(*p < 0x20 || *p == 0x7f ? '?' : *p);
}

static int print_event(const gca_audit_event *ev, void *ctx)
{
    (void)ctx;
    printf("%lld ", ev->seq);
    const char *cols[] = {ev->at, ev->actor, ev->action, ev->object,
                          ev->payload};
    for (size_t i = 0; i < GCA_COUNT(cols); i++) {
        put_text(cols[i]);
        putchar(i + 1 < GCA_COUNT(cols) ? ' ' : '\n');
    }
    return 0;
}

/* Append `ev` to the JSON array `ctx`; GCA_ENOMEM stops the walk. */
static int json_event(const gca_audit_event *ev, void *ctx)
{
    /* The payload is JSON as stored; a tampered one that does not parse
     * is shown as the text it is. */
    json_t *payload = ev->payload ? json_loads(ev->payload, 0, NULL) : NULL;
    if (!payload)
        payload = gca__json_text(ev->payload);
    json_t *o = json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "seq",
                          (json_int_t)ev->seq, "at", gca__json_text(ev->at),
                          "actor", gca__json_text(ev->actor), "action",
                          gca__json_text(ev->action), "object",
                          gca__json_text(ev->object), "payload", payload,
                          "prev_hash", gca__json_text(ev->prev_hash), "hash",
                          gca__json_text(ev->hash));
    if (!o || json_array_append_new(ctx, o) != 0)
        return GCA_ENOMEM;
    return 0;
}

static int do_log(gca_store *st, const gca_audit_filter *f, int as_json)
{
    gca_err err = {0};
    if (!as_json) {
        if (gca_audit_list(st, f, print_event, NULL, &err) < 0)
            return cli_fail(&err);
        return cli_write_stdout("", 0);
    }
    json_t *events = json_array();
    int rc = events ? gca_audit_list(st, f, json_event, events, &err)
                    : GCA_ENOMEM;
    if (rc == GCA_ENOMEM)
        gca_fail(&err, rc, gca_store_path(st), 0, 0, "out of memory");
    if (rc < 0) {
        json_decref(events);
        return cli_fail(&err);
    }
    return print_json(events, st);
}

/* 1 if `s` is a UTC date or time as the log stores them, cut anywhere
 * after the day: 2026-11-23, 2026-11-23T10, ... 2026-11-23T10:21:00Z. */
static int is_since(const char *s)
{
    static const char form[] = "dddd-dd-ddTdd:dd:ddZ";
    size_t n = strlen(s);
    if (n < 10 || n > sizeof form - 1)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (form[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != form[i])
            return 0;
    int month = (s[5] - '0') * 10 + (s[6] - '0');
    int day = (s[8] - '0') * 10 + (s[9] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

static int is_iso3(const char *s)
{
    return strlen(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' &&
           s[1] <= 'Z' && s[2] >= 'A' && s[2] <= 'Z';
}

/* The filter of `log` from the options; EXIT_USAGE when one is bad. */
static int read_filter(const cli_cmd *cmd, const cli_args *a,
                       gca_audit_filter *f)
{
    memset(f, 0, sizeof *f);
    f->actor = cli_get(cmd, a, "actor");
    f->object_prefix = cli_get(cmd, a, "object");
    f->since = cli_get(cmd, a, "since");
    f->country = cli_get(cmd, a, "country");
    if (f->since && !is_since(f->since))
        return cli_usage_error(cmd, "--since '%s' is not a UTC date such as "
                               "2026-11-23 or 2026-11-23T10:21:00Z",
                               f->since);
    if (f->country && !is_iso3(f->country))
        return cli_usage_error(cmd, "--country '%s' is not an ISO 3166 "
                               "alpha-3 code such as FRA",
                               f->country);
    if (f->actor && !*f->actor)
        return cli_usage_error(cmd, "--actor needs a user name");
    return 0;
}

static int run(const cli_cmd *cmd, int argc, char **argv)
{
    const char *pos[1];
    int npos = 0;
    cli_args a;
    gca_audit_filter f;
    gca_store *st = NULL;

    int rc = cli_parse_mixed(cmd, argc, argv, &a, pos, 1, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos == 0)
        return cli_usage_error(cmd, "needs an action: " ACTIONS);
    int verify = !strcmp(pos[0], "verify");
    if (!verify && strcmp(pos[0], "log"))
        return cli_usage_error(cmd, "unknown action '%s' (use " ACTIONS ")",
                               pos[0]);
    static const char *const log_only[] = {"country", "actor", "object",
                                           "since"};
    for (size_t i = 0; verify && i < GCA_COUNT(log_only); i++)
        if (cli_get(cmd, &a, log_only[i]))
            return cli_usage_error(cmd, "option '--%s' does not apply to "
                                   "'verify'", log_only[i]);
    rc = verify ? 0 : read_filter(cmd, &a, &f);
    if (rc)
        return rc;
    const char *as = cli_get(cmd, &a, "as");
    if (as && !*as)
        return cli_usage_error(cmd, "--as needs a user name");

    rc = cli_open_current(cmd, &a, &st);
    if (rc)
        return rc;
    const char *actor = cli_actor(cmd, &a);
    if (actor)
        rc = cli_check_actor(st, actor);
    int as_json = cli_get(cmd, &a, "json") != NULL;
    if (rc == 0)
        rc = verify ? do_verify(st, as_json) : do_log(st, &f, as_json);
    gca_store_close(st);
    return rc;
}

const cli_cmd cli_cmd_audit = {
    "audit",
    "Read the audit log: check its hash chain (verify; exit 2 naming the "
    "first bad event when it is broken) or list who did what, when, on "
    "what (log, one event a line: SEQ AT ACTOR ACTION OBJECT PAYLOAD).",
    "verify|log [options]",
    opts,
    run,
};
