/*
 * jose/ossl.h: reporting a failed OpenSSL call.
 *
 * OpenSSL keeps the reasons for a failure on a per-thread error queue. A failure in
 * jose/ logs them (they name algorithms and ASN.1 structures, never key material),
 * empties the queue so a later call cannot report a stale reason, and becomes
 * GH_E_INTERNAL with the name of what failed. A signature that does not verify is not
 * an OpenSSL failure: verifiers call gh_jose_ossl_clear and refuse the input.
 */
#ifndef GH_JOSE_OSSL_H
#define GH_JOSE_OSSL_H

#include "base/err.h"

#define gh_jose_ossl_fail(err, what) gh_jose_ossl_fail_at((err), __FILE__, __LINE__, (what))

/* Logs and clears the error queue; fills err with GH_E_INTERNAL "<what> failed". */
gh_status_t gh_jose_ossl_fail_at(gh_err_t *err, const char *file, int line, const char *what);

/* Empties the error queue without logging (expected failures: bad input). */
void gh_jose_ossl_clear(void);

#endif
