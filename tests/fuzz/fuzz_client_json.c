/*
 * tests/fuzz/fuzz_client_json.c: client metadata as JSON, both ways a client is made
 * from a document: a dynamic registration's body (RFC 7591: gh_oauth_register_metadata_read)
 * and the admin document (gh_oauth_client_from_json, then gh_oauth_client_defaults),
 * each followed by gh_oauth_client_validate, the rules every client meets.
 *
 * The one rule that needs the database (every scope is defined) is left out: store/ is
 * linked but never called. The input is the body as gh_http_read_body parses it (JSON,
 * duplicate members refused). A document is refused with invalid_client_metadata or
 * invalid_redirect_uri (GH_E_INPUT), or makes a client every rule accepts: its redirect
 * URIs pass gh_oauth_redirect_uri_is_valid, its scopes are scope-tokens, and what
 * Gatehouse answers about it (the registration response, the admin document), read
 * back the same way, describes the same client.
 */
#include "fuzz.h"

#include <jansson.h>

#include "oauth/client.h"
#include "oauth/client_json.h"
#include "oauth/redirect.h"
#include "oauth/register.h"
#include "oauth/scope.h"

static void
require_refusal(gh_status_t st, const gh_err_t *err)
{
    fuzz_require(st == GH_E_INPUT && err->oauth_error != NULL);
    fuzz_require(strcmp(err->oauth_error, "invalid_client_metadata") == 0 ||
                 strcmp(err->oauth_error, "invalid_redirect_uri") == 0);
}

static void
require_acceptable(const gh_client_t *c)
{
    for (size_t i = 0; i < c->redirect_uris.n; i++)
        fuzz_require(gh_oauth_redirect_uri_is_valid(c->redirect_uris.items[i]));
    for (size_t i = 0; i < c->post_logout_redirect_uris.n; i++)
        fuzz_require(gh_oauth_redirect_uri_is_valid(c->post_logout_redirect_uris.items[i]));
    for (size_t i = 0; i < c->scopes.n; i++)
        fuzz_require(gh_oauth_scope_token_is_valid(c->scopes.items[i]));
    fuzz_require(c->is_public == (strcmp(c->auth_method, "none") == 0));
    fuzz_require(!c->is_public || c->require_pkce);
}

/* A registration: what /register and RFC 7592 updates do before storing. */
static gh_status_t
registered(gh_arena_t *a, const json_t *body, gh_client_t *c, gh_err_t *err)
{
    memset(c, 0, sizeof *c);
    c->require_pkce = true;
    c->is_dynamically_registered = true;
    gh_status_t st = gh_oauth_register_metadata_read(a, body, c, err);
    return st == GH_OK ? gh_oauth_client_validate(c, err) : st;
}

static json_t *
registration_response(gh_arena_t *a, const gh_client_t *c)
{
    const gh_oauth_register_extras_t extras = { 0 };
    return gh_oauth_register_response(a, c, &extras);
}

/* The admin document: what the command line's --json input and the admin API do. */
static gh_status_t
administered(gh_arena_t *a, const json_t *doc, gh_client_t *c, gh_err_t *err)
{
    memset(c, 0, sizeof *c);
    gh_status_t st = gh_oauth_client_from_json(a, doc, c, err);
    if (st != GH_OK)
        return st;
    gh_oauth_client_defaults(a, c);
    return gh_oauth_client_validate(c, err);
}

static json_t *
admin_document(gh_arena_t *a, const gh_client_t *c)
{
    return gh_oauth_client_to_json(a, c, NULL);
}

/* doc made into a client by read, and what write answers about it read back. */
static void
check_document(gh_arena_t *a, const json_t *doc,
               gh_status_t (*read)(gh_arena_t *, const json_t *, gh_client_t *, gh_err_t *),
               json_t *(*write)(gh_arena_t *, const gh_client_t *))
{
    gh_client_t c, again;
    gh_err_t err = { 0 };
    gh_status_t st = read(a, doc, &c, &err);
    if (st != GH_OK) {
        require_refusal(st, &err);
        return;
    }
    require_acceptable(&c);
    json_t *out = write(a, &c);
    fuzz_require(read(a, out, &again, &err) == GH_OK);
    fuzz_require(gh_oauth_client_is_same(&c, &again));
    json_decref(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gh_arena_t *a = fuzz_arena();
    json_t *body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (body != NULL) {
        check_document(a, body, registered, registration_response);
        if (json_is_object(body))
            check_document(a, body, administered, admin_document);
        json_decref(body);
    }
    gh_arena_reset(a);
    return 0;
}
