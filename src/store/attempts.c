/*
 * store/attempts.c: failed sign-in counters.
 */
#define GH_DB_INTERNAL
#include "store/attempts.h"

#include <stdio.h>

#include "store/rows.h"

gh_status_t
gh_store_attempts_get(gh_db_t *db, const char *key, gh_attempts_t *out, gh_err_t *err)
{
    const char *params[] = { key };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_ATTEMPTS_GET, params, &r, err);
    if (st != GH_OK)
        return st;
    *out = (gh_attempts_t){ 0 };
    if (PQntuples(r) > 0) {
        out->failures = (long)gh_row_int(r, 0, 0);
        out->since_last = (long)gh_row_int(r, 0, 1);
        out->locked_for = (long)gh_row_int(r, 0, 2);
    }
    PQclear(r);
    return GH_OK;
}

gh_status_t
gh_store_attempts_fail(gh_db_t *db, const char *key, long lock_after, long lock_seconds,
                       long window, gh_err_t *err)
{
    char after[24], secs[24], win[24];
    snprintf(after, sizeof after, "%ld", lock_after);
    snprintf(secs, sizeof secs, "%ld", lock_seconds);
    snprintf(win, sizeof win, "%ld", window);
    const char *params[] = { key, after, secs, win };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_ATTEMPTS_FAIL, params, &r, err);
    PQclear(r);
    return st;
}

gh_status_t
gh_store_attempts_clear(gh_db_t *db, const char *key, gh_err_t *err)
{
    const char *params[] = { key };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_ATTEMPTS_CLEAR, params, &r, err);
    PQclear(r);
    return st;
}

gh_status_t
gh_store_attempts_hit(gh_db_t *db, const char *key, long window, long *count,
                      long *retry_after, gh_err_t *err)
{
    char win[24];
    snprintf(win, sizeof win, "%ld", window);
    const char *params[] = { key, win };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_ATTEMPTS_HIT, params, &r, err);
    if (st != GH_OK)
        return st;
    *count = (long)gh_row_int(r, 0, 0);
    *retry_after = (long)gh_row_int(r, 0, 1);
    PQclear(r);
    return GH_OK;
}
