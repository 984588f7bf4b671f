/*
 * bench/ceiling.c: the least a token endpoint must do, as a FastCGI program.
 *
 * Per request: read the body, make a random token, hash it, store the hash with one
 * prepared INSERT over the worker's persistent libpq connection (a commit, waited
 * for: synchronous_commit as the server has it), and answer the JSON of a
 * client_credentials token response. No parsing, no client authentication, no
 * logging. bench/run serves it behind the same web server and worker count as
 * Gatehouse, so Gatehouse's /token can be read as a share of this ceiling.
 *
 * Build: cc -O2 -o ceiling bench/ceiling.c -lfcgi -lpq -lcrypto
 * Run:   as a FastCGI application, with GATEHOUSE_CONFIG naming a file whose
 *        "Database.Conninfo = ..." line says where to connect (read the way the web
 *        server's deploy file hands Gatehouse its configuration). Each worker creates
 *        bench_ceiling_tokens if it is missing.
 */
#include <fcgiapp.h>
#include <libpq-fe.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TOKEN_BYTES 32
#define TTL_SECONDS 3600

static const char CREATE_TABLE[] =
    "CREATE TABLE IF NOT EXISTS bench_ceiling_tokens ("
    " token_hash text PRIMARY KEY, client_id text NOT NULL, scope text NOT NULL,"
    " created_at timestamptz NOT NULL DEFAULT now(), expires_at timestamptz NOT NULL)";

static const char INSERT[] =
    "INSERT INTO bench_ceiling_tokens (token_hash, client_id, scope, expires_at)"
    " VALUES ($1, $2, $3, now() + make_interval(secs => $4::integer))";

/* The value of the configuration file's Database.Conninfo line ("" if none). */
static void
read_conninfo(char *out, size_t size)
{
    static const char key[] = "Database.Conninfo = ";
    const char *path = getenv("GATEHOUSE_CONFIG");
    FILE *f = path != NULL ? fopen(path, "r") : NULL;
    out[0] = '\0';
    if (f == NULL)
        return;
    char line[1024];
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, key, sizeof key - 1) != 0)
            continue;
        snprintf(out, size, "%s", line + sizeof key - 1);
        out[strcspn(out, "\r\n")] = '\0';
    }
    fclose(f);
}

static PGconn *
connect_db(void)
{
    char conninfo[1024];
    read_conninfo(conninfo, sizeof conninfo);
    PGconn *db = PQconnectdb(conninfo);
    if (PQstatus(db) != CONNECTION_OK) {
        fprintf(stderr, "ceiling: %s", PQerrorMessage(db));
        PQfinish(db);
        return NULL;
    }
    /* Another worker may create the table at the same moment: its error is harmless. */
    PQclear(PQexec(db, CREATE_TABLE));
    PGresult *r = PQprepare(db, "insert", INSERT, 4, NULL);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) {
        fprintf(stderr, "ceiling: prepare: %s", PQerrorMessage(db));
        PQfinish(db);
        return NULL;
    }
    return db;
}

static void
b64url(const unsigned char *in, size_t n, char *out)
{
    static const char abc[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)in[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        out[o++] = abc[(v >> 18) & 63];
        out[o++] = abc[(v >> 12) & 63];
        if (i + 1 < n)
            out[o++] = abc[(v >> 6) & 63];
        if (i + 2 < n)
            out[o++] = abc[v & 63];
    }
    out[o] = '\0';
}

static void
sha256_hex(const char *s, char out[65])
{
    unsigned char md[32];
    unsigned int len = 0;
    EVP_Digest(s, strlen(s), md, &len, EVP_sha256(), NULL);
    for (unsigned i = 0; i < len; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static void
drain_body(FCGX_Request *rq)
{
    char buf[4096];
    while (FCGX_GetStr(buf, sizeof buf, rq->in) > 0)
        ;
}

/* One token: true when it was stored and the answer sent. */
static bool
answer(PGconn *db, FCGX_Request *rq)
{
    unsigned char raw[TOKEN_BYTES];
    char token[64], hash[65];
    drain_body(rq);
    if (RAND_bytes(raw, sizeof raw) != 1)
        return false;
    b64url(raw, sizeof raw, token);
    sha256_hex(token, hash);
    char ttl[16];
    snprintf(ttl, sizeof ttl, "%d", TTL_SECONDS);
    const char *params[] = { hash, "bench-client", "api", ttl };
    PGresult *r = PQexecPrepared(db, "insert", 4, params, NULL, NULL, 0);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok)
        return false;
    FCGX_FPrintF(rq->out,
                 "Status: 200 OK\r\nContent-Type: application/json\r\n"
                 "Cache-Control: no-store\r\nPragma: no-cache\r\n\r\n"
                 "{\"access_token\":\"gatehouse_at_%s\",\"token_type\":\"Bearer\","
                 "\"expires_in\":%d,\"scope\":\"api\"}", token, TTL_SECONDS);
    return true;
}

int
main(void)
{
    if (FCGX_Init() != 0)
        return 1;
    PGconn *db = connect_db();
    FCGX_Request rq;
    FCGX_InitRequest(&rq, 0, 0);
    while (FCGX_Accept_r(&rq) >= 0) {
        if (db == NULL || PQstatus(db) != CONNECTION_OK) {
            PQfinish(db);
            db = connect_db();
        }
        if (db == NULL || !answer(db, &rq))
            FCGX_FPrintF(rq.out, "Status: 503 Service Unavailable\r\n"
                         "Content-Type: application/json\r\n\r\n"
                         "{\"error\":\"temporarily_unavailable\"}");
        FCGX_Finish_r(&rq);
    }
    PQfinish(db);
    return 0;
}
