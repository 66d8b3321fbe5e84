/* consumer.c - a program outside the tree, built against an installed
 * libgca through pkg-config: loads a framework and prints its shape. */
#include <stdio.h>

#include <gca.h>

int main(int argc, char **argv)
{
    gca_framework *fw = NULL;
    gca_err err = {0};
    if (argc != 2) {
        fprintf(stderr, "usage: consumer FRAMEWORK\n");
        return 1;
    }
    if (gca_framework_load(argv[1], &fw, NULL, &err) < 0) {
        fprintf(stderr, "%s:%d:%d: %s\n", err.source, err.line, err.col,
                err.msg);
        return 2;
    }
    printf("%s %s %d levels %zu nodes\n", gca_version(),
           gca_framework_code(fw), gca_framework_nlevels(fw),
           gca_framework_nnodes(fw));
    gca_framework_free(fw);
    return 0;
}
