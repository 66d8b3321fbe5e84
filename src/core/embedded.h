/* embedded.h - files built into the library (cmake/embed.cmake): the
 * shipped frameworks, country list, published results and the store's
 * SQL migrations, so that one binary carries its default data. */
#ifndef GCA_CORE_EMBEDDED_H
#define GCA_CORE_EMBEDDED_H

#include <stddef.h>

typedef struct gca__blob {
    const char *name; /* path in the source tree: "data/frameworks/gci.json" */
    const char *data; /* its bytes, followed by a NUL */
    size_t len;
} gca__blob;

/* In path order; the table ends with a NULL name. */
extern const gca__blob gca__embedded_files[];
extern const size_t gca__embedded_nfiles;

/* The file of that path, or NULL. */
const gca__blob *gca__embedded(const char *name);

#endif
