/*
 * cli/manifest.c: reading app manifests (YAML or JSON) into a gh_client_t.
 *
 * Both formats become one jansson tree first, so one walk over one table of keys
 * checks names and types for both: YAML through libyaml's event parser (aliases and
 * tags refused, depth bounded), JSON through jansson with duplicate keys refused.
 * Whether the values make a valid client is oauth/client.c's question, not this file's.
 */
#include "cli/manifest.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef enum { FIELD_STRING, FIELD_LIST, FIELD_BOOL } field_kind_t;

typedef struct {
    const char  *section;   /* "oauth", or "oauth.metadata" */
    const char  *key;
    field_kind_t kind;
    size_t       offset;    /* of the member of gh_client_t */
} field_t;

#define AT(member) offsetof(gh_client_t, member)

static const field_t fields[] = {
    { .section = "oauth", .key = "clientName", .kind = FIELD_STRING, .offset = AT(name) },
    { .section = "oauth", .key = "type", .kind = FIELD_STRING, .offset = AT(client_type) },
    { .section = "oauth", .key = "redirectUris", .kind = FIELD_LIST,
      .offset = AT(redirect_uris) },
    { .section = "oauth", .key = "postLogoutRedirectUris", .kind = FIELD_LIST,
      .offset = AT(post_logout_redirect_uris) },
    { .section = "oauth", .key = "scopes", .kind = FIELD_LIST, .offset = AT(scopes) },
    { .section = "oauth", .key = "grantTypes", .kind = FIELD_LIST, .offset = AT(grant_types) },
    { .section = "oauth", .key = "tokenEndpointAuthMethod", .kind = FIELD_STRING,
      .offset = AT(auth_method) },
    { .section = "oauth", .key = "trusted", .kind = FIELD_BOOL, .offset = AT(skip_consent) },
    { .section = "oauth", .key = "accessTokenFormat", .kind = FIELD_STRING,
      .offset = AT(access_token_format) },
    { .section = "oauth.metadata", .key = "logoUri", .kind = FIELD_STRING,
      .offset = AT(logo_uri) },
    { .section = "oauth.metadata", .key = "tosUri", .kind = FIELD_STRING, .offset = AT(tos_uri) },
    { .section = "oauth.metadata", .key = "policyUri", .kind = FIELD_STRING,
      .offset = AT(policy_uri) },
    { .section = "oauth.metadata", .key = "contacts", .kind = FIELD_LIST,
      .offset = AT(contacts) },
};

#define NFIELDS (sizeof fields / sizeof fields[0])

/* ------------------------------------------------------------------ YAML -> jansson */

typedef struct {
    yaml_parser_t parser;
    int           depth;
} yreader_t;

static gh_status_t yaml_node(yreader_t *r, yaml_event_t *ev, json_t **out, gh_err_t *err);

static gh_status_t
yaml_fail(const yaml_event_t *ev, const char *what, gh_err_t *err)
{
    return gh_fail(err, GH_E_INPUT, "YAML line %zu: %s", ev->start_mark.line + 1, what);
}

static gh_status_t
next_event(yreader_t *r, yaml_event_t *ev, gh_err_t *err)
{
    if (yaml_parser_parse(&r->parser, ev))
        return GH_OK;
    return gh_fail(err, GH_E_INPUT, "YAML line %zu: %s", r->parser.problem_mark.line + 1,
                   r->parser.problem != NULL ? r->parser.problem : "syntax error");
}

/* Plain scalars resolve as in YAML 1.2's core schema: null, booleans, integers. */
static json_t *
plain_scalar(const char *s, size_t len)
{
    static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
    static const char *const trues[] = { "true", "True", "TRUE" };
    static const char *const falses[] = { "false", "False", "FALSE" };
    for (size_t i = 0; i < sizeof nulls / sizeof nulls[0]; i++)
        if (strcmp(s, nulls[i]) == 0)
            return json_null();
    for (size_t i = 0; i < 3; i++) {
        if (strcmp(s, trues[i]) == 0)
            return json_true();
        if (strcmp(s, falses[i]) == 0)
            return json_false();
    }
    size_t sign = s[0] == '-' || s[0] == '+';
    if (len > sign && strspn(s + sign, "0123456789") == len - sign) {
        errno = 0;
        long long v = strtoll(s, NULL, 10);
        if (errno == 0)
            return json_integer(v);
    }
    return json_stringn(s, len);
}

static gh_status_t
yaml_scalar(const yaml_event_t *ev, json_t **out, gh_err_t *err)
{
    const char *s = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    if (strlen(s) != len)
        return yaml_fail(ev, "a value holds a NUL character", err);
    *out = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? plain_scalar(s, len)
                                                            : json_stringn(s, len);
    return *out != NULL ? GH_OK : yaml_fail(ev, "a value is not valid UTF-8", err);
}

static gh_status_t
yaml_sequence(yreader_t *r, json_t **out, gh_err_t *err)
{
    json_t *arr = json_array();
    for (;;) {
        yaml_event_t ev;
        gh_status_t st = next_event(r, &ev, err);
        if (st == GH_OK && ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            *out = arr;
            return GH_OK;
        }
        json_t *item = NULL;
        if (st == GH_OK)
            st = yaml_node(r, &ev, &item, err);
        if (st != GH_OK) {
            json_decref(arr);
            return st;
        }
        json_array_append_new(arr, item);
    }
}

/* One key and its value into obj; *done at the end of the mapping. */
static gh_status_t
yaml_member(yreader_t *r, json_t *obj, bool *done, gh_err_t *err)
{
    yaml_event_t key;
    gh_status_t st = next_event(r, &key, err);
    if (st != GH_OK)
        return st;
    *done = key.type == YAML_MAPPING_END_EVENT;
    if (*done)
        st = GH_OK;
    else if (key.type != YAML_SCALAR_EVENT || key.data.scalar.tag != NULL)
        st = yaml_fail(&key, "keys must be plain strings", err);
    else if (strlen((const char *)key.data.scalar.value) != key.data.scalar.length)
        st = yaml_fail(&key, "a key holds a NUL character", err);
    else if (json_object_get(obj, (const char *)key.data.scalar.value) != NULL)
        st = yaml_fail(&key, "duplicate key", err);
    json_t *value = NULL;
    yaml_event_t ev;
    if (st == GH_OK && !*done && (st = next_event(r, &ev, err)) == GH_OK)
        st = yaml_node(r, &ev, &value, err);
    if (st == GH_OK && !*done &&
        json_object_set_new(obj, (const char *)key.data.scalar.value, value) != 0)
        st = yaml_fail(&key, "a key is not valid UTF-8", err);
    yaml_event_delete(&key);
    return st;
}

static gh_status_t
yaml_mapping(yreader_t *r, json_t **out, gh_err_t *err)
{
    json_t *obj = json_object();
    bool done = false;
    gh_status_t st = GH_OK;
    while (st == GH_OK && !done)
        st = yaml_member(r, obj, &done, err);
    if (st != GH_OK) {
        json_decref(obj);
        return st;
    }
    *out = obj;
    return GH_OK;
}

static const unsigned char *
event_tag(const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_SCALAR_EVENT:         return ev->data.scalar.tag;
    case YAML_SEQUENCE_START_EVENT: return ev->data.sequence_start.tag;
    case YAML_MAPPING_START_EVENT:  return ev->data.mapping_start.tag;
    default:                        return NULL;
    }
}

/* Consumes ev (the node's first event) and the rest of the node. Aliases are refused
 * outright: without them a document cannot grow past its own size ("billion laughs"). */
static gh_status_t
yaml_node(yreader_t *r, yaml_event_t *ev, json_t **out, gh_err_t *err)
{
    gh_status_t st;
    bool nested = ev->type == YAML_SEQUENCE_START_EVENT || ev->type == YAML_MAPPING_START_EVENT;
    if (ev->type == YAML_ALIAS_EVENT)
        st = yaml_fail(ev, "aliases (*name) are not accepted", err);
    else if (event_tag(ev) != NULL)
        st = yaml_fail(ev, "tags (!name) are not accepted", err);
    else if (ev->type == YAML_SCALAR_EVENT)
        st = yaml_scalar(ev, out, err);
    else if (!nested)
        st = yaml_fail(ev, "unexpected YAML structure", err);
    else if (r->depth >= GH_MANIFEST_MAX_DEPTH)
        st = yaml_fail(ev, "nested too deeply", err);
    else {
        r->depth++;
        st = ev->type == YAML_SEQUENCE_START_EVENT ? yaml_sequence(r, out, err)
                                                   : yaml_mapping(r, out, err);
        r->depth--;
    }
    yaml_event_delete(ev);
    return st;
}

/* Reads one event of the given type (*got: its type, when the caller accepts another). */
static gh_status_t
expect(yreader_t *r, yaml_event_type_t type, yaml_event_type_t *got, const char *what,
       gh_err_t *err)
{
    yaml_event_t ev;
    gh_status_t st = next_event(r, &ev, err);
    if (st != GH_OK)
        return st;
    if (got != NULL)
        *got = ev.type;
    if (ev.type != type && (got == NULL || ev.type != YAML_STREAM_END_EVENT))
        st = yaml_fail(&ev, what, err);
    yaml_event_delete(&ev);
    return st;
}

static gh_status_t
yaml_document(yreader_t *r, json_t **out, gh_err_t *err)
{
    yaml_event_type_t got;
    gh_status_t st = expect(r, YAML_STREAM_START_EVENT, NULL, "not a YAML stream", err);
    if (st == GH_OK)
        st = expect(r, YAML_DOCUMENT_START_EVENT, &got, "no YAML document", err);
    if (st == GH_OK && got == YAML_STREAM_END_EVENT)
        return gh_fail(err, GH_E_INPUT, "the manifest is empty");
    yaml_event_t ev;
    if (st == GH_OK && (st = next_event(r, &ev, err)) == GH_OK)
        st = yaml_node(r, &ev, out, err);
    if (st == GH_OK)
        st = expect(r, YAML_DOCUMENT_END_EVENT, NULL, "the document goes on", err);
    if (st == GH_OK)
        st = expect(r, YAML_STREAM_END_EVENT, NULL, "only one YAML document is accepted", err);
    if (st != GH_OK && *out != NULL) {
        json_decref(*out);
        *out = NULL;
    }
    return st;
}

static gh_status_t
load_yaml(const char *text, size_t len, json_t **out, gh_err_t *err)
{
    yreader_t r = { .depth = 0 };
    if (!yaml_parser_initialize(&r.parser))
        return gh_fail(err, GH_E_INTERNAL, "out of memory");
    yaml_parser_set_input_string(&r.parser, (const unsigned char *)text, len);
    *out = NULL;
    gh_status_t st = yaml_document(&r, out, err);
    yaml_parser_delete(&r.parser);
    return st;
}

static gh_status_t
load_json(const char *text, size_t len, json_t **out, gh_err_t *err)
{
    json_error_t jerr;
    *out = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (*out == NULL)
        return gh_fail(err, GH_E_INPUT, "JSON line %d: %s", jerr.line, jerr.text);
    return GH_OK;
}

/* -------------------------------------------------------------- tree -> gh_client_t */

typedef struct {
    gh_arena_t  *a;
    gh_client_t *out;
    char         unknown[120];   /* paths of unknown keys, ", "-separated, cut short */
} walk_t;

static void
note_unknown(walk_t *w, const char *section, const char *key)
{
    size_t used = strlen(w->unknown);
    int n = snprintf(w->unknown + used, sizeof w->unknown - used, "%s%s%s%s",
                     used > 0 ? ", " : "", section, *section != '\0' ? "." : "", key);
    if (n < 0 || (size_t)n >= sizeof w->unknown - used)
        strcpy(w->unknown + sizeof w->unknown - 4, "...");
    /* Keys come from a file: nothing unprintable reaches the terminal. */
    for (char *p = w->unknown + used; *p != '\0'; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
            *p = '?';
}

static const field_t *
find_field(const char *section, const char *key)
{
    for (size_t i = 0; i < NFIELDS; i++)
        if (strcmp(fields[i].section, section) == 0 && strcmp(fields[i].key, key) == 0)
            return &fields[i];
    return NULL;
}

static bool
is_clean_string(const json_t *v)
{
    return json_is_string(v) && strlen(json_string_value(v)) == json_string_length(v);
}

static gh_status_t
read_list(walk_t *w, const field_t *f, const json_t *v, gh_strlist_t *l, gh_err_t *err)
{
    size_t i;
    json_t *item;
    if (!json_is_array(v))
        return gh_fail(err, GH_E_INPUT, "%s.%s must be a list of strings", f->section, f->key);
    json_array_foreach(v, i, item) {
        if (!is_clean_string(item))
            return gh_fail(err, GH_E_INPUT, "%s.%s must be a list of strings", f->section,
                           f->key);
        gh_strlist_add(w->a, l, gh_arena_strdup(w->a, json_string_value(item)));
    }
    return GH_OK;
}

static gh_status_t
read_value(walk_t *w, const field_t *f, const json_t *v, gh_err_t *err)
{
    char *at = (char *)w->out + f->offset;
    if (json_is_null(v))
        return GH_OK;
    switch (f->kind) {
    case FIELD_STRING:
        if (!is_clean_string(v))
            return gh_fail(err, GH_E_INPUT, "%s.%s must be a string", f->section, f->key);
        *(const char **)(void *)at = gh_arena_strdup(w->a, json_string_value(v));
        return GH_OK;
    case FIELD_BOOL:
        if (!json_is_boolean(v))
            return gh_fail(err, GH_E_INPUT, "%s.%s must be true or false", f->section, f->key);
        *(bool *)(void *)at = json_is_true(v);
        return GH_OK;
    case FIELD_LIST:
        return read_list(w, f, v, (gh_strlist_t *)(void *)at, err);
    }
    return gh_fail(err, GH_E_INTERNAL, "unknown field kind");
}

static gh_status_t
walk_section(walk_t *w, const char *section, const json_t *obj, gh_err_t *err)
{
    const char *key;
    json_t *v;
    if (!json_is_object(obj))
        return gh_fail(err, GH_E_INPUT, "%s must be a mapping", section);
    json_object_foreach((json_t *)obj, key, v) {
        gh_status_t st = GH_OK;
        const field_t *f = find_field(section, key);
        if (strcmp(section, "oauth") == 0 && strcmp(key, "metadata") == 0)
            st = json_is_null(v) ? GH_OK : walk_section(w, "oauth.metadata", v, err);
        else if (f == NULL)
            note_unknown(w, section, key);
        else
            st = read_value(w, f, v, err);
        if (st != GH_OK)
            return st;
    }
    return GH_OK;
}

static gh_status_t
walk_root(walk_t *w, const json_t *root, gh_err_t *err)
{
    const char *key;
    json_t *v;
    if (!json_is_object(root))
        return gh_fail(err, GH_E_INPUT, "the manifest must be a mapping with an oauth key");
    json_object_foreach((json_t *)root, key, v)
        if (strcmp(key, "oauth") != 0)
            note_unknown(w, "", key);
    const json_t *oauth = json_object_get(root, "oauth");
    if (oauth == NULL)
        return gh_fail(err, GH_E_INPUT, "the manifest has no oauth key");
    gh_status_t st = walk_section(w, "oauth", oauth, err);
    if (st != GH_OK)
        return st;
    if (w->unknown[0] != '\0')
        return gh_fail(err, GH_E_INPUT, "unknown keys: %s", w->unknown);
    if (w->out->name == NULL)
        return gh_fail(err, GH_E_INPUT, "oauth.clientName is required");
    w->out->app_key = w->out->name;
    return GH_OK;
}

/* ------------------------------------------------------------------------ the API */

static bool
is_blank(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!isspace((unsigned char)text[i]))
            return false;
    return true;
}

static gh_manifest_format_t
sniff(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len && isspace((unsigned char)text[i]))
        i++;
    return i < len && text[i] == '{' ? GH_MANIFEST_JSON : GH_MANIFEST_YAML;
}

gh_status_t
gh_cli_manifest_parse(gh_arena_t *a, const char *text, size_t len, gh_manifest_format_t format,
                      gh_client_t *out, gh_err_t *err)
{
    memset(out, 0, sizeof *out);
    if (len > GH_MANIFEST_MAX_SIZE)
        return gh_fail(err, GH_E_TOO_LARGE, "the manifest is larger than %d bytes",
                       GH_MANIFEST_MAX_SIZE);
    if (is_blank(text, len))
        return gh_fail(err, GH_E_INPUT, "the manifest is empty");
    if (format == GH_MANIFEST_AUTO)
        format = sniff(text, len);
    json_t *root = NULL;
    gh_status_t st = format == GH_MANIFEST_JSON ? load_json(text, len, &root, err)
                                                : load_yaml(text, len, &root, err);
    if (st != GH_OK)
        return st;
    walk_t w = { .a = a, .out = out };
    st = walk_root(&w, root, err);
    json_decref(root);
    return st;
}

static bool
ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

gh_status_t
gh_cli_manifest_read(gh_arena_t *a, const char *path, gh_client_t *out, gh_err_t *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return gh_fail(err, GH_E_NOTFOUND, "cannot open %s: %s", path, strerror(errno));
    char *buf = gh_arena_alloc(a, GH_MANIFEST_MAX_SIZE + 2);
    size_t len = fread(buf, 1, GH_MANIFEST_MAX_SIZE + 1, f);
    bool failed = ferror(f);
    fclose(f);
    if (failed)
        return gh_fail(err, GH_E_INPUT, "cannot read %s", path);
    buf[len] = '\0';
    gh_manifest_format_t format = ends_with(path, ".json") ? GH_MANIFEST_JSON
                                : ends_with(path, ".yaml") || ends_with(path, ".yml")
                                    ? GH_MANIFEST_YAML : GH_MANIFEST_AUTO;
    return gh_cli_manifest_parse(a, buf, len, format, out, err);
}

void
gh_cli_manifest_merge(const gh_client_t *m, gh_client_t *c)
{
    static const size_t sizes[] = {
        [FIELD_STRING] = sizeof(const char *),
        [FIELD_LIST] = sizeof(gh_strlist_t),
        [FIELD_BOOL] = sizeof(bool),
    };
    for (size_t i = 0; i < NFIELDS; i++)
        memcpy((char *)c + fields[i].offset, (const char *)m + fields[i].offset,
               sizes[fields[i].kind]);
    c->app_key = m->app_key;
}
