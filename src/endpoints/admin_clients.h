/*
 * endpoints/admin_clients.h: /admin/api/clients (endpoints/admin.c routes here).
 */
#ifndef GH_ENDPOINTS_ADMIN_CLIENTS_H
#define GH_ENDPOINTS_ADMIN_CLIENTS_H

#include "endpoints/admin.h"

/* GET clients[?q=]: {"clients": [client...]} (oauth/client_json.h), by name. */
gh_status_t gh_admin_clients_list(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call,
                                  gh_err_t *err);
/* POST clients {client_type, client_name, ...}: 201 {"client": {..., client_secret}}. */
gh_status_t gh_admin_clients_create(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call,
                                    gh_err_t *err);
/* GET clients/{id}: {"client": ...}. */
gh_status_t gh_admin_clients_get(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call,
                                 gh_err_t *err);
/* PUT clients/{id} {members to change}: {"client": ...}. */
gh_status_t gh_admin_clients_update(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call,
                                    gh_err_t *err);
/* POST clients/{id}/disable and /enable (call->verb): {"client": ...}. */
gh_status_t gh_admin_clients_set_disabled(gh_app_t *app, gh_req_t *req,
                                          const gh_admin_call_t *call, gh_err_t *err);
/* POST clients/{id}/secret: {"client_id", "client_secret"} (the new one, shown once). */
gh_status_t gh_admin_clients_rotate(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call,
                                    gh_err_t *err);

#endif
