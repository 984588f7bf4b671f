/*
 * store/keys.h: the signing_keys table (sql/001_platform.sql).
 *
 * Rows in, rows out: generating, encrypting and choosing keys is oauth/keys.c's job. A
 * key's state (pending, active, retired, expired) is computed by the database from its
 * times, so every process agrees on it without talking to the others.
 */
#ifndef GH_STORE_KEYS_H
#define GH_STORE_KEYS_H

#include <jansson.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"
#include "store/db.h"

/* gh_store_key_new_t.delay for a key that waits for gh_store_key_activate. */
#define GH_STORE_KEY_MANUAL (-1L)

/* A key as the command line shows it. Strings are in the caller's arena. */
typedef struct {
    const char *kid;
    const char *alg;
    const char *state;        /* "pending", "active", "retired" or "expired" */
    const char *activates_at; /* UTC, "2025-01-31T12:00:00Z"; "on-activate" when staged */
    const char *expires_at;   /* UTC; NULL while no newer key of the alg is scheduled */
    long        age;          /* seconds since it was published */
} gh_store_key_info_t;

/* The key that signs for one alg. */
typedef struct {
    const char          *kid;
    const char          *alg;
    const unsigned char *private_enc;  /* as stored: see jose/kek.h */
    size_t               private_enc_len;
    long                 seconds_left; /* until a scheduled newer key replaces it; -1: none */
} gh_store_key_signing_t;

typedef struct {
    const char          *kid;
    const char          *alg;
    const char          *public_jwk;   /* JSON object text, public members only */
    const unsigned char *private_enc;
    size_t               private_enc_len;
    long                 delay;        /* seconds until it signs, or GH_STORE_KEY_MANUAL */
} gh_store_key_new_t;

/* Adds a key, and in the same transaction reschedules the retirement of the keys of its
 * alg: the key before it retires when it activates and expires retire_ttl seconds
 * later. The first key of an alg activates at once whatever the delay. *info (arena)
 * describes the new row. GH_E_CONFLICT for a kid that exists, GH_E_UNAVAILABLE when the
 * database is down. */
gh_status_t gh_store_key_insert(gh_db_t *db, gh_arena_t *a, const gh_store_key_new_t *key,
                                long retire_ttl, gh_store_key_info_t *info, gh_err_t *err);

/* Makes a pending key the signing key of its alg now, retiring the one before it as
 * gh_store_key_insert does. GH_E_NOTFOUND for an unknown kid, GH_E_CONFLICT for a key
 * that is not pending (*info then describes it). */
gh_status_t gh_store_key_activate(gh_db_t *db, gh_arena_t *a, const char *kid,
                                  long retire_ttl, gh_store_key_info_t *info, gh_err_t *err);

/* Every key (kid NULL) or one key, grouped by alg, newest first. *rows is in the arena;
 * GH_E_NOTFOUND when a kid was given and does not exist. */
gh_status_t gh_store_key_list(gh_db_t *db, gh_arena_t *a, const char *kid,
                              gh_store_key_info_t **rows, size_t *n, gh_err_t *err);

/* The public JWKs of all pending, active and retired keys: *keys is a new reference to
 * a JSON array. */
gh_status_t gh_store_key_published(gh_db_t *db, json_t **keys, gh_err_t *err);

/* The signing key of each alg that has one (at most one row per alg), in the arena. */
gh_status_t gh_store_key_signing(gh_db_t *db, gh_arena_t *a, gh_store_key_signing_t **rows,
                                 size_t *n, gh_err_t *err);

/* Deletes expired keys; *kids (arena) names them. */
gh_status_t gh_store_key_purge(gh_db_t *db, gh_arena_t *a, const char ***kids, size_t *n,
                               gh_err_t *err);

#endif
