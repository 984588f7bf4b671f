/*
 * store/rows.c: result values to arena values.
 */
#define GH_DB_INTERNAL
#include "store/rows.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"

const char *
gh_row_str(gh_arena_t *a, const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col))
        return NULL;
    return gh_arena_strndup(a, PQgetvalue(r, row, col), (size_t)PQgetlength(r, row, col));
}

bool
gh_row_bool(const PGresult *r, int row, int col)
{
    return !PQgetisnull(r, row, col) && PQgetvalue(r, row, col)[0] == 't';
}

long long
gh_row_int(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col))
        return 0;
    return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

void
gh_row_strlist(gh_arena_t *a, const PGresult *r, int row, int col, gh_strlist_t *out)
{
    memset(out, 0, sizeof *out);
    if (PQgetisnull(r, row, col))
        return;
    json_t *arr = json_loads(PQgetvalue(r, row, col), 0, NULL);
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
        if (json_is_string(v))
            gh_strlist_add(a, out, gh_arena_strdup(a, json_string_value(v)));
    json_decref(arr);
}

char *
gh_row_strlist_json(gh_arena_t *a, const gh_strlist_t *l)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(arr, json_string(l->items[i]));
    char *text = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    char *out = gh_arena_strdup(a, text != NULL ? text : "[]");
    free(text);
    return out;
}

gh_status_t
gh_row_list(struct gh_db *db, gh_arena_t *a, int id, const char *const *params, size_t size,
            gh_row_fn from_row, void **out, size_t *n, gh_err_t *err)
{
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, (gh_stmt_id_t)id, params, &r, err);
    if (st != GH_OK)
        return st;
    *n = (size_t)PQntuples(r);
    char *items = gh_arena_alloc(a, (*n + 1) * size);   /* zeroed */
    for (size_t i = 0; i < *n; i++)
        from_row(a, r, (int)i, items + i * size);
    PQclear(r);
    *out = items;
    return GH_OK;
}

gh_status_t
gh_row_one(struct gh_db *db, gh_arena_t *a, int id, const char *const *params,
           gh_row_fn from_row, void *item, const char *missing, gh_err_t *err)
{
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, (gh_stmt_id_t)id, params, &r, err);
    if (st != GH_OK)
        return st;
    bool found = PQntuples(r) > 0;
    if (found)
        from_row(a, r, 0, item);
    PQclear(r);
    return found ? GH_OK : gh_fail(err, GH_E_NOTFOUND, "%s", missing);
}
