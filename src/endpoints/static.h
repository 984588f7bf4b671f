/*
 * endpoints/static.h: the pages' static files (Paths.Htdocs), for deployments that do
 * not map them in the web server.
 */
#ifndef GH_ENDPOINTS_STATIC_H
#define GH_ENDPOINTS_STATIC_H

#include "app.h"
#include "http/req.h"

gh_status_t gh_endpoint_static(gh_app_t *app, gh_req_t *req, gh_err_t *err);

/* Responds 200 with the file's contents (at most 256 KB) as type. GH_E_NOTFOUND when it
 * cannot be opened. The caller has made sure file is one it means to serve. */
gh_status_t gh_static_send(gh_app_t *app, gh_req_t *req, const char *file, const char *type,
                           gh_err_t *err);

#endif
