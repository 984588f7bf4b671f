/*
 * oauth/dcr.h: dynamic client registration (RFC 7591) and management (RFC 7592).
 *
 * The operations on plain values; endpoints/register.c reads the request and writes
 * the response (docs/registration.md is the policy in prose). A registered client is
 * made by the same rules as every other (oauth/client.c), is never trusted, and is
 * marked dynamically registered. Failures that need the caller's Bearer challenge are
 * GH_E_AUTH with invalid_token.
 */
#ifndef GH_OAUTH_DCR_H
#define GH_OAUTH_DCR_H

#include <jansson.h>

#include "app.h"
#include "store/clients.h"

/* Rate limit windows are an hour (Registration.PerAddressPerHour, PerTokenPerHour). */
#define GH_OAUTH_DCR_WINDOW 3600

/* A registration request (RFC 7591 3.1). */
typedef struct {
    const char   *initial_token; /* the Bearer token presented, or NULL */
    const char   *address;       /* the caller's IP address, for the per-address limit */
    const json_t *metadata;      /* the JSON object body; NULL when the body was not JSON */
} gh_oauth_dcr_request_t;

/* What a registration made: the client as stored, and its secrets, shown this once. */
typedef struct {
    gh_client_t client;
    const char *client_secret;              /* NULL for public clients */
    const char *registration_access_token;
} gh_oauth_dcr_result_t;

/* Registers a client. In this order: GH_E_TOO_MANY when the caller's address is over
 * its hourly limit; GH_E_AUTH (invalid_token) when an initial access token is needed
 * and missing, or given and not live (a token given is checked even when registration
 * is open); GH_E_TOO_MANY when the token is over its limit; GH_E_DENIED when
 * Registration.MaxClients clients are registered; GH_E_INPUT (invalid_client_metadata,
 * invalid_redirect_uri) for the metadata. Every request that reaches a limit check
 * counts against it, whatever its outcome. */
gh_status_t gh_oauth_dcr_register(gh_app_t *app, const gh_oauth_dcr_request_t *in,
                                  gh_oauth_dcr_result_t *out, gh_err_t *err);

/* RFC 7592 2.1: the client client_id, whose registration access token is token.
 * GH_E_AUTH (invalid_token) when token is NULL or wrong, or the client does not exist
 * (R94): the answer does not say which. */
gh_status_t gh_oauth_dcr_read(gh_app_t *app, const char *client_id, const char *token,
                              gh_client_t *out, gh_err_t *err);

/* RFC 7592 2.2: replaces the client's metadata with metadata, as a registration
 * would read it (members left out take their defaults). metadata must hold the
 * client's client_id, and a client_secret only if it is the client's (else
 * invalid_request); the type cannot change (none <-> a secret method:
 * invalid_client_metadata). *out is the client as stored. Errors as for read and
 * register. */
gh_status_t gh_oauth_dcr_update(gh_app_t *app, const char *client_id, const char *token,
                                const json_t *metadata, gh_client_t *out, gh_err_t *err);

/* RFC 7592 2.3: deletes the client, and with it its grants, codes and tokens (R96).
 * Errors as for read. */
gh_status_t gh_oauth_dcr_delete(gh_app_t *app, const char *client_id, const char *token,
                                gh_err_t *err);

#endif
