/*
 * tests/fuzz/fuzz_jwk.c: JWKs (gh_jose_jwk_to_pkey, gh_jose_jwk_thumbprint,
 * gh_jose_jwk_public_copy).
 *
 * The input is JSON text. A JWK that becomes a key is one jws.h can verify with, and
 * survives a round trip: exported again with gh_jose_jwk_from_pkey it imports as the
 * same key, with the same thumbprint when its members were already minimal (always,
 * for EC and OKP). The public copy of any JWK holds no private member.
 */
#include "fuzz.h"

#include <openssl/evp.h>
#include <stdbool.h>

#include "jose/jwk.h"
#include "jose/jws.h"

static const char *const public_members[] = { "kty", "kid", "use", "alg", "crv", "n", "e", "x",
                                              "y" };

static bool
is_public_member(const char *name)
{
    for (size_t i = 0; i < sizeof public_members / sizeof public_members[0]; i++)
        if (strcmp(name, public_members[i]) == 0)
            return true;
    return false;
}

/* jwk has the key members that exported has (its type's), with the same values. */
static bool
same_members(const json_t *jwk, const json_t *exported)
{
    static const char *const names[] = { "n", "e", "x", "y" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const json_t *v = json_object_get(exported, names[i]);
        if (v != NULL && !json_equal(v, json_object_get(jwk, names[i])))
            return false;
    }
    return true;
}

static void
round_trip(gh_arena_t *a, const json_t *jwk, EVP_PKEY *key)
{
    const char *alg = gh_jose_jws_alg_for_key(key);
    fuzz_require(alg != NULL);
    json_t *again = NULL;
    EVP_PKEY *key2 = NULL;
    gh_err_t err = { 0 };
    fuzz_require(gh_jose_jwk_from_pkey(a, key, NULL, &again, &err) == GH_OK);
    fuzz_require(strcmp(json_string_value(json_object_get(again, "alg")), alg) == 0);
    fuzz_require(gh_jose_jwk_to_pkey(a, again, &key2, &err) == GH_OK);
    fuzz_require(EVP_PKEY_eq(key, key2) == 1);
    char *t1 = NULL, *t2 = NULL;
    fuzz_require(gh_jose_jwk_thumbprint(a, jwk, &t1, &err) == GH_OK);
    fuzz_require(gh_jose_jwk_thumbprint(a, again, &t2, &err) == GH_OK);
    bool is_rsa = strcmp(alg, "RS256") == 0;
    fuzz_require(is_rsa || same_members(jwk, again));
    fuzz_require(!same_members(jwk, again) || strcmp(t1, t2) == 0);
    fuzz_require(strcmp(t2, json_string_value(json_object_get(again, "kid"))) == 0);
    EVP_PKEY_free(key2);
    json_decref(again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gh_arena_t *a = fuzz_arena();
    json_t *jwk = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (jwk == NULL)
        return 0;
    EVP_PKEY *key = NULL;
    gh_err_t err = { 0 };
    gh_status_t st = gh_jose_jwk_to_pkey(a, jwk, &key, &err);
    fuzz_require(st == GH_OK || st == GH_E_INPUT);
    if (st == GH_OK) {
        round_trip(a, jwk, key);
        EVP_PKEY_free(key);
    }
    char *thumbprint = NULL;
    st = gh_jose_jwk_thumbprint(a, jwk, &thumbprint, &err);
    fuzz_require(st == GH_OK || st == GH_E_INPUT);
    fuzz_require(st != GH_OK || strlen(thumbprint) == 43);
    json_t *copy = json_is_object(jwk) ? gh_jose_jwk_public_copy(jwk) : NULL;
    const char *name;
    json_t *value;
    json_object_foreach(copy, name, value)
        fuzz_require(is_public_member(name));
    json_decref(copy);
    json_decref(jwk);
    gh_arena_reset(a);
    return 0;
}
