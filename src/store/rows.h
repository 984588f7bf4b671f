/*
 * store/rows.h: copying result values out of a PGresult into the arena.
 * Internal to store/ (it includes libpq).
 */
#ifndef GH_STORE_ROWS_H
#define GH_STORE_ROWS_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "base/arena.h"
#include "base/err.h"
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

/* Runs statement id and copies every row into a new arena array of *n items of size
 * bytes each (one spare, zeroed), filling each with from_row. For list functions. */
typedef void (*gh_row_fn)(gh_arena_t *a, const PGresult *r, int row, void *item);
struct gh_db;
gh_status_t gh_row_list(struct gh_db *db, gh_arena_t *a, int id, const char *const *params,
                        size_t size, gh_row_fn from_row, void **out, size_t *n,
                        gh_err_t *err);

/* Runs statement id and fills item from its first row with from_row. GH_E_NOTFOUND,
 * described as missing ("no such client"), when there is none. For get functions. */
gh_status_t gh_row_one(struct gh_db *db, gh_arena_t *a, int id, const char *const *params,
                       gh_row_fn from_row, void *item, const char *missing, gh_err_t *err);

#endif
