/*
 * cli/cli.h: the command line (the binary run with arguments).
 */
#ifndef GH_CLI_CLI_H
#define GH_CLI_CLI_H

/* Dispatches argv[1]; returns the exit status (0 ok, 1 failed, 2 usage). */
int gh_cli_main(int argc, char **argv);

#endif
