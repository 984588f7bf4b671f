/*
 * ui/render.h: HDF data -> ClearSilver template -> HTML.
 *
 * The only code that loads templates. Every <?cs var:x ?> is HTML-escaped by default
 * (Config.VarEscapeMode = html is set here, once); templates never turn it off.
 * Strings come from templates/lang/<lang>.hdf, loaded under Lang.
 */
#ifndef GH_UI_RENDER_H
#define GH_UI_RENDER_H

#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/strlist.h"

typedef struct gh_ui_page gh_ui_page_t;

/* A page in language lang (a tag gh_ui_pick_lang returned). The page's own resources
 * are released by gh_ui_render or gh_ui_page_free; NULL only when out of memory. */
gh_ui_page_t *gh_ui_page_new(const char *template_dir, const char *lang);
void          gh_ui_page_free(gh_ui_page_t *page);

/* The page's language tag. */
const char *gh_ui_page_lang(const gh_ui_page_t *page);

/* Sets an HDF value (copied); value NULL leaves it unset. */
void gh_ui_set(gh_ui_page_t *page, const char *name, const char *value);
void gh_ui_set_int(gh_ui_page_t *page, const char *name, int value);

/* Renders template (a file name in the template directory) into the arena and frees
 * the page. GH_E_INTERNAL when the template is missing or does not parse. */
gh_status_t gh_ui_render(gh_ui_page_t *page, const char *template, gh_arena_t *a,
                         char **html, size_t *len, gh_err_t *err);

/* The language to use: the first of ui_locales (space-separated, OIDC Core 3.1.2.1),
 * then of Accept-Language (by q-value) that has a templates/lang/<tag>.hdf file, trying
 * "ja-JP" as "ja"; "en" otherwise. Either input may be NULL. Returns a static string
 * or one in the arena. */
const char *gh_ui_pick_lang(gh_arena_t *a, const char *template_dir, const char *ui_locales,
                            const char *accept_language);

/* The language tags that have a templates/lang/<tag>.hdf file, sorted. */
void gh_ui_langs(gh_arena_t *a, const char *template_dir, gh_strlist_t *out);

#endif
