/* main.c - the gca command: global options, then one subcommand
 * (cmd_*.c). Usage and exit codes: docs/gca.1. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const cli_cmd *const commands[] = {
    &cli_cmd_build,
    &cli_cmd_results,
    &cli_cmd_analyse,
    &cli_cmd_validate,
    &cli_cmd_framework,
    &cli_cmd_db,
    &cli_cmd_edition,
    &cli_cmd_answer,
    &cli_cmd_user,
    &cli_cmd_audit,
    &cli_cmd_score,
    &cli_cmd_export,
    &cli_cmd_diff,
    &cli_cmd_evidence,
    &cli_cmd_norms,
    &cli_cmd_key,
    &cli_cmd_sign,
    &cli_cmd_verify,
    &cli_cmd_rights,
    &cli_cmd_country,
    &cli_cmd_rankings,
    &cli_cmd_cirt,
    &cli_cmd_kb,
    &cli_cmd_serve,
    &cli_cmd_sensitivity,
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: gca [--verbose] <command> [options]\n"
            "       gca <command> --help\n"
            "       gca --version\n\n"
            "gca builds composite indices the way COINr does, openly and\n"
            "reproducibly.\n\n"
            "commands:\n");
    for (size_t i = 0; i < GCA_COUNT(commands); i++)
        fprintf(f, "  %-10s %s\n", commands[i]->name,
                commands[i]->usage);
    fprintf(f, "\nexit status: 0 ok, 1 usage error, 2 bad input, "
               "3 internal error\n");
}

int main(int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--verbose") || !strcmp(argv[i], "-v")) {
            cli_verbose = 1;
        } else if (!strcmp(argv[i], "--version")) {
            printf("gca %s\n", gca_version());
            return EXIT_OK;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return EXIT_OK;
        } else {
            fprintf(stderr, "gca: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[i];
    if (!strcmp(name, "help")) {
        if (i + 1 >= argc) {
            usage(stdout);
            return EXIT_OK;
        }
        name = argv[i + 1];
        for (size_t k = 0; k < GCA_COUNT(commands); k++)
            if (!strcmp(commands[k]->name, name)) {
                cli_print_help(commands[k], stdout);
                return EXIT_OK;
            }
        fprintf(stderr, "gca: no command '%s'\n", name);
        return EXIT_USAGE;
    }
    for (size_t k = 0; k < GCA_COUNT(commands); k++)
        if (!strcmp(commands[k]->name, name))
            return commands[k]->run(commands[k], argc - i - 1, argv + i + 1);
    fprintf(stderr, "gca: no command '%s'\n", name);
    usage(stderr);
    return EXIT_USAGE;
}
