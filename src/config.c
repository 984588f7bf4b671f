/*
 * config.c: reading the HDF configuration file.
 *
 * HDF is ClearSilver's own format, so the configuration needs no other parser. Every
 * setting is listed once in a table with its default and range; loading walks the
 * table. check-config adds the checks that look outside the file's text (the issuer
 * scheme, readable files); the database check is the command line's.
 */
#include "config.h"

#include <ClearSilver.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/url.h"

#ifndef GH_SYSCONFDIR
#define GH_SYSCONFDIR "/etc"
#endif
#ifndef GH_DATADIR
#define GH_DATADIR "/usr/share/gatehouse"
#endif

typedef enum { KIND_STR, KIND_NUM, KIND_BOOL } kind_t;

typedef struct {
    const char *name;
    kind_t      kind;
    const char *def;        /* NULL: required */
    long        min, max;   /* NUM only */
    size_t      offset;
} setting_t;

#define AT(field) offsetof(gh_config_t, field)

static const setting_t settings[] = {
    { .name = "Issuer", .kind = KIND_STR, .offset = AT(issuer) },
    { .name = "Database.Conninfo", .kind = KIND_STR, .def = "dbname=gatehouse",
      .offset = AT(conninfo) },
    { .name = "Database.StatementTimeout", .kind = KIND_NUM, .def = "5000", .min = 0,
      .max = 600000, .offset = AT(statement_timeout_ms) },
    { .name = "Paths.Templates", .kind = KIND_STR, .def = GH_DATADIR "/templates",
      .offset = AT(template_dir) },
    { .name = "Paths.Htdocs", .kind = KIND_STR, .def = GH_DATADIR "/htdocs",
      .offset = AT(htdocs_dir) },
    { .name = "Paths.Sql", .kind = KIND_STR, .def = GH_DATADIR "/sql", .offset = AT(sql_dir) },
    { .name = "Keys.EncryptionKeyFile", .kind = KIND_STR, .def = GH_SYSCONFDIR "/gatehouse.key",
      .offset = AT(key_file) },
    { .name = "Keys.DefaultAlg", .kind = KIND_STR, .def = "RS256", .offset = AT(default_alg) },
    { .name = "Keys.ActivationDelay", .kind = KIND_NUM, .def = "86400", .min = 0,
      .max = 90L * 86400, .offset = AT(key_activation_delay) },
    { .name = "Tokens.CodeLifetime", .kind = KIND_NUM, .def = "60", .min = 1, .max = 600,
      .offset = AT(code_ttl) },
    { .name = "Tokens.AccessTokenLifetime", .kind = KIND_NUM, .def = "3600", .min = 1,
      .max = 86400, .offset = AT(access_ttl) },
    { .name = "Tokens.IdTokenLifetime", .kind = KIND_NUM, .def = "3600", .min = 1, .max = 86400,
      .offset = AT(id_token_ttl) },
    { .name = "Tokens.RefreshTokenLifetime", .kind = KIND_NUM, .def = "2592000", .min = 1,
      .max = 365L * 86400, .offset = AT(refresh_ttl) },
    { .name = "Tokens.RefreshTokenIdleLifetime", .kind = KIND_NUM, .def = "1209600", .min = 1,
      .max = 365L * 86400, .offset = AT(refresh_idle_ttl) },
    /* RFC 9068 aud of JWT access tokens: the resource servers' identifier. "" (the
     * default) means the issuer. */
    { .name = "Tokens.Audience", .kind = KIND_STR, .def = "", .offset = AT(audience) },
    { .name = "Sessions.Lifetime", .kind = KIND_NUM, .def = "86400", .min = 60,
      .max = 90L * 86400, .offset = AT(session_ttl) },
    { .name = "Sessions.IdleTimeout", .kind = KIND_NUM, .def = "7200", .min = 60,
      .max = 90L * 86400, .offset = AT(session_idle_ttl) },
    { .name = "Sweep.Interval", .kind = KIND_NUM, .def = "60", .min = 0, .max = 86400,
      .offset = AT(sweep_interval) },
    { .name = "Sweep.Batch", .kind = KIND_NUM, .def = "500", .min = 1, .max = 100000,
      .offset = AT(sweep_batch) },
    { .name = "Http.MaxBody", .kind = KIND_NUM, .def = "65536", .min = 1024, .max = 16L << 20,
      .offset = AT(max_body) },
    { .name = "Http.TrustForwardedProto", .kind = KIND_BOOL, .def = "0",
      .offset = AT(trust_forwarded_proto) },
    { .name = "Http.CorsOrigins", .kind = KIND_STR, .def = "", .offset = AT(cors_origins) },
    { .name = "Log.Level", .kind = KIND_STR, .def = "info", .offset = 0 },
    /* Off by default (R93); when on, an initial access token is needed unless Open. */
    { .name = "Registration.Enabled", .kind = KIND_BOOL, .def = "0",
      .offset = AT(registration_enabled) },
    { .name = "Registration.Open", .kind = KIND_BOOL, .def = "0",
      .offset = AT(registration_open) },
    { .name = "Registration.MaxClients", .kind = KIND_NUM, .def = "1000", .min = 0,
      .max = 10000000, .offset = AT(registration_max_clients) },
    { .name = "Registration.PerAddressPerHour", .kind = KIND_NUM, .def = "20", .min = 1,
      .max = 1000000, .offset = AT(registration_per_address) },
    { .name = "Registration.PerTokenPerHour", .kind = KIND_NUM, .def = "100", .min = 1,
      .max = 1000000, .offset = AT(registration_per_token) },
};

const char *
gh_config_default_path(void)
{
    const char *env = getenv("GATEHOUSE_CONFIG");
    if (env != NULL && *env != '\0')
        return env;
    return GH_SYSCONFDIR "/gatehouse.hdf";
}

static gh_status_t
parse_long(const setting_t *s, const char *v, long *out, gh_err_t *err)
{
    errno = 0;
    char *end = NULL;
    long n = strtol(v, &end, 10);
    if (errno != 0 || end == v || *end != '\0' || n < s->min || n > s->max)
        return gh_fail(err, GH_E_INPUT, "%s must be a whole number from %ld to %ld",
                       s->name, s->min, s->max);
    *out = n;
    return GH_OK;
}

static gh_status_t
apply_setting(gh_config_t *cfg, const setting_t *s, const char *v, gh_err_t *err)
{
    char *field = (char *)cfg + s->offset;
    long n = 0;
    gh_status_t st;
    switch (s->kind) {
    case KIND_STR:
        *(char **)field = strdup(v);
        return GH_OK;
    case KIND_BOOL:
        if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
            return gh_fail(err, GH_E_INPUT, "%s must be 0 or 1", s->name);
        *(bool *)field = v[0] == '1';
        return GH_OK;
    case KIND_NUM:
        st = parse_long(s, v, &n, err);
        if (st != GH_OK)
            return st;
        if (s->offset == AT(max_body))
            *(size_t *)field = (size_t)n;
        else
            *(long *)field = n;
        return GH_OK;
    }
    return gh_fail(err, GH_E_INTERNAL, "unknown setting kind");
}

/* Applies every setting; each bad one is written to report (when not NULL) so
 * check-config lists them all, and the first one fills err. */
static int
apply_all(gh_config_t *cfg, HDF *hdf, FILE *report, gh_err_t *err)
{
    int problems = 0;
    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++) {
        const setting_t *s = &settings[i];
        const char *v = hdf_get_value(hdf, s->name, s->def);
        gh_err_t one = { 0 };
        gh_status_t st = GH_OK;
        bool optional = s->def != NULL && *s->def == '\0';
        if (v == NULL || (*v == '\0' && !optional)) {
            st = gh_fail(&one, GH_E_INPUT, "%s is required", s->name);
        } else if (strcmp(s->name, "Log.Level") == 0) {
            cfg->log_level = gh_log_level_parse(v);
            if (cfg->log_level < 0)
                st = gh_fail(&one, GH_E_INPUT, "Log.Level must be error, warn, info or debug");
        } else {
            st = apply_setting(cfg, s, v, &one);
        }
        if (st == GH_OK)
            continue;
        if (problems++ == 0 && err != NULL)
            *err = one;
        if (report != NULL)
            fprintf(report, "%s\n", one.description);
    }
    return problems;
}

static bool
is_known_setting(const char *name)
{
    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
        if (strcmp(settings[i].name, name) == 0)
            return true;
    return false;
}

/* A misspelt name ("Tokens.CodeLifeTime") would silently leave the default in force:
 * every leaf with a value must be a known setting. */
static int
report_unknown(HDF *node, const char *prefix, FILE *report)
{
    int problems = 0;
    for (HDF *n = hdf_obj_child(node); n != NULL; n = hdf_obj_next(n)) {
        char name[256];
        snprintf(name, sizeof name, "%s%s%s", prefix, *prefix ? "." : "", hdf_obj_name(n));
        if (hdf_obj_value(n) != NULL && !is_known_setting(name)) {
            if (report != NULL)
                fprintf(report, "%s: unknown setting\n", name);
            problems++;
        }
        problems += report_unknown(n, name, report);
    }
    return problems;
}

/* The issuer is an absolute http(s) URL with no query, fragment or trailing slash
 * (OIDC Discovery 3: discovery URLs are formed by appending to it). Fills what is
 * derived from it: issuer_path, and the default audience. */
static gh_status_t
split_issuer(gh_config_t *cfg, gh_err_t *err)
{
    char *iss = cfg->issuer;
    const char *rest = NULL;
    if (strncmp(iss, "https://", 8) == 0)
        rest = iss + 8;
    else if (strncmp(iss, "http://", 7) == 0)
        rest = iss + 7;
    if (rest == NULL || *rest == '\0' || *rest == '/')
        return gh_fail(err, GH_E_INPUT, "Issuer must be an absolute https URL");
    if (strpbrk(iss, "?#") != NULL || strpbrk(iss, " \t\r\n") != NULL)
        return gh_fail(err, GH_E_INPUT, "Issuer must have no query, fragment or spaces");
    size_t len = strlen(iss);
    if (iss[len - 1] == '/')
        return gh_fail(err, GH_E_INPUT, "Issuer must not end with a slash");
    const char *slash = strchr(rest, '/');
    cfg->issuer_path = strdup(slash != NULL ? slash : "");
    if (cfg->audience != NULL && cfg->audience[0] == '\0') {   /* Tokens.Audience unset */
        free(cfg->audience);
        cfg->audience = strdup(iss);
    }
    return GH_OK;
}

static gh_status_t
read_hdf(const char *path, HDF **out, gh_err_t *err)
{
    HDF *hdf = NULL;
    NEOERR *nerr = hdf_init(&hdf);
    if (nerr == STATUS_OK)
        nerr = hdf_read_file(hdf, path);
    if (nerr == STATUS_OK) {
        *out = hdf;
        return GH_OK;
    }
    STRING msg;
    string_init(&msg);
    nerr_error_string(nerr, &msg);
    gh_fail(err, GH_E_INPUT, "cannot read %s: %.80s", path, msg.buf ? msg.buf : "");
    string_clear(&msg);
    nerr_ignore(&nerr);
    hdf_destroy(&hdf);
    return GH_E_INPUT;
}

gh_status_t
gh_config_load(const char *path, FILE *report, gh_config_t **out, gh_err_t *err)
{
    if (access(path, R_OK) != 0) {
        gh_fail(err, GH_E_INPUT, "cannot read configuration file %s", path);
        if (report != NULL)
            fprintf(report, "%s\n", err->description);
        return GH_E_INPUT;
    }
    HDF *hdf = NULL;
    gh_status_t st = read_hdf(path, &hdf, err);
    if (st != GH_OK) {
        if (report != NULL)
            fprintf(report, "%s\n", err->description);
        return st;
    }
    gh_config_t *cfg = calloc(1, sizeof *cfg);
    if (cfg == NULL) {
        hdf_destroy(&hdf);
        return gh_fail(err, GH_E_INTERNAL, "out of memory");
    }
    cfg->path = strdup(path);
    int problems = apply_all(cfg, hdf, report, err);
    int unknown = report_unknown(hdf, "", report);
    if (unknown > 0 && problems == 0)
        gh_fail(err, GH_E_INPUT, "unknown setting in %s", path);
    problems += unknown;
    hdf_destroy(&hdf);
    if (cfg->issuer != NULL && split_issuer(cfg, problems == 0 ? err : NULL) != GH_OK) {
        problems++;
        if (report != NULL)
            fprintf(report, "Issuer must be an absolute https URL with no query, fragment "
                            "or trailing slash\n");
    }
    if (problems > 0) {
        gh_config_free(cfg);
        return GH_E_INPUT;
    }
    *out = cfg;
    return GH_OK;
}

void
gh_config_free(gh_config_t *cfg)
{
    if (cfg == NULL)
        return;
    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
        if (settings[i].kind == KIND_STR && settings[i].offset != 0)
            free(*(char **)((char *)cfg + settings[i].offset));
    free(cfg->issuer_path);
    free(cfg->path);
    free(cfg);
}

long
gh_config_max_signed_ttl(const gh_config_t *cfg)
{
    long ttl = cfg->access_ttl;
    if (cfg->id_token_ttl > ttl)
        ttl = cfg->id_token_ttl;
    return ttl;
}

long
gh_config_max_token_ttl(const gh_config_t *cfg)
{
    long ttl = gh_config_max_signed_ttl(cfg);
    if (cfg->refresh_ttl > ttl)
        ttl = cfg->refresh_ttl;
    if (cfg->code_ttl > ttl)
        ttl = cfg->code_ttl;
    return ttl;
}

/* localhost and 127.0.0.1 may use http (development); everything else needs TLS
 * (RFC 9700 section 2.6). */
static bool
issuer_is_loopback_http(const char *iss)
{
    static const char *const ok[] = { "http://localhost", "http://127.0.0.1", "http://[::1]" };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        size_t n = strlen(ok[i]);
        if (strncmp(iss, ok[i], n) == 0 && (iss[n] == '\0' || iss[n] == ':' || iss[n] == '/'))
            return true;
    }
    return false;
}

static int
check_dir(FILE *out, const char *name, const char *dir)
{
    if (access(dir, R_OK | X_OK) == 0)
        return 0;
    fprintf(out, "%s: cannot read directory %s\n", name, dir);
    return 1;
}

/* Each entry exactly as a browser sends it in Origin, or it could never match. */
static int
check_origins(FILE *out, const char *list)
{
    int problems = 0;
    char *copy = strdup(list), *save = NULL;
    if (copy == NULL)
        return 1;
    for (char *o = strtok_r(copy, " ", &save); o != NULL; o = strtok_r(NULL, " ", &save)) {
        if (gh_url_is_origin(o))
            continue;
        fprintf(out, "Http.CorsOrigins: %.200s is not an origin such as https://app.example "
                     "(lowercase, no path, no default port)\n", o);
        problems++;
    }
    free(copy);
    return problems;
}

int
gh_config_check(const gh_config_t *cfg, FILE *out)
{
    int problems = 0;
    if (strncmp(cfg->issuer, "https://", 8) != 0 && !issuer_is_loopback_http(cfg->issuer)) {
        fprintf(out, "Issuer: must be https (http is allowed only for localhost and "
                     "127.0.0.1)\n");
        problems++;
    }
    const char *algs[] = { "RS256", "ES256", "EdDSA" };
    bool alg_ok = false;
    for (size_t i = 0; i < 3; i++)
        alg_ok = alg_ok || strcmp(cfg->default_alg, algs[i]) == 0;
    if (!alg_ok) {
        fprintf(out, "Keys.DefaultAlg: must be RS256, ES256 or EdDSA\n");
        problems++;
    }
    problems += check_dir(out, "Paths.Templates", cfg->template_dir);
    problems += check_dir(out, "Paths.Htdocs", cfg->htdocs_dir);
    problems += check_dir(out, "Paths.Sql", cfg->sql_dir);
    problems += check_origins(out, cfg->cors_origins);
    if (cfg->refresh_idle_ttl > cfg->refresh_ttl) {
        fprintf(out, "Tokens.RefreshTokenIdleLifetime: longer than RefreshTokenLifetime\n");
        problems++;
    }
    return problems;
}
