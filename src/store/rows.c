/*
 * store/rows.c: result values to arena values.
 */
#include "store/rows.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

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
