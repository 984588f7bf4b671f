/*
 * http/req.c: reading a request from the CGI environment and writing its response.
 *
 * Limits come before meaning: the body's size is checked against Content-Length
 * before a byte is read, and nothing is decoded twice.
 */
#include "http/req.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/log.h"
#include "base/rand.h"
#include "http/response.h"

static const struct {
    const char *name;
    gh_method_t method;
} methods[] = {
    { "GET", GH_GET }, { "POST", GH_POST }, { "PUT", GH_PUT }, { "DELETE", GH_DELETE },
    { "OPTIONS", GH_OPTIONS }, { "HEAD", GH_HEAD },
};

const char *
gh_http_methods_text(gh_arena_t *a, unsigned set)
{
    const char *text = "";
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (set & methods[i].method)
            text = gh_arena_printf(a, "%s%s%s", text, *text != '\0' ? ", " : "",
                                   methods[i].name);
    return text;
}

const char *
gh_http_env(const gh_req_t *req, const char *name)
{
    size_t n = strlen(name);
    for (char **e = req->io->envp; e != NULL && *e != NULL; e++)
        if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
            return *e + n + 1;
    return NULL;
}

static const char *
media_type(gh_arena_t *a, const char *ct)
{
    if (ct == NULL)
        return NULL;
    size_t n = strcspn(ct, ";");
    while (n > 0 && isspace((unsigned char)ct[n - 1]))
        n--;
    char *t = gh_arena_strndup(a, ct, n);
    for (char *p = t; *p != '\0'; p++)
        *p = (char)tolower((unsigned char)*p);
    return t;
}

static const char *
external_scheme(const gh_req_t *req)
{
    const char *https = gh_http_env(req, "HTTPS");
    if (https != NULL && (strcasecmp(https, "on") == 0 || strcmp(https, "1") == 0))
        return "https";
    if (req->limits.trust_forwarded_proto) {
        const char *xfp = gh_http_env(req, "HTTP_X_FORWARDED_PROTO");
        if (xfp != NULL && strcasecmp(xfp, "https") == 0)
            return "https";
    }
    return "http";
}

static void
make_request_id(gh_req_t *req)
{
    unsigned char raw[8];
    if (gh_rand_bytes(raw, sizeof raw, NULL) != GH_OK)
        memset(raw, 0, sizeof raw);
    char *hex = gh_hex_encode(req->arena, raw, sizeof raw);
    memcpy(req->request_id, hex, sizeof req->request_id - 1);
}

void
gh_http_begin(gh_req_t *req, gh_arena_t *a, const gh_http_io_t *io,
              const gh_http_limits_t *limits)
{
    memset(req, 0, sizeof *req);
    req->arena = a;
    req->io = io;
    req->limits = *limits;
    clock_gettime(CLOCK_MONOTONIC, &req->started);
    req->method_name = gh_http_env(req, "REQUEST_METHOD");
    if (req->method_name == NULL)
        req->method_name = "GET";
    req->method = GH_OTHER;
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (strcmp(req->method_name, methods[i].name) == 0)
            req->method = methods[i].method;
    const char *path = gh_http_env(req, "PATH_INFO");
    req->path = path != NULL && *path != '\0' ? path : "/";
    req->content_type = media_type(a, gh_http_env(req, "CONTENT_TYPE"));
    req->scheme = external_scheme(req);
    req->host = gh_http_env(req, "HTTP_HOST");
    req->remote_addr = gh_http_env(req, "REMOTE_ADDR");
    req->status = 200;
    make_request_id(req);
}

/* Reads up to limit bytes, to the end of the stream or of want (when known).
 * Returns the count, or -1 on a read error. */
static long
read_upto(gh_req_t *req, char *buf, size_t limit)
{
    size_t got = 0;
    while (got < limit) {
        int n = req->io->read(req->io->ctx, buf + got, (int)(limit - got));
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (long)got;
}

/* No Content-Length: a chunked body, which mod_cgid streams to EOF. Read in chunks
 * that double (most such bodies are small), at most one byte past the limit to know
 * whether it was exceeded. */
static gh_status_t
read_to_eof(gh_req_t *req, gh_err_t *err)
{
    size_t limit = req->limits.max_body, cap = 4096, len = 0;
    char *buf = gh_arena_alloc(req->arena, cap + 1);
    for (;;) {
        long got = read_upto(req, buf + len, cap - len);
        if (got < 0)
            return gh_fail(err, GH_E_INPUT, "cannot read the request body");
        len += (size_t)got;
        if (len > limit)
            return gh_fail(err, GH_E_TOO_LARGE, "request body larger than %zu bytes", limit);
        if (len < cap)
            break;
        size_t next = cap * 2 > limit + 1 ? limit + 1 : cap * 2;
        char *bigger = gh_arena_alloc(req->arena, next + 1);
        memcpy(bigger, buf, len);
        buf = bigger;
        cap = next;
    }
    req->body = buf;
    req->body_len = len;
    return GH_OK;
}

static gh_status_t
read_raw_body(gh_req_t *req, gh_err_t *err)
{
    const char *cl = gh_http_env(req, "CONTENT_LENGTH");
    if (cl == NULL || *cl == '\0')
        return req->method == GH_POST || req->method == GH_PUT ? read_to_eof(req, err) : GH_OK;
    char *end = NULL;
    unsigned long long len = strtoull(cl, &end, 10);
    /* 1*DIGIT (RFC 9110 8.6): strtoull alone would also take spaces and a sign. */
    if (!isdigit((unsigned char)cl[0]) || *end != '\0')
        return gh_fail(err, GH_E_INPUT, "malformed Content-Length");
    if (len > req->limits.max_body)
        return gh_fail(err, GH_E_TOO_LARGE, "request body larger than %zu bytes",
                       req->limits.max_body);
    if (len == 0)
        return GH_OK;
    char *buf = gh_arena_alloc(req->arena, (size_t)len + 1);
    if (read_upto(req, buf, (size_t)len) != (long)len)
        return gh_fail(err, GH_E_INPUT, "request body shorter than Content-Length");
    req->body = buf;
    req->body_len = (size_t)len;
    return GH_OK;
}

static gh_status_t
parse_json_body(gh_req_t *req, gh_err_t *err)
{
    json_error_t jerr;
    json_t *j = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (j == NULL)
        return gh_err_set(err, GH_E_INPUT, "invalid_request", __FILE__, __LINE__,
                          "malformed JSON body");
    gh_arena_defer(req->arena, (void (*)(void *))json_decref, j);
    if (!json_is_object(j))
        return gh_err_set(err, GH_E_INPUT, "invalid_request", __FILE__, __LINE__,
                          "JSON body must be an object");
    req->json = j;
    return GH_OK;
}

static gh_status_t
parse_body(gh_req_t *req, gh_err_t *err)
{
    if (req->body_len == 0 || req->content_type == NULL)
        return GH_OK;
    if (strcmp(req->content_type, "application/x-www-form-urlencoded") == 0)
        return gh_http_parse_urlencoded(req->arena, req->body, req->body_len, &req->form, err);
    if (strcmp(req->content_type, "application/json") == 0)
        return parse_json_body(req, err);
    return GH_OK;
}

static gh_status_t
parse_authorization(gh_req_t *req, gh_err_t *err)
{
    const char *h = gh_http_env(req, "HTTP_AUTHORIZATION");
    if (h == NULL)
        return GH_OK;
    gh_status_t st = gh_http_parse_basic(req->arena, h, &req->basic_user, &req->basic_pass, err);
    if (st == GH_OK) {
        req->has_basic = true;
        return GH_OK;
    }
    if (st != GH_E_NOTFOUND)
        return gh_err_set(err, GH_E_INPUT, "invalid_request", __FILE__, __LINE__,
                          "malformed Basic credentials");
    st = gh_http_parse_bearer(h, &req->bearer, err);
    if (st == GH_E_INPUT)
        return gh_err_set(err, GH_E_INPUT, "invalid_request", __FILE__, __LINE__,
                          "malformed Bearer token");
    return GH_OK;   /* another scheme: endpoints decide what that means */
}

/* RFC 6749 3.1 and 3.2: parameters "MUST NOT be included more than once". No
 * endpoint takes a repeated parameter, so a repeat is refused for all of them, and the
 * count is bounded first so the check stays cheap. */
static gh_status_t
refuse_repeats(const gh_params_t *ps, gh_err_t *err)
{
    if (ps->n > GH_HTTP_MAX_PARAMS)
        return gh_err_set(err, GH_E_INPUT, "invalid_request", __FILE__, __LINE__,
                          "too many parameters");
    for (size_t i = 1; i < ps->n; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(ps->items[i].name, ps->items[j].name) == 0)
                return gh_err_set(err, GH_E_INPUT, "invalid_request", __FILE__, __LINE__,
                                  "a parameter is repeated");
    return GH_OK;
}

gh_status_t
gh_http_read_body(gh_req_t *req, gh_err_t *err)
{
    const char *qs = gh_http_env(req, "QUERY_STRING");
    gh_status_t st = gh_http_parse_urlencoded(req->arena, qs ? qs : "", qs ? strlen(qs) : 0,
                                              &req->query, err);
    if (st != GH_OK) {
        /* Copied first: err->description cannot be both source and destination. */
        char why[sizeof err->description];
        memcpy(why, err->description, sizeof why);
        return gh_err_set(err, st, "invalid_request", __FILE__, __LINE__,
                          "malformed query string: %s", why);
    }
    const char *cookie = gh_http_env(req, "HTTP_COOKIE");
    if (cookie != NULL)
        gh_http_parse_cookies(req->arena, cookie, &req->cookies);
    st = refuse_repeats(&req->query, err);
    if (st == GH_OK)
        st = parse_authorization(req, err);
    if (st == GH_OK)
        st = read_raw_body(req, err);
    if (st == GH_OK)
        st = parse_body(req, err);
    if (st == GH_OK)
        st = refuse_repeats(&req->form, err);
    if (st != GH_OK && err->oauth_error == NULL)
        err->oauth_error = "invalid_request";
    return st;
}

static gh_status_t
json_arg(const gh_req_t *req, const char *name, const char **out, gh_err_t *err)
{
    json_t *v = json_object_get(req->json, name);
    if (v == NULL || json_is_null(v)) {
        *out = NULL;
        return GH_OK;
    }
    if (!json_is_string(v))
        return gh_err_set(err, GH_E_INPUT, "invalid_request", __FILE__, __LINE__,
                          "parameter %.40s must be a string", name);
    /* No NUL inside: json_loadb refuses \u0000 without JSON_ALLOW_NUL. */
    const char *s = json_string_value(v);
    *out = *s != '\0' ? s : NULL;
    return GH_OK;
}

gh_status_t
gh_http_arg(const gh_req_t *req, const char *name, const char **out, gh_err_t *err)
{
    if (req->method != GH_POST)
        return gh_params_get(&req->query, name, out, err);
    if (req->json != NULL)
        return json_arg(req, name, out, err);
    return gh_params_get(&req->form, name, out, err);
}

const char *
gh_http_cookie(const gh_req_t *req, const char *name)
{
    for (size_t i = 0; i < req->cookies.n; i++)
        if (strcmp(req->cookies.items[i].name, name) == 0)
            return req->cookies.items[i].value;
    return NULL;
}
