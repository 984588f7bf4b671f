/*
 * tests/fuzz/fuzz_jws.c: a compact JWS presented to Gatehouse (an id_token_hint, a JWT
 * access token), parsed and verified as oauth/keys.c does it: gh_jose_jws_header for
 * the kid, then gh_jose_jws_verify with the published key.
 *
 * The published set is fixed: an RSA-2048, a P-256 and an Ed25519 public key, made
 * into keys once, before the first input, with gh_jose_jwk_to_pkey. Their private
 * halves signed the seeds in tests/fuzz/corpus/fuzz_jws/ (one valid token per alg, and
 * alg none, HS256 keyed with the RSA public key, an RS256 header over an ES256
 * signature, crit, a DER signature, another key's signature, a truncated token) and were
 * then thrown away. Every input is verified with every key, not only the one its kid
 * names, so each alg/key mismatch is tried on every shape. A token that verifies must
 * name the key's alg and kid, and no other key may verify it.
 *
 * An input that is a JSON object is also signed, as a payload, with a P-256 or an
 * Ed25519 key made at start (its "kid" member, when a string, as the kid): the token
 * must verify with that key and give back the payload and kid, and no published key may
 * verify it.
 */
#include "fuzz.h"

#include <openssl/ec.h>
#include <openssl/evp.h>

#include "jose/jwk.h"
#include "jose/jws.h"

/* The RFC 7638 thumbprints are the seeds' kids, computed by another implementation
 * (Python); init checks that gh_jose_jwk_thumbprint agrees. */
static const struct {
    const char *kty, *crv, *n, *x, *y, *kid;
} published[] = {
    { .kty = "RSA",
      .n = "oAVjQsuiVTyImIHCeROh0VGkeOm4uKPGRHjW9J7CQldFkD1TudQrdurBDRCq3r394p8-Q6uosxmLnL"
           "D8-A9lSyYlGHFnGF5gvr5fQUg_9XPMLO0FQU9rzZpYnTX8Zy16b9Hygw-mTqkJii-VW6gQLNK5SixFs"
           "Z15-0G9yYxS8RH-G7SOYEszwowpt6vktizdVAC3glufsN8dOkp_vFqPysh6_lRDbYD9d05CMu7WFE5"
           "t5CgbvXherfSBipkcNeD0zJx6kAHkZDoK7mvWRJZIvh_-Y_KcJfDFCvkIcNKhw85IB54W86oFp7kRr"
           "R_QY4BW2ZDMrSTTkg7Go91bUoGOmQ",
      .kid = "SDkXe8fPDT1A408tbXQYPPqnWu_RAPrXpletrNw1QfE" },
    { .kty = "EC", .crv = "P-256",
      .x = "ZOj0TiM0Dg5dy_u4tABHa0VkAWW176H5xwq91XEvQ2s",
      .y = "me9yOdfUYnQ41JexW8mAVLEdBYJ40dOVyPQA3QDV8zA",
      .kid = "__a21OA8QhokNHzRMV6LVNkOJdAlV_EpY1AkLRK1vBc" },
    { .kty = "OKP", .crv = "Ed25519",
      .x = "388EC5_9QUWHbqXyCNhj_u20wbmnhQIl6fGMKuYMpZU",
      .kid = "mtX78aNCUFyUZr3bTSDmscypfsICr1MbN28LnBlNEvY" },
};

#define NKEYS (sizeof published / sizeof published[0])

static EVP_PKEY *keys[NKEYS];
static EVP_PKEY *signers[2];    /* P-256 and Ed25519, made at start */

static EVP_PKEY *
published_key(gh_arena_t *a, size_t i)
{
    json_t *jwk = json_pack("{s:s, s:s*, s:s*, s:s*, s:s*}", "kty", published[i].kty,
                            "crv", published[i].crv, "n", published[i].n,
                            "x", published[i].x, "y", published[i].y);
    if (published[i].n != NULL)
        json_object_set_new(jwk, "e", json_string("AQAB"));
    char *kid = NULL;
    EVP_PKEY *key = NULL;
    gh_err_t err = { 0 };
    fuzz_require(gh_jose_jwk_thumbprint(a, jwk, &kid, &err) == GH_OK);
    fuzz_require(strcmp(kid, published[i].kid) == 0);
    fuzz_require(gh_jose_jwk_to_pkey(a, jwk, &key, &err) == GH_OK);
    json_decref(jwk);
    return key;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    for (size_t i = 0; i < NKEYS; i++)
        keys[i] = published_key(fuzz_arena(), i);
    signers[0] = EVP_EC_gen("P-256");
    signers[1] = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    fuzz_require(signers[0] != NULL && signers[1] != NULL);
    gh_arena_reset(fuzz_arena());
    return 0;
}

static const char *
member(const json_t *object, const char *name)
{
    return json_string_value(json_object_get(object, name));
}

/* jws with every published key: at most one verifies it, the one its header names. */
static void
verify_published(gh_arena_t *a, const char *jws, const json_t *header)
{
    size_t verified = 0;
    for (size_t i = 0; i < NKEYS; i++) {
        json_t *h = NULL;
        unsigned char *payload = NULL;
        size_t len = 0;
        gh_err_t err = { 0 };
        gh_status_t st = gh_jose_jws_verify(a, jws, keys[i], &h, &payload, &len, &err);
        fuzz_require(st == GH_OK || st == GH_E_INPUT);
        if (st != GH_OK)
            continue;
        verified++;
        fuzz_require(header != NULL && json_equal(h, header));
        fuzz_require(strcmp(member(h, "alg"), gh_jose_jws_alg_for_key(keys[i])) == 0);
        fuzz_require(member(h, "kid") != NULL && strcmp(member(h, "kid"), published[i].kid) == 0);
        fuzz_require(json_object_get(h, "crit") == NULL);
        fuzz_require(payload[len] == '\0');
        json_decref(h);
    }
    fuzz_require(verified <= 1);
}

/* object as the payload of a token signed with a key of our own. */
static void
sign_round_trip(gh_arena_t *a, const json_t *object, EVP_PKEY *signer)
{
    const char *kid = member(object, "kid");
    char *jws = NULL;
    gh_err_t err = { 0 };
    fuzz_require(gh_jose_jws_sign(a, signer, kid, "JWT", object, &jws, &err) == GH_OK);
    if (strlen(jws) > GH_JOSE_JWS_MAX)
        return;
    json_t *h = NULL;
    unsigned char *payload = NULL;
    size_t len = 0;
    fuzz_require(gh_jose_jws_verify(a, jws, signer, &h, &payload, &len, &err) == GH_OK);
    char *text = json_dumps(object, JSON_COMPACT);
    fuzz_require(text != NULL && strlen(text) == len && memcmp(text, payload, len) == 0);
    free(text);
    fuzz_require(kid == NULL ? json_object_get(h, "kid") == NULL
                             : strcmp(member(h, "kid"), kid) == 0);
    fuzz_require(strcmp(member(h, "alg"), gh_jose_jws_alg_for_key(signer)) == 0);
    json_decref(h);
    verify_published(a, jws, NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gh_arena_t *a = fuzz_arena();
    const char *jws = fuzz_cstr(data, size);
    json_t *header = NULL;
    gh_err_t err = { 0 };
    gh_status_t st = gh_jose_jws_header(a, jws, &header, &err);
    fuzz_require(st == GH_OK || st == GH_E_INPUT);
    fuzz_require(st != GH_OK || json_is_object(header));
    verify_published(a, jws, header);
    json_decref(header);

    json_t *object = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (json_is_object(object))
        sign_round_trip(a, object, signers[size % 2]);
    json_decref(object);
    gh_arena_reset(a);
    return 0;
}
