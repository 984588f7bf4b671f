/*
 * cli/migrate.c: `gatehouse migrate`.
 */
#include <stdio.h>

#include "cli/commands.h"
#include "store/migrate.h"

int
gh_cli_migrate(gh_app_t *app, int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        fputs("usage: gatehouse migrate\n", stderr);
        return 2;
    }
    gh_err_t err = { 0 };
    int applied = 0;
    if (gh_store_migrate(app->db, app->cfg->sql_dir, stdout, &applied, &err) != GH_OK) {
        fprintf(stderr, "gatehouse migrate: %s\n", err.description);
        return 1;
    }
    printf("%d migration%s applied; schema is current\n", applied, applied == 1 ? "" : "s");
    return 0;
}
