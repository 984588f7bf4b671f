/*
 * endpoints/account.h: GET and POST /account, the connected-apps page.
 */
#ifndef GH_ENDPOINTS_ACCOUNT_H
#define GH_ENDPOINTS_ACCOUNT_H

#include "app.h"
#include "http/req.h"

gh_status_t gh_endpoint_account(gh_app_t *app, gh_req_t *req, gh_err_t *err);

#endif
