/* svg.c - the world map (svg.h), drawn from the outlines in the built-in
 * data/map/countries-110m.csv; the numeric ISO codes there are matched
 * to ISO3 through gca's country list. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/embedded.h"
#include "gca/countries.h"
#include "render/svg.h"

#include "core/banned.h"

#define MAP_FILE "data/map/countries-110m.csv"


/* A path of the file: only M, L, Z, digits, '.', ',' and '-'. */
static int path_ok(const char *d)
{
    for (; *d; d++)
        if (!strchr("MLZ0123456789.,-", *d))
            return 0;
    return 1;
}

int gca__svg_world_map(const gca_countries *cs, gca__map_fn fn, void *ctx,
                       const char *label, gca_buf *out, gca_err *err)
{
    const gca__blob *b = gca__embedded(MAP_FILE);
    if (!b)
        return gca_fail(err, GCA_EINTERNAL, MAP_FILE, 0, 0,
                        "the map is not built in");
    gca_csv csv = {0};
    int rc = gca_csv_parse(b->data, b->len, MAP_FILE, 1000, 3, &csv, err);
    if (rc < 0)
        goto out;
    gca_buf_puts(out, "<svg class=\"map\" viewBox=\"0 0 960 480\" "
                      "role=\"img\" aria-label=\"");
    gca_buf_html(out, label);
    gca_buf_puts(out, "\" xmlns=\"http://www.w3.org/2000/svg\">");
    for (size_t r = 1; r <= csv.nrow && rc == 0; r++) {
        const char *num = csv.cells[r * csv.ncol].text.ptr;
        const char *name = csv.cells[r * csv.ncol + 1].text.ptr;
        const char *d = csv.cells[r * csv.ncol + 2].text.ptr;
        if (!path_ok(d)) {
            rc = gca_fail(err, GCA_EINTERNAL, MAP_FILE, (int)r + 1, 3,
                          "not a path of M, L and Z");
            break;
        }
        char *end = NULL;
        long n = *num ? strtol(num, &end, 10) : -1;
        const gca_country *c =
            n >= 0 && end && !*end ? gca_countries_by_number(cs, (int)n)
                                   : NULL;
        int band = -1;
        char title[256];
        snprintf(title, sizeof title, "%s: no data", name);
        if (c) {
            rc = fn(c->iso3, c->name, &band, title, sizeof title, ctx);
            if (rc)
                break;
        }
        if (band >= 0)
            gca_buf_printf(out, "<path class=\"b%d\" d=\"%s\"><title>", band,
                           d);
        else if (band == -2)
            gca_buf_printf(out, "<path class=\"out\" d=\"%s\"><title>", d);
        else
            gca_buf_printf(out, "<path class=\"nodata\" d=\"%s\"><title>", d);
        gca_buf_html(out, title);
        gca_buf_puts(out, "</title></path>");
    }
    gca_buf_puts(out, "</svg>");
    if (rc == 0 && gca_buf_error(out))
        rc = gca_fail(err, gca_buf_error(out), "map", 0, 0, "out of memory");
out:
    gca_csv_release(&csv);
    return rc;
}

int gca__svg_bars(const char *const *labels, const double *values, size_t n,
                  double max, const char *label, gca_buf *out, gca_err *err)
{
    const int row = 28, left = 60, width = 300;
    gca_buf_printf(out, "<svg class=\"bars\" viewBox=\"0 0 %d %d\" "
                        "role=\"img\" aria-label=\"",
                   left + width + 60, (int)n * row + 8);
    gca_buf_html(out, label);
    gca_buf_puts(out, "\" xmlns=\"http://www.w3.org/2000/svg\">");
    for (size_t i = 0; i < n; i++) {
        int y = (int)i * row + 4;
        double v = values[i];
        double w = isnan(v) || max <= 0 ? 0 : v / max * width;
        if (w < 0)
            w = 0;
        if (w > width)
            w = width;
        gca_buf_printf(out, "<text x=\"0\" y=\"%d\">", y + 17);
        gca_buf_html(out, labels[i]);
        gca_buf_printf(out, "</text><rect class=\"track\" x=\"%d\" "
                            "y=\"%d\" width=\"%d\" height=\"20\"/>",
                       left, y, width);
        if (!isnan(v))
            gca_buf_printf(out, "<rect class=\"bar\" x=\"%d\" y=\"%d\" "
                                "width=\"%.1f\" height=\"20\"><title>",
                           left, y, w);
        if (!isnan(v)) {
            gca_buf_html(out, labels[i]);
            gca_buf_printf(out, ": %.2f</title></rect>", v);
        }
        if (isnan(v))
            gca_buf_printf(out, "<text x=\"%d\" y=\"%d\">no data</text>",
                           left + 4, y + 15);
        else
            gca_buf_printf(out, "<text x=\"%d\" y=\"%d\">%.2f</text>",
                           left + width + 6, y + 15, v);
    }
    gca_buf_puts(out, "</svg>");
    return gca_buf_error(out) ? gca_fail(err, gca_buf_error(out), "chart", 0,
                                         0, "out of memory")
                              : 0;
}
