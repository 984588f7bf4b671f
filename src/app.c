/*
 * app.c: opening and closing what lives for the whole process.
 */
#include "app.h"

#include <openssl/crypto.h>
#include <stdlib.h>

#include "base/log.h"
#include "oauth/keys.h"
#include "store/db.h"

gh_status_t
gh_app_open(const char *config_path, gh_app_t **out, gh_err_t *err)
{
    return gh_app_open_report(config_path, NULL, out, err);
}

gh_status_t
gh_app_open_report(const char *config_path, FILE *report, gh_app_t **out, gh_err_t *err)
{
    gh_config_t *cfg = NULL;
    gh_status_t st = gh_config_load(config_path, report, &cfg, err);
    if (st != GH_OK)
        return st;
    gh_log_set_level((gh_log_level_t)cfg->log_level);
    gh_app_t *app = calloc(1, sizeof *app);
    if (app == NULL) {
        gh_config_free(cfg);
        return gh_fail(err, GH_E_INTERNAL, "out of memory");
    }
    app->cfg = cfg;
    app->db = gh_db_new(cfg->conninfo, cfg->statement_timeout_ms);
    app->arena = gh_arena_new();
    *out = app;
    return GH_OK;
}

void
gh_app_close(gh_app_t *app)
{
    if (app == NULL)
        return;
    gh_oauth_keys_cache_free(app->keys);
    gh_db_free(app->db);
    gh_arena_free(app->arena);
    gh_config_free(app->cfg);
    OPENSSL_cleanse(app->kek, sizeof app->kek);
    free(app);
}
