#!/bin/bash
# A hostile guest of `weft serve DIR` (issue 11: "what a guest may not see, it cannot learn
# exists"), through tests/tools/rawpeer's project modes after a real handshake and JOIN. The
# tree holds .env, .git/, an ignored directory, links out of the root, and beside it an
# outside directory with a secret. Every message is tried: OPEN, SAVE, UPDATE, SYNC, RESYNC
# and CLOSE of ids never listed (and edits of listed files never opened), MORE after any id
# (2^64-1 too), TREE naming hidden, ignored, linked and absent paths, and invalid ones ("..",
# absolute, NUL and control bytes, too long), presence claiming ids never listed, OPEN of
# listed files swapped for links after the listing. Each answer is the same for something
# hidden as for nothing at all; a read-only guest changes nothing on disk, a read-write
# guest's tree requests change nothing but what they create (inside the root, never over a
# hidden entry, never outside); the host stays up and an honest `weft cat` still works.
# The one thing a read-write guest learns is inherent in one directory holding one entry per
# name: creating the very name of a link or special file lands at name~who ("out was taken"),
# as it would for a shared file, without telling what is there.
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
printf 'moves\n' >"$P/mover.txt" # what the read-write prober renames about
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
    printf '%s\n' .gitignore README.md docs docs/a.txt docs/b.txt mover.txt src src/main.c | sort |
        diff - "$NET_DIR/$name.entries" >&2 || fail "$name: the manifest is not exactly the shared files"
    [ "$(grep -c '^open ' "$raw")" -ge 30 ] || fail "$name: too few OPENs answered"
    one_answer "$raw" '^open ' "$name: OPEN of ids never listed"
    grep -q '^open [0-9]* refused that file is not shared in this session$' "$raw" ||
        fail "$name: OPEN of an id never listed: $(grep -m1 '^open ' "$raw")"
    one_answer "$raw" '^save ' "$name: SAVE of files never opened"
    grep -q '^quiet$' "$raw" || fail "$name: edits of files never opened were answered: $(grep -E '^(answered|not quiet|closed)' "$raw")"
    grep '^more-bad ' "$raw" >&2 && fail "$name: MORE gave entries not after its id"
    [ "$(grep -c "^more " "$raw")" -eq 14 ] || fail "$name: not every MORE answered: $(grep "^more" "$raw")"
    grep -q '^more 0 8$' "$raw" || fail "$name: MORE after 0 is not the whole manifest"
    [ "$(grep -c '^tree ' "$raw")" -ge 36 ] || fail "$name: not every TREE answered"
    # ids never listed: one refusal each for rename and delete (the id echoed is the guest's)
    [ "$(grep -c '^tree rename-id:' "$raw")" -ge 30 ] || fail "$name: too few TREE renames of ids"
    grep -E '^tree (rename|delete)-id:' "$raw" | sed -E 's/^tree (rename|delete)-id:[0-9]+ refused [0-9]+ //' |
        sort -u | grep -vxE "cannot (rename|delete): that file is not in the session|$ROLE_REFUSAL" >&2 &&
        fail "$name: TREE of ids never listed: answers differ"
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

# The read-only guest first: it changes nothing, and every TREE gets the same refusal.
ROLE_REFUSAL="this session is read-only for you.*"
probe ro "$TICKET_RO" ro
grep -q '^save 1 refused this session is read-only for you' "$NET_DIR/ro.raw" ||
    fail "a read-only SAVE: $(grep -m1 '^save' "$NET_DIR/ro.raw")"
one_answer "$NET_DIR/ro.raw" '^tree ' "ro: TREE requests"
grep -q '^tree [^ ]* ok' "$NET_DIR/ro.raw" && fail "ro: a TREE request was done"
snapshot | diff "$NET_DIR/before" - >&2 || fail "the read-only guest changed the disk"

probe rw "$TICKET" rw
R=$NET_DIR/rw.raw
grep -q '^save 1 refused that file is not open$' "$R" || fail "SAVE of a file never opened"
grep -q '^tree rename-id:[0-9]* refused [0-9]* cannot rename: that file is not in the session$' \
    "$R" || fail "TREE rename of an id never listed: $(grep -m1 '^tree rename-id' "$R")"
# answer OP:PATH: the answer's text (after "ok|refused ID"), PATH written P.
answer() {
    grep -F -- "tree $1 " "$R" | head -n 1 | cut -d' ' -f3,5- | sed "s|${1#*:}|P|g"
}
# Hidden by their name (private, VCS, ignored): refused for the name, alike whether
# something is there (.env, .git/config, build/x) or not (.envrc, .git/hooks/..., build/new).
for pair in '.env .envrc' '.git/config .git/hooks/post-checkout' 'build/x build/new'; do
    set -- $pair
    for op in create mkdir rename; do
        a=$(answer "$op:$1") b=$(answer "$op:$2")
        case $a in "refused "*) ;; *) fail "$op:$1 was not refused: $a" ;; esac
        [ "$a" = "$b" ] || fail "$op of $1 (there) and $2 (absent) answered differently: '$a' / '$b'"
    done
done
answer create:.env | grep -q 'the name would not be shared' || fail "create .env: $(answer create:.env)"
answer rename:build/x | grep -q 'the name would not be shared' ||
    fail "rename into an ignored directory: $(answer rename:build/x)"
# Links: never followed, never replaced, never described.
grep '^tree ' "$R" | grep -Eiq 'outside|secret|link|->' && fail "a TREE answer told of a link: $(grep '^tree ' "$R" | grep -Ei 'outside|secret|link|->')"
[ "$(answer create:out)" = "ok created P~prober (P was taken)" ] || fail "create over a link: $(answer create:out)"
[ "$(answer create:nonexistent)" = "ok created P" ] || fail "create: $(answer create:nonexistent)"
# On disk: nothing hidden, linked or outside changed; only the prober's own files appeared
# (and mover.txt moved).
snapshot >"$NET_DIR/after"
diff "$NET_DIR/before" "$NET_DIR/after" | grep '^<' | grep -v 'proj/mover.txt' >&2 &&
    fail "the read-write guest changed what was there"
diff "$NET_DIR/before" "$NET_DIR/after" | grep '^>' | sed 's/ -> .*//' | awk '{ print $NF }' |
    grep -Ev '^proj/(mover\.txt|nonexistent|out~prober|passwd~prober|moved)' >&2 &&
    fail "the read-write guest made something other than its own new files"
[ "$(readlink "$P/out")" = ../outside ] && [ "$(readlink "$P/passwd")" = ../outside/secret ] ||
    fail "a link was changed"
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
snapshot | diff "$NET_DIR/after" - >&2 || fail "invalid TREE requests changed the disk"
rawpeer longtree --wait 5000 "$TICKET" badtree 'long:4095'
grep -q '^tree long:4095 ok created aaaa' "$NET_DIR/longtree.raw" ||
    fail "the longest valid path: $(cat "$NET_DIR/longtree.raw")"
LONG=$(printf 'a%.0s' $(seq 99))
# 40 directories of 99 bytes and a file of 95 (too long for one stat() below $P: find walks)
[ "$(find "$P/$LONG" -mindepth 39 -type f -name "$(printf 'a%.0s' $(seq 95))" | wc -l)" = 1 ] ||
    fail "the longest valid path is not on disk"
rm -rf "${P:?}/$LONG"

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
