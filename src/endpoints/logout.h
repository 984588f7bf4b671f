/*
 * endpoints/logout.h: RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0),
 * the discovery document's end_session_endpoint.
 */
#ifndef GH_ENDPOINTS_LOGOUT_H
#define GH_ENDPOINTS_LOGOUT_H

#include "app.h"
#include "http/req.h"

gh_status_t gh_endpoint_logout(gh_app_t *app, gh_req_t *req, gh_err_t *err);

#endif
