/* score.h - an edition rebuilt from its approved answers (score.c), as
 * scoring stores it and export writes it. */
#ifndef GCA_STORE_SCORE_H
#define GCA_STORE_SCORE_H

#include "store/workflow.h"

struct country_row;
struct question_ref;

typedef struct ebuild {
    gca_framework *fw;   /* the edition's framework */
    gca_framework *fws;  /* without indicators that ask nothing */
    gca_method *m;       /* the edition's method */
    char *method_json;   /* its text */
    struct question_ref *qs;
    size_t nq;
    struct country_row *countries; /* with an approved answer */
    size_t ncountries, capcountries;
    char *data_csv;      /* uCode, uName, one column per indicator */
    size_t data_len;
    char *qscores_csv;   /* uCode, indicator, question, score */
    size_t qscores_len;
    gca_dataset *ds;     /* data_csv bound to fws; NULL if no country */
    gca_result *res;     /* NULL if no country */
} ebuild;

/* Build edition `e` from the approved answers in the database. */
int gca__ebuild(gca_store *st, const gca_edition *e, ebuild *b,
                gca_err *err);
void gca__ebuild_release(ebuild *b);

#endif
