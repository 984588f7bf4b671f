/*
 * base/log.c: one line per call, written with a single fputs so lines from several
 * workers sharing the error log do not interleave.
 */
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static gh_log_level_t current = GH_LOG_INFO;
static void (*sink_fn)(void *ctx, const char *line);
static void *sink_ctx;

static const char *const names[] = {
    [GH_LOG_ERROR] = "error",
    [GH_LOG_WARN]  = "warn",
    [GH_LOG_INFO]  = "info",
    [GH_LOG_DEBUG] = "debug",
};

void
gh_log_set_sink(void (*sink)(void *ctx, const char *line), void *ctx)
{
    sink_fn = sink;
    sink_ctx = ctx;
}

void
gh_log_set_level(gh_log_level_t level)
{
    current = level;
}

int
gh_log_level_parse(const char *name)
{
    for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
        if (name != NULL && strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

void
gh_log(gh_log_level_t level, const char *fmt, ...)
{
    if (level > current)
        return;
    char line[1024];
    int n = snprintf(line, sizeof line, "gatehouse[%d] %s: ", (int)getpid(), names[level]);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    /* Control characters would let a value forge a second log line. */
    for (char *p = line; *p != '\0'; p++)
        if ((unsigned char)*p < 0x20)
            *p = ' ';
    strcat(line, "\n");
    if (sink_fn != NULL) {
        sink_fn(sink_ctx, line);
        return;
    }
    fputs(line, stderr);
    fflush(stderr);
}
