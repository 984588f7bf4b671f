/*
 * store/authreq.h: pending authorization requests, kept server-side while the person
 * signs in and consents (never replayed through hidden form fields).
 */
#ifndef GH_STORE_AUTHREQ_H
#define GH_STORE_AUTHREQ_H

#include <stdbool.h>

#include "base/arena.h"
#include "base/err.h"
#include "store/db.h"

typedef struct {
    const char *client_id;
    const char *redirect_uri;
    bool        redirect_uri_given;
    const char *response_mode;   /* "query" | "form_post" */
    const char *scope;           /* space-separated, validated */
    const char *state, *nonce, *code_challenge, *prompt, *login_hint, *ui_locales;
    long        max_age;         /* -1 when absent */
    bool        login_done;      /* the person signed in during this request */
} gh_authreq_t;

/* Stores r under handle_hash, bound to the browser (browser_hash), for ttl seconds. */
gh_status_t gh_store_authreq_insert(gh_db_t *db, const char *handle_hash,
                                    const char *browser_hash, const gh_authreq_t *r, long ttl,
                                    gh_err_t *err);

/* The live request with this handle, started by this browser; GH_E_NOTFOUND otherwise. */
gh_status_t gh_store_authreq_get(gh_db_t *db, gh_arena_t *a, const char *handle_hash,
                                 const char *browser_hash, gh_authreq_t *out, gh_err_t *err);

gh_status_t gh_store_authreq_set_login_done(gh_db_t *db, const char *handle_hash,
                                            gh_err_t *err);

/* Single use: deleted once answered (code, denial or error). */
gh_status_t gh_store_authreq_delete(gh_db_t *db, const char *handle_hash, gh_err_t *err);

#endif
