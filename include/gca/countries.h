/* gca/countries.h - the country list: ISO 3166-1 codes and names with UN
 * M49 and ITU regions, used to name units and to check unit codes. The
 * shipped list is data/countries.csv (sources in data/README.md); the
 * CSV format is described in the comment of gca_countries_load_mem. */
#ifndef GCA_COUNTRIES_H
#define GCA_COUNTRIES_H

#include "gca/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Ceilings on a country list; larger inputs fail GCA_ETOOBIG. */
#define GCA_MAX_COUNTRIES_FILE (4u << 20)
#define GCA_MAX_COUNTRIES 10000

/* One entry of the list. Every string is borrowed from the list and valid
 * until it is freed. Optional fields are NULL when the CSV cell is empty;
 * the required ones (iso3, iso2, numeric, name) never are. */
typedef struct gca_country {
    const char *iso3;          /* ISO 3166-1 alpha-3, "AFG" */
    const char *iso2;          /* ISO 3166-1 alpha-2, "AF" */
    const char *numeric;       /* ISO 3166-1 numeric, 3 digits, "004" */
    int number;                /* the same as a number, 4 */
    const char *name;          /* ISO short name, "Afghanistan" */
    const char *official_name; /* ISO official name, NULL = none */
    const char *m49_region;    /* UN M49 region, "Asia"; NULL = none */
    const char *m49_subregion; /* "Southern Asia"; NULL = none */
    const char *m49_intermediate_region; /* NULL = none */
    const char *itu_region;        /* ITU/BDT region, NULL = unknown */
    const char *itu_region_source; /* where itu_region was read */
    const char *income_group;  /* World Bank, "Low income"; NULL = none */
    const char *income_group_source; /* where income_group was read */
} gca_country;

/* An immutable list of countries; shareable between threads once loaded. */
typedef struct gca_countries gca_countries;

/* Load a country list from CSV text data[0..len); `source` names it in
 * errors. Columns, in any order: iso3, iso2, numeric, name (required),
 * official_name, m49_region, m49_subregion, m49_intermediate_region,
 * itu_region, itu_region_source, income_group, income_group_source
 * (optional); any other column is an error.
 * iso3 is 3 and iso2 2 upper-case ASCII letters, numeric 3 digits; codes
 * and names (compared ignoring ASCII case) are unique; itu_region is one
 * of Africa, Americas, Arab States, Asia & Pacific, CIS, Europe or empty,
 * and is given with its itu_region_source or not at all; income_group is
 * one of Low income, Lower middle income, Upper middle income, High
 * income or empty, and is given with its income_group_source or not at
 * all.
 * Returns 0 and sets *out to a new list (free with gca_countries_free),
 * or a negative GCA_E* with *err filled (file:line:col) and *out
 * untouched. */
GCA_API int gca_countries_load_mem(const char *data, size_t len,
                                   const char *source, gca_countries **out,
                                   gca_err *err);
/* The same, reading the file at `path`. */
GCA_API int gca_countries_load(const char *path, gca_countries **out,
                               gca_err *err);
/* The list shipped with gca (data/countries.csv, built into the library).
 * Returns as gca_countries_load_mem; each call makes a new list. */
GCA_API int gca_countries_default(gca_countries **out, gca_err *err);
/* Free `cs` and every string it lent out. NULL is a no-op. */
GCA_API void gca_countries_free(gca_countries *cs);

/* Number of entries, and entry `i` (in file order; NULL if i >= count). */
GCA_API size_t gca_countries_count(const gca_countries *cs);
GCA_API const gca_country *gca_countries_at(const gca_countries *cs,
                                            size_t i);

/* Lookups; each returns an entry borrowed from `cs`, or NULL if none
 * matches. Letters are compared ignoring ASCII case. */
/* By any code: 3 letters = alpha-3, 2 letters = alpha-2, 1 to 3 digits
 * = numeric ("004" and "4" alike). */
GCA_API const gca_country *gca_countries_find(const gca_countries *cs,
                                              const char *code);
GCA_API const gca_country *gca_countries_by_iso3(const gca_countries *cs,
                                                 const char *iso3);
GCA_API const gca_country *gca_countries_by_iso2(const gca_countries *cs,
                                                 const char *iso2);
GCA_API const gca_country *gca_countries_by_number(const gca_countries *cs,
                                                   int number);
/* By the whole short name, else by the whole official name. Only ASCII
 * letters are folded: "cote d'ivoire" does not find "Côte d'Ivoire". */
GCA_API const gca_country *gca_countries_by_name(const gca_countries *cs,
                                                 const char *name);

#ifdef __cplusplus
}
#endif
#endif
