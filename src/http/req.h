/*
 * http/req.h: one request and its response, over FastCGI or CGI.
 *
 * The transport is a gh_http_io_t (main.c makes one for FCGX, or for stdin/stdout in
 * CGI mode; tests make their own). gh_http_begin reads the CGI environment; gh_http_read_body
 * parses the query, cookies, credentials and body; the handler fills the response with
 * http/response.h; gh_http_finish writes it and logs one line.
 */
#ifndef GH_HTTP_REQ_H
#define GH_HTTP_REQ_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "base/arena.h"
#include "base/err.h"
#include "http/parse.h"

/* More parameters than this in a query or form body is a 400. */
#define GH_HTTP_MAX_PARAMS 128

typedef enum {
    GH_GET     = 1 << 0,
    GH_POST    = 1 << 1,
    GH_PUT     = 1 << 2,
    GH_DELETE  = 1 << 3,
    GH_OPTIONS = 1 << 4,
    GH_HEAD    = 1 << 5,
    GH_OTHER   = 1 << 6,
} gh_method_t;

typedef struct {
    void  *ctx;
    /* Reads up to n bytes; returns the count, 0 at the end, < 0 on error. */
    int  (*read)(void *ctx, char *buf, int n);
    /* Writes n bytes; returns n, or < 0 on error. */
    int  (*write)(void *ctx, const char *buf, int n);
    char **envp;
} gh_http_io_t;

/* Settings http/ needs from the configuration, copied in by the caller so http/ does
 * not depend on config.h's other contents. */
typedef struct {
    size_t max_body;
    bool   trust_forwarded_proto;
} gh_http_limits_t;

typedef struct {
    gh_arena_t       *arena;
    const gh_http_io_t *io;
    gh_http_limits_t  limits;

    gh_method_t  method;
    const char  *method_name;
    const char  *path;          /* PATH_INFO, "/" when empty */
    const char  *content_type;  /* lowercased media type without parameters, or NULL */
    const char  *scheme;        /* "https" or "http", as the client sees it */
    const char  *host;          /* Host header: informational, never trusted (RFC 9700 4.13) */
    const char  *remote_addr;
    char         request_id[17];
    struct timespec started;

    gh_params_t  query;
    gh_params_t  form;          /* application/x-www-form-urlencoded body */
    json_t      *json;          /* application/json body (object), freed at reset */
    const char  *body;
    size_t       body_len;
    gh_params_t  cookies;
    bool         has_basic;
    const char  *basic_user;    /* decoded per RFC 6749 2.3.1 */
    const char  *basic_pass;
    const char  *bearer;        /* Authorization: Bearer value, or NULL */
    const char  *client_id;     /* set by endpoints for the log line */

    /* response */
    int          status;
    gh_params_t  headers;
    const char  *resp_body;
    size_t       resp_len;
    bool         responded;
} gh_req_t;

/* Reads the CGI environment (method, path, scheme, headers). */
void gh_http_begin(gh_req_t *req, gh_arena_t *a, const gh_http_io_t *io,
                   const gh_http_limits_t *limits);

/* A CGI variable ("HTTP_ORIGIN", "CONTENT_TYPE"...), or NULL. */
const char *gh_http_env(const gh_req_t *req, const char *name);

/* Parses query string, cookies, Authorization and the body (form or JSON, by
 * Content-Type). GH_E_TOO_LARGE over limits.max_body; GH_E_INPUT (invalid_request)
 * for malformed encodings, a repeated parameter or JSON member, more than
 * GH_HTTP_MAX_PARAMS parameters, a JSON body that is not an object. */
gh_status_t gh_http_read_body(gh_req_t *req, gh_err_t *err);

/* A request parameter: query for GET, form body for POST (and the JSON body's string
 * members when the body is JSON). Same rules as gh_params_get. */
gh_status_t gh_http_arg(const gh_req_t *req, const char *name, const char **out,
                        gh_err_t *err);

const char *gh_http_cookie(const gh_req_t *req, const char *name);

/* The names of the gh_method_t bits in set ("GET, POST, HEAD"), for Allow headers. */
const char *gh_http_methods_text(gh_arena_t *a, unsigned set);

/* Writes the response and logs the request line. Returns < 0 if the client went away. */
int gh_http_finish(gh_req_t *req);

#endif
