/*
 * http/response.c: filling and writing the response.
 *
 * The response is built in the arena and written at once by gh_http_finish, with
 * the headers every response carries, then one log line (never a parameter, header
 * or cookie value: those may hold secrets).
 */
#include "http/response.h"

#include <stdio.h>
#include <string.h>

#include "base/log.h"

static const struct {
    int         code;
    const char *reason;
} reasons[] = {
    { 200, "OK" }, { 201, "Created" }, { 204, "No Content" }, { 302, "Found" },
    { 303, "See Other" }, { 304, "Not Modified" }, { 400, "Bad Request" },
    { 401, "Unauthorized" }, { 403, "Forbidden" }, { 404, "Not Found" },
    { 405, "Method Not Allowed" }, { 409, "Conflict" }, { 413, "Content Too Large" },
    { 429, "Too Many Requests" }, { 500, "Internal Server Error" },
    { 503, "Service Unavailable" },
};

static const char *
reason_of(int code)
{
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
        if (reasons[i].code == code)
            return reasons[i].reason;
    return "Unknown";
}

/* A CR or LF in a value would end the header early and let the rest write headers or
 * a body of its own (response splitting): control characters become spaces. */
static char *
header_value(gh_arena_t *a, const char *value)
{
    char *v = gh_arena_strdup(a, value);
    for (char *p = v; *p != '\0'; p++)
        if ((unsigned char)*p < 0x20 && *p != '\t')
            *p = ' ';
    return v;
}

void
gh_http_header_set(gh_req_t *req, const char *name, const char *value)
{
    for (size_t i = 0; i < req->headers.n; i++) {
        if (strcasecmp(req->headers.items[i].name, name) == 0) {
            req->headers.items[i].value = header_value(req->arena, value);
            return;
        }
    }
    gh_params_add(req->arena, &req->headers, gh_arena_strdup(req->arena, name),
                  header_value(req->arena, value));
}

void
gh_http_header_add(gh_req_t *req, const char *name, const char *value)
{
    gh_params_add(req->arena, &req->headers, gh_arena_strdup(req->arena, name),
                  gh_arena_strdup(req->arena, value));
}

void
gh_http_cookie_set(gh_req_t *req, const char *name, const char *value, long max_age,
                   bool secure)
{
    char age[48] = "";
    if (max_age >= 0)
        snprintf(age, sizeof age, "; Max-Age=%ld", max_age);
    char *c = gh_arena_printf(req->arena, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s", name,
                              max_age == 0 ? "" : value, secure ? "; Secure" : "", age);
    gh_http_header_add(req, "Set-Cookie", c);
}

void
gh_http_no_store(gh_req_t *req)
{
    gh_http_header_set(req, "Cache-Control", "no-store");
    gh_http_header_set(req, "Pragma", "no-cache");
}

void
gh_http_page_headers(gh_req_t *req)
{
    gh_http_header_set(req, "X-Frame-Options", "DENY");
    gh_http_header_set(req, "Content-Security-Policy",
                       "default-src 'self'; img-src 'self' https: data:; "
                       "frame-ancestors 'none'; form-action 'self' https: http:; "
                       "base-uri 'none'");
}

void
gh_http_respond_text(gh_req_t *req, int status, const char *type, const char *body,
                     size_t len)
{
    req->status = status;
    gh_http_header_set(req, "Content-Type", type);
    req->resp_body = gh_arena_strndup(req->arena, body, len);
    req->resp_len = len;
    req->responded = true;
}

void
gh_http_respond_json_new(gh_req_t *req, int status, json_t *body)
{
    char *text = body != NULL ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (text == NULL) {
        static const char oom[] = "{\"error\":\"server_error\"}";
        gh_http_respond_text(req, 500, "application/json", oom, sizeof oom - 1);
        return;
    }
    gh_http_respond_text(req, status, "application/json", text, strlen(text));
    free(text);
}

void
gh_http_respond_html(gh_req_t *req, int status, const char *html, size_t len)
{
    gh_http_page_headers(req);
    gh_http_respond_text(req, status, "text/html; charset=utf-8", html, len);
}

void
gh_http_respond_empty(gh_req_t *req, int status)
{
    req->status = status;
    req->resp_body = "";
    req->resp_len = 0;
    req->responded = true;
}

void
gh_http_redirect(gh_req_t *req, int status, const char *location)
{
    gh_http_header_set(req, "Location", location);
    gh_http_respond_empty(req, status);
}

void
gh_http_respond_error(gh_req_t *req, int status, const char *code, const char *description)
{
    json_t *body = json_object();
    json_object_set_new(body, "error", json_string(code));
    if (description != NULL && *description != '\0')
        json_object_set_new(body, "error_description", json_string(description));
    gh_http_respond_json_new(req, status, body);
}

static int
put(gh_req_t *req, const char *s, size_t n)
{
    return req->io->write(req->io->ctx, s, (int)n) < 0 ? -1 : 0;
}

static int
write_head(gh_req_t *req)
{
    char *head = gh_arena_printf(req->arena, "Status: %d %s\r\n", req->status,
                                 reason_of(req->status));
    int rc = put(req, head, strlen(head));
    for (size_t i = 0; i < req->headers.n && rc == 0; i++) {
        char *line = gh_arena_printf(req->arena, "%s: %s\r\n", req->headers.items[i].name,
                                     req->headers.items[i].value);
        rc = put(req, line, strlen(line));
    }
    char *len = gh_arena_printf(req->arena, "Content-Length: %zu\r\n\r\n", req->resp_len);
    return rc == 0 ? put(req, len, strlen(len)) : rc;
}

static void
log_request(const gh_req_t *req)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double ms = (double)(now.tv_sec - req->started.tv_sec) * 1e3 +
                (double)(now.tv_nsec - req->started.tv_nsec) / 1e6;
    const char *auth = req->has_basic ? "basic" : req->bearer != NULL ? "bearer" : "none";
    gh_log_info("%.10s %.100s %d %.1fms client=%.80s auth=%s rid=%s", req->method_name,
                req->path, req->status, ms, req->client_id ? req->client_id : "-", auth,
                req->request_id);
}

int
gh_http_finish(gh_req_t *req)
{
    if (!req->responded)
        gh_http_respond_error(req, 500, "server_error", "no response");
    gh_http_header_set(req, "X-Content-Type-Options", "nosniff");
    gh_http_header_set(req, "Referrer-Policy", "no-referrer");
    if (strcmp(req->scheme, "https") == 0)
        gh_http_header_set(req, "Strict-Transport-Security", "max-age=31536000");
    int rc = write_head(req);
    if (rc == 0 && req->method != GH_HEAD && req->resp_len > 0)
        rc = put(req, req->resp_body, req->resp_len);
    log_request(req);
    return rc;
}
