/*
 * app.h: what lives for the whole process.
 *
 * Made once by gh_app_open (serving or command line) and freed by gh_app_close;
 * nothing else is global. Knows nothing of OAuth, HTTP, SQL or templates: the members
 * are opaque pointers owned by their modules.
 */
#ifndef GH_APP_H
#define GH_APP_H

#include <stdio.h>

#include "base/arena.h"
#include "base/err.h"
#include "config.h"

struct gh_db;
struct gh_keycache;

typedef struct {
    gh_config_t        *cfg;
    struct gh_db       *db;     /* store/db.h: one connection, reconnected as needed */
    struct gh_keycache *keys;   /* oauth/keys.h: decrypted signing keys, refreshed */
    unsigned char       kek[32]; /* key-encryption key, from cfg->key_file */
    int                 has_kek;
    gh_arena_t         *arena;  /* per request (or per command) */
} gh_app_t;

/* Loads the configuration at path, sets the log level and makes the (not yet
 * connected) database handle. GH_E_INPUT when the configuration is unusable. */
gh_status_t gh_app_open(const char *config_path, gh_app_t **out, gh_err_t *err);
/* The same, writing every configuration problem to report (check-config). */
gh_status_t gh_app_open_report(const char *config_path, FILE *report, gh_app_t **out,
                               gh_err_t *err);
void        gh_app_close(gh_app_t *app);

#endif
