/*
 * cli/user.c: `gatehouse user add|passwd|disable|enable|list`.
 *
 * Passwords are read from the terminal or stdin, never from arguments (which other
 * users can see in the process list), and hashed with scrypt here.
 */
#include <getopt.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "base/password.h"
#include "cli/commands.h"
#include "cli/util.h"
#include "store/users.h"

static const char usage_text[] =
    "usage: gatehouse user add USERNAME [--email E] [--email-verified] [--name N]\n"
    "                         [--given-name N] [--family-name N] [--admin]\n"
    "                         [--claims JSON]   (extra claims, a JSON object)\n"
    "       gatehouse user passwd USERNAME\n"
    "       gatehouse user disable|enable USERNAME\n"
    "       gatehouse user list\n"
    "       gatehouse user hash-password   (prints a hash for gatehouse.user_create())\n"
    "  The password is read from the terminal, or from the first line of stdin.\n";

enum { OPT_EMAIL = 256, OPT_VERIFIED, OPT_NAME, OPT_GIVEN, OPT_FAMILY, OPT_ADMIN, OPT_CLAIMS };

static const struct option add_options[] = {
    { "email", required_argument, NULL, OPT_EMAIL },
    { "email-verified", no_argument, NULL, OPT_VERIFIED },
    { "name", required_argument, NULL, OPT_NAME },
    { "given-name", required_argument, NULL, OPT_GIVEN },
    { "family-name", required_argument, NULL, OPT_FAMILY },
    { "admin", no_argument, NULL, OPT_ADMIN },
    { "claims", required_argument, NULL, OPT_CLAIMS },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

static bool
apply_option(gh_user_new_t *u, int opt, const char *arg)
{
    switch (opt) {
    case OPT_EMAIL:    u->email = arg; return true;
    case OPT_VERIFIED: u->email_verified = true; return true;
    case OPT_NAME:     u->name = arg; return true;
    case OPT_GIVEN:    u->given_name = arg; return true;
    case OPT_FAMILY:   u->family_name = arg; return true;
    case OPT_ADMIN:    u->is_admin = true; return true;
    case OPT_CLAIMS:   u->extra_claims = arg; return true;
    default:           return false;
    }
}

/* Reads a password and hashes it into *hash (arena). */
static gh_status_t
read_hashed_password(gh_arena_t *a, char **hash, gh_err_t *err)
{
    char pw[GH_PASSWORD_MAX_LEN + 2];
    gh_status_t st = gh_cli_read_password(pw, sizeof pw, err);
    if (st == GH_OK)
        st = gh_password_hash(a, pw, hash, err);
    OPENSSL_cleanse(pw, sizeof pw);
    return st;
}

static int
user_add(gh_app_t *app, int argc, char **argv)
{
    gh_user_new_t u = { 0 };
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", add_options, NULL)) != -1) {
        if (opt == 'h') {
            fputs(usage_text, stdout);
            return 0;
        }
        if (!apply_option(&u, opt, optarg))
            return gh_cli_usage(usage_text);
    }
    if (optind != argc - 1)
        return gh_cli_usage(usage_text);
    u.username = argv[optind];
    gh_err_t err = { 0 };
    char *hash = NULL;
    const char *id = NULL;
    if (read_hashed_password(app->arena, &hash, &err) != GH_OK)
        return gh_cli_fail("user add", &err);
    u.password_hash = hash;
    if (gh_store_user_insert(app->db, app->arena, &u, &id, &err) != GH_OK)
        return gh_cli_fail("user add", &err);
    printf("user %s added (sub %s)\n", u.username, id);
    return 0;
}

static int
user_passwd(gh_app_t *app, const char *username)
{
    gh_err_t err = { 0 };
    char *hash = NULL;
    if (read_hashed_password(app->arena, &hash, &err) != GH_OK ||
        gh_store_user_set_password(app->db, username, hash, &err) != GH_OK)
        return gh_cli_fail("user passwd", &err);
    printf("password of %s changed\n", username);
    return 0;
}

static int
user_set_disabled(gh_app_t *app, const char *username, bool disabled)
{
    gh_err_t err = { 0 };
    if (gh_store_user_set_disabled(app->db, username, disabled, &err) != GH_OK)
        return gh_cli_fail(disabled ? "user disable" : "user enable", &err);
    printf("%s %s\n", username, disabled ? "disabled" : "enabled");
    return 0;
}

/* For operators who create users with SQL (sql/007: gatehouse.user_create): the hash
 * is made here, so the password never reaches the database or a psql history. */
static int
user_hash_password(gh_app_t *app)
{
    gh_err_t err = { 0 };
    char *hash = NULL;
    if (read_hashed_password(app->arena, &hash, &err) != GH_OK)
        return gh_cli_fail("user hash-password", &err);
    puts(hash);
    return 0;
}

static int
user_list(gh_app_t *app)
{
    gh_user_t *us = NULL;
    size_t n = 0;
    gh_err_t err = { 0 };
    if (gh_store_user_list(app->db, app->arena, &us, &n, &err) != GH_OK)
        return gh_cli_fail("user list", &err);
    for (size_t i = 0; i < n; i++)
        printf("%-24s %-36s %-8s %s%s\n", us[i].username, us[i].id,
               us[i].disabled ? "disabled" : "active", us[i].email ? us[i].email : "-",
               us[i].is_admin ? " (admin)" : "");
    return 0;
}

int
gh_cli_user(gh_app_t *app, int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : "";
    if (strcmp(sub, "add") == 0)
        return user_add(app, argc - 1, argv + 1);
    if (strcmp(sub, "passwd") == 0 && argc == 3)
        return user_passwd(app, argv[2]);
    if ((strcmp(sub, "disable") == 0 || strcmp(sub, "enable") == 0) && argc == 3)
        return user_set_disabled(app, argv[2], sub[0] == 'd');
    if (strcmp(sub, "list") == 0 && argc == 2)
        return user_list(app);
    if (strcmp(sub, "hash-password") == 0 && argc == 2)
        return user_hash_password(app);
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "help") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    return gh_cli_usage(usage_text);
}
