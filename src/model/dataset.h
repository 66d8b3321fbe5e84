/* dataset.h (internal) - the unit data's representation, shared by the
 * reader, the binder and the pipeline. Public view: include/gca/model.h. */
#ifndef GCA_MODEL_DATASET_H
#define GCA_MODEL_DATASET_H

#include "gca/model.h"
#include "core/arena.h"
#include "core/csv.h"

typedef struct gca__dcol {
    const char *code;
    size_t csv_col;      /* column in the CSV */
    gca_data_kind kind;
    int ref;             /* framework node (indicator) or column index */
    double *num;         /* [nunit] after binding numeric kinds, else NULL */
} gca__dcol;

struct gca_dataset {
    gca_arena arena;
    char *source;
    gca_csv csv;         /* owns the cell text */
    size_t nunit;
    size_t *row;         /* [nunit] CSV data row (1-based) of each unit */
    const char **ucode;  /* [nunit] */
    const char **uname;  /* [nunit]; the uCode when the file has no uName */
    int ucode_col, uname_col, time_col; /* CSV columns, -1 = absent */
    size_t ncol;
    gca__dcol *cols;     /* data columns: all but uCode, uName, Time */
    const gca_framework *fw; /* bound to, NULL before gca_dataset_bind */
    int *col_of_node;    /* [fw nnodes] data column of each indicator, -1 */
};

/* Data column holding framework column `code` (group, denominator), or -1. */
int gca__dataset_col(const gca_dataset *ds, const char *code);

#endif
