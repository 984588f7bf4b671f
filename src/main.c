/*
 * main.c: with no arguments, serve (FastCGI, or one request as CGI); with arguments,
 * the command line (cli/).
 *
 * The loop is gh_http_begin -> gh_router_dispatch -> gh_http_finish, then the arena
 * is reset so a worker serves any number of requests without growing.
 */
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "base/clock.h"
#include "base/log.h"
#include "cli/cli.h"
#include "http/req.h"
#include "http/response.h"
#include "router.h"
#include "store/db.h"
#include "store/sweep.h"

extern char **environ;

static int
fcgx_read(void *ctx, char *buf, int n)
{
    return FCGX_GetStr(buf, n, ((FCGX_Request *)ctx)->in);
}

static int
fcgx_write(void *ctx, const char *buf, int n)
{
    return FCGX_PutStr(buf, n, ((FCGX_Request *)ctx)->out);
}

static int
stdio_read(void *ctx, char *buf, int n)
{
    (void)ctx;
    return (int)fread(buf, 1, (size_t)n, stdin);
}

static int
stdio_write(void *ctx, const char *buf, int n)
{
    (void)ctx;
    return fwrite(buf, 1, (size_t)n, stdout) == (size_t)n ? n : -1;
}

static void
handle(gh_app_t *app, const gh_http_io_t *io)
{
    gh_http_limits_t limits = {
        .max_body = app->cfg->max_body,
        .trust_forwarded_proto = app->cfg->trust_forwarded_proto,
    };
    gh_req_t req;
    gh_http_begin(&req, app->arena, io, &limits);
    gh_router_dispatch(app, &req);
    gh_http_finish(&req);
    gh_db_end_request(app->db);
    gh_arena_reset(app->arena);
}

/* Log lines go to the FastCGI error stream during a request: both mod_fcgid and
 * lighttpd write it to their error log, while lighttpd running as a daemon gives its
 * FastCGI processes /dev/null as stderr. */
static void
fcgx_log(void *ctx, const char *line)
{
    FCGX_PutS(line, ((FCGX_Request *)ctx)->err);
}

/* Expired rows are deleted by the serving workers too, after a response has been
 * sent (so no request waits for it): a claim in the database lets one worker in all
 * processes and hosts sweep per Sweep.Interval, under an advisory lock that keeps
 * `gatehouse sweep` from running alongside. A round is one batch per table; rounds
 * repeat while some table had a full batch, for at most SWEEP_BUDGET_MS, so the
 * sweep keeps up with a burst of expiring rows and the worker is soon free again. */
#define SWEEP_BUDGET_MS 50

/* One round; true when some table had a full batch (more may be waiting). */
static bool
sweep_round(gh_app_t *app, long *removed)
{
    gh_sweep_count_t counts[16];
    size_t n = sizeof counts / sizeof counts[0];
    if (gh_store_sweep_batch(app->db, app->cfg->sweep_batch, counts, &n, NULL) != GH_OK)
        return false;
    bool full = false;
    for (size_t i = 0; i < n; i++) {
        *removed += counts[i].removed;
        full = full || counts[i].removed >= app->cfg->sweep_batch;
    }
    return full;
}

static void
maybe_sweep(gh_app_t *app, time_t *next)
{
    long interval = app->cfg->sweep_interval;
    time_t now = time(NULL);
    if (interval == 0 || now < *next)
        return;
    *next = now + interval;
    bool claimed = false, locked = false;
    if (gh_store_sweep_claim(app->db, interval, &claimed, NULL) != GH_OK || !claimed ||
        gh_db_try_lock(app->db, GH_SWEEP_LOCK, &locked, NULL) != GH_OK || !locked)
        return;
    long removed = 0;
    double start = gh_clock_ms();
    while (sweep_round(app, &removed) && gh_clock_ms() - start < SWEEP_BUDGET_MS)
        continue;
    gh_db_unlock(app->db, GH_SWEEP_LOCK);
    gh_log_debug("sweep removed %ld expired rows", removed);
}

/* Web servers and `gatehouse serve` stop a worker with SIGTERM. Left to interrupt a
 * read, the signal would cut short a request body still arriving, and the request
 * would be answered from half of it. So reads restart (SA_RESTART), a worker inside a
 * request finishes it and stops after, and a worker waiting for one closes its
 * listening socket: the accept fails and the loop ends at once. */
static volatile sig_atomic_t in_request;
static volatile sig_atomic_t stop_requested;

static void
on_sigterm(int sig)
{
    (void)sig;
    stop_requested = 1;
    if (!in_request)
        close(0); /* FCGI_LISTENSOCK_FILENO; close is async-signal-safe */
}

static void
stop_between_requests_on_sigterm(void)
{
    struct sigaction sa = { .sa_handler = on_sigterm, .sa_flags = SA_RESTART };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
}

static int
serve_fastcgi(gh_app_t *app)
{
    time_t next_sweep = 0;
    FCGX_Request fr;
    if (FCGX_InitRequest(&fr, 0, 0) != 0)
        return 1;
    stop_between_requests_on_sigterm();
    while (!stop_requested && FCGX_Accept_r(&fr) >= 0) {
        in_request = 1;
        gh_http_io_t io = { .ctx = &fr, .read = fcgx_read, .write = fcgx_write,
                            .envp = fr.envp };
        gh_log_set_sink(fcgx_log, &fr);
        handle(app, &io);
        gh_log_set_sink(NULL, NULL);
        FCGX_Finish_r(&fr);
        in_request = 0;
        if (stop_requested)
            break;
        maybe_sweep(app, &next_sweep);
    }
    return 0;
}

/* A CGI program that exits without reading the whole body makes Apache drop the
 * connection before the response is sent: read what is left, then exit. */
static void
drain_stdin(void)
{
    char buf[8192];
    while (fread(buf, 1, sizeof buf, stdin) > 0)
        continue;
}

static int
serve_cgi(gh_app_t *app)
{
    gh_http_io_t io = { .read = stdio_read, .write = stdio_write, .envp = environ };
    handle(app, &io);
    fflush(stdout);
    drain_stdin();
    return 0;
}


/* Without a usable configuration nothing can be served; under CGI the person still
 * gets an answer rather than a web server's "premature end of script headers". */
static int
refuse_to_serve(bool cgi, const gh_err_t *err)
{
    gh_log_error("cannot start: %s", err->description);
    if (!cgi)
        return 1;
    static const char body[] = "{\"error\":\"server_error\","
                               "\"error_description\":\"server misconfigured\"}";
    printf("Status: 500 Internal Server Error\r\nContent-Type: application/json\r\n"
           "Content-Length: %zu\r\n\r\n%s", sizeof body - 1, body);
    return 1;
}

int
main(int argc, char **argv)
{
    if (argc > 1)
        return gh_cli_main(argc, argv);
    signal(SIGPIPE, SIG_IGN);
    if (FCGX_Init() != 0)
        return 1;
    bool cgi = FCGX_IsCGI();
    gh_err_t err = { 0 };
    gh_app_t *app = NULL;
    if (gh_app_open(gh_config_default_path(), &app, &err) != GH_OK)
        return refuse_to_serve(cgi, &err);
    int rc = cgi ? serve_cgi(app) : serve_fastcgi(app);
    gh_app_close(app);
    return rc;
}
