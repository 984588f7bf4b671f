/*
 * cli/serve.c: `gatehouse serve`, a fixed pool of FastCGI workers on a socket, for a web
 * server that connects to the application rather than starting it (Apache with
 * mod_proxy_fcgi: deploy/apache-proxy-fcgi.conf, deploy/gatehouse.service).
 *
 * The supervisor opens the listening socket and starts each worker as this binary with
 * no arguments and the socket as its standard input, which is how lighttpd and mod_fcgid
 * start it: a worker is main.c's accept loop, unchanged. All workers wait on one socket
 * and the kernel queues connections for them, so no request waits for a process to be
 * started (mod_fcgid sleeps a second when every process is busy). The supervisor never
 * touches a request or the database.
 *
 * A worker that exits is started again, after a delay that doubles while workers keep
 * exiting soon after starting (a broken key file must not make it spin). SIGHUP replaces
 * the workers one at a time, each new one started before the old one is asked to leave,
 * so a new binary or configuration is picked up without refusing a request. SIGTERM or
 * SIGINT shuts the listening socket down: every worker's accept() then fails, so a
 * worker finishes the request it is serving and exits; one still busy after
 * STOP_GRACE_MS is killed.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/log.h"
#include "cli/commands.h"
#include "cli/util.h"
#include "config.h"

#define MAX_WORKERS      256
#define QUICK_EXIT_MS    10000.0  /* a worker exiting sooner counts towards the backoff */
#define BACKOFF_FIRST_MS 100.0
#define BACKOFF_MAX_MS   30000.0
#define STOP_GRACE_MS    10000.0  /* above Database.StatementTimeout (5 s by default) */

static const char usage_text[] =
    "usage: gatehouse serve --listen 127.0.0.1:PORT|/path/to.sock [--workers N]\n"
    "  Runs N FastCGI workers (default 16) on one socket; a unix socket gets mode 0660.\n"
    "  SIGHUP replaces the workers one by one, SIGTERM stops them.\n";

typedef struct {
    pid_t  pid;           /* 0 while the slot waits for restart_at */
    double started_ms;
    double restart_at_ms;
    int    quick_exits;   /* exits in a row, each soon after the start */
} slot_t;

typedef struct {
    int         fd;             /* the listening socket */
    const char *unix_path;      /* removed at the end; NULL for TCP */
    const char *config_path;
    char        exe[PATH_MAX];
    sigset_t    handled;        /* blocked here, taken with sigtimedwait */
    sigset_t    worker_mask;    /* the mask a worker starts with */
    slot_t      slots[MAX_WORKERS];
    int         n;
    int         reload_next;    /* next slot a reload replaces; -1: no reload */
    pid_t       retiring;       /* the old worker a reload waits for, or 0 */
    double      retire_deadline_ms;
    bool        stopping;
} pool_t;

/* ------------------------------------------------------------------ the socket */

/* A socket file left by a supervisor that died is removed; one that still accepts
 * connections belongs to a running server and is left alone. */
static gh_status_t
clear_stale_socket(const char *path, gh_err_t *err)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? GH_OK
                               : gh_fail(err, GH_E_INPUT, "%s: %s", path, strerror(errno));
    if (!S_ISSOCK(st.st_mode))
        return gh_fail(err, GH_E_INPUT, "%s exists and is not a socket", path);
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    memcpy(sa.sun_path, path, strlen(path) + 1);
    int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    bool in_use = probe >= 0 && connect(probe, (struct sockaddr *)&sa, sizeof sa) == 0;
    if (probe >= 0)
        close(probe);
    if (in_use)
        return gh_fail(err, GH_E_CONFLICT, "another server is listening on %s", path);
    unlink(path);
    return GH_OK;
}

static gh_status_t
listen_unix(const char *path, int *fd, gh_err_t *err)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof sa.sun_path)
        return gh_fail(err, GH_E_INPUT, "socket path longer than %zu bytes",
                       sizeof sa.sun_path - 1);
    memcpy(sa.sun_path, path, strlen(path) + 1);
    gh_status_t st = clear_stale_socket(path, err);
    if (st != GH_OK)
        return st;
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        return gh_fail(err, GH_E_INTERNAL, "socket: %s", strerror(errno));
    /* 0660 from the start: the web server connects through its group, nobody else. */
    mode_t old = umask(0117);
    int rc = bind(s, (struct sockaddr *)&sa, sizeof sa);
    umask(old);
    if (rc != 0 || chmod(path, 0660) != 0 || listen(s, SOMAXCONN) != 0) {
        int e = errno;
        close(s);
        return gh_fail(err, GH_E_INPUT, "%s: %s", path, strerror(e));
    }
    *fd = s;
    return GH_OK;
}

static int
bind_first(const struct addrinfo *ai)
{
    for (; ai != NULL; ai = ai->ai_next) {
        int s = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (s < 0)
            continue;
        int on = 1;
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        if (bind(s, ai->ai_addr, ai->ai_addrlen) == 0 && listen(s, SOMAXCONN) == 0)
            return s;
        int e = errno;
        close(s);
        errno = e;
    }
    return -1;
}

/* HOST:PORT, HOST a name, an IPv4 address or a bracketed IPv6 one ([::1]:9000). */
static gh_status_t
listen_tcp(const char *spec, int *fd, gh_err_t *err)
{
    char host[256];
    const char *colon = strrchr(spec, ':');
    size_t hlen = colon == NULL ? 0 : (size_t)(colon - spec);
    if (colon == NULL || hlen == 0 || hlen >= sizeof host || colon[1] == '\0')
        return gh_fail(err, GH_E_INPUT, "--listen wants HOST:PORT or an absolute socket path");
    memcpy(host, spec, hlen);
    host[hlen] = '\0';
    if (host[0] == '[' && host[hlen - 1] == ']') {
        memmove(host, host + 1, hlen - 2);
        host[hlen - 2] = '\0';
    }
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
    struct addrinfo *ai = NULL;
    int rc = getaddrinfo(host, colon + 1, &hints, &ai);
    if (rc != 0)
        return gh_fail(err, GH_E_INPUT, "%s: %s", spec, gai_strerror(rc));
    int s = bind_first(ai);
    int e = errno;
    freeaddrinfo(ai);
    if (s < 0)
        return gh_fail(err, GH_E_INPUT, "%s: %s", spec, strerror(e));
    *fd = s;
    return GH_OK;
}

/* ------------------------------------------------------------------ workers */

/* In the child, between fork and exec: async-signal-safe calls only. */
static void
exec_worker(const pool_t *p, pid_t supervisor)
{
    /* If the supervisor is killed outright, its workers stop too (SIGTERM lets libfcgi
     * finish the request in hand); the check closes the race with an early death. */
    if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != supervisor)
        _exit(1);
    /* Its own process group: a Ctrl-C at the terminal reaches only the supervisor,
     * which then stops the workers gently. */
    setpgid(0, 0);
    if (p->fd == 0 ? fcntl(0, F_SETFD, 0) != 0 : dup2(p->fd, 0) != 0)
        _exit(127);
    sigprocmask(SIG_SETMASK, &p->worker_mask, NULL);
    char *const argv[] = { (char *)p->exe, NULL };
    execv(p->exe, argv);
    _exit(127);
}

static void
start_worker(pool_t *p, slot_t *s)
{
    pid_t supervisor = getpid();
    pid_t pid = fork();
    if (pid == 0)
        exec_worker(p, supervisor);
    s->started_ms = gh_clock_ms();
    if (pid < 0) {
        gh_log_error("serve: cannot start a worker: %s", strerror(errno));
        s->pid = 0;
        s->quick_exits++;
        s->restart_at_ms = s->started_ms + BACKOFF_MAX_MS;
        return;
    }
    s->pid = pid;
}

static slot_t *
slot_of(pool_t *p, pid_t pid)
{
    for (int i = 0; i < p->n; i++)
        if (p->slots[i].pid == pid)
            return &p->slots[i];
    return NULL;
}

static void
describe_exit(int status, char *buf, size_t size)
{
    if (WIFSIGNALED(status))
        snprintf(buf, size, "was killed by signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    else
        snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
}

static void
worker_exited(pool_t *p, slot_t *s, int status)
{
    double now = gh_clock_ms();
    pid_t pid = s->pid;
    s->pid = 0;
    if (p->stopping)
        return;
    s->quick_exits = now - s->started_ms < QUICK_EXIT_MS ? s->quick_exits + 1 : 0;
    double delay = 0;
    if (s->quick_exits > 0) {
        int doublings = s->quick_exits - 1 < 16 ? s->quick_exits - 1 : 16;
        delay = BACKOFF_FIRST_MS * (double)(1 << doublings);
        delay = delay < BACKOFF_MAX_MS ? delay : BACKOFF_MAX_MS;
    }
    s->restart_at_ms = now + delay;
    char how[96];
    describe_exit(status, how, sizeof how);
    gh_log_warn("serve: worker %d %s; starting another in %.1f s", (int)pid, how,
                delay / 1e3);
}

static void
reap(pool_t *p)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        if (pid == p->retiring) {
            p->retiring = 0;
            continue;
        }
        slot_t *s = slot_of(p, pid);
        if (s != NULL)
            worker_exited(p, s, status);
    }
}

static void
start_due(pool_t *p)
{
    double now = gh_clock_ms();
    for (int i = 0; i < p->n; i++)
        if (p->slots[i].pid == 0 && p->slots[i].restart_at_ms <= now)
            start_worker(p, &p->slots[i]);
}

/* ------------------------------------------------------------------ reload */

static void
begin_reload(pool_t *p)
{
    gh_config_t *cfg = NULL;
    gh_err_t err = { 0 };
    if (gh_config_load(p->config_path, NULL, &cfg, &err) != GH_OK) {
        gh_log_error("serve: SIGHUP ignored, the configuration does not load: %s",
                     err.description);
        return;
    }
    gh_config_free(cfg);
    /* A SIGHUP during a reload starts it over: the configuration may have changed again. */
    gh_log_info("serve: SIGHUP: replacing %d workers one by one", p->n);
    p->reload_next = 0;
}

/* One step at a time: the next slot's new worker starts, then its old one gets SIGTERM
 * (libfcgi lets it finish the request in hand). The next step waits for that exit. */
static void
step_reload(pool_t *p)
{
    if (p->reload_next < 0 || p->retiring != 0)
        return;
    if (p->reload_next == p->n) {
        p->reload_next = -1;
        gh_log_info("serve: all workers replaced");
        return;
    }
    slot_t *s = &p->slots[p->reload_next++];
    pid_t old = s->pid;
    if (old == 0)
        return;             /* waiting for its restart, which runs the new binary anyway */
    start_worker(p, s);
    if (s->pid == 0) {
        s->pid = old;       /* fork failed: keep the old worker */
        return;
    }
    s->quick_exits = 0;
    p->retiring = old;
    p->retire_deadline_ms = gh_clock_ms() + STOP_GRACE_MS;
    kill(old, SIGTERM);
}

/* ------------------------------------------------------------------ the loop */

static void
kill_all(pool_t *p, int sig)
{
    for (int i = 0; i < p->n; i++)
        if (p->slots[i].pid > 0)
            kill(p->slots[i].pid, sig);
    if (p->retiring > 0)
        kill(p->retiring, sig);
}

static bool
any_alive(const pool_t *p)
{
    for (int i = 0; i < p->n; i++)
        if (p->slots[i].pid > 0)
            return true;
    return p->retiring > 0;
}

/* Waits for one handled signal, at most until deadline_ms; 0 when none came. */
static int
wait_signal(const pool_t *p, double deadline_ms)
{
    double left = deadline_ms - gh_clock_ms();
    long ms = left < 0 ? 0 : left > 1000 ? 1000 : (long)left;
    struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000L };
    int sig = sigtimedwait(&p->handled, NULL, &ts);
    return sig < 0 ? 0 : sig;
}

static double
next_deadline(const pool_t *p)
{
    double next = gh_clock_ms() + 1000;
    for (int i = 0; i < p->n; i++)
        if (p->slots[i].pid == 0 && p->slots[i].restart_at_ms < next)
            next = p->slots[i].restart_at_ms;
    if (p->retiring > 0 && p->retire_deadline_ms < next)
        next = p->retire_deadline_ms;
    return next;
}

static int
stop(pool_t *p, int sig)
{
    gh_log_info("serve: %s: stopping; workers finish the requests they are serving",
                sig == SIGINT ? "SIGINT" : "SIGTERM");
    p->stopping = true;
    shutdown(p->fd, SHUT_RDWR);
    close(p->fd);
    if (p->unix_path != NULL)
        unlink(p->unix_path);
    double deadline = gh_clock_ms() + STOP_GRACE_MS;
    bool killed = false;
    while (any_alive(p)) {
        int got = wait_signal(p, deadline);
        if (got == SIGCHLD)
            reap(p);
        else if (!killed && (got == SIGTERM || got == SIGINT || gh_clock_ms() >= deadline)) {
            gh_log_warn("serve: killing the workers still running");
            kill_all(p, SIGKILL);
            killed = true;
            deadline = gh_clock_ms() + STOP_GRACE_MS;    /* SIGKILL is not refused */
        }
    }
    return 0;
}

static int
supervise(pool_t *p)
{
    for (;;) {
        start_due(p);
        step_reload(p);
        int sig = wait_signal(p, next_deadline(p));
        if (sig == SIGCHLD)
            reap(p);
        else if (sig == SIGHUP)
            begin_reload(p);
        else if (sig == SIGTERM || sig == SIGINT)
            return stop(p, sig);
        if (p->retiring > 0 && gh_clock_ms() >= p->retire_deadline_ms) {
            gh_log_warn("serve: worker %d did not leave in time; killing it",
                        (int)p->retiring);
            kill(p->retiring, SIGKILL);
            p->retire_deadline_ms += STOP_GRACE_MS;
        }
    }
}

/* ------------------------------------------------------------------ the command */

static int
parse_args(int argc, char **argv, const char **listen_on, int *workers)
{
    *listen_on = NULL;
    *workers = 16;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc) {
            *listen_on = argv[++i];
        } else if (strcmp(argv[i], "--workers") == 0 && i + 1 < argc) {
            char *end;
            long n = strtol(argv[++i], &end, 10);
            if (*end != '\0' || n < 1 || n > MAX_WORKERS) {
                fprintf(stderr, "gatehouse serve: --workers takes 1 to %d\n", MAX_WORKERS);
                return 2;
            }
            *workers = (int)n;
        } else {
            return gh_cli_usage(usage_text);
        }
    }
    return *listen_on == NULL ? gh_cli_usage(usage_text) : 0;
}

static gh_status_t
open_pool(pool_t *p, const char *listen_on, gh_err_t *err)
{
    ssize_t n = readlink("/proc/self/exe", p->exe, sizeof p->exe - 1);
    if (n < 0)
        return gh_fail(err, GH_E_INTERNAL, "cannot find the binary: %s", strerror(errno));
    p->exe[n] = '\0';
    if (listen_on[0] == '/') {
        p->unix_path = listen_on;
        return listen_unix(listen_on, &p->fd, err);
    }
    return listen_tcp(listen_on, &p->fd, err);
}

int
gh_cli_serve(gh_app_t *app, int argc, char **argv)
{
    const char *listen_on;
    pool_t pool = { .fd = -1, .reload_next = -1 };
    pool_t *p = &pool;
    int rc = parse_args(argc, argv, &listen_on, &p->n);
    if (rc != 0)
        return rc;
    gh_err_t err = { 0 };
    if (open_pool(p, listen_on, &err) != GH_OK)
        return gh_cli_fail("serve", &err);
    if (geteuid() == 0)
        gh_log_warn("serve: running as root; run it as the web server's user "
                    "(deploy/gatehouse.service)");
    /* Workers read the configuration this command opened. */
    p->config_path = app->cfg->path;
    setenv("GATEHOUSE_CONFIG", p->config_path, 1);
    static const int handled[] = { SIGCHLD, SIGHUP, SIGTERM, SIGINT };
    sigemptyset(&p->handled);
    for (size_t i = 0; i < sizeof handled / sizeof handled[0]; i++)
        sigaddset(&p->handled, handled[i]);
    sigprocmask(SIG_BLOCK, &p->handled, &p->worker_mask);
    gh_log_info("serve: %d worker%s on %s", p->n, p->n == 1 ? "" : "s", listen_on);
    return supervise(p);
}
