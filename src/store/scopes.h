/*
 * store/scopes.h: the scopes table: which claims a scope releases, and how it is
 * described to a person.
 */
#ifndef GH_STORE_SCOPES_H
#define GH_STORE_SCOPES_H

#include "base/arena.h"
#include "base/err.h"
#include "base/strlist.h"
#include "store/db.h"

typedef struct {
    const char  *name;
    gh_strlist_t claims;
    const char  *description;   /* in the language asked for, else English, else NULL */
} gh_scope_t;

/* The rows for the named scopes, in the order given; names without a row are left
 * out (*n says how many were found). lang picks the description. */
gh_status_t gh_store_scopes_get(gh_db_t *db, gh_arena_t *a, const gh_strlist_t *names,
                                const char *lang, gh_scope_t **out, size_t *n, gh_err_t *err);

/* Every scope, by name, with its English description. */
gh_status_t gh_store_scopes_list(gh_db_t *db, gh_arena_t *a, gh_scope_t **out, size_t *n,
                                 gh_err_t *err);

/* The union of the claims the named scopes release. */
gh_status_t gh_store_scopes_claims(gh_db_t *db, gh_arena_t *a, const gh_strlist_t *names,
                                   gh_strlist_t *claims, gh_err_t *err);

#endif
