/*
 * http/response.h: building responses.
 *
 * Every response gets X-Content-Type-Options: nosniff and Referrer-Policy: no-referrer
 * (added by gh_http_finish). Pages add the anti-framing headers with gh_http_page_headers;
 * anything that carries a secret calls gh_http_no_store.
 */
#ifndef GH_HTTP_RESPONSE_H
#define GH_HTTP_RESPONSE_H

#include <jansson.h>

#include "http/req.h"

void gh_http_header_set(gh_req_t *req, const char *name, const char *value);
/* Adds a header even if one of that name exists (Set-Cookie). */
void gh_http_header_add(gh_req_t *req, const char *name, const char *value);

/* Set-Cookie with HttpOnly, SameSite=Lax, Path=/, and Secure when secure. max_age < 0:
 * a browser-session cookie; 0: deletes it. name and value must be cookie-safe
 * (the caller's own names, base64url values). */
void gh_http_cookie_set(gh_req_t *req, const char *name, const char *value, long max_age,
                        bool secure);

/* Cache-Control: no-store and Pragma: no-cache (RFC 6749 5.1). */
void gh_http_no_store(gh_req_t *req);

/* X-Frame-Options: DENY and Content-Security-Policy (frame-ancestors 'none'). */
void gh_http_page_headers(gh_req_t *req);

/* Steals body (jansson's _new rule), even on failure. application/json. */
void gh_http_respond_json_new(gh_req_t *req, int status, json_t *body);

/* text/html; charset=utf-8; html is copied into the arena. */
void gh_http_respond_html(gh_req_t *req, int status, const char *html, size_t len);

void gh_http_respond_text(gh_req_t *req, int status, const char *type, const char *body,
                          size_t len);

/* A response with no body (204, or a 200 that needs none: RFC 7009 2.2). */
void gh_http_respond_empty(gh_req_t *req, int status);

/* 302 or 303 to location, which the caller has validated. */
void gh_http_redirect(gh_req_t *req, int status, const char *location);

/* The JSON error document: {"error": code, "error_description": description}. */
void gh_http_respond_error(gh_req_t *req, int status, const char *code,
                           const char *description);

#endif
