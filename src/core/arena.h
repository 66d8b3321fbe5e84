/* arena.h - memory for one pipeline run or one request, freed in one
 * call. Allocations are 16-byte aligned and zeroed; nothing is freed
 * field by field. */
#ifndef GCA_ARENA_H
#define GCA_ARENA_H

#include <stddef.h>

typedef struct gca_arena_chunk gca_arena_chunk;

typedef struct gca_arena {
    gca_arena_chunk *head; /* newest chunk first */
    size_t chunk_size;     /* default size of a new chunk */
    size_t used;           /* bytes handed out, for statistics */
} gca_arena;

#define GCA_ARENA_INIT(chunk) {NULL, (chunk), 0}

void gca_arena_init(gca_arena *a, size_t chunk_size);
/* Zeroed memory for `size` bytes (NULL when out of memory). */
void *gca_arena_alloc(gca_arena *a, size_t size);
/* Zeroed array of n elements of `size` bytes, overflow checked. */
void *gca_arena_array(gca_arena *a, size_t n, size_t size);
/* The same, not zeroed: for arrays the caller fills at once. */
void *gca_arena_array_raw(gca_arena *a, size_t n, size_t size);
/* Copy of `s` (NULL if s is NULL or out of memory). */
char *gca_arena_strdup(gca_arena *a, const char *s);
char *gca_arena_strndup(gca_arena *a, const char *s, size_t n);
/* Forget everything but keep the first chunk for reuse. */
void gca_arena_reset(gca_arena *a);
/* Free every chunk. Chunks of the default size are kept for the next
 * arena of this thread (a few MiB at most), so that builds made one after
 * another reuse warm memory instead of new pages from the system. */
void gca_arena_release(gca_arena *a);

/* 1 while the tests' failure injection is armed (alloc.c): the arena then
 * takes every chunk from gca_malloc, so that each can fail. */
int gca__alloc_injecting(void);

#endif
