/* method.c - read a method file: {"steps": [{"step": "impute", ...}],
 * "ties": "min"|"dense", "compat": "coinr"}. Each step's parameters are
 * read by the step itself (its ops->parse). Format: docs/method.md. */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/fs.h"
#include "pipeline/method.h"
#include "core/banned.h"

static const gca__step_ops *const all_steps[] = {
    &gca__step_denominate, &gca__step_impute,    &gca__step_screen,
    &gca__step_treat,      &gca__step_normalise, &gca__step_aggregate,
};

/* COINr's function names (Denominate, Impute, ...) and the American
 * spelling are accepted too, so that users can copy names from R. */
static const gca__step_ops *find_step(const char *name)
{
    char low[32];
    size_t n = strlen(name);
    if (n >= sizeof low)
        return NULL;
    for (size_t i = 0; i <= n; i++)
        low[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32
                                                         : name[i]);
    if (!strcmp(low, "normalize"))
        return &gca__step_normalise;
    for (size_t i = 0; i < GCA_COUNT(all_steps); i++)
        if (!strcmp(low, all_steps[i]->name))
            return all_steps[i];
    return NULL;
}

static int parse_compat(const json_t *v, int *out, const char *where,
                        gca_err *err)
{
    if (!v)
        return 0;
    const char *s = json_string_value(v);
    if (s && !strcmp(s, "coinr"))
        *out = 1;
    else if (s && !strcmp(s, "none"))
        *out = 0;
    else
        return gca__method_fail(err, where,
                                "'compat' must be \"coinr\" or \"none\"");
    return 0;
}

static int parse_step(gca_method *m, size_t i, const json_t *obj,
                      gca_err *err)
{
    gca__step *st = &m->steps[i];
    char where[160];
    snprintf(where, sizeof where, "%s: step %zu", m->source, i + 1);
    if (!json_is_object(obj))
        return gca__method_fail(err, where, "a step must be an object");
    const char *name = json_string_value(json_object_get(obj, "step"));
    if (!name)
        return gca__method_fail(err, where,
                                "no \"step\" name (one of denominate, impute, "
                                "screen, treat, normalise, aggregate)");
    st->ops = find_step(name);
    if (!st->ops)
        return gca__method_fail(err, where,
                                "unknown step '%.60s' (known: denominate, "
                                "impute, screen, treat, normalise, aggregate)",
                                name);
    snprintf(st->where, sizeof st->where, "%s: step %zu (%s)", m->source,
             i + 1, st->ops->name);
    st->compat_coinr = m->compat_coinr;
    int rc = parse_compat(json_object_get(obj, "compat"), &st->compat_coinr,
                          st->where, err);
    if (rc < 0)
        return rc;
    json_t *params = json_object();
    if (!params)
        return gca_fail(err, GCA_ENOMEM, st->where, 0, 0, "out of memory");
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        if (!strcmp(key, "step") || !strcmp(key, "compat") ||
            !strcmp(key, "comment"))
            continue;
        if (json_object_set(params, key, v) < 0) {
            json_decref(params);
            return gca_fail(err, GCA_ENOMEM, st->where, 0, 0,
                            "out of memory");
        }
    }
    st->spec = gca_arena_alloc(&m->arena, st->ops->spec_size);
    if (!st->spec)
        rc = gca_fail(err, GCA_ENOMEM, st->where, 0, 0, "out of memory");
    else
        rc = st->ops->parse(params, st->spec, &m->arena, st->where, err);
    json_decref(params);
    return rc;
}

static int parse_method(gca_method *m, const json_t *root, gca_err *err)
{
    const char *src = m->source;
    static const char *const top_keys[] = {"steps", "ties", "compat", "name",
                                           "description", "comment", NULL};
    if (!json_is_object(root))
        return gca__method_fail(err, src, "a method must be a JSON object");
    int rc = gca__params_only(root, top_keys, src, err);
    if (rc < 0)
        return rc;
    rc = parse_compat(json_object_get(root, "compat"), &m->compat_coinr, src,
                      err);
    if (rc < 0)
        return rc;
    json_t *ties = json_object_get(root, "ties");
    if (ties) {
        const char *t = json_string_value(ties);
        if (t && !strcmp(t, "min"))
            m->ties = GCA_TIES_MIN;
        else if (t && !strcmp(t, "dense"))
            m->ties = GCA_TIES_DENSE;
        else
            return gca__method_fail(err, src,
                                    "'ties' must be \"min\" or \"dense\"");
    }
    json_t *steps = json_object_get(root, "steps");
    if (!json_is_array(steps))
        return gca__method_fail(err, src,
                                "no \"steps\" array (the ordered list of "
                                "pipeline steps)");
    if (json_array_size(steps) > GCA_MAX_STEPS)
        return gca_fail(err, GCA_ETOOBIG, src, 0, 0,
                        "more than %d steps", GCA_MAX_STEPS);
    for (size_t i = 0; i < json_array_size(steps); i++) {
        rc = parse_step(m, i, json_array_get(steps, i), err);
        if (rc < 0)
            return rc;
        m->nsteps++;
    }
    return 0;
}

int gca_method_load_mem(const char *data, size_t len, const char *source,
                        gca_method **out, gca_err *err)
{
    json_error_t jerr;
    json_t *root = NULL;
    int rc;
    if (!source)
        source = "method";
    if (len > GCA_MAX_METHOD_FILE)
        return gca_fail(err, GCA_ETOOBIG, source, 0, 0,
                        "method is larger than %u bytes", GCA_MAX_METHOD_FILE);
    gca_method *m = gca_calloc(1, sizeof *m);
    if (!m)
        return gca_fail(err, GCA_ENOMEM, source, 0, 0, "out of memory");
    gca_arena_init(&m->arena, 4096);
    m->source = gca_arena_strdup(&m->arena, source);
    if (!m->source) {
        rc = gca_fail(err, GCA_ENOMEM, source, 0, 0, "out of memory");
        goto fail;
    }
    root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        rc = gca_fail(err, GCA_EPARSE, source, jerr.line > 0 ? jerr.line : 0,
                      jerr.column > 0 ? jerr.column : 0, "%s", jerr.text);
        goto fail;
    }
    rc = parse_method(m, root, err);
    if (rc < 0)
        goto fail;
    json_decref(root);
    *out = m;
    return 0;
fail:
    json_decref(root);
    gca_method_free(m);
    return rc;
}

int gca_method_load(const char *path, gca_method **out, gca_err *err)
{
    gca_buf text = GCA_BUF_INIT(GCA_MAX_METHOD_FILE);
    int rc = gca_file_read(path, &text, err);
    if (rc == 0)
        rc = gca_method_load_mem(gca_buf_str(&text), text.len, path, out, err);
    gca_buf_release(&text);
    return rc;
}

/* The method used when neither the user nor the framework gives one. */
static const char plain[] =
    "{\"steps\":[{\"step\":\"normalise\",\"f_n\":\"n_minmax\","
    "\"l_u\":[0,100]},{\"step\":\"aggregate\",\"f_ag\":\"a_amean\"}]}";

const char *gca_method_default_json(const gca_framework *fw)
{
    const char *json = fw ? gca_framework_method_json(fw) : NULL;
    return json ? json : plain;
}

int gca_method_default(const gca_framework *fw, gca_method **out,
                       gca_err *err)
{
    const char *json = fw ? gca_framework_method_json(fw) : NULL;
    if (json) {
        char src[300];
        snprintf(src, sizeof src, "%s (method)", gca_framework_source(fw));
        return gca_method_load_mem(json, strlen(json), src, out, err);
    }
    return gca_method_load_mem(plain, sizeof plain - 1, "default method", out,
                               err);
}

void gca_method_free(gca_method *m)
{
    if (!m)
        return;
    gca_arena_release(&m->arena);
    gca_free(m);
}

size_t gca_method_nsteps(const gca_method *m)
{
    return m->nsteps;
}

const char *gca_method_step_name(const gca_method *m, size_t i)
{
    return i < m->nsteps ? m->steps[i].ops->name : NULL;
}
