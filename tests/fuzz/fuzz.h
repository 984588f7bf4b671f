/*
 * tests/fuzz/fuzz.h: what the libFuzzer targets share.
 *
 * Each target checks invariants as well as surviving: fuzz_require aborts, so a
 * broken invariant is a finding like a crash. The arena lives for the whole run and is
 * reset after each input, as a worker resets it after each request.
 */
#ifndef GH_TESTS_FUZZ_H
#define GH_TESTS_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/b64url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define fuzz_require(cond) do { \
        if (!(cond)) { \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond); \
            abort(); \
        } \
    } while (0)

static inline gh_arena_t *
fuzz_arena(void)
{
    static gh_arena_t *arena;
    if (arena == NULL)
        arena = gh_arena_new();
    return arena;
}

/* data as a C string in the arena: what a CGI variable looks like (an embedded NUL
 * ends it, as it would end the real header). */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
    return gh_arena_strndup(fuzz_arena(), (const char *)data, size);
}

/* data as two lines: returns the first (a C string in the arena); *second is what
 * follows the first newline, or NULL when there is none. */
static inline char *
fuzz_lines(const uint8_t *data, size_t size, const char **second)
{
    char *text = fuzz_cstr(data, size);
    char *newline = strchr(text, '\n');
    *second = NULL;
    if (newline != NULL) {
        *newline = '\0';
        *second = newline + 1;
    }
    return text;
}

/* prefix followed by data, as a C string in the arena. */
static inline char *
fuzz_prefixed(const char *prefix, const uint8_t *data, size_t size)
{
    return gh_arena_printf(fuzz_arena(), "%s%s", prefix, fuzz_cstr(data, size));
}

/* Standard base64 with padding, from the base64url encoder. */
static inline char *
fuzz_b64_encode(const uint8_t *data, size_t size)
{
    char *url = gh_b64url_encode(fuzz_arena(), data, size);
    size_t n = strlen(url);
    char *out = gh_arena_alloc(fuzz_arena(), n + 3);
    for (size_t i = 0; i < n; i++)
        out[i] = url[i] == '-' ? '+' : url[i] == '_' ? '/' : url[i];
    while (n % 4 != 0)
        out[n++] = '=';
    return out;
}

#endif
