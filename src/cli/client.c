/*
 * cli/client.c: `gatehouse client add|list|show|disable|enable`.
 *
 * Clients are made through oauth/client.c, the same rules as every other way.
 * The secret is printed once, when made; only its hash is kept.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/util.h"
#include "oauth/client.h"
#include "store/clients.h"

static const char usage_text[] =
    "usage: gatehouse client add --name NAME [options]\n"
    "         --type confidential|public      (default confidential)\n"
    "         --auth-method client_secret_basic|client_secret_post|none\n"
    "         --redirect-uri URI              (repeat for several)\n"
    "         --post-logout-redirect-uri URI  (repeat for several)\n"
    "         --grant-type TYPE               (repeat; default authorization_code and\n"
    "                                          refresh_token)\n"
    "         --scope \"openid profile ...\"    (what it may ask for; default openid)\n"
    "         --no-pkce                       (confidential clients only)\n"
    "         --trusted                       (first-party: skips consent)\n"
    "         --logo-uri URI --tos-uri URI --policy-uri URI\n"
    "         --access-token-format opaque|jwt --id-token-alg RS256|ES256|EdDSA\n"
    "         --json                          (print the new client as JSON)\n"
    "       gatehouse client list\n"
    "       gatehouse client show CLIENT_ID\n"
    "       gatehouse client disable|enable CLIENT_ID\n";

enum { OPT_TYPE = 256, OPT_AUTH, OPT_REDIRECT, OPT_POST_LOGOUT, OPT_GRANT, OPT_SCOPE,
       OPT_NO_PKCE, OPT_TRUSTED, OPT_LOGO, OPT_TOS, OPT_POLICY, OPT_AT_FORMAT, OPT_ALG,
       OPT_JSON, OPT_NAME };

static const struct option add_options[] = {
    { "name", required_argument, NULL, OPT_NAME },
    { "type", required_argument, NULL, OPT_TYPE },
    { "auth-method", required_argument, NULL, OPT_AUTH },
    { "redirect-uri", required_argument, NULL, OPT_REDIRECT },
    { "post-logout-redirect-uri", required_argument, NULL, OPT_POST_LOGOUT },
    { "grant-type", required_argument, NULL, OPT_GRANT },
    { "scope", required_argument, NULL, OPT_SCOPE },
    { "no-pkce", no_argument, NULL, OPT_NO_PKCE },
    { "trusted", no_argument, NULL, OPT_TRUSTED },
    { "logo-uri", required_argument, NULL, OPT_LOGO },
    { "tos-uri", required_argument, NULL, OPT_TOS },
    { "policy-uri", required_argument, NULL, OPT_POLICY },
    { "access-token-format", required_argument, NULL, OPT_AT_FORMAT },
    { "id-token-alg", required_argument, NULL, OPT_ALG },
    { "json", no_argument, NULL, OPT_JSON },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

static bool
apply_option(gh_arena_t *a, gh_client_t *c, int opt, const char *arg, bool *json)
{
    bool ok = true;
    switch (opt) {
    case OPT_NAME:        c->name = arg; break;
    case OPT_TYPE:        c->client_type = arg; break;
    case OPT_AUTH:        c->auth_method = arg; break;
    case OPT_REDIRECT:    gh_strlist_add(a, &c->redirect_uris, arg); break;
    case OPT_POST_LOGOUT: gh_strlist_add(a, &c->post_logout_redirect_uris, arg); break;
    case OPT_GRANT:       gh_strlist_add(a, &c->grant_types, arg); break;
    case OPT_SCOPE:       gh_strlist_split(a, arg, &c->scopes, &ok); break;
    case OPT_NO_PKCE:     c->require_pkce = false; break;
    case OPT_TRUSTED:     c->skip_consent = true; break;
    case OPT_LOGO:        c->logo_uri = arg; break;
    case OPT_TOS:         c->tos_uri = arg; break;
    case OPT_POLICY:      c->policy_uri = arg; break;
    case OPT_AT_FORMAT:   c->access_token_format = arg; break;
    case OPT_ALG:         c->id_token_alg = arg; break;
    case OPT_JSON:        *json = true; break;
    default:              return false;
    }
    return ok;
}

static int
client_add(gh_app_t *app, int argc, char **argv)
{
    gh_client_t c = { .require_pkce = true };
    bool json = false;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", add_options, NULL)) != -1) {
        if (opt == 'h') {
            fputs(usage_text, stdout);
            return 0;
        }
        if (!apply_option(app->arena, &c, opt, optarg, &json))
            return gh_cli_usage(usage_text);
    }
    if (optind != argc || c.name == NULL)
        return gh_cli_usage(usage_text);
    gh_err_t err = { 0 };
    const char *secret = NULL;
    if (gh_oauth_client_create(app->db, app->arena, &c, &secret, &err) != GH_OK)
        return gh_cli_fail("client add", &err);
    if (json) {
        gh_cli_print_client(app->arena, &c, secret);
        return 0;
    }
    printf("client_id:     %s\n", c.client_id);
    if (secret != NULL)
        printf("client_secret: %s\n(shown once: only its hash is kept)\n", secret);
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

int
gh_cli_client(gh_app_t *app, int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : "";
    if (strcmp(sub, "add") == 0)
        return client_add(app, argc - 1, argv + 1);
    if (strcmp(sub, "list") == 0 && argc == 2)
        return client_list(app);
    if (strcmp(sub, "show") == 0 && argc == 3)
        return client_show(app, argv[2]);
    if ((strcmp(sub, "disable") == 0 || strcmp(sub, "enable") == 0) && argc == 3)
        return client_set_disabled(app, argv[2], sub[0] == 'd');
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "help") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    return gh_cli_usage(usage_text);
}
