/*
 * endpoints/consent.h: the consent page (GET) and decision (POST).
 */
#ifndef GH_ENDPOINTS_CONSENT_H
#define GH_ENDPOINTS_CONSENT_H

#include "app.h"
#include "http/req.h"

gh_status_t gh_endpoint_consent(gh_app_t *app, gh_req_t *req, gh_err_t *err);

#endif
