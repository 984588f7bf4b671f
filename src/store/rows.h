/*
 * store/rows.h: copying result values out of a PGresult into the arena.
 * Internal to store/ (it includes libpq).
 */
#ifndef GH_STORE_ROWS_H
#define GH_STORE_ROWS_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "base/arena.h"
#include "base/strlist.h"

/* NULL for SQL NULL. */
const char *gh_row_str(gh_arena_t *a, const PGresult *r, int row, int col);
bool        gh_row_bool(const PGresult *r, int row, int col);
long long   gh_row_int(const PGresult *r, int row, int col);
/* A column holding a JSON array of strings (to_json(text[])). */
void        gh_row_strlist(gh_arena_t *a, const PGresult *r, int row, int col,
                           gh_strlist_t *out);

/* The list as JSON array text (arena), for a parameter read with
 * ARRAY(SELECT jsonb_array_elements_text($n::jsonb)). */
char       *gh_row_strlist_json(gh_arena_t *a, const gh_strlist_t *l);

#endif
