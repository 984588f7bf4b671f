/*
 * store/db.h: the one PostgreSQL connection of a process.
 *
 * Connects lazily, prepares every statement of statements.c on each new connection,
 * and reconnects after the server went away: a request that finds the database down
 * gets GH_E_UNAVAILABLE (503), never a crash. Only store/ includes this header's
 * libpq part (GH_DB_INTERNAL); the rest of the program sees gh_db_t as opaque.
 */
#ifndef GH_STORE_DB_H
#define GH_STORE_DB_H

#include <stdbool.h>

#include "base/err.h"
#include "store/statements.h"

typedef struct gh_db gh_db_t;

/* Does not connect yet. The conninfo is copied. */
gh_db_t *gh_db_new(const char *conninfo, long statement_timeout_ms);
void     gh_db_free(gh_db_t *db);

/* Connects (or reconnects) when needed and prepares statements.
 * GH_E_UNAVAILABLE when the server cannot be reached. */
gh_status_t gh_db_ensure(gh_db_t *db, gh_err_t *err);

/* Transactions: a failed begin/commit is GH_E_UNAVAILABLE or GH_E_CONFLICT
 * (serialization failure); a commit of a transaction one of whose statements failed
 * is GH_E_INTERNAL (the server rolled it back). Rollback never fails visibly. */
gh_status_t gh_db_begin(gh_db_t *db, gh_err_t *err);
gh_status_t gh_db_commit(gh_db_t *db, gh_err_t *err);
void        gh_db_rollback(gh_db_t *db);

/* After each request: rolls back (and logs) a transaction still open, so that a
 * failure path that forgot one cannot leave the process stuck in it. */
void        gh_db_end_request(gh_db_t *db);

/* Session-level advisory lock (pg_try_advisory_lock): true if taken. */
gh_status_t gh_db_try_lock(gh_db_t *db, long key, bool *taken, gh_err_t *err);
void        gh_db_unlock(gh_db_t *db, long key);

#ifdef GH_DB_INTERNAL
#include <libpq-fe.h>

/* Runs a prepared statement with text parameters (NULL = SQL NULL). On success *res
 * holds a result the caller must PQclear; on failure it is NULL and err says why:
 * GH_E_UNAVAILABLE for a lost connection, a server shutting down or starting, a
 * statement timeout or a lock timeout (logged with the SQLSTATE), GH_E_CONFLICT for a
 * unique violation or serialization failure, GH_E_INPUT for a check violation,
 * GH_E_INTERNAL otherwise (logged with the SQLSTATE, never the detail text, which
 * can hold parameter values). */
gh_status_t gh_db_exec(gh_db_t *db, gh_stmt_id_t id, const char *const *params,
                       PGresult **res, gh_err_t *err);

/* Runs a whole script as one simple query (migrations only: trusted files). */
gh_status_t gh_db_exec_script(gh_db_t *db, const char *sql, gh_err_t *err);

PGconn *gh_db_conn(gh_db_t *db);
#endif

#endif
