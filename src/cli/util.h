/*
 * cli/util.h: what the subcommands share: usage and failure messages, JSON output,
 * reading a password.
 */
#ifndef GH_CLI_UTIL_H
#define GH_CLI_UTIL_H

#include <stddef.h>
#include <stdio.h>

#include "base/arena.h"
#include "base/err.h"
#include "store/clients.h"

/* Prints usage to stderr; returns 2. Inline so that the static analyzer, which reads
 * one file at a time, knows a usage error is never 0 (success). */
static inline int
gh_cli_usage(const char *usage)
{
    fputs(usage, stderr);
    return 2;
}
/* Prints "gatehouse WHAT: description"; returns 1. */
int gh_cli_fail(const char *what, const gh_err_t *err);
/* The client as JSON on stdout (gh_oauth_client_to_json: RFC 7591 member names, as the
 * admin API), with client_secret if given. */
void gh_cli_print_client(gh_arena_t *a, const gh_client_t *c, const char *secret);
/* A password from the terminal (no echo, asked twice) or the first line of stdin.
 * GH_E_INPUT when empty or the two entries differ. buf is wiped by the caller. */
gh_status_t gh_cli_read_password(char *buf, size_t size, gh_err_t *err);

#endif
