/*
 * base/strlist.h: a list of strings in the arena (redirect URIs, scopes, grant types).
 */
#ifndef GH_BASE_STRLIST_H
#define GH_BASE_STRLIST_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"

typedef struct {
    const char **items;
    size_t       n;
    size_t       cap;
} gh_strlist_t;

void gh_strlist_add(gh_arena_t *a, gh_strlist_t *l, const char *s);
bool gh_strlist_contains(const gh_strlist_t *l, const char *s);
/* Items joined by sep, in the arena ("" for an empty list). */
char *gh_strlist_join(gh_arena_t *a, const gh_strlist_t *l, const char *sep);
/* Splits on single spaces (RFC 6749 3.3 scope syntax); *ok is false for empty items
 * (leading, trailing or doubled spaces). Items are arena copies. */
void gh_strlist_split(gh_arena_t *a, const char *s, gh_strlist_t *out, bool *ok);

#endif
