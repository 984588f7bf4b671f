/*
 * config.h: the one HDF configuration file.
 *
 * Path from GATEHOUSE_CONFIG, else $(sysconfdir)/gatehouse.hdf. Loading fills every
 * field with its value or default and checks types; gh_config_check (check-config)
 * goes further and reports every problem in one go. Nothing else reads the file.
 */
#ifndef GH_CONFIG_H
#define GH_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/err.h"

typedef struct {
    char   *path;              /* the file this came from */
    char   *issuer;            /* Issuer: no trailing slash */
    char   *issuer_path;       /* path part of the issuer ("" or "/oauth") */
    char   *conninfo;          /* Database.Conninfo (libpq) */
    long    statement_timeout_ms; /* Database.StatementTimeout */
    char   *template_dir;      /* Paths.Templates */
    char   *htdocs_dir;        /* Paths.Htdocs */
    char   *sql_dir;           /* Paths.Sql */
    char   *key_file;          /* Keys.EncryptionKeyFile: 32 bytes, as 64 hex digits */
    char   *default_alg;       /* Keys.DefaultAlg: RS256 unless set */
    long    key_activation_delay; /* Keys.ActivationDelay, seconds */
    long    code_ttl;          /* Tokens.CodeLifetime */
    long    access_ttl;        /* Tokens.AccessTokenLifetime */
    long    id_token_ttl;      /* Tokens.IdTokenLifetime */
    long    refresh_ttl;       /* Tokens.RefreshTokenLifetime (absolute) */
    long    refresh_idle_ttl;  /* Tokens.RefreshTokenIdleLifetime */
    char   *audience;          /* Tokens.Audience: aud of JWT access tokens; the issuer
                                  unless set */
    long    session_ttl;       /* Sessions.Lifetime: absolute, seconds */
    long    session_idle_ttl;  /* Sessions.IdleTimeout, seconds */
    long    sweep_interval;    /* Sweep.Interval: seconds between workers' sweeps, 0 = off */
    long    sweep_batch;       /* Sweep.Batch: rows per table per sweep */
    size_t  max_body;          /* Http.MaxBody, bytes */
    bool    trust_forwarded_proto; /* Http.TrustForwardedProto */
    char   *cors_origins;      /* Http.CorsOrigins: web origins allowed to call /token,
                                  /userinfo, /revoke besides the clients' redirect URIs'
                                  (space-separated; "" for none) */
    int     log_level;         /* Log.Level, a gh_log_level_t */
    /* Dynamic client registration (docs/registration.md). */
    bool    registration_enabled;     /* Registration.Enabled: /register exists */
    bool    registration_open;        /* Registration.Open: no initial access token needed */
    long    registration_max_clients; /* Registration.MaxClients: registered clients, total */
    long    registration_per_address; /* Registration.PerAddressPerHour */
    long    registration_per_token;   /* Registration.PerTokenPerHour */
} gh_config_t;

/* The path in use: GATEHOUSE_CONFIG or the compiled-in default. */
const char *gh_config_default_path(void);

/* Loads and validates types and ranges. GH_E_INPUT with a description naming the
 * first bad setting; every bad setting is also written to report when it is not NULL.
 * The result is freed with gh_config_free. */
gh_status_t gh_config_load(const char *path, FILE *report, gh_config_t **out, gh_err_t *err);
void        gh_config_free(gh_config_t *cfg);

/* The longest lifetime of anything signed with a key: how long a retired key must
 * stay in the JWKS. */
long gh_config_max_signed_ttl(const gh_config_t *cfg);

/* The longest lifetime of any token or code issued: how long a revoked grant is kept
 * (its rows point at it) before the sweep deletes it. */
long gh_config_max_token_ttl(const gh_config_t *cfg);

/* check-config: writes one line per problem of the settings' values (the issuer's
 * scheme, directories, algorithm, lifetimes; not the key file or the database) to out;
 * returns the number of problems. */
int gh_config_check(const gh_config_t *cfg, FILE *out);

#endif
