/*
 * cli/client.c: `gatehouse client add|list|show|update|rotate-secret|disable|enable|
 * delete|apply`.
 *
 * Clients are made and changed through oauth/client.c, the same rules as every other
 * way; manifests are read by cli/manifest.c. A secret is printed once, when made or
 * rotated; only its hash is kept.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/manifest.h"
#include "cli/util.h"
#include "oauth/client.h"
#include "store/clients.h"

static const char usage_text[] =
    "usage: gatehouse client add --name NAME [options]\n"
    "       gatehouse client update CLIENT_ID [options]   (only what is given changes)\n"
    "         --name NAME\n"
    "         --type confidential|public      (default confidential; fixed once made)\n"
    "         --auth-method client_secret_basic|client_secret_post|none\n"
    "         --redirect-uri URI              (repeat for several)\n"
    "         --post-logout-redirect-uri URI  (repeat for several)\n"
    "         --grant-type TYPE               (repeat; default authorization_code and\n"
    "                                          refresh_token)\n"
    "         --scope \"openid profile ...\"    (what it may ask for; default openid;\n"
    "                                          each must exist in gatehouse.scopes)\n"
    "         --contact EMAIL                 (repeat for several)\n"
    "         --pkce[=no] | --no-pkce         (PKCE off: confidential clients only)\n"
    "         --trusted[=no]                  (first-party: skips consent)\n"
    "         --resource-server[=no]          (may introspect other clients' access\n"
    "                                          tokens; confidential clients only)\n"
    "         --minimal-id-token[=no]         (id_token without the scopes' claims)\n"
    "         --logo-uri URI --tos-uri URI --policy-uri URI   (https)\n"
    "         --access-token-format opaque|jwt --id-token-alg RS256|ES256|EdDSA\n"
    "         --access-token-ttl S --refresh-token-ttl S --refresh-idle-ttl S\n"
    "                                         (seconds; 0: the configured default)\n"
    "         --app-key KEY                   (the clientName of the manifest that\n"
    "                                          manages it)\n"
    "         --json                          (print the client as JSON)\n"
    "       A list option replaces the whole list; an empty value (\"\") empties a list\n"
    "       or unsets a URI or the app key.\n"
    "       gatehouse client apply FILE [--env] [--rotate-secret]\n"
    "         FILE: an app manifest, YAML or JSON (docs/clients.md); creates the client\n"
    "         or updates the one with the same clientName; --env prints\n"
    "         OAUTH_CLIENT_ID=... and OAUTH_CLIENT_SECRET=... (the secret only when\n"
    "         just made or rotated)\n"
    "       gatehouse client list\n"
    "       gatehouse client show CLIENT_ID\n"
    "       gatehouse client rotate-secret CLIENT_ID   (prints the new secret once)\n"
    "       gatehouse client disable|enable CLIENT_ID\n"
    "       gatehouse client delete CLIENT_ID   (with its grants, codes and tokens)\n";

enum { OPT_TYPE = 256, OPT_AUTH, OPT_REDIRECT, OPT_POST_LOGOUT, OPT_GRANT, OPT_SCOPE,
       OPT_CONTACT, OPT_PKCE, OPT_NO_PKCE, OPT_TRUSTED, OPT_RESOURCE_SERVER, OPT_MINIMAL,
       OPT_LOGO, OPT_TOS, OPT_POLICY, OPT_AT_FORMAT, OPT_ALG, OPT_AT_TTL, OPT_RT_TTL,
       OPT_IDLE_TTL, OPT_APP_KEY, OPT_JSON, OPT_NAME, OPT_END };

static const struct option client_options[] = {
    { "name", required_argument, NULL, OPT_NAME },
    { "type", required_argument, NULL, OPT_TYPE },
    { "auth-method", required_argument, NULL, OPT_AUTH },
    { "redirect-uri", required_argument, NULL, OPT_REDIRECT },
    { "post-logout-redirect-uri", required_argument, NULL, OPT_POST_LOGOUT },
    { "grant-type", required_argument, NULL, OPT_GRANT },
    { "scope", required_argument, NULL, OPT_SCOPE },
    { "contact", required_argument, NULL, OPT_CONTACT },
    { "pkce", optional_argument, NULL, OPT_PKCE },
    { "no-pkce", no_argument, NULL, OPT_NO_PKCE },
    { "trusted", optional_argument, NULL, OPT_TRUSTED },
    { "resource-server", optional_argument, NULL, OPT_RESOURCE_SERVER },
    { "minimal-id-token", optional_argument, NULL, OPT_MINIMAL },
    { "logo-uri", required_argument, NULL, OPT_LOGO },
    { "tos-uri", required_argument, NULL, OPT_TOS },
    { "policy-uri", required_argument, NULL, OPT_POLICY },
    { "access-token-format", required_argument, NULL, OPT_AT_FORMAT },
    { "id-token-alg", required_argument, NULL, OPT_ALG },
    { "access-token-ttl", required_argument, NULL, OPT_AT_TTL },
    { "refresh-token-ttl", required_argument, NULL, OPT_RT_TTL },
    { "refresh-idle-ttl", required_argument, NULL, OPT_IDLE_TTL },
    { "app-key", required_argument, NULL, OPT_APP_KEY },
    { "json", no_argument, NULL, OPT_JSON },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

/* What the options set besides the client. */
typedef struct {
    bool json;
    bool seen[OPT_END - OPT_TYPE];   /* a list option was given once: later ones add */
} opts_t;

/* --flag, --flag=yes, --flag=no. */
static bool
parse_flag(const char *arg, bool *out)
{
    *out = arg == NULL || strcmp(arg, "yes") == 0 || strcmp(arg, "true") == 0;
    return *out || strcmp(arg, "no") == 0 || strcmp(arg, "false") == 0;
}

/* Seconds; -1 (which validation refuses with the rule) for anything but digits. */
static long
parse_seconds(const char *arg)
{
    char *end = NULL;
    long v = strtol(arg, &end, 10);
    return *arg != '\0' && *end == '\0' && arg[0] != '-' && arg[0] != '+' ? v : -1;
}

static const char *
or_null(const char *arg)
{
    return *arg != '\0' ? arg : NULL;
}

/* The first of a list option replaces the list (the stored one, for update). */
static bool
list_option(gh_arena_t *a, gh_client_t *c, int opt, const char *arg, bool first)
{
    gh_strlist_t *l = opt == OPT_REDIRECT ? &c->redirect_uris
                    : opt == OPT_POST_LOGOUT ? &c->post_logout_redirect_uris
                    : opt == OPT_GRANT ? &c->grant_types
                    : opt == OPT_SCOPE ? &c->scopes : &c->contacts;
    if (first)
        *l = (gh_strlist_t){ 0 };
    bool ok = true;
    if (opt == OPT_SCOPE)
        gh_strlist_split(a, arg, l, &ok);
    else if (*arg != '\0')
        gh_strlist_add(a, l, arg);
    return ok;
}

static bool
apply_option(gh_arena_t *a, gh_client_t *c, int opt, const char *arg, opts_t *o)
{
    bool ok = true;
    switch (opt) {
    case OPT_NAME:        c->name = arg; break;
    case OPT_TYPE:        c->client_type = arg; break;
    case OPT_AUTH:        c->auth_method = arg; break;
    case OPT_PKCE:        ok = parse_flag(arg, &c->require_pkce); break;
    case OPT_NO_PKCE:     c->require_pkce = false; break;
    case OPT_TRUSTED:     ok = parse_flag(arg, &c->skip_consent); break;
    case OPT_RESOURCE_SERVER: ok = parse_flag(arg, &c->is_resource_server); break;
    case OPT_MINIMAL:     ok = parse_flag(arg, &c->minimal_id_token); break;
    case OPT_LOGO:        c->logo_uri = or_null(arg); break;
    case OPT_TOS:         c->tos_uri = or_null(arg); break;
    case OPT_POLICY:      c->policy_uri = or_null(arg); break;
    case OPT_AT_FORMAT:   c->access_token_format = arg; break;
    case OPT_ALG:         c->id_token_alg = arg; break;
    case OPT_AT_TTL:      c->access_token_ttl = parse_seconds(arg); break;
    case OPT_RT_TTL:      c->refresh_token_ttl = parse_seconds(arg); break;
    case OPT_IDLE_TTL:    c->refresh_idle_ttl = parse_seconds(arg); break;
    case OPT_APP_KEY:     c->app_key = or_null(arg); break;
    case OPT_JSON:        o->json = true; break;
    case OPT_REDIRECT: case OPT_POST_LOGOUT: case OPT_GRANT: case OPT_SCOPE: case OPT_CONTACT:
        ok = list_option(a, c, opt, arg, !o->seen[opt - OPT_TYPE]);
        o->seen[opt - OPT_TYPE] = true;
        break;
    default:              return false;
    }
    return ok;
}

/* Options onto c; the operands are left at argv[optind..]. -1 to go on, else the exit
 * status (0 after --help, 2 for a usage error). */
static int
parse_options(gh_arena_t *a, int argc, char **argv, gh_client_t *c, opts_t *o)
{
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", client_options, NULL)) != -1) {
        if (opt == 'h') {
            fputs(usage_text, stdout);
            return 0;
        }
        if (!apply_option(a, c, opt, optarg, o))
            return gh_cli_usage(usage_text);
    }
    return -1;
}

static int
client_add(gh_app_t *app, int argc, char **argv)
{
    gh_client_t c = { .require_pkce = true };
    opts_t o = { .json = false };
    int rc = parse_options(app->arena, argc, argv, &c, &o);
    if (rc >= 0)
        return rc;
    if (optind != argc || c.name == NULL)
        return gh_cli_usage(usage_text);
    gh_err_t err = { 0 };
    const char *secret = NULL;
    if (gh_oauth_client_create(app->db, app->arena, &c, &secret, &err) != GH_OK)
        return gh_cli_fail("client add", &err);
    if (o.json) {
        gh_cli_print_client(app->arena, &c, secret);
        return 0;
    }
    printf("client_id:     %s\n", c.client_id);
    if (secret != NULL)
        printf("client_secret: %s\n(shown once: only its hash is kept)\n", secret);
    return 0;
}

/* argv: update CLIENT_ID [options]. The id comes first and is never read as an option:
 * a base64url id may start with '-'. */
static int
client_update(gh_app_t *app, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (argc < 2)
        return gh_cli_usage(usage_text);
    gh_client_t c;
    gh_err_t err = { 0 };
    if (gh_store_client_get(app->db, app->arena, argv[1], &c, &err) != GH_OK)
        return gh_cli_fail("client update", &err);
    opts_t o = { .json = false };
    int rc = parse_options(app->arena, argc - 1, argv + 1, &c, &o);
    if (rc >= 0)
        return rc;
    if (optind != argc - 1)
        return gh_cli_usage(usage_text);
    if (gh_oauth_client_update(app->db, app->arena, &c, &err) != GH_OK)
        return gh_cli_fail("client update", &err);
    if (o.json)
        gh_cli_print_client(app->arena, &c, NULL);
    else
        printf("%s updated\n", c.client_id);
    return 0;
}

static int
client_list(gh_app_t *app)
{
    gh_client_t *cs = NULL;
    size_t n = 0;
    gh_err_t err = { 0 };
    if (gh_store_client_list(app->db, app->arena, &cs, &n, &err) != GH_OK)
        return gh_cli_fail("client list", &err);
    for (size_t i = 0; i < n; i++)
        printf("%-26s %-12s %-8s %s\n", cs[i].client_id, cs[i].client_type,
               cs[i].disabled ? "disabled" : "active", cs[i].name);
    return 0;
}

static int
client_show(gh_app_t *app, const char *id)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    if (gh_store_client_get(app->db, app->arena, id, &c, &err) != GH_OK)
        return gh_cli_fail("client show", &err);
    gh_cli_print_client(app->arena, &c, NULL);
    return 0;
}

static int
client_set_disabled(gh_app_t *app, const char *id, bool disabled)
{
    gh_err_t err = { 0 };
    if (gh_store_client_set_disabled(app->db, id, disabled, &err) != GH_OK)
        return gh_cli_fail(disabled ? "client disable" : "client enable", &err);
    printf("%s %s\n", id, disabled ? "disabled" : "enabled");
    return 0;
}

static int
client_rotate_secret(gh_app_t *app, const char *id)
{
    gh_err_t err = { 0 };
    const char *secret = NULL;
    if (gh_oauth_client_rotate_secret(app->db, app->arena, id, &secret, &err) != GH_OK)
        return gh_cli_fail("client rotate-secret", &err);
    printf("client_secret: %s\n(shown once: only its hash is kept; the old secret no "
           "longer works)\n", secret);
    return 0;
}

static int
client_delete(gh_app_t *app, const char *id)
{
    gh_err_t err = { 0 };
    if (gh_store_client_delete(app->db, id, &err) != GH_OK)
        return gh_cli_fail("client delete", &err);
    printf("%s deleted, with its grants, codes and tokens\n", id);
    return 0;
}

/* ------------------------------------------------------------------ client apply */

/* Creates the client the manifest m describes, or brings the one with its app key in
 * line. *what says which happened; *secret is set when a secret was made. */
static gh_status_t
apply_manifest(gh_app_t *app, const gh_client_t *m, bool rotate, gh_client_t *c,
               const char **what, const char **secret, gh_err_t *err)
{
    gh_client_t stored;
    gh_status_t st = gh_store_client_get_by_app_key(app->db, app->arena, m->app_key, &stored,
                                                    err);
    if (st == GH_E_NOTFOUND) {
        *c = (gh_client_t){ .require_pkce = true };
        gh_cli_manifest_merge(m, c);
        *what = "created";
        return gh_oauth_client_create(app->db, app->arena, c, secret, err);
    }
    if (st != GH_OK)
        return st;
    *c = stored;
    gh_cli_manifest_merge(m, c);
    gh_oauth_client_defaults(app->arena, c);
    *what = "unchanged";
    if (!gh_oauth_client_is_same(&stored, c)) {
        *what = "updated";
        st = gh_oauth_client_update(app->db, app->arena, c, err);
    }
    if (st == GH_OK && rotate)
        st = gh_oauth_client_rotate_secret(app->db, app->arena, c->client_id, secret, err);
    return st;
}

static void
report_apply(const gh_client_t *c, const char *what, const char *secret, bool env)
{
    if (env) {
        fprintf(stderr, "gatehouse client apply: %s: %s\n", c->name, what);
        printf("OAUTH_CLIENT_ID=%s\n", c->client_id);
        if (secret != NULL)
            printf("OAUTH_CLIENT_SECRET=%s\n", secret);
        return;
    }
    printf("%s: %s (client_id %s)\n", c->name, what, c->client_id);
    if (secret != NULL)
        printf("client_secret: %s\n(shown once: only its hash is kept)\n", secret);
}

static int
client_apply(gh_app_t *app, int argc, char **argv)
{
    static const struct option apply_options[] = {
        { "env", no_argument, NULL, 'e' },
        { "rotate-secret", no_argument, NULL, 'r' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    bool env = false, rotate = false;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", apply_options, NULL)) != -1) {
        if (opt == 'h') {
            fputs(usage_text, stdout);
            return 0;
        }
        if (opt == '?')
            return gh_cli_usage(usage_text);
        env = env || opt == 'e';
        rotate = rotate || opt == 'r';
    }
    if (optind != argc - 1)
        return gh_cli_usage(usage_text);
    gh_client_t m, c;
    gh_err_t err = { 0 };
    const char *what = NULL, *secret = NULL;
    if (gh_cli_manifest_read(app->arena, argv[optind], &m, &err) != GH_OK ||
        apply_manifest(app, &m, rotate, &c, &what, &secret, &err) != GH_OK)
        return gh_cli_fail("client apply", &err);
    report_apply(&c, what, secret, env);
    return 0;
}

/* Subcommands that take exactly one client id. */
static const struct {
    const char *name;
    int       (*run)(gh_app_t *app, const char *id);
} by_id[] = {
    { .name = "show", .run = client_show },
    { .name = "rotate-secret", .run = client_rotate_secret },
    { .name = "delete", .run = client_delete },
};

int
gh_cli_client(gh_app_t *app, int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : "";
    for (size_t i = 0; i < sizeof by_id / sizeof by_id[0]; i++)
        if (strcmp(sub, by_id[i].name) == 0 && argc == 3)
            return by_id[i].run(app, argv[2]);
    if (strcmp(sub, "add") == 0)
        return client_add(app, argc - 1, argv + 1);
    if (strcmp(sub, "update") == 0)
        return client_update(app, argc - 1, argv + 1);
    if (strcmp(sub, "apply") == 0)
        return client_apply(app, argc - 1, argv + 1);
    if (strcmp(sub, "list") == 0 && argc == 2)
        return client_list(app);
    if ((strcmp(sub, "disable") == 0 || strcmp(sub, "enable") == 0) && argc == 3)
        return client_set_disabled(app, argv[2], sub[0] == 'd');
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "help") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    return gh_cli_usage(usage_text);
}
