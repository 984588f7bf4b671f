/*
 * base/strlist.c: lists of strings.
 */
#include "base/strlist.h"

#include <string.h>

void
gh_strlist_add(gh_arena_t *a, gh_strlist_t *l, const char *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        const char **items = gh_arena_alloc(a, cap * sizeof *items);
        if (l->n > 0)
            memcpy(items, l->items, l->n * sizeof *items);
        l->items = items;
        l->cap = cap;
    }
    l->items[l->n++] = s;
}

bool
gh_strlist_contains(const gh_strlist_t *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i], s) == 0)
            return true;
    return false;
}

char *
gh_strlist_join(gh_arena_t *a, const gh_strlist_t *l, const char *sep)
{
    size_t len = 1;
    for (size_t i = 0; i < l->n; i++)
        len += strlen(l->items[i]) + strlen(sep);
    char *out = gh_arena_alloc(a, len);
    for (size_t i = 0; i < l->n; i++) {
        if (i > 0)
            strcat(out, sep);
        strcat(out, l->items[i]);
    }
    return out;
}

void
gh_strlist_split(gh_arena_t *a, const char *s, gh_strlist_t *out, bool *ok)
{
    *ok = true;
    if (s == NULL || *s == '\0')
        return;
    const char *p = s;
    for (;;) {
        size_t n = strcspn(p, " ");
        if (n == 0)
            *ok = false;
        else
            gh_strlist_add(a, out, gh_arena_strndup(a, p, n));
        if (p[n] == '\0')
            break;
        p += n + 1;
    }
}
