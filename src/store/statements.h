/*
 * store/statements.h: every SQL statement Gatehouse runs, by name.
 *
 * The text lives in statements.c; db.c prepares them all on each new connection.
 */
#ifndef GH_STORE_STATEMENTS_H
#define GH_STORE_STATEMENTS_H

typedef enum {
    GH_STMT_PING,
    GH_STMT_LOCK,
    GH_STMT_TRY_LOCK,
    GH_STMT_UNLOCK,
    GH_STMT_MIGRATION_APPLIED,
    GH_STMT_MIGRATION_RECORD,
    GH_STMT_MIGRATION_TABLE_EXISTS,
    GH_STMT_MIGRATION_VERSIONS,
    GH_STMT_KEY_LOCK,
    GH_STMT_KEY_INSERT,
    GH_STMT_KEY_LIST,
    GH_STMT_KEY_PUBLISHED,
    GH_STMT_KEY_SIGNING,
    GH_STMT_KEY_RETIRE,
    GH_STMT_KEY_ACTIVATE,
    GH_STMT_KEY_PURGE,
    GH_STMT_CLIENT_INSERT,
    GH_STMT_CLIENT_GET,
    GH_STMT_CLIENT_LIST,
    GH_STMT_CLIENT_SET_DISABLED,
    GH_STMT_USER_INSERT,
    GH_STMT_USER_GET_BY_NAME,
    GH_STMT_USER_SET_PASSWORD,
    GH_STMT_USER_SET_DISABLED,
    GH_STMT_USER_LIST,
    GH_STMT_SWEEP_SIGNING_KEYS,
    GH_STMT_COUNT
} gh_stmt_id_t;

typedef struct {
    const char *name;
    int         nparams;
    const char *sql;
} gh_stmt_t;

extern const gh_stmt_t gh_stmts[GH_STMT_COUNT];

#endif
