/* framework_json.c - TEMPORARY scaffold, replaced by the JSON reader. */
#include "model/framework.h"

int gca__framework_parse_json(const char *data, size_t len,
                              const char *source, gca_framework **out,
                              gca_err *err)
{
    (void)data; (void)len; (void)out;
    return gca_fail(err, GCA_ENOTSUP, source, 0, 0, "not built yet");
}
