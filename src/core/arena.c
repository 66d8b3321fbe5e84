/* arena.c - chunked bump allocator (see arena.h). */
#include "core/arena.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "gca/core.h"
#include "core/banned.h"

struct gca_arena_chunk {
    gca_arena_chunk *next;
    size_t size, off;
    _Alignas(16) unsigned char data[];
};

/* Released chunks waiting for reuse by this thread's next arena. */
#define SPARE_MAX (4u << 20)
static _Thread_local gca_arena_chunk *spare;
static _Thread_local size_t spare_bytes;

/* A thread that ends (a web server's worker) frees its spare chunks:
 * the key's destructor runs at thread exit once the thread has kept
 * one. */
static pthread_key_t spare_key;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;
static int spare_key_ok;

static void free_spares(void *unused)
{
    (void)unused;
    while (spare) {
        gca_arena_chunk *c = spare;
        spare = c->next;
        gca_free(c);
    }
    spare_bytes = 0;
}

static void make_spare_key(void)
{
    spare_key_ok = pthread_key_create(&spare_key, free_spares) == 0;
}

static gca_arena_chunk *take_spare(size_t size)
{
    if (gca__alloc_injecting())
        return NULL;
    for (gca_arena_chunk **pp = &spare; *pp; pp = &(*pp)->next) {
        gca_arena_chunk *c = *pp;
        if (c->size == size) {
            *pp = c->next;
            spare_bytes -= size;
            return c;
        }
    }
    return NULL;
}

static void free_chunk(gca_arena *a, gca_arena_chunk *c)
{
    if (c->size == a->chunk_size && spare_bytes + c->size <= SPARE_MAX) {
        if (!spare) {
            pthread_once(&spare_once, make_spare_key);
            if (spare_key_ok)
                pthread_setspecific(spare_key, &spare);
        }
        c->next = spare;
        spare = c;
        spare_bytes += c->size;
        return;
    }
    gca_free(c);
}

void gca_arena_init(gca_arena *a, size_t chunk_size)
{
    a->head = NULL;
    a->chunk_size = chunk_size ? chunk_size : 64 * 1024;
    a->used = 0;
}

static void *alloc_raw(gca_arena *a, size_t size)
{
    /* Rounding up to 16 would wrap such a size to a tiny block. */
    if (size > SIZE_MAX - 15)
        return NULL;
    size = (size + 15) & ~(size_t)15;
    if (size == 0)
        size = 16;
    gca_arena_chunk *c = a->head;
    if (!c || c->size - c->off < size) {
        size_t csize = a->chunk_size > size ? a->chunk_size : size;
        if (csize > SIZE_MAX - sizeof *c)
            return NULL;
        c = take_spare(csize);
        if (!c)
            c = gca_malloc(sizeof *c + csize);
        if (!c)
            return NULL;
        c->size = csize;
        c->off = 0;
        /* A chunk made for one big request goes behind the current one so
         * that the current chunk's free space is not wasted. */
        if (a->head && csize == size && a->head->size - a->head->off > 256) {
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
    }
    void *p = c->data + c->off;
    c->off += size;
    a->used += size;
    return p;
}

void *gca_arena_alloc(gca_arena *a, size_t size)
{
    void *p = alloc_raw(a, size);
    if (p)
        memset(p, 0, size);
    return p;
}

void *gca_arena_array_raw(gca_arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return alloc_raw(a, n * size);
}

void *gca_arena_array(gca_arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return gca_arena_alloc(a, n * size);
}

char *gca_arena_strndup(gca_arena *a, const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *p = gca_arena_alloc(a, n + 1);
    if (p)
        memcpy(p, s, n);
    return p;
}

char *gca_arena_strdup(gca_arena *a, const char *s)
{
    return s ? gca_arena_strndup(a, s, strlen(s)) : NULL;
}

void gca_arena_reset(gca_arena *a)
{
    if (!a->head)
        return;
    /* Keep the largest chunk: the next run of the same shape fits it. */
    gca_arena_chunk *keep = a->head;
    for (gca_arena_chunk *c = a->head->next; c; c = c->next)
        if (c->size > keep->size)
            keep = c;
    gca_arena_chunk *c = a->head;
    while (c) {
        gca_arena_chunk *next = c->next;
        if (c != keep)
            free_chunk(a, c);
        c = next;
    }
    keep->next = NULL;
    keep->off = 0;
    a->head = keep;
    a->used = 0;
}

void gca_arena_release(gca_arena *a)
{
    gca_arena_chunk *c = a->head;
    while (c) {
        gca_arena_chunk *next = c->next;
        free_chunk(a, c);
        c = next;
    }
    a->head = NULL;
    a->used = 0;
}
