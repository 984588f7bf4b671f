/*
 * store/users.h: the users table.
 */
#ifndef GH_STORE_USERS_H
#define GH_STORE_USERS_H

#include <stdbool.h>

#include "base/arena.h"
#include "base/err.h"
#include "store/db.h"

typedef struct {
    const char *id;              /* the subject (sub) */
    const char *username;
    const char *password_hash;
    const char *email;
    bool        email_verified;
    const char *name, *given_name, *family_name, *picture, *locale;
    const char *extra_claims;    /* JSON object text */
    bool        is_admin;
    bool        disabled;
    long long   failed_logins;
    const char *locked_until;    /* NULL when not locked */
    long long   password_changed_at;  /* epoch seconds */
    const char *created_at;
} gh_user_t;

/* Fields of a new user; NULL strings are left unset. */
typedef struct {
    const char *username;
    const char *password_hash;
    const char *email;
    bool        email_verified;
    const char *name, *given_name, *family_name;
    bool        is_admin;
    const char *extra_claims;    /* JSON object text, or NULL */
} gh_user_new_t;

/* *id (arena) is the new user's subject. GH_E_CONFLICT when the username is taken,
 * GH_E_INPUT when a constraint refuses a value. */
gh_status_t gh_store_user_insert(gh_db_t *db, gh_arena_t *a, const gh_user_new_t *u,
                                 const char **id, gh_err_t *err);
/* Case-insensitive username. GH_E_NOTFOUND when absent. */
gh_status_t gh_store_user_get_by_name(gh_db_t *db, gh_arena_t *a, const char *username,
                                      gh_user_t *out, gh_err_t *err);
/* By subject (users.id). GH_E_NOTFOUND when absent; disabled users are returned. */
gh_status_t gh_store_user_get(gh_db_t *db, gh_arena_t *a, const char *id, gh_user_t *out,
                              gh_err_t *err);
gh_status_t gh_store_user_set_password(gh_db_t *db, const char *username,
                                       const char *password_hash, gh_err_t *err);
gh_status_t gh_store_user_set_disabled(gh_db_t *db, const char *username, bool disabled,
                                       gh_err_t *err);
gh_status_t gh_store_user_list(gh_db_t *db, gh_arena_t *a, gh_user_t **out, size_t *n,
                               gh_err_t *err);

/* A user as the admin page lists it. */
typedef struct {
    const char *id;
    const char *username;
    const char *email;           /* NULL when unset */
    const char *name;            /* NULL when unset */
    bool        is_admin;
    bool        disabled;
    long long   created_at;      /* epoch seconds */
    long        failures;        /* recent failed sign-ins under the username */
    long        locked_for;      /* seconds sign-in stays locked; 0 when not locked */
} gh_user_summary_t;

/* Users whose username, email or name contains query (case-insensitive; NULL: all),
 * by username, at most limit: *out is an arena array of *n. */
gh_status_t gh_store_user_search(gh_db_t *db, gh_arena_t *a, const char *query, long limit,
                                 gh_user_summary_t **out, size_t *n, gh_err_t *err);

/* Clears the user's failed sign-ins and lock (and the sign-in throttle's count for the
 * username). GH_E_NOTFOUND when there is no such user. */
gh_status_t gh_store_user_unlock(gh_db_t *db, const char *id, gh_err_t *err);

#endif
