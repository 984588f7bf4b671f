/*
 * store/clients.c: reading and writing clients.
 *
 * Arrays travel as JSON text in both directions (to_json / jsonb_array_elements_text),
 * so there is one parser (jansson) and no PostgreSQL array literal syntax to get wrong.
 */
#define GH_DB_INTERNAL
#include "store/clients.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/rows.h"

/* The parameters of client_insert and client_update, in their order: the 21 that both
 * write, then the secret hash, the type and the registration token hash and mark
 * (sql/008), which only an insert sets (client_update reads the first 21). */
#define CLIENT_PARAMS 25

static void
client_params(gh_arena_t *a, const gh_client_t *c, const char *params[CLIENT_PARAMS])
{
    const char *p[CLIENT_PARAMS] = {
        c->client_id, c->name, c->auth_method, gh_row_strlist_json(a, &c->redirect_uris),
        gh_row_strlist_json(a, &c->post_logout_redirect_uris),
        gh_row_strlist_json(a, &c->grant_types), gh_row_strlist_json(a, &c->scopes),
        c->require_pkce ? "t" : "f", c->skip_consent ? "t" : "f",
        c->logo_uri, c->tos_uri, c->policy_uri, c->access_token_format, c->id_token_alg,
        c->is_resource_server ? "t" : "f", gh_row_strlist_json(a, &c->contacts),
        gh_arena_printf(a, "%ld", c->access_token_ttl),
        gh_arena_printf(a, "%ld", c->refresh_token_ttl),
        gh_arena_printf(a, "%ld", c->refresh_idle_ttl),
        c->minimal_id_token ? "t" : "f", c->app_key, c->secret_hash, c->client_type,
        c->registration_token_hash, c->is_dynamically_registered ? "t" : "f",
    };
    memcpy(params, p, sizeof p);
}

gh_status_t
gh_store_client_insert(gh_db_t *db, gh_arena_t *a, const gh_client_t *c, gh_err_t *err)
{
    const char *params[CLIENT_PARAMS];
    client_params(a, c, params);
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_CLIENT_INSERT, params, &r, err);
    PQclear(r);
    if (st == GH_E_CONFLICT)
        return gh_fail(err, st, "a client with this id or app key exists");
    if (st == GH_E_INPUT)
        return gh_fail(err, st, "the database refused this client (a rule is broken)");
    return st;
}

/* Columns in the order of GH_CLIENT_COLUMNS (statements.c). */
static void
client_from_row(gh_arena_t *a, PGresult *r, int row, gh_client_t *c)
{
    memset(c, 0, sizeof *c);
    c->client_id = gh_row_str(a, r, row, 0);
    c->secret_hash = gh_row_str(a, r, row, 1);
    c->name = gh_row_str(a, r, row, 2);
    c->client_type = gh_row_str(a, r, row, 3);
    c->auth_method = gh_row_str(a, r, row, 4);
    gh_row_strlist(a, r, row, 5, &c->redirect_uris);
    gh_row_strlist(a, r, row, 6, &c->post_logout_redirect_uris);
    gh_row_strlist(a, r, row, 7, &c->grant_types);
    gh_row_strlist(a, r, row, 8, &c->scopes);
    c->require_pkce = gh_row_bool(r, row, 9);
    c->skip_consent = gh_row_bool(r, row, 10);
    c->logo_uri = gh_row_str(a, r, row, 11);
    c->tos_uri = gh_row_str(a, r, row, 12);
    c->policy_uri = gh_row_str(a, r, row, 13);
    c->access_token_format = gh_row_str(a, r, row, 14);
    c->id_token_alg = gh_row_str(a, r, row, 15);
    c->disabled = gh_row_bool(r, row, 16);
    c->created_at = gh_row_str(a, r, row, 17);
    c->minimal_id_token = gh_row_bool(r, row, 18);
    c->access_token_ttl = (long)gh_row_int(r, row, 19);
    c->refresh_token_ttl = (long)gh_row_int(r, row, 20);
    c->refresh_idle_ttl = (long)gh_row_int(r, row, 21);
    c->is_public = strcmp(c->client_type, "public") == 0;
    c->is_resource_server = gh_row_bool(r, row, 22);
    gh_row_strlist(a, r, row, 23, &c->contacts);
    c->app_key = gh_row_str(a, r, row, 24);
    c->issued_at = gh_row_int(r, row, 25);
    c->is_dynamically_registered = gh_row_bool(r, row, 26);
    c->registration_token_hash = gh_row_str(a, r, row, 27);
}

/* How many columns GH_CLIENT_COLUMNS has (client_from_row reads 0 .. 27). */
#define CLIENT_NCOLUMNS 28

/* One client by a statement taking params: *res keeps the result (for any columns
 * after the client's), or is cleared when res is NULL. */
static gh_status_t
get_one_result(gh_db_t *db, gh_arena_t *a, gh_stmt_id_t id, const char *const *params,
               gh_client_t *out, PGresult **res, gh_err_t *err)
{
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, id, params, &r, err);
    if (st != GH_OK)
        return st;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return gh_fail(err, GH_E_NOTFOUND, "no such client");
    }
    client_from_row(a, r, 0, out);
    if (res != NULL)
        *res = r;
    else
        PQclear(r);
    return GH_OK;
}

/* One client by a statement taking one parameter. */
static gh_status_t
get_one(gh_db_t *db, gh_arena_t *a, gh_stmt_id_t id, const char *param, gh_client_t *out,
        gh_err_t *err)
{
    const char *params[] = { param };
    return get_one_result(db, a, id, params, out, NULL, err);
}

gh_status_t
gh_store_client_get(gh_db_t *db, gh_arena_t *a, const char *client_id, gh_client_t *out,
                    gh_err_t *err)
{
    return get_one(db, a, GH_STMT_CLIENT_GET, client_id, out, err);
}

gh_status_t
gh_store_client_get_with_attempts(gh_db_t *db, gh_arena_t *a, const char *client_id,
                                  const char *key, gh_client_t *out, gh_attempts_t *attempts,
                                  gh_err_t *err)
{
    const char *params[] = { client_id, key };
    PGresult *r = NULL;
    gh_status_t st = get_one_result(db, a, GH_STMT_CLIENT_GET_WITH_ATTEMPTS, params, out, &r,
                                    err);
    if (st != GH_OK)
        return st;
    *attempts = (gh_attempts_t){
        .failures = (long)gh_row_int(r, 0, CLIENT_NCOLUMNS),
        .since_last = (long)gh_row_int(r, 0, CLIENT_NCOLUMNS + 1),
        .locked_for = (long)gh_row_int(r, 0, CLIENT_NCOLUMNS + 2),
    };
    PQclear(r);
    return GH_OK;
}

gh_status_t
gh_store_client_origin_exists(gh_db_t *db, const char *origin, bool *found, gh_err_t *err)
{
    const char *params[] = { origin };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_CLIENT_ORIGIN_EXISTS, params, &r, err);
    if (st != GH_OK)
        return st;
    *found = gh_row_bool(r, 0, 0);
    PQclear(r);
    return GH_OK;
}

static void
client_item(gh_arena_t *a, const PGresult *r, int row, void *item)
{
    client_from_row(a, (PGresult *)r, row, item);
}

gh_status_t
gh_store_client_list(gh_db_t *db, gh_arena_t *a, gh_client_t **out, size_t *n, gh_err_t *err)
{
    void *items = NULL;
    gh_status_t st = gh_row_list(db, a, GH_STMT_CLIENT_LIST, NULL, sizeof **out, client_item,
                                 &items, n, err);
    *out = items;
    return st;
}

gh_status_t
gh_store_client_search(gh_db_t *db, gh_arena_t *a, const char *query, long limit,
                       gh_client_t **out, size_t *n, gh_err_t *err)
{
    char lim[24];
    snprintf(lim, sizeof lim, "%ld", limit);
    const char *params[] = { query, lim };
    void *items = NULL;
    gh_status_t st = gh_row_list(db, a, GH_STMT_CLIENT_SEARCH, params, sizeof **out,
                                 client_item, &items, n, err);
    *out = items;
    return st;
}

/* An UPDATE of one client: GH_E_NOTFOUND when it changed no row. */
static gh_status_t
update_client(gh_db_t *db, gh_stmt_id_t id, const char *const *params, gh_err_t *err)
{
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, id, params, &r, err);
    if (st == GH_E_INPUT)
        return gh_fail(err, st, "the database refused this client (a rule is broken)");
    if (st != GH_OK)
        return st;
    bool found = strcmp(PQcmdTuples(r), "1") == 0;
    PQclear(r);
    return found ? GH_OK : gh_fail(err, GH_E_NOTFOUND, "no such client");
}

gh_status_t
gh_store_client_update(gh_db_t *db, gh_arena_t *a, const gh_client_t *c, gh_err_t *err)
{
    const char *params[CLIENT_PARAMS];
    client_params(a, c, params);
    gh_status_t st = update_client(db, GH_STMT_CLIENT_UPDATE, params, err);
    if (st == GH_E_CONFLICT)
        return gh_fail(err, st, "another client has this app key");
    return st;
}

gh_status_t
gh_store_client_set_secret(gh_db_t *db, const char *client_id, const char *secret_hash,
                           gh_err_t *err)
{
    const char *params[] = { client_id, secret_hash };
    return update_client(db, GH_STMT_CLIENT_SET_SECRET, params, err);
}

gh_status_t
gh_store_client_set_disabled(gh_db_t *db, const char *client_id, bool disabled, gh_err_t *err)
{
    const char *params[] = { client_id, disabled ? "t" : "f" };
    return update_client(db, GH_STMT_CLIENT_SET_DISABLED, params, err);
}

gh_status_t
gh_store_client_get_by_app_key(gh_db_t *db, gh_arena_t *a, const char *key, gh_client_t *out,
                               gh_err_t *err)
{
    return get_one(db, a, GH_STMT_CLIENT_GET_BY_APP_KEY, key, out, err);
}

gh_status_t
gh_store_client_delete(gh_db_t *db, const char *client_id, gh_err_t *err)
{
    const char *params[] = { client_id };
    return update_client(db, GH_STMT_CLIENT_DELETE, params, err);
}

gh_status_t
gh_store_client_count_registered(gh_db_t *db, long *n, gh_err_t *err)
{
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_CLIENT_COUNT_REGISTERED, NULL, &r, err);
    if (st != GH_OK)
        return st;
    *n = (long)gh_row_int(r, 0, 0);
    PQclear(r);
    return GH_OK;
}
