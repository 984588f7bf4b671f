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
    GH_STMT_CODE_INSERT,
    GH_STMT_CODE_USE,
    GH_STMT_CODE_REVOKE_FAMILY,
    GH_STMT_SCOPES_GET,
    /* Tokens (store/tokens.c), and the user and scope reads of token issuing. */
    GH_STMT_TOKEN_INSERT,
    GH_STMT_TOKEN_FIND,
    GH_STMT_TOKEN_REVOKE_FAMILY,
    GH_STMT_TOKEN_REVOKE_GRANT_OF_FAMILY,
    /* Refresh token rotation (store/tokens.c, issue 5). */
    GH_STMT_REFRESH_ROTATE,
    GH_STMT_REFRESH_REUSE,
    GH_STMT_USER_GET,
    GH_STMT_SCOPES_LIST,
    GH_STMT_SESSION_INSERT,
    GH_STMT_SESSION_GET,
    GH_STMT_SESSION_DELETE,
    GH_STMT_AUTHREQ_INSERT,
    GH_STMT_AUTHREQ_GET,
    GH_STMT_AUTHREQ_LOGIN_DONE,
    GH_STMT_AUTHREQ_DELETE,
    GH_STMT_GRANT_FIND,
    GH_STMT_GRANT_ADD_SCOPES,
    GH_STMT_ATTEMPTS_GET,
    GH_STMT_ATTEMPTS_FAIL,
    GH_STMT_ATTEMPTS_CLEAR,
    GH_STMT_SWEEP_CLAIM,
    GH_STMT_SWEEP_SIGNING_KEYS,
    GH_STMT_SWEEP_CODES,
    GH_STMT_SWEEP_TOKENS,
    GH_STMT_SWEEP_SESSIONS,
    GH_STMT_SWEEP_AUTH_REQUESTS,
    GH_STMT_SWEEP_LOGIN_ATTEMPTS,
    GH_STMT_SWEEP_GRANTS,
    GH_STMT_SWEEP_DEVTOKENS,
    /* Introspection, revocation and CORS (store/tokens.c, store/clients.c). */
    GH_STMT_TOKEN_REVOKE,
    GH_STMT_CLIENT_ORIGIN_EXISTS,
    /* The connected-apps page and the admin page (store/grants.c, sessions.c, users.c,
     * clients.c). */
    GH_STMT_GRANT_LIST_FOR_USER,
    GH_STMT_GRANT_REVOKE,
    GH_STMT_SESSION_LIST_FOR_USER,
    GH_STMT_SESSION_REVOKE,
    GH_STMT_USER_SEARCH,
    GH_STMT_USER_UNLOCK,
    GH_STMT_CLIENT_SEARCH,
    GH_STMT_CLIENT_UPDATE,
    GH_STMT_CLIENT_SET_SECRET,
    /* Client management (store/clients.c, issue 6). */
    GH_STMT_CLIENT_GET_BY_APP_KEY,
    GH_STMT_CLIENT_DELETE,
    /* Dynamic client registration (store/clients.c, store/devtokens.c,
     * store/attempts.c; sql/008). */
    GH_STMT_CLIENT_COUNT_REGISTERED,
    GH_STMT_DEVTOKEN_INSERT,
    GH_STMT_DEVTOKEN_USE,
    GH_STMT_DEVTOKEN_LIST,
    GH_STMT_DEVTOKEN_REVOKE,
    GH_STMT_ATTEMPTS_HIT,
    /* Client authentication's one read (store/clients.c). */
    GH_STMT_CLIENT_GET_WITH_ATTEMPTS,
    GH_STMT_COUNT
} gh_stmt_id_t;

typedef struct {
    const char *name;
    int         nparams;
    const char *sql;
} gh_stmt_t;

extern const gh_stmt_t gh_stmts[GH_STMT_COUNT];

#endif
