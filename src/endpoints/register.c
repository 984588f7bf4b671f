/*
 * endpoints/register.c: POST /register (RFC 7591 3) and GET, PUT, DELETE
 * /register/{client_id} (RFC 7592 2).
 *
 * Reads the Bearer token (the initial access token, or the registration access
 * token), the JSON body and the caller's address; oauth/dcr.c decides. Answers are
 * JSON and carry secrets, so never cached. A refused token gets the Bearer challenge
 * of RFC 6750 3: without an error code when none was sent. While registration is off
 * both paths are as absent as any unknown one (404, R93).
 */
#include "endpoints/register.h"

#include <string.h>

#include "http/response.h"
#include "oauth/dcr.h"
#include "oauth/register.h"

#define PREFIX "/register/"
#define REALM  "Bearer realm=\"gatehouse\""

static gh_status_t
challenge(gh_req_t *req, gh_status_t st)
{
    if (st == GH_E_AUTH)
        gh_http_header_set(req, "WWW-Authenticate",
                           req->bearer == NULL ? REALM : REALM ", error=\"invalid_token\"");
    return st;
}

static gh_status_t
disabled(gh_err_t *err)
{
    return gh_fail(err, GH_E_NOTFOUND, "no such endpoint");
}

/* The client information response (RFC 7591 3.2.1, RFC 7592 3). */
static void
respond(gh_app_t *app, gh_req_t *req, int status, const gh_client_t *c, const char *secret,
        const char *access_token)
{
    gh_oauth_register_extras_t extras = {
        .client_secret = secret, .registration_access_token = access_token,
        .registration_client_uri = gh_arena_printf(req->arena, "%s" PREFIX "%s",
                                                   app->cfg->issuer, c->client_id),
    };
    req->client_id = c->client_id;
    gh_http_no_store(req);
    gh_http_respond_json_new(req, status, gh_oauth_register_response(req->arena, c, &extras));
}

gh_status_t
gh_endpoint_register(gh_app_t *app, gh_req_t *req, gh_err_t *err)
{
    if (!app->cfg->registration_enabled)
        return disabled(err);
    gh_oauth_dcr_request_t in = {
        .initial_token = req->bearer, .address = req->remote_addr, .metadata = req->json,
    };
    gh_oauth_dcr_result_t out;
    gh_status_t st = gh_oauth_dcr_register(app, &in, &out, err);
    if (st != GH_OK)
        return challenge(req, st);
    respond(app, req, 201, &out.client, out.client_secret, out.registration_access_token);
    return GH_OK;
}

/* RFC 7592 3: the token stays the one presented (oauth/dcr.c does not rotate it). */
static gh_status_t
read_client(gh_app_t *app, gh_req_t *req, const char *id, gh_err_t *err)
{
    gh_client_t c;
    gh_status_t st = gh_oauth_dcr_read(app, id, req->bearer, &c, err);
    if (st == GH_OK)
        respond(app, req, 200, &c, NULL, req->bearer);
    return st;
}

static gh_status_t
update_client(gh_app_t *app, gh_req_t *req, const char *id, gh_err_t *err)
{
    gh_client_t c;
    gh_status_t st = gh_oauth_dcr_update(app, id, req->bearer, req->json, &c, err);
    if (st == GH_OK)
        respond(app, req, 200, &c, NULL, req->bearer);
    return st;
}

static gh_status_t
delete_client(gh_app_t *app, gh_req_t *req, const char *id, gh_err_t *err)
{
    gh_status_t st = gh_oauth_dcr_delete(app, id, req->bearer, err);
    if (st != GH_OK)
        return st;
    req->client_id = id;
    gh_http_respond_empty(req, 204);
    return GH_OK;
}

static const struct {
    gh_method_t method;
    gh_status_t (*run)(gh_app_t *app, gh_req_t *req, const char *id, gh_err_t *err);
} operations[] = {
    { .method = GH_GET, .run = read_client },
    { .method = GH_PUT, .run = update_client },
    { .method = GH_DELETE, .run = delete_client },
};

gh_status_t
gh_endpoint_register_client(gh_app_t *app, gh_req_t *req, gh_err_t *err)
{
    if (!app->cfg->registration_enabled)
        return disabled(err);
    const char *id = req->path + strlen(PREFIX);
    for (size_t i = 0; i < sizeof operations / sizeof operations[0]; i++)
        if (operations[i].method == req->method)
            return challenge(req, operations[i].run(app, req, id, err));
    return gh_fail(err, GH_E_METHOD, "method not allowed");
}
