/* profile.c - the country profile and the rights measures as JSON, the
 * same for `gca country --json`, `gca rights list --json` and the API
 * (gca serve): security figures and rights measures side by side in
 * separate "security" and "rights" objects, never combined. */
#include <math.h>
#include <string.h>

#include "gca/countries.h"
#include "rights/json.h"

#include "core/banned.h"

json_t *gca__rights_legend_json(void)
{
    json_t *o = json_object();
    for (int i = 0; o && gca_rights_types[i].measure; i++) {
        char k[2] = {gca_rights_types[i].letter, '\0'};
        if (json_object_set_new(o, k,
                                json_string(gca_rights_types[i].label)) != 0) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

/* "unverified: ..." notes mark rows read from secondary sources. */
static int unverified(const char *note)
{
    return note && !strncmp(note, "unverified", 10);
}

json_t *gca__rights_measure_json(const gca_rights_measure *m)
{
    return json_pack(
        "{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:o, s:o, s:o}, "
        "s:b}",
        "id", gca__json_text(m->id), "iso3",
        *m->iso3 ? gca__json_text(m->iso3) : json_null(), "country",
        *m->country ? gca__json_text(m->country) : json_null(), "region",
        gca__json_text(m->region), "measure", gca__json_text(m->measure),
        "status", gca__json_text(m->status), "instrument",
        gca__json_text(m->instrument), "summary", gca__json_text(m->summary),
        "year", m->year ? json_integer(m->year) : json_null(), "evidence",
        "source", gca__json_text(m->source), "url", gca__json_text(m->url),
        "note", gca__json_text(m->note), "unverified", unverified(m->note));
}

static json_t *num_or_null(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

static json_t *security_json(const gca_rights_security *s, const char *ed)
{
    json_t *pub = s->has_published
                      ? json_pack("{s:s, s:o, s:o}", "edition", "GCI 2020",
                                  "score", num_or_null(s->published_score),
                                  "rank", s->published_rank
                                              ? json_integer(s->published_rank)
                                              : json_null())
                      : json_null();
    json_t *edj = json_null();
    if (ed)
        edj = json_pack("{s:o, s:b, s:o, s:o, s:o}", "edition",
                        gca__json_text(ed), "scored", s->has_edition,
                        "score", num_or_null(s->edition_score), "rank",
                        s->edition_rank ? json_integer(s->edition_rank)
                                        : json_null(),
                        "tier", *s->edition_tier
                                    ? gca__json_text(s->edition_tier)
                                    : json_null());
    return json_pack("{s:o, s:o, s:{s:o, s:o, s:o}}", "published", pub,
                     "edition", edj, "national_cirt", "status",
                     gca__json_text(s->cirt_status), "team",
                     *s->cirt_team ? gca__json_text(s->cirt_team)
                                   : json_null(),
                     "source", *s->cirt_source
                                   ? gca__json_text(s->cirt_source)
                                   : json_null());
}

typedef struct profile_ctx {
    json_t *measures, *shutdowns;
    size_t nregional;
} profile_ctx;

static int add_measure(const gca_rights_measure *m, void *ctx)
{
    profile_ctx *c = ctx;
    json_t *o = gca__rights_measure_json(m);
    return !o || json_array_append_new(c->measures, o) ? GCA_ENOMEM : 0;
}

static int count_regional(const gca_rights_measure *m, void *ctx)
{
    if (!*m->iso3)
        ((profile_ctx *)ctx)->nregional++;
    return 0;
}

static int add_shutdown(const gca_rights_shutdown *s, void *ctx)
{
    profile_ctx *c = ctx;
    json_t *o = json_pack("{s:i, s:I, s:o, s:o, s:o}", "year", s->year,
                          "count", (json_int_t)s->count, "count_type",
                          gca__json_text(s->count_type), "source",
                          gca__json_text(s->source), "note",
                          gca__json_text(s->note));
    return !o || json_array_append_new(c->shutdowns, o) ? GCA_ENOMEM : 0;
}

int gca__rights_profile_json(gca_store *st, const char *iso3,
                             const char *edition, json_t **out, gca_err *err)
{
    gca_rights_security sec;
    char flags[GCA_RIGHTS_FLAGS_MAX];
    gca_countries *cs = NULL;
    profile_ctx c = {json_array(), json_array(), 0};
    gca_rights_filter flt = {iso3, NULL, NULL};
    int avail = 0;
    *out = NULL;
    int rc = c.measures && c.shutdowns
                 ? gca_countries_default(&cs, err)
                 : gca_fail(err, GCA_ENOMEM, "profile", 0, 0,
                            "out of memory");
    const gca_country *cty = NULL;
    if (rc == 0 && !(cty = gca_countries_by_iso3(cs, iso3 ? iso3 : "")))
        rc = gca_fail(err, GCA_ENOTFOUND, "country", 0, 0,
                      "no country '%.8s'", iso3 ? iso3 : "");
    if (rc == 0)
        rc = gca_rights_security_get(st, cty->iso3, edition, &sec, err);
    if (rc == 0)
        rc = gca_rights_country_flags(st, cty->iso3, flags, err);
    if (rc == 0)
        rc = gca_rights_list(st, NULL, count_regional, &c, err);
    if (rc == 0)
        rc = gca_rights_list(st, &flt, add_measure, &c, err);
    if (rc == 0)
        rc = gca_rights_shutdowns(cty->iso3, add_shutdown, &c, &avail, err);
    if (rc == 0) {
        *out = json_pack(
            "{s:o, s:o, s:o, s:o, s:o, s:{s:o, s:o, s:o, s:o, s:{s:b, s:o}, "
            "s:I}}",
            "iso3", gca__json_text(cty->iso3), "name",
            gca__json_text(cty->name), "m49_region",
            gca__json_text(cty->m49_region), "m49_subregion",
            gca__json_text(cty->m49_subregion), "security",
            security_json(&sec, edition), "rights", "flags",
            json_string(flags), "legend", gca__rights_legend_json(), "note",
            json_string(GCA_RIGHTS_ABSENCE_NOTE), "measures", c.measures,
            "shutdowns", "available", avail, "counts", c.shutdowns,
            "regional_not_attributed", (json_int_t)c.nregional);
        c.measures = c.shutdowns = NULL; /* taken by json_pack, or freed */
        if (!*out)
            rc = gca_fail(err, GCA_ENOMEM, "profile", 0, 0, "out of memory");
    }
    json_decref(c.measures);
    json_decref(c.shutdowns);
    gca_countries_free(cs);
    return rc;
}
