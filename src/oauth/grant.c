/*
 * oauth/grant.c: the authorization_code grant (RFC 6749 4.1.3, OAuth 2.1 4.1.3).
 *
 * One transaction per redemption: the conditional UPDATE that marks the code used
 * (store/codes.c) makes exactly one of two concurrent redemptions win (R32); the
 * other waits for the winner's commit, finds the code used, and revokes what the
 * winner got (R28, DESIGN invariant 3). The token rows go in the same transaction, so
 * a failure while issuing leaves the code unused and nothing half-written.
 *
 * A failed check burns the code (R25's decision): once the code is found, the UPDATE
 * that used it is committed even when the client, redirect_uri, PKCE verifier or user
 * is then refused. Someone holding a stolen code gets one try at the verifier, not
 * as many as the code's lifetime allows; an honest client that gets this wrong has a
 * bug to fix and starts a new authorization either way. Using a burnt code again is a
 * replay like any other, and revokes nothing because nothing was issued.
 *
 * Also the client_credentials grant (RFC 6749 4.4, OAuth 2.1 4.2): one access token
 * for the client itself, one insert, no transaction needed (its scope rule is
 * oauth/scope.c's).
 */
#include "oauth/grant.h"

#include <string.h>

#include "base/hash.h"
#include "base/log.h"
#include "oauth/error.h"
#include "oauth/pkce.h"
#include "oauth/scope.h"
#include "store/codes.h"
#include "store/users.h"

static gh_status_t
refuse_code(gh_app_t *app, const char *hash, gh_err_t *err)
{
    bool was_used = false;
    gh_status_t st = gh_store_code_revoke_family(app->db, hash, &was_used, err);
    if (st != GH_OK)
        return st;
    if (was_used)
        gh_log_warn("authorization code used again: tokens of its first use revoked");
    return gh_oauth_fail(err, GH_OAUTH_INVALID_GRANT,
                         "the authorization code is invalid, expired or already used");
}

/* RFC 6749 4.1.3: required and identical when the authorization request had one;
 * when it had none, one sent now must still be the URI the code was issued for. */
static bool
redirect_uri_matches(const gh_oauth_code_req_t *in, const gh_code_t *code)
{
    if (in->redirect_uri == NULL)
        return !code->redirect_uri_given;
    return strcmp(in->redirect_uri, code->redirect_uri) == 0;
}

static gh_status_t
check_code(gh_app_t *app, const gh_oauth_code_req_t *in, const gh_code_t *code,
           gh_user_t *user, gh_err_t *err)
{
    if (strcmp(code->client_id, in->client->client_id) != 0)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_GRANT,
                             "the authorization code was issued to another client");
    if (!redirect_uri_matches(in, code))
        return gh_oauth_fail(err, GH_OAUTH_INVALID_GRANT,
                             "redirect_uri differs from the authorization request's");
    gh_status_t st = gh_oauth_pkce_verify(in->code_verifier, code->code_challenge, err);
    if (st != GH_OK)
        return st;
    if (code->grant_id == NULL)
        return gh_fail(err, GH_E_INTERNAL, "authorization code without a grant");
    st = gh_store_user_get(app->db, app->arena, code->user_id, user, err);
    if (st == GH_E_NOTFOUND || (st == GH_OK && user->disabled))
        return gh_oauth_fail(err, GH_OAUTH_INVALID_GRANT, "the user account is disabled");
    return st;
}

static gh_status_t
issue(gh_app_t *app, const gh_oauth_code_req_t *in, const gh_code_t *code,
      const gh_user_t *user, gh_oauth_tokens_t *out, gh_err_t *err)
{
    gh_oauth_grant_t g = {
        .client = in->client, .user = user, .grant_id = code->grant_id,
        .family_id = code->family_id, .scope = code->scope, .nonce = code->nonce,
        .sid = code->sid, .auth_time = code->auth_time, .amr = code->amr,
    };
    return gh_oauth_tokens_issue(app, &g, out, err);
}

/* Commits the used code and returns the check's refusal (err is left as it is). */
static gh_status_t
burn_code(gh_app_t *app, gh_status_t refused)
{
    gh_err_t ignored = { 0 };
    if (gh_db_commit(app->db, &ignored) != GH_OK)
        gh_log_warn("could not mark a refused authorization code used");
    return refused;
}

gh_status_t
gh_oauth_grant_code(gh_app_t *app, const gh_oauth_code_req_t *in, gh_oauth_tokens_t *out,
                    gh_err_t *err)
{
    if (in->code == NULL)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_REQUEST, "code is required");
    char *hash = NULL;
    gh_status_t st = gh_hash_sha256_hex(app->arena, in->code, &hash, err);
    if (st == GH_OK)
        st = gh_db_begin(app->db, err);
    if (st != GH_OK)
        return st;
    gh_code_t code;
    st = gh_store_code_use(app->db, app->arena, hash, &code, err);
    if (st != GH_OK) {
        gh_db_rollback(app->db);
        return st == GH_E_NOTFOUND ? refuse_code(app, hash, err) : st;
    }
    gh_user_t user;
    st = check_code(app, in, &code, &user, err);
    if (st == GH_E_INPUT)
        return burn_code(app, st);
    if (st == GH_OK)
        st = issue(app, in, &code, &user, out, err);
    if (st != GH_OK) {
        gh_db_rollback(app->db);
        return st;
    }
    return gh_db_commit(app->db, err);
}

gh_status_t
gh_oauth_grant_client_credentials(gh_app_t *app, const gh_oauth_client_credentials_req_t *in,
                                  gh_oauth_tokens_t *out, gh_err_t *err)
{
    /* OAuth 2.1 4.2: a public client's "credentials" prove nothing (R50). */
    if (in->client->is_public ||
        !gh_strlist_contains(&in->client->grant_types, "client_credentials"))
        return gh_oauth_fail(err, GH_OAUTH_UNAUTHORIZED_CLIENT,
                             "this client may not use the client_credentials grant");
    const char *scope = NULL;
    gh_status_t st = gh_oauth_scope_grant_client(app->arena, in->client, in->scope, &scope,
                                                 err);
    if (st != GH_OK)
        return st;
    gh_oauth_grant_t g = { .client = in->client, .scope = scope };
    return gh_oauth_tokens_issue(app, &g, out, err);
}
