/*
 * cli/keys.c: `gatehouse keys list|rotate|activate|sign|purge`.
 *
 * The operator's side of key rotation (REQUIREMENTS R77): what a rotation means and
 * when keys sign is oauth/keys.c's; this file parses arguments and prints.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/util.h"
#include "oauth/keys.h"
#include "store/keys.h"

/* Longest --delay, the same bound as Keys.ActivationDelay. */
#define MAX_DELAY (90L * 86400)
/* What /jwks tells caches (endpoints/jwks.c): a key younger than this may be unknown
 * to a resource server that fetched the JWKS just before it was added. */
#define JWKS_MAX_AGE 300

enum { OPT_ALG = 1 << 0, OPT_NOW = 1 << 1, OPT_DELAY = 1 << 2, OPT_STAGE = 1 << 3,
       OPT_TYP = 1 << 4 };

typedef struct {
    int         seen;    /* OPT_* given */
    const char *alg;
    const char *typ;
    const char *delay;
    const char *arg;     /* the positional argument, for commands that take one */
} opts_t;

typedef struct {
    const char *name;
    int         options; /* OPT_* allowed */
    int         nargs;   /* positional arguments: 0 or 1 */
    int       (*run)(gh_app_t *app, const opts_t *o);
    const char *help;
} keys_command_t;

static const struct option long_options[] = {
    { "alg", required_argument, NULL, OPT_ALG },
    { "now", no_argument, NULL, OPT_NOW },
    { "delay", required_argument, NULL, OPT_DELAY },
    { "stage", no_argument, NULL, OPT_STAGE },
    { "typ", required_argument, NULL, OPT_TYP },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

static void
info_print(const gh_store_key_info_t *k)
{
    printf("%-43s %-5s %-8s %-20s %s\n", k->kid, k->alg, k->state, k->activates_at,
           k->expires_at != NULL ? k->expires_at : "-");
}

static int
keys_list(gh_app_t *app, const opts_t *o)
{
    (void)o;
    gh_store_key_info_t *rows = NULL;
    size_t n = 0;
    gh_err_t err = { 0 };
    if (gh_store_key_list(app->db, app->arena, NULL, &rows, &n, &err) != GH_OK)
        return gh_cli_fail("keys list", &err);
    printf("%-43s %-5s %-8s %-20s %s\n", "KID", "ALG", "STATE", "ACTIVATES", "EXPIRES");
    for (size_t i = 0; i < n; i++)
        info_print(&rows[i]);
    if (n == 0)
        fputs("no keys yet: run `gatehouse keys rotate --now`\n", stderr);
    return 0;
}

/* --delay's value: whole seconds, 0 to MAX_DELAY. */
static bool
delay_parse(const char *text, long *out)
{
    char *end = NULL;
    long v = strtol(text, &end, 10);
    if (text[0] < '0' || text[0] > '9' || *end != '\0' || v > MAX_DELAY)
        return false;
    *out = v;
    return true;
}

static void
rotate_explain(const gh_store_key_info_t *k)
{
    if (strcmp(k->state, "active") == 0)
        fprintf(stderr, "%s signs %s tokens from now on\n", k->kid, k->alg);
    else if (k->expires_at == NULL && strcmp(k->activates_at, "on-activate") == 0)
        fprintf(stderr, "%s is published; it signs after `gatehouse keys activate %s`\n",
                k->kid, k->kid);
    else
        fprintf(stderr, "%s is published; it signs %s tokens from %s\n", k->kid, k->alg,
                k->activates_at);
}

static int
keys_rotate(gh_app_t *app, const opts_t *o)
{
    const char *alg = o->alg != NULL ? o->alg : app->cfg->default_alg;
    long delay = app->cfg->key_activation_delay;
    if (o->seen & OPT_NOW)
        delay = 0;
    else if (o->seen & OPT_STAGE)
        delay = GH_JOSE_KEYS_MANUAL;
    else if ((o->seen & OPT_DELAY) && !delay_parse(o->delay, &delay))
        return gh_cli_usage("gatehouse keys rotate: --delay takes 0 to 7776000 seconds\n");
    gh_store_key_info_t info;
    gh_err_t err = { 0 };
    if (gh_oauth_keys_rotate(app, alg, delay, &info, &err) != GH_OK)
        return gh_cli_fail("keys rotate", &err);
    info_print(&info);
    rotate_explain(&info);
    return 0;
}

static int
keys_activate(gh_app_t *app, const opts_t *o)
{
    gh_store_key_info_t info;
    gh_err_t err = { 0 };
    if (gh_oauth_keys_activate(app, o->arg, &info, &err) != GH_OK)
        return gh_cli_fail("keys activate", &err);
    info_print(&info);
    if (info.age < JWKS_MAX_AGE)
        fprintf(stderr, "warning: %s was published only %ld s ago; resource servers that "
                "fetched /jwks before may refuse its tokens for up to %d s\n",
                info.kid, info.age, JWKS_MAX_AGE);
    return 0;
}

static int
keys_sign(gh_app_t *app, const opts_t *o)
{
    json_error_t jerr;
    json_t *payload = json_loadf(stdin, JSON_REJECT_DUPLICATES, &jerr);
    if (payload == NULL) {
        fprintf(stderr, "gatehouse keys sign: stdin, line %d: %s\n", jerr.line, jerr.text);
        return 1;
    }
    if (!json_is_object(payload)) {
        json_decref(payload);
        fputs("gatehouse keys sign: stdin is not a JSON object\n", stderr);
        return 1;
    }
    const char *alg = o->alg != NULL ? o->alg : app->cfg->default_alg;
    const char *typ = o->typ != NULL ? o->typ : "JWT";
    char *jws = NULL;
    gh_err_t err = { 0 };
    gh_status_t st = gh_oauth_keys_sign(app, alg, typ, payload, &jws, &err);
    json_decref(payload);
    if (st != GH_OK)
        return gh_cli_fail("keys sign", &err);
    puts(jws);
    return 0;
}

static int
keys_purge(gh_app_t *app, const opts_t *o)
{
    (void)o;
    const char **kids = NULL;
    size_t n = 0;
    gh_err_t err = { 0 };
    if (gh_store_key_purge(app->db, app->arena, &kids, &n, &err) != GH_OK)
        return gh_cli_fail("keys purge", &err);
    for (size_t i = 0; i < n; i++)
        printf("purged %s\n", kids[i]);
    fprintf(stderr, "%zu expired key%s purged\n", n, n == 1 ? "" : "s");
    return 0;
}

static const keys_command_t commands[] = {
    { .name = "list", .run = keys_list,
      .help = "usage: gatehouse keys list\n"
              "  Every key: kid, alg, state (pending: published, not signing yet; active:\n"
              "  signs; retired: published until the tokens it signed expire; expired:\n"
              "  left the JWKS, see purge), when it activates, when it expires (UTC).\n" },
    { .name = "rotate", .run = keys_rotate, .options = OPT_ALG | OPT_NOW | OPT_DELAY | OPT_STAGE,
      .help = "usage: gatehouse keys rotate [--alg RS256|ES256|EdDSA] [--now | --delay SECONDS"
              " | --stage]\n"
              "  Adds a key (RSA 2048, P-256 or Ed25519; --alg defaults to Keys.DefaultAlg)\n"
              "  to the JWKS at once. It signs after Keys.ActivationDelay, or --delay\n"
              "  seconds, so that resource servers see it first; --stage waits for\n"
              "  `keys activate`; --now signs at once (emergencies: caches may not know it).\n"
              "  The first key of an alg always signs at once. The key it replaces stays in\n"
              "  the JWKS until every token it signed has expired. Prints the new key.\n" },
    { .name = "activate", .run = keys_activate, .nargs = 1,
      .help = "usage: gatehouse keys activate KID\n"
              "  Makes a pending key the signing key of its alg now.\n" },
    { .name = "sign", .run = keys_sign, .options = OPT_ALG | OPT_TYP,
      .help = "usage: gatehouse keys sign [--alg RS256|ES256|EdDSA] [--typ TYP] < payload.json\n"
              "  Prints the JSON object on stdin as a compact JWS signed with the active key\n"
              "  of the alg (default Keys.DefaultAlg; typ default JWT), to check a\n"
              "  deployment's /jwks.\n" },
    { .name = "purge", .run = keys_purge,
      .help = "usage: gatehouse keys purge\n"
              "  Deletes expired keys (gatehouse sweep does it too) and names them.\n" },
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

/* 0: parsed; 1: --help; 2: usage error. */
static int
opts_parse(const keys_command_t *c, int argc, char **argv, opts_t *o)
{
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
        if (opt == 'h')
            return 1;
        /* '?': getopt_long has said what was wrong. */
        if (opt == '?' || (opt & c->options) == 0 || (o->seen & opt) != 0)
            return 2;
        o->seen |= opt;
        if (opt == OPT_ALG)
            o->alg = optarg;
        else if (opt == OPT_TYP)
            o->typ = optarg;
        else if (opt == OPT_DELAY)
            o->delay = optarg;
    }
    int when = o->seen & (OPT_NOW | OPT_DELAY | OPT_STAGE);
    if ((when & (when - 1)) != 0 || argc - optind != c->nargs)
        return 2;
    o->arg = c->nargs > 0 ? argv[optind] : NULL;
    return 0;
}

int
gh_cli_keys(gh_app_t *app, int argc, char **argv)
{
    const char *name = argc > 1 ? argv[1] : "";
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (strcmp(commands[i].name, name) != 0)
            continue;
        opts_t o = { 0 };
        int rc = opts_parse(&commands[i], argc - 1, argv + 1, &o);
        if (rc == 1)
            fputs(commands[i].help, stdout);
        if (rc != 0)
            return rc == 1 ? 0 : gh_cli_usage(commands[i].help);
        return commands[i].run(app, &o);
    }
    fputs("usage: gatehouse keys list|rotate|activate|sign|purge [--help]\n", stderr);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fputs(commands[i].help, stderr);
    return 2;
}
