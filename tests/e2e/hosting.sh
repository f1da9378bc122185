#!/bin/bash
# One host per file (issue 9): while `weft serve FILE` runs, a second `weft serve FILE`,
# `weft serve --discard FILE`, `weft serve --recover FILE` and `weft host FILE` each exit 1,
# naming the first one's pid and tickets, and the first one's journal is untouched; its
# session goes on. The lock dies with its holder: after a SIGKILL the next start recovers.
# The recovered session gives each guest back the colour it had (kept in the journal), even
# when a newcomer joins before they are back.
set -u
builddir=${builddir:-.}
srcdir=${srcdir:-.}
. "$srcdir/tests/e2e/netlib.sh"
export XDG_STATE_HOME=$NET_DIR/state

colour_of() {
    client_send "$1" colour
    client_wait "$1" '^colour ' || fail "$1 does not say its colour"
    echo "${REPLY#colour }"
}

printf 'base line\n' >"$NET_DIR/doc.txt"
serve_start "$NET_DIR/doc.txt"
first=$SERVE_PID
client_start a
client_wait a '^state online' || fail "a did not join"
client_start b
client_wait b '^state online' || fail "b did not join"
ca=$(colour_of a)
cb=$(colour_of b)
[ "$ca" = 1 ] && [ "$cb" = 2 ] || fail "colours in order of arrival: a $ca, b $cb"
client_send a insert 0 A-WAS-HERE%20
client_wait a '^ok' || fail "a could not type"
converge a b
journal=$(ls "$XDG_STATE_HOME"/weft/*.journal)
[ -n "$journal" ] || fail "the host keeps no journal"
before=$(b2sum <"$journal")

# --- a second host of the same file is refused, whatever it asks for -----------------------
for second in "serve" "serve --discard" "serve --recover" "host"; do
    # shellcheck disable=SC2086 # the words of $second are the command and its option
    "$WEFT" $second "$NET_DIR/doc.txt" </dev/null >"$NET_DIR/second.out" 2>"$NET_DIR/second.err"
    status=$?
    [ "$status" -eq 1 ] ||
        fail "weft $second on a shared file exited $status: $(cat "$NET_DIR/second.err")"
    grep -qF "doc.txt is already shared by weft serve (pid $first)" "$NET_DIR/second.err" ||
        fail "weft $second did not name the holder: $(cat "$NET_DIR/second.err")"
    grep -qF "  read-write: $TICKET" "$NET_DIR/second.err" ||
        fail "weft $second did not give the holder's ticket: $(cat "$NET_DIR/second.err")"
    [ ! -s "$NET_DIR/second.out" ] ||
        fail "weft $second printed tickets: $(cat "$NET_DIR/second.out")"
done
[ "$(b2sum <"$journal")" = "$before" ] || fail "a refused second host changed the journal"
kill -0 "$first" || fail "the first host is gone"
client_send b insert 0 STILL-SHARED%20
client_wait b '^ok' || fail "b could not type"
converge b a # the one who typed first: the other may still be in sync with the text before

# --- the lock dies with its holder; the next start recovers --------------------------------
kill -9 "$first"
wait "$first" 2>/dev/null
for c in a b; do client_wait $c '^state reconnecting' 30 || fail "$c did not notice the crash"; done
# a and b wait (stopped) while a newcomer joins the recovered session first: it must not get
# their colours, which the recovered host remembers from the journal.
kill -STOP "${CLIENT_PID[a]}" "${CLIENT_PID[b]}"
serve_start "$NET_DIR/doc.txt" --recover
wait_log 'recovered the session' || fail "no recovery after the crash"
client_start c
client_wait c '^state online' || fail "c did not join the recovered session"
cc=$(colour_of c)
[ "$cc" != "$ca" ] && [ "$cc" != "$cb" ] || fail "the newcomer got colour $cc (a $ca, b $cb)"
kill -CONT "${CLIENT_PID[a]}" "${CLIENT_PID[b]}"
for c in a b; do client_wait $c '^state online' 40 || fail "$c did not reconnect"; done
[ "$(colour_of a)" = "$ca" ] || fail "a came back in another colour"
[ "$(colour_of b)" = "$cb" ] || fail "b came back in another colour"
converge a b c
"$WEFT" cat "$TICKET" >"$NET_DIR/after.txt" || fail "weft cat failed"
grep -q 'STILL-SHARED A-WAS-HERE base line' "$NET_DIR/after.txt" ||
    fail "the recovered text is '$(cat "$NET_DIR/after.txt")'"

# --- a clean end releases the lock ---------------------------------------------------------
kill -TERM "$SERVE_PID"
wait "$SERVE_PID" || fail "serve did not end cleanly"
[ -z "$(ls "$XDG_STATE_HOME"/weft/*.lock 2>/dev/null)" ] || fail "a clean end left the lock file"
serve_start "$NET_DIR/doc.txt"
kill -TERM "$SERVE_PID"
wait "$SERVE_PID" || fail "serve after a clean end did not start and end cleanly"
echo "PASS: hosting"
