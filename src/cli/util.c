/*
 * cli/util.c: helpers for the subcommands.
 */
#include "cli/util.h"

#include <jansson.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "oauth/client_json.h"

int
gh_cli_fail(const char *what, const gh_err_t *err)
{
    fprintf(stderr, "gatehouse %s: %s\n", what, err->description);
    return 1;
}

void
gh_cli_print_client(gh_arena_t *a, const gh_client_t *c, const char *secret)
{
    json_t *o = gh_oauth_client_to_json(a, c, secret);
    json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    putchar('\n');
    json_decref(o);
}

static bool
read_line(const char *prompt, char *buf, size_t size, bool tty)
{
    if (tty)
        fputs(prompt, stderr);
    if (fgets(buf, (int)size, stdin) == NULL)
        return false;
    buf[strcspn(buf, "\r\n")] = '\0';
    if (tty)
        fputs("\n", stderr);
    return true;
}

gh_status_t
gh_cli_read_password(char *buf, size_t size, gh_err_t *err)
{
    bool tty = isatty(STDIN_FILENO);
    struct termios old, quiet;
    if (tty && tcgetattr(STDIN_FILENO, &old) == 0) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    char again[1100] = "";
    bool ok = read_line("Password: ", buf, size, tty) &&
              (!tty || read_line("Again: ", again, sizeof again, tty));
    if (tty)
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
    bool same = !tty || strcmp(buf, again) == 0;
    OPENSSL_cleanse(again, sizeof again);
    if (!ok || buf[0] == '\0')
        return gh_fail(err, GH_E_INPUT, "no password given");
    if (!same)
        return gh_fail(err, GH_E_INPUT, "the two passwords differ");
    return GH_OK;
}
