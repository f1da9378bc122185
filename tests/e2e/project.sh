#!/bin/bash
# weft serve DIR (issue 11): a directory shared through the project filter. The start-up
# counts what is shared and hidden; `weft ls` lists exactly the shared files (no .git, no
# .env, nothing .gitignore hides, no symbolic link, in or out of the root); `weft cat`
# prints each byte for byte, refuses a binary file for what it is, and gives one and the same
# answer for a hidden file, a path outside the root, an ignored file, a link and a file that
# does not exist; without PATH it says how to find one. A headless guest edits a file: the
# disk keeps the old text until the guest saves, then holds the new (mode kept, no
# temporary left); SIGTERM saves what is unsaved. A tree bigger than a page and a walk's
# batch lists whole. --share-private shares the private files it names and no others, and is
# refused for a FILE, a negation or an empty pattern. A one-file session lists its file.
set -u
builddir=${builddir:-.}
srcdir=${srcdir:-.}
. "$srcdir/tests/e2e/netlib.sh"
export XDG_STATE_HOME=$NET_DIR/state

P=$NET_DIR/proj
mkdir -p "$P/.git" "$P/build" "$P/src/lib/deep" "$P/docs"
printf 'ref: refs/heads/main\n' >"$P/.git/HEAD"
printf 'SECRET=1\n' >"$P/.env"
printf 'build/\n' >"$P/.gitignore"
printf 'object\n' >"$P/build/x"
printf 'int main(void)\n{\n    return 0;\n}\n' >"$P/src/main.c"
chmod 640 "$P/src/main.c"
printf 'static int deep;\n' >"$P/src/lib/deep/util.c"
printf '# title\r\nno final newline' >"$P/README.md"
printf 'spaces\tand a tab\n' >"$P/docs/notes and things.txt"
printf '\x00\x01\x02binary' >"$P/blob.bin"
ln -s /etc "$P/out"
ln -s /etc/passwd "$P/passwd"

serve_start "$P"
wait_log 'files shared' || fail "no summary"
echo "$REPLY" | grep -qE ': 6 files shared, 3 hidden \(2 symbolic links and 0 special files not shared\)$' ||
    fail "the summary is not right: $REPLY"

# --- ls: exactly the shared files, in the walk's order -------------------------------------
"$WEFT" ls "$TICKET" >"$NET_DIR/ls.out" 2>"$NET_DIR/ls.err" || fail "weft ls failed: $(cat "$NET_DIR/ls.err")"
printf '%s\n' .gitignore README.md blob.bin 'docs/notes and things.txt' src/lib/deep/util.c \
    src/main.c >"$NET_DIR/ls.want"
diff "$NET_DIR/ls.want" "$NET_DIR/ls.out" >&2 || fail "weft ls does not list exactly the shared files"

# --- cat: each text file byte for byte -------------------------------------------------------
while read -r f; do
    [ "$f" = blob.bin ] && continue
    "$WEFT" cat "$TICKET" "$f" >"$NET_DIR/cat.out" 2>"$NET_DIR/cat.err" ||
        fail "weft cat $f failed: $(cat "$NET_DIR/cat.err")"
    cmp "$P/$f" "$NET_DIR/cat.out" || fail "weft cat $f is not the file byte for byte"
done <"$NET_DIR/ls.want"
"$WEFT" cat "$TICKET" blob.bin >"$NET_DIR/cat.out" 2>"$NET_DIR/cat.err"
[ $? -eq 1 ] || fail "weft cat of a binary file did not exit 1"
grep -q 'blob.bin is a binary file' "$NET_DIR/cat.err" || fail "no reason for the binary file: $(cat "$NET_DIR/cat.err")"

# --- what is not shared: one answer for all ------------------------------------------------
for f in .env ../etc/passwd build/x nonexistent .git/HEAD passwd out/passwd /etc/passwd \
    src/../.env; do
    "$WEFT" cat "$TICKET" "$f" >"$NET_DIR/cat.out" 2>"$NET_DIR/cat.err"
    status=$?
    [ "$status" -eq 1 ] || fail "weft cat $f exited $status"
    [ ! -s "$NET_DIR/cat.out" ] || fail "weft cat $f printed something"
    [ "$(cat "$NET_DIR/cat.err")" = "weft cat: $f is not shared in this session" ] ||
        fail "weft cat $f said: $(cat "$NET_DIR/cat.err")"
done
"$WEFT" cat "$TICKET" >"$NET_DIR/cat.out" 2>"$NET_DIR/cat.err"
[ $? -eq 2 ] || fail "weft cat of a project without PATH did not exit 2"
grep -q 'weft ls TICKET' "$NET_DIR/cat.err" || fail "no hint to weft ls: $(cat "$NET_DIR/cat.err")"

# --- a guest edits, the host saves on the guest's word -------------------------------------
CLIENT_OPTS="--file src/main.c" client_start ed
client_wait ed '^opened src/main.c' || fail "the guest could not open src/main.c"
wait_log 'ed opened src/main.c' || fail "the open was not logged"
client_send ed insert 0 '/*%20edited%20*/%0A'
client_wait ed '^ok' || fail "the guest could not edit"
converge ed
"$WEFT" cat "$TICKET" src/main.c >"$NET_DIR/cat.out" || fail "weft cat after the edit failed"
printf '/* edited */\nint main(void)\n{\n    return 0;\n}\n' >"$NET_DIR/want"
cmp "$NET_DIR/want" "$NET_DIR/cat.out" || fail "weft cat does not show the guest's edit"
cmp -s "$NET_DIR/want" "$P/src/main.c" && fail "the file changed on disk before a save"
client_send ed save
client_wait ed '^saved ok' || fail "the save failed"
cmp "$NET_DIR/want" "$P/src/main.c" || fail "the save did not write the guest's text"
[ "$(stat -c %a "$P/src/main.c")" = 640 ] || fail "the save did not keep the mode"
ls -a "$P/src" | grep -q 'weft-' && fail "a temporary file was left: $(ls -a "$P/src")"
CLIENT_OPTS="--file blob.bin" client_start bin
client_wait bin '^refused blob.bin is a binary file' || fail "a binary file was opened for editing"

# --- SIGTERM saves what is unsaved -----------------------------------------------------------
client_send ed insert 0 'X'
client_wait ed '^ok' || fail "the guest could not edit"
converge ed
kill -TERM "$SERVE_PID"
wait "$SERVE_PID"
status=$?
[ "$status" -eq 0 ] || fail "weft serve DIR exited $status after SIGTERM"
printf 'X' | cat - "$NET_DIR/want" | cmp - "$P/src/main.c" || fail "SIGTERM did not save the edit"

# --- a tree bigger than a page and a batch --------------------------------------------------
B=$NET_DIR/big
for d in $(seq 0 9); do
    mkdir -p "$B/dir-$d"
    (cd "$B/dir-$d" && for i in $(seq 0 499); do : >"file-with-a-longish-name-$i.txt"; done)
done
serve_start "$B"
"$WEFT" ls "$TICKET" >"$NET_DIR/ls.out" 2>"$NET_DIR/ls.err" || fail "weft ls of the big tree failed"
[ "$(wc -l <"$NET_DIR/ls.out")" -eq 5000 ] || fail "weft ls listed $(wc -l <"$NET_DIR/ls.out") of 5000"
[ "$(sort -u "$NET_DIR/ls.out" | wc -l)" -eq 5000 ] || fail "weft ls listed a file twice"
"$WEFT" ls "$TICKET" | head -1 >/dev/null
[ "${PIPESTATUS[0]}" -eq 0 ] || fail "weft ls into a closed pipe did not exit 0"
wait_log ': 5000 files shared, 0 hidden' || fail "no summary for the big tree"
kill -TERM "$SERVE_PID"
wait "$SERVE_PID"

# --- --share-private: a private file shared on purpose, the others still hidden ------------
S=$NET_DIR/private
mkdir -p "$S/config"
printf 'KEY=example\n' >"$S/.env.example"
printf 'KEY=real\n' >"$S/.env"
printf 'KEY=local\n' >"$S/config/.env.example"
printf 'int x;\n' >"$S/main.c"
serve_start "$S" --share-private /.env.example
wait_log 'sharing private files on purpose .--share-private.: /.env.example$' ||
    fail "the start-up does not say which private files are shared"
"$WEFT" ls "$TICKET" >"$NET_DIR/ls.out" || fail "weft ls with --share-private failed"
printf '%s\n' .env.example main.c >"$NET_DIR/ls.want"
diff "$NET_DIR/ls.want" "$NET_DIR/ls.out" >&2 || fail "--share-private /.env.example shared the wrong files"
"$WEFT" cat "$TICKET" .env.example | cmp - "$S/.env.example" || fail "weft cat .env.example"
[ "$("$WEFT" cat "$TICKET" .env 2>&1)" = "weft cat: .env is not shared in this session" ] ||
    fail "--share-private /.env.example let .env through"
kill -TERM "$SERVE_PID"
wait "$SERVE_PID"
for bad in "$S/main.c --share-private main.c" "$S --share-private !.env" "$S --share-private="; do
    # shellcheck disable=SC2086 # the words of each case
    "$WEFT" serve $bad >"$NET_DIR/bad.out" 2>"$NET_DIR/bad.err"
    status=$?
    [ "$status" -eq 2 ] || fail "weft serve $bad exited $status"
    grep -q -- '--share-private' "$NET_DIR/bad.err" || fail "weft serve $bad said: $(cat "$NET_DIR/bad.err")"
done

# --- a one-file session ----------------------------------------------------------------------
printf 'one file\n' >"$NET_DIR/alone.txt"
serve_start "$NET_DIR/alone.txt"
[ "$("$WEFT" ls "$TICKET")" = alone.txt ] || fail "weft ls of a one-file session"
"$WEFT" cat "$TICKET" | cmp - "$NET_DIR/alone.txt" || fail "weft cat of a one-file session"
"$WEFT" cat "$TICKET" alone.txt | cmp - "$NET_DIR/alone.txt" || fail "weft cat FILE's name"
echo "project ok"
