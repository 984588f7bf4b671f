/*
 * tests/support/unit.h: what several cmocka programs share.
 *
 * Include after <cmocka.h>. Header-only (static inline), so a test program needs no
 * extra sources, only -I tests.
 */
#ifndef GH_TESTS_UNIT_H
#define GH_TESTS_UNIT_H

#include <stdio.h>
#include <stdlib.h>

#include "base/arena.h"

/* cmocka setup and teardown for tests whose state is a fresh arena. */
static inline int
arena_setup(void **state)
{
    *state = gh_arena_new();
    return 0;
}

static inline int
arena_teardown(void **state)
{
    gh_arena_free(*state);
    return 0;
}

/* path (relative to the source tree) under $top_srcdir, which make check sets; "." by
 * hand from the top of the tree. */
static inline const char *
srcdir_path(char *buf, size_t size, const char *path)
{
    const char *top = getenv("top_srcdir");
    snprintf(buf, size, "%s/%s", top != NULL && *top != '\0' ? top : ".", path);
    return buf;
}

#endif
