/* json.h - JSON helpers shared by the library and its front ends. */
#ifndef GCA_CORE_JSON_H
#define GCA_CORE_JSON_H

#include <jansson.h>

/* A new JSON string of `s` (JSON null for NULL). Text read back from a
 * database changed behind gca's back may not be UTF-8, which JSON
 * cannot hold: such bytes become '?'. NULL only when out of memory. */
json_t *gca__json_text(const char *s);

#endif
