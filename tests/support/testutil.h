/* testutil.h - helpers shared by the unit tests: reading the COINr oracle
 * CSVs and comparing a data set with them, and building the ASEM example
 * with a method given as JSON text. */
#ifndef GCA_TESTUTIL_H
#define GCA_TESTUTIL_H

#include <stddef.h>

#include "gca.h"
#include "core/csv.h"

/* Remove `dir` and everything under it (symbolic links are removed, not
 * followed). Returns 0 or -1. */
int tu_rmtree(const char *dir);

/* Absolute path of a file under the source tree ("tests/oracle/..."). */
const char *tu_path(const char *rel);

/* A CSV read whole: header row 0, data rows 1..nrow. */
typedef struct tu_table {
    gca_csv csv;
    char *text;
} tu_table;

/* Read `rel` (relative to the source tree); aborts the test on failure. */
void tu_table_load(tu_table *t, const char *rel);
void tu_table_release(tu_table *t);
/* Column named `name`, or -1. */
int tu_col(const tu_table *t, const char *name);
/* First data row whose column `keycol` equals `key`, or -1. */
int tu_row(const tu_table *t, int keycol, const char *key);
/* Cell text of data row `row` (1-based), column `col`. */
const char *tu_cell(const tu_table *t, size_t row, size_t col);
/* Numeric cell: NA -> NaN, Inf, -Inf, NaN, TRUE=1, FALSE=0. */
double tu_num(const tu_table *t, size_t row, size_t col);

/* Oracle equality of two numbers: both NaN/NA, same infinity, or
 * |a-b| <= rtol*max(|a|,|b|) or |a-b| <= atol. */
int tu_close(double got, double want, double rtol, double atol);

/* Compare data set `d` with the oracle CSV `rel` (uCode + one column per
 * code): same units, every oracle column present in `d` (extra columns of
 * `d` are allowed only if `allow_extra`), every value tu_close with
 * rtol 1e-12 / atol 1e-9. Prints the first mismatches; returns their
 * number. */
int tu_check_dset(const gca_dset *d, const char *rel, int allow_extra);

/* The ASEM example: framework from tests/oracle/data/asem_iMeta.csv, data
 * from asem_iData.csv. Built once per process and reused. */
const gca_framework *tu_asem_framework(void);
const gca_dataset *tu_asem_data(void);
/* Build the ASEM example with the method in `json` (flags as for
 * gca_build). Returns the gca_build return code; *res is set on 0. */
int tu_build_asem(const char *json, unsigned flags, gca_result **res,
                  gca_err *err);


/* Build with framework `fw` (NULL = the ASEM one) on ASEM data whose
 * indicator values are those of the oracle data set `rel_dset_csv`
 * (uCode + iCode columns, matched on uCode; units it lacks are dropped;
 * iData columns it lacks keep their raw values), so that one step can be
 * tested on the oracle's input to it. The data set made is kept until the
 * process ends. Returns the first failing call's code; *res is set on 0. */
int tu_build_from(const gca_framework *fw, const char *rel_dset_csv,
                  const char *json, unsigned flags, gca_result **res,
                  gca_err *err);
/* tu_build_from with the ASEM framework. */
int tu_build_asem_from(const char *rel_dset_csv, const char *json,
                       unsigned flags, gca_result **res, gca_err *err);

#endif
