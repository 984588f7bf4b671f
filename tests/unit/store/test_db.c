/*
 * tests/unit/store/test_db.c: store/db.h without a server.
 *
 * libpq is replaced at link time (-Wl,--wrap) by a fake server with one connection
 * whose failures the tests choose: what each SQLSTATE becomes, when a statement is
 * retried on a new connection and when it must not be, and that a transaction never
 * outlives a failure (rolled back, never committed on a new connection, never left
 * open past the request). That the real server behaves so under a restart, a killed
 * worker and a statement timeout is tests/integration/test_faults.py's job.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#define GH_DB_INTERNAL
#include "store/db.h"

/* ------------------------------------------------------------------ the fake server */

/* libpq declares these types without defining them: the fake defines its own. */
struct pg_conn {
    ConnStatusType          status;
    PGTransactionStatusType tx;
};

struct pg_result {
    ExecStatusType status;
    char           sqlstate[6];
    char           cmd[16];
};

static struct {
    struct pg_conn conn;
    bool           refuse;          /* connections fail (the server is down) */
    const char    *fail;            /* the next statement fails with this SQLSTATE; "" =
                                     * no answer at all (the connection is lost) */
    int            connects, statements;
    char           last_sql[32];    /* the last command sent with PQexec */
} pq;

PGconn *__wrap_PQconnectdbParams(const char *const *keys, const char *const *vals, int expand);
ConnStatusType __wrap_PQstatus(const PGconn *conn);
PQnoticeProcessor __wrap_PQsetNoticeProcessor(PGconn *conn, PQnoticeProcessor proc, void *arg);
PGresult *__wrap_PQexecParams(PGconn *conn, const char *command, int n, const Oid *types,
                              const char *const *values, const int *lengths,
                              const int *formats, int result_format);
PGresult *__wrap_PQprepare(PGconn *conn, const char *name, const char *query, int n,
                           const Oid *types);
PGresult *__wrap_PQexecPrepared(PGconn *conn, const char *name, int n,
                                const char *const *values, const int *lengths,
                                const int *formats, int result_format);
PGresult *__wrap_PQexec(PGconn *conn, const char *query);
ExecStatusType __wrap_PQresultStatus(const PGresult *res);
char *__wrap_PQresultErrorField(const PGresult *res, int field);
char *__wrap_PQcmdStatus(PGresult *res);
PGTransactionStatusType __wrap_PQtransactionStatus(const PGconn *conn);
void __wrap_PQclear(PGresult *res);
void __wrap_PQfinish(PGconn *conn);

static PGresult *
result(ExecStatusType status, const char *cmd)
{
    PGresult *r = calloc(1, sizeof *r);
    assert_non_null(r);
    r->status = status;
    snprintf(r->cmd, sizeof r->cmd, "%s", cmd);
    return r;
}

/* A statement: the failure the test asked for, once, or success. */
static PGresult *
statement(ExecStatusType ok)
{
    pq.statements++;
    const char *fail = pq.fail;
    pq.fail = NULL;
    if (fail == NULL)
        return result(ok, "SELECT 1");
    if (fail[0] == '\0') {
        pq.conn.status = CONNECTION_BAD;
        return NULL;
    }
    if (pq.conn.tx == PQTRANS_INTRANS)
        pq.conn.tx = PQTRANS_INERROR;
    PGresult *r = result(PGRES_FATAL_ERROR, "");
    snprintf(r->sqlstate, sizeof r->sqlstate, "%s", fail);
    return r;
}

PGconn *
__wrap_PQconnectdbParams(const char *const *keys, const char *const *vals, int expand)
{
    (void)keys, (void)vals, (void)expand;
    pq.connects++;
    pq.conn.status = pq.refuse ? CONNECTION_BAD : CONNECTION_OK;
    pq.conn.tx = PQTRANS_IDLE;
    return &pq.conn;
}

ConnStatusType
__wrap_PQstatus(const PGconn *conn)
{
    return conn->status;
}

PQnoticeProcessor
__wrap_PQsetNoticeProcessor(PGconn *conn, PQnoticeProcessor proc, void *arg)
{
    (void)conn, (void)proc, (void)arg;
    return NULL;
}

PGresult *
__wrap_PQexecParams(PGconn *conn, const char *command, int n, const Oid *types,
                    const char *const *values, const int *lengths, const int *formats,
                    int result_format)
{
    (void)conn, (void)command, (void)n, (void)types, (void)values, (void)lengths;
    (void)formats, (void)result_format;
    return result(PGRES_TUPLES_OK, "SELECT 1");    /* the session settings */
}

PGresult *
__wrap_PQprepare(PGconn *conn, const char *name, const char *query, int n, const Oid *types)
{
    (void)conn, (void)name, (void)query, (void)n, (void)types;
    return result(PGRES_COMMAND_OK, "PREPARE");
}

PGresult *
__wrap_PQexecPrepared(PGconn *conn, const char *name, int n, const char *const *values,
                      const int *lengths, const int *formats, int result_format)
{
    (void)conn, (void)name, (void)n, (void)values, (void)lengths, (void)formats;
    (void)result_format;
    return statement(PGRES_TUPLES_OK);
}

PGresult *
__wrap_PQexec(PGconn *conn, const char *query)
{
    snprintf(pq.last_sql, sizeof pq.last_sql, "%s", query);
    if (strcmp(query, "BEGIN") == 0) {
        conn->tx = PQTRANS_INTRANS;
        return result(PGRES_COMMAND_OK, "BEGIN");
    }
    /* Like the server: COMMIT of a failed transaction rolls it back. */
    if (strcmp(query, "COMMIT") == 0) {
        const char *cmd = conn->tx == PQTRANS_INERROR ? "ROLLBACK" : "COMMIT";
        conn->tx = PQTRANS_IDLE;
        return result(PGRES_COMMAND_OK, cmd);
    }
    if (strcmp(query, "ROLLBACK") == 0) {
        conn->tx = PQTRANS_IDLE;
        return result(PGRES_COMMAND_OK, "ROLLBACK");
    }
    return statement(PGRES_COMMAND_OK);
}

ExecStatusType
__wrap_PQresultStatus(const PGresult *res)
{
    return res != NULL ? res->status : PGRES_FATAL_ERROR;
}

char *
__wrap_PQresultErrorField(const PGresult *res, int field)
{
    if (res == NULL || field != PG_DIAG_SQLSTATE || res->sqlstate[0] == '\0')
        return NULL;
    return (char *)res->sqlstate;
}

char *
__wrap_PQcmdStatus(PGresult *res)
{
    return res->cmd;
}

PGTransactionStatusType
__wrap_PQtransactionStatus(const PGconn *conn)
{
    return conn->tx;
}

void
__wrap_PQclear(PGresult *res)
{
    free(res);
}

void
__wrap_PQfinish(PGconn *conn)
{
    conn->status = CONNECTION_BAD;
}

/* ---------------------------------------------------------------------------- tests */

static int
setup(void **state)
{
    memset(&pq, 0, sizeof pq);
    *state = gh_db_new("dbname=test", 5000);
    return *state == NULL;
}

static int
teardown(void **state)
{
    gh_db_free(*state);
    return 0;
}

/* One statement, as every store/ file runs them; *res is cleared here. */
static gh_status_t
run(gh_db_t *db, gh_err_t *err)
{
    const char *params[] = { "x" };
    PGresult *res = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_CLIENT_GET, params, &res, err);
    if (st == GH_OK)
        assert_non_null(res);
    else
        assert_null(res);
    PQclear(res);
    return st;
}

static void
sqlstates_map_to_statuses(void **state)
{
    static const struct {
        const char *sqlstate;
        gh_status_t status;
    } cases[] = {
        { "57014", GH_E_UNAVAILABLE },    /* statement timeout */
        { "55P03", GH_E_UNAVAILABLE },    /* lock timeout */
        { "57P01", GH_E_UNAVAILABLE },    /* admin shutdown */
        { "57P03", GH_E_UNAVAILABLE },    /* starting up */
        { "53300", GH_E_UNAVAILABLE },    /* too many connections */
        { "08006", GH_E_UNAVAILABLE },    /* connection failure, the connection still up */
        { "23505", GH_E_CONFLICT },
        { "40001", GH_E_CONFLICT },
        { "40P01", GH_E_CONFLICT },
        { "23514", GH_E_INPUT },
        { "22P02", GH_E_INPUT },
        { "42P01", GH_E_INTERNAL },       /* undefined table: a bug, not the client's */
        { "25P02", GH_E_INTERNAL },       /* in a failed transaction */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gh_err_t err = { 0 };
        pq.fail = cases[i].sqlstate;
        if (run(*state, &err) != cases[i].status)
            fail_msg("SQLSTATE %s gave status %d, wanted %d", cases[i].sqlstate, err.status,
                     cases[i].status);
    }
    assert_int_equal(pq.connects, 1);
}

static void
statement_timeout_is_unavailable_and_the_connection_serves_on(void **state)
{
    gh_err_t err = { 0 };
    pq.fail = "57014";
    assert_int_equal(run(*state, &err), GH_E_UNAVAILABLE);
    assert_string_equal(err.description, "database unavailable");
    err = (gh_err_t){ 0 };
    assert_int_equal(run(*state, &err), GH_OK);
    assert_int_equal(pq.connects, 1);
}

static void
lost_connection_outside_a_transaction_is_retried_once_on_a_new_one(void **state)
{
    gh_err_t err = { 0 };
    assert_int_equal(run(*state, &err), GH_OK);
    pq.fail = "";
    assert_int_equal(run(*state, &err), GH_OK);
    assert_int_equal(pq.connects, 2);
    assert_int_equal(pq.statements, 3);
}

static void
lost_connection_inside_a_transaction_is_not_retried_nor_committed_elsewhere(void **state)
{
    gh_err_t err = { 0 };
    assert_int_equal(gh_db_begin(*state, &err), GH_OK);
    pq.fail = "";
    assert_int_equal(run(*state, &err), GH_E_UNAVAILABLE);
    assert_int_equal(gh_db_commit(*state, &err), GH_E_UNAVAILABLE);
    assert_int_equal(pq.connects, 1);
    assert_int_equal(pq.statements, 1);
}

static void
timeout_in_a_transaction_then_rollback_leaves_the_connection_usable(void **state)
{
    gh_err_t err = { 0 };
    assert_int_equal(gh_db_begin(*state, &err), GH_OK);
    pq.fail = "57014";
    assert_int_equal(run(*state, &err), GH_E_UNAVAILABLE);
    assert_int_equal(pq.conn.tx, PQTRANS_INERROR);
    gh_db_rollback(*state);
    assert_int_equal(pq.conn.tx, PQTRANS_IDLE);
    assert_int_equal(run(*state, &err), GH_OK);
    assert_int_equal(pq.connects, 1);
}

static void
commit_of_a_transaction_whose_statement_failed_is_an_error(void **state)
{
    gh_err_t err = { 0 };
    assert_int_equal(gh_db_begin(*state, &err), GH_OK);
    pq.fail = "23505";
    assert_int_equal(run(*state, &err), GH_E_CONFLICT);
    err = (gh_err_t){ 0 };
    assert_int_equal(gh_db_commit(*state, &err), GH_E_INTERNAL);
    assert_int_equal(pq.conn.tx, PQTRANS_IDLE);
}

static void
commit_of_a_good_transaction_succeeds(void **state)
{
    gh_err_t err = { 0 };
    assert_int_equal(gh_db_begin(*state, &err), GH_OK);
    assert_int_equal(run(*state, &err), GH_OK);
    assert_int_equal(gh_db_commit(*state, &err), GH_OK);
    assert_string_equal(pq.last_sql, "COMMIT");
    assert_int_equal(pq.conn.tx, PQTRANS_IDLE);
}

static void
end_of_request_rolls_back_a_transaction_left_open(void **state)
{
    gh_err_t err = { 0 };
    assert_int_equal(gh_db_begin(*state, &err), GH_OK);
    pq.fail = "57014";
    assert_int_equal(run(*state, &err), GH_E_UNAVAILABLE);
    gh_db_end_request(*state);
    assert_string_equal(pq.last_sql, "ROLLBACK");
    assert_int_equal(pq.conn.tx, PQTRANS_IDLE);
    /* The next request's statements run outside any transaction. */
    assert_int_equal(run(*state, &err), GH_OK);
    assert_int_equal(pq.conn.tx, PQTRANS_IDLE);
    assert_int_equal(pq.connects, 1);
}

static void
end_of_request_with_no_transaction_sends_nothing(void **state)
{
    gh_err_t err = { 0 };
    assert_int_equal(gh_db_begin(*state, &err), GH_OK);
    assert_int_equal(gh_db_commit(*state, &err), GH_OK);
    gh_db_end_request(*state);
    assert_string_equal(pq.last_sql, "COMMIT");
}

static void
database_down_is_unavailable_and_each_request_tries_again(void **state)
{
    gh_err_t err = { 0 };
    pq.refuse = true;
    assert_int_equal(run(*state, &err), GH_E_UNAVAILABLE);
    assert_int_equal(gh_db_begin(*state, &err), GH_E_UNAVAILABLE);
    assert_int_equal(pq.statements, 0);
    pq.refuse = false;
    err = (gh_err_t){ 0 };
    assert_int_equal(run(*state, &err), GH_OK);
    assert_int_equal(pq.connects, 4);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(sqlstates_map_to_statuses),
        T(statement_timeout_is_unavailable_and_the_connection_serves_on),
        T(lost_connection_outside_a_transaction_is_retried_once_on_a_new_one),
        T(lost_connection_inside_a_transaction_is_not_retried_nor_committed_elsewhere),
        T(timeout_in_a_transaction_then_rollback_leaves_the_connection_usable),
        T(commit_of_a_transaction_whose_statement_failed_is_an_error),
        T(commit_of_a_good_transaction_succeeds),
        T(end_of_request_rolls_back_a_transaction_left_open),
        T(end_of_request_with_no_transaction_sends_nothing),
        T(database_down_is_unavailable_and_each_request_tries_again),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
