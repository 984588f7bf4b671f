/*
 * endpoints/jwks.h: GET /jwks, the public signing keys (RFC 7517 section 5).
 */
#ifndef GH_ENDPOINTS_JWKS_H
#define GH_ENDPOINTS_JWKS_H

#include "app.h"
#include "http/req.h"

/* 200 {"keys": [...]}: public members only, one entry per kid. GH_E_UNAVAILABLE while
 * the database is down. */
gh_status_t gh_endpoint_jwks(gh_app_t *app, gh_req_t *req, gh_err_t *err);

#endif
