/*
 * base/arena.c: a bump allocator over a list of blocks.
 */
#include "base/arena.h"

#include <openssl/crypto.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALIGN 16

typedef struct block {
    struct block *next;
    size_t        size;   /* usable bytes after the header */
    size_t        used;
    _Alignas(ALIGN) unsigned char data[];
} block_t;

typedef struct deferred {
    struct deferred *next;
    void           (*free_fn)(void *);
    void            *ptr;
} deferred_t;

struct gh_arena {
    block_t    *head;      /* current block first */
    deferred_t *deferred;
};

static _Noreturn void
out_of_memory(void)
{
    fputs("gatehouse: out of memory\n", stderr);
    abort();
}

/* No request can need half the address space; refusing such sizes up front keeps the
 * rounding below and the block header from wrapping a huge size into a tiny block. */
static void
check_size(size_t size)
{
    if (size > SIZE_MAX / 2)
        out_of_memory();
}

static block_t *
block_new(size_t size)
{
    block_t *b = malloc(sizeof *b + size);
    if (b == NULL)
        out_of_memory();
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

gh_arena_t *
gh_arena_new(void)
{
    gh_arena_t *a = calloc(1, sizeof *a);
    if (a == NULL)
        out_of_memory();
    a->head = block_new(GH_ARENA_KEEP - sizeof(block_t));
    return a;
}

static void
run_deferred(gh_arena_t *a)
{
    /* The deferred records live in the arena itself, so they go with the blocks. */
    for (deferred_t *d = a->deferred; d != NULL; d = d->next)
        d->free_fn(d->ptr);
    a->deferred = NULL;
}

void
gh_arena_reset(gh_arena_t *a)
{
    run_deferred(a);
    block_t *keep = a->head;
    while (keep->next != NULL) {
        block_t *b = keep;
        keep = keep->next;
        OPENSSL_cleanse(b->data, b->used);
        free(b);
    }
    /* The first block made is the last in the list: it is the one kept. */
    OPENSSL_cleanse(keep->data, keep->used);
    keep->used = 0;
    a->head = keep;
}

void
gh_arena_free(gh_arena_t *a)
{
    if (a == NULL)
        return;
    gh_arena_reset(a);
    free(a->head);
    free(a);
}

void *
gh_arena_alloc(gh_arena_t *a, size_t size)
{
    check_size(size);
    size = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (size == 0)
        size = ALIGN;
    block_t *b = a->head;
    if (b->size - b->used < size) {
        size_t want = size > GH_ARENA_KEEP ? size : GH_ARENA_KEEP;
        b = block_new(want);
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

char *
gh_arena_strndup(gh_arena_t *a, const char *s, size_t n)
{
    check_size(n);
    char *p = gh_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *
gh_arena_strdup(gh_arena_t *a, const char *s)
{
    if (s == NULL)
        return NULL;
    return gh_arena_strndup(a, s, strlen(s));
}

char *
gh_arena_vprintf(gh_arena_t *a, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        n = 0;
    char *p = gh_arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *
gh_arena_printf(gh_arena_t *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = gh_arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

void
gh_arena_defer(gh_arena_t *a, void (*free_fn)(void *), void *ptr)
{
    deferred_t *d = gh_arena_alloc(a, sizeof *d);
    d->free_fn = free_fn;
    d->ptr = ptr;
    d->next = a->deferred;
    a->deferred = d;
}

size_t
gh_arena_size(const gh_arena_t *a)
{
    size_t n = 0;
    for (const block_t *b = a->head; b != NULL; b = b->next)
        n += b->size;
    return n;
}
