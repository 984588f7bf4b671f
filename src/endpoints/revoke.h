/*
 * endpoints/revoke.h: the revocation endpoint (RFC 7009).
 */
#ifndef GH_ENDPOINTS_REVOKE_H
#define GH_ENDPOINTS_REVOKE_H

#include "app.h"
#include "http/req.h"

/* POST /revoke. */
gh_status_t gh_endpoint_revoke(gh_app_t *app, gh_req_t *req, gh_err_t *err);

#endif
