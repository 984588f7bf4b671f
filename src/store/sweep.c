/*
 * store/sweep.c: one DELETE per table, each bounded by a LIMIT so that no statement
 * holds locks for long, whatever the backlog. Callers loop (gatehouse sweep) or do one
 * batch per interval (the serving workers, under an advisory lock).
 */
#define GH_DB_INTERNAL
#include "store/sweep.h"

#include <stdlib.h>
#include <time.h>

static const struct {
    const char  *table;
    gh_stmt_id_t stmt;
} sweeps[] = {
    { .table = "signing_keys", .stmt = GH_STMT_SWEEP_SIGNING_KEYS },
    { .table = "codes", .stmt = GH_STMT_SWEEP_CODES },
    { .table = "tokens", .stmt = GH_STMT_SWEEP_TOKENS },
    { .table = "sessions", .stmt = GH_STMT_SWEEP_SESSIONS },
    { .table = "auth_requests", .stmt = GH_STMT_SWEEP_AUTH_REQUESTS },
    { .table = "login_attempts", .stmt = GH_STMT_SWEEP_LOGIN_ATTEMPTS },
    { .table = "grants", .stmt = GH_STMT_SWEEP_GRANTS },
    { .table = "initial_access_tokens", .stmt = GH_STMT_SWEEP_DEVTOKENS },
};

size_t
gh_store_sweep_tables(void)
{
    return sizeof sweeps / sizeof sweeps[0];
}

gh_status_t
gh_store_sweep_batch(gh_db_t *db, long batch, gh_sweep_count_t *counts, size_t *ncounts,
                     gh_err_t *err)
{
    char limit[24];
    snprintf(limit, sizeof limit, "%ld", batch);
    const char *params[] = { limit };
    size_t n = 0;
    for (size_t i = 0; i < gh_store_sweep_tables() && n < *ncounts; i++) {
        PGresult *r = NULL;
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        gh_status_t st = gh_db_exec(db, sweeps[i].stmt, params, &r, err);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (st != GH_OK)
            return st;
        counts[n].ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
                       (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
        counts[n].table = sweeps[i].table;
        counts[n].removed = strtol(PQcmdTuples(r), NULL, 10);
        n++;
        PQclear(r);
    }
    *ncounts = n;
    return GH_OK;
}

gh_status_t
gh_store_sweep_claim(gh_db_t *db, long interval, bool *claimed, gh_err_t *err)
{
    char secs[24];
    snprintf(secs, sizeof secs, "%ld", interval);
    const char *params[] = { secs };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_SWEEP_CLAIM, params, &r, err);
    if (st != GH_OK)
        return st;
    *claimed = PQntuples(r) == 1;
    PQclear(r);
    return GH_OK;
}
