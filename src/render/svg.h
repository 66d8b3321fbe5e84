/* svg.h (internal) - SVG charts shared by the portal's pages and the
 * static report: the world map of data/map/countries-110m.csv (Natural
 * Earth 1:110m, public domain; data/README.md). */
#ifndef GCA_RENDER_SVG_H
#define GCA_RENDER_SVG_H

#include <stddef.h>

#include "core/buf.h"
#include "gca/core.h"

/* What a country shows on the map: its band (0 .. nbands - 1, -1 for no
 * data, -2 for outside the region shown: class "out") and the text of its tooltip (title). Return non-zero to stop
 * with that code. */
typedef int (*gca__map_fn)(const char *iso3, const char *name, int *band,
                           char *title, size_t title_size, void *ctx);

/* An SVG world map (viewBox 960 x 480, equirectangular) into out: one
 * <path> per country with class "bN" for band N or "nodata", and a
 * <title>; the whole is role="img" with `label` as its accessible name.
 * `cs` matches the file's numeric codes to ISO3.
 * Colours come from the page's stylesheet. */
struct gca_countries;
int gca__svg_world_map(const struct gca_countries *cs, gca__map_fn fn,
                       void *ctx, const char *label, gca_buf *out,
                       gca_err *err);

/* Horizontal bars, one per label (values NaN = no bar, "no data"),
 * scaled to `max`; role="img" named `label`. The caller shows the same
 * numbers as a table. */
int gca__svg_bars(const char *const *labels, const double *values, size_t n,
                  double max, const char *label, gca_buf *out, gca_err *err);

#endif
