/* cli.h - what the subcommands share: option tables and parsing, exit
 * codes, error printing, and loading the inputs of a build. The option
 * tables are also what `--help` prints; docs/gca.1 documents the same
 * options (tests/cases check that the two agree). */
#ifndef GCA_CLI_H
#define GCA_CLI_H

#include <stdio.h>

#include <jansson.h>

#include "core/json.h"
#include "gca.h"

/* Exit codes (docs/gca.1, EXIT STATUS). */
enum cli_exit {
    EXIT_OK = 0,
    EXIT_USAGE = 1,    /* bad command line */
    EXIT_INPUT = 2,    /* bad input file, method or data */
    EXIT_INTERNAL = 3  /* out of memory, bug */
};

typedef struct cli_opt {
    const char *name;    /* long name without dashes: "data" */
    const char *metavar; /* NULL for a flag */
    const char *help;
    int required;
} cli_opt;

typedef struct cli_cmd {
    const char *name;
    const char *summary;
    const char *usage;   /* after "gca NAME " */
    const cli_opt *opts; /* terminated by a {NULL} entry */
    int (*run)(const struct cli_cmd *cmd, int argc, char **argv);
} cli_cmd;

#define CLI_MAX_OPTS 32

/* Parsed options: values[i] belongs to cmd->opts[i]; NULL = not given
 * ("" for a flag that was given). */
typedef struct cli_args {
    const char *values[CLI_MAX_OPTS];
} cli_args;

extern int cli_verbose;
extern const char *cli_prog;

/* Parse argv (after the command name) against cmd->opts. Prints the help
 * and returns 1 for --help; prints an error and returns -1 for a bad
 * command line; 0 otherwise. */
int cli_parse(const cli_cmd *cmd, int argc, char **argv, cli_args *a);
/* cli_parse for commands whose positional arguments (an action, a name)
 * may come before, between or after the options: the positionals, at
 * most `max`, go to pos[] (borrowed from argv) and their count to *npos.
 * Returns as cli_parse does. */
int cli_parse_mixed(const cli_cmd *cmd, int argc, char **argv, cli_args *a,
                    const char **pos, int max, int *npos);
/* `s` as a whole number in [min, max] into *out: 0, or -1 when it is
 * empty, not a number, out of range or followed by anything. */
int cli_parse_long(const char *s, long min, long max, long *out);
/* Value of option `name`, NULL if not given. */
const char *cli_get(const cli_cmd *cmd, const cli_args *a, const char *name);
void cli_print_help(const cli_cmd *cmd, FILE *f);

/* Print "gca: <error>" (and its origin with --verbose) and return the exit
 * code that fits the error class. */
int cli_fail(const gca_err *err);
/* Print "gca CMD: <message>" and return EXIT_USAGE. */
int cli_usage_error(const cli_cmd *cmd, const char *fmt, ...)
    GCA_PRINTF(2, 3);
int cli_exit_code(int gca_code);

/* The inputs of a build as named on the command line. */
typedef struct cli_inputs {
    gca_framework *fw;      /* as loaded, then cut/excluded */
    gca_dataset *ds;        /* bound to fw */
    gca_method *method;
    unsigned flags;
} cli_inputs;

/* Load --meta, --data, --method with --data-level, --exclude, --time and
 * --compat applied. On failure prints the error and returns the exit
 * code; 0 on success. `all` (may be NULL) collects every problem. */
int cli_load_inputs(const cli_cmd *cmd, const cli_args *a, cli_inputs *in,
                    gca_errlist *all, gca_err *err);
void cli_inputs_release(cli_inputs *in);
/* gca_sens_run on the loaded inputs: the method of --method (else the
 * framework's default), the spec at `spec_path` (files it names are found
 * beside it) and options `o`. Returns 0 or a negative GCA_E* in *err. */
struct gca_sens;
struct gca_sens_opts;
int cli_run_sensitivity(const cli_cmd *cmd, const cli_args *a,
                        const cli_inputs *in, const char *spec_path,
                        const struct gca_sens_opts *o, struct gca_sens **out,
                        gca_err *err);
/* The options of the commands that build and write a directory (gca
 * build, gca analyse): the inputs above, --out DIR and --format. */
extern const cli_opt cli_build_opts[];
/* For those commands: parse argv into *a, read --format into *fmt, load
 * the inputs into *in and build them into *res. Returns EXIT_OK with
 * *res set, or an exit code with *res NULL (after --help, or after
 * printing the error). Release *in and free *res in either case. */
int cli_build_args(const cli_cmd *cmd, int argc, char **argv, cli_args *a,
                   cli_inputs *in, gca_format *fmt, gca_result **res);

/* ====== The database ====== */

/* The database to use: --db, else $GCA_DB, else gca.db. */
const char *cli_db_path(const cli_cmd *cmd, const cli_args *a);
/* Open the existing database named by --db (never creates one). Returns
 * 0 and *st (close with gca_store_close), or prints the error and
 * returns its exit code. */
int cli_open_store(const cli_cmd *cmd, const cli_args *a, gca_store **st);
/* Refuse a database whose schema is not the one this gca writes (older:
 * run `gca db migrate`; newer: upgrade gca). Prints the error and returns
 * its exit code; 0 when the schema is current. */
int cli_require_schema(gca_store *st);
/* cli_open_store, then cli_require_schema; *st is NULL on failure. */
int cli_open_current(const cli_cmd *cmd, const cli_args *a, gca_store **st);
/* The acting user: --as, else $GCA_USER; NULL when neither is given. */
const char *cli_actor(const cli_cmd *cmd, const cli_args *a);
/* For commands that only read: a named actor must exist and be enabled,
 * as for a change. Prints the error and returns its exit code, or 0. */
int cli_check_actor(gca_store *st, const char *actor);

/* cli_actor for changes: NULL after a usage message when neither is
 * given. */
const char *cli_actor_required(const cli_cmd *cmd, const cli_args *a);
/* Print `json` (a JSON value, borrowed) indented on stdout. */
int cli_print_json(const json_t *json);

/* Write `len` bytes to stdout; EXIT_INTERNAL when that fails. */
int cli_write_stdout(const char *text, size_t len);

/* The commands (cmd_*.c). */
extern const cli_cmd cli_cmd_build;
extern const cli_cmd cli_cmd_validate;
extern const cli_cmd cli_cmd_results;
extern const cli_cmd cli_cmd_analyse;
extern const cli_cmd cli_cmd_framework;
extern const cli_cmd cli_cmd_db;
extern const cli_cmd cli_cmd_user;
extern const cli_cmd cli_cmd_audit;
extern const cli_cmd cli_cmd_score;
extern const cli_cmd cli_cmd_export;
extern const cli_cmd cli_cmd_diff;
extern const cli_cmd cli_cmd_edition;
extern const cli_cmd cli_cmd_answer;
extern const cli_cmd cli_cmd_evidence;
extern const cli_cmd cli_cmd_norms;
extern const cli_cmd cli_cmd_key;
extern const cli_cmd cli_cmd_sign;
extern const cli_cmd cli_cmd_verify;
extern const cli_cmd cli_cmd_rights;
extern const cli_cmd cli_cmd_country;
extern const cli_cmd cli_cmd_rankings;
extern const cli_cmd cli_cmd_cirt;
extern const cli_cmd cli_cmd_kb;
extern const cli_cmd cli_cmd_serve;
extern const cli_cmd cli_cmd_sensitivity;

/* Print on stderr the rights warnings of `edition` (gca rights check),
 * for `gca score`; never fails the caller. Returns how many. */
int cli_rights_warn(gca_store *st, const char *edition);

#endif
