/*
 * endpoints/admin_static.c: the admin page's three files, from Paths.Htdocs/admin.
 *
 * Only the names in the table are served. /admin redirects to /admin/ so that the
 * page's relative URLs (admin.js, api/...) resolve under it. The page is plain files
 * with no inline script or style, so its Content-Security-Policy allows scripts, styles
 * and fetches from this origin only, and nothing may frame it (R15). Whether the
 * caller may see any data is the API's question (endpoints/admin.c), not this file's.
 */
#include "endpoints/admin_static.h"

#include <string.h>

#include "endpoints/flow.h"
#include "endpoints/static.h"
#include "http/response.h"

static const struct {
    const char *path;
    const char *file;
    const char *type;
} files[] = {
    { .path = "/admin/", .file = "index.html", .type = "text/html; charset=utf-8" },
    { .path = "/admin/admin.js", .file = "admin.js", .type = "text/javascript; charset=utf-8" },
    { .path = "/admin/admin.css", .file = "admin.css", .type = "text/css; charset=utf-8" },
};

static const char csp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

gh_status_t
gh_endpoint_admin_page(gh_app_t *app, gh_req_t *req, gh_err_t *err)
{
    if (strcmp(req->path, "/admin") == 0) {
        gh_http_redirect(req, 302, gh_flow_url(app, "/admin/"));
        return GH_OK;
    }
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        if (strcmp(req->path, files[i].path) != 0)
            continue;
        char *path = gh_arena_printf(app->arena, "%s/admin/%s", app->cfg->htdocs_dir,
                                     files[i].file);
        gh_status_t st = gh_static_send(app, req, path, files[i].type, err);
        if (st != GH_OK)
            return st;
        gh_http_header_set(req, "Cache-Control", "no-cache");
        gh_http_header_set(req, "X-Frame-Options", "DENY");
        gh_http_header_set(req, "Content-Security-Policy", csp);
        return GH_OK;
    }
    return gh_fail(err, GH_E_NOTFOUND, "no such page");
}
