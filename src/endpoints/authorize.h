/*
 * endpoints/authorize.h: the authorization endpoint (GET and POST).
 */
#ifndef GH_ENDPOINTS_AUTHORIZE_H
#define GH_ENDPOINTS_AUTHORIZE_H

#include "app.h"
#include "http/req.h"

gh_status_t gh_endpoint_authorize(gh_app_t *app, gh_req_t *req, gh_err_t *err);

#endif
