/*
 * cli/cli.c: dispatching `gatehouse COMMAND ...` and the help texts.
 *
 * The configuration comes from GATEHOUSE_CONFIG or --config FILE before the command,
 * as for the server, so an operator's commands act on the same instance it serves.
 */
#include "cli/cli.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"

typedef struct {
    const char *name;
    const char *usage;
    int       (*run)(gh_app_t *app, int argc, char **argv);
    int       (*run_unopened)(const char *config_path, int argc, char **argv);
} command_t;

static const command_t commands[] = {
    { .name = "migrate", .run = gh_cli_migrate,
      .usage = "gatehouse migrate\n"
               "  Applies the schema migrations (Paths.Sql/NNN_name.sql) not yet applied,\n"
               "  each in one transaction. Running it again is harmless.\n" },
    { .name = "check-config", .run_unopened = gh_cli_check_config,
      .usage = "gatehouse check-config\n"
               "  Reports every problem of the configuration in one go, including whether\n"
               "  the database is reachable and migrated. Exit status 1 if any.\n" },
    { .name = "keys", .run = gh_cli_keys,
      .usage = "gatehouse keys list|rotate|activate|sign|purge [options]\n"
               "  Manages signing keys; `gatehouse keys COMMAND --help` for each:\n"
               "    list | rotate [--alg A] [--now|--delay S] | activate KID | sign | purge\n" },
    { .name = "client", .run = gh_cli_client,
      .usage = "gatehouse client add|list|show|update|rotate-secret|disable|enable|delete ...\n"
               "       gatehouse client apply FILE [--env]   (an app manifest, YAML or JSON)\n"
               "  Manages clients; `gatehouse client --help` lists the options.\n" },
    { .name = "user", .run = gh_cli_user,
      .usage = "gatehouse user add|passwd|disable|enable|list|hash-password ...\n"
               "  Manages users; `gatehouse user add --help` lists the options.\n" },
    { .name = "sweep", .run = gh_cli_sweep,
      .usage = "gatehouse sweep\n"
               "  Deletes expired rows in bounded batches until none are left (for cron)\n"
               "  and reports what it removed.\n" },
    { .name = "devtoken", .run = gh_cli_devtoken,
      .usage = "gatehouse devtoken issue [--label L] [--ttl SECONDS] | list | revoke ID\n"
               "  Initial access tokens for dynamic client registration (POST /register);\n"
               "  issue prints a new one, shown once (default lifetime 30 days).\n" },
    { .name = "serve", .run = gh_cli_serve,
      .usage = "gatehouse serve --listen 127.0.0.1:PORT|/path/to.sock [--workers N]\n"
               "  Runs N FastCGI workers (default 16) on one socket, for Apache mod_proxy_fcgi\n"
               "  (deploy/apache-proxy-fcgi.conf); a unix socket gets mode 0660. Restarts a\n"
               "  worker that dies; SIGHUP replaces them one by one, SIGTERM stops them.\n" },
};

static void
usage(FILE *out)
{
    fputs("usage: gatehouse [--config FILE] COMMAND [ARGS]\n"
          "       gatehouse            (no arguments: serve FastCGI, or one CGI request)\n\n"
          "commands:\n", out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %s", commands[i].usage);
    fputs("\nThe configuration file is $GATEHOUSE_CONFIG, else the installed default.\n", out);
}

static const command_t *
find_command(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static int
run_command(const command_t *c, const char *config, int argc, char **argv)
{
    gh_err_t err = { 0 };
    gh_app_t *app = NULL;
    if (gh_app_open(config, &app, &err) != GH_OK) {
        fprintf(stderr, "gatehouse %s: %s\n", c->name, err.description);
        return 1;
    }
    int rc = c->run(app, argc, argv);
    gh_app_close(app);
    return rc;
}

int
gh_cli_main(int argc, char **argv)
{
    const char *config = gh_config_default_path();
    int i = 1;
    if (i + 1 < argc && strcmp(argv[i], "--config") == 0) {
        config = argv[i + 1];
        i += 2;
    }
    if (i >= argc || strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "help") == 0) {
        usage(stdout);
        return i >= argc ? 2 : 0;
    }
    const command_t *c = find_command(argv[i]);
    if (c == NULL) {
        fprintf(stderr, "gatehouse: unknown command '%s'\n", argv[i]);
        usage(stderr);
        return 2;
    }
    if (argc > i + 1 && strcmp(argv[i + 1], "--help") == 0) {
        fputs(c->usage, stdout);
        return 0;
    }
    if (c->run_unopened != NULL)
        return c->run_unopened(config, argc - i, argv + i);
    return run_command(c, config, argc - i, argv + i);
}
