/*
 * oauth/client_json.c: converting clients to and from JSON documents.
 *
 * One table names every member, its kind and its field, and both directions loop over
 * it, so a member cannot be written under one name and read under another. Whether the
 * values make a valid client is gh_oauth_client_validate's question, not this file's.
 */
#include "oauth/client_json.h"

#include <stddef.h>
#include <string.h>

#include "oauth/error.h"

/* M_SECONDS: a lifetime, a long; 0 (the configured default) is left out. */
typedef enum { M_STRING, M_URI, M_LIST, M_SCOPE, M_BOOL, M_SECONDS } member_kind_t;

typedef struct {
    const char   *name;
    member_kind_t kind;
    size_t        offset;    /* of the field in gh_client_t */
    bool          readonly;  /* written to JSON, never read from it */
} member_t;

#define AT(field) offsetof(gh_client_t, field)

static const member_t members[] = {
    { .name = "client_id", .kind = M_STRING, .offset = AT(client_id), .readonly = true },
    { .name = "client_name", .kind = M_STRING, .offset = AT(name) },
    { .name = "client_type", .kind = M_STRING, .offset = AT(client_type), .readonly = true },
    { .name = "token_endpoint_auth_method", .kind = M_STRING, .offset = AT(auth_method) },
    { .name = "redirect_uris", .kind = M_LIST, .offset = AT(redirect_uris) },
    { .name = "post_logout_redirect_uris", .kind = M_LIST,
      .offset = AT(post_logout_redirect_uris) },
    { .name = "grant_types", .kind = M_LIST, .offset = AT(grant_types) },
    { .name = "scope", .kind = M_SCOPE, .offset = AT(scopes) },
    { .name = "require_pkce", .kind = M_BOOL, .offset = AT(require_pkce) },
    { .name = "trusted", .kind = M_BOOL, .offset = AT(skip_consent) },
    { .name = "resource_server", .kind = M_BOOL, .offset = AT(is_resource_server) },
    { .name = "logo_uri", .kind = M_URI, .offset = AT(logo_uri) },
    { .name = "tos_uri", .kind = M_URI, .offset = AT(tos_uri) },
    { .name = "policy_uri", .kind = M_URI, .offset = AT(policy_uri) },
    { .name = "access_token_format", .kind = M_STRING, .offset = AT(access_token_format) },
    { .name = "id_token_signed_response_alg", .kind = M_STRING, .offset = AT(id_token_alg) },
    { .name = "contacts", .kind = M_LIST, .offset = AT(contacts) },
    { .name = "minimal_id_token", .kind = M_BOOL, .offset = AT(minimal_id_token) },
    { .name = "access_token_ttl", .kind = M_SECONDS, .offset = AT(access_token_ttl) },
    { .name = "refresh_token_ttl", .kind = M_SECONDS, .offset = AT(refresh_token_ttl) },
    { .name = "refresh_idle_ttl", .kind = M_SECONDS, .offset = AT(refresh_idle_ttl) },
    { .name = "app_key", .kind = M_URI, .offset = AT(app_key) },
    { .name = "disabled", .kind = M_BOOL, .offset = AT(disabled), .readonly = true },
};

#define COUNT (sizeof members / sizeof members[0])

static json_t *
list_json(const gh_strlist_t *l)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(arr, json_string(l->items[i]));
    return arr;
}

static json_t *
member_json(gh_arena_t *a, const member_t *m, const void *field)
{
    switch (m->kind) {
    case M_STRING:
    case M_URI: {
        const char *s = *(const char *const *)field;
        return s != NULL ? json_string(s) : NULL;
    }
    case M_LIST:  return list_json(field);
    case M_SCOPE: return json_string(gh_strlist_join(a, field, " "));
    case M_BOOL:  return json_boolean(*(const bool *)field);
    case M_SECONDS: {
        long v = *(const long *)field;
        return v != 0 ? json_integer(v) : NULL;
    }
    }
    return NULL;
}

json_t *
gh_oauth_client_to_json(gh_arena_t *a, const gh_client_t *c, const char *secret)
{
    json_t *o = json_object();
    for (size_t i = 0; o != NULL && i < COUNT; i++) {
        json_t *v = member_json(a, &members[i], (const char *)c + members[i].offset);
        if (v != NULL)
            json_object_set_new(o, members[i].name, v);
        if (i == 0 && secret != NULL)
            json_object_set_new(o, "client_secret", json_string(secret));
    }
    return o;
}

static gh_status_t
wrong_type(const member_t *m, const char *wanted, gh_err_t *err)
{
    return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT_METADATA, "%s must be %s", m->name,
                         wanted);
}

/* A JSON string without NUL bytes (which C strings would silently cut). */
static bool
is_plain_string(const json_t *v)
{
    return json_is_string(v) && strlen(json_string_value(v)) == json_string_length(v);
}

static gh_status_t
read_list(gh_arena_t *a, const member_t *m, const json_t *v, gh_strlist_t *out, gh_err_t *err)
{
    if (!json_is_array(v))
        return wrong_type(m, "an array of strings", err);
    gh_strlist_t l = { 0 };
    for (size_t i = 0; i < json_array_size(v); i++) {
        const json_t *e = json_array_get(v, i);
        if (!is_plain_string(e))
            return wrong_type(m, "an array of strings", err);
        gh_strlist_add(a, &l, gh_arena_strdup(a, json_string_value(e)));
    }
    *out = l;
    return GH_OK;
}

static gh_status_t
read_scope(gh_arena_t *a, const member_t *m, const json_t *v, gh_strlist_t *out, gh_err_t *err)
{
    gh_strlist_t l = { 0 };
    bool ok = is_plain_string(v);
    if (ok)
        gh_strlist_split(a, json_string_value(v), &l, &ok);
    if (!ok)
        return wrong_type(m, "a string of scopes separated by single spaces", err);
    *out = l;
    return GH_OK;
}

static gh_status_t
read_string(gh_arena_t *a, const member_t *m, const json_t *v, const char **out, gh_err_t *err)
{
    bool empty = json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0);
    if (m->kind == M_URI && empty) {
        *out = NULL;
        return GH_OK;
    }
    if (!is_plain_string(v))
        return wrong_type(m, "a string", err);
    *out = gh_arena_strdup(a, json_string_value(v));
    return GH_OK;
}

static gh_status_t
read_member(gh_arena_t *a, const member_t *m, const json_t *v, void *field, gh_err_t *err)
{
    switch (m->kind) {
    case M_STRING:
    case M_URI:
        return read_string(a, m, v, field, err);
    case M_LIST:
        return read_list(a, m, v, field, err);
    case M_SCOPE:
        return read_scope(a, m, v, field, err);
    case M_BOOL:
        if (!json_is_boolean(v))
            return wrong_type(m, "true or false", err);
        *(bool *)field = json_is_true(v);
        return GH_OK;
    case M_SECONDS:
        if (!json_is_null(v) && !json_is_integer(v))
            return wrong_type(m, "a number of seconds", err);
        *(long *)field = json_is_integer(v) ? (long)json_integer_value(v) : 0;
        return GH_OK;
    }
    return GH_OK;
}

gh_status_t
gh_oauth_client_from_json(gh_arena_t *a, const json_t *in, gh_client_t *c, gh_err_t *err)
{
    if (!json_is_object(in))
        return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT_METADATA, "a JSON object is needed");
    for (size_t i = 0; i < COUNT; i++) {
        const json_t *v = json_object_get(in, members[i].name);
        if (v == NULL || members[i].readonly)
            continue;
        gh_status_t st = read_member(a, &members[i], v, (char *)c + members[i].offset, err);
        if (st != GH_OK)
            return st;
    }
    return GH_OK;
}
