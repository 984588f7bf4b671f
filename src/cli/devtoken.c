/*
 * cli/devtoken.c: `gatehouse devtoken issue|list|revoke`, the initial access tokens
 * of dynamic client registration (docs/registration.md).
 *
 * The token goes to stdout alone, so that a script can take it; what it is goes to
 * stderr. It is shown once: only its hash is kept. The logic is oauth/devtoken.c's and
 * store/devtokens.c's, which the admin page calls too.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "cli/util.h"
#include "oauth/devtoken.h"
#include "store/devtokens.h"

static const char usage_text[] =
    "usage: gatehouse devtoken issue [--label LABEL] [--ttl SECONDS]\n"
    "         Prints a new initial access token for POST /register (shown once).\n"
    "         --ttl: lifetime, 60 to 31536000 seconds (default 2592000, 30 days)\n"
    "       gatehouse devtoken list\n"
    "       gatehouse devtoken revoke ID\n";

enum { OPT_LABEL = 256, OPT_TTL };

static const struct option issue_options[] = {
    { "label", required_argument, NULL, OPT_LABEL },
    { "ttl", required_argument, NULL, OPT_TTL },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

/* A whole number from 1 up, or -1. */
static long long
positive(const char *s)
{
    errno = 0;
    char *end = NULL;
    long long n = strtoll(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || n < 1)
        return -1;
    return n;
}

/* "2026-11-25T14:00:00Z", or "-" for 0 (never). */
static const char *
utc(gh_arena_t *a, long long t)
{
    if (t == 0)
        return "-";
    time_t tt = (time_t)t;
    struct tm tm;
    char buf[32];
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&tt, &tm));
    return gh_arena_strdup(a, buf);
}

static int
devtoken_issue(gh_app_t *app, int argc, char **argv)
{
    const char *label = NULL;
    long long ttl = GH_OAUTH_DEVTOKEN_DEFAULT_TTL;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", issue_options, NULL)) != -1) {
        if (opt == 'h') {
            fputs(usage_text, stdout);
            return 0;
        }
        if (opt == OPT_LABEL)
            label = optarg;
        else if (opt != OPT_TTL || (ttl = positive(optarg)) < 0)
            return gh_cli_usage(usage_text);
    }
    if (optind != argc)
        return gh_cli_usage(usage_text);
    gh_err_t err = { 0 };
    char *token = NULL;
    gh_devtoken_t t;
    if (gh_oauth_devtoken_issue(app->db, app->arena, label, (long)ttl, &token, &t, &err) != GH_OK)
        return gh_cli_fail("devtoken issue", &err);
    printf("%s\n", token);
    fprintf(stderr, "developer token %lld, expires %s (shown once: only its hash is kept)\n",
            t.id, utc(app->arena, t.expires_at));
    return 0;
}

static const char *
state(const gh_devtoken_t *t)
{
    if (t->revoked_at != 0)
        return "revoked";
    return t->expires_at <= (long long)time(NULL) ? "expired" : "active";
}

static int
devtoken_list(gh_app_t *app)
{
    gh_devtoken_t *ts = NULL;
    size_t n = 0;
    gh_err_t err = { 0 };
    if (gh_store_devtoken_list(app->db, app->arena, &ts, &n, &err) != GH_OK)
        return gh_cli_fail("devtoken list", &err);
    printf("%-6s %-8s %-20s %-20s %s\n", "ID", "STATE", "EXPIRES", "LAST USED", "LABEL");
    for (size_t i = 0; i < n; i++)
        printf("%-6lld %-8s %-20s %-20s %s\n", ts[i].id, state(&ts[i]),
               utc(app->arena, ts[i].expires_at), utc(app->arena, ts[i].last_used_at),
               ts[i].label);
    return 0;
}

static int
devtoken_revoke(gh_app_t *app, const char *arg)
{
    long long id = positive(arg);
    if (id < 0)
        return gh_cli_usage(usage_text);
    gh_err_t err = { 0 };
    if (gh_store_devtoken_revoke(app->db, id, &err) != GH_OK)
        return gh_cli_fail("devtoken revoke", &err);
    printf("developer token %lld revoked\n", id);
    return 0;
}

int
gh_cli_devtoken(gh_app_t *app, int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : "";
    if (strcmp(sub, "issue") == 0)
        return devtoken_issue(app, argc - 1, argv + 1);
    if (strcmp(sub, "list") == 0 && argc == 2)
        return devtoken_list(app);
    if (strcmp(sub, "revoke") == 0 && argc == 3)
        return devtoken_revoke(app, argv[2]);
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "help") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    return gh_cli_usage(usage_text);
}
