/*
 * endpoints/admin_static.h: GET /admin and /admin/...: the admin page's files.
 */
#ifndef GH_ENDPOINTS_ADMIN_STATIC_H
#define GH_ENDPOINTS_ADMIN_STATIC_H

#include "app.h"
#include "http/req.h"

gh_status_t gh_endpoint_admin_page(gh_app_t *app, gh_req_t *req, gh_err_t *err);

#endif
