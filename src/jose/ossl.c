/*
 * jose/ossl.c: turning OpenSSL's error queue into a log line and a gh_err_t.
 */
#include "jose/ossl.h"

#include <openssl/err.h>

#include "base/log.h"

gh_status_t
gh_jose_ossl_fail_at(gh_err_t *err, const char *file, int line, const char *what)
{
    unsigned long code;
    while ((code = ERR_get_error()) != 0) {
        char reason[256];
        ERR_error_string_n(code, reason, sizeof reason);
        gh_log_error("%s:%d: %s: %s", file, line, what, reason);
    }
    return gh_err_set(err, GH_E_INTERNAL, NULL, file, line, "%s failed", what);
}

void
gh_jose_ossl_clear(void)
{
    ERR_clear_error();
}
