/* lens.c - where a framework node sits: the analyst warning of the
 * rights lens only looks at indicators under the legal pillar (LEG of
 * the GCI framework; docs/rights.md, "Analyst warning"). */
#include <string.h>

#include "rights/lens.h"

#include "core/banned.h"

int gca__rights_under(const gca_framework *fw, const char *code,
                      const char *pillar)
{
    int i = gca_framework_find(fw, code);
    /* Parents always point up the tree, so the walk ends; the bound on
     * steps guards against a damaged tree all the same. */
    size_t steps = gca_framework_nnodes(fw) + 1;
    while (i >= 0 && steps-- > 0) {
        const gca_node *n = gca_framework_node_at(fw, (size_t)i);
        if (!n)
            return 0;
        if (!strcmp(n->code, pillar))
            return 1;
        i = n->parent;
    }
    return 0;
}
