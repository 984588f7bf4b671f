-- 004: what introspection, revocation and CORS need from the clients table.

-- The web origins (RFC 6454: scheme://host[:port], lowercase, default port left out)
-- of a client's redirect URIs: a browser app served from one of them may call the
-- token, userinfo and revocation endpoints from JavaScript (CORS, R60). Redirect URIs
-- with a private-use scheme have no web origin. IMMUTABLE so that an index can hold
-- it: the CORS check of each request is then an index lookup, whatever the number of
-- clients (a scan of every redirect URI costs about 3 microseconds per client).
CREATE FUNCTION gatehouse.redirect_origins(us text[]) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT o ORDER BY o), '{}') FROM (
        SELECT regexp_replace(lower(substring(u FROM '^https?://[^/?#]+')),
                              '^(https://[^/]+):443$|^(http://[^/]+):80$', '\1\2') AS o
        FROM unnest(us) AS u) AS s
    WHERE o IS NOT NULL
$$;

CREATE INDEX clients_redirect_origins ON gatehouse.clients
    USING gin (gatehouse.redirect_origins(redirect_uris)) WHERE NOT disabled;

-- A resource server introspects tokens issued to other clients (RFC 7662 section 4,
-- docs/tokens.md); introspection needs client authentication, which a public client
-- cannot do.
ALTER TABLE gatehouse.clients ADD CONSTRAINT clients_resource_server_is_confidential
    CHECK (client_type = 'confidential' OR NOT is_resource_server);
