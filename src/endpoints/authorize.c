/*
 * endpoints/authorize.c: /authorize, the start of the code flow.
 *
 * Reads the parameters (GET query or POST form, OIDC Core 3.1.2.1), lets
 * oauth/authorize.c judge them, and hands over to endpoints/flow.c. Errors before the
 * client and redirect URI are known good come back as a status for the router's
 * error page: never a redirect (RFC 6749 4.1.2.1, invariant 1).
 */
#include "endpoints/authorize.h"

#include <stddef.h>
#include <string.h>

#include "base/b64url.h"
#include "endpoints/flow.h"
#include "oauth/authorize.h"

static const struct {
    const char *name;
    size_t      offset;
} params[] = {
#define P(n) { #n, offsetof(gh_authorize_params_t, n) }
    P(client_id), P(redirect_uri), P(response_type), P(response_mode), P(scope), P(state),
    P(nonce), P(code_challenge), P(code_challenge_method), P(prompt), P(max_age),
    P(login_hint), P(ui_locales), P(request), P(request_uri), P(id_token_hint),
#undef P
};

static gh_status_t
read_params(const gh_req_t *req, gh_authorize_params_t *p, gh_err_t *err)
{
    memset(p, 0, sizeof *p);
    for (size_t i = 0; i < sizeof params / sizeof params[0]; i++) {
        const char **slot = (const char **)((char *)p + params[i].offset);
        gh_status_t st = gh_http_arg(req, params[i].name, slot, err);
        if (st != GH_OK)
            return st;
    }
    return GH_OK;
}

/* The subject an id_token_hint names, read without verifying the signature: the hint
 * can only make us refuse (login_required when it names someone other than the
 * session's user, OIDC Core 3.1.2.1), never let anyone in. NULL if unreadable. */
static const char *
hint_subject(gh_arena_t *a, const char *hint)
{
    if (hint == NULL)
        return NULL;
    const char *dot1 = strchr(hint, '.');
    const char *dot2 = dot1 != NULL ? strchr(dot1 + 1, '.') : NULL;
    unsigned char *raw = NULL;
    size_t len = 0;
    if (dot2 == NULL ||
        gh_b64url_decode(a, dot1 + 1, (size_t)(dot2 - dot1 - 1), &raw, &len, NULL) != GH_OK)
        return NULL;
    json_t *claims = json_loadb((const char *)raw, len, JSON_REJECT_DUPLICATES, NULL);
    const char *sub = json_string_value(json_object_get(claims, "sub"));
    char *copy = sub != NULL ? gh_arena_strdup(a, sub) : NULL;
    json_decref(claims);
    return copy;
}

gh_status_t
gh_endpoint_authorize(gh_app_t *app, gh_req_t *req, gh_err_t *err)
{
    gh_authorize_params_t p;
    gh_status_t st = read_params(req, &p, err);
    if (st != GH_OK)
        return st;
    gh_client_t client;
    const char *redirect_uri = NULL;
    bool given = false;
    st = gh_oauth_authorize_target(app->db, app->arena, &p, &client, &redirect_uri, &given,
                                   err);
    if (st != GH_OK)
        return st;
    req->client_id = client.client_id;
    gh_authreq_t r;
    gh_err_t oerr = { 0 };
    if (gh_oauth_authorize_validate(app->arena, &client, &p, redirect_uri, given, &r,
                                    &oerr) != GH_OK)
        return gh_flow_answer_error(app, req, NULL, &r, &client, &oerr);
    gh_session_t session;
    st = gh_flow_session(app, req, &session, err);
    if (st != GH_OK && st != GH_E_NOTFOUND)
        return st;
    return gh_flow_continue(app, req, NULL, &r, &client, st == GH_OK ? &session : NULL,
                            hint_subject(app->arena, p.id_token_hint), err);
}
