/*
 * oauth/revoke.c: token revocation (RFC 7009 section 2).
 *
 * The token's form says its kind (oauth/tokens.c), so token_type_hint is ignored, an
 * unknown one too (R87), and unsupported_token_type never happens (R89): both kinds
 * are revocable.
 */
#include "oauth/revoke.h"

#include <string.h>

#include "base/log.h"
#include "oauth/error.h"
#include "oauth/tokens.h"

gh_status_t
gh_oauth_revoke(gh_app_t *app, const gh_client_t *caller, const char *token, gh_err_t *err)
{
    gh_store_token_t t;
    gh_status_t st = gh_oauth_tokens_find(app, token, &t, err);
    if (st != GH_OK)
        return st == GH_E_AUTH ? GH_OK : st;
    if (strcmp(t.client_id, caller->client_id) != 0) {
        gh_log_warn("revocation refused: client=%s sent a token of client=%s",
                    caller->client_id, t.client_id);
        return gh_oauth_fail(err, GH_OAUTH_INVALID_GRANT,
                             "the token was issued to another client");
    }
    if (strcmp(t.kind, "refresh") == 0 && t.family_id != NULL)
        return gh_store_token_revoke_family(app->db, t.family_id, NULL, err);
    return gh_store_token_revoke(app->db, t.token_hash, err);
}
