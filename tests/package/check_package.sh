#!/usr/bin/env bash
# The Debian package test (CTest label "package"): builds the .deb with cpack from the already built
# tree (no rebuild), unpacks it with dpkg -x into a temporary root and checks its metadata, its exact
# file list, the installed programs, the desktop files, the man page and the completions.
# Usage: check_package.sh BUILD_DIR VERSION   (TB_VECTORS_DIR in the environment)
set -euo pipefail

build=$1
version=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# expect NAME ACTUAL EXPECTED
expect() {
    if [[ $2 != "$3" ]]; then
        fail "$1"
        diff <(printf '%s\n' "$3") <(printf '%s\n' "$2") >&2 || true
    fi
}

# ---- build and unpack ----------------------------------------------------------------------------
if ! cpack --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1; then
    cat "$work/cpack.log" >&2
    echo "FAIL: cpack" >&2
    exit 1
fi
deb=$work/out/tokenbench_${version}_$(dpkg --print-architecture).deb
[[ -f $deb ]] || { ls "$work/out" >&2; echo "FAIL: no $deb" >&2; exit 1; }
dpkg -x "$deb" "$root"

# ---- control fields --------------------------------------------------------------------------------
expect "Package" "$(dpkg-deb -f "$deb" Package)" "tokenbench"
expect "Version" "$(dpkg-deb -f "$deb" Version)" "$version"
depends=$(dpkg-deb -f "$deb" Depends)
depends_names=$(tr ',' '\n' <<<"$depends" | sed 's/^ *//; s/ .*//')
needs=(libc6 libstdc++6 libqt6core6 libqt6gui6 libqt6widgets6 libqt6svg6 libssl3 zlib1g)
# Libraries the binaries link only once a pane uses them (Qt Charts, Qt SQL, hiredis).
needed=$(readelf -d "$root/usr/bin/tokenbench" "$root/usr/bin/tokenbench-cli" | grep NEEDED)
grep -q 'libQt6Charts\.' <<<"$needed" && needs+=(libqt6charts6)
grep -q 'libQt6Sql\.' <<<"$needed" && needs+=(libqt6sql6)
grep -q 'libhiredis\.so\.0\.14' <<<"$needed" && needs+=(libhiredis0.14)
for p in "${needs[@]}"; do
    grep -qxF "$p" <<<"$depends_names" || fail "Depends lacks $p: $depends"
done
grep -q -- "-dev" <<<"$depends_names" && fail "Depends names a -dev package: $depends"
expect "Description lines over 80 columns" "$(dpkg-deb -f "$deb" Description | awk 'length > 80')" ""
expect "Recommends" "$(dpkg-deb -f "$deb" Recommends)" "libqt6sql6-sqlite"
expect "Suggests" "$(dpkg-deb -f "$deb" Suggests)" "redis-server"

# ---- exact file list, modes and owners -----------------------------------------------------------
files=$(cd "$root" && find . -type f -o -type l | sort)
expect "file list" "$files" "./usr/bin/tokenbench
./usr/bin/tokenbench-cli
./usr/share/applications/io.github.tokenbench.Tokenbench.desktop
./usr/share/bash-completion/completions/tokenbench-cli
./usr/share/icons/hicolor/scalable/apps/tokenbench.svg
./usr/share/man/man1/tokenbench-cli.1.gz
./usr/share/metainfo/io.github.tokenbench.Tokenbench.metainfo.xml
./usr/share/mime/packages/io.github.tokenbench.Tokenbench.xml
./usr/share/zsh/vendor-completions/_tokenbench-cli"
while read -r mode owner _ _ _ name; do
    [[ $owner == root/root ]] || fail "$name is owned by $owner"
    case $name in
    */) [[ $mode == drwxr-xr-x ]] || fail "$name has mode $mode" ;;
    ./usr/bin/*) [[ $mode == -rwxr-xr-x ]] || fail "$name has mode $mode" ;;
    *) [[ $mode == -rw-r--r-- ]] || fail "$name has mode $mode" ;;
    esac
done < <(dpkg-deb -c "$deb")

# ---- the installed programs ------------------------------------------------------------------------
cli=$root/usr/bin/tokenbench-cli
expect "tokenbench-cli --version" "$("$cli" --version)" "tokenbench-cli $version"
mkdir -m 0700 "$work/run"
expect "tokenbench --version" "$(QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=$work/run "$root/usr/bin/tokenbench" --version)" \
    "tokenbench $version"

vector=$TB_VECTORS_DIR/rfc7515_appendix_a.json
field() { /usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["vectors"][0][sys.argv[2]])' "$vector" "$1"; }
token=$(field compact)
decoded=$("$cli" decode --json "$token")
summary=$(/usr/bin/python3 -c 'import json, sys; d = json.loads(sys.argv[1]); print(d["kind"], d["alg"], json.dumps(d["header"], separators=(",", ":")), d["payload"]["iss"], d["times"]["exp"]["utc"], d["payload_b64"] == sys.argv[2], d["signature_b64"] == sys.argv[3])' \
    "$decoded" "$(field payload_b64)" "$(field signature_b64)")
expect "decode --json of RFC 7515 A.1" "$summary" 'JWS HS256 {"typ":"JWT","alg":"HS256"} joe 2011-03-22T18:43:00Z True True'
/usr/bin/python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.argv[1]))' "$(field secret_hex)" >"$work/a1.key"
verdict=$("$cli" verify "$token" --secret-file "$work/a1.key" --now 1300819370 | head -n 1) || fail "verify exit code"
expect "verify of RFC 7515 A.1" "$verdict" "valid"

# ---- desktop file, metainfo, MIME types, icon -----------------------------------------------------
desktop=$root/usr/share/applications/io.github.tokenbench.Tokenbench.desktop
out=$(desktop-file-validate "$desktop" 2>&1) || fail "desktop-file-validate"
expect "desktop-file-validate output" "$out" ""
expect "desktop Exec" "$(grep '^Exec=' "$desktop")" "Exec=tokenbench %f"
expect "desktop MimeType" "$(grep '^MimeType=' "$desktop")" \
    "MimeType=application/jwt;application/jwk+json;application/jwk-set+json;application/x-tokenbench-workspace;"
metainfo=$root/usr/share/metainfo/io.github.tokenbench.Tokenbench.metainfo.xml
appstreamcli validate --no-net "$metainfo" >"$work/as.log" 2>&1 || { cat "$work/as.log" >&2; fail "appstreamcli validate"; }
appstreamcli validate-tree --no-net "$root" >"$work/astree.log" 2>&1 ||
    { cat "$work/astree.log" >&2; fail "appstreamcli validate-tree"; }
grep -q "<release version=\"$version\" date=\"" "$metainfo" || fail "metainfo has no release $version"
mkdir -p "$work/mime/packages"
cp /usr/share/mime/packages/freedesktop.org.xml "$root/usr/share/mime/packages/io.github.tokenbench.Tokenbench.xml" \
    "$work/mime/packages/"
out=$(XDG_DATA_DIRS=$work update-mime-database "$work/mime" 2>&1) || fail "update-mime-database"
expect "update-mime-database output" "$out" ""
expect "MIME globs" "$(grep -E 'jwt|jwk|tbws' "$work/mime/globs2" | sort)" "50:application/jwk+json:*.jwk
50:application/jwk-set+json:*.jwks
50:application/jwt:*.jwt
50:application/x-tokenbench-workspace:*.tbws"
grep -q '<svg' "$root/usr/share/icons/hicolor/scalable/apps/tokenbench.svg" || fail "the icon is not an SVG"

# ---- man page --------------------------------------------------------------------------------------
man=$root/usr/share/man/man1/tokenbench-cli.1.gz
out=$(zcat "$man" | groff -man -Tutf8 -ww -z 2>&1) || fail "groff"
expect "groff -ww warnings" "$out" ""
rendered=$(MANWIDTH=100 man -l "$man" 2>&1)
grep -q '^NAME' <<<"$rendered" || fail "man -l renders no NAME section"
# Every command the installed CLI lists has its section, with each option its --help prints (-h/--help
# is under OPTIONS, once).
commands=$("$cli" --help | awk '/^Commands:/ { on = 1; next } /^$/ { on = 0 } on { print $1 }')
[[ $(wc -l <<<"$commands") -ge 10 ]] || fail "too few commands in --help: $commands"
for c in $commands; do
    grep -q "^   $c\$" <<<"$rendered" || fail "man page has no section for $c"
    for o in $("$cli" "$c" --help | grep -oE '^  (-h, )?--[a-z0-9-]+' | grep -oE -- '--[a-z0-9-]+' | grep -vx -- --help); do
        grep -q -- "$o" <<<"$(awk -v c="   $c" '$0 == c { on = 1; next } /^   [a-z]/ { on = 0 } on' <<<"$rendered")" ||
            fail "man section $c lacks $o"
    done
done

# ---- completions -----------------------------------------------------------------------------------
bashc=$root/usr/share/bash-completion/completions/tokenbench-cli
zshc=$root/usr/share/zsh/vendor-completions/_tokenbench-cli
bash -n "$bashc" || fail "bash completion syntax"
zsh -n "$zshc" || fail "zsh completion syntax"
complete_bash() {
    # shellcheck disable=SC1090
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _tokenbench_cli; echo "${COMPREPLY[*]}"' \
        _ "$bashc" tokenbench-cli "$@"
}
expect "bash: commands" "$(complete_bash de)" "decode decrypt"
expect "bash: cookie actions" "$(complete_bash cookie '')" "lint flow recommend --help"
expect "bash: jwk --to" "$(complete_bash jwk convert --to '')" "jwk pem"
expect "bash: decode options" "$(complete_bash decode --)" "--help --json"
touch "$work/key.pem"
expect "bash: --key FILE" "$(complete_bash verify --key "$work/key.p")" "$work/key.pem"
expect "bash: --kid is free text" "$(complete_bash sign --kid '')" ""
# zsh: the completion system's functions replaced by ones that print what they are given.
complete_zsh() {
    zsh -f -c '_arguments() { print -r -- "_arguments $*" }
        _describe() { print -r -- "_describe ${(P)4}" }
        compadd() { print -r -- "compadd $*" }
        source "$1" >/dev/null; shift; words=(tokenbench-cli "$@"); CURRENT=$#words; PREFIX=$words[-1]
        _tokenbench_cli' _ "$zshc" "$@"
}
complete_zsh '' | grep -q '^_describe decode:Decode a JWS' || fail "zsh: commands"
expect "zsh: options" "$(complete_zsh --)" "compadd -- --help --version"
complete_zsh cookie '' | grep -q '^_describe lint:Check Set-Cookie' || fail "zsh: cookie actions"
complete_zsh jwk convert --to '' | grep -qF "'*--to[" && fail "zsh: quotes leaked into the specs"
complete_zsh jwk convert --to '' | grep -qF '*--to[Output format of convert' || fail "zsh: jwk options"

if ((failures > 0)); then
    echo "$failures check(s) failed" >&2
    exit 1
fi
echo "package OK: $(basename "$deb"), $(stat -c %s "$deb") bytes; Depends: $depends"
