/*
 * store/users.c: reading and writing users.
 */
#define GH_DB_INTERNAL
#include "store/users.h"

#include <stdio.h>
#include <string.h>

#include "store/rows.h"

gh_status_t
gh_store_user_insert(gh_db_t *db, gh_arena_t *a, const gh_user_new_t *u, const char **id,
                     gh_err_t *err)
{
    const char *params[] = {
        u->username, u->password_hash, u->email, u->email_verified ? "t" : "f", u->name,
        u->given_name, u->family_name, u->is_admin ? "t" : "f", u->extra_claims,
    };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_USER_INSERT, params, &r, err);
    if (st == GH_E_CONFLICT)
        return gh_fail(err, st, "username is taken");
    if (st == GH_E_INPUT)
        return gh_fail(err, st, "the database refused a value (username, email or claims)");
    if (st != GH_OK)
        return st;
    *id = gh_row_str(a, r, 0, 0);
    PQclear(r);
    return GH_OK;
}

static void
user_from_row(gh_arena_t *a, PGresult *r, int row, gh_user_t *u)
{
    memset(u, 0, sizeof *u);
    u->id = gh_row_str(a, r, row, 0);
    u->username = gh_row_str(a, r, row, 1);
    u->password_hash = gh_row_str(a, r, row, 2);
    u->email = gh_row_str(a, r, row, 3);
    u->email_verified = gh_row_bool(r, row, 4);
    u->name = gh_row_str(a, r, row, 5);
    u->given_name = gh_row_str(a, r, row, 6);
    u->family_name = gh_row_str(a, r, row, 7);
    u->picture = gh_row_str(a, r, row, 8);
    u->locale = gh_row_str(a, r, row, 9);
    u->extra_claims = gh_row_str(a, r, row, 10);
    u->is_admin = gh_row_bool(r, row, 11);
    u->disabled = gh_row_bool(r, row, 12);
    u->failed_logins = gh_row_int(r, row, 13);
    u->locked_until = gh_row_str(a, r, row, 14);
    u->password_changed_at = gh_row_int(r, row, 15);
    u->created_at = gh_row_str(a, r, row, 16);
}

/* One user by the statement id and its one parameter. */
static gh_status_t
get_one(gh_db_t *db, gh_arena_t *a, gh_stmt_id_t id, const char *param, gh_user_t *out,
        gh_err_t *err)
{
    const char *params[] = { param };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, id, params, &r, err);
    if (st != GH_OK)
        return st;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return gh_fail(err, GH_E_NOTFOUND, "no such user");
    }
    user_from_row(a, r, 0, out);
    PQclear(r);
    return GH_OK;
}

gh_status_t
gh_store_user_get_by_name(gh_db_t *db, gh_arena_t *a, const char *username, gh_user_t *out,
                          gh_err_t *err)
{
    return get_one(db, a, GH_STMT_USER_GET_BY_NAME, username, out, err);
}

gh_status_t
gh_store_user_get(gh_db_t *db, gh_arena_t *a, const char *id, gh_user_t *out, gh_err_t *err)
{
    return get_one(db, a, GH_STMT_USER_GET, id, out, err);
}

static gh_status_t
update_one(gh_db_t *db, gh_stmt_id_t id, const char *const *params, gh_err_t *err)
{
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, id, params, &r, err);
    if (st != GH_OK)
        return st;
    bool found = strcmp(PQcmdTuples(r), "1") == 0;
    PQclear(r);
    return found ? GH_OK : gh_fail(err, GH_E_NOTFOUND, "no such user");
}

gh_status_t
gh_store_user_set_password(gh_db_t *db, const char *username, const char *password_hash,
                           gh_err_t *err)
{
    const char *params[] = { username, password_hash };
    return update_one(db, GH_STMT_USER_SET_PASSWORD, params, err);
}

gh_status_t
gh_store_user_set_disabled(gh_db_t *db, const char *username, bool disabled, gh_err_t *err)
{
    const char *params[] = { username, disabled ? "t" : "f" };
    return update_one(db, GH_STMT_USER_SET_DISABLED, params, err);
}

static void
user_item(gh_arena_t *a, const PGresult *r, int row, void *item)
{
    user_from_row(a, (PGresult *)r, row, item);
}

gh_status_t
gh_store_user_list(gh_db_t *db, gh_arena_t *a, gh_user_t **out, size_t *n, gh_err_t *err)
{
    void *items = NULL;
    gh_status_t st = gh_row_list(db, a, GH_STMT_USER_LIST, NULL, sizeof **out, user_item,
                                 &items, n, err);
    *out = items;
    return st;
}

static void
summary_from_row(gh_arena_t *a, const PGresult *r, int row, void *item)
{
    gh_user_summary_t *u = item;
    u->id = gh_row_str(a, r, row, 0);
    u->username = gh_row_str(a, r, row, 1);
    u->email = gh_row_str(a, r, row, 2);
    u->name = gh_row_str(a, r, row, 3);
    u->is_admin = gh_row_bool(r, row, 4);
    u->disabled = gh_row_bool(r, row, 5);
    u->created_at = gh_row_int(r, row, 6);
    u->failures = (long)gh_row_int(r, row, 7);
    u->locked_for = (long)gh_row_int(r, row, 8);
}

gh_status_t
gh_store_user_search(gh_db_t *db, gh_arena_t *a, const char *query, long limit,
                     gh_user_summary_t **out, size_t *n, gh_err_t *err)
{
    char lim[24];
    snprintf(lim, sizeof lim, "%ld", limit);
    const char *params[] = { query, lim };
    void *items = NULL;
    gh_status_t st = gh_row_list(db, a, GH_STMT_USER_SEARCH, params, sizeof **out,
                                 summary_from_row, &items, n, err);
    *out = items;
    return st;
}

gh_status_t
gh_store_user_unlock(gh_db_t *db, const char *id, gh_err_t *err)
{
    const char *params[] = { id };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_USER_UNLOCK, params, &r, err);
    if (st != GH_OK)
        return st;
    bool found = gh_row_int(r, 0, 0) > 0;
    PQclear(r);
    return found ? GH_OK : gh_fail(err, GH_E_NOTFOUND, "no such user");
}
