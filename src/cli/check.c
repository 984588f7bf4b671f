/*
 * cli/check.c: `gatehouse check-config`: every problem in one go.
 *
 * The file's settings first (each bad one reported), then what they point at: the
 * issuer's scheme, the key file, the directories, the database (reachable, migrated)
 * and an active signing key for the default algorithm.
 */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "jose/kek.h"
#include "oauth/keys.h"
#include "store/db.h"
#include "store/migrate.h"

static int
check_database(gh_app_t *app)
{
    gh_err_t err = { 0 };
    if (gh_db_ensure(app->db, &err) != GH_OK) {
        printf("Database.Conninfo: cannot connect to the database\n");
        return 1;
    }
    int pending = 0;
    if (gh_store_migrate_pending(app->db, app->cfg->sql_dir, &pending, &err) != GH_OK) {
        printf("Database: %s\n", err.description);
        return 1;
    }
    if (pending > 0) {
        printf("Database: %d migration%s not applied (run gatehouse migrate)\n", pending,
               pending == 1 ? "" : "s");
        return 1;
    }
    return 0;
}

static int
check_signing_key(gh_app_t *app)
{
    gh_err_t err = { 0 };
    json_t *algs = NULL;
    if (gh_oauth_keys_active_algs(app, &algs, &err) != GH_OK) {
        printf("Keys: %s\n", err.description);
        return 1;
    }
    int problems = 1;
    size_t i;
    json_t *v;
    json_array_foreach(algs, i, v)
        if (strcmp(json_string_value(v), app->cfg->default_alg) == 0)
            problems = 0;
    json_decref(algs);
    if (problems > 0)
        printf("Keys: no active %s signing key (run gatehouse keys rotate --alg %s --now)\n",
               app->cfg->default_alg, app->cfg->default_alg);
    return problems;
}

static int
check_key_file(gh_app_t *app)
{
    gh_err_t err = { 0 };
    if (gh_jose_kek_load(app->cfg->key_file, app->kek, &err) == GH_OK) {
        app->has_kek = 1;
        return 0;
    }
    printf("%s\n", err.description);
    return 1;
}

int
gh_cli_check_config(const char *config_path, int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        fputs("usage: gatehouse check-config\n", stderr);
        return 2;
    }
    gh_err_t err = { 0 };
    gh_app_t *app = NULL;
    printf("checking %s\n", config_path);
    if (gh_app_open_report(config_path, stdout, &app, &err) != GH_OK) {
        printf("configuration has problems\n");
        return 1;
    }
    int problems = gh_config_check(app->cfg, stdout);
    problems += check_key_file(app);
    int db_problems = check_database(app);
    problems += db_problems;
    if (db_problems == 0 && app->has_kek)
        problems += check_signing_key(app);
    gh_app_close(app);
    if (problems > 0) {
        printf("%d problem%s found\n", problems, problems == 1 ? "" : "s");
        return 1;
    }
    printf("configuration OK\n");
    return 0;
}
