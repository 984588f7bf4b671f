/*
 * endpoints/login.h: the sign-in page (GET) and form (POST).
 */
#ifndef GH_ENDPOINTS_LOGIN_H
#define GH_ENDPOINTS_LOGIN_H

#include "app.h"
#include "http/req.h"

gh_status_t gh_endpoint_login(gh_app_t *app, gh_req_t *req, gh_err_t *err);

#endif
