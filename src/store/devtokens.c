/*
 * store/devtokens.c: the initial_access_tokens table.
 */
#define GH_DB_INTERNAL
#include "store/devtokens.h"

#include <stdio.h>
#include <string.h>

#include "store/rows.h"

/* Columns in the order of GH_DEVTOKEN_COLUMNS (statements.c). */
static void
devtoken_from_row(gh_arena_t *a, const PGresult *r, int row, void *item)
{
    gh_devtoken_t *t = item;
    t->id = gh_row_int(r, row, 0);
    t->label = gh_row_str(a, r, row, 1);
    t->created_at = gh_row_int(r, row, 2);
    t->expires_at = gh_row_int(r, row, 3);
    t->revoked_at = gh_row_int(r, row, 4);
    t->last_used_at = gh_row_int(r, row, 5);
}

gh_status_t
gh_store_devtoken_insert(gh_db_t *db, gh_arena_t *a, const char *token_hash,
                         const char *label, long ttl, gh_devtoken_t *out, gh_err_t *err)
{
    char secs[24];
    snprintf(secs, sizeof secs, "%ld", ttl);
    const char *params[] = { token_hash, label != NULL ? label : "", secs };
    return gh_row_one(db, a, GH_STMT_DEVTOKEN_INSERT, params, devtoken_from_row, out,
                      "no such developer token", err);
}

gh_status_t
gh_store_devtoken_use(gh_db_t *db, gh_arena_t *a, const char *token_hash, gh_devtoken_t *out,
                      gh_err_t *err)
{
    const char *params[] = { token_hash };
    return gh_row_one(db, a, GH_STMT_DEVTOKEN_USE, params, devtoken_from_row, out,
                      "no such developer token", err);
}

gh_status_t
gh_store_devtoken_list(gh_db_t *db, gh_arena_t *a, gh_devtoken_t **out, size_t *n,
                       gh_err_t *err)
{
    void *items = NULL;
    gh_status_t st = gh_row_list(db, a, GH_STMT_DEVTOKEN_LIST, NULL, sizeof **out,
                                 devtoken_from_row, &items, n, err);
    *out = items;
    return st;
}

gh_status_t
gh_store_devtoken_revoke(gh_db_t *db, long long id, gh_err_t *err)
{
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", id);
    const char *params[] = { ids };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_DEVTOKEN_REVOKE, params, &r, err);
    if (st != GH_OK)
        return st;
    bool found = strcmp(PQcmdTuples(r), "1") == 0;
    PQclear(r);
    return found ? GH_OK : gh_fail(err, GH_E_NOTFOUND, "no such developer token, or revoked");
}
