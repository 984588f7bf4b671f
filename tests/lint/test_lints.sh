#!/usr/bin/env bash
# tests/lint/test_lints.sh: layers.sh and sql.sh can fail. Each case writes one file
# into a scratch tree (beside empty stand-ins for the project's headers), runs a lint
# over it and expects its exit status: every rule must catch a breach, and the
# allowed cases must pass. Exits 1 when any case goes the wrong way.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-lint.XXXXXX")
trap 'rm -rf "$work"' EXIT
headers=(base/err.h http/req.h oauth/pkce.h jose/jws.h store/db.h ui/render.h
         endpoints/token.h config.h app.h router.h)
failed=0
cases=0

# expect LINT STATUS FILE TEXT: TEXT (printf escapes) as FILE, LINT must exit STATUS.
expect() {
    local lint=$1 want=$2 file=$3 text=$4
    rm -rf "$work/src"
    for h in "${headers[@]}"; do
        mkdir -p "$(dirname "$work/src/$h")"
        : > "$work/src/$h"
    done
    mkdir -p "$(dirname "$work/$file")"
    printf "$text\n" > "$work/$file"
    top_srcdir=$work "$here/$lint" > "$work/out" 2>&1
    local rc=$?
    cases=$((cases + 1))
    if [ "$rc" -ne "$want" ]; then
        echo "FAIL: $lint exited $rc, not $want, on $file: $text"
        sed 's/^/    /' "$work/out"
        failed=$((failed + 1))
    fi
}

# refused FILE HEADER...: layers.sh must refuse each #include "HEADER" in FILE.
refused() {
    local file=$1 h
    shift
    for h in "$@"; do
        expect layers.sh 1 "$file" "#include \"$h\""
    done
}

# layers.sh: each rule of STYLE.md section 1 catches its breach...
refused src/base/a.c http/req.h
refused src/http/a.c store/db.h oauth/pkce.h ui/render.h jose/jws.h config.h app.h
refused src/oauth/a.c http/req.h ui/render.h
refused src/jose/a.c store/db.h app.h
refused src/store/a.c http/req.h oauth/pkce.h jose/jws.h endpoints/token.h
refused src/ui/a.c store/db.h oauth/pkce.h router.h render.h
expect layers.sh 1 src/base/a.c '#include <jansson.h>'
expect layers.sh 1 src/http/a.c '#include <libpq-fe.h>'
expect layers.sh 1 src/endpoints/a.c '#include <ClearSilver.h>'
expect layers.sh 1 src/cli/a.c '#include <fcgiapp.h>'
expect layers.sh 1 src/ui/render.c '#include <stdio.h>\n#include "ui/render.h"'
expect layers.sh 1 src/http/a.c '  #  include "store/db.h"'
# ...and what the table allows passes.
inc() { printf '#include %s\n' "$@"; }
expect layers.sh 0 src/base/a.c "$(inc '"base/err.h"' '<openssl/evp.h>' '<stdio.h>')"
expect layers.sh 0 src/http/a.c "$(inc '"base/err.h"' '<jansson.h>' '<fcgiapp.h>')"
expect layers.sh 0 src/oauth/a.c "$(inc '"jose/jws.h"' '"store/db.h"' '"app.h"')"
expect layers.sh 0 src/jose/a.c "$(inc '"jose/jws.h"' '<openssl/evp.h>' '<jansson.h>')"
expect layers.sh 0 src/store/a.c "$(inc '<libpq-fe.h>' '"store/db.h"' '<jansson.h>')"
expect layers.sh 0 src/ui/render.c "$(inc '"ui/render.h"' '<ClearSilver.h>')"
expect layers.sh 0 src/config.c "$(inc '"config.h"' '<ClearSilver.h>')"
expect layers.sh 0 src/main.c "$(inc '<fcgiapp.h>' '"router.h"' '"http/req.h"')"
expect layers.sh 0 src/endpoints/a.c "$(inc '"oauth/pkce.h"' '"ui/render.h"' '"store/db.h"')"

# sql.sh: statements outside statements.c are caught, also beside an allowed one...
expect sql.sh 1 src/oauth/a.c 'q = "SELECT id FROM gatehouse.clients";'
expect sql.sh 1 src/store/clients.c 'q = "INSERT INTO gatehouse.clients VALUES ($1)";'
expect sql.sh 1 src/store/clients.c 'q = "UPDATE gatehouse.codes SET used_at = now()";'
expect sql.sh 1 src/cli/a.c 'q = "DELETE FROM gatehouse.tokens";'
expect sql.sh 1 src/store/sweep.c 'exec(db, "BEGIN");'
expect sql.sh 1 src/store/db.c 'simple(db, "BEGIN", err); simple(db, "DELETE FROM x", err);'
expect sql.sh 1 src/store/migrate.c 'q = "CREATE TABLE IF NOT EXISTS public.x (a int)";'
expect sql.sh 1 src/store/db.h '#define Q "SELECT 1"'
# ...and the documented exceptions, and words that only look like SQL, pass.
expect sql.sh 0 src/store/statements.c 'q = "SELECT 1";'
expect sql.sh 0 src/store/db.c "r = PQexecParams(c, \"SELECT set_config('timeout', \$1, false)\");
simple(db, \"BEGIN\", err);
simple(db, \"COMMIT\", err);
PQexec(c, \"ROLLBACK\");"
expect sql.sh 0 src/store/migrate.c 'b = "CREATE SCHEMA IF NOT EXISTS gatehouse;"
    "CREATE TABLE IF NOT EXISTS gatehouse.schema_migrations (";'
expect sql.sh 0 src/http/req.c '{ "DELETE", GH_DELETE }, { "POST", GH_POST },'
expect sql.sh 0 src/ui/a.c 'm = "select a language";'

echo "$((cases - failed)) of $cases lint cases went as expected"
[ "$failed" -eq 0 ]
