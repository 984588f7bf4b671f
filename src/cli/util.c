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

int
gh_cli_usage(const char *usage)
{
    fputs(usage, stderr);
    return 2;
}

int
gh_cli_fail(const char *what, const gh_err_t *err)
{
    fprintf(stderr, "gatehouse %s: %s\n", what, err->description);
    return 1;
}

static json_t *
list_json(const gh_strlist_t *l)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(arr, json_string(l->items[i]));
    return arr;
}

static void
set_opt(json_t *o, const char *name, const char *value)
{
    if (value != NULL)
        json_object_set_new(o, name, json_string(value));
}

void
gh_cli_print_client(gh_arena_t *a, const gh_client_t *c, const char *secret)
{
    json_t *o = json_object();
    set_opt(o, "client_id", c->client_id);
    set_opt(o, "client_secret", secret);
    set_opt(o, "client_name", c->name);
    set_opt(o, "client_type", c->client_type);
    set_opt(o, "token_endpoint_auth_method", c->auth_method);
    json_object_set_new(o, "redirect_uris", list_json(&c->redirect_uris));
    json_object_set_new(o, "post_logout_redirect_uris",
                        list_json(&c->post_logout_redirect_uris));
    json_object_set_new(o, "grant_types", list_json(&c->grant_types));
    set_opt(o, "scope", gh_strlist_join(a, &c->scopes, " "));
    json_object_set_new(o, "require_pkce", json_boolean(c->require_pkce));
    json_object_set_new(o, "trusted", json_boolean(c->skip_consent));
    set_opt(o, "logo_uri", c->logo_uri);
    set_opt(o, "tos_uri", c->tos_uri);
    set_opt(o, "policy_uri", c->policy_uri);
    set_opt(o, "access_token_format", c->access_token_format);
    set_opt(o, "id_token_signed_response_alg", c->id_token_alg);
    json_object_set_new(o, "disabled", json_boolean(c->disabled));
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
