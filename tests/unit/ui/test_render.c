/*
 * tests/unit/ui/test_render.c: ui/render.h.
 *
 * Renders the real templates (templates/error.cs through layout.cs, strings from
 * templates/lang/{en,ja}.hdf) and checks that every value is HTML-escaped, including
 * ones that try to break out of an attribute or smuggle ClearSilver syntax; that
 * missing or broken templates are GH_E_INTERNAL; and that gh_ui_pick_lang follows
 * ui_locales, then Accept-Language by q-value, and never turns a request's text into
 * anything but a plain language tag.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/unit.h"
#include "ui/render.h"

typedef struct {
    gh_arena_t *arena;
    char        templates[4096];   /* the repository's templates/ */
    char        scratch[64];       /* a template directory made by the test, or "" */
} fixture_t;

static int
fixture_setup(void **state)
{
    fixture_t *fx = calloc(1, sizeof *fx);
    fx->arena = gh_arena_new();
    srcdir_path(fx->templates, sizeof fx->templates, "templates");
    *state = fx;
    return 0;
}

static const char *const scratch_files[] = {
    "lang/en.hdf", "lang/xx.hdf", "broken.cs", "evil.hdf",
};

static int
fixture_teardown(void **state)
{
    fixture_t *fx = *state;
    if (fx->scratch[0] != '\0') {
        char path[128];
        for (size_t i = 0; i < sizeof scratch_files / sizeof scratch_files[0]; i++) {
            snprintf(path, sizeof path, "%s/%s", fx->scratch, scratch_files[i]);
            unlink(path);
        }
        snprintf(path, sizeof path, "%s/lang", fx->scratch);
        rmdir(path);
        rmdir(fx->scratch);
    }
    gh_arena_free(fx->arena);
    free(fx);
    return 0;
}

static void
scratch_write(fixture_t *fx, const char *name, const char *text)
{
    if (fx->scratch[0] == '\0') {
        strcpy(fx->scratch, "/tmp/gh_test_templates_XXXXXX");
        assert_non_null(mkdtemp(fx->scratch));
        char lang[128];
        snprintf(lang, sizeof lang, "%s/lang", fx->scratch);
        assert_int_equal(mkdir(lang, 0700), 0);
    }
    char path[128];
    snprintf(path, sizeof path, "%s/%s", fx->scratch, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Renders error.cs in lang with the given message; fails the test on error. */
static const char *
render_error(fixture_t *fx, const char *lang, const char *message)
{
    gh_ui_page_t *page = gh_ui_page_new(fx->templates, lang);
    assert_non_null(page);
    gh_ui_set(page, "Page.Title", "Error");
    gh_ui_set(page, "Page.Static", "/static");
    gh_ui_set(page, "Page.Message", message);
    gh_ui_set(page, "Page.Error", "invalid_request");
    char *html = NULL;
    size_t len = 0;
    gh_err_t err = { 0 };
    gh_status_t st = gh_ui_render(page, "error.cs", fx->arena, &html, &len, &err);
    if (st != GH_OK)
        fail_msg("render failed: %s", err.description);
    assert_int_equal(strlen(html), len);
    return html;
}

static void
error_page_renders_in_english(void **state)
{
    fixture_t *fx = *state;
    const char *html = render_error(*state, "en", "The request was malformed.");
    assert_non_null(strstr(html, "<html lang=\"en\">"));
    assert_non_null(strstr(html, "Something went wrong"));
    assert_non_null(strstr(html, "The request was malformed."));
    assert_non_null(strstr(html, "<code>invalid_request</code>"));
    assert_non_null(strstr(html, "href=\"/static/gatehouse.css\""));
    (void)fx;
}

static void
error_page_renders_in_japanese(void **state)
{
    const char *html = render_error(*state, "ja", "\xe4\xb8\x8d\xe6\xad\xa3\xe3\x81\xaa"
                                                  "\xe3\x83\xaa\xe3\x82\xaf\xe3\x82\xa8"
                                                  "\xe3\x82\xb9\xe3\x83\x88");
    assert_non_null(strstr(html, "<html lang=\"ja\">"));
    assert_non_null(strstr(html, "\xe3\x82\xa8\xe3\x83\xa9\xe3\x83\xbc\xe3\x81\x8c\xe7\x99\xba"
                                 "\xe7\x94\x9f\xe3\x81\x97\xe3\x81\xbe\xe3\x81\x97\xe3\x81\x9f"));
    assert_non_null(strstr(html, "\xe4\xb8\x8d\xe6\xad\xa3\xe3\x81\xaa\xe3\x83\xaa\xe3\x82\xaf"
                                 "\xe3\x82\xa8\xe3\x82\xb9\xe3\x83\x88"));
    assert_null(strstr(html, "Something went wrong"));
}

static void
script_in_the_message_is_escaped(void **state)
{
    const char *html = render_error(*state, "en", "<script>alert(1)</script>");
    assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_null(strstr(html, "<script"));
}

static void
quotes_and_ampersands_in_the_message_are_escaped(void **state)
{
    const char *html = render_error(*state, "en", "a\" onmouseover=\"x' & <b>");
    assert_null(strstr(html, "\" onmouseover"));
    assert_null(strstr(html, "<b>"));
    assert_non_null(strstr(html, "&amp;"));
}

static void
attribute_breakout_in_a_url_value_is_escaped(void **state)
{
    fixture_t *fx = *state;
    gh_ui_page_t *page = gh_ui_page_new(fx->templates, "en");
    gh_ui_set(page, "Page.Static", "\"><script>alert(1)</script><a href=\"");
    gh_ui_set(page, "Page.Title", "</title><script>x</script>");
    char *html = NULL;
    size_t len = 0;
    gh_err_t err = { 0 };
    assert_int_equal(gh_ui_render(page, "error.cs", fx->arena, &html, &len, &err), GH_OK);
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "<a href"));
    assert_non_null(strstr(html, "&quot;&gt;&lt;script&gt;"));
}

static void
template_syntax_in_a_value_is_printed_not_run(void **state)
{
    const char *html = render_error(*state, "en",
                                    "<?cs include:\"/etc/passwd\" ?><?cs var:Lang.Error.Hint ?>");
    assert_null(strstr(html, "root:"));
    assert_non_null(strstr(html, "&lt;?cs include:"));
    /* The hint appears once: where the template puts it, not where the value asked. */
    const char *hint = strstr(html, "Go back to the application");
    assert_non_null(hint);
    assert_null(strstr(hint + 1, "Go back to the application"));
}

static void
unset_values_leave_their_sections_out(void **state)
{
    fixture_t *fx = *state;
    gh_ui_page_t *page = gh_ui_page_new(fx->templates, "en");
    gh_ui_set(page, "Page.Error", NULL);
    gh_ui_set_int(page, "Page.Count", 3);
    char *html = NULL;
    size_t len = 0;
    gh_err_t err = { 0 };
    assert_int_equal(gh_ui_render(page, "error.cs", fx->arena, &html, &len, &err), GH_OK);
    assert_null(strstr(html, "<code>"));
    assert_null(strstr(html, "Error code:"));
}

static void
missing_template_is_an_internal_error(void **state)
{
    fixture_t *fx = *state;
    gh_ui_page_t *page = gh_ui_page_new(fx->templates, "en");
    char *html = (char *)"untouched";
    size_t len = 7;
    gh_err_t err = { 0 };
    assert_int_equal(gh_ui_render(page, "nonexistent.cs", fx->arena, &html, &len, &err),
                     GH_E_INTERNAL);
    assert_int_equal(err.status, GH_E_INTERNAL);
    assert_non_null(strstr(err.description, "nonexistent.cs"));
    assert_string_equal(html, "untouched");
    assert_int_equal(len, 7);
}

static void
template_that_does_not_parse_is_an_internal_error(void **state)
{
    fixture_t *fx = *state;
    /* (An unclosed <?cs if ?> is refused too, but ClearSilver 0.10 leaks its parse
     * stack entry on that path, which LeakSanitizer would report.) */
    static const char *const broken[] = {
        "<?cs nosuch:Page.X ?>", "<?cs var:\"unterminated ?>", "<?cs /if ?>", "<?cs var: ?>",
    };
    scratch_write(fx, "lang/en.hdf", "SiteName = x\n");
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        scratch_write(fx, "broken.cs", broken[i]);
        gh_ui_page_t *page = gh_ui_page_new(fx->scratch, "en");
        char *html = NULL;
        size_t len = 0;
        gh_err_t err = { 0 };
        if (gh_ui_render(page, "broken.cs", fx->arena, &html, &len, &err) != GH_E_INTERNAL)
            fail_msg("rendered %s", broken[i]);
        assert_non_null(strstr(err.description, "broken.cs"));
    }
}

static void
language_without_strings_still_renders(void **state)
{
    const char *html = render_error(*state, "xx", "m");
    assert_non_null(strstr(html, "<html lang=\"xx\">"));
    assert_null(strstr(html, "Something went wrong"));
}

static void
unrendered_page_can_be_freed(void **state)
{
    fixture_t *fx = *state;
    gh_ui_page_t *page = gh_ui_page_new(fx->templates, "ja");
    gh_ui_set(page, "Page.Message", "x");
    gh_ui_page_free(page);
    gh_ui_page_free(NULL);
}

static const char *
pick(fixture_t *fx, const char *ui_locales, const char *accept)
{
    return gh_ui_pick_lang(fx->arena, fx->templates, ui_locales, accept);
}

static void
pick_lang_defaults_to_english(void **state)
{
    fixture_t *fx = *state;
    assert_string_equal(pick(fx, NULL, NULL), "en");
    assert_string_equal(pick(fx, "", ""), "en");
    assert_string_equal(pick(fx, "   ", " , ,"), "en");
    assert_string_equal(pick(fx, "fr de", "fr-CA, de;q=0.5, *;q=0.1"), "en");
}

static void
pick_lang_takes_the_first_available_ui_locale(void **state)
{
    fixture_t *fx = *state;
    assert_string_equal(pick(fx, "ja", NULL), "ja");
    assert_string_equal(pick(fx, "fr ja en", NULL), "ja");
    assert_string_equal(pick(fx, "fr en ja", NULL), "en");
    assert_string_equal(pick(fx, "ja-JP", NULL), "ja");
    assert_string_equal(pick(fx, "JA", NULL), "ja");
    assert_string_equal(pick(fx, "  ja  ", NULL), "ja");
}

static void
pick_lang_prefers_ui_locales_to_accept_language(void **state)
{
    fixture_t *fx = *state;
    assert_string_equal(pick(fx, "en", "ja"), "en");
    assert_string_equal(pick(fx, "fr", "ja"), "ja");
}

static void
pick_lang_orders_accept_language_by_q_value(void **state)
{
    fixture_t *fx = *state;
    assert_string_equal(pick(fx, NULL, "ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7"), "ja");
    assert_string_equal(pick(fx, NULL, "en;q=0.5, ja;q=0.9"), "ja");
    assert_string_equal(pick(fx, NULL, "ja;q=0.1, en"), "en");
    assert_string_equal(pick(fx, NULL, "fr, ja;q=0.8"), "ja");
    assert_string_equal(pick(fx, NULL, "en-GB;q=0.8,ja;q=0.8"), "en");
}

static void
pick_lang_never_picks_a_range_with_q_zero_or_a_bad_q(void **state)
{
    fixture_t *fx = *state;
    assert_string_equal(pick(fx, NULL, "ja;q=0"), "en");
    assert_string_equal(pick(fx, NULL, "ja;q=0.000"), "en");
    assert_string_equal(pick(fx, NULL, "ja;q=abc"), "en");
    assert_string_equal(pick(fx, NULL, "ja;q=-1"), "en");
    assert_string_equal(pick(fx, NULL, "ja;q=nan"), "en");
}

static void
pick_lang_refuses_tags_that_are_not_2_to_8_letters(void **state)
{
    fixture_t *fx = *state;
    static const char *const bad[] = { "j", "jaa1", "abcdefghi", "ja1", "1ja", "j-a", "ja.JP" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_string_equal(pick(fx, bad[i], NULL), "en");
        assert_string_equal(pick(fx, NULL, bad[i]), "en");
    }
}

static void
pick_lang_never_turns_a_path_into_a_language(void **state)
{
    fixture_t *fx = *state;
    /* evil.hdf sits beside lang/: only a traversal could reach it. */
    scratch_write(fx, "lang/en.hdf", "SiteName = x\n");
    scratch_write(fx, "evil.hdf", "SiteName = pwned\n");
    static const char *const paths[] = {
        "../evil", "..", "../../etc/passwd", "../lang/en", "ja/../../evil", "./ja", "%2e%2e%2fevil",
        "/etc/passwd", "evil/..", "..\\evil", "lang/en", "en/../../evil",
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        const char *l1 = gh_ui_pick_lang(fx->arena, fx->scratch, paths[i], NULL);
        const char *l2 = gh_ui_pick_lang(fx->arena, fx->scratch, NULL, paths[i]);
        if (strcmp(l1, "en") != 0 || strcmp(l2, "en") != 0)
            fail_msg("\"%s\" picked %s / %s", paths[i], l1, l2);
    }
}

static void
pick_lang_skips_tags_without_strings_in_the_directory(void **state)
{
    fixture_t *fx = *state;
    scratch_write(fx, "lang/xx.hdf", "SiteName = xx\n");
    assert_string_equal(gh_ui_pick_lang(fx->arena, fx->scratch, "ja xx", NULL), "xx");
    assert_string_equal(gh_ui_pick_lang(fx->arena, fx->scratch, NULL, "ja, xx;q=0.5"), "xx");
    assert_string_equal(gh_ui_pick_lang(fx->arena, "/nonexistent", "ja", "ja"), "en");
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
    const struct CMUnitTest tests[] = {
        T(error_page_renders_in_english),
        T(error_page_renders_in_japanese),
        T(script_in_the_message_is_escaped),
        T(quotes_and_ampersands_in_the_message_are_escaped),
        T(attribute_breakout_in_a_url_value_is_escaped),
        T(template_syntax_in_a_value_is_printed_not_run),
        T(unset_values_leave_their_sections_out),
        T(missing_template_is_an_internal_error),
        T(template_that_does_not_parse_is_an_internal_error),
        T(language_without_strings_still_renders),
        T(unrendered_page_can_be_freed),
        T(pick_lang_defaults_to_english),
        T(pick_lang_takes_the_first_available_ui_locale),
        T(pick_lang_prefers_ui_locales_to_accept_language),
        T(pick_lang_orders_accept_language_by_q_value),
        T(pick_lang_never_picks_a_range_with_q_zero_or_a_bad_q),
        T(pick_lang_refuses_tags_that_are_not_2_to_8_letters),
        T(pick_lang_never_turns_a_path_into_a_language),
        T(pick_lang_skips_tags_without_strings_in_the_directory),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
