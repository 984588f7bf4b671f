/*
 * tests/support/fake_io.c: the memory transport behind fake_io.h.
 */
#include "support/fake_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
fake_read(void *ctx, char *buf, int n)
{
    fake_io_t *f = ctx;
    f->reads++;
    if (f->fail_read)
        return -1;
    size_t want = (size_t)n;
    if (f->chunk > 0 && want > (size_t)f->chunk)
        want = (size_t)f->chunk;
    if (want > f->body_len - f->pos)
        want = f->body_len - f->pos;
    memcpy(buf, f->body + f->pos, want);
    f->pos += want;
    return (int)want;
}

static int
fake_write(void *ctx, const char *buf, int n)
{
    fake_io_t *f = ctx;
    if (f->fail_write)
        return -1;
    size_t need = f->out_len + (size_t)n + 1;
    if (need > f->out_cap) {
        f->out_cap = need * 2;
        f->out = realloc(f->out, f->out_cap);
        if (f->out == NULL)
            abort();
    }
    memcpy(f->out + f->out_len, buf, (size_t)n);
    f->out_len += (size_t)n;
    f->out[f->out_len] = '\0';
    return n;
}

void
fake_io_init(fake_io_t *f, char **envp, const char *body, size_t body_len)
{
    memset(f, 0, sizeof *f);
    f->io.ctx = f;
    f->io.read = fake_read;
    f->io.write = fake_write;
    f->io.envp = envp;
    f->body = body != NULL ? body : "";
    f->body_len = body != NULL ? body_len : 0;
}

void
fake_io_free(fake_io_t *f)
{
    free(f->out);
    f->out = NULL;
}
