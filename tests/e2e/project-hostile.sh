#!/bin/bash
# A hostile guest of `weft serve DIR` (issue 11: "what a guest may not see, it cannot learn
# exists"), through tests/tools/rawpeer's project modes after a real handshake and JOIN. The
# tree holds .env, .git/, an ignored directory, links out of the root, and beside it an
# outside directory with a secret. Every message is tried: OPEN, SAVE, UPDATE, SYNC, RESYNC
# and CLOSE of ids never listed (and edits of listed files never opened), MORE after any id
# (2^64-1 too), TREE naming hidden, ignored, linked and absent paths, and invalid ones ("..",
# absolute, NUL and control bytes, too long), presence claiming ids never listed, OPEN of
# listed files swapped for links after the listing. Each answer is the same for something
# hidden as for nothing at all; nothing on disk changes, in the tree or outside; the host
# stays up and an honest `weft cat` still works. Read-write and read-only guests both.
set -u
builddir=${builddir:-.}
srcdir=${srcdir:-.}
. "$srcdir/tests/e2e/netlib.sh"
: "${RAWPEER:=$builddir/tests/tools/rawpeer}"
export XDG_STATE_HOME=$NET_DIR/state

P=$NET_DIR/proj
O=$NET_DIR/outside
mkdir -p "$P/.git/hooks" "$P/build" "$P/docs" "$P/src" "$O"
printf 'SECRET=1\n' >"$P/.env"
printf '[core]\n' >"$P/.git/config"
printf 'ref: refs/heads/main\n' >"$P/.git/HEAD"
printf 'build/\n' >"$P/.gitignore"
printf 'object\n' >"$P/build/x"
printf '# readme\n' >"$P/README.md"
printf 'a\n' >"$P/docs/a.txt"
printf 'b\n' >"$P/docs/b.txt"
printf 'int x;\n' >"$P/src/main.c"
printf 'TOPSECRET\n' >"$O/secret"
ln -s ../outside "$P/out"
ln -s ../outside/secret "$P/passwd"

# snapshot: every name, type, mode and link target, and every file's checksum, in the tree
# and outside it (links are not followed: what they point to is listed on its own).
snapshot() {
    (cd "$NET_DIR" && find proj outside -printf '%y %m %p -> %l\n' | sort &&
        find proj outside -type f -exec sha256sum {} + | sort)
}

# rawpeer NAME ARGS...: runs the tool, its output in $NET_DIR/NAME.raw.
rawpeer() {
    local name=$1
    shift
    "$RAWPEER" "$@" >"$NET_DIR/$name.raw" 2>&1 || fail "rawpeer $name failed: $(tail -n 3 "$NET_DIR/$name.raw")"
}

# one_answer FILE REGEX WHAT: the lines of FILE matching REGEX, their second field dropped
# (the id), must be there and all the same.
one_answer() {
    local n
    n=$(grep -E -- "$2" "$1" | cut -d' ' -f1,3- | sort -u | wc -l)
    [ "$n" -eq 1 ] || fail "$3: $n different answers: $(grep -E -- "$2" "$1" | cut -d' ' -f1,3- | sort | uniq -c)"
}

# probe NAME TICKET ROLE: the prober's checks, for either role.
probe() {
    local name=$1 raw=$NET_DIR/$1.raw
    rawpeer "$name" --wait 5000 "$2" probe
    grep -q "^role $3$" "$raw" || fail "$name: not a $3 guest: $(head -3 "$raw")"
    # exactly what weft ls lists (and the directories), nothing hidden
    grep '^entry ' "$raw" | cut -d' ' -f4- | sort >"$NET_DIR/$name.entries"
    printf '%s\n' .gitignore README.md docs docs/a.txt docs/b.txt src src/main.c | sort |
        diff - "$NET_DIR/$name.entries" >&2 || fail "$name: the manifest is not exactly the shared files"
    [ "$(grep -c '^open ' "$raw")" -ge 30 ] || fail "$name: too few OPENs answered"
    one_answer "$raw" '^open ' "$name: OPEN of ids never listed"
    grep -q '^open [0-9]* refused that file is not shared in this session$' "$raw" ||
        fail "$name: OPEN of an id never listed: $(grep -m1 '^open ' "$raw")"
    one_answer "$raw" '^save ' "$name: SAVE of files never opened"
    grep -q '^quiet$' "$raw" || fail "$name: edits of files never opened were answered: $(grep -E '^(answered|not quiet|closed)' "$raw")"
    grep '^more-bad ' "$raw" >&2 && fail "$name: MORE gave entries not after its id"
    [ "$(grep -c "^more " "$raw")" -eq 13 ] || fail "$name: not every MORE answered: $(grep "^more" "$raw")"
    grep -q '^more 0 7$' "$raw" || fail "$name: MORE after 0 is not the whole manifest"
    [ "$(grep -c '^tree ' "$raw")" -ge 36 ] || fail "$name: not every TREE answered"
    one_answer "$raw" '^tree ' "$name: TREE of hidden and absent paths"
    grep -q '^tree [^ ]* ok' "$raw" && fail "$name: a TREE request was done"
    # never-listed ids: no file and no place in it (flags: only read-only, 8, may stay);
    # the listed sentinel (id 1) with its cursor and view (5)
    grep '^seen ' "$raw" | grep -Ev '^seen (0 (0|8)|1 (5|13))$' >&2 &&
        fail "$name: presence named a file never listed"
    grep -Eq '^seen 1 (5|13)$' "$raw" || fail "$name: presence in a listed file was not relayed"
    [ "$(grep -Ec '^seen 0 (0|8)$' "$raw")" -ge 30 ] || fail "$name: presences were lost"
    grep -q '^alive$' "$raw" || fail "$name: the host dropped the prober"
}

serve_start "$P" --read-only-guests
[ -n "$TICKET_RO" ] || fail "no read-only ticket printed"
wait_log 'files shared' || fail "no summary"
snapshot >"$NET_DIR/before"

probe rw "$TICKET" rw
grep -q '^save 1 refused that file is not open$' "$NET_DIR/rw.raw" || fail "SAVE of a file never opened"
grep -q '^tree create:.env refused 0 this host does not change its files for guests$' \
    "$NET_DIR/rw.raw" || fail "TREE create .env: $(grep -m1 '^tree' "$NET_DIR/rw.raw")"
probe ro "$TICKET_RO" ro
grep -q '^save 1 refused this session is read-only for you' "$NET_DIR/ro.raw" ||
    fail "a read-only SAVE: $(grep -m1 '^save' "$NET_DIR/ro.raw")"
grep -q '^edit-refused ' "$NET_DIR/rw.raw" && fail "a read-write guest's edits were refused"
[ "$(grep '^edit-refused ' "$NET_DIR/ro.raw" | sort -u)" = \
    "edit-refused this session is read-only for you: your edit was not applied" ] ||
    fail "a read-only guest's edits: $(grep '^edit-refused ' "$NET_DIR/ro.raw" | sort | uniq -c)"

# --- invalid paths: the connection ends, the same way, whatever is behind them ---------------
rawpeer badtree --wait 5000 "$TICKET" badtree \
    'create:..%2Foutside%2Fsecret' 'create:..%2Foutside%2Fnonexistent' \
    'create:%2Fetc%2Fpasswd' 'create:%2Fetc%2Fnonexistent' \
    'create:src%2F..%2F.env' 'create:src%2F..%2Fnonexistent' 'create:.%2F.env' \
    'create:.env%00x' 'create:nonexistent%00x' 'create:.env%01' 'create:nonexistent%01' \
    'create:.git%2F' 'create:nonexistent%2F' 'mkdir:..' 'mkdir:out%2F..%2F..' \
    'rename:..%2Foutside%2Fsecret' 'rename:..%2Foutside%2Fnonexistent' 'create:' \
    'create:%E2%80%AEvne.' 'long:4096' 'long:70000'
[ "$(grep -c '^conn ' "$NET_DIR/badtree.raw")" -eq 21 ] ||
    fail "an invalid path was not refused: $(grep -v '^conn \|^seed ' "$NET_DIR/badtree.raw")"
[ "$(grep '^conn ' "$NET_DIR/badtree.raw" | cut -d' ' -f3,5- | sort -u)" = \
    "closed -21003 malformed TREE" ] || # WN_EPROTO
    fail "invalid paths answered differently: $(grep '^conn ' "$NET_DIR/badtree.raw" | cut -d' ' -f3,5- | sort | uniq -c)"
rawpeer longtree --wait 5000 "$TICKET" badtree 'long:4095'
grep -q '^tree long:4095 refused this host does not change its files for guests$' \
    "$NET_DIR/longtree.raw" || fail "the longest valid path: $(cat "$NET_DIR/longtree.raw")"

snapshot | diff "$NET_DIR/before" - >&2 || fail "the hostile guests changed the disk"

# --- listed files swapped for links after the listing: refused alike ------------------------
ln -sf ../outside/secret "$P/docs/a.txt"
ln -sf ../outside/nonexistent "$P/docs/b.txt"
mv "$P/src" "$P/src.moved"
cp "$P/src.moved/main.c" "$O/main.c"
ln -s ../outside "$P/src"
snapshot >"$NET_DIR/before"
rawpeer swapped --wait 5000 "$TICKET" open docs/a.txt docs/b.txt src/main.c README.md .env
for f in docs/a.txt docs/b.txt src/main.c; do
    grep -qxF "open $f refused $f is not shared in this session" "$NET_DIR/swapped.raw" ||
        fail "OPEN of $f swapped for a link: $(grep "^open $f " "$NET_DIR/swapped.raw")"
done
grep -qx 'open README.md ok 9' "$NET_DIR/swapped.raw" || fail "README.md: $(cat "$NET_DIR/swapped.raw")"
grep -qx 'open .env unlisted' "$NET_DIR/swapped.raw" || fail ".env was listed"
snapshot | diff "$NET_DIR/before" - >&2 || fail "opening swapped files changed the disk"

# --- the host is still up, and honest --------------------------------------------------------
kill -0 "$SERVE_PID" 2>/dev/null || fail "weft serve is gone"
"$WEFT" cat "$TICKET" README.md >"$NET_DIR/cat.out" 2>"$NET_DIR/cat.err" ||
    fail "weft cat README.md failed: $(cat "$NET_DIR/cat.err")"
cmp "$P/README.md" "$NET_DIR/cat.out" || fail "weft cat README.md is not the file"
kill -TERM "$SERVE_PID"
wait "$SERVE_PID"
status=$?
[ "$status" -eq 0 ] || fail "weft serve DIR exited $status after SIGTERM"
grep -rq HOSTILE "$P" "$O" && fail "a hostile edit reached the disk"
echo "project-hostile ok"
