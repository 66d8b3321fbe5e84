/* params.c - reading a step's parameters from its JSON object, with
 * errors that name the step and the parameter (see step.h). */
#include <math.h>
#include <string.h>

#include "pipeline/step.h"
#include "core/banned.h"

int gca__name_index(const char *name, const char *const *names)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

int gca__params_only(const json_t *obj, const char *const *allowed,
                     const char *where, gca_err *err)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        (void)v;
        if (gca__name_index(key, allowed) < 0) {
            char list[512];
            size_t n = 0;
            list[0] = '\0';
            for (int i = 0; allowed[i] && n < sizeof list - 64; i++) {
                size_t k = strlen(allowed[i]);
                if (n + k + 3 >= sizeof list)
                    break;
                if (n) {
                    memcpy(list + n, ", ", 2);
                    n += 2;
                }
                memcpy(list + n, allowed[i], k);
                n += k;
                list[n] = '\0';
            }
            return gca__method_fail(err, where,
                                    "unknown parameter '%.60s' (known: %s)",
                                    key, list);
        }
    }
    return 0;
}

int gca__param_number(const json_t *obj, const char *key, double *out,
                      const char *where, gca_err *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return 0;
    if (json_is_null(v)) {
        *out = NAN;
        return 0;
    }
    if (!json_is_number(v))
        return gca__method_fail(err, where, "parameter '%s' must be a number",
                                key);
    *out = json_number_value(v);
    return 0;
}

int gca__param_numbers(const json_t *obj, const char *key, size_t n,
                       double *out, const char *where, gca_err *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return 0;
    if (!json_is_array(v) || json_array_size(v) != n)
        return gca__method_fail(err, where,
                                "parameter '%s' must be an array of %zu "
                                "numbers", key, n);
    for (size_t i = 0; i < n; i++) {
        json_t *x = json_array_get(v, i);
        if (!json_is_number(x))
            return gca__method_fail(err, where,
                                    "parameter '%s' must be an array of %zu "
                                    "numbers", key, n);
        out[i] = json_number_value(x);
    }
    return 0;
}

int gca__param_bool(const json_t *obj, const char *key, int *out,
                    const char *where, gca_err *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return 0;
    if (!json_is_boolean(v))
        return gca__method_fail(err, where,
                                "parameter '%s' must be true or false", key);
    *out = json_is_true(v);
    return 0;
}

int gca__param_string(const json_t *obj, const char *key, gca_arena *arena,
                      const char **out, const char *where, gca_err *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return 0;
    if (!json_is_string(v))
        return gca__method_fail(err, where, "parameter '%s' must be a string",
                                key);
    const char *s = gca_arena_strdup(arena, json_string_value(v));
    if (!s)
        return gca_fail(err, GCA_ENOMEM, where, 0, 0, "out of memory");
    *out = s;
    return 0;
}
