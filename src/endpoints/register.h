/*
 * endpoints/register.h: dynamic client registration (RFC 7591) and the client
 * configuration endpoint (RFC 7592). Both answer 404 while Registration.Enabled is 0.
 */
#ifndef GH_ENDPOINTS_REGISTER_H
#define GH_ENDPOINTS_REGISTER_H

#include "app.h"
#include "http/req.h"

/* POST /register. */
gh_status_t gh_endpoint_register(gh_app_t *app, gh_req_t *req, gh_err_t *err);

/* GET, PUT and DELETE /register/{client_id}. */
gh_status_t gh_endpoint_register_client(gh_app_t *app, gh_req_t *req, gh_err_t *err);

#endif
