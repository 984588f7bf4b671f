#!/usr/bin/env bash
# tests/lint/layers.sh: the layer rules of STYLE.md section 1, from the #include lines
# of src/. Exits 0 when clean, 1 with one line per broken rule.
#
#   libpq-fe.h only under store/; ClearSilver only under ui/ and in config.c; libfcgi
#   only in http/ and main.c.
#   base/   includes only base/ headers (and system or OpenSSL headers)
#   http/   never oauth/, store/, ui/, jose/, nor config.h or app.h (req.h: the caller
#           copies the limits in)
#   oauth/  never http/ (it takes plain values, never the request) or ui/
#   jose/   includes only base/ and jose/ headers (and OpenSSL, jansson)
#   store/  never http/, oauth/, jose/
#   ui/     never store/ or oauth/
#   Calls point down: nothing under base/ http/ oauth/ jose/ store/ ui/ includes
#   endpoints/, cli/ or router.h.
#   Quoted includes are paths under src/, and a .c file with a header beside it
#   includes that header first (so every header compiles on its own).
#
# make check runs it with top_srcdir set; by hand it finds the tree from its own path.
set -uo pipefail

top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$top" || exit 1
[ -d src ] || { echo "layers.sh: no src/ under $top"; exit 1; }

problems=0
complain() {
    echo "$1: $2 (STYLE.md section 1)"
    problems=$((problems + 1))
}

# The third-party headers that belong to one layer each.
check_library() {
    local file=$1 where=$2 h=$3
    case $h in
        libpq-fe.h | postgresql/*)
            [[ $file == src/store/* ]] || complain "$where" "<$h> is for src/store/ only" ;;
        ClearSilver.h | ClearSilver/* | cs/* | util/neo_*)
            [[ $file == src/ui/* || $file == src/config.c ]] ||
                complain "$where" "<$h> is for src/ui/ and src/config.c only" ;;
        fcgiapp.h | fcgi_stdio.h | fcgio.h | fcgi_config.h)
            [[ $file == src/http/* || $file == src/main.c ]] ||
                complain "$where" "<$h> is for src/http/ and src/main.c only" ;;
        jansson.h)
            [[ $file != src/base/* ]] || complain "$where" "base/ knows nothing of JSON" ;;
    esac
}

# The project's own headers, by the including file's folder.
check_layer() {
    local file=$1 where=$2 h=$3
    local layer=${file#src/}
    layer=${layer%%/*}
    case $layer in
        base | http | oauth | jose | store | ui)
            case $h in
                endpoints/* | cli/* | router.h)
                    complain "$where" "$layer/ must not include $h: calls point down" ;;
            esac ;;
    esac
    case $layer in
        base)
            [[ $h == base/* ]] || complain "$where" "base/ includes only base/ headers, not $h" ;;
        http)
            case $h in
                oauth/* | store/* | ui/* | jose/* | config.h | app.h)
                    complain "$where" "http/ must not include $h" ;;
            esac ;;
        oauth)
            case $h in
                http/* | ui/*) complain "$where" "oauth/ must not include $h" ;;
            esac ;;
        jose)
            [[ $h == base/* || $h == jose/* ]] ||
                complain "$where" "jose/ includes only base/ and jose/ headers, not $h" ;;
        store)
            case $h in
                http/* | oauth/* | jose/*) complain "$where" "store/ must not include $h" ;;
            esac ;;
        ui)
            case $h in
                store/* | oauth/*) complain "$where" "ui/ must not include $h" ;;
            esac ;;
    esac
    [ -f "src/$h" ] || complain "$where" "\"$h\" is not a path under src/"
}

includes=$(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]' src \
               --include='*.c' --include='*.h' | sort -t: -k1,1 -k2,2n)
while IFS= read -r entry; do
    [ -n "$entry" ] || continue
    file=${entry%%:*}
    rest=${entry#*:}
    where="$file:${rest%%:*}"
    directive=${rest#*:}
    h=$(sed -E 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]([^>"]*)[>"].*/\1/' \
            <<< "$directive")
    check_library "$file" "$where" "$h"
    [[ $directive == *'"'* ]] && check_layer "$file" "$where" "$h"
done <<< "$includes"

# Own header first.
for c in $(find src -name '*.c' | sort); do
    own=${c%.c}.h
    [ -f "$own" ] || continue
    want=${own#src/}
    first=$(grep -m 1 -nE '^[[:space:]]*#[[:space:]]*include' "$c")
    if ! grep -qE "#[[:space:]]*include[[:space:]]*\"$want\"" <<< "$first"; then
        complain "$c:${first%%:*}" "must include \"$want\" first"
    fi
done

[ "$problems" -eq 0 ] || { echo "layers.sh: $problems problem(s)"; exit 1; }
exit 0
