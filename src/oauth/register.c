/*
 * oauth/register.c: RFC 7591 section 2 client metadata <-> gh_client_t.
 *
 * oauth/client_json.c knows every member's name and type; this file says which of
 * them a client may set for itself (the RFC's, never Gatehouse's own such as trusted
 * or resource_server: RFC 7591 5), and gives them the replace-all meaning of RFC 7592
 * 2.2. Whether the values make an acceptable client is oauth/client.c's question.
 */
#include "oauth/register.h"

#include <string.h>

#include "oauth/client.h"
#include "oauth/client_json.h"
#include "oauth/error.h"

/* What a registration may set. Other members are ignored (RFC 7591 2, R92). */
static const char *const registrable[] = {
    "client_name", "redirect_uris", "token_endpoint_auth_method", "grant_types", "scope",
    "post_logout_redirect_uris", "logo_uri", "tos_uri", "policy_uri", "contacts",
    "id_token_signed_response_alg",
};

/* The fields the registrable members fill, unset so that what is left out gets its
 * default. The type goes with them: token_endpoint_auth_method decides it. */
static void
clear_registrable(gh_client_t *c)
{
    c->name = c->auth_method = c->client_type = c->id_token_alg = NULL;
    c->logo_uri = c->tos_uri = c->policy_uri = NULL;
    c->redirect_uris = c->post_logout_redirect_uris = (gh_strlist_t){ 0 };
    c->grant_types = c->scopes = c->contacts = (gh_strlist_t){ 0 };
}

/* null, "" and [] say "none": the default applies (RFC 7592 2.2). */
static bool
is_given(const json_t *v)
{
    return v != NULL && !json_is_null(v) &&
           !(json_is_string(v) && json_string_length(v) == 0) &&
           !(json_is_array(v) && json_array_size(v) == 0);
}

/* RFC 7591 2.1: "code" is the only response type there is here (R10), and it goes
 * with the authorization_code grant. */
static gh_status_t
check_response_types(const json_t *v, const gh_client_t *c, gh_err_t *err)
{
    if (!is_given(v))
        return GH_OK;
    const json_t *only = json_array_get(v, 0);
    if (json_array_size(v) != 1 || !json_is_string(only) || json_string_length(only) != 4 ||
        strcmp(json_string_value(only), "code") != 0)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT_METADATA,
                             "response_types must be [\"code\"], the only one supported");
    if (!gh_strlist_contains(&c->grant_types, "authorization_code"))
        return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT_METADATA,
                             "response_types code needs the authorization_code grant type");
    return GH_OK;
}

/* Without a client_name, people see where the app sends them back: the host (or the
 * private-use scheme) of its first redirect URI. */
static const char *
default_name(gh_arena_t *a, const gh_client_t *c)
{
    if (c->redirect_uris.n == 0)
        return "Unnamed client";
    const char *u = c->redirect_uris.items[0];
    const char *host = strstr(u, "://");
    if (host == NULL)
        return gh_arena_strndup(a, u, strcspn(u, ":"));
    host += 3;
    return gh_arena_strndup(a, host, strcspn(host, "/?"));
}

static gh_status_t
read_registrable(gh_arena_t *a, const json_t *body, gh_client_t *c, gh_err_t *err)
{
    json_t *given = json_object();
    for (size_t i = 0; i < sizeof registrable / sizeof registrable[0]; i++) {
        json_t *v = json_object_get(body, registrable[i]);
        if (is_given(v))
            json_object_set(given, registrable[i], v);
    }
    gh_status_t st = gh_oauth_client_from_json(a, given, c, err);
    json_decref(given);
    return st;
}

gh_status_t
gh_oauth_register_metadata_read(gh_arena_t *a, const json_t *body, gh_client_t *c,
                                gh_err_t *err)
{
    if (!json_is_object(body))
        return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT_METADATA,
                             "the client metadata must be a JSON object");
    clear_registrable(c);
    gh_status_t st = read_registrable(a, body, c, err);
    if (st != GH_OK)
        return st;
    /* RFC 8252 8.5: the method none is a public client, which gets no secret (R41). */
    if (c->auth_method != NULL)
        c->client_type = strcmp(c->auth_method, "none") == 0 ? "public" : "confidential";
    if (c->name == NULL)
        c->name = default_name(a, c);
    gh_oauth_client_defaults(a, c);
    return check_response_types(json_object_get(body, "response_types"), c, err);
}

json_t *
gh_oauth_register_response(gh_arena_t *a, const gh_client_t *c,
                           const gh_oauth_register_extras_t *extras)
{
    json_t *out = gh_oauth_client_to_json(a, c, extras->client_secret);
    json_object_set_new(out, "client_id_issued_at", json_integer(c->issued_at));
    if (extras->client_secret != NULL)
        json_object_set_new(out, "client_secret_expires_at", json_integer(0));
    if (extras->registration_access_token != NULL)
        json_object_set_new(out, "registration_access_token",
                            json_string(extras->registration_access_token));
    if (extras->registration_client_uri != NULL)
        json_object_set_new(out, "registration_client_uri",
                            json_string(extras->registration_client_uri));
    json_t *types = json_array();
    if (gh_strlist_contains(&c->grant_types, "authorization_code"))
        json_array_append_new(types, json_string("code"));
    json_object_set_new(out, "response_types", types);
    return out;
}
