/*
 * endpoints/introspect.h: the introspection endpoint (RFC 7662).
 */
#ifndef GH_ENDPOINTS_INTROSPECT_H
#define GH_ENDPOINTS_INTROSPECT_H

#include "app.h"
#include "http/req.h"

/* POST /introspect. */
gh_status_t gh_endpoint_introspect(gh_app_t *app, gh_req_t *req, gh_err_t *err);

#endif
