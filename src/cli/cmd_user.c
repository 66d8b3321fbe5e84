/* cmd_user.c - `gca user ACTION`: add users, set passwords, list and
 * disable them (docs/gca.1, "gca user"; the library is
 * include/gca/users.h). Whoever can write the database file is trusted,
 * so --as names the actor without a password: it makes the role rules
 * and the audit log (docs/audit.md) hold, it is not a login. */
#include <jansson.h>
#include <sodium.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#include "core/banned.h"

static const cli_opt opts[] = {
    {"db", "FILE", "database file (default $GCA_DB, else gca.db)", 0},
    {"as", "NAME", "acting user (default $GCA_USER)", 0},
    {"role", "ROLE", "admin, analyst, focal or viewer (add)", 0},
    {"country", "ISO3", "country of a focal point (add)", 0},
    {"password-file", "FILE",
     "read the password from the first line of FILE, - for standard "
     "input (add, passwd)", 0},
    {"json", NULL, "print JSON (list)", 0},
    {NULL, NULL, NULL, 0},
};

#define ACTIONS "add, passwd, list or disable"

/* ====== Password files ====== */

/* Room for the longest password, a '\r' before the '\n', one byte too
 * many (to tell "too long"), and the NUL. */
#define PW_BUF (GCA_PASSWORD_MAX + 3)

/* Read the first line of `path` ("-" = standard input) without its line
 * end into pw[PW_BUF]. The limits are checked here, so that the error
 * names the file rather than the database. */
static int read_password(const char *path, char *pw, gca_err *err)
{
    const char *name = strcmp(path, "-") ? path : "standard input";
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    size_t n = 0;
    int c = 0, rc = 0;

    if (!f)
        return gca_fail(err, GCA_EIO, name, 0, 0, "cannot open: %s",
                        strerror(errno));
    while (n < PW_BUF - 1) {
        c = getc(f);
        if (c == EOF || c == '\n')
            break;
        if (c == '\0') {
            rc = gca_fail(err, GCA_EINVAL, name, 1, 0,
                          "password contains a NUL byte");
            break;
        }
        pw[n++] = (char)c;
    }
    if (rc == 0 && c == EOF && ferror(f))
        rc = gca_fail(err, GCA_EIO, name, 0, 0, "cannot read: %s",
                      strerror(errno));
    /* A file written on Windows ends its line with \r\n. */
    if (n > 0 && n < PW_BUF - 1 && pw[n - 1] == '\r')
        n--;
    pw[n] = '\0';
    if (rc == 0 && n == 0)
        rc = gca_fail(err, GCA_EINVAL, name, 1, 0,
                      c == EOF ? "password file is empty"
                               : "first line (the password) is empty");
    else if (rc == 0 && n > GCA_PASSWORD_MAX)
        rc = gca_fail(err, GCA_ETOOBIG, name, 1, 0,
                      "password is longer than %d bytes", GCA_PASSWORD_MAX);
    else if (rc == 0 && n < GCA_PASSWORD_MIN)
        rc = gca_fail(err, GCA_EINVAL, name, 1, 0,
                      "password is shorter than %d bytes", GCA_PASSWORD_MIN);
    if (f != stdin)
        fclose(f);
    if (rc < 0)
        sodium_memzero(pw, PW_BUF);
    return rc;
}

/* ====== Actions ====== */

static int do_add(gca_store *st, const char *actor, const char *name,
                  const char *role, const char *country, const char *pw)
{
    gca_err err = {0};
    if (gca_user_add(st, actor, name, role, country, pw, &err) < 0)
        return cli_fail(&err);
    printf("added user '%s' (%s%s%s%s), %s\n", name, role,
           country ? " of " : "", country ? country : "",
           actor ? "" : ", the first user", pw ? "password set"
                                              : "no password yet");
    return EXIT_OK;
}

static int do_passwd(gca_store *st, const char *actor, const char *name,
                     const char *pw)
{
    gca_err err = {0};
    if (gca_user_passwd(st, actor, name, pw, &err) < 0)
        return cli_fail(&err);
    printf("password of '%s' changed\n", name);
    return EXIT_OK;
}

static int do_disable(gca_store *st, const char *actor, const char *name)
{
    gca_err err = {0};
    if (gca_user_disable(st, actor, name, &err) < 0)
        return cli_fail(&err);
    printf("user '%s' disabled\n", name);
    return EXIT_OK;
}

static const char *yes_no(int v)
{
    return v ? "yes" : "no";
}

static int print_user(const gca_user *u, void *ctx)
{
    (void)ctx;
    printf("%-20s %-8s %-7s %-8s %-8s %s\n", u->name, u->role,
           u->country[0] ? u->country : "-", yes_no(u->disabled),
           yes_no(u->has_password), u->created_at);
    return 0;
}

/* Append `u` to the JSON array `ctx`; GCA_ENOMEM stops the walk. */
static int json_user(const gca_user *u, void *ctx)
{
    json_t *o = json_pack("{s:o, s:o, s:o, s:b, s:b, s:o}", "name",
                          gca__json_text(u->name), "role",
                          gca__json_text(u->role), "country",
                          gca__json_text(u->country[0] ? u->country : NULL),
                          "disabled", u->disabled, "has_password",
                          u->has_password, "created_at",
                          gca__json_text(u->created_at));
    if (!o || json_array_append_new(ctx, o) != 0)
        return GCA_ENOMEM;
    return 0;
}

static int do_list(gca_store *st, int as_json)
{
    gca_err err = {0};
    if (!as_json) {
        printf("%-20s %-8s %-7s %-8s %-8s %s\n", "name", "role", "country",
               "disabled", "password", "created");
        if (gca_user_list(st, print_user, NULL, &err) < 0)
            return cli_fail(&err);
        return cli_write_stdout("", 0); /* flushes, reports failure */
    }
    json_t *users = json_array();
    char *text = NULL;
    int rc = users ? gca_user_list(st, json_user, users, &err) : GCA_ENOMEM;
    if (rc == 0)
        text = json_dumps(users, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (rc == GCA_ENOMEM || (rc == 0 && !text))
        rc = gca_fail(&err, GCA_ENOMEM, gca_store_path(st), 0, 0,
                      "out of memory");
    if (rc < 0) {
        rc = cli_fail(&err);
    } else {
        rc = cli_write_stdout(text, strlen(text));
        if (rc == 0)
            rc = cli_write_stdout("\n", 1);
    }
    free(text); /* allocated by jansson */
    json_decref(users);
    return rc;
}

/* ====== Command line ====== */

/* Which options each action takes besides --db and --as. */
static int check_options(const cli_cmd *cmd, const cli_args *a,
                         const char *action)
{
    static const struct {
        const char *opt, *actions;
    } only[] = {
        {"role", " add "},
        {"country", " add "},
        {"password-file", " add passwd "},
        {"json", " list "},
    };
    char key[16];
    snprintf(key, sizeof key, " %s ", action);
    for (size_t i = 0; i < GCA_COUNT(only); i++)
        if (cli_get(cmd, a, only[i].opt) && !strstr(only[i].actions, key))
            return cli_usage_error(cmd, "option '--%s' does not apply to "
                                   "'%s'", only[i].opt, action);
    if (!strcmp(action, "add") && !cli_get(cmd, a, "role"))
        return cli_usage_error(cmd, "add needs --role (admin, analyst, "
                               "focal or viewer)");
    if (!strcmp(action, "passwd") && !cli_get(cmd, a, "password-file"))
        return cli_usage_error(cmd, "passwd needs --password-file FILE");
    return 0;
}

static int run_action(const cli_cmd *cmd, const cli_args *a,
                      const char *action, const char *name, const char *pw)
{
    const char *actor = cli_actor(cmd, a);
    gca_store *st = NULL;
    int rc = cli_open_current(cmd, a, &st);
    if (rc)
        return rc;
    if (actor && !strcmp(action, "list"))
        rc = cli_check_actor(st, actor);
    if (rc == 0) {
        if (!strcmp(action, "add"))
            rc = do_add(st, actor, name, cli_get(cmd, a, "role"),
                        cli_get(cmd, a, "country"), pw);
        else if (!strcmp(action, "passwd"))
            rc = do_passwd(st, actor, name, pw);
        else if (!strcmp(action, "disable"))
            rc = do_disable(st, actor, name);
        else
            rc = do_list(st, cli_get(cmd, a, "json") != NULL);
    }
    gca_store_close(st);
    return rc;
}

static int run(const cli_cmd *cmd, int argc, char **argv)
{
    const char *pos[2];
    int npos = 0;
    cli_args a;
    char pw[PW_BUF];
    gca_err err = {0};

    int rc = cli_parse_mixed(cmd, argc, argv, &a, pos, 2, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos == 0)
        return cli_usage_error(cmd, "needs an action: " ACTIONS);
    const char *action = pos[0];
    int list = !strcmp(action, "list");
    if (!list && strcmp(action, "add") && strcmp(action, "passwd") &&
        strcmp(action, "disable"))
        return cli_usage_error(cmd, "unknown action '%s' (use " ACTIONS ")",
                               action);
    if (list && npos > 1)
        return cli_usage_error(cmd, "unexpected argument '%s'", pos[1]);
    if (!list && npos < 2)
        return cli_usage_error(cmd, "%s needs the user NAME", action);
    rc = check_options(cmd, &a, action);
    if (rc)
        return rc;
    const char *as = cli_get(cmd, &a, "as");
    if (as && !*as)
        return cli_usage_error(cmd, "--as needs a user name");
    /* Only the bootstrap add has nobody to act. */
    if (!list && strcmp(action, "add") && !cli_actor(cmd, &a))
        return cli_usage_error(cmd, "%s needs the acting user: --as NAME "
                               "or $GCA_USER", action);

    const char *pwfile = cli_get(cmd, &a, "password-file");
    if (pwfile && read_password(pwfile, pw, &err) < 0)
        return cli_fail(&err);
    rc = run_action(cmd, &a, action, npos > 1 ? pos[1] : NULL,
                    pwfile ? pw : NULL);
    sodium_memzero(pw, sizeof pw);
    return rc;
}

const cli_cmd cli_cmd_user = {
    "user",
    "Manage the people who act on the database: add one with a role "
    "(add NAME --role ROLE; the first user must be an admin and needs no "
    "--as), set a password (passwd NAME --password-file FILE), list them "
    "(list), disable one (disable NAME). Changes need --as NAME (or "
    "$GCA_USER): it names who acts, for the role rules and the audit log; "
    "it asks no password, since whoever can write the database is "
    "trusted.",
    "add|passwd|list|disable [NAME] [options]",
    opts,
    run,
};
