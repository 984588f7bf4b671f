/*
 * store/clients.c: reading and writing clients.
 *
 * Arrays travel as JSON text in both directions (to_json / jsonb_array_elements_text),
 * so there is one parser (jansson) and no PostgreSQL array literal syntax to get wrong.
 */
#define GH_DB_INTERNAL
#include "store/clients.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "store/rows.h"

gh_status_t
gh_store_client_insert(gh_db_t *db, gh_arena_t *a, const gh_client_t *c, gh_err_t *err)
{
    const char *params[] = {
        c->client_id, c->secret_hash, c->name, c->client_type, c->auth_method,
        gh_row_strlist_json(a, &c->redirect_uris),
        gh_row_strlist_json(a, &c->post_logout_redirect_uris),
        gh_row_strlist_json(a, &c->grant_types), gh_row_strlist_json(a, &c->scopes),
        c->require_pkce ? "t" : "f", c->skip_consent ? "t" : "f",
        c->logo_uri, c->tos_uri, c->policy_uri, c->access_token_format, c->id_token_alg,
    };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_CLIENT_INSERT, params, &r, err);
    PQclear(r);
    if (st == GH_E_CONFLICT)
        return gh_fail(err, st, "a client with this id exists");
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
    c->is_public = strcmp(c->client_type, "public") == 0;
}

gh_status_t
gh_store_client_get(gh_db_t *db, gh_arena_t *a, const char *client_id, gh_client_t *out,
                    gh_err_t *err)
{
    const char *params[] = { client_id };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_CLIENT_GET, params, &r, err);
    if (st != GH_OK)
        return st;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return gh_fail(err, GH_E_NOTFOUND, "no such client");
    }
    client_from_row(a, r, 0, out);
    PQclear(r);
    return GH_OK;
}

gh_status_t
gh_store_client_list(gh_db_t *db, gh_arena_t *a, gh_client_t **out, size_t *n, gh_err_t *err)
{
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_CLIENT_LIST, NULL, &r, err);
    if (st != GH_OK)
        return st;
    *n = (size_t)PQntuples(r);
    *out = gh_arena_alloc(a, (*n + 1) * sizeof **out);
    for (size_t i = 0; i < *n; i++)
        client_from_row(a, r, (int)i, &(*out)[i]);
    PQclear(r);
    return GH_OK;
}

gh_status_t
gh_store_client_set_disabled(gh_db_t *db, const char *client_id, bool disabled, gh_err_t *err)
{
    const char *params[] = { client_id, disabled ? "t" : "f" };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_CLIENT_SET_DISABLED, params, &r, err);
    if (st != GH_OK)
        return st;
    bool found = strcmp(PQcmdTuples(r), "1") == 0;
    PQclear(r);
    return found ? GH_OK : gh_fail(err, GH_E_NOTFOUND, "no such client");
}
