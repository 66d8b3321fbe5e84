/* main.c - the gca command: dispatch to subcommands (cmd_*.c). */
#include <stdio.h>
#include <string.h>

#include "gca.h"

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--version")) {
        printf("gca %s\n", gca_version());
        return 0;
    }
    fprintf(stderr, "usage: gca <command>\n");
    return 1;
}
