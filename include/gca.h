/* gca.h - the public door of libgca: framework and data model, the
 * COINr-compatible pipeline and its results. See docs/gca.1 for the
 * command line built on it and docs/method.md for the methods. */
#ifndef GCA_H
#define GCA_H

#include "gca/analysis.h"
#include "gca/audit.h"
#include "gca/core.h"
#include "gca/countries.h"
#include "gca/model.h"
#include "gca/pipeline.h"
#include "gca/render.h"
#include "gca/sign.h"
#include "gca/store.h"
#include "gca/users.h"
#include "gca/workflow.h"

#endif
