/* lens.h - what the rights lens shares inside the library: the test of
 * whether an indicator sits under a pillar of a framework (used by
 * src/store/rights.c for the analyst warning, docs/rights.md). */
#ifndef GCA_RIGHTS_LENS_H
#define GCA_RIGHTS_LENS_H

#include "gca/model.h"

/* 1 if node `code` of `fw` is node `pillar` or lies below it; 0 if not,
 * or if either code is not in `fw`. */
int gca__rights_under(const gca_framework *fw, const char *code,
                      const char *pillar);

#endif
