/*
 * store/grants.c: grants (remembered consent).
 */
#define GH_DB_INTERNAL
#include "store/grants.h"

#include <stdio.h>

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

static void
info_from_row(gh_arena_t *a, const PGresult *r, int row, void *item)
{
    gh_grant_info_t *g = item;
    g->id = gh_row_str(a, r, row, 0);
    g->client_id = gh_row_str(a, r, row, 1);
    g->client_name = gh_row_str(a, r, row, 2);
    g->logo_uri = gh_row_str(a, r, row, 3);
    gh_row_strlist(a, r, row, 4, &g->scopes);
    g->created_at = gh_row_int(r, row, 5);
    g->updated_at = gh_row_int(r, row, 6);
}

gh_status_t
gh_store_grant_list_for_user(gh_db_t *db, gh_arena_t *a, const char *user_id,
                             gh_grant_info_t **out, size_t *n, gh_err_t *err)
{
    const char *params[] = { user_id };
    void *items = NULL;
    gh_status_t st = gh_row_list(db, a, GH_STMT_GRANT_LIST_FOR_USER, params, sizeof **out,
                                 info_from_row, &items, n, err);
    *out = items;
    return st;
}

gh_status_t
gh_store_grant_revoke(gh_db_t *db, const char *grant_id, const char *user_id, long linger,
                      long long *tokens, gh_err_t *err)
{
    char secs[24];
    snprintf(secs, sizeof secs, "%ld", linger);
    const char *params[] = { grant_id, user_id, secs };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_GRANT_REVOKE, params, &r, err);
    if (st != GH_OK)
        return st;
    bool found = gh_row_int(r, 0, 0) > 0;
    if (tokens != NULL)
        *tokens = gh_row_int(r, 0, 1);
    PQclear(r);
    return found ? GH_OK : gh_fail(err, GH_E_NOTFOUND, "no such grant");
}
