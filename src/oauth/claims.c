/*
 * oauth/claims.c: user claims by scope.
 *
 * The standard claims read from users columns are authoritative for their names: an
 * extra_claims member called "email" never stands in for a missing email column (the
 * column has the checks). Everything else a scope names comes from extra_claims.
 */
#include "oauth/claims.h"

#include <stddef.h>
#include <string.h>

/* Names only Gatehouse sets (RFC 7519 4.1, OIDC Core 2 and 3.3.2.11, RFC 9068 2.2,
 * RFC 7800); in_id_token marks those the id_token carries, for claims_supported. */
static const struct {
    const char *name;
    bool        in_id_token;
} reserved[] = {
    { .name = "iss", .in_id_token = true }, { .name = "sub", .in_id_token = true },
    { .name = "aud", .in_id_token = true }, { .name = "exp", .in_id_token = true },
    { .name = "iat", .in_id_token = true }, { .name = "auth_time", .in_id_token = true },
    { .name = "nonce", .in_id_token = true }, { .name = "azp", .in_id_token = true },
    { .name = "at_hash", .in_id_token = true }, { .name = "sid", .in_id_token = true },
    { .name = "amr", .in_id_token = true }, { .name = "nbf" }, { .name = "jti" },
    { .name = "acr" }, { .name = "c_hash" }, { .name = "s_hash" }, { .name = "client_id" },
    { .name = "scope" }, { .name = "cnf" }, { .name = "typ" }, { .name = "events" },
};

/* Standard claims held in a users column (a const char * member of gh_user_t). */
static const struct {
    const char *name;
    size_t      field;
} columns[] = {
    { .name = "name", .field = offsetof(gh_user_t, name) },
    { .name = "given_name", .field = offsetof(gh_user_t, given_name) },
    { .name = "family_name", .field = offsetof(gh_user_t, family_name) },
    { .name = "picture", .field = offsetof(gh_user_t, picture) },
    { .name = "locale", .field = offsetof(gh_user_t, locale) },
    { .name = "email", .field = offsetof(gh_user_t, email) },
};

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

bool
gh_oauth_claims_is_reserved(const char *name)
{
    for (size_t i = 0; i < COUNT(reserved); i++)
        if (strcmp(reserved[i].name, name) == 0)
            return true;
    return false;
}

/* The claim as a new JSON value, or NULL when the user has none; *is_column tells
 * whether name is a column claim (then extra_claims is not consulted). */
static json_t *
column_claim(const gh_user_t *u, const char *name, bool *is_column)
{
    *is_column = true;
    /* A verified flag about an address the user does not have says nothing. */
    if (strcmp(name, "email_verified") == 0)
        return u->email != NULL && *u->email != '\0' ? json_boolean(u->email_verified) : NULL;
    for (size_t i = 0; i < COUNT(columns); i++) {
        if (strcmp(columns[i].name, name) != 0)
            continue;
        const char *v = *(const char *const *)((const char *)u + columns[i].field);
        return v != NULL && *v != '\0' ? json_string(v) : NULL;
    }
    *is_column = false;
    return NULL;
}

static bool
is_absent(const json_t *v)
{
    return v == NULL || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0);
}

void
gh_oauth_claims_add(json_t *obj, const gh_user_t *user, const gh_strlist_t *names)
{
    json_t *extra = NULL;
    if (user->extra_claims != NULL)
        extra = json_loads(user->extra_claims, JSON_REJECT_DUPLICATES, NULL);
    for (size_t i = 0; i < names->n; i++) {
        const char *name = names->items[i];
        if (gh_oauth_claims_is_reserved(name))
            continue;
        bool is_column = false;
        json_t *v = column_claim(user, name, &is_column);
        if (v != NULL)
            json_object_set_new(obj, name, v);
        else if (!is_column && json_is_object(extra) && !is_absent(json_object_get(extra, name)))
            json_object_set(obj, name, json_object_get(extra, name));
    }
    json_decref(extra);
}

static void
append_once(json_t *array, const char *name)
{
    size_t i;
    json_t *v;
    json_array_foreach(array, i, v)
        if (strcmp(json_string_value(v), name) == 0)
            return;
    json_array_append_new(array, json_string(name));
}

void
gh_oauth_claims_supported(const gh_scope_t *scopes, size_t n, json_t *array)
{
    for (size_t i = 0; i < COUNT(reserved); i++)
        if (reserved[i].in_id_token)
            append_once(array, reserved[i].name);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < scopes[i].claims.n; k++)
            append_once(array, scopes[i].claims.items[k]);
}

gh_status_t
gh_oauth_claims_for_scope(gh_db_t *db, gh_arena_t *a, const gh_user_t *user, const char *scope,
                          json_t *obj, gh_err_t *err)
{
    gh_strlist_t names = { 0 };
    bool ok = true;
    gh_strlist_split(a, scope, &names, &ok);
    gh_strlist_t claims = { 0 };
    gh_status_t st = gh_store_scopes_claims(db, a, &names, &claims, err);
    if (st != GH_OK)
        return st;
    gh_oauth_claims_add(obj, user, &claims);
    return GH_OK;
}
