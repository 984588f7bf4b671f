/*
 * store/grants.c: grants (remembered consent).
 */
#define GH_DB_INTERNAL
#include "store/grants.h"

#include "store/rows.h"

gh_status_t
gh_store_grant_find(gh_db_t *db, gh_arena_t *a, const char *user_id, const char *client_id,
                    gh_grant_t *out, gh_err_t *err)
{
    const char *params[] = { user_id, client_id };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_GRANT_FIND, params, &r, err);
    if (st != GH_OK)
        return st;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return gh_fail(err, GH_E_NOTFOUND, "no grant");
    }
    out->id = gh_row_str(a, r, 0, 0);
    gh_row_strlist(a, r, 0, 1, &out->scopes);
    PQclear(r);
    return GH_OK;
}

gh_status_t
gh_store_grant_add_scopes(gh_db_t *db, gh_arena_t *a, const char *user_id,
                          const char *client_id, const gh_strlist_t *scopes, const char **id,
                          gh_err_t *err)
{
    const char *params[] = { user_id, client_id, gh_row_strlist_json(a, scopes) };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_GRANT_ADD_SCOPES, params, &r, err);
    if (st != GH_OK)
        return st;
    *id = gh_row_str(a, r, 0, 0);
    PQclear(r);
    return GH_OK;
}
