/* rights.c - the pure part of the rights lens: measure types and their
 * flag letters, the flags string, and the matching of an instrument's
 * short name in free text (docs/rights.md, "Flags" and "Matching"). No
 * store, no I/O. */
#include <string.h>

#include "gca/rights.h"

#include "core/banned.h"

const gca_rights_type gca_rights_types[] = {
    {"lawful_access_e2ee", 'E', "lawful access to encrypted data / E2EE"},
    {"encryption_restriction", 'C', "encryption restriction"},
    {"data_retention", 'R', "data retention"},
    {"subscriber_id_registration", 'I', "subscriber identity registration"},
    {"routing_restriction", 'G', "routing restriction / central gateway"},
    {"shutdown", 'S', "network shutdown"},
    {NULL, 0, NULL},
};

int gca_rights_type_index(const char *measure)
{
    if (!measure)
        return -1;
    for (int i = 0; gca_rights_types[i].measure; i++)
        if (!strcmp(gca_rights_types[i].measure, measure))
            return i;
    return -1;
}

int gca_rights_status_valid(const char *status)
{
    static const char *const ok[] = {"in_force", "proposed", "repealed",
                                     "struck_down"};
    if (!status)
        return 0;
    for (size_t i = 0; i < GCA_COUNT(ok); i++)
        if (!strcmp(ok[i], status))
            return 1;
    return 0;
}

/* ====== Flags ====== */

void gca_rights_flags_add(gca_rights_flags *f, const char *measure,
                          const char *status)
{
    int i = gca_rights_type_index(measure);
    if (i < 0 || !status)
        return;
    if (!strcmp(status, "in_force"))
        f->in_force |= 1u << i;
    else if (!strcmp(status, "proposed"))
        f->proposed |= 1u << i;
}

void gca_rights_flags_format(const gca_rights_flags *f,
                             char out[GCA_RIGHTS_FLAGS_MAX])
{
    size_t n = 0;
    for (int i = 0; gca_rights_types[i].measure; i++) {
        char c = gca_rights_types[i].letter;
        /* In force wins over proposed: a proposal to extend a measure
         * already in force does not make it less present. */
        if (f->in_force & (1u << i))
            out[n++] = c;
        else if (f->proposed & (1u << i))
            out[n++] = (char)(c - 'A' + 'a');
    }
    out[n] = '\0';
}

/* ====== Matching ====== */

static int is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z');
}

static char lower(unsigned char c)
{
    return (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
}

int gca_rights_short_name(const char *instrument, char *out, size_t cap)
{
    size_t n = 0;
    int tokens = 0, in_token = 0;
    if (cap == 0)
        return GCA_ETOOBIG;
    out[0] = '\0';
    if (!instrument)
        return 0;
    for (const unsigned char *p = (const unsigned char *)instrument;
         *p && *p != ',' && *p != '('; p++) {
        if (!is_alnum(*p)) {
            in_token = 0;
            continue;
        }
        if (!in_token) {
            /* A space between tokens, none before the first. */
            if (tokens > 0) {
                if (n + 1 >= cap)
                    return GCA_ETOOBIG;
                out[n++] = ' ';
            }
            tokens++;
            in_token = 1;
        }
        if (n + 1 >= cap)
            return GCA_ETOOBIG;
        out[n++] = lower(*p);
    }
    out[n] = '\0';
    return tokens;
}

/* Does the token sequence `name` (tokens separated by one space) start at
 * text `p`, a token start, and end at a token end? */
static int match_at(const unsigned char *p, const char *name)
{
    for (const char *q = name; *q; q++) {
        if (*q == ' ') {
            /* The text's token must end here, and a run of separators
             * lead to the next one. */
            if (is_alnum(*p))
                return 0;
            while (*p && !is_alnum(*p))
                p++;
            if (!*p)
                return 0;
            continue;
        }
        if (lower(*p) != *q)
            return 0;
        p++;
    }
    return !is_alnum(*p);
}

int gca_rights_match(const char *instrument, const char *text)
{
    /* Titles are at most GCA_KB_TITLE_MAX bytes; a short name cannot be
     * longer than its title. */
    char name[512];
    if (!text || gca_rights_short_name(instrument, name, sizeof name) <= 0)
        return 0;
    const unsigned char *t = (const unsigned char *)text;
    for (size_t i = 0; t[i]; i++) {
        int start = is_alnum(t[i]) && (i == 0 || !is_alnum(t[i - 1]));
        if (start && match_at(t + i, name))
            return 1;
    }
    return 0;
}
