/*
 * base/arena.h: per-request memory.
 *
 * Everything that lives for one request comes from the arena and is released together
 * by gh_arena_reset, which wipes the blocks (they may have held secrets), keeps one
 * block of GH_ARENA_KEEP bytes for the next request and frees the rest. Allocation
 * failure aborts: a worker out of memory cannot answer anything sensibly.
 */
#ifndef GH_BASE_ARENA_H
#define GH_BASE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

#define GH_ARENA_KEEP (64 * 1024)

typedef struct gh_arena gh_arena_t;

gh_arena_t *gh_arena_new(void);
void        gh_arena_free(gh_arena_t *a);
void        gh_arena_reset(gh_arena_t *a);

/* Zeroed memory, aligned for any type. */
void *gh_arena_alloc(gh_arena_t *a, size_t size);
char *gh_arena_strdup(gh_arena_t *a, const char *s);
char *gh_arena_strndup(gh_arena_t *a, const char *s, size_t n);
char *gh_arena_printf(gh_arena_t *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *gh_arena_vprintf(gh_arena_t *a, const char *fmt, va_list ap);

/* Calls free_fn(ptr) at the next reset or free: how non-arena objects (jansson values,
 * OpenSSL objects) are tied to the request. */
void gh_arena_defer(gh_arena_t *a, void (*free_fn)(void *), void *ptr);

/* Bytes currently allocated in blocks (for tests and benchmarks). */
size_t gh_arena_size(const gh_arena_t *a);

#endif
