/*
 * store/sessions.c: browser sessions.
 */
#define GH_DB_INTERNAL
#include "store/sessions.h"

#include <stdio.h>
#include <string.h>

#include "store/rows.h"

/* Columns: sid, user_id, auth_time (epoch), amr (JSON), username, display name. */
static void
session_from_row(gh_arena_t *a, PGresult *r, gh_session_t *s)
{
    s->sid = gh_row_str(a, r, 0, 0);
    s->user_id = gh_row_str(a, r, 0, 1);
    s->auth_time = gh_row_int(r, 0, 2);
    gh_row_strlist(a, r, 0, 3, &s->amr);
    s->username = gh_row_str(a, r, 0, 4);
    s->display_name = gh_row_str(a, r, 0, 5);
}

static gh_status_t
one_session(gh_db_t *db, gh_arena_t *a, gh_stmt_id_t id, const char *const *params,
            gh_session_t *out, gh_err_t *err)
{
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, id, params, &r, err);
    if (st != GH_OK)
        return st;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return gh_fail(err, GH_E_NOTFOUND, "no session");
    }
    session_from_row(a, r, out);
    PQclear(r);
    return GH_OK;
}

gh_status_t
gh_store_session_insert(gh_db_t *db, gh_arena_t *a, const char *id_hash, const char *user_id,
                        const gh_strlist_t *amr, long ttl, gh_session_t *out, gh_err_t *err)
{
    char ttl_s[24];
    snprintf(ttl_s, sizeof ttl_s, "%ld", ttl);
    const char *params[] = { id_hash, user_id, gh_row_strlist_json(a, amr), ttl_s };
    return one_session(db, a, GH_STMT_SESSION_INSERT, params, out, err);
}

gh_status_t
gh_store_session_get(gh_db_t *db, gh_arena_t *a, const char *id_hash, long idle_ttl,
                     gh_session_t *out, gh_err_t *err)
{
    char idle[24];
    snprintf(idle, sizeof idle, "%ld", idle_ttl);
    const char *params[] = { id_hash, idle };
    return one_session(db, a, GH_STMT_SESSION_GET, params, out, err);
}

gh_status_t
gh_store_session_delete(gh_db_t *db, const char *id_hash, gh_err_t *err)
{
    const char *params[] = { id_hash };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_SESSION_DELETE, params, &r, err);
    PQclear(r);
    return st;
}

static void
info_from_row(gh_arena_t *a, const PGresult *r, int row, void *item)
{
    gh_session_info_t *s = item;
    s->sid = gh_row_str(a, r, row, 0);
    s->created_at = gh_row_int(r, row, 1);
    s->last_seen_at = gh_row_int(r, row, 2);
    s->expires_at = gh_row_int(r, row, 3);
    gh_row_strlist(a, r, row, 4, &s->amr);
}

gh_status_t
gh_store_session_list_for_user(gh_db_t *db, gh_arena_t *a, const char *user_id, long idle_ttl,
                               gh_session_info_t **out, size_t *n, gh_err_t *err)
{
    char idle[24];
    snprintf(idle, sizeof idle, "%ld", idle_ttl);
    const char *params[] = { user_id, idle };
    void *items = NULL;
    gh_status_t st = gh_row_list(db, a, GH_STMT_SESSION_LIST_FOR_USER, params, sizeof **out,
                                 info_from_row, &items, n, err);
    *out = items;
    return st;
}

gh_status_t
gh_store_session_revoke(gh_db_t *db, const char *sid, const char *user_id, gh_err_t *err)
{
    const char *params[] = { sid, user_id };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_SESSION_REVOKE, params, &r, err);
    if (st != GH_OK)
        return st;
    bool found = strcmp(PQcmdTuples(r), "1") == 0;
    PQclear(r);
    return found ? GH_OK : gh_fail(err, GH_E_NOTFOUND, "no such session");
}
