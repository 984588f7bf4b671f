/*
 * tests/unit/base/test_arena.c: base/arena.h.
 *
 * Allocation (zeroed, 16-byte aligned, larger than a block), reset (keeps one 64 KB
 * block, wipes it, frees the rest, runs the deferred frees exactly once), the string
 * helpers, and the edges: zero-byte requests, sizes that would wrap around, NULL.
 * Out of memory aborts by contract, so those cases run in a child process.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/arena.h"
#include "support/unit.h"

static void
count_call(void *ptr)
{
    (*(int *)ptr)++;
}

static void
arena_alloc_returns_zeroed_memory_aligned_for_any_type(void **state)
{
    for (size_t size = 1; size <= 200; size++) {
        unsigned char *p = gh_arena_alloc(*state, size);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        for (size_t i = 0; i < size; i++)
            assert_int_equal(p[i], 0);
        memset(p, 0xa5, size);
    }
}

static void
arena_alloc_of_zero_bytes_returns_distinct_pointers(void **state)
{
    void *a = gh_arena_alloc(*state, 0);
    void *b = gh_arena_alloc(*state, 0);
    assert_non_null(a);
    assert_non_null(b);
    assert_ptr_not_equal(a, b);
}

static void
arena_alloc_never_overlaps_earlier_allocations(void **state)
{
    unsigned char *first = gh_arena_alloc(*state, 17);
    memset(first, 0x11, 17);
    unsigned char *second = gh_arena_alloc(*state, 1);
    assert_true(second >= first + 17 || second + 1 <= first);
    assert_int_equal(second[0], 0);
    assert_int_equal(first[16], 0x11);
}

static void
arena_alloc_serves_requests_larger_than_a_block(void **state)
{
    size_t big = 3 * GH_ARENA_KEEP + 5;
    unsigned char *p = gh_arena_alloc(*state, big);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % 16, 0);
    assert_int_equal(p[0], 0);
    assert_int_equal(p[big - 1], 0);
    memset(p, 0x5a, big);
    assert_true(gh_arena_size(*state) >= big + GH_ARENA_KEEP - 64);
}

static void
arena_alloc_keeps_working_after_a_block_fills(void **state)
{
    char *kept[200];
    for (size_t i = 0; i < 200; i++) {
        kept[i] = gh_arena_alloc(*state, 1000);
        memset(kept[i], (int)(i & 0x7f), 1000);
    }
    for (size_t i = 0; i < 200; i++)
        assert_int_equal(kept[i][999], (int)(i & 0x7f));
    assert_true(gh_arena_size(*state) >= 200 * 1000);
}

static void
arena_reset_keeps_one_64k_block_and_frees_the_rest(void **state)
{
    gh_arena_t *a = *state;
    size_t fresh = gh_arena_size(a);
    assert_true(fresh <= GH_ARENA_KEEP);
    assert_true(fresh >= GH_ARENA_KEEP - 64);
    for (int i = 0; i < 10; i++)
        gh_arena_alloc(a, GH_ARENA_KEEP);
    gh_arena_alloc(a, 1 << 20);
    assert_true(gh_arena_size(a) > 10 * GH_ARENA_KEEP);
    gh_arena_reset(a);
    assert_int_equal(gh_arena_size(a), fresh);
}

static void
arena_reset_reuses_the_kept_block_from_its_start(void **state)
{
    gh_arena_t *a = *state;
    void *first = gh_arena_alloc(a, 32);
    gh_arena_alloc(a, 2 * GH_ARENA_KEEP);
    gh_arena_reset(a);
    assert_ptr_equal(gh_arena_alloc(a, 32), first);
}

static void
arena_reset_wipes_what_the_kept_block_held(void **state)
{
    gh_arena_t *a = *state;
    char *secret = gh_arena_strdup(a, "client-secret-value");
    gh_arena_reset(a);
    /* The kept block is still the arena's memory: reading it is defined. */
    for (size_t i = 0; i < sizeof "client-secret-value"; i++)
        assert_int_equal(secret[i], 0);
}

static void
arena_reset_runs_each_deferred_free_once(void **state)
{
    gh_arena_t *a = *state;
    int calls = 0;
    gh_arena_defer(a, count_call, &calls);
    gh_arena_defer(a, count_call, &calls);
    assert_int_equal(calls, 0);
    gh_arena_reset(a);
    assert_int_equal(calls, 2);
    gh_arena_reset(a);
    assert_int_equal(calls, 2);
}

static void
arena_reset_runs_deferred_frees_registered_in_later_blocks(void **state)
{
    gh_arena_t *a = *state;
    int calls = 0;
    gh_arena_defer(a, count_call, &calls);
    gh_arena_alloc(a, 2 * GH_ARENA_KEEP);
    gh_arena_defer(a, count_call, &calls);
    gh_arena_alloc(a, GH_ARENA_KEEP);
    gh_arena_reset(a);
    assert_int_equal(calls, 2);
}

static void
arena_free_runs_deferred_frees_and_accepts_null(void **state)
{
    (void)state;
    int calls = 0;
    gh_arena_t *a = gh_arena_new();
    gh_arena_defer(a, count_call, &calls);
    gh_arena_alloc(a, 2 * GH_ARENA_KEEP);
    gh_arena_free(a);
    assert_int_equal(calls, 1);
    gh_arena_free(NULL);
}

static void
arena_strdup_copies_and_returns_null_for_null(void **state)
{
    char src[] = "abc";
    char *copy = gh_arena_strdup(*state, src);
    src[0] = 'x';
    assert_string_equal(copy, "abc");
    assert_null(gh_arena_strdup(*state, NULL));
    assert_string_equal(gh_arena_strdup(*state, ""), "");
}

static void
arena_strndup_stops_at_n_and_terminates(void **state)
{
    assert_string_equal(gh_arena_strndup(*state, "abcdef", 3), "abc");
    assert_string_equal(gh_arena_strndup(*state, "abcdef", 0), "");
    /* n is a length, not a bound on a string: bytes after a NUL are copied too. */
    char *p = gh_arena_strndup(*state, "a\0b", 3);
    assert_memory_equal(p, "a\0b\0", 4);
}

static void
arena_printf_formats_short_and_long_strings(void **state)
{
    assert_string_equal(gh_arena_printf(*state, "%s=%d", "n", 42), "n=42");
    assert_string_equal(gh_arena_printf(*state, "%s", ""), "");
    size_t big = 2 * GH_ARENA_KEEP;
    char *s = gh_arena_printf(*state, "%0*d", (int)big, 7);
    assert_int_equal(strlen(s), big);
    assert_int_equal(s[big - 1], '7');
    assert_int_equal(s[0], '0');
}

/* Runs fn in a child and returns true if it died of SIGABRT. */
static bool
aborts(void (*fn)(void))
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* Keep the expected "out of memory" line out of the test output. */
        if (freopen("/dev/null", "w", stderr) == NULL)
            _exit(3);
        fn();
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void
alloc_size_max(void)
{
    gh_arena_t *a = gh_arena_new();
    unsigned char *p = gh_arena_alloc(a, SIZE_MAX);
    p[100] = 1;   /* reached only if a wrapped size handed out a small block */
}

static void
alloc_just_under_size_max(void)
{
    gh_arena_t *a = gh_arena_new();
    unsigned char *p = gh_arena_alloc(a, SIZE_MAX - 8);
    p[100] = 1;
}

static void
strndup_size_max(void)
{
    gh_arena_t *a = gh_arena_new();
    gh_arena_strndup(a, "abc", SIZE_MAX);
}

static void
arena_alloc_aborts_instead_of_wrapping_a_huge_size(void **state)
{
    (void)state;
    assert_true(aborts(alloc_size_max));
    assert_true(aborts(alloc_just_under_size_max));
}

static void
arena_strndup_aborts_instead_of_wrapping_a_huge_length(void **state)
{
    (void)state;
    assert_true(aborts(strndup_size_max));
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, arena_setup, arena_teardown)
    const struct CMUnitTest tests[] = {
        T(arena_alloc_returns_zeroed_memory_aligned_for_any_type),
        T(arena_alloc_of_zero_bytes_returns_distinct_pointers),
        T(arena_alloc_never_overlaps_earlier_allocations),
        T(arena_alloc_serves_requests_larger_than_a_block),
        T(arena_alloc_keeps_working_after_a_block_fills),
        T(arena_reset_keeps_one_64k_block_and_frees_the_rest),
        T(arena_reset_reuses_the_kept_block_from_its_start),
        T(arena_reset_wipes_what_the_kept_block_held),
        T(arena_reset_runs_each_deferred_free_once),
        T(arena_reset_runs_deferred_frees_registered_in_later_blocks),
        T(arena_free_runs_deferred_frees_and_accepts_null),
        T(arena_strdup_copies_and_returns_null_for_null),
        T(arena_strndup_stops_at_n_and_terminates),
        T(arena_printf_formats_short_and_long_strings),
        T(arena_alloc_aborts_instead_of_wrapping_a_huge_size),
        T(arena_strndup_aborts_instead_of_wrapping_a_huge_length),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
