/* kbindex.h - the knowledge base's in-memory ranking index (kbindex.c),
 * kept by a store handle on request (gca_kb_keep_index). FTS5 stays the
 * index of record and makes the snippets; this one finds the matches of
 * a search and ranks them without FTS5's per-row cost: bm25() in SQL
 * scores every match before it sorts, so a common word over 100,000
 * entries took hundreds of milliseconds. Scores are FTS5's bm25 with the
 * same weights, computed in the same order, so that hits, scores and
 * their order are those of the SQL search (tests/unit/store/test_kb.c
 * compares the two on every query of its tables). SQLite only. */
#ifndef GCA_STORE_KBINDEX_H
#define GCA_STORE_KBINDEX_H

#include "gca/kb.h"

typedef struct gca__kb_index gca__kb_index;

/* Build the index of st's knowledge base, as of its current generation
 * (kb_generation.n), into *out. */
int gca__kb_index_build(gca_store *st, gca__kb_index **out, gca_err *err);
void gca__kb_index_free(gca__kb_index *ix);
/* The knowledge base's change counter now (kb_generation). */
int gca__kb_generation(gca_store *st, long long *gen, gca_err *err);
long long gca__kb_index_generation(const gca__kb_index *ix);

/* One hit of a page: the entry's rowid and its score (-bm25). */
typedef struct gca__kb_ranked {
    long long rowid;
    double score;
} gca__kb_ranked;

/* Run the text and filters of q (already checked by the caller) on ix:
 * the page of q (limit, offset) into *page (gca_free it; *npage hits)
 * and the number of matches into *total. Returns 1 when done, 0 when
 * the search has something the index does not evaluate (a phrase of
 * several words that ends in '*'), for the caller to run it in SQL. */
int gca__kb_index_search(gca_store *st, gca__kb_index *ix,
                         const gca_kb_query *q, gca__kb_ranked **page,
                         size_t *npage, size_t *total, gca_err *err);

#endif
