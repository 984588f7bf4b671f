/*
 * tests/fuzz/fuzz_manifest.c: app manifests (cli/manifest.h) in YAML, JSON and as the
 * format detection sees them.
 *
 * Any input is read or refused (GH_E_INPUT, GH_E_TOO_LARGE past the limit), never more;
 * a manifest that is read names its client, and every list it fills holds strings. The
 * first byte picks the format, so both parsers get every input shape.
 */
#include "fuzz.h"
#include "cli/manifest.h"

static void
check_list(const gh_strlist_t *l)
{
    for (size_t i = 0; i < l->n; i++)
        fuzz_require(l->items[i] != NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const gh_manifest_format_t formats[] = {
        GH_MANIFEST_AUTO, GH_MANIFEST_JSON, GH_MANIFEST_YAML,
    };
    gh_arena_t *a = fuzz_arena();
    gh_manifest_format_t format = formats[size > 0 ? data[0] % 3 : 0];
    gh_client_t c;
    gh_err_t err = { 0 };
    gh_status_t st = gh_cli_manifest_parse(a, (const char *)data, size, format, &c, &err);
    if (st == GH_OK) {
        fuzz_require(c.name != NULL && c.app_key == c.name);
        check_list(&c.redirect_uris);
        check_list(&c.post_logout_redirect_uris);
        check_list(&c.scopes);
        check_list(&c.grant_types);
        check_list(&c.contacts);
    } else {
        fuzz_require(st == GH_E_INPUT || (st == GH_E_TOO_LARGE && size > GH_MANIFEST_MAX_SIZE));
        fuzz_require(err.description[0] != '\0');
    }
    gh_arena_reset(a);
    return 0;
}
