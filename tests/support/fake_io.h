/*
 * tests/support/fake_io.h: a gh_http_io_t over memory, for unit and fuzz tests.
 *
 * The request is a CGI environment (an array of "NAME=value" strings ending in NULL)
 * and a body; everything written is collected in out. Reads can be cut into small
 * chunks, and either direction can be made to fail, to reach the error paths.
 */
#ifndef GH_TESTS_FAKE_IO_H
#define GH_TESTS_FAKE_IO_H

#include <stdbool.h>
#include <stddef.h>

#include "http/req.h"

typedef struct {
    gh_http_io_t io;
    const char  *body;
    size_t       body_len;
    size_t       pos;
    int          chunk;        /* most bytes one read returns; 0 for no limit */
    int          reads;        /* calls to read */
    bool         fail_read;
    bool         fail_write;
    char        *out;          /* NUL-terminated, freed by fake_io_free */
    size_t       out_len;
    size_t       out_cap;
} fake_io_t;

/* envp and body are borrowed: they must outlive the fake. */
void fake_io_init(fake_io_t *f, char **envp, const char *body, size_t body_len);
void fake_io_free(fake_io_t *f);

#endif
