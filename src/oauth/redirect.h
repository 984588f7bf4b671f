/*
 * oauth/redirect.h: redirect URI rules, for registration and for /authorize.
 */
#ifndef GH_OAUTH_REDIRECT_H
#define GH_OAUTH_REDIRECT_H

#include <stdbool.h>

/* Registration rule (RFC 6749 3.1.2, RFC 8252 7, RFC 9700 2.6), the same as SQL's
 * gatehouse.redirect_uri_valid: absolute; no fragment, spaces or control characters;
 * https, or http on a loopback host (127.0.0.1, [::1], localhost), or a private-use
 * scheme in reverse-domain form ("com.example.app:/cb"); no userinfo; at most 2000
 * characters. */
bool gh_oauth_redirect_uri_is_valid(const char *uri);

/* Request-time rule (RFC 9700 2.1, R01/R02): byte-for-byte equal, with one exception:
 * a registered http://127.0.0.1 or http://[::1] URI matches the same URI with any port
 * (RFC 8252 7.3), since native apps get an ephemeral port. "localhost" gets no such
 * exception (RFC 8252 8.3 does not recommend it): it must match exactly. */
bool gh_oauth_redirect_uri_matches(const char *registered, const char *requested);

#endif
