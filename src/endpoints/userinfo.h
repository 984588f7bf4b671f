/*
 * endpoints/userinfo.h: the UserInfo endpoint (OIDC Core 5.3).
 */
#ifndef GH_ENDPOINTS_USERINFO_H
#define GH_ENDPOINTS_USERINFO_H

#include "app.h"
#include "http/req.h"

/* GET and POST /userinfo. */
gh_status_t gh_endpoint_userinfo(gh_app_t *app, gh_req_t *req, gh_err_t *err);

#endif
