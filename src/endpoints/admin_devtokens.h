/*
 * endpoints/admin_devtokens.h: /admin/api/developer-tokens, the initial access tokens of
 * dynamic client registration (endpoints/admin.c routes here; oauth/devtoken.h).
 */
#ifndef GH_ENDPOINTS_ADMIN_DEVTOKENS_H
#define GH_ENDPOINTS_ADMIN_DEVTOKENS_H

#include "endpoints/admin.h"

/* GET developer-tokens: {"developer_tokens": [{id, label, created_at, expires_at,
 * revoked_at, last_used_at}]}, newest first (times: epoch seconds or null). */
gh_status_t gh_admin_devtokens_list(gh_app_t *app, gh_req_t *req,
                                    const gh_admin_call_t *call, gh_err_t *err);
/* POST developer-tokens {label?, expires_in? (seconds, default 30 days)}:
 * 201 {"token": the token, shown once, "developer_token": {...}}. */
gh_status_t gh_admin_devtokens_issue(gh_app_t *app, gh_req_t *req,
                                     const gh_admin_call_t *call, gh_err_t *err);
/* DELETE developer-tokens/{id}: 204; clients registered with it stay. */
gh_status_t gh_admin_devtokens_revoke(gh_app_t *app, gh_req_t *req,
                                      const gh_admin_call_t *call, gh_err_t *err);

#endif
