/*
 * endpoints/static.c: GET /static/NAME from Paths.Htdocs.
 *
 * Only plain names ([a-z0-9_-] then an extension this table knows) are served: no
 * slashes, no dots elsewhere, so no path can leave the directory.
 */
#include "endpoints/static.h"

#include <stdio.h>
#include <string.h>

#include "http/response.h"

#define MAX_FILE (256 * 1024)

static const struct {
    const char *ext;
    const char *type;
} types[] = {
    { ".css", "text/css; charset=utf-8" },
    { ".js", "text/javascript; charset=utf-8" },
    { ".png", "image/png" },
    { ".svg", "image/svg+xml" },
    { ".ico", "image/x-icon" },
};

static const char *
type_of(const char *name)
{
    size_t base = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_-");
    if (base == 0 || name[base] != '.')
        return NULL;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(name + base, types[i].ext) == 0)
            return types[i].type;
    return NULL;
}

gh_status_t
gh_static_send(gh_app_t *app, gh_req_t *req, const char *file, const char *type,
               gh_err_t *err)
{
    FILE *f = fopen(file, "rb");
    if (f == NULL)
        return gh_fail(err, GH_E_NOTFOUND, "no such file");
    char *buf = gh_arena_alloc(app->arena, MAX_FILE);
    size_t n = fread(buf, 1, MAX_FILE, f);
    fclose(f);
    gh_http_respond_text(req, 200, type, buf, n);
    return GH_OK;
}

gh_status_t
gh_endpoint_static(gh_app_t *app, gh_req_t *req, gh_err_t *err)
{
    const char *name = req->path + strlen("/static/");
    const char *type = type_of(name);
    if (type == NULL)
        return gh_fail(err, GH_E_NOTFOUND, "no such file");
    char *path = gh_arena_printf(app->arena, "%s/%s", app->cfg->htdocs_dir, name);
    gh_status_t st = gh_static_send(app, req, path, type, err);
    if (st == GH_OK)
        gh_http_header_set(req, "Cache-Control", "public, max-age=3600");
    return st;
}
