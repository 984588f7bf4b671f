/*
 * tests/unit/http/test_parse.c: http/parse.h.
 *
 * Form-urlencoding ('+' is a space; bad escapes, NUL, invalid UTF-8, overlongs and
 * surrogates refused), cookies, Basic credentials with RFC 6749 section 2.3.1's
 * form-encoding of client id and secret, Bearer's b64token syntax (RFC 6750 section
 * 2.1), the UTF-8 check at its boundaries, and gh_params_get's rules for repeated and
 * empty parameters (RFC 6749 section 3.1). tests/payloads/urlencoded.txt is replayed:
 * each payload parses into clean UTF-8 or is refused, and never crashes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/parse.h"
#include "support/unit.h"

static gh_status_t
parse(gh_arena_t *a, const char *s, gh_params_t *out)
{
    gh_err_t err = { 0 };
    *out = (gh_params_t){ 0 };
    return gh_http_parse_urlencoded(a, s, strlen(s), out, &err);
}

/* Every string must be refused with GH_E_INPUT, and the description must not echo it. */
static void
assert_all_refused(gh_arena_t *a, const char *const *inputs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        gh_params_t ps = { 0 };
        gh_err_t err = { 0 };
        gh_status_t st = gh_http_parse_urlencoded(a, inputs[i], strlen(inputs[i]), &ps, &err);
        if (st != GH_E_INPUT)
            fail_msg("accepted: \"%s\" (status %d)", inputs[i], st);
        assert_true(err.description[0] != '\0');
        assert_null(strstr(err.description, inputs[i]));
    }
}

#define REFUSED(a, ...) do { \
        static const char *const inputs_[] = { __VA_ARGS__ }; \
        assert_all_refused((a), inputs_, sizeof inputs_ / sizeof inputs_[0]); \
    } while (0)

static void
urlencoded_splits_pairs_in_order(void **state)
{
    gh_params_t ps;
    assert_int_equal(parse(*state, "grant_type=authorization_code&code=abc&x=", &ps), GH_OK);
    assert_int_equal(ps.n, 3);
    assert_string_equal(ps.items[0].name, "grant_type");
    assert_string_equal(ps.items[0].value, "authorization_code");
    assert_string_equal(ps.items[1].name, "code");
    assert_string_equal(ps.items[1].value, "abc");
    assert_string_equal(ps.items[2].name, "x");
    assert_string_equal(ps.items[2].value, "");
}

static void
urlencoded_decodes_plus_as_space_and_percent_escapes(void **state)
{
    gh_params_t ps;
    assert_int_equal(parse(*state, "scope=openid+profile%20email&p%2Bq=%2b%3d%26%25%7e", &ps),
                     GH_OK);
    assert_int_equal(ps.n, 2);
    assert_string_equal(ps.items[0].value, "openid profile email");
    assert_string_equal(ps.items[1].name, "p+q");
    assert_string_equal(ps.items[1].value, "+=&%~");
}

static void
urlencoded_decodes_utf8_escaped_or_raw(void **state)
{
    gh_params_t ps;
    assert_int_equal(parse(*state, "a=%E3%81%82&b=\xe3\x81\x82&c=%f0%9f%98%80", &ps), GH_OK);
    assert_string_equal(ps.items[0].value, "\xe3\x81\x82");
    assert_string_equal(ps.items[1].value, "\xe3\x81\x82");
    assert_string_equal(ps.items[2].value, "\xf0\x9f\x98\x80");
}

static void
urlencoded_skips_empty_pairs_and_keeps_bare_names(void **state)
{
    gh_params_t ps;
    assert_int_equal(parse(*state, "&&a=1&&b&=c&", &ps), GH_OK);
    assert_int_equal(ps.n, 3);
    assert_string_equal(ps.items[0].name, "a");
    assert_string_equal(ps.items[1].name, "b");
    assert_string_equal(ps.items[1].value, "");
    assert_string_equal(ps.items[2].name, "");
    assert_string_equal(ps.items[2].value, "c");
    assert_int_equal(parse(*state, "", &ps), GH_OK);
    assert_int_equal(ps.n, 0);
}

static void
urlencoded_keeps_later_equals_signs_in_the_value(void **state)
{
    gh_params_t ps;
    assert_int_equal(parse(*state, "code_challenge=abc==&x==", &ps), GH_OK);
    assert_string_equal(ps.items[0].value, "abc==");
    assert_string_equal(ps.items[1].value, "=");
}

static void
urlencoded_reads_only_the_given_length(void **state)
{
    /* No terminator: ASan catches any read past the third byte. */
    char *buf = malloc(3);
    memcpy(buf, "a=1", 3);
    gh_params_t ps = { 0 };
    gh_err_t err = { 0 };
    assert_int_equal(gh_http_parse_urlencoded(*state, buf, 3, &ps, &err), GH_OK);
    assert_string_equal(ps.items[0].value, "1");
    memcpy(buf, "a=%", 3);
    assert_int_equal(gh_http_parse_urlencoded(*state, buf, 3, &ps, &err), GH_E_INPUT);
    free(buf);
}

static void
urlencoded_refuses_malformed_percent_escapes(void **state)
{
    REFUSED(*state, "a=%zz", "a=%0", "a=%", "%=a", "a=%g0", "a=%0g", "a=%%41", "a=%2",
            "a=%u0041", "a=% 1", "a=%+1", "%zz=1", "a=1&b=%x");
}

static void
urlencoded_refuses_an_escape_cut_by_the_length(void **state)
{
    gh_params_t ps = { 0 };
    gh_err_t err = { 0 };
    assert_int_equal(gh_http_parse_urlencoded(*state, "a=%41", 4, &ps, &err), GH_E_INPUT);
}

static void
urlencoded_refuses_a_decoded_nul(void **state)
{
    REFUSED(*state, "a=%00", "%00=a", "a=x%00y", "code=abc%00.sig");
}

static void
urlencoded_refuses_a_raw_nul_inside_the_length(void **state)
{
    gh_params_t ps = { 0 };
    gh_err_t err = { 0 };
    assert_int_equal(gh_http_parse_urlencoded(*state, "a=b\0c", 5, &ps, &err), GH_E_INPUT);
    assert_int_equal(gh_http_parse_urlencoded(*state, "a\0=b", 4, &ps, &err), GH_E_INPUT);
}

static void
urlencoded_refuses_bytes_that_are_not_utf8(void **state)
{
    REFUSED(*state, "a=%ff", "a=%fe", "a=%80", "a=%bf", "a=\xff", "\xfe=a", "a=\x80",
            "a=%c3", "a=%e3%81", "a=%e3%81x", "a=%f0%9f%98", "a=%c3%a9%80");
}

static void
urlencoded_refuses_overlong_encodings(void **state)
{
    /* %c0%af is '/' in two bytes: the classic path-traversal overlong. */
    REFUSED(*state, "a=%c0%af", "%c0%af=x", "a=%c1%bf", "a=%c0%80", "a=%e0%80%af",
            "a=%e0%9f%bf", "a=%f0%80%80%af", "a=%f0%8f%bf%bf");
}

static void
urlencoded_refuses_surrogates(void **state)
{
    /* CESU-8 encodes U+1F600 as a surrogate pair: not UTF-8 (RFC 3629 section 3). */
    REFUSED(*state, "a=%ed%a0%80", "a=%ed%bf%bf", "a=%ed%a0%bd%ed%b8%80", "a=\xed\xb0\x80");
}

static void
urlencoded_refuses_code_points_past_10ffff(void **state)
{
    REFUSED(*state, "a=%f4%90%80%80", "a=%f5%80%80%80", "a=%f7%bf%bf%bf",
            "a=%f8%88%80%80%80", "a=%fc%84%80%80%80%80");
}

static void
percent_decode_keeps_plus_unless_asked(void **state)
{
    char *out = NULL;
    gh_err_t err = { 0 };
    assert_int_equal(gh_http_percent_decode(*state, "a+b%20c", 7, false, &out, &err), GH_OK);
    assert_string_equal(out, "a+b c");
    assert_int_equal(gh_http_percent_decode(*state, "a+b%20c", 7, true, &out, &err), GH_OK);
    assert_string_equal(out, "a b c");
}

static void
percent_decode_refuses_and_leaves_the_output_alone(void **state)
{
    char *out = (char *)"untouched";
    gh_err_t err = { 0 };
    assert_int_equal(gh_http_percent_decode(*state, "%zz", 3, false, &out, &err), GH_E_INPUT);
    assert_string_equal(out, "untouched");
    assert_int_equal(err.status, GH_E_INPUT);
}

/* Each line of tests/payloads/urlencoded.txt, as the integration and fuzz tests use it. */
static void
check_payload(gh_arena_t *a, const char *line, size_t len, int *accepted, int *refused)
{
    gh_params_t ps = { 0 };
    gh_err_t err = { 0 };
    gh_status_t st = gh_http_parse_urlencoded(a, line, len, &ps, &err);
    if (st != GH_OK) {
        if (st != GH_E_INPUT)
            fail_msg("payload \"%.60s\": status %d", line, st);
        (*refused)++;
        return;
    }
    (*accepted)++;
    for (size_t i = 0; i < ps.n; i++) {
        const char *n = ps.items[i].name, *v = ps.items[i].value;
        assert_true(gh_http_is_utf8(n, strlen(n)));
        assert_true(gh_http_is_utf8(v, strlen(v)));
        const char *got = NULL;
        gh_err_t gerr = { 0 };
        st = gh_params_get(&ps, n, &got, &gerr);
        if (st == GH_E_INPUT)
            assert_string_equal(gerr.oauth_error, "invalid_request");
        else
            assert_int_equal(st, GH_OK);
    }
}

static void
urlencoded_parses_or_refuses_every_hostile_payload(void **state)
{
    char path[4096];
    FILE *f = fopen(srcdir_path(path, sizeof path, "tests/payloads/urlencoded.txt"), "r");
    if (f == NULL)
        fail_msg("cannot open %s (set top_srcdir)", path);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int accepted = 0, refused = 0;
    while ((n = getline(&line, &cap, f)) >= 0) {
        if (n > 0 && line[n - 1] == '\n')
            line[--n] = '\0';
        check_payload(*state, line, (size_t)n, &accepted, &refused);
        gh_arena_reset(*state);
    }
    free(line);
    fclose(f);
    /* Both outcomes occur, so the list is read and the check can fail both ways. */
    assert_true(refused >= 40);
    assert_true(accepted >= 20);
}

static void
cookies_split_on_semicolons_and_trim_spaces(void **state)
{
    gh_params_t ps = { 0 };
    gh_http_parse_cookies(*state, "gh_session=abc;  gh_csrf=def ;\tlang=ja", &ps);
    assert_int_equal(ps.n, 3);
    assert_string_equal(ps.items[0].name, "gh_session");
    assert_string_equal(ps.items[0].value, "abc");
    assert_string_equal(ps.items[1].name, "gh_csrf");
    assert_string_equal(ps.items[1].value, "def");
    assert_string_equal(ps.items[2].name, "lang");
    assert_string_equal(ps.items[2].value, "ja");
}

static void
cookies_keep_values_undecoded_with_their_equals_signs(void **state)
{
    gh_params_t ps = { 0 };
    gh_http_parse_cookies(*state, "a=%41+b; b=x==; c=\"q\"", &ps);
    assert_int_equal(ps.n, 3);
    assert_string_equal(ps.items[0].value, "%41+b");
    assert_string_equal(ps.items[1].value, "x==");
    assert_string_equal(ps.items[2].value, "\"q\"");
}

static void
cookies_skip_pairs_without_a_name_or_an_equals_sign(void **state)
{
    gh_params_t ps = { 0 };
    gh_http_parse_cookies(*state, "novalue; =x; ;;  ; =; ok=1; trailing", &ps);
    assert_int_equal(ps.n, 1);
    assert_string_equal(ps.items[0].name, "ok");
    assert_string_equal(ps.items[0].value, "1");
}

static void
cookies_accept_null_empty_and_blank_headers(void **state)
{
    gh_params_t ps = { 0 };
    gh_http_parse_cookies(*state, NULL, &ps);
    gh_http_parse_cookies(*state, "", &ps);
    gh_http_parse_cookies(*state, "   ", &ps);
    gh_http_parse_cookies(*state, ";", &ps);
    assert_int_equal(ps.n, 0);
}

static void
cookies_keep_an_empty_value(void **state)
{
    gh_params_t ps = { 0 };
    gh_http_parse_cookies(*state, "a=; b=  ", &ps);
    assert_int_equal(ps.n, 2);
    assert_string_equal(ps.items[0].value, "");
    assert_string_equal(ps.items[1].value, "");
}

static gh_status_t
basic(gh_arena_t *a, const char *header, const char **user, const char **pass)
{
    gh_err_t err = { 0 };
    *user = *pass = "untouched";
    gh_status_t st = gh_http_parse_basic(a, header, user, pass, &err);
    if (st == GH_E_INPUT)
        assert_string_equal(err.description, "malformed Basic credentials");
    return st;
}

static void
basic_decodes_the_rfc6749_example(void **state)
{
    const char *u, *p;
    assert_int_equal(basic(*state, "Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3", &u, &p),
                     GH_OK);
    assert_string_equal(u, "s6BhdRkqt3");
    assert_string_equal(p, "7Fjfp0ZBr1KtDRbnfVdmIw");
}

static void
basic_form_decodes_a_colon_in_the_id_and_percent_plus_space_in_the_secret(void **state)
{
    /* base64("my%3Aclient:p%25ss%2Bw+rd%20x") */
    const char *u, *p;
    assert_int_equal(basic(*state, "Basic bXklM0FjbGllbnQ6cCUyNXNzJTJCdytyZCUyMHg=", &u, &p),
                     GH_OK);
    assert_string_equal(u, "my:client");
    assert_string_equal(p, "p%ss+w rd x");
}

static void
basic_splits_at_the_first_colon_and_decodes_utf8(void **state)
{
    const char *u, *p;
    assert_int_equal(basic(*state, "Basic YTpiOmM=", &u, &p), GH_OK);   /* a:b:c */
    assert_string_equal(u, "a");
    assert_string_equal(p, "b:c");
    assert_int_equal(basic(*state, "basic   JUUzJTgxJTgyOiVGMCU5RiU5OCU4MA==", &u, &p), GH_OK);
    assert_string_equal(u, "\xe3\x81\x82");
    assert_string_equal(p, "\xf0\x9f\x98\x80");
}

static void
basic_is_absent_for_other_schemes(void **state)
{
    static const char *const others[] = {
        NULL, "", "Bearer abc", "Basicx Y2xpZW50Og==", "Basic", "Digest x", "Basic\tY2xpZW50Og==",
        "XBasic Y2xpZW50Og==", " Basic Y2xpZW50Og==",
    };
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        const char *u, *p;
        assert_int_equal(basic(*state, others[i], &u, &p), GH_E_NOTFOUND);
        assert_string_equal(u, "untouched");
    }
}

static void
basic_refuses_malformed_base64(void **state)
{
    static const char *const bad[] = {
        "Basic !!!!", "Basic Y2xpZW50Og", "Basic Y2xpZW50Og== ", "Basic Y2xp ZW50Og==",
        "Basic Y2xpZW50Og==\r\n", "Basic Y2xpZW50Og-_", "Basic =", "Basic Y2xpZW50Oh==",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *u, *p;
        assert_int_equal(basic(*state, bad[i], &u, &p), GH_E_INPUT);
        assert_string_equal(u, "untouched");
        assert_string_equal(p, "untouched");
    }
}

static void
basic_refuses_credentials_without_a_colon_or_a_client_id(void **state)
{
    const char *u, *p;
    assert_int_equal(basic(*state, "Basic Y2xpZW50", &u, &p), GH_E_INPUT);     /* client */
    assert_int_equal(basic(*state, "Basic OnNlY3JldA==", &u, &p), GH_E_INPUT); /* :secret */
    assert_int_equal(basic(*state, "Basic ", &u, &p), GH_E_INPUT);
    assert_int_equal(basic(*state, "Basic    ", &u, &p), GH_E_INPUT);
}

static void
basic_refuses_bad_escapes_nul_and_invalid_utf8_in_either_half(void **state)
{
    static const char *const bad[] = {
        "Basic YSV6ejpi",           /* a%zz:b */
        "Basic YTpiJXp6",           /* a:b%zz */
        "Basic YTolMDA=",           /* a:%00 */
        "Basic JWZmOmI=",           /* %ff:b */
        "Basic YTr/Yg==",           /* a:\xffb */
        "Basic YQBiOmM=",           /* a\0b:c */
        "Basic YTpiAGM=",           /* a:b\0c */
        "Basic YTolYzAlYWY=",       /* a:%c0%af */
        "Basic YTolZWQlYTAlODA=",   /* a:%ed%a0%80 */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *u, *p;
        if (basic(*state, bad[i], &u, &p) != GH_E_INPUT)
            fail_msg("accepted %s", bad[i]);
        assert_string_equal(u, "untouched");
    }
}

static gh_status_t
bearer(const char *header, const char **token)
{
    gh_err_t err = { 0 };
    *token = "untouched";
    return gh_http_parse_bearer(header, token, &err);
}

static void
bearer_accepts_b64token_characters_and_trailing_equals(void **state)
{
    (void)state;
    const char *t;
    assert_int_equal(bearer("Bearer aZ09-._~+/==", &t), GH_OK);
    assert_string_equal(t, "aZ09-._~+/==");
    assert_int_equal(bearer("bearer   mF_9.B5f-4.1JqM", &t), GH_OK);
    assert_string_equal(t, "mF_9.B5f-4.1JqM");
    assert_int_equal(bearer("BEARER x", &t), GH_OK);
}

static void
bearer_is_absent_for_other_schemes(void **state)
{
    (void)state;
    static const char *const others[] = {
        NULL, "", "Basic Y2xpZW50Og==", "Bearerx abc", "Bearer", "Bearer\tabc", "Token abc",
        " Bearer abc",
    };
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        const char *t;
        assert_int_equal(bearer(others[i], &t), GH_E_NOTFOUND);
        assert_string_equal(t, "untouched");
    }
}

static void
bearer_refuses_an_empty_token(void **state)
{
    (void)state;
    const char *t;
    assert_int_equal(bearer("Bearer ", &t), GH_E_INPUT);
    assert_int_equal(bearer("Bearer     ", &t), GH_E_INPUT);
    assert_string_equal(t, "untouched");
}

static void
bearer_refuses_characters_outside_b64token(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "Bearer abc def", "Bearer abc,def", "Bearer \"abc\"", "Bearer abc%20", "Bearer a;b",
        "Bearer \xc3\xa9t\xc3\xa9", "Bearer abc\tdef", "Bearer abc\r\nX-Evil: 1", "Bearer a:b",
        "Bearer a\\b", "Bearer <script>",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *t;
        if (bearer(bad[i], &t) != GH_E_INPUT)
            fail_msg("accepted %s", bad[i]);
        assert_string_equal(t, "untouched");
    }
}

static void
bearer_refuses_equals_signs_before_the_end_and_trailing_space(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "Bearer a=b", "Bearer =abc", "Bearer ==", "Bearer abc==x", "Bearer abc ", "Bearer abc\t",
        "Bearer abc== ",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *t;
        if (bearer(bad[i], &t) != GH_E_INPUT)
            fail_msg("accepted \"%s\"", bad[i]);
    }
}

static bool
utf8(const char *s)
{
    return gh_http_is_utf8(s, strlen(s));
}

static void
utf8_accepts_every_sequence_length_at_its_bounds(void **state)
{
    (void)state;
    static const char *const good[] = {
        "", "plain ascii", "\x7f", "\xc2\x80", "\xdf\xbf", "\xe0\xa0\x80", "\xed\x9f\xbf",
        "\xee\x80\x80", "\xef\xbf\xbf", "\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf",
        "\xe3\x81\x82\xe3\x81\x84", "caf\xc3\xa9",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_true(utf8(good[i]));
    assert_true(gh_http_is_utf8("a\0b", 3));
}

static void
utf8_refuses_overlong_encodings(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "\xc0\x80", "\xc0\xaf", "\xc1\xbf", "\xe0\x80\x80", "\xe0\x9f\xbf", "\xf0\x80\x80\x80",
        "\xf0\x8f\xbf\xbf",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(utf8(bad[i]));
}

static void
utf8_refuses_surrogates(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "\xed\xa0\x80", "\xed\xaf\xbf", "\xed\xb0\x80", "\xed\xbf\xbf", "a\xed\xa0\xbd\xed\xb8\x80",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(utf8(bad[i]));
}

static void
utf8_refuses_code_points_past_10ffff_and_invalid_lead_bytes(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "\xf4\x90\x80\x80", "\xf4\xbf\xbf\xbf", "\xf5\x80\x80\x80", "\xf7\xbf\xbf\xbf",
        "\xf8\x88\x80\x80\x80", "\xfc\x84\x80\x80\x80\x80", "\xfe", "\xff",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(utf8(bad[i]));
}

static void
utf8_refuses_lone_and_misplaced_continuation_bytes(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "\x80", "\xbf", "a\x80" "b", "\xc3\xa9\x80", "\xe3\x81\xc3\xa9", "\xe3\x41\x82",
        "\xf0\x9f\x41\x80",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(utf8(bad[i]));
}

static void
utf8_refuses_sequences_cut_short(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "\xc3", "\xe3\x81", "\xf0\x9f\x98", "\xe3\x81" "a", "\xc3 ", "ok\xf0",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(utf8(bad[i]));
    /* The length is the end: a sequence the length cuts is incomplete. */
    assert_false(gh_http_is_utf8("\xc3\xa9", 1));
    assert_false(gh_http_is_utf8("\xf0\x9f\x98\x80", 3));
    assert_true(gh_http_is_utf8("a\xc3\xa9", 1));
}

static gh_params_t
params_of(gh_arena_t *a, const char *s)
{
    gh_params_t ps;
    assert_int_equal(parse(a, s, &ps), GH_OK);
    return ps;
}

static void
params_get_returns_a_present_value(void **state)
{
    gh_params_t ps = params_of(*state, "response_type=code&client_id=app");
    const char *v = NULL;
    gh_err_t err = { 0 };
    assert_int_equal(gh_params_get(&ps, "client_id", &v, &err), GH_OK);
    assert_string_equal(v, "app");
}

static void
params_get_treats_absent_and_empty_values_as_omitted(void **state)
{
    gh_params_t ps = params_of(*state, "state=&nonce&scope=openid");
    gh_err_t err = { 0 };
    static const char *const omitted[] = { "state", "nonce", "prompt", "" };
    for (size_t i = 0; i < sizeof omitted / sizeof omitted[0]; i++) {
        const char *v = "untouched";
        assert_int_equal(gh_params_get(&ps, omitted[i], &v, &err), GH_OK);
        assert_null(v);
    }
    gh_params_t none = { 0 };
    const char *v = "untouched";
    assert_int_equal(gh_params_get(&none, "state", &v, &err), GH_OK);
    assert_null(v);
}

static void
params_get_refuses_a_repeated_name_with_invalid_request(void **state)
{
    static const char *const repeated[] = {
        "state=1&state=2", "state=1&state=1", "state=&state=1", "state&state",
        "a=1&state=x&b=2&state=",
        "st%61te=1&state=2",
    };
    for (size_t i = 0; i < sizeof repeated / sizeof repeated[0]; i++) {
        gh_params_t ps = params_of(*state, repeated[i]);
        const char *v = NULL;
        gh_err_t err = { 0 };
        assert_int_equal(gh_params_get(&ps, "state", &v, &err), GH_E_INPUT);
        assert_int_equal(err.status, GH_E_INPUT);
        assert_string_equal(err.oauth_error, "invalid_request");
        assert_non_null(strstr(err.description, "state"));
    }
}

static void
params_get_matches_names_exactly(void **state)
{
    gh_params_t ps = params_of(*state, "State=1&state%20=2&stat=3&states=4&state=5");
    const char *v = NULL;
    gh_err_t err = { 0 };
    assert_int_equal(gh_params_get(&ps, "state", &v, &err), GH_OK);
    assert_string_equal(v, "5");
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, arena_setup, arena_teardown)
    const struct CMUnitTest tests[] = {
        T(urlencoded_splits_pairs_in_order),
        T(urlencoded_decodes_plus_as_space_and_percent_escapes),
        T(urlencoded_decodes_utf8_escaped_or_raw),
        T(urlencoded_skips_empty_pairs_and_keeps_bare_names),
        T(urlencoded_keeps_later_equals_signs_in_the_value),
        T(urlencoded_reads_only_the_given_length),
        T(urlencoded_refuses_malformed_percent_escapes),
        T(urlencoded_refuses_an_escape_cut_by_the_length),
        T(urlencoded_refuses_a_decoded_nul),
        T(urlencoded_refuses_a_raw_nul_inside_the_length),
        T(urlencoded_refuses_bytes_that_are_not_utf8),
        T(urlencoded_refuses_overlong_encodings),
        T(urlencoded_refuses_surrogates),
        T(urlencoded_refuses_code_points_past_10ffff),
        T(percent_decode_keeps_plus_unless_asked),
        T(percent_decode_refuses_and_leaves_the_output_alone),
        T(urlencoded_parses_or_refuses_every_hostile_payload),
        T(cookies_split_on_semicolons_and_trim_spaces),
        T(cookies_keep_values_undecoded_with_their_equals_signs),
        T(cookies_skip_pairs_without_a_name_or_an_equals_sign),
        T(cookies_accept_null_empty_and_blank_headers),
        T(cookies_keep_an_empty_value),
        T(basic_decodes_the_rfc6749_example),
        T(basic_form_decodes_a_colon_in_the_id_and_percent_plus_space_in_the_secret),
        T(basic_splits_at_the_first_colon_and_decodes_utf8),
        T(basic_is_absent_for_other_schemes),
        T(basic_refuses_malformed_base64),
        T(basic_refuses_credentials_without_a_colon_or_a_client_id),
        T(basic_refuses_bad_escapes_nul_and_invalid_utf8_in_either_half),
        T(bearer_accepts_b64token_characters_and_trailing_equals),
        T(bearer_is_absent_for_other_schemes),
        T(bearer_refuses_an_empty_token),
        T(bearer_refuses_characters_outside_b64token),
        T(bearer_refuses_equals_signs_before_the_end_and_trailing_space),
        T(utf8_accepts_every_sequence_length_at_its_bounds),
        T(utf8_refuses_overlong_encodings),
        T(utf8_refuses_surrogates),
        T(utf8_refuses_code_points_past_10ffff_and_invalid_lead_bytes),
        T(utf8_refuses_lone_and_misplaced_continuation_bytes),
        T(utf8_refuses_sequences_cut_short),
        T(params_get_returns_a_present_value),
        T(params_get_treats_absent_and_empty_values_as_omitted),
        T(params_get_refuses_a_repeated_name_with_invalid_request),
        T(params_get_matches_names_exactly),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
