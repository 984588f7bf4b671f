/*
 * tests/fuzz/fuzz_accept_language.c: gh_ui_pick_lang over ui_locales and
 * Accept-Language.
 *
 * The input is "ui_locales\naccept-language" (no newline: Accept-Language alone). The
 * templates directory has lang/en.hdf and lang/ja.hdf, so the only possible answers
 * are "en" and "ja": anything else means request text reached a file path.
 */
#include "fuzz.h"
#include "ui/render.h"

#ifndef GH_FUZZ_TEMPLATES
#define GH_FUZZ_TEMPLATES "templates"
#endif

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gh_arena_t *a = fuzz_arena();
    const char *second = NULL;
    const char *first = fuzz_lines(data, size, &second);
    const char *ui_locales = second != NULL ? first : NULL;
    const char *accept = second != NULL ? second : first;
    const char *lang = gh_ui_pick_lang(a, GH_FUZZ_TEMPLATES, ui_locales, accept);
    fuzz_require(strcmp(lang, "en") == 0 || strcmp(lang, "ja") == 0);
    gh_arena_reset(a);
    return 0;
}
