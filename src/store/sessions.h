/*
 * store/sessions.h: browser sessions (the cookie holds the raw id; rows hold its hash).
 */
#ifndef GH_STORE_SESSIONS_H
#define GH_STORE_SESSIONS_H

#include "base/arena.h"
#include "base/err.h"
#include "base/strlist.h"
#include "store/db.h"

typedef struct {
    const char  *sid;          /* public session id (id_token "sid") */
    const char  *user_id;
    const char  *username;
    const char  *display_name; /* name, else username */
    long long    auth_time;    /* epoch seconds */
    gh_strlist_t amr;
} gh_session_t;

/* A new session for user_id, authenticated now with amr, ending after ttl seconds;
 * fills out (sid, auth_time...). */
gh_status_t gh_store_session_insert(gh_db_t *db, gh_arena_t *a, const char *id_hash,
                                    const char *user_id, const gh_strlist_t *amr, long ttl,
                                    gh_session_t *out, gh_err_t *err);

/* The live session with this id hash, touched (last_seen_at = now): GH_E_NOTFOUND when
 * unknown, past its end, idle longer than idle_ttl seconds, or its user is disabled. */
gh_status_t gh_store_session_get(gh_db_t *db, gh_arena_t *a, const char *id_hash,
                                 long idle_ttl, gh_session_t *out, gh_err_t *err);

gh_status_t gh_store_session_delete(gh_db_t *db, const char *id_hash, gh_err_t *err);

/* A live session as the admin page lists it. */
typedef struct {
    const char  *sid;
    long long    created_at, last_seen_at, expires_at;  /* epoch seconds */
    gh_strlist_t amr;
} gh_session_info_t;

/* The user's live sessions (not ended, not idle longer than idle_ttl), most recently
 * seen first: *out is an arena array of *n. */
gh_status_t gh_store_session_list_for_user(gh_db_t *db, gh_arena_t *a, const char *user_id,
                                           long idle_ttl, gh_session_info_t **out,
                                           size_t *n, gh_err_t *err);

/* Ends the session sid of user_id. GH_E_NOTFOUND when the user has no such session. */
gh_status_t gh_store_session_revoke(gh_db_t *db, const char *sid, const char *user_id,
                                    gh_err_t *err);

#endif
