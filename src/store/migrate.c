/*
 * store/migrate.c: the schema migrations runner.
 *
 * Migration files are the one place where SQL is sent as a script rather than as a
 * prepared statement: they are trusted files of the installation, never input.
 */
#define GH_DB_INTERNAL
#include "store/migrate.h"

#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "store/rows.h"

/* Any number: it only has to differ from the sweep's lock. */
#define MIGRATE_LOCK 0x6768303031L

static const char bootstrap[] =
    "CREATE SCHEMA IF NOT EXISTS gatehouse;"
    "CREATE TABLE IF NOT EXISTS gatehouse.schema_migrations ("
    " version integer PRIMARY KEY,"
    " name text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())";

static int
is_migration_name(const struct dirent *d)
{
    const char *n = d->d_name;
    size_t len = strlen(n);
    if (len < 9 || strcmp(n + len - 4, ".sql") != 0)
        return 0;
    if (!isdigit((unsigned char)n[0]) || !isdigit((unsigned char)n[1]) ||
        !isdigit((unsigned char)n[2]) || n[3] != '_')
        return 0;
    for (size_t i = 4; i < len - 4; i++)
        if (!islower((unsigned char)n[i]) && !isdigit((unsigned char)n[i]) && n[i] != '_')
            return 0;
    return 1;
}

static char *
read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    char chunk[8192];
    size_t n;
    while (mem != NULL && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, n, mem);
    if (mem != NULL)
        fclose(mem);
    fclose(f);
    return buf;
}

static gh_status_t
is_applied(gh_db_t *db, const char *version, bool *applied, gh_err_t *err)
{
    const char *params[] = { version };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_MIGRATION_APPLIED, params, &r, err);
    if (st != GH_OK)
        return st;
    *applied = PQntuples(r) > 0;
    PQclear(r);
    return GH_OK;
}

static gh_status_t
apply_one(gh_db_t *db, const char *dir, const char *file, gh_err_t *err)
{
    char version[4] = { file[0], file[1], file[2], '\0' };
    char *path = NULL;
    if (asprintf(&path, "%s/%s", dir, file) < 0)
        return gh_fail(err, GH_E_INTERNAL, "out of memory");
    char *sql = read_file(path);
    free(path);
    if (sql == NULL)
        return gh_fail(err, GH_E_INPUT, "cannot read %s", file);
    const char *params[] = { version, file };
    PGresult *r = NULL;
    gh_status_t st = gh_db_begin(db, err);
    if (st == GH_OK)
        st = gh_db_exec_script(db, sql, err);
    if (st == GH_OK)
        st = gh_db_exec(db, GH_STMT_MIGRATION_RECORD, params, &r, err);
    PQclear(r);
    free(sql);
    if (st == GH_OK)
        return gh_db_commit(db, err);
    gh_db_rollback(db);
    return gh_fail(err, st == GH_E_UNAVAILABLE ? st : GH_E_INPUT, "%s failed: %s", file,
                   err->description);
}

static gh_status_t
apply_pending(gh_db_t *db, const char *dir, struct dirent **names, int count, FILE *report,
              int *applied, gh_err_t *err)
{
    for (int i = 0; i < count; i++) {
        const char *file = names[i]->d_name;
        char version[4] = { file[0], file[1], file[2], '\0' };
        bool done = false;
        gh_status_t st = is_applied(db, version, &done, err);
        if (st == GH_OK && !done)
            st = apply_one(db, dir, file, err);
        if (st != GH_OK)
            return st;
        if (!done) {
            (*applied)++;
            if (report != NULL)
                fprintf(report, "applied %s\n", file);
        }
    }
    return GH_OK;
}

gh_status_t
gh_store_migrate(gh_db_t *db, const char *sql_dir, FILE *report, int *applied, gh_err_t *err)
{
    *applied = 0;
    struct dirent **names = NULL;
    int count = scandir(sql_dir, &names, is_migration_name, alphasort);
    if (count < 0)
        return gh_fail(err, GH_E_INPUT, "cannot read migrations directory %s", sql_dir);
    gh_status_t st = gh_db_exec_script(db, bootstrap, err);
    char key[24];
    snprintf(key, sizeof key, "%ld", MIGRATE_LOCK);
    const char *params[] = { key };
    PGresult *r = NULL;
    if (st == GH_OK)
        st = gh_db_exec(db, GH_STMT_LOCK, params, &r, err);
    PQclear(r);
    if (st == GH_OK) {
        st = apply_pending(db, sql_dir, names, count, report, applied, err);
        gh_db_unlock(db, MIGRATE_LOCK);
    }
    for (int i = 0; i < count; i++)
        free(names[i]);
    free(names);
    return st;
}

gh_status_t
gh_store_migrate_pending(gh_db_t *db, const char *sql_dir, int *pending, gh_err_t *err)
{
    *pending = 0;
    struct dirent **names = NULL;
    int count = scandir(sql_dir, &names, is_migration_name, alphasort);
    if (count < 0)
        return gh_fail(err, GH_E_INPUT, "cannot read migrations directory %s", sql_dir);
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_MIGRATION_TABLE_EXISTS, NULL, &r, err);
    bool exists = st == GH_OK && gh_row_bool(r, 0, 0);
    PQclear(r);
    r = NULL;
    if (exists)
        st = gh_db_exec(db, GH_STMT_MIGRATION_VERSIONS, NULL, &r, err);
    for (int i = 0; i < count && st == GH_OK; i++) {
        bool found = false;
        for (int row = 0; r != NULL && row < PQntuples(r); row++)
            found = found || strncmp(PQgetvalue(r, row, 0), names[i]->d_name, 3) == 0;
        if (!found)
            (*pending)++;
    }
    for (int i = 0; i < count; i++)
        free(names[i]);
    free(names);
    PQclear(r);
    return st;
}
