/*
 * base/log.h: log lines to stderr (the web server's error log).
 *
 * Callers never pass a parameter value, header, cookie or token: only names, ids,
 * statuses and numbers. The request line itself is written by http/.
 */
#ifndef GH_BASE_LOG_H
#define GH_BASE_LOG_H

typedef enum {
    GH_LOG_ERROR = 0,
    GH_LOG_WARN,
    GH_LOG_INFO,
    GH_LOG_DEBUG,
} gh_log_level_t;

void gh_log_set_level(gh_log_level_t level);
/* Where lines go: sink(ctx, line) with a complete line ending in a newline, or
 * stderr when sink is NULL (the default). */
void gh_log_set_sink(void (*sink)(void *ctx, const char *line), void *ctx);
/* "error", "warn", "info", "debug"; returns -1 for anything else. */
int  gh_log_level_parse(const char *name);
void gh_log(gh_log_level_t level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define gh_log_error(...) gh_log(GH_LOG_ERROR, __VA_ARGS__)
#define gh_log_warn(...)  gh_log(GH_LOG_WARN, __VA_ARGS__)
#define gh_log_info(...)  gh_log(GH_LOG_INFO, __VA_ARGS__)
#define gh_log_debug(...) gh_log(GH_LOG_DEBUG, __VA_ARGS__)

#endif
