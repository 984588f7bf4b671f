/*
 * store/attempts.h: counting failed sign-ins per key ("user:<name>", "addr:<ip>").
 *
 * The policy (how long to wait after how many failures, when to lock) is the
 * caller's; this file only counts and reports.
 */
#ifndef GH_STORE_ATTEMPTS_H
#define GH_STORE_ATTEMPTS_H

#include <stdbool.h>

#include "base/err.h"
#include "store/db.h"

typedef struct {
    long failures;      /* recent failures (0 when none) */
    long since_last;    /* seconds since the last failure */
    long locked_for;    /* seconds the key stays locked, 0 when not locked */
} gh_attempts_t;

gh_status_t gh_store_attempts_get(gh_db_t *db, const char *key, gh_attempts_t *out,
                                  gh_err_t *err);

/* Counts one failure; locks the key for lock_seconds once failures reach lock_after.
 * Failures are forgotten window seconds after the last one. */
gh_status_t gh_store_attempts_fail(gh_db_t *db, const char *key, long lock_after,
                                   long lock_seconds, long window, gh_err_t *err);

gh_status_t gh_store_attempts_clear(gh_db_t *db, const char *key, gh_err_t *err);

/* Counts one event of key in a fixed window, for rate limits: the first event opens a
 * window of window seconds, and the count starts again at 1 after it closes. *count
 * includes this event; *retry_after is the seconds left in the window. One statement,
 * so concurrent events are each counted once. */
gh_status_t gh_store_attempts_hit(gh_db_t *db, const char *key, long window, long *count,
                                  long *retry_after, gh_err_t *err);

#endif
