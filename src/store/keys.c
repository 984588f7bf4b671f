/*
 * store/keys.c: signing_keys rows (the KEY_* statements of statements.c).
 *
 * Adding and activating a key are transactions under a table lock: the row changes,
 * then KEY_RETIRE recomputes when each key of the alg stops signing and leaves the JWKS,
 * so those times always follow from the activation order whatever ran concurrently.
 * The private key crosses libpq as bytea: hex text in ("\x..." input works whatever
 * bytea_output says), PQunescapeBytea out (reads either output format).
 */
#define GH_DB_INTERNAL
#include "store/keys.h"

#include <stdio.h>
#include <string.h>

#include "base/hash.h"
#include "store/rows.h"

static gh_status_t
row_bytea(gh_arena_t *a, const PGresult *res, int row, int col, const unsigned char **out,
          size_t *len, gh_err_t *err)
{
    size_t n = 0;
    unsigned char *raw = PQunescapeBytea((const unsigned char *)PQgetvalue(res, row, col), &n);
    if (raw == NULL)
        return gh_fail(err, GH_E_INTERNAL, "cannot read bytea column");
    unsigned char *copy = gh_arena_alloc(a, n + 1);
    memcpy(copy, raw, n);
    PQfreemem(raw);
    *out = copy;
    *len = n;
    return GH_OK;
}

/* Runs a statement whose result is not needed. */
static gh_status_t
exec_only(gh_db_t *db, gh_stmt_id_t id, const char *const *params, gh_err_t *err)
{
    PGresult *res = NULL;
    gh_status_t st = gh_db_exec(db, id, params, &res, err);
    PQclear(res);
    return st;
}

/* Commits when everything went well, otherwise rolls back and passes st on. */
static gh_status_t
tx_finish(gh_db_t *db, gh_status_t st, gh_err_t *err)
{
    if (st != GH_OK) {
        gh_db_rollback(db);
        return st;
    }
    return gh_db_commit(db, err);
}

static gh_status_t
retire(gh_db_t *db, const char *alg, long retire_ttl, gh_err_t *err)
{
    char ttl[24];
    snprintf(ttl, sizeof ttl, "%ld", retire_ttl);
    const char *params[] = { alg, ttl };
    return exec_only(db, GH_STMT_KEY_RETIRE, params, err);
}

static void
info_from_row(gh_arena_t *a, const PGresult *res, int row, gh_store_key_info_t *info)
{
    *info = (gh_store_key_info_t){
        .kid = gh_row_str(a, res, row, 0),
        .alg = gh_row_str(a, res, row, 1),
        .state = gh_row_str(a, res, row, 2),
        .activates_at = gh_row_str(a, res, row, 3),
        .expires_at = gh_row_str(a, res, row, 4),
        .age = (long)gh_row_int(res, row, 5),
    };
}

gh_status_t
gh_store_key_list(gh_db_t *db, gh_arena_t *a, const char *kid, gh_store_key_info_t **rows,
                  size_t *n, gh_err_t *err)
{
    const char *params[] = { kid };
    PGresult *res = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_KEY_LIST, params, &res, err);
    if (st != GH_OK)
        return st;
    int count = PQntuples(res);
    *rows = gh_arena_alloc(a, sizeof **rows * (size_t)(count > 0 ? count : 1));
    for (int i = 0; i < count; i++)
        info_from_row(a, res, i, &(*rows)[i]);
    *n = (size_t)count;
    PQclear(res);
    if (count == 0 && kid != NULL)
        return gh_fail(err, GH_E_NOTFOUND, "no key with that kid");
    return GH_OK;
}

gh_status_t
gh_store_key_insert(gh_db_t *db, gh_arena_t *a, const gh_store_key_new_t *key, long retire_ttl,
                    gh_store_key_info_t *info, gh_err_t *err)
{
    char delay[24];
    snprintf(delay, sizeof delay, "%ld", key->delay);
    char *hex = gh_hex_encode(a, key->private_enc, key->private_enc_len);
    const char *params[] = {
        key->kid, key->alg, key->public_jwk, gh_arena_printf(a, "\\x%s", hex),
        key->delay == GH_STORE_KEY_MANUAL ? NULL : delay,
    };
    gh_status_t st = gh_db_begin(db, err);
    if (st != GH_OK)
        return st;
    st = exec_only(db, GH_STMT_KEY_LOCK, NULL, err);
    if (st == GH_OK)
        st = exec_only(db, GH_STMT_KEY_INSERT, params, err);
    if (st == GH_OK)
        st = retire(db, key->alg, retire_ttl, err);
    gh_store_key_info_t *rows = NULL;
    size_t n = 0;
    if (st == GH_OK)
        st = gh_store_key_list(db, a, key->kid, &rows, &n, err);
    if (st == GH_OK)
        *info = rows[0];
    return tx_finish(db, st, err);
}

/* Runs KEY_ACTIVATE; *alg is NULL when no pending key has that kid. */
static gh_status_t
activate_row(gh_db_t *db, gh_arena_t *a, const char *kid, const char **alg, gh_err_t *err)
{
    const char *params[] = { kid };
    PGresult *res = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_KEY_ACTIVATE, params, &res, err);
    if (st != GH_OK)
        return st;
    *alg = PQntuples(res) == 1 ? gh_row_str(a, res, 0, 0) : NULL;
    PQclear(res);
    return GH_OK;
}

gh_status_t
gh_store_key_activate(gh_db_t *db, gh_arena_t *a, const char *kid, long retire_ttl,
                      gh_store_key_info_t *info, gh_err_t *err)
{
    gh_status_t st = gh_db_begin(db, err);
    if (st != GH_OK)
        return st;
    const char *alg = NULL;
    st = exec_only(db, GH_STMT_KEY_LOCK, NULL, err);
    if (st == GH_OK)
        st = activate_row(db, a, kid, &alg, err);
    if (st == GH_OK && alg != NULL)
        st = retire(db, alg, retire_ttl, err);
    gh_store_key_info_t *rows = NULL;
    size_t n = 0;
    if (st == GH_OK)
        st = gh_store_key_list(db, a, kid, &rows, &n, err);
    if (st == GH_OK)
        *info = rows[0];
    if (st == GH_OK && alg == NULL)
        st = gh_fail(err, GH_E_CONFLICT, "key is %s, not pending", info->state);
    return tx_finish(db, st, err);
}

gh_status_t
gh_store_key_published(gh_db_t *db, json_t **keys, gh_err_t *err)
{
    PGresult *res = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_KEY_PUBLISHED, NULL, &res, err);
    if (st != GH_OK)
        return st;
    json_error_t jerr;
    json_t *array = PQntuples(res) == 1 ? json_loads(PQgetvalue(res, 0, 0), 0, &jerr) : NULL;
    PQclear(res);
    if (!json_is_array(array)) {
        json_decref(array);
        return gh_fail(err, GH_E_INTERNAL, "published keys are not a JSON array");
    }
    *keys = array;
    return GH_OK;
}

gh_status_t
gh_store_key_signing(gh_db_t *db, gh_arena_t *a, gh_store_key_signing_t **rows, size_t *n,
                     gh_err_t *err)
{
    PGresult *res = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_KEY_SIGNING, NULL, &res, err);
    if (st != GH_OK)
        return st;
    int count = PQntuples(res);
    *rows = gh_arena_alloc(a, sizeof **rows * (size_t)(count > 0 ? count : 1));
    for (int i = 0; st == GH_OK && i < count; i++) {
        gh_store_key_signing_t *row = &(*rows)[i];
        row->kid = gh_row_str(a, res, i, 0);
        row->alg = gh_row_str(a, res, i, 1);
        row->seconds_left = PQgetisnull(res, i, 3) ? -1 : (long)gh_row_int(res, i, 3);
        st = row_bytea(a, res, i, 2, &row->private_enc, &row->private_enc_len, err);
    }
    *n = (size_t)count;
    PQclear(res);
    return st;
}

gh_status_t
gh_store_key_purge(gh_db_t *db, gh_arena_t *a, const char ***kids, size_t *n, gh_err_t *err)
{
    PGresult *res = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_KEY_PURGE, NULL, &res, err);
    if (st != GH_OK)
        return st;
    int count = PQntuples(res);
    *kids = gh_arena_alloc(a, sizeof **kids * (size_t)(count > 0 ? count : 1));
    for (int i = 0; i < count; i++)
        (*kids)[i] = gh_row_str(a, res, i, 0);
    *n = (size_t)count;
    PQclear(res);
    return GH_OK;
}
