/* cli.c - option parsing, errors and input loading for the subcommands
 * (see cli.h). */
#include "cli.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/fs.h"
#include "gca/sensitivity.h"
#include "core/banned.h"

int cli_verbose;
const char *cli_prog = "gca";

static int find_opt(const cli_cmd *cmd, const char *name, size_t len)
{
    for (int i = 0; cmd->opts[i].name; i++)
        if (strlen(cmd->opts[i].name) == len &&
            !memcmp(cmd->opts[i].name, name, len))
            return i;
    return -1;
}

void cli_print_help(const cli_cmd *cmd, FILE *f)
{
    fprintf(f, "usage: %s %s %s\n\n%s\n\noptions:\n", cli_prog, cmd->name,
            cmd->usage, cmd->summary);
    for (int i = 0; cmd->opts[i].name; i++) {
        const cli_opt *o = &cmd->opts[i];
        char left[64];
        snprintf(left, sizeof left, "--%s%s%s", o->name, o->metavar ? " " : "",
                 o->metavar ? o->metavar : "");
        fprintf(f, "  %-24s %s%s\n", left, o->help,
                o->required ? " (required)" : "");
    }
    fprintf(f, "  %-24s %s\n", "--help", "show this help and exit");
}

int cli_usage_error(const cli_cmd *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s %s: ", cli_prog, cmd->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see '%s %s --help')\n", cli_prog, cmd->name);
    return EXIT_USAGE;
}

int cli_parse(const cli_cmd *cmd, int argc, char **argv, cli_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
            cli_print_help(cmd, stdout);
            return 1;
        }
        if (strncmp(arg, "--", 2) != 0 || !arg[2]) {
            cli_usage_error(cmd, "unexpected argument '%s'", arg);
            return -1;
        }
        const char *name = arg + 2;
        const char *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        int k = find_opt(cmd, name, len);
        if (k < 0) {
            cli_usage_error(cmd, "unknown option '--%.*s'", (int)len, name);
            return -1;
        }
        const cli_opt *o = &cmd->opts[k];
        if (!o->metavar) {
            if (eq) {
                cli_usage_error(cmd, "option '--%s' takes no value", o->name);
                return -1;
            }
            a->values[k] = "";
            continue;
        }
        const char *v = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
        if (!v) {
            cli_usage_error(cmd, "option '--%s' needs a value (%s)", o->name,
                            o->metavar);
            return -1;
        }
        if (a->values[k]) {
            cli_usage_error(cmd, "option '--%s' given twice", o->name);
            return -1;
        }
        a->values[k] = v;
    }
    for (int i = 0; cmd->opts[i].name; i++)
        if (cmd->opts[i].required && !a->values[i]) {
            cli_usage_error(cmd, "missing option '--%s'", cmd->opts[i].name);
            return -1;
        }
    return 0;
}

/* 1 if option argument `arg` takes the next argument as its value. */
static int takes_value(const cli_cmd *cmd, const char *arg)
{
    if (strncmp(arg, "--", 2) != 0 || strchr(arg, '='))
        return 0;
    int k = find_opt(cmd, arg + 2, strlen(arg + 2));
    return k >= 0 && cmd->opts[k].metavar != NULL;
}

int cli_parse_mixed(const cli_cmd *cmd, int argc, char **argv, cli_args *a,
                    const char **pos, int max, int *npos)
{
    char *rest[2 * CLI_MAX_OPTS + 2];
    int nrest = 0;

    *npos = 0;
    for (int i = 0; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1]) {
            /* More options than any command has: cli_parse would refuse
             * a repeated or unknown one anyway. */
            if (nrest + 2 > (int)GCA_COUNT(rest)) {
                cli_usage_error(cmd, "too many arguments");
                return -1;
            }
            rest[nrest++] = argv[i];
            if (takes_value(cmd, argv[i]) && i + 1 < argc)
                rest[nrest++] = argv[++i];
        } else if (*npos == max) {
            /* --help anywhere still wins. */
            for (int k = i + 1; k < argc; k++)
                if (!strcmp(argv[k], "--help") || !strcmp(argv[k], "-h")) {
                    cli_print_help(cmd, stdout);
                    return 1;
                }
            cli_usage_error(cmd, "unexpected argument '%s'", argv[i]);
            return -1;
        } else {
            pos[(*npos)++] = argv[i];
        }
    }
    return cli_parse(cmd, nrest, rest, a);
}

const char *cli_get(const cli_cmd *cmd, const cli_args *a, const char *name)
{
    int k = find_opt(cmd, name, strlen(name));
    return k < 0 ? NULL : a->values[k];
}

int cli_exit_code(int code)
{
    switch (code) {
    case 0:
        return EXIT_OK;
    case GCA_ENOMEM:
    case GCA_EINTERNAL:
        return EXIT_INTERNAL;
    default:
        return EXIT_INPUT;
    }
}

int cli_fail(const gca_err *err)
{
    char msg[1200];
    gca_err_format(err, msg, sizeof msg);
    fprintf(stderr, "%s: %s\n", cli_prog, msg);
    if (cli_verbose && err->origin)
        fprintf(stderr, "%s: (%s, %s)\n", cli_prog, gca_err_name(err->code),
                err->origin);
    return cli_exit_code(err->code);
}

int cli_write_stdout(const char *text, size_t len)
{
    if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
        fprintf(stderr, "%s: cannot write to standard output: %s\n",
                cli_prog, strerror(errno));
        return EXIT_INTERNAL;
    }
    return EXIT_OK;
}

/* ====== The database ====== */

int cli_parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

const char *cli_db_path(const cli_cmd *cmd, const cli_args *a)
{
    const char *p = cli_get(cmd, a, "db");
    if (p)
        return p;
    p = getenv("GCA_DB");
    return p && *p ? p : "gca.db";
}

int cli_open_store(const cli_cmd *cmd, const cli_args *a, gca_store **st)
{
    gca_err err = {0};
    if (gca_store_open(cli_db_path(cmd, a), 0, st, &err) < 0)
        return cli_fail(&err);
    return EXIT_OK;
}

int cli_require_schema(gca_store *st)
{
    struct gca_store_status s;
    gca_err err = {0};
    if (gca_store_status(st, &s, &err) < 0)
        return cli_fail(&err);
    if (s.version > s.latest)
        gca_fail(&err, GCA_ESTATE, gca_store_path(st), 0, 0,
                 "schema version %d is newer than this gca knows (%d); "
                 "use a newer gca",
                 s.version, s.latest);
    else if (s.pending > 0)
        gca_fail(&err, GCA_ESTATE, gca_store_path(st), 0, 0,
                 "schema version %d of %d: run 'gca db migrate' first",
                 s.version, s.latest);
    return err.code ? cli_fail(&err) : EXIT_OK;
}

int cli_open_current(const cli_cmd *cmd, const cli_args *a, gca_store **st)
{
    int rc = cli_open_store(cmd, a, st);
    if (rc == 0 && (rc = cli_require_schema(*st)) != 0) {
        gca_store_close(*st);
        *st = NULL;
    }
    return rc;
}

const char *cli_actor(const cli_cmd *cmd, const cli_args *a)
{
    const char *p = cli_get(cmd, a, "as");
    if (p)
        return p;
    p = getenv("GCA_USER");
    return p && *p ? p : NULL;
}

int cli_check_actor(gca_store *st, const char *actor)
{
    gca_user u;
    gca_err err = {0};
    int rc = gca_user_get(st, actor, &u, &err);
    if (rc == GCA_ENOTFOUND) {
        /* Say which role the name plays; the first error would stick. */
        memset(&err, 0, sizeof err);
        gca_fail(&err, rc, gca_store_path(st), 0, 0,
                 "acting user '%s' does not exist", actor);
    }
    if (rc < 0)
        return cli_fail(&err);
    if (u.disabled) {
        gca_fail(&err, GCA_EPERM, gca_store_path(st), 0, 0,
                 "acting user '%s' is disabled", actor);
        return cli_fail(&err);
    }
    return EXIT_OK;
}

/* ====== Inputs ====== */

const cli_opt cli_build_opts[] = {
    {"data", "FILE", "unit data (COINr iData CSV)", 1},
    {"meta", "FILE", "framework: gca JSON or COINr iMeta CSV", 1},
    {"method", "FILE", "method JSON (default: the framework's, else "
                       "min-max then arithmetic mean)", 0},
    {"out", "DIR", "directory to write (replaced only if gca wrote it)", 1},
    {"format", "csv|json", "file format of the outputs (default csv)", 0},
    {"data-level", "N", "the data give the nodes of level N (e.g. 2 for "
                        "pillar scores)", 0},
    {"exclude", "CODES", "comma-separated indicators or data columns to "
                         "leave out", 0},
    {"time", "T", "use only the rows of panel data with Time T", 0},
    {"compat", "coinr|none", "reproduce COINr's known bugs (default none)",
     0},
    {NULL, NULL, NULL, 0},
};

int cli_build_args(const cli_cmd *cmd, int argc, char **argv, cli_args *a,
                   cli_inputs *in, gca_format *fmt, gca_result **res)
{
    gca_err err = {0};
    memset(in, 0, sizeof *in);
    *res = NULL;
    int rc = cli_parse(cmd, argc, argv, a);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    const char *f = cli_get(cmd, a, "format");
    *fmt = GCA_FORMAT_CSV;
    if (f && !strcmp(f, "json"))
        *fmt = GCA_FORMAT_JSON;
    else if (f && strcmp(f, "csv"))
        return cli_usage_error(cmd, "--format must be csv or json");
    rc = cli_load_inputs(cmd, a, in, NULL, &err);
    if (rc)
        return rc;
    if (gca_build(in->fw, in->ds, in->method, in->flags, res, &err) < 0)
        return cli_fail(&err);
    return EXIT_OK;
}

void cli_inputs_release(cli_inputs *in)
{
    gca_method_free(in->method);
    gca_dataset_free(in->ds);
    gca_framework_free(in->fw);
    memset(in, 0, sizeof *in);
}

int cli_run_sensitivity(const cli_cmd *cmd, const cli_args *a,
                        const cli_inputs *in, const char *spec_path,
                        const gca_sens_opts *o, gca_sens **out, gca_err *err)
{
    const char *mpath = cli_get(cmd, a, "method");
    gca_buf method = GCA_BUF_INIT(GCA_MAX_METHOD_FILE);
    gca_buf spec = GCA_BUF_INIT(GCA_MAX_SPEC_FILE);
    int rc = 0;
    if (mpath)
        rc = gca_file_read(mpath, &method, err);
    else
        gca_buf_puts(&method, gca_method_default_json(in->fw));
    if (rc == 0)
        rc = gca_file_read(spec_path, &spec, err);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", spec_path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    if (rc == 0)
        rc = gca_sens_run(in->fw, in->ds, gca_buf_str(&method), method.len,
                          gca_buf_str(&spec), spec.len, spec_path, dir, o,
                          out, err);
    gca_buf_release(&method);
    gca_buf_release(&spec);
    return rc;
}

/* Split "A,B,C" into at most `max` codes in `buf`; returns the count or
 * -1 when there are too many or one is empty. */
static int split_codes(const char *list, char *buf, size_t size,
                       const char **codes, int max)
{
    size_t n = strlen(list);
    if (n >= size)
        return -1;
    memcpy(buf, list, n + 1);
    int k = 0;
    char *p = buf;
    for (;;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        if (!*p || k == max)
            return -1;
        codes[k++] = p;
        if (!comma)
            break;
        p = comma + 1;
    }
    return k;
}

static int apply_exclude(const cli_cmd *cmd, const char *list,
                         cli_inputs *in, gca_err *err)
{
    char buf[4096];
    const char *codes[256];
    const char *fw_codes[256];
    int nfw = 0;
    int n = split_codes(list, buf, sizeof buf, codes, 256);
    if (n < 0)
        return cli_usage_error(cmd, "--exclude needs a comma-separated list "
                               "of codes (at most 256, none empty)");
    for (int i = 0; i < n; i++) {
        const gca_node *nd = gca_framework_node(in->fw, codes[i]);
        int col = gca_dataset_find_col(in->ds, codes[i]);
        if (nd && nd->type == GCA_NODE_INDICATOR)
            fw_codes[nfw++] = codes[i];
        else if (!nd && col < 0)
            return cli_usage_error(cmd, "--exclude: '%s' is neither an "
                                   "indicator nor a data column", codes[i]);
        else if (nd)
            return cli_usage_error(cmd, "--exclude: '%s' is an aggregate; "
                                   "exclude its indicators instead", codes[i]);
        if (col >= 0 && gca_dataset_exclude(in->ds, codes[i], err) < 0)
            return cli_fail(err);
    }
    if (nfw) {
        gca_framework *cut = NULL;
        if (gca_framework_exclude(in->fw, fw_codes, (size_t)nfw, &cut, err) <
            0)
            return cli_fail(err);
        gca_framework_free(in->fw);
        in->fw = cut;
    }
    return 0;
}

static int report_all(gca_errlist *all, const gca_err *err)
{
    if (!all || all->n == 0)
        return cli_fail(err);
    int code = EXIT_OK;
    for (size_t i = 0; i < all->n; i++)
        code = cli_fail(&all->v[i]);
    return code;
}

int cli_load_inputs(const cli_cmd *cmd, const cli_args *a, cli_inputs *in,
                    gca_errlist *all, gca_err *err)
{
    const char *meta = cli_get(cmd, a, "meta");
    const char *data = cli_get(cmd, a, "data");
    const char *method = cli_get(cmd, a, "method");
    const char *level = cli_get(cmd, a, "data-level");
    const char *exclude = cli_get(cmd, a, "exclude");
    const char *time = cli_get(cmd, a, "time");
    const char *compat = cli_get(cmd, a, "compat");
    int rc;

    memset(in, 0, sizeof *in);
    if (compat) {
        if (!strcmp(compat, "coinr"))
            in->flags |= GCA_BUILD_COMPAT_COINR;
        else if (strcmp(compat, "none"))
            return cli_usage_error(cmd, "--compat must be 'coinr' or 'none'");
    }
    if (gca_framework_load(meta, &in->fw, all, err) < 0)
        return report_all(all, err);
    if (level) {
        char *end;
        errno = 0;
        long lev = strtol(level, &end, 10);
        if (*end || errno || lev < 1 || lev > gca_framework_nlevels(in->fw))
            return cli_usage_error(cmd, "--data-level must be a level of the "
                                   "framework, 1 to %d",
                                   gca_framework_nlevels(in->fw));
        if (lev > 1) {
            gca_framework *cut = NULL;
            if (gca_framework_cut(in->fw, (int)lev, &cut, err) < 0)
                return cli_fail(err);
            gca_framework_free(in->fw);
            in->fw = cut;
        }
    }
    if (data) {
        if (gca_dataset_read_csv(data, &in->ds, err) < 0)
            return cli_fail(err);
        if (exclude) {
            rc = apply_exclude(cmd, exclude, in, err);
            if (rc)
                return rc;
        }
        if (gca_dataset_bind(in->ds, in->fw, time, all, err) < 0)
            return report_all(all, err);
    } else if (exclude || time) {
        return cli_usage_error(cmd, "--exclude and --time need --data");
    }
    if (method)
        rc = gca_method_load(method, &in->method, err);
    else
        rc = gca_method_default(in->fw, &in->method, err);
    if (rc < 0)
        return cli_fail(err);
    return 0;
}

/* ====== Database, acting user, actions ====== */

const char *cli_actor_required(const cli_cmd *cmd, const cli_args *a)
{
    const char *p = cli_actor(cmd, a);
    if (!p)
        cli_usage_error(cmd, "needs the acting user: --as NAME or $GCA_USER");
    return p;
}

int cli_print_json(const json_t *json)
{
    char *text = json_dumps(json,
                            JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!text) {
        fprintf(stderr, "%s: out of memory\n", cli_prog);
        return EXIT_INTERNAL;
    }
    size_t len = strlen(text);
    int rc = cli_write_stdout(text, len);
    if (rc == EXIT_OK)
        rc = cli_write_stdout("\n", 1);
    free(text);
    return rc;
}
