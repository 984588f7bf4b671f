/*
 * router.h: PATH_INFO -> endpoint handler, and every error response.
 *
 * Handlers fill req's response on success and return GH_OK; on failure they return a
 * status with err filled, and the router writes the JSON error (or the error page, for
 * routes that serve people). 404 and 405 are JSON.
 */
#ifndef GH_ROUTER_H
#define GH_ROUTER_H

#include "app.h"
#include "http/req.h"

typedef gh_status_t (*gh_handler_t)(gh_app_t *app, gh_req_t *req, gh_err_t *err);

/* Routes one parsed request and writes its response (never fails). */
void gh_router_dispatch(gh_app_t *app, gh_req_t *req);

#endif
