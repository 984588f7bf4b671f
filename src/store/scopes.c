/*
 * store/scopes.c: reading scope definitions.
 */
#define GH_DB_INTERNAL
#include "store/scopes.h"

#include "store/rows.h"

/* Rows of name, claims (JSON array), description. */
static gh_status_t
scopes_run(gh_db_t *db, gh_arena_t *a, gh_stmt_id_t id, const char *const *params,
           gh_scope_t **out, size_t *n, gh_err_t *err)
{
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, id, params, &r, err);
    if (st != GH_OK)
        return st;
    *n = (size_t)PQntuples(r);
    *out = gh_arena_alloc(a, (*n + 1) * sizeof **out);
    for (size_t i = 0; i < *n; i++) {
        gh_scope_t *s = &(*out)[i];
        s->name = gh_row_str(a, r, (int)i, 0);
        gh_row_strlist(a, r, (int)i, 1, &s->claims);
        s->description = gh_row_str(a, r, (int)i, 2);
    }
    PQclear(r);
    return GH_OK;
}

gh_status_t
gh_store_scopes_get(gh_db_t *db, gh_arena_t *a, const gh_strlist_t *names, const char *lang,
                    gh_scope_t **out, size_t *n, gh_err_t *err)
{
    const char *params[] = { gh_row_strlist_json(a, names), lang != NULL ? lang : "en" };
    return scopes_run(db, a, GH_STMT_SCOPES_GET, params, out, n, err);
}

gh_status_t
gh_store_scopes_list(gh_db_t *db, gh_arena_t *a, gh_scope_t **out, size_t *n, gh_err_t *err)
{
    return scopes_run(db, a, GH_STMT_SCOPES_LIST, NULL, out, n, err);
}

gh_status_t
gh_store_scopes_claims(gh_db_t *db, gh_arena_t *a, const gh_strlist_t *names,
                       gh_strlist_t *claims, gh_err_t *err)
{
    gh_scope_t *scopes = NULL;
    size_t n = 0;
    gh_status_t st = gh_store_scopes_get(db, a, names, "en", &scopes, &n, err);
    if (st != GH_OK)
        return st;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < scopes[i].claims.n; k++)
            if (!gh_strlist_contains(claims, scopes[i].claims.items[k]))
                gh_strlist_add(a, claims, scopes[i].claims.items[k]);
    return GH_OK;
}
