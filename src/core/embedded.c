/* embedded.c - lookup in the table of built-in files (embedded.h). */
#include "core/embedded.h"

#include <string.h>

#include "core/banned.h"

const gca__blob *gca__embedded(const char *name)
{
    for (size_t i = 0; i < gca__embedded_nfiles; i++)
        if (!strcmp(gca__embedded_files[i].name, name))
            return &gca__embedded_files[i];
    return NULL;
}
