/*
 * cli/commands.h: the command-line subcommands.
 *
 * Each takes the arguments after its name (argv[0] is the subcommand) and returns the
 * process exit status: 0 done, 1 failed (message on stderr), 2 usage error.
 * app is opened with configuration (and a lazy database connection) before the call.
 */
#ifndef GH_CLI_COMMANDS_H
#define GH_CLI_COMMANDS_H

#include "app.h"

int gh_cli_migrate(gh_app_t *app, int argc, char **argv);
/* Takes the configuration path rather than an opened app: its job is to report
 * everything wrong with a configuration that may not open. */
int gh_cli_check_config(const char *config_path, int argc, char **argv);
int gh_cli_keys(gh_app_t *app, int argc, char **argv);
int gh_cli_sweep(gh_app_t *app, int argc, char **argv);
int gh_cli_client(gh_app_t *app, int argc, char **argv);
int gh_cli_user(gh_app_t *app, int argc, char **argv);
int gh_cli_devtoken(gh_app_t *app, int argc, char **argv);
/* Runs until SIGTERM or SIGINT: the FastCGI worker pool (cli/serve.c). */
int gh_cli_serve(gh_app_t *app, int argc, char **argv);

#endif
