/*
 * endpoints/discovery.c: /.well-known/openid-configuration and RFC 8414 metadata.
 *
 * Both documents describe exactly what this server does (RFC 8414 section 2, R80): an
 * endpoint is listed here in the same change that adds it to the router, and
 * capabilities are stated only when they hold. Every URL is built from the configured
 * issuer, never from the request's Host (RFC 9700 section 4.13).
 */
#include "endpoints/discovery.h"

#include "http/response.h"
#include "oauth/claims.h"
#include "oauth/keys.h"
#include "store/scopes.h"
#include "ui/render.h"

typedef struct {
    const char *member;
    const char *path;
} endpoint_url_t;

static const endpoint_url_t endpoint_urls[] = {
    { .member = "authorization_endpoint", .path = "/authorize" },
    { .member = "jwks_uri", .path = "/jwks" },
    { .member = "end_session_endpoint", .path = "/logout" },
    { .member = "token_endpoint", .path = "/token" },
    { .member = "userinfo_endpoint", .path = "/userinfo" },
    { .member = "introspection_endpoint", .path = "/introspect" },
    { .member = "revocation_endpoint", .path = "/revoke" },
};

/* Fixed lists: what the code accepts, one member each (NULL-terminated values). */
typedef struct {
    const char *member;
    const char *values[6];
} value_list_t;

static const value_list_t value_lists[] = {
    { .member = "response_types_supported", .values = { "code" } },
    { .member = "response_modes_supported", .values = { "query", "form_post" } },
    { .member = "code_challenge_methods_supported", .values = { "S256" } },
    { .member = "prompt_values_supported",
      .values = { "none", "login", "consent", "select_account" } },
    { .member = "token_endpoint_auth_methods_supported",
      .values = { "client_secret_basic", "client_secret_post", "none" } },
    /* Public clients cannot introspect (endpoints/introspect.c), but may revoke. */
    { .member = "introspection_endpoint_auth_methods_supported",
      .values = { "client_secret_basic", "client_secret_post" } },
    { .member = "revocation_endpoint_auth_methods_supported",
      .values = { "client_secret_basic", "client_secret_post", "none" } },
    { .member = "grant_types_supported",
      .values = { "authorization_code", "refresh_token", "client_credentials" } },
    { .member = "subject_types_supported", .values = { "public" } },
};

/* RFC 9207: every authorization response carries iss. */
static const char *const true_capabilities[] = {
    "authorization_response_iss_parameter_supported",
};

/* Request objects are not supported, and must be said so: request_uri_parameter_supported
 * defaults to true in OpenID Connect Discovery 1.0 section 3. */
static const char *const false_capabilities[] = {
    "request_parameter_supported",
    "request_uri_parameter_supported",
    "claims_parameter_supported",
};

static json_t *
metadata(gh_app_t *app)
{
    const char *iss = app->cfg->issuer;
    json_t *doc = json_object();
    json_object_set_new(doc, "issuer", json_string(iss));
    for (size_t i = 0; i < sizeof endpoint_urls / sizeof endpoint_urls[0]; i++) {
        char *url = gh_arena_printf(app->arena, "%s%s", iss, endpoint_urls[i].path);
        json_object_set_new(doc, endpoint_urls[i].member, json_string(url));
    }
    /* Only while /register answers (R80). */
    if (app->cfg->registration_enabled)
        json_object_set_new(doc, "registration_endpoint",
                            json_string(gh_arena_printf(app->arena, "%s/register", iss)));
    for (size_t i = 0; i < sizeof value_lists / sizeof value_lists[0]; i++) {
        json_t *arr = json_array();
        for (size_t k = 0; value_lists[i].values[k] != NULL; k++)
            json_array_append_new(arr, json_string(value_lists[i].values[k]));
        json_object_set_new(doc, value_lists[i].member, arr);
    }
    gh_strlist_t langs = { 0 };
    gh_ui_langs(app->arena, app->cfg->template_dir, &langs);
    json_t *arr = json_array();
    for (size_t i = 0; i < langs.n; i++)
        json_array_append_new(arr, json_string(langs.items[i]));
    json_object_set_new(doc, "ui_locales_supported", arr);
    for (size_t i = 0; i < sizeof true_capabilities / sizeof true_capabilities[0]; i++)
        json_object_set_new(doc, true_capabilities[i], json_true());
    for (size_t i = 0; i < sizeof false_capabilities / sizeof false_capabilities[0]; i++)
        json_object_set_new(doc, false_capabilities[i], json_false());
    return doc;
}

/* The lists the database holds: the algs that have an active signing key, the scopes
 * and the claims they release. */
static gh_status_t
stored_lists(gh_app_t *app, json_t *doc, gh_err_t *err)
{
    json_t *algs = NULL;
    gh_status_t st = gh_oauth_keys_active_algs(app, &algs, err);
    if (st != GH_OK)
        return st;
    json_object_set_new(doc, "id_token_signing_alg_values_supported", algs);
    gh_scope_t *scopes = NULL;
    size_t n = 0;
    st = gh_store_scopes_list(app->db, app->arena, &scopes, &n, err);
    if (st != GH_OK)
        return st;
    json_t *names = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(names, json_string(scopes[i].name));
    json_object_set_new(doc, "scopes_supported", names);
    json_t *claims = json_array();
    gh_oauth_claims_supported(scopes, n, claims);
    json_object_set_new(doc, "claims_supported", claims);
    return GH_OK;
}

static gh_status_t
respond(gh_app_t *app, gh_req_t *req, gh_err_t *err)
{
    json_t *doc = metadata(app);
    gh_status_t st = stored_lists(app, doc, err);
    if (st != GH_OK) {
        json_decref(doc);
        return st;
    }
    gh_http_header_set(req, "Cache-Control", "public, max-age=300");
    gh_http_respond_json_new(req, 200, doc);
    return GH_OK;
}

gh_status_t
gh_endpoint_discovery_oidc(gh_app_t *app, gh_req_t *req, gh_err_t *err)
{
    return respond(app, req, err);
}

gh_status_t
gh_endpoint_discovery_oauth(gh_app_t *app, gh_req_t *req, gh_err_t *err)
{
    return respond(app, req, err);
}
