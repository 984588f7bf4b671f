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

#endif
