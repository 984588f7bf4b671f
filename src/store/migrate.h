/*
 * store/migrate.h: applying sql/NNN_name.sql in order.
 */
#ifndef GH_STORE_MIGRATE_H
#define GH_STORE_MIGRATE_H

#include <stdio.h>

#include "base/err.h"
#include "store/db.h"

/* Applies every file of sql_dir named NNN_name.sql that schema_migrations does not
 * record yet, in order, each in its own transaction with its record. Concurrent runs
 * wait for each other (an advisory lock). Writes one line per applied file to report
 * (may be NULL) and sets *applied to their number. A failed file is rolled back and
 * stops the run: GH_E_INPUT naming the file. */
gh_status_t gh_store_migrate(gh_db_t *db, const char *sql_dir, FILE *report, int *applied,
                             gh_err_t *err);

/* How many migration files of sql_dir are not applied yet (all of them on an empty
 * database). */
gh_status_t gh_store_migrate_pending(gh_db_t *db, const char *sql_dir, int *pending,
                                     gh_err_t *err);

#endif
