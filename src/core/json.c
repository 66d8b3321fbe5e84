/* json.c - JSON helpers (json.h). */
#include <string.h>

#include "core/json.h"
#include "gca/core.h"

#include "core/banned.h"

json_t *gca__json_text(const char *s)
{
    if (!s)
        return json_null();
    json_t *v = json_string(s);
    if (v)
        return v;
    char *ascii = gca_strdup(s);
    if (!ascii)
        return NULL;
    for (char *p = ascii; *p; p++)
        if ((unsigned char)*p >= 0x80)
            *p = '?';
    v = json_string(ascii);
    gca_free(ascii);
    return v;
}
