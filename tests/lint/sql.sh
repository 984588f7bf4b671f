#!/usr/bin/env bash
# tests/lint/sql.sh: SQL text lives in src/store/statements.c and nowhere else
# (STYLE.md section 7). Exits 0 when clean, 1 with one line per string literal in src/
# that starts like a SQL statement.
#
# A heuristic over string literals: an upper-case statement keyword right after the
# opening quote. Two documented exceptions are allowed, each by file and by pattern,
# so that nothing else can hide behind them:
#   src/store/db.c       the per-connection session setup (set_config) and the
#                        transaction commands BEGIN, COMMIT, ROLLBACK
#   src/store/migrate.c  the bootstrap that creates the schema and the migrations table,
#                        which must exist before any prepared statement can
#
# make check runs it with top_srcdir set; by hand it finds the tree from its own path.
set -uo pipefail

top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$top" || exit 1
[ -d src ] || { echo "sql.sh: no src/ under $top"; exit 1; }

# Keywords that start a statement and take more words, then those that stand alone.
statement='"[[:space:]]*(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|TRUNCATE|GRANT|REVOKE'
statement+='|SET|WITH|COPY|LOCK|VACUUM|CALL|DO|PREPARE|EXECUTE|LISTEN|NOTIFY)[[:space:](]'
alone='"[[:space:]]*(BEGIN|COMMIT|ROLLBACK|START TRANSACTION|END|ABORT|SAVEPOINT)[[:space:]";]'

# The line with its allowed literals taken out: what is left must not look like SQL, so
# a second statement on an allowed line is still caught.
without_allowed() {
    local file=$1 text=$2
    case $file in
        src/store/db.c)
            sed -E 's/"SELECT set_config\(//g; s/"(BEGIN|COMMIT|ROLLBACK)"//g' <<< "$text" ;;
        src/store/migrate.c)
            sed -E 's/"CREATE (SCHEMA|TABLE) IF NOT EXISTS gatehouse[.;]//g' <<< "$text" ;;
        *)
            echo "$text" ;;
    esac
}

problems=0
hits=$(grep -rnE "$statement|$alone" src --include='*.c' --include='*.h' |
           grep -v '^src/store/statements\.c:')
while IFS= read -r hit; do
    [ -n "$hit" ] || continue
    file=${hit%%:*}
    rest=${hit#*:}
    text=${rest#*:}
    without_allowed "$file" "$text" | grep -qE "$statement|$alone" || continue
    echo "$file:${rest%%:*}: SQL outside src/store/statements.c (STYLE.md section 7):" \
         "$(sed -E 's/^[[:space:]]+//' <<< "$text" | cut -c1-80)"
    problems=$((problems + 1))
done <<< "$hits"

[ "$problems" -eq 0 ] || { echo "sql.sh: $problems problem(s)"; exit 1; }
exit 0
