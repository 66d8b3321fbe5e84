/* fixture.h - a small framework and data set embedded in the harnesses,
 * so that fuzz_csv can bind and fuzz_method can build without files:
 * seven ASEM indicators (same codes) in two pillars, three denominators
 * and a group, eight units with gaps, zeros, negatives and an outlier. */
#ifndef GCA_FUZZ_FIXTURE_H
#define GCA_FUZZ_FIXTURE_H

#include "gca.h"

extern const char fuzz_fixture_imeta[];
extern const char fuzz_fixture_idata[];

/* Load the fixture framework, and the data bound to it when `ds` is not
 * NULL; aborts with a message if either fails (the harness would test
 * nothing). */
void fuzz_fixture_load(gca_framework **fw, gca_dataset **ds);

/* Abort with `what` and the error when `rc` is not 0: a property the
 * library promises did not hold. */
void fuzz_check(int rc, const gca_err *err, const char *what);

/* Abort unless a failed call explained itself: a negative GCA_E* code
 * known to gca_err_name and a message. */
void fuzz_check_failure(int rc, const gca_err *err, const char *what);

#endif
