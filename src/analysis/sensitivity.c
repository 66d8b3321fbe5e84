/* sensitivity.c - uncertainty and sensitivity analysis (include/gca/
 * sensitivity.h; spec and statistics: docs/method.md, "Sensitivity").
 *
 * A run is the nominal method with each uncertain input set to one of
 * its values. Runs are cheap because most of a build does not change
 * between runs: each thread keeps the data set after every step under
 * the values of the inputs that reach that step (a run whose winsorisation
 * and normalisation were seen before only aggregates again), the methods
 * it has parsed under the values that make them, and one arena emptied
 * between runs. Runs are independent and their results are stored by run
 * number, and counts are merged in thread order, so any thread count
 * gives the same output. */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "gca/sensitivity.h"

#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/fs.h"
#include "core/json.h"
#include "gca/pipeline.h"
#include "pipeline/resume.h"
#include "render/table.h"
#include "core/banned.h"

/* ====== Random numbers ====== */

/* xoshiro256** seeded through splitmix64: a documented generator, so
 * that a seed means the same sample on every machine. */
typedef struct rng {
    uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

/* Uniform on [0, 1). */
static double rng_unif(rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* ====== Sobol sequence ====== */

/* Joe and Kuo's primitive polynomials (degree s, coefficients a) and
 * initial direction numbers m_1..m_s for dimensions 2..21 (dimension 1
 * is van der Corput's sequence). */
static const struct {
    int s, a;
    unsigned m[7];
} joe_kuo[GCA_SOBOL_MAX_DIM - 1] = {
    {1, 0, {1}},
    {2, 1, {1, 3}},
    {3, 1, {1, 3, 1}},
    {3, 2, {1, 1, 1}},
    {4, 1, {1, 1, 3, 3}},
    {4, 4, {1, 3, 5, 13}},
    {5, 2, {1, 1, 5, 5, 17}},
    {5, 4, {1, 1, 5, 5, 5}},
    {5, 7, {1, 1, 7, 11, 19}},
    {5, 11, {1, 1, 5, 1, 1}},
    {5, 13, {1, 1, 1, 3, 11}},
    {5, 14, {1, 3, 5, 5, 31}},
    {6, 1, {1, 3, 3, 9, 7, 49}},
    {6, 13, {1, 1, 1, 15, 21, 21}},
    {6, 16, {1, 3, 1, 13, 27, 49}},
    {6, 19, {1, 1, 1, 15, 7, 5}},
    {6, 22, {1, 3, 1, 15, 13, 25}},
    {6, 25, {1, 1, 5, 5, 19, 61}},
    {7, 1, {1, 3, 7, 11, 23, 15, 103}},
    {7, 4, {1, 3, 7, 13, 13, 15, 69}},
};

#define SOBOL_BITS 52

/* Direction numbers v[j][k] (k-th bit, scaled to 2^SOBOL_BITS). */
static void sobol_directions(int j, uint64_t v[SOBOL_BITS])
{
    if (j == 0) {
        for (int k = 0; k < SOBOL_BITS; k++)
            v[k] = (uint64_t)1 << (SOBOL_BITS - 1 - k);
        return;
    }
    int s = joe_kuo[j - 1].s, a = joe_kuo[j - 1].a;
    for (int k = 0; k < s && k < SOBOL_BITS; k++)
        v[k] = (uint64_t)joe_kuo[j - 1].m[k] << (SOBOL_BITS - 1 - k);
    for (int k = s; k < SOBOL_BITS; k++) {
        v[k] = v[k - s] ^ (v[k - s] >> s);
        for (int b = 1; b < s; b++)
            if ((a >> (s - 1 - b)) & 1)
                v[k] ^= v[k - b];
    }
}

int gca_sobol_point(uint64_t i, int dim, double *x)
{
    if (dim < 1 || dim > GCA_SOBOL_MAX_DIM || i >= ((uint64_t)1 << 40))
        return GCA_EINVAL;
    uint64_t gray = i ^ (i >> 1);
    for (int j = 0; j < dim; j++) {
        uint64_t v[SOBOL_BITS], acc = 0;
        sobol_directions(j, v);
        for (int k = 0; k < SOBOL_BITS && (gray >> k); k++)
            if ((gray >> k) & 1)
                acc ^= v[k];
        x[j] = (double)acc * 0x1.0p-52;
    }
    return 0;
}

/* ====== The spec ====== */

enum input_kind { IN_PARAM, IN_STEP, IN_WEIGHTS, IN_EXCLUDE };

typedef struct input {
    char *name;
    enum input_kind kind;
    int step;        /* the method step it reaches */
    char *param;     /* IN_PARAM: the step's parameter */
    /* Discrete: nvalues JSON values (IN_WEIGHTS: weight sets) with their
     * labels; continuous: [lo, hi]. */
    size_t nvalues;
    json_t **values;
    char **labels;
    int continuous;
    double lo, hi;
    double *sets; /* IN_WEIGHTS: [nvalues * nnodes] */
    int *nodes;   /* IN_EXCLUDE: the node each value drops */
} input;

struct gca_sens {
    const gca_framework *fw;
    const gca_dataset *ds;
    gca_sens_opts o;
    json_t *method;        /* the nominal method, parsed */
    gca_method *nominal;
    size_t nsteps;
    int target;            /* framework node */
    input in[GCA_SENS_MAX_INPUTS];
    size_t nin;
    size_t nruns, nstat;   /* runs; those the rank statistics use */
    double *param;         /* [nruns * nin]: value index, or the value */
    /* Results by run. */
    double *y;             /* [nruns] */
    double *scores;        /* [nruns * nunits] with keep_scores */
    char **failure;        /* [nruns] NULL = ran */
    size_t nfailed;
    /* Per unit. */
    size_t nunits;
    const char **ucode;
    double *nominal_score, *nominal_rank;
    gca_sens_unit *units;
    double *tier_prob;     /* [nunits * ntiers] */
    size_t ntiers;
    gca_sens_index index[GCA_SENS_MAX_INPUTS];
    double var_y;
    gca_ties ties;
    gca_result *nominal_res;
    double *nominal_w;     /* [nnodes] weights of the nominal aggregation */
};

static int spec_fail(gca_err *err, const char *source, const char *fmt, ...)
    GCA_PRINTF(3, 4);
static int spec_fail(gca_err *err, const char *source, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return gca_fail(err, GCA_EINVAL, source, 0, 0, "%s", msg);
}

static const char *name_of(const input *in)
{
    return in->name ? in->name : "?";
}

/* The step of the nominal method called `name`, -1 if none. */
static int find_step(json_t *steps, const char *name)
{
    size_t i;
    json_t *st;
    json_array_foreach(steps, i, st)
    {
        const char *n = json_string_value(json_object_get(st, "step"));
        if (n && !strcmp(n, name))
            return (int)i;
    }
    return -1;
}

/* The label of a discrete value: its text, or its number. */
static char *value_label(json_t *v)
{
    char buf[64];
    if (json_is_string(v))
        return strdup(json_string_value(v));
    if (json_is_integer(v))
        snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        snprintf(buf, sizeof buf, "%.17g", json_real_value(v));
    else if (json_is_true(v) || json_is_false(v))
        snprintf(buf, sizeof buf, "%s", json_is_true(v) ? "TRUE" : "FALSE");
    else
        return NULL;
    return strdup(buf);
}

static int add_value(input *in, json_t *v, const char *label)
{
    json_t **vs = realloc(in->values, (in->nvalues + 1) * sizeof *vs);
    if (!vs)
        return GCA_ENOMEM;
    in->values = vs;
    char **ls = realloc(in->labels, (in->nvalues + 1) * sizeof *ls);
    if (!ls)
        return GCA_ENOMEM;
    in->labels = ls;
    char *l = label ? strdup(label) : value_label(v);
    if (!l)
        return GCA_EINVAL;
    in->values[in->nvalues] = json_incref(v);
    in->labels[in->nvalues++] = l;
    return 0;
}

/* COINr-style weight sets: columns WeightSet, iCode, Level, Weight; each
 * set starts from the framework's weights. */
static int read_weight_sets(gca_sens *s, input *in, const char *path,
                            gca_err *err)
{
    const gca_framework *fw = s->fw;
    size_t nn = gca_framework_nnodes(fw);
    gca_buf text = GCA_BUF_INIT((size_t)64 << 20);
    int rc = gca_file_read(path, &text, err);
    gca_csv csv = {0};
    if (rc == 0)
        rc = gca_csv_parse(text.ptr ? text.ptr : "", text.len, path, 10000000,
                           16, &csv, err);
    gca_buf_release(&text);
    if (rc < 0)
        return rc;
    int col[3] = {-1, -1, -1};
    static const char *const names[3] = {"WeightSet", "iCode", "Weight"};
    for (size_t j = 0; j < csv.ncol; j++)
        for (int k = 0; k < 3; k++)
            if (!strcmp(GCA_CSV_CELL(&csv, 0, j)->text.ptr, names[k]))
                col[k] = (int)j;
    for (int k = 0; k < 3 && rc == 0; k++)
        if (col[k] < 0)
            rc = gca_fail(err, GCA_EPARSE, path, 1, 0,
                          "weight sets need the columns WeightSet, iCode, "
                          "Level, Weight (no '%s')",
                          names[k]);
    for (size_t r = 1; r <= csv.nrow && rc == 0; r++) {
        const gca_csv_cell *set = GCA_CSV_CELL(&csv, r, col[0]);
        const gca_csv_cell *code = GCA_CSV_CELL(&csv, r, col[1]);
        const gca_csv_cell *wc = GCA_CSV_CELL(&csv, r, col[2]);
        size_t k = 0;
        while (k < in->nvalues && strcmp(in->labels[k], set->text.ptr))
            k++;
        if (k == in->nvalues) {
            if (!*set->text.ptr) {
                rc = gca_fail(err, GCA_EPARSE, path, set->line, set->col,
                              "WeightSet is empty");
                break;
            }
            double *sets = realloc(in->sets, (k + 1) * nn * sizeof *sets);
            if (sets)
                in->sets = sets;
            if (!sets || add_value(in, json_null(), set->text.ptr) < 0) {
                rc = gca_fail(err, GCA_ENOMEM, path, 0, 0, "out of memory");
                break;
            }
            for (size_t i = 0; i < nn; i++)
                sets[k * nn + i] = gca_framework_node_at(fw, i)->weight;
        }
        int node = gca_framework_find(fw, code->text.ptr);
        char *end = NULL;
        double w = strtod(wc->text.ptr, &end);
        if (node < 0)
            rc = gca_fail(err, GCA_EPARSE, path, code->line, code->col,
                          "iCode '%.60s' is not a node of the framework",
                          code->text.ptr);
        else if (!*wc->text.ptr || *end || !isfinite(w) || w < 0)
            rc = gca_fail(err, GCA_EPARSE, path, wc->line, wc->col,
                          "Weight '%.40s' is not a number >= 0",
                          wc->text.ptr);
        else
            in->sets[k * nn + (size_t)node] = w;
    }
    if (rc == 0 && !in->nvalues)
        rc = gca_fail(err, GCA_EPARSE, path, 1, 0, "no weight set");
    gca_csv_release(&csv);
    return rc;
}

/* Noisy weight sets as COINr's get_noisy_weights: each weight of a node
 * at a listed level times a uniform draw in [1 - f, 1 + f]. */
static int noisy_weight_sets(gca_sens *s, input *in, json_t *noise,
                             const char *source, gca_err *err)
{
    const gca_framework *fw = s->fw;
    size_t nn = gca_framework_nnodes(fw);
    json_t *levels = json_object_get(noise, "levels");
    json_t *nrep = json_object_get(noise, "nrep");
    if (!json_is_object(levels) || !json_object_size(levels) ||
        !json_is_integer(nrep) || json_integer_value(nrep) < 1 ||
        json_integer_value(nrep) > 100000)
        return spec_fail(err, source,
                         "input '%s': noise needs \"nrep\" (1 to 100000) and "
                         "\"levels\" ({\"2\": 0.25, ...})",
                         name_of(in));
    double f[GCA_MAX_LEVELS + 1] = {0};
    const char *key;
    json_t *v;
    json_object_foreach(levels, key, v)
    {
        char *end = NULL;
        long lev = strtol(key, &end, 10);
        if (*end || lev < 1 || lev > gca_framework_nlevels(fw) ||
            !json_is_number(v) || json_number_value(v) < 0 ||
            json_number_value(v) >= 1)
            return spec_fail(err, source,
                             "input '%s': noise level '%s' must be a level "
                             "of the framework with a factor in [0, 1)",
                             name_of(in), key);
        f[lev] = json_number_value(v);
    }
    size_t n = (size_t)json_integer_value(nrep);
    in->sets = malloc(n * nn * sizeof *in->sets);
    if (!in->sets)
        return gca_fail(err, GCA_ENOMEM, source, 0, 0, "out of memory");
    rng r;
    rng_seed(&r, s->o.seed ^ 0x6e6f697365u);
    for (size_t k = 0; k < n; k++) {
        char label[32];
        snprintf(label, sizeof label, "%zu", k + 1);
        if (add_value(in, json_null(), label) < 0)
            return gca_fail(err, GCA_ENOMEM, source, 0, 0, "out of memory");
        for (size_t i = 0; i < nn; i++) {
            const gca_node *node = gca_framework_node_at(fw, i);
            double w = node->weight;
            if (node->level >= 1 && node->level <= GCA_MAX_LEVELS &&
                f[node->level] > 0)
                w *= 1 - f[node->level] + 2 * f[node->level] * rng_unif(&r);
            in->sets[k * nn + i] = w;
        }
    }
    return 0;
}

static int parse_input(gca_sens *s, json_t *obj, const char *source,
                       const char *dir, input *in, gca_err *err)
{
    json_t *steps = json_object_get(s->method, "steps");
    const char *name = json_string_value(json_object_get(obj, "name"));
    const char *addr = json_string_value(json_object_get(obj, "address"));
    if (!json_is_object(obj) || !name || !*name || !addr || !*addr)
        return spec_fail(err, source,
                         "input '%s': each input is an object with a "
                         "\"name\" and an \"address\"",
                         name_of(in));
    in->name = strdup(name);
    if (!in->name)
        return gca_fail(err, GCA_ENOMEM, source, 0, 0, "out of memory");
    /* The address: "weights", "STEP" or "STEP.PARAM". */
    char stepname[64];
    const char *dot = strchr(addr, '.');
    size_t len = dot ? (size_t)(dot - addr) : strlen(addr);
    if (len >= sizeof stepname)
        return spec_fail(err, source, "input '%s': unknown address '%s'",
                         name_of(in), addr);
    memcpy(stepname, addr, len);
    stepname[len] = '\0';
    if (!strcmp(addr, "exclude")) {
        /* Drop one element (weight 0), as COINr's remove_elements: the
         * values are the codes of a level, or the codes given. */
        in->kind = IN_EXCLUDE;
        in->step = find_step(steps, "aggregate");
        if (in->step < 0)
            return spec_fail(err, source,
                             "input '%s': the method has no aggregate step "
                             "for 'exclude'",
                             name_of(in));
        json_t *lev = json_object_get(obj, "level");
        json_t *codes = json_object_get(obj, "values");
        if (!!lev == !!codes || (lev && !json_is_integer(lev)) ||
            (codes && !json_is_array(codes)))
            return spec_fail(err, source,
                             "input '%s': exclude takes \"level\" (a "
                             "number) or \"values\" (node codes)",
                             name_of(in));
        size_t nn = gca_framework_nnodes(s->fw);
        int top = gca_framework_top(s->fw);
        for (size_t i = 0; i < nn; i++) {
            const gca_node *nd = gca_framework_node_at(s->fw, i);
            int take = 0;
            if (lev)
                take = nd->level == json_integer_value(lev) &&
                       (int)i != top;
            for (size_t k = 0; codes && k < json_array_size(codes); k++) {
                const char *c = json_string_value(json_array_get(codes, k));
                take |= c && !strcmp(c, nd->code);
            }
            if (!take)
                continue;
            int *nodes = realloc(in->nodes, (in->nvalues + 1) * sizeof *nodes);
            if (!nodes)
                return gca_fail(err, GCA_ENOMEM, source, 0, 0,
                                "out of memory");
            in->nodes = nodes;
            nodes[in->nvalues] = (int)i;
            if (add_value(in, json_null(), nd->code) < 0)
                return gca_fail(err, GCA_ENOMEM, source, 0, 0,
                                "out of memory");
        }
        for (size_t k = 0; codes && k < json_array_size(codes); k++) {
            const char *c = json_string_value(json_array_get(codes, k));
            if (!c || gca_framework_find(s->fw, c) < 0 ||
                gca_framework_find(s->fw, c) == top)
                return spec_fail(err, source,
                                 "input '%s': '%s' is not an element below "
                                 "the index",
                                 name_of(in), c ? c : "(not a text)");
        }
        if (!in->nvalues)
            return spec_fail(err, source,
                             "input '%s': no element to exclude at that "
                             "level",
                             name_of(in));
        return 0;
    }
    if (!strcmp(addr, "weights")) {
        in->kind = IN_WEIGHTS;
        in->step = find_step(steps, "aggregate");
        if (in->step < 0)
            return spec_fail(err, source,
                             "input '%s': the method has no aggregate step "
                             "for 'weights'",
                             name_of(in));
    } else {
        in->step = find_step(steps, stepname);
        if (in->step < 0)
            return spec_fail(err, source,
                             "input '%s': unknown address '%s' (the method "
                             "has no such step)",
                             name_of(in), addr);
        in->kind = dot ? IN_PARAM : IN_STEP;
        if (dot &&
            (!dot[1] || strchr(dot + 1, '.') || !strcmp(dot + 1, "step")))
            return spec_fail(err, source,
                             "input '%s': unknown address '%s' (STEP.PARAM)",
                             name_of(in), addr);
        if (dot && !(in->param = strdup(dot + 1)))
            return gca_fail(err, GCA_ENOMEM, source, 0, 0, "out of memory");
    }
    json_t *values = json_object_get(obj, "values");
    json_t *range = json_object_get(obj, "range");
    json_t *wsets = json_object_get(obj, "weight_sets");
    json_t *noise = json_object_get(obj, "noise");
    int given = !!values + !!range + !!wsets + !!noise;
    if (given != 1)
        return spec_fail(
            err, source,
            "input '%s': give exactly one of \"values\", "
            "\"range\"%s",
            name_of(in),
            in->kind == IN_WEIGHTS ? ", \"weight_sets\" or \"noise\"" : "");
    if (in->kind == IN_WEIGHTS) {
        if (wsets) {
            if (!json_is_string(wsets))
                return spec_fail(err, source,
                                 "input '%s': \"weight_sets\" is a file "
                                 "name",
                                 name_of(in));
            const char *f = json_string_value(wsets);
            /* A spec stored in the database (an edition's) names no
             * files: the server would read them from its own disk. */
            if (!dir)
                return spec_fail(err, source,
                                 "input '%s': this spec may not name files "
                                 "(\"weight_sets\"); give \"noise\" or "
                                 "values",
                                 name_of(in));
            char path[4096];
            if (f[0] == '/' || !*dir)
                snprintf(path, sizeof path, "%s", f);
            else
                snprintf(path, sizeof path, "%s/%s", dir, f);
            return read_weight_sets(s, in, path, err);
        }
        if (noise)
            return noisy_weight_sets(s, in, noise, source, err);
        return spec_fail(err, source,
                         "input '%s': weights take \"weight_sets\" or "
                         "\"noise\"",
                         name_of(in));
    }
    if (wsets || noise)
        return spec_fail(err, source,
                         "input '%s': \"weight_sets\" and \"noise\" are for "
                         "the address 'weights'",
                         name_of(in));
    if (range) {
        if (in->kind != IN_PARAM || json_array_size(range) != 2 ||
            !json_is_number(json_array_get(range, 0)) ||
            !json_is_number(json_array_get(range, 1)))
            return spec_fail(err, source,
                             "input '%s': \"range\" is [lo, hi] for a "
                             "STEP.PARAM address",
                             name_of(in));
        in->continuous = 1;
        in->lo = json_number_value(json_array_get(range, 0));
        in->hi = json_number_value(json_array_get(range, 1));
        if (!(in->lo <= in->hi) || !isfinite(in->lo) || !isfinite(in->hi))
            return spec_fail(err, source, "input '%s': range lo > hi",
                             name_of(in));
        return 0;
    }
    if (json_is_array(values)) {
        size_t i;
        json_t *v;
        json_array_foreach(values, i, v)
        {
            if (in->kind == IN_STEP && !json_is_object(v))
                return spec_fail(err, source,
                                 "input '%s': the values of a whole step "
                                 "are step objects",
                                 name_of(in));
            int rc = add_value(in, v, NULL);
            if (rc == GCA_EINVAL)
                return spec_fail(err, source,
                                 "input '%s': a value is a number, a text "
                                 "or (a whole step) an object",
                                 name_of(in));
            if (rc < 0)
                return gca_fail(err, GCA_ENOMEM, source, 0, 0,
                                "out of memory");
        }
    } else if (json_is_object(values)) {
        const char *label;
        json_t *v;
        json_object_foreach(values, label, v)
        {
            if (in->kind == IN_STEP && !json_is_object(v))
                return spec_fail(err, source,
                                 "input '%s': the values of a whole step "
                                 "are step objects",
                                 name_of(in));
            if (add_value(in, v, label) < 0)
                return gca_fail(err, GCA_ENOMEM, source, 0, 0,
                                "out of memory");
        }
    } else {
        return spec_fail(err, source,
                         "input '%s': \"values\" is a list or an object of "
                         "labelled values",
                         name_of(in));
    }
    if (!in->nvalues)
        return spec_fail(err, source, "input '%s': the list of values is empty",
                         name_of(in));
    return 0;
}

static int parse_spec(gca_sens *s, const char *text, size_t len,
                      const char *source, const char *dir, gca_err *err)
{
    json_error_t je;
    json_t *spec = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!spec)
        return gca_fail(err, GCA_EPARSE, source, je.line, je.column, "%s",
                        je.text);
    int rc = 0;
    json_t *inputs = json_object_get(spec, "inputs");
    const char *target = json_string_value(json_object_get(spec, "target"));
    if (!json_is_object(spec) || !json_is_array(inputs) ||
        !json_array_size(inputs))
        rc = gca_fail(err, GCA_EINVAL, source, 0, 0,
                      "a spec is {\"target\": NODE, \"inputs\": [...]} with "
                      "at least one input");
    else if (json_array_size(inputs) > GCA_SENS_MAX_INPUTS)
        rc = gca_fail(err, GCA_EINVAL, source, 0, 0,
                      "at most %d inputs", GCA_SENS_MAX_INPUTS);
    if (rc == 0) {
        int top = gca_framework_top(s->fw);
        s->target = target ? gca_framework_find(s->fw, target) : top;
        if (s->target < 0)
            rc = gca_fail(err, GCA_EINVAL, source, 0, 0,
                          "target '%.60s' is not a node of the framework",
                          target);
    }
    for (size_t i = 0; rc == 0 && i < json_array_size(inputs); i++) {
        rc = parse_input(s, json_array_get(inputs, i), source, dir,
                         &s->in[i], err);
        s->nin = i + 1;
        for (size_t j = 0; rc == 0 && j < i; j++)
            if (!strcmp(s->in[j].name, s->in[i].name))
                rc = spec_fail(err, source, "input '%s' is named twice",
                               name_of(&s->in[i]));
    }
    json_decref(spec);
    return rc;
}

/* ====== The sample ====== */

/* Run r's value of input i from a uniform draw. */
static double draw(const input *in, double u)
{
    if (in->continuous)
        return in->lo + u * (in->hi - in->lo);
    size_t k = (size_t)(u * (double)in->nvalues);
    return (double)(k < in->nvalues ? k : in->nvalues - 1);
}

/* Sobol points 1..n: UA d coordinates per run; SA 2d, the first d for
 * block A and the next d for block B (Saltelli's design). */
static int sobol_sample(gca_sens *s, gca_err *err)
{
    size_t d = s->nin, n = s->o.n;
    int dim = (int)(s->o.type == GCA_SENS_SA ? 2 * d : d);
    if (dim > GCA_SOBOL_MAX_DIM)
        return gca_fail(err, GCA_EINVAL, "sample", 0, 0,
                        "a Sobol sample has at most %d dimensions (%s needs "
                        "%d): use Monte Carlo",
                        GCA_SOBOL_MAX_DIM,
                        s->o.type == GCA_SENS_SA ? "SA with 2d" : "UA with d",
                        dim);
    double x[GCA_SOBOL_MAX_DIM];
    for (size_t j = 0; j < n; j++) {
        gca_sobol_point(j + 1, dim, x);
        for (size_t i = 0; i < d; i++) {
            s->param[j * d + i] = draw(&s->in[i], x[i]);
            if (s->o.type == GCA_SENS_SA)
                s->param[(n + j) * d + i] = draw(&s->in[i], x[d + i]);
        }
    }
    return 0;
}

/* Every combination of the values, the first input varying slowest. */
static void grid_sample(gca_sens *s)
{
    size_t d = s->nin;
    for (size_t j = 0; j < s->nruns; j++) {
        size_t rest = j;
        for (size_t i = d; i-- > 0;) {
            s->param[j * d + i] = (double)(rest % s->in[i].nvalues);
            rest /= s->in[i].nvalues;
        }
    }
}

static int make_sample(gca_sens *s, gca_err *err)
{
    if (s->o.grid) {
        grid_sample(s);
        return 0;
    }
    size_t d = s->nin, n = s->o.n;
    rng r;
    rng_seed(&r, s->o.seed);
    if (s->o.sobol) {
        int rc = sobol_sample(s, err);
        if (rc < 0 || s->o.type == GCA_SENS_UA)
            return rc;
    } else if (s->o.type == GCA_SENS_UA) {
        for (size_t j = 0; j < n; j++)
            for (size_t i = 0; i < d; i++)
                s->param[j * d + i] = draw(&s->in[i], rng_unif(&r));
        return 0;
    }
    /* A and B, then AB_i: A with column i from B (COINr's order). */
    double *a = s->param, *b = s->param + n * d;
    for (size_t j = 0; !s->o.sobol && j < 2 * n; j++)
        for (size_t i = 0; i < d; i++)
            s->param[j * d + i] = draw(&s->in[i], rng_unif(&r));
    for (size_t i = 0; i < d; i++)
        for (size_t j = 0; j < n; j++) {
            double *row = s->param + ((2 + i) * n + j) * d;
            memcpy(row, a + j * d, d * sizeof *row);
            row[i] = b[j * d + i];
        }
    return 0;
}

/* A params table: rep, then one column per input (labels, numbers or
 * weight-set ids). */
static int read_params(gca_sens *s, gca_err *err)
{
    const char *src = s->o.params_source ? s->o.params_source : "params";
    gca_csv csv = {0};
    int rc = gca_csv_parse(s->o.params, s->o.params_len, src,
                           GCA_SENS_MAX_RUNS, GCA_SENS_MAX_INPUTS + 1, &csv,
                           err);
    if (rc < 0)
        return rc;
    int col[GCA_SENS_MAX_INPUTS];
    for (size_t i = 0; i < s->nin; i++) {
        col[i] = -1;
        for (size_t j = 0; j < csv.ncol; j++)
            if (!strcmp(GCA_CSV_CELL(&csv, 0, j)->text.ptr, s->in[i].name))
                col[i] = (int)j;
        if (col[i] < 0) {
            rc = gca_fail(err, GCA_EPARSE, src, 1, 0,
                          "no column for the input '%s'", s->in[i].name);
            goto done;
        }
    }
    size_t d = s->nin, rows = csv.nrow;
    if (!rows) {
        rc = gca_fail(err, GCA_EPARSE, src, 2, 0, "no runs");
        goto done;
    }
    if (s->o.type == GCA_SENS_SA && rows % (d + 2)) {
        rc = gca_fail(err, GCA_EPARSE, src, 0, 0,
                      "%zu rows are not N(d + 2) with d = %zu inputs", rows,
                      d);
        goto done;
    }
    s->o.n = s->o.type == GCA_SENS_SA ? rows / (d + 2) : rows;
    s->nruns = rows;
    s->param = malloc(rows * d * sizeof *s->param);
    if (!s->param) {
        rc = gca_fail(err, GCA_ENOMEM, src, 0, 0, "out of memory");
        goto done;
    }
    for (size_t r = 0; r < rows && rc == 0; r++)
        for (size_t i = 0; i < d && rc == 0; i++) {
            const input *in = &s->in[i];
            const gca_csv_cell *c = GCA_CSV_CELL(&csv, r + 1, col[i]);
            if (in->continuous) {
                char *end = NULL;
                double v = strtod(c->text.ptr, &end);
                if (!*c->text.ptr || *end || v < in->lo || v > in->hi)
                    rc = gca_fail(err, GCA_EPARSE, src, c->line, c->col,
                                  "%s '%.40s' is not a number in [%g, %g]",
                                  in->name, c->text.ptr, in->lo, in->hi);
                s->param[r * d + i] = v;
                continue;
            }
            size_t k = 0;
            while (k < in->nvalues && strcmp(in->labels[k], c->text.ptr))
                k++;
            if (k == in->nvalues)
                rc = gca_fail(err, GCA_EPARSE, src, c->line, c->col,
                              "%s '%.40s' is not one of its values", in->name,
                              c->text.ptr);
            s->param[r * d + i] = (double)k;
        }
done:
    gca_csv_release(&csv);
    return rc;
}

/* ====== One run ====== */

#define PREFIX_SLOTS 1024
#define PREFIX_BYTES ((size_t)64 << 20)
#define METHOD_SLOTS 256

typedef struct prefix {
    int step;      /* the data set made by this step; -1 = empty slot */
    char *key;
    gca_dset d;
} prefix;

typedef struct cached_method {
    char *key;
    gca_method *m;
} cached_method;

/* What one thread keeps between its runs. */
typedef struct worker {
    gca_sens *s;
    size_t first, step;       /* runs first, first + step, ... */
    gca_arena keep;           /* cached data sets */
    size_t kept;              /* their bytes */
    gca_arena run;            /* one run, emptied after it */
    gca_result *scratch;
    gca_dset raw;
    gca_dset *out;            /* [nsteps] */
    double *weight;           /* [nnodes] */
    double *wexcl;            /* [nnodes] a run's weights with exclusions */
    double *ranks;            /* [nunits] */
    prefix pre[PREFIX_SLOTS];
    cached_method meth[METHOD_SLOTS];
    /* Counts for the statistics, merged after the runs. */
    unsigned long long *hist; /* [nunits * (nunits + 1)] rank counts */
    unsigned long long *tiers; /* [nunits * ntiers] */
    gca_buf key;              /* keys of the caches, reused */
    atomic_size_t *done;
    int rc;                   /* GCA_ENOMEM stops the analysis */
} worker;

/* The text that names input i's value in a run. */
static const char *label_of(const input *in, double v, char *buf,
                            size_t size)
{
    if (in->continuous) {
        snprintf(buf, size, "%.17g", v);
        return buf;
    }
    return in->labels[(size_t)v];
}

/* Key of the values of the inputs reaching steps up to `upto` (weights
 * included only when `weights`). */
static void make_key(const gca_sens *s, const double *p, int upto,
                     int weights, gca_buf *key)
{
    char buf[64];
    gca_buf_reset(key);
    for (size_t i = 0; i < s->nin; i++) {
        const input *in = &s->in[i];
        if (in->step > upto || (in->kind == IN_WEIGHTS && !weights))
            continue;
        gca_buf_printf(key, "%zu=", i);
        gca_buf_puts(key, label_of(in, p[i], buf, sizeof buf));
        gca_buf_putc(key, '\x1f');
    }
}

static size_t hash_str(const char *k, int step)
{
    size_t h = 1469598103934665603u ^ (size_t)step;
    for (; *k; k++)
        h = (h ^ (unsigned char)*k) * 1099511628211u;
    return h;
}

static prefix *prefix_find(worker *w, int step, const char *key, int add)
{
    size_t h = hash_str(key, step);
    for (size_t i = 0; i < PREFIX_SLOTS; i++) {
        prefix *p = &w->pre[(h + i) % PREFIX_SLOTS];
        if (p->step < 0)
            return add ? p : NULL;
        if (p->step == step && !strcmp(p->key, key))
            return p;
    }
    return NULL;
}

/* Keep a copy of data set d (made by `step`) under key. */
static void prefix_keep(worker *w, int step, const char *key,
                        const gca_dset *d)
{
    size_t bytes = d->nrow * d->ncol * sizeof(double) + 256;
    if (w->kept + bytes > PREFIX_BYTES)
        return;
    prefix *p = prefix_find(w, step, key, 1);
    if (!p || p->step >= 0)
        return;
    gca_dset c = *d;
    c.ucode = gca_arena_array_raw(&w->keep, d->nrow ? d->nrow : 1,
                                  sizeof *c.ucode);
    c.unit = gca_arena_array_raw(&w->keep, d->nrow ? d->nrow : 1,
                                 sizeof *c.unit);
    c.icode = gca_arena_array_raw(&w->keep, d->ncol ? d->ncol : 1,
                                  sizeof *c.icode);
    c.node = gca_arena_array_raw(&w->keep, d->ncol ? d->ncol : 1,
                                 sizeof *c.node);
    c.v = gca_arena_array_raw(&w->keep, d->nrow * d->ncol + 1, sizeof *c.v);
    char *k = gca_arena_strdup(&w->keep, key);
    if (!c.ucode || !c.unit || !c.icode || !c.node || !c.v || !k)
        return;
    /* Codes point into the framework and data, which outlive the run. */
    memcpy(c.ucode, d->ucode, d->nrow * sizeof *c.ucode);
    memcpy(c.unit, d->unit, d->nrow * sizeof *c.unit);
    memcpy(c.icode, d->icode, d->ncol * sizeof *c.icode);
    memcpy(c.node, d->node, d->ncol * sizeof *c.node);
    memcpy(c.v, d->v, (d->nrow * d->ncol + 1) * sizeof *c.v);
    p->step = step;
    p->key = k;
    p->d = c;
    w->kept += bytes;
}

/* The method of a run: the nominal one with each non-weight input set. */
static gca_method *run_method(worker *w, const double *p, const char *key,
                              int *owned, gca_err *err)
{
    gca_sens *s = w->s;
    size_t h = hash_str(key, -1);
    cached_method *slot = NULL;
    for (size_t i = 0; i < METHOD_SLOTS; i++) {
        cached_method *c = &w->meth[(h + i) % METHOD_SLOTS];
        if (!c->key) {
            slot = c;
            break;
        }
        if (!strcmp(c->key, key)) {
            *owned = 0;
            return c->m;
        }
    }
    json_t *m = json_deep_copy(s->method);
    json_t *steps = json_object_get(m, "steps");
    for (size_t i = 0; m && i < s->nin; i++) {
        const input *in = &s->in[i];
        json_t *st = json_array_get(steps, (size_t)in->step);
        if (in->kind == IN_PARAM)
            json_object_set_new(st, in->param,
                                in->continuous
                                    ? json_real(p[i])
                                    : json_deep_copy(in->values[(size_t)p[i]]));
        else if (in->kind == IN_STEP) {
            json_t *v = json_deep_copy(in->values[(size_t)p[i]]);
            json_object_set(v, "step", json_object_get(st, "step"));
            json_array_set_new(steps, (size_t)in->step, v);
        }
    }
    char *text = m ? json_dumps(m, JSON_COMPACT) : NULL;
    json_decref(m);
    gca_method *out = NULL;
    int rc = text ? gca_method_load_mem(text, strlen(text), "the run's method",
                                        &out, err)
                  : gca_fail(err, GCA_ENOMEM, NULL, 0, 0, "out of memory");
    free(text);
    if (rc < 0)
        return NULL;
    if (slot && (slot->key = strdup(key))) {
        slot->m = out;
        *owned = 0;
    } else {
        *owned = 1;
    }
    return out;
}

static void fail_run(gca_sens *s, size_t r, const gca_err *e)
{
    s->failure[r] = strdup(e->msg[0] ? e->msg : "the run failed");
}

/* Run r: its scores into the results; 0, or GCA_ENOMEM to stop. */
static int one_run(worker *w, size_t r)
{
    gca_sens *s = w->s;
    const double *p = s->param + r * s->nin;
    const double *wfixed = NULL;
    size_t nn = gca_framework_nnodes(s->fw);
    int excl = 0;
    for (size_t i = 0; i < s->nin; i++) {
        if (s->in[i].kind == IN_WEIGHTS)
            wfixed = s->in[i].sets + (size_t)p[i] * nn;
        excl |= s->in[i].kind == IN_EXCLUDE;
    }
    if (excl) {
        /* The run's weights (its set, else the nominal aggregation's)
         * with each excluded element at 0. */
        memcpy(w->wexcl, wfixed ? wfixed : s->nominal_w, nn * sizeof *w->wexcl);
        for (size_t i = 0; i < s->nin; i++)
            if (s->in[i].kind == IN_EXCLUDE)
                w->wexcl[s->in[i].nodes[(size_t)p[i]]] = 0;
        wfixed = w->wexcl;
    }
    /* The worker's key buffer keeps its memory: no allocation here once
     * the caches are warm. */
    gca_buf *key = &w->key;
    gca_err e = {0};
    int owned = 0;
    make_key(s, p, (int)s->nsteps, 0, key);
    gca_method *m = run_method(w, p, gca_buf_str(key), &owned, &e);
    if (!m) {
        if (e.code == GCA_ENOMEM)
            return GCA_ENOMEM;
        fail_run(s, r, &e);
        return 0;
    }
    /* The latest data set already made for these values. */
    int from = 0;
    const gca_dset *in = &w->raw;
    for (int k = (int)s->nsteps - 2; k >= 0; k--) {
        make_key(s, p, k, 1, key);
        prefix *pre = prefix_find(w, k, gca_buf_str(key), 0);
        if (pre) {
            from = k + 1;
            in = &pre->d;
            break;
        }
    }
    gca_arena_reset(&w->run);
    int rc = gca__build_steps(s->fw, s->ds, m, 0, (size_t)from, s->nsteps,
                              in, &w->run, w->scratch, w->weight, wfixed,
                              w->out + from, &e);
    /* Kept for later runs, unless a continuous input reaches the step:
     * its values never repeat, so the copy would only take memory. */
    int fresh = 0;
    for (int k = 0; rc == 0 && k < (int)s->nsteps - 1; k++) {
        for (size_t i = 0; i < s->nin; i++)
            fresh |= s->in[i].continuous && s->in[i].step == k;
        if (fresh)
            break;
        if (k < from)
            continue;
        make_key(s, p, k, 1, key);
        prefix_keep(w, k, gca_buf_str(key), &w->out[k]);
    }
    if (owned)
        gca_method_free(m);
    if (rc == GCA_ENOMEM)
        return rc;
    if (rc < 0) {
        fail_run(s, r, &e);
        return 0;
    }
    const gca_dset *fin = &w->out[s->nsteps - 1];
    int col = -1;
    for (size_t c = 0; c < fin->ncol; c++)
        if (fin->node[c] == s->target)
            col = (int)c;
    if (col < 0 || fin->nrow != s->nunits) {
        e.code = GCA_EINVAL;
        snprintf(e.msg, sizeof e.msg, "the run made no '%s' column",
                 gca_framework_node_at(s->fw, (size_t)s->target)->code);
        fail_run(s, r, &e);
        return 0;
    }
    const double *score = &fin->v[(size_t)col * fin->nrow];
    if (gca_rank(score, s->nunits, s->ties, w->ranks) < 0)
        return GCA_ENOMEM;
    if (s->scores)
        memcpy(s->scores + r * s->nunits, score, s->nunits * sizeof *score);
    /* y: mean absolute rank change against the nominal ranks. */
    double sum = 0;
    size_t n = 0;
    for (size_t u = 0; u < s->nunits; u++)
        if (!isnan(w->ranks[u]) && !isnan(s->nominal_rank[u])) {
            sum += fabs(w->ranks[u] - s->nominal_rank[u]);
            n++;
        }
    s->y[r] = n ? sum / (double)n : NAN;
    if (r < s->nstat)
        for (size_t u = 0; u < s->nunits; u++) {
            if (isnan(w->ranks[u]))
                continue;
            w->hist[u * (s->nunits + 1) + (size_t)w->ranks[u]]++;
            const gca_tier *t = gca_framework_tier_of(s->fw, score[u]);
            for (size_t k = 0; t && k < s->ntiers; k++)
                if (gca_framework_tier_at(s->fw, k) == t)
                    w->tiers[u * s->ntiers + k]++;
        }
    return 0;
}

static int work(void *arg)
{
    worker *w = arg;
    for (size_t r = w->first; r < w->s->nruns; r += w->step) {
        int rc = one_run(w, r);
        atomic_fetch_add(w->done, 1);
        if (rc < 0) {
            /* The runs left are counted as done, so that the progress
             * loop ends. */
            w->rc = rc;
            atomic_fetch_add(w->done, (w->s->nruns - 1 - r) / w->step);
            break;
        }
    }
    return 0;
}

static int worker_init(worker *w, gca_sens *s, gca_err *err)
{
    size_t nn = gca_framework_nnodes(s->fw);
    memset(w, 0, sizeof *w);
    w->s = s;
    gca_buf_init(&w->key, (size_t)1 << 20);
    for (size_t i = 0; i < PREFIX_SLOTS; i++)
        w->pre[i].step = -1;
    gca_arena_init(&w->keep, (size_t)1 << 20);
    gca_arena_init(&w->run, (size_t)256 << 10);
    w->scratch = gca__result_scratch();
    w->out = calloc(s->nsteps + 1, sizeof *w->out);
    w->weight = calloc(nn + 1, sizeof *w->weight);
    w->wexcl = calloc(nn + 1, sizeof *w->wexcl);
    w->ranks = calloc(s->nunits + 1, sizeof *w->ranks);
    w->hist = calloc(s->nunits * (s->nunits + 1) + 1, sizeof *w->hist);
    w->tiers = calloc(s->nunits * s->ntiers + 1, sizeof *w->tiers);
    if (!w->scratch || !w->out || !w->weight || !w->wexcl || !w->ranks ||
        !w->hist || !w->tiers)
        return gca_fail(err, GCA_ENOMEM, NULL, 0, 0, "out of memory");
    return gca__build_raw(s->fw, s->ds, &w->keep, &w->raw, err);
}

static void worker_free(worker *w)
{
    for (size_t i = 0; i < METHOD_SLOTS; i++)
        if (w->meth[i].key) {
            free(w->meth[i].key);
            gca_method_free(w->meth[i].m);
        }
    gca_buf_release(&w->key);
    gca_arena_release(&w->keep);
    gca_arena_release(&w->run);
    gca_result_free(w->scratch);
    free(w->out);
    free(w->weight);
    free(w->wexcl);
    free(w->ranks);
    free(w->hist);
    free(w->tiers);
}

/* ====== Statistics ====== */

/* R's mean: a long double sum, then a correction pass. */
static double r_mean(const double *x, size_t n)
{
    long double s = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    s /= (long double)n;
    if (isfinite((double)s)) {
        long double t = 0;
        for (size_t i = 0; i < n; i++)
            t += x[i] - s;
        s += t / (long double)n;
    }
    return (double)s;
}

/* R's var: two passes around R's mean, divisor n - 1. */
static double r_var(const double *x, size_t n)
{
    double m = r_mean(x, n);
    long double ss = 0;
    for (size_t i = 0; i < n; i++)
        ss += (x[i] - m) * (x[i] - m);
    return n > 1 ? (double)(ss / (long double)(n - 1)) : NAN;
}

int gca_sens_sobol(const double *ya, const double *yb, const double *yab,
                   size_t n, size_t d, double *si, double *sti,
                   double *var_y)
{
    double *both = malloc(2 * n * sizeof *both + 1);
    double *t = malloc(n * sizeof *t + 1);
    if (!both || !t) {
        free(both);
        free(t);
        return GCA_ENOMEM;
    }
    memcpy(both, ya, n * sizeof *ya);
    memcpy(both + n, yb, n * sizeof *yb);
    double v = r_var(both, 2 * n);
    for (size_t i = 0; i < d; i++) {
        const double *ab = yab + i * n;
        for (size_t j = 0; j < n; j++)
            t[j] = yb[j] * (ab[j] - ya[j]);
        si[i] = r_mean(t, n) / v;
        long double ss = 0;
        for (size_t j = 0; j < n; j++)
            ss += (ya[j] - ab[j]) * (ya[j] - ab[j]);
        sti[i] = (double)ss / (2.0 * (double)n * v);
    }
    *var_y = v;
    free(both);
    free(t);
    return 0;
}

/* The k-th smallest rank (0-based) of unit u from its counts. */
static double hist_at(const unsigned long long *h, size_t nunits, size_t k)
{
    unsigned long long seen = 0;
    for (size_t r = 1; r <= nunits; r++) {
        seen += h[r];
        if (seen > k)
            return (double)r;
    }
    return NAN;
}

/* R's quantile type 7 from counts of n ranks. */
static double hist_quantile(const unsigned long long *h, size_t nunits,
                            size_t n, double p)
{
    double index = (double)(n - 1) * p;
    size_t lo = (size_t)floor(index), hi = (size_t)ceil(index);
    double qs = hist_at(h, nunits, lo), xh = hist_at(h, nunits, hi);
    double g = index - (double)lo;
    return index > (double)lo && xh != qs ? (1 - g) * qs + g * xh : qs;
}

static int unit_stats(gca_sens *s, const unsigned long long *hist,
                      const unsigned long long *tiers)
{
    s->units = calloc(s->nunits + 1, sizeof *s->units);
    s->tier_prob = calloc(s->nunits * s->ntiers + 1, sizeof *s->tier_prob);
    if (!s->units || !s->tier_prob)
        return GCA_ENOMEM;
    for (size_t u = 0; u < s->nunits; u++) {
        const unsigned long long *h = hist + u * (s->nunits + 1);
        gca_sens_unit *su = &s->units[u];
        su->ucode = s->ucode[u];
        su->nominal_score = s->nominal_score[u];
        su->nominal_rank = s->nominal_rank[u];
        unsigned long long n = 0, sum = 0;
        for (size_t r = 1; r <= s->nunits; r++) {
            n += h[r];
            sum += h[r] * r;
        }
        su->nranked = (size_t)n;
        su->mean = su->median = su->q5 = su->q95 = NAN;
        if (n) {
            /* The mean of whole ranks: their exact sum over n. */
            su->mean = (double)sum / (double)n;
            su->median = hist_quantile(h, s->nunits, (size_t)n, 0.5);
            su->q5 = hist_quantile(h, s->nunits, (size_t)n, 0.05);
            su->q95 = hist_quantile(h, s->nunits, (size_t)n, 0.95);
        }
        su->tier_prob = s->tier_prob + u * s->ntiers;
        su->modal_tier = -1;
        unsigned long long best = 0;
        for (size_t k = 0; k < s->ntiers; k++) {
            unsigned long long c = tiers[u * s->ntiers + k];
            s->tier_prob[u * s->ntiers + k] = n ? (double)c / (double)n : NAN;
            if (c > best) {
                best = c;
                su->modal_tier = (int)k;
            }
        }
    }
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double type7(double *x, size_t n, double p)
{
    qsort(x, n, sizeof *x, cmp_double);
    double index = (double)(n - 1) * p;
    size_t lo = (size_t)floor(index), hi = (size_t)ceil(index);
    double g = index - (double)lo;
    return index > (double)lo && x[hi] != x[lo] ? (1 - g) * x[lo] + g * x[hi]
                                                 : x[lo];
}

static int sobol_stats(gca_sens *s)
{
    size_t n = s->o.n, d = s->nin;
    for (size_t i = 0; i < d; i++) {
        s->index[i].name = s->in[i].name;
        s->index[i].si_q5 = s->index[i].si_q95 = NAN;
        s->index[i].sti_q5 = s->index[i].sti_q95 = NAN;
    }
    double si[GCA_SENS_MAX_INPUTS], sti[GCA_SENS_MAX_INPUTS];
    if (gca_sens_sobol(s->y, s->y + n, s->y + 2 * n, n, d, si, sti,
                       &s->var_y) < 0)
        return GCA_ENOMEM;
    for (size_t i = 0; i < d; i++) {
        s->index[i].si = si[i];
        s->index[i].sti = sti[i];
    }
    size_t nb = s->o.nboot;
    if (!nb)
        return 0;
    /* Bootstrap: the same resampled rows j of every block. */
    double *y = malloc(n * (d + 2) * sizeof *y);
    double *bs = malloc(nb * d * sizeof *bs), *bt = malloc(nb * d * sizeof *bt);
    double *col = malloc(nb * sizeof *col);
    if (!y || !bs || !bt || !col) {
        free(y);
        free(bs);
        free(bt);
        free(col);
        return GCA_ENOMEM;
    }
    rng r;
    rng_seed(&r, s->o.seed ^ 0x626f6f74u);
    for (size_t b = 0; b < nb; b++) {
        for (size_t j = 0; j < n; j++) {
            size_t k = (size_t)(rng_unif(&r) * (double)n);
            for (size_t blk = 0; blk < d + 2; blk++)
                y[blk * n + j] = s->y[blk * n + k];
        }
        double v;
        gca_sens_sobol(y, y + n, y + 2 * n, n, d, bs + b * d, bt + b * d,
                       &v);
    }
    for (size_t i = 0; i < d; i++) {
        for (size_t b = 0; b < nb; b++)
            col[b] = bs[b * d + i];
        s->index[i].si_q5 = type7(col, nb, 0.05);
        s->index[i].si_q95 = type7(col, nb, 0.95);
        for (size_t b = 0; b < nb; b++)
            col[b] = bt[b * d + i];
        s->index[i].sti_q5 = type7(col, nb, 0.05);
        s->index[i].sti_q95 = type7(col, nb, 0.95);
    }
    free(y);
    free(bs);
    free(bt);
    free(col);
    return 0;
}

/* ====== The analysis ====== */

static int nominal(gca_sens *s, const char *mtext, size_t mlen, gca_err *err)
{
    json_error_t je;
    s->method = json_loadb(mtext, mlen, JSON_REJECT_DUPLICATES, &je);
    if (!s->method || !json_is_array(json_object_get(s->method, "steps")))
        return gca_fail(err, GCA_EPARSE, "method", je.line, je.column,
                        "the method is not a JSON object with \"steps\"");
    int rc = gca_method_load_mem(mtext, mlen, "method", &s->nominal, err);
    if (rc == 0)
        rc = gca_build(s->fw, s->ds, s->nominal, 0, &s->nominal_res, err);
    if (rc < 0)
        return rc;
    s->nsteps = gca_method_nsteps(s->nominal);
    s->ties = gca_result_ties(s->nominal_res);
    size_t nn = gca_framework_nnodes(s->fw);
    s->nominal_w = calloc(nn + 1, sizeof *s->nominal_w);
    if (!s->nominal_w ||
        gca_result_weights(s->nominal_res, s->nominal_w, nn, err) < 0)
        return err->code ? err->code
                         : gca_fail(err, GCA_ENOMEM, NULL, 0, 0,
                                    "out of memory");
    const gca_dset *fin = gca_result_final(s->nominal_res);
    s->nunits = fin->nrow;
    s->ucode = fin->ucode;
    s->nominal_score = calloc(s->nunits + 1, sizeof(double));
    s->nominal_rank = calloc(s->nunits + 1, sizeof(double));
    if (!s->nominal_score || !s->nominal_rank)
        return gca_fail(err, GCA_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t u = 0; u < s->nunits; u++)
        s->nominal_score[u] = s->nominal_rank[u] = NAN;
    return 0;
}

static int cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

static int run_all(gca_sens *s, gca_err *err)
{
    int nt = s->o.threads > 0 ? s->o.threads : cores();
    if ((size_t)nt > s->nruns)
        nt = (int)s->nruns;
    worker *w = calloc((size_t)nt, sizeof *w);
    thrd_t *th = calloc((size_t)nt, sizeof *th);
    atomic_size_t done = 0;
    int rc = w && th ? 0 : gca_fail(err, GCA_ENOMEM, NULL, 0, 0,
                                    "out of memory");
    int started = 0;
    for (int t = 0; rc == 0 && t < nt; t++) {
        rc = worker_init(&w[t], s, err);
        w[t].first = (size_t)t;
        w[t].step = (size_t)nt;
        w[t].done = &done;
    }
    for (; rc == 0 && started < nt; started++)
        if (thrd_create(&th[started], work, &w[started]) != thrd_success)
            rc = gca_fail(err, GCA_ENOMEM, NULL, 0, 0,
                          "cannot start a thread");
    /* Progress from this thread while the workers run. */
    while (s->o.progress && started == nt &&
           atomic_load(&done) < s->nruns) {
        s->o.progress(atomic_load(&done), s->nruns, s->o.progress_ctx);
        thrd_sleep(&(struct timespec){0, 100000000}, NULL);
    }
    for (int t = 0; t < started; t++)
        thrd_join(th[t], NULL);
    if (s->o.progress && rc == 0)
        s->o.progress(atomic_load(&done), s->nruns, s->o.progress_ctx);
    for (int t = 0; rc == 0 && t < nt; t++)
        if (w[t].rc < 0)
            rc = gca_fail(err, w[t].rc, NULL, 0, 0, "out of memory");
    /* Counts merged in thread order: the same totals for any count. */
    unsigned long long *hist = NULL, *tiers = NULL;
    if (rc == 0) {
        size_t nh = s->nunits * (s->nunits + 1), nt2 = s->nunits * s->ntiers;
        hist = calloc(nh + 1, sizeof *hist);
        tiers = calloc(nt2 + 1, sizeof *tiers);
        if (!hist || !tiers)
            rc = gca_fail(err, GCA_ENOMEM, NULL, 0, 0, "out of memory");
        for (int t = 0; rc == 0 && t < nt; t++) {
            for (size_t i = 0; i < nh; i++)
                hist[i] += w[t].hist[i];
            for (size_t i = 0; i < nt2; i++)
                tiers[i] += w[t].tiers[i];
        }
    }
    if (rc == 0 && unit_stats(s, hist, tiers) < 0)
        rc = gca_fail(err, GCA_ENOMEM, NULL, 0, 0, "out of memory");
    free(hist);
    free(tiers);
    for (int t = 0; w && t < nt; t++)
        worker_free(&w[t]);
    free(w);
    free(th);
    return rc;
}

int gca_sens_run(const gca_framework *fw, const gca_dataset *ds,
                 const char *method_json, size_t method_len,
                 const char *spec, size_t spec_len, const char *spec_source,
                 const char *spec_dir, const gca_sens_opts *opts,
                 gca_sens **out, gca_err *err)
{
    if (!fw || !ds || !method_json || !spec || !opts || !out)
        return gca_fail(err, GCA_EINVAL, NULL, 0, 0,
                        "gca_sens_run needs a framework, data, a method, a "
                        "spec and options");
    if (opts->type != GCA_SENS_UA && opts->type != GCA_SENS_SA)
        return gca_fail(err, GCA_EINVAL, "type", 0, 0,
                        "type: UA or SA");
    if (opts->grid && (opts->type != GCA_SENS_UA || opts->params ||
                       opts->sobol))
        return gca_fail(err, GCA_EINVAL, "sample", 0, 0,
                        "a grid is a UA design of its own (not with SA, "
                        "params or Sobol)");
    if (!opts->params && !opts->grid &&
        (opts->n < (opts->type == GCA_SENS_SA ? 2u : 1u) ||
         opts->n > GCA_SENS_MAX_RUNS))
        return gca_fail(err, GCA_EINVAL, "n", 0, 0,
                        "n: %s to %u", opts->type == GCA_SENS_SA ? "2" : "1",
                        GCA_SENS_MAX_RUNS);
    if (opts->nboot > 100000)
        return gca_fail(err, GCA_EINVAL, "nboot", 0, 0,
                        "nboot: 0 to 100000");
    gca_sens *s = calloc(1, sizeof *s);
    if (!s)
        return gca_fail(err, GCA_ENOMEM, NULL, 0, 0, "out of memory");
    s->fw = fw;
    s->ds = ds;
    s->o = *opts;
    s->ntiers = gca_framework_ntiers(fw);
    const char *src = spec_source ? spec_source : "spec";
    /* The method first (the spec's addresses name its steps), then the
     * spec, then the nominal scores of the spec's target. */
    int rc = nominal(s, method_json, method_len, err);
    if (rc == 0) {
        rc = parse_spec(s, spec, spec_len, src, spec_dir, err);
        if (rc == 0) {
            const gca_dset *fin = gca_result_final(s->nominal_res);
            const gca_dset *rk = gca_result_ranks(s->nominal_res);
            int found = 0;
            for (size_t c = 0; rk && c < fin->ncol; c++)
                if (fin->node[c] == s->target) {
                    found = 1;
                    for (size_t u = 0; u < s->nunits; u++) {
                        s->nominal_score[u] = GCA_DSET_AT(fin, u, c);
                        s->nominal_rank[u] = GCA_DSET_AT(rk, u, c);
                    }
                }
            if (!found)
                rc = gca_fail(err, GCA_EINVAL, src, 0, 0,
                              "the method makes no '%s' scores",
                              gca_framework_node_at(fw, (size_t)s->target)
                                  ->code);
        }
    }
    size_t d = s->nin;
    if (rc == 0 && s->o.params) {
        rc = read_params(s, err);
    } else if (rc == 0 && s->o.grid) {
        s->nruns = 1;
        for (size_t i = 0; rc == 0 && i < d; i++) {
            if (s->in[i].continuous)
                rc = gca_fail(err, GCA_EINVAL, "sample", 0, 0,
                              "a grid needs discrete inputs: '%s' has a "
                              "range",
                              s->in[i].name);
            else if (s->nruns > GCA_SENS_MAX_RUNS / s->in[i].nvalues)
                rc = gca_fail(err, GCA_EINVAL, "sample", 0, 0,
                              "the grid has more than %u runs",
                              GCA_SENS_MAX_RUNS);
            else
                s->nruns *= s->in[i].nvalues;
        }
        s->o.n = s->nruns;
        if (rc == 0 &&
            !(s->param = malloc(s->nruns * d * sizeof *s->param + 1)))
            rc = gca_fail(err, GCA_ENOMEM, NULL, 0, 0, "out of memory");
        if (rc == 0)
            rc = make_sample(s, err);
    } else if (rc == 0) {
        s->nruns = s->o.type == GCA_SENS_SA ? s->o.n * (d + 2) : s->o.n;
        if (s->nruns > GCA_SENS_MAX_RUNS)
            rc = gca_fail(err, GCA_EINVAL, "n", 0, 0,
                          "%zu runs: at most %u", s->nruns,
                          GCA_SENS_MAX_RUNS);
        else if (!(s->param = malloc(s->nruns * d * sizeof *s->param + 1)))
            rc = gca_fail(err, GCA_ENOMEM, NULL, 0, 0, "out of memory");
        else
            rc = make_sample(s, err);
    }
    if (rc == 0) {
        s->nstat = s->o.type == GCA_SENS_SA ? 2 * s->o.n : s->nruns;
        s->y = malloc(s->nruns * sizeof *s->y + 1);
        s->failure = calloc(s->nruns + 1, sizeof *s->failure);
        if (s->o.keep_scores)
            s->scores = malloc(s->nruns * s->nunits * sizeof *s->scores + 1);
        if (!s->y || !s->failure || (s->o.keep_scores && !s->scores))
            rc = gca_fail(err, GCA_ENOMEM, NULL, 0, 0, "out of memory");
        for (size_t r = 0; rc == 0 && r < s->nruns; r++)
            s->y[r] = NAN;
        for (size_t i = 0; s->scores && i < s->nruns * s->nunits; i++)
            s->scores[i] = NAN;
    }
    if (rc == 0)
        rc = run_all(s, err);
    for (size_t r = 0; rc == 0 && r < s->nruns; r++)
        s->nfailed += s->failure[r] != NULL;
    if (rc == 0 && s->o.type == GCA_SENS_SA && sobol_stats(s) < 0)
        rc = gca_fail(err, GCA_ENOMEM, NULL, 0, 0, "out of memory");
    if (rc < 0) {
        gca_sens_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

int gca_sens_spec_check(const gca_framework *fw, const char *method_json,
                        size_t method_len, const char *spec, size_t spec_len,
                        const char *spec_source, const char *spec_dir,
                        gca_err *err)
{
    if (!fw || !method_json || !spec)
        return gca_fail(err, GCA_EINVAL, NULL, 0, 0,
                        "a spec check needs a framework, a method and a "
                        "spec");
    gca_sens *s = calloc(1, sizeof *s);
    if (!s)
        return gca_fail(err, GCA_ENOMEM, NULL, 0, 0, "out of memory");
    s->fw = fw;
    json_error_t je;
    s->method = json_loadb(method_json, method_len, JSON_REJECT_DUPLICATES,
                           &je);
    int rc = s->method && json_is_array(json_object_get(s->method, "steps"))
                 ? parse_spec(s, spec, spec_len,
                              spec_source ? spec_source : "spec", spec_dir,
                              err)
                 : gca_fail(err, GCA_EPARSE, "method", je.line, je.column,
                            "the method is not a JSON object with "
                            "\"steps\"");
    gca_sens_free(s);
    return rc;
}

void gca_sens_free(gca_sens *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nin; i++) {
        input *in = &s->in[i];
        for (size_t k = 0; k < in->nvalues; k++) {
            json_decref(in->values[k]);
            free(in->labels[k]);
        }
        free(in->values);
        free(in->labels);
        free(in->sets);
        free(in->nodes);
        free(in->name);
        free(in->param);
    }
    for (size_t r = 0; s->failure && r < s->nruns; r++)
        free(s->failure[r]);
    json_decref(s->method);
    gca_method_free(s->nominal);
    gca_result_free(s->nominal_res);
    free(s->param);
    free(s->y);
    free(s->scores);
    free(s->failure);
    free(s->nominal_score);
    free(s->nominal_rank);
    free(s->nominal_w);
    free(s->units);
    free(s->tier_prob);
    free(s);
}

/* ====== Accessors ====== */

size_t gca_sens_nunits(const gca_sens *s)
{
    return s->nunits;
}

const gca_sens_unit *gca_sens_unit_at(const gca_sens *s, size_t i)
{
    return i < s->nunits ? &s->units[i] : NULL;
}

size_t gca_sens_nruns(const gca_sens *s)
{
    return s->nruns;
}

size_t gca_sens_nfailed(const gca_sens *s)
{
    return s->nfailed;
}

const char *gca_sens_failure(const gca_sens *s, size_t r)
{
    return r < s->nruns ? s->failure[r] : NULL;
}

double gca_sens_score(const gca_sens *s, size_t r, size_t u)
{
    return s->scores && r < s->nruns && u < s->nunits
               ? s->scores[r * s->nunits + u]
               : NAN;
}

double gca_sens_y(const gca_sens *s, size_t r)
{
    return r < s->nruns ? s->y[r] : NAN;
}

size_t gca_sens_ninputs(const gca_sens *s)
{
    return s->nin;
}

const char *gca_sens_input_name(const gca_sens *s, size_t i)
{
    return i < s->nin ? s->in[i].name : NULL;
}

const char *gca_sens_param(const gca_sens *s, size_t r, size_t i, char *buf,
                           size_t size)
{
    if (r >= s->nruns || i >= s->nin)
        return NULL;
    return label_of(&s->in[i], s->param[r * s->nin + i], buf, size);
}

const gca_sens_index *gca_sens_index_at(const gca_sens *s, size_t i)
{
    return s->o.type == GCA_SENS_SA && i < s->nin ? &s->index[i] : NULL;
}

double gca_sens_var_y(const gca_sens *s)
{
    return s->o.type == GCA_SENS_SA ? s->var_y : NAN;
}

/* ====== Output files ====== */

static int put_table(gca_outdir *od, const char *name, gca__table *t,
                     gca_err *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc = t->err ? gca_fail(err, GCA_ENOMEM, name, 0, 0, "out of memory")
                    : gca__table_render(t, GCA_FORMAT_CSV, &text, &len, err);
    if (rc == 0)
        rc = gca_outdir_write(od, name, text, len, err);
    gca_free(text);
    gca__table_release(t);
    return rc;
}

static int write_rankstats(const gca_sens *s, gca_outdir *od, gca_err *err)
{
    static const char *const h[] = {"uCode", "Nominal", "Mean", "Median",
                                    "Q5",    "Q95",     "NominalScore",
                                    "Ranked"};
    gca__table t;
    if (gca__table_init(&t, GCA_COUNT(h), h) < 0)
        return gca_fail(err, GCA_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t u = 0; u < s->nunits; u++) {
        const gca_sens_unit *su = &s->units[u];
        size_t r = gca__table_row(&t);
        gca__table_text(&t, r, 0, su->ucode);
        gca__table_num(&t, r, 1, su->nominal_rank);
        gca__table_num(&t, r, 2, su->mean);
        gca__table_num(&t, r, 3, su->median);
        gca__table_num(&t, r, 4, su->q5);
        gca__table_num(&t, r, 5, su->q95);
        gca__table_num(&t, r, 6, su->nominal_score);
        gca__table_num(&t, r, 7, (double)su->nranked);
    }
    return put_table(od, "rankstats.csv", &t, err);
}

static int write_tiers(const gca_sens *s, gca_outdir *od, gca_err *err)
{
    const char *h[2 + 64];
    size_t nt = s->ntiers < 62 ? s->ntiers : 62;
    h[0] = "uCode";
    for (size_t k = 0; k < nt; k++)
        h[1 + k] = gca_framework_tier_at(s->fw, k)->code;
    h[1 + nt] = "Modal";
    gca__table t;
    if (gca__table_init(&t, nt + 2, h) < 0)
        return gca_fail(err, GCA_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t u = 0; u < s->nunits; u++) {
        const gca_sens_unit *su = &s->units[u];
        size_t r = gca__table_row(&t);
        gca__table_text(&t, r, 0, su->ucode);
        for (size_t k = 0; k < nt; k++)
            gca__table_num(&t, r, 1 + k, su->tier_prob[k]);
        gca__table_text(&t, r, 1 + nt,
                        su->modal_tier >= 0
                            ? gca_framework_tier_at(s->fw,
                                                    (size_t)su->modal_tier)
                                  ->code
                            : NULL);
    }
    return put_table(od, "tiers.csv", &t, err);
}

static int write_params(const gca_sens *s, gca_outdir *od, gca_err *err)
{
    const char *h[GCA_SENS_MAX_INPUTS + 4];
    size_t n = 0;
    h[n++] = "rep";
    if (s->o.type == GCA_SENS_SA)
        h[n++] = "block";
    for (size_t i = 0; i < s->nin; i++)
        h[n++] = s->in[i].name;
    h[n++] = "y";
    h[n++] = "failure";
    gca__table t;
    if (gca__table_init(&t, n, h) < 0)
        return gca_fail(err, GCA_ENOMEM, NULL, 0, 0, "out of memory");
    char buf[64], blk[32];
    for (size_t r = 0; r < s->nruns; r++) {
        size_t row = gca__table_row(&t), c = 0;
        gca__table_num(&t, row, c++, (double)(r + 1));
        if (s->o.type == GCA_SENS_SA) {
            size_t b = r / s->o.n;
            if (b < 2)
                snprintf(blk, sizeof blk, "%s", b ? "B" : "A");
            else
                snprintf(blk, sizeof blk, "AB%zu", b - 1);
            gca__table_text(&t, row, c++, blk);
        }
        for (size_t i = 0; i < s->nin; i++)
            gca__table_text(&t, row, c++, gca_sens_param(s, r, i, buf,
                                                         sizeof buf));
        gca__table_num(&t, row, c++, s->y[r]);
        gca__table_text(&t, row, c++, s->failure[r]);
    }
    return put_table(od, "params.csv", &t, err);
}

static int write_indices(const gca_sens *s, gca_outdir *od, gca_err *err)
{
    static const char *const h[] = {"Variable", "Si",     "STi",
                                    "Si_q5",    "Si_q95", "STi_q5",
                                    "STi_q95"};
    gca__table t;
    if (gca__table_init(&t, GCA_COUNT(h), h) < 0)
        return gca_fail(err, GCA_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < s->nin; i++) {
        const gca_sens_index *x = &s->index[i];
        size_t r = gca__table_row(&t);
        gca__table_text(&t, r, 0, x->name);
        double v[] = {x->si,     x->sti,    x->si_q5,
                      x->si_q95, x->sti_q5, x->sti_q95};
        for (size_t k = 0; k < GCA_COUNT(v); k++)
            gca__table_num(&t, r, 1 + k, v[k]);
    }
    return put_table(od, "sensitivity.csv", &t, err);
}

static int write_scores(const gca_sens *s, gca_outdir *od, gca_err *err)
{
    size_t n = s->nruns + 2;
    const char **h = malloc(n * sizeof *h);
    char *names = malloc(s->nruns * 24 + 1);
    if (!h || !names) {
        free(h);
        free(names);
        return gca_fail(err, GCA_ENOMEM, NULL, 0, 0, "out of memory");
    }
    h[0] = "uCode";
    h[1] = "Nominal";
    for (size_t r = 0; r < s->nruns; r++) {
        snprintf(names + r * 24, 24, "r_%zu", r + 1);
        h[2 + r] = names + r * 24;
    }
    gca__table t;
    int rc = gca__table_init(&t, n, h);
    free(h);
    free(names);
    if (rc < 0)
        return gca_fail(err, GCA_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t u = 0; u < s->nunits; u++) {
        size_t row = gca__table_row(&t);
        gca__table_text(&t, row, 0, s->ucode[u]);
        gca__table_num(&t, row, 1, s->nominal_score[u]);
        for (size_t r = 0; r < s->nruns; r++)
            gca__table_num(&t, row, 2 + r, s->scores[r * s->nunits + u]);
    }
    return put_table(od, "scores.csv", &t, err);
}

/* Per excluded element: the runs that dropped it and their mean y, the
 * mean absolute rank change (COINr's remove_elements MeanAbsDiff). */
static int write_exclusion(const gca_sens *s, gca_outdir *od, gca_err *err)
{
    static const char *const h[] = {"Input", "Removed", "Runs", "Failed",
                                    "MeanAbsDiff"};
    gca__table t;
    if (gca__table_init(&t, GCA_COUNT(h), h) < 0)
        return gca_fail(err, GCA_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t k = 2; k < GCA_COUNT(h); k++)
        gca__table_numeric(&t, k);
    for (size_t i = 0; i < s->nin; i++) {
        const input *in = &s->in[i];
        if (in->kind != IN_EXCLUDE)
            continue;
        for (size_t k = 0; k < in->nvalues; k++) {
            size_t runs = 0, failed = 0;
            long double sum = 0;
            for (size_t r = 0; r < s->nruns; r++) {
                if ((size_t)s->param[r * s->nin + i] != k)
                    continue;
                runs++;
                if (isnan(s->y[r]))
                    failed++;
                else
                    sum += s->y[r];
            }
            size_t row = gca__table_row(&t);
            gca__table_text(&t, row, 0, in->name);
            gca__table_text(&t, row, 1, in->labels[k]);
            gca__table_num(&t, row, 2, (double)runs);
            gca__table_num(&t, row, 3, (double)failed);
            gca__table_num(&t, row, 4,
                           runs > failed
                               ? (double)(sum / (long double)(runs - failed))
                               : NAN);
        }
    }
    return put_table(od, "exclusion.csv", &t, err);
}

int gca_sens_write(const gca_sens *s, const char *dir, gca_err *err)
{
    gca_outdir od;
    int rc = gca_outdir_begin(&od, dir, err);
    if (rc < 0)
        return rc;
    rc = write_rankstats(s, &od, err);
    if (rc == 0 && s->ntiers)
        rc = write_tiers(s, &od, err);
    if (rc == 0)
        rc = write_params(s, &od, err);
    if (rc == 0 && s->o.type == GCA_SENS_SA)
        rc = write_indices(s, &od, err);
    if (rc == 0 && s->scores)
        rc = write_scores(s, &od, err);
    int excl = 0;
    for (size_t i = 0; i < s->nin; i++)
        excl |= s->in[i].kind == IN_EXCLUDE;
    if (rc == 0 && excl)
        rc = write_exclusion(s, &od, err);
    if (rc == 0) {
        json_t *sum = json_pack(
            "{s:s,s:I,s:I,s:I,s:I,s:s,s:o}", "type",
            s->o.type == GCA_SENS_SA ? "SA" : "UA", "n", (json_int_t)s->o.n,
            "runs", (json_int_t)s->nruns, "failed", (json_int_t)s->nfailed,
            "seed", (json_int_t)s->o.seed, "target",
            gca_framework_node_at(s->fw, (size_t)s->target)->code, "var_y",
            s->o.type == GCA_SENS_SA && isfinite(s->var_y)
                ? json_real(s->var_y)
                : json_null());
        char *text = sum ? json_dumps(sum, JSON_INDENT(2)) : NULL;
        json_decref(sum);
        rc = text ? gca_outdir_write(&od, "summary.json", text, strlen(text),
                                     err)
                  : gca_fail(err, GCA_ENOMEM, NULL, 0, 0, "out of memory");
        free(text);
    }
    if (rc == 0)
        rc = gca_outdir_commit(&od, err);
    if (rc < 0)
        gca_outdir_abort(&od);
    return rc;
}
