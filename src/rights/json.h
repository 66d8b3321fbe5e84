/* json.h - the rights lens as JSON (profile.c), shared by the command
 * line (gca country, gca rights, gca rankings) and the API (gca serve),
 * so that both say the same thing in the same shape. */
#ifndef GCA_RIGHTS_JSON_H
#define GCA_RIGHTS_JSON_H

#include <jansson.h>

#include "core/json.h"

#include "gca/rights.h"

/* {"E": "lawful access / E2EE", ...}: the letters of the flags. */
json_t *gca__rights_legend_json(void);
/* One rights measure, with its evidence and "unverified". */
json_t *gca__rights_measure_json(const gca_rights_measure *m);
/* The profile of country `iso3` (GCA_ENOTFOUND, source "country", if
 * there is none): name, regions, "security" (published GCI 2020 score
 * and rank, `edition`'s when given, national CIRT status) and "rights"
 * (flags, legend, measures, shutdowns), new reference in *out. */
int gca__rights_profile_json(gca_store *st, const char *iso3,
                             const char *edition, json_t **out,
                             gca_err *err);

#endif
