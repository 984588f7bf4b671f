/*
 * endpoints/token.h: the token endpoint (RFC 6749 3.2).
 */
#ifndef GH_ENDPOINTS_TOKEN_H
#define GH_ENDPOINTS_TOKEN_H

#include "app.h"
#include "http/req.h"

/* POST /token. */
gh_status_t gh_endpoint_token(gh_app_t *app, gh_req_t *req, gh_err_t *err);

#endif
