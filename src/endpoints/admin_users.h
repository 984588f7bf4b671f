/*
 * endpoints/admin_users.h: /admin/api/users (endpoints/admin.c routes here).
 *
 * {id} is the user's subject (users.id, a UUID). Calls that change something and
 * return nothing answer 204.
 */
#ifndef GH_ENDPOINTS_ADMIN_USERS_H
#define GH_ENDPOINTS_ADMIN_USERS_H

#include "endpoints/admin.h"

/* GET users[?q=]: {"users": [...]}, by username. */
gh_status_t gh_admin_users_list(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call,
                                gh_err_t *err);
/* POST users {username, password, email?, name?, is_admin?}: 201 {"user": {id, username}}. */
gh_status_t gh_admin_users_create(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call,
                                  gh_err_t *err);
/* POST users/{id}/password {password}. */
gh_status_t gh_admin_users_password(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call,
                                    gh_err_t *err);
/* POST users/{id}/disable and /enable (call->verb; not one's own account), /unlock. */
gh_status_t gh_admin_users_set_disabled(gh_app_t *app, gh_req_t *req,
                                        const gh_admin_call_t *call, gh_err_t *err);
gh_status_t gh_admin_users_unlock(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call,
                                  gh_err_t *err);
/* GET users/{id}/grants: {"grants": [...]}; DELETE users/{id}/grants/{grant id}. */
gh_status_t gh_admin_users_grants(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call,
                                  gh_err_t *err);
gh_status_t gh_admin_users_grant_revoke(gh_app_t *app, gh_req_t *req,
                                        const gh_admin_call_t *call, gh_err_t *err);
/* GET users/{id}/sessions: {"sessions": [...]}; DELETE users/{id}/sessions/{sid}. */
gh_status_t gh_admin_users_sessions(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call,
                                    gh_err_t *err);
gh_status_t gh_admin_users_session_revoke(gh_app_t *app, gh_req_t *req,
                                          const gh_admin_call_t *call, gh_err_t *err);

#endif
