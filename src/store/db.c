/*
 * store/db.c: one libpq connection per process, kept across requests.
 *
 * Statements are prepared lazily, on their first use on each connection: a worker
 * started before `gatehouse migrate` still serves what it can, and a reconnect only
 * clears the bitmap. A statement that fails because the server went away is retried
 * once on a new connection when no transaction was open (nothing can be half-done).
 *
 * A statement that fails because the database cannot serve now (down, restarting, the
 * statement cancelled by Database.StatementTimeout or a lock timeout) is
 * GH_E_UNAVAILABLE, a 503 the client may retry; the transaction it was in is rolled
 * back by its caller, and one left open by mistake is rolled back at the end of the
 * request (gh_db_end_request), so a worker never stays stuck in an aborted transaction.
 */
#define GH_DB_INTERNAL
#include "store/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"

struct gh_db {
    PGconn *conn;
    char   *conninfo;
    char    timeout_ms[24];
    bool    prepared[GH_STMT_COUNT];
    bool    in_tx;
};

gh_db_t *
gh_db_new(const char *conninfo, long statement_timeout_ms)
{
    gh_db_t *db = calloc(1, sizeof *db);
    if (db == NULL)
        return NULL;
    db->conninfo = strdup(conninfo);
    snprintf(db->timeout_ms, sizeof db->timeout_ms, "%ld", statement_timeout_ms);
    return db;
}

void
gh_db_free(gh_db_t *db)
{
    if (db == NULL)
        return;
    if (db->conn != NULL)
        PQfinish(db->conn);
    free(db->conninfo);
    free(db);
}

PGconn *
gh_db_conn(gh_db_t *db)
{
    return db->conn;
}

/* Per-session settings, parameterized like everything else. */
static bool
configure_session(gh_db_t *db)
{
    const char *params[] = { db->timeout_ms };
    PGresult *r = PQexecParams(db->conn, "SELECT set_config('statement_timeout', $1, false)",
                               1, NULL, params, NULL, NULL, 0);
    bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
    return ok;
}

/* NOTICEs ("relation already exists, skipping") are not for the error log. */
static void
ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static gh_status_t
connect_db(gh_db_t *db, gh_err_t *err)
{
    /* Earlier keywords are defaults the conninfo string (expanded last) may override. */
    const char *keys[] = { "connect_timeout", "application_name", "dbname", NULL };
    const char *vals[] = { "3", "gatehouse", db->conninfo, NULL };
    if (db->conn != NULL)
        PQfinish(db->conn);
    db->conn = PQconnectdbParams(keys, vals, 1);
    memset(db->prepared, 0, sizeof db->prepared);
    db->in_tx = false;
    if (db->conn != NULL)
        PQsetNoticeProcessor(db->conn, ignore_notice, NULL);
    if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK || !configure_session(db)) {
        gh_log_warn("database unreachable");
        return gh_fail(err, GH_E_UNAVAILABLE, "database unavailable");
    }
    return GH_OK;
}

gh_status_t
gh_db_ensure(gh_db_t *db, gh_err_t *err)
{
    if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK)
        return GH_OK;
    return connect_db(db, err);
}

/* What a failed statement's SQLSTATE means; a two-character entry is a whole class.
 * The first entry that matches wins: specific codes before their class. */
static const struct {
    const char *state;
    gh_status_t status;
} sqlstates[] = {
    /* The database cannot serve now; the client may retry (503). */
    { .state = "08", .status = GH_E_UNAVAILABLE },     /* connection lost or refused */
    { .state = "53", .status = GH_E_UNAVAILABLE },     /* out of connections, memory, disk */
    { .state = "57014", .status = GH_E_UNAVAILABLE },  /* cancelled: statement timeout */
    { .state = "57P01", .status = GH_E_UNAVAILABLE },  /* server shutting down */
    { .state = "57P02", .status = GH_E_UNAVAILABLE },  /* server crashed */
    { .state = "57P03", .status = GH_E_UNAVAILABLE },  /* server starting up */
    { .state = "55P03", .status = GH_E_UNAVAILABLE },  /* lock not available in time */
    { .state = "23505", .status = GH_E_CONFLICT },     /* unique violation */
    { .state = "40001", .status = GH_E_CONFLICT },     /* serialization failure */
    { .state = "40P01", .status = GH_E_CONFLICT },     /* deadlock */
    { .state = "23", .status = GH_E_INPUT },           /* other integrity constraints */
    { .state = "22", .status = GH_E_INPUT },           /* data exceptions */
};

static gh_status_t
status_of(PGresult *r, const char *what, gh_err_t *err)
{
    const char *state = r != NULL ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    if (state == NULL)
        state = "08000";    /* no answer at all: the connection is gone */
    gh_status_t st = GH_E_INTERNAL;
    for (size_t i = 0; i < sizeof sqlstates / sizeof sqlstates[0] && st == GH_E_INTERNAL; i++)
        if (strncmp(state, sqlstates[i].state, strlen(sqlstates[i].state)) == 0)
            st = sqlstates[i].status;
    /* The message text can quote parameter values: log only the SQLSTATE. */
    switch (st) {
    case GH_E_UNAVAILABLE:
        gh_log_warn("statement %s: database unavailable, SQLSTATE %s", what, state);
        return gh_fail(err, st, "database unavailable");
    case GH_E_CONFLICT:
        return gh_fail(err, st, "conflicting change");
    case GH_E_INPUT:
        return gh_fail(err, st, "value refused by the database");
    default:
        gh_log_error("statement %s failed: SQLSTATE %s", what, state);
        return gh_fail(err, st, "database error");
    }
}

static gh_status_t
prepare(gh_db_t *db, gh_stmt_id_t id, gh_err_t *err)
{
    if (db->prepared[id])
        return GH_OK;
    const gh_stmt_t *s = &gh_stmts[id];
    PGresult *r = PQprepare(db->conn, s->name, s->sql, s->nparams, NULL);
    gh_status_t st = PQresultStatus(r) == PGRES_COMMAND_OK ? GH_OK : status_of(r, s->name, err);
    PQclear(r);
    if (st == GH_OK)
        db->prepared[id] = true;
    return st;
}

static gh_status_t
exec_once(gh_db_t *db, gh_stmt_id_t id, const char *const *params, PGresult **res,
          gh_err_t *err)
{
    gh_status_t st = prepare(db, id, err);
    if (st != GH_OK)
        return st;
    PGresult *r = PQexecPrepared(db->conn, gh_stmts[id].name, gh_stmts[id].nparams,
                                 params, NULL, NULL, 0);
    ExecStatusType rs = PQresultStatus(r);
    if (rs == PGRES_TUPLES_OK || rs == PGRES_COMMAND_OK) {
        *res = r;
        return GH_OK;
    }
    st = status_of(r, gh_stmts[id].name, err);
    PQclear(r);
    return st;
}

gh_status_t
gh_db_exec(gh_db_t *db, gh_stmt_id_t id, const char *const *params, PGresult **res,
           gh_err_t *err)
{
    *res = NULL;
    gh_status_t st = gh_db_ensure(db, err);
    if (st != GH_OK)
        return st;
    st = exec_once(db, id, params, res, err);
    /* The server restarted since the last request: one retry on a new connection,
     * safe only outside a transaction. */
    if (st == GH_E_UNAVAILABLE && !db->in_tx && PQstatus(db->conn) != CONNECTION_OK &&
        connect_db(db, err) == GH_OK)
        st = exec_once(db, id, params, res, err);
    return st;
}

static gh_status_t
simple(gh_db_t *db, const char *sql, gh_err_t *err)
{
    gh_status_t st = gh_db_ensure(db, err);
    if (st != GH_OK)
        return st;
    PGresult *r = PQexec(db->conn, sql);
    st = PQresultStatus(r) == PGRES_COMMAND_OK ? GH_OK : status_of(r, "script", err);
    PQclear(r);
    return st;
}

gh_status_t
gh_db_exec_script(gh_db_t *db, const char *sql, gh_err_t *err)
{
    return simple(db, sql, err);
}

gh_status_t
gh_db_begin(gh_db_t *db, gh_err_t *err)
{
    gh_status_t st = simple(db, "BEGIN", err);
    if (st != GH_OK && connect_db(db, err) == GH_OK)
        st = simple(db, "BEGIN", err);
    db->in_tx = st == GH_OK;
    return st;
}

/* Never on a new connection: the transaction died with the old one (a COMMIT there
 * would succeed with nothing to commit). A COMMIT the server answers with ROLLBACK
 * (a statement of the transaction had failed) is a failure too. */
gh_status_t
gh_db_commit(gh_db_t *db, gh_err_t *err)
{
    db->in_tx = false;
    if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK)
        return gh_fail(err, GH_E_UNAVAILABLE, "database unavailable");
    PGresult *r = PQexec(db->conn, "COMMIT");
    gh_status_t st = PQresultStatus(r) == PGRES_COMMAND_OK ? GH_OK : status_of(r, "commit", err);
    if (st == GH_OK && strcmp(PQcmdStatus(r), "COMMIT") != 0) {
        gh_log_error("commit of a failed transaction: rolled back");
        st = gh_fail(err, GH_E_INTERNAL, "transaction rolled back");
    }
    PQclear(r);
    return st;
}

/* A transaction a failure path left open would make every later statement of this
 * process fail (25P02, an aborted transaction) or run inside it. */
void
gh_db_end_request(gh_db_t *db)
{
    bool open = db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK &&
                PQtransactionStatus(db->conn) != PQTRANS_IDLE;
    if (!db->in_tx && !open)
        return;
    gh_log_error("a transaction was left open: rolled back");
    gh_db_rollback(db);
}

void
gh_db_rollback(gh_db_t *db)
{
    db->in_tx = false;
    if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK)
        PQclear(PQexec(db->conn, "ROLLBACK"));
}

gh_status_t
gh_db_try_lock(gh_db_t *db, long key, bool *taken, gh_err_t *err)
{
    char k[24];
    snprintf(k, sizeof k, "%ld", key);
    const char *params[] = { k };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_TRY_LOCK, params, &r, err);
    if (st != GH_OK)
        return st;
    *taken = PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    PQclear(r);
    return GH_OK;
}

void
gh_db_unlock(gh_db_t *db, long key)
{
    char k[24];
    snprintf(k, sizeof k, "%ld", key);
    const char *params[] = { k };
    PGresult *r = NULL;
    if (gh_db_exec(db, GH_STMT_UNLOCK, params, &r, NULL) == GH_OK)
        PQclear(r);
}
