/*
 * endpoints/discovery.h: OpenID Connect Discovery 1.0 and RFC 8414 metadata.
 */
#ifndef GH_ENDPOINTS_DISCOVERY_H
#define GH_ENDPOINTS_DISCOVERY_H

#include "app.h"
#include "http/req.h"

gh_status_t gh_endpoint_discovery_oidc(gh_app_t *app, gh_req_t *req, gh_err_t *err);
gh_status_t gh_endpoint_discovery_oauth(gh_app_t *app, gh_req_t *req, gh_err_t *err);

#endif
