/*
 * ui/render.c: ClearSilver rendering and language choice.
 *
 * A language tag becomes part of a file path, so only tags of 2-8 ASCII letters
 * (optionally "-region", which is dropped) are ever looked up: nothing a request sends
 * can name another file.
 */
#include "ui/render.h"

#include <ClearSilver.h>
#include <ctype.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct gh_ui_page {
    HDF  *hdf;
    char *template_dir;
};

static void
log_neoerr(NEOERR *nerr, gh_err_t *err, const char *what)
{
    STRING msg;
    string_init(&msg);
    nerr_error_string(nerr, &msg);
    gh_fail(err, GH_E_INTERNAL, "%s: %.100s", what, msg.buf != NULL ? msg.buf : "");
    string_clear(&msg);
    nerr_ignore(&nerr);
}

gh_ui_page_t *
gh_ui_page_new(const char *template_dir, const char *lang)
{
    gh_ui_page_t *page = calloc(1, sizeof *page);
    if (page == NULL || hdf_init(&page->hdf) != STATUS_OK) {
        free(page);
        return NULL;
    }
    page->template_dir = strdup(template_dir);
    hdf_set_value(page->hdf, "Config.VarEscapeMode", "html");
    hdf_set_value(page->hdf, "hdf.loadpaths.0", template_dir);
    char *path = NULL;
    if (asprintf(&path, "%s/lang/%s.hdf", template_dir, lang) >= 0) {
        HDF *strings = NULL;
        hdf_get_node(page->hdf, "Lang", &strings);
        NEOERR *nerr = strings != NULL ? hdf_read_file(strings, path) : STATUS_OK;
        nerr_ignore(&nerr);
        free(path);
    }
    hdf_set_value(page->hdf, "Page.Lang", lang);
    return page;
}

void
gh_ui_page_free(gh_ui_page_t *page)
{
    if (page == NULL)
        return;
    hdf_destroy(&page->hdf);
    free(page->template_dir);
    free(page);
}

const char *
gh_ui_page_lang(const gh_ui_page_t *page)
{
    return page != NULL ? hdf_get_value(page->hdf, "Page.Lang", "en") : "en";
}

void
gh_ui_set(gh_ui_page_t *page, const char *name, const char *value)
{
    if (page != NULL && value != NULL)
        hdf_set_value(page->hdf, name, value);
}

void
gh_ui_set_int(gh_ui_page_t *page, const char *name, int value)
{
    if (page != NULL)
        hdf_set_int_value(page->hdf, name, value);
}

static NEOERR *
collect(void *ctx, char *s)
{
    return string_append((STRING *)ctx, s);
}

gh_status_t
gh_ui_render(gh_ui_page_t *page, const char *template, gh_arena_t *a, char **html,
             size_t *len, gh_err_t *err)
{
    CSPARSE *cs = NULL;
    STRING out;
    string_init(&out);
    NEOERR *nerr = cs_init(&cs, page->hdf);
    if (nerr == STATUS_OK)
        nerr = cs_parse_file(cs, template);
    if (nerr == STATUS_OK)
        nerr = cs_render(cs, &out, collect);
    gh_status_t st = GH_OK;
    if (nerr != STATUS_OK) {
        log_neoerr(nerr, err, template);
        st = GH_E_INTERNAL;
    } else {
        *len = (size_t)out.len;
        *html = gh_arena_strndup(a, out.buf != NULL ? out.buf : "", *len);
    }
    string_clear(&out);
    cs_destroy(&cs);
    gh_ui_page_free(page);
    return st;
}

/* The primary subtag of a language range, lowercased, if it is 2-8 letters. */
static bool
primary_tag(const char *s, size_t n, char out[9])
{
    size_t k = 0;
    while (k < n && k < 9 && isalpha((unsigned char)s[k])) {
        out[k] = (char)tolower((unsigned char)s[k]);
        k++;
    }
    out[k < 9 ? k : 8] = '\0';
    return k >= 2 && k <= 8 && (k == n || s[k] == '-' || s[k] == '_');
}

static bool
has_lang(const char *template_dir, const char *tag)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/lang/%s.hdf", template_dir, tag);
    return access(path, R_OK) == 0;
}

/* First available tag of a space-separated list. */
static const char *
pick_from_list(gh_arena_t *a, const char *dir, const char *list)
{
    for (const char *p = list; p != NULL && *p != '\0';) {
        size_t n = strcspn(p, " ");
        char tag[9];
        if (n > 0 && primary_tag(p, n, tag) && has_lang(dir, tag))
            return gh_arena_strdup(a, tag);
        p += n;
        p += strspn(p, " ");
    }
    return NULL;
}

/* q-value of one Accept-Language item ("ja;q=0.8"): 1 when absent. */
static double
q_value(const char *item, size_t n)
{
    const char *q = memmem(item, n, ";q=", 3);
    return q != NULL ? strtod(q + 3, NULL) : 1.0;
}

static const char *
pick_from_accept(gh_arena_t *a, const char *dir, const char *accept)
{
    const char *best = NULL;
    double best_q = 0.0;
    for (const char *p = accept; p != NULL && *p != '\0';) {
        p += strspn(p, " \t,");
        size_t n = strcspn(p, ",");
        char tag[9];
        double q = q_value(p, n);
        if (n > 0 && q > best_q && primary_tag(p, strcspn(p, ";, "), tag) &&
            has_lang(dir, tag)) {
            best = gh_arena_strdup(a, tag);
            best_q = q;
        }
        p += n;
    }
    return best;
}

const char *
gh_ui_pick_lang(gh_arena_t *a, const char *template_dir, const char *ui_locales,
                const char *accept_language)
{
    const char *lang = pick_from_list(a, template_dir, ui_locales);
    if (lang == NULL)
        lang = pick_from_accept(a, template_dir, accept_language);
    return lang != NULL ? lang : "en";
}

static int
is_lang_file(const struct dirent *d)
{
    char tag[9];
    size_t n = strcspn(d->d_name, ".");
    return strcmp(d->d_name + n, ".hdf") == 0 && primary_tag(d->d_name, n, tag) &&
           strlen(tag) == n;
}

void
gh_ui_langs(gh_arena_t *a, const char *template_dir, gh_strlist_t *out)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/lang", template_dir);
    struct dirent **names = NULL;
    int n = scandir(path, &names, is_lang_file, alphasort);
    for (int i = 0; i < n; i++) {
        gh_strlist_add(a, out, gh_arena_strndup(a, names[i]->d_name,
                                                strcspn(names[i]->d_name, ".")));
        free(names[i]);
    }
    free(names);
}
