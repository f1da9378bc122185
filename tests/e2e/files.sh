#!/bin/bash
# `weft serve` and `weft cat` with awkward files (issue 5).
#   - Byte for byte: an empty file, no final newline, CRLF line ends, a 20 MB single line,
#     NUL bytes, invalid UTF-8, random binary: `weft cat`, a guest's replica (length and
#     BLAKE2b) and the file saved after an unchanged session all equal the original (cmp).
#   - Refused with a clear message (exit 1, nothing served): a FIFO, an unreadable file
#     (run as nobody when root, since root reads anything). (A directory is shared as a
#     project: project.sh.)
#   - A file that vanishes before a save is recreated with the session's text; a directory
#     that vanishes makes the save fail with a clear message, the session going on.
#   - A full disk on save (a 1 MB tmpfs; needs root and mount, else SKIP): a clear message
#     in the log and to the guest, the session still serving, the original file intact, no
#     temporary file left; once there is room, the save succeeds. A full journal directory
#     is reported in the log and the session goes on.
#
#   files.sh [--long]         --long (or WEFT_LONG=1) uses a 200 MB single line
set -u
builddir=${builddir:-.}
srcdir=${srcdir:-.}
. "$srcdir/tests/e2e/netlib.sh"
. "$srcdir/tests/e2e/rellib.sh"
export XDG_STATE_HOME=$NET_DIR/state
MOUNTS=""
cleanup() {
    for m in $MOUNTS; do umount "$m" 2>/dev/null; done
    net_cleanup
}
trap cleanup EXIT
T_ALL=$(date +%s%N)
N=0

# serve_fresh FILE [OPTIONS]: stops the previous `weft serve` (which must exit 0) and starts
# one on FILE.
serve_fresh() {
    serve_stop
    rm -f "$NET_DIR/tickets"
    : >"$SERVE_LOG"
    serve_start "$@"
}

hash_of() { b2sum -l 256 <"$1" | cut -d' ' -f1; }

# roundtrip NAME: serves $NET_DIR/NAME; weft cat, a guest's replica and the file saved after
# an unchanged session must all be the original, byte for byte.
roundtrip() {
    local name=$1 f=$NET_DIR/$1 orig=$NET_DIR/$1.orig
    cp "$f" "$orig"
    local size hash
    size=$(stat -c %s "$orig")
    hash=$(hash_of "$orig")
    timer_start
    serve_fresh "$f"
    "$WEFT" cat "$TICKET" >"$NET_DIR/$name.cat" || fail "$name: weft cat failed"
    cmp "$orig" "$NET_DIR/$name.cat" >/dev/null \
        || fail "$name: weft cat printed $(stat -c %s "$NET_DIR/$name.cat") bytes, not the" \
            "$size of the file: $(cmp "$orig" "$NET_DIR/$name.cat" 2>&1 | head -1)"
    N=$((N + 1))
    local g=rt$N
    client_start "$g"
    wait_online "$g"
    converge "$g"
    [ "${CONVERGED##* }" = "$hash" ] || fail "$name: the guest's replica hashes to" \
        "${CONVERGED##* }, the file to $hash ($size bytes; the guest says: $CONVERGED)"
    client_send "$g" save
    client_wait "$g" '^saved ' 60 || fail "$name: no answer to the save request"
    case $REPLY in "saved ok"*) ;; *) fail "$name: the save failed: $REPLY" ;; esac
    cmp "$orig" "$f" >/dev/null || fail "$name: the file saved after an unchanged session" \
        "differs from the original: $(cmp "$orig" "$f" 2>&1 | head -1)"
    quit_guests "$g"
    serve_stop
    cmp "$orig" "$f" >/dev/null || fail "$name: the file differs after weft serve ended"
    report "$name: $size bytes round-trip through weft cat, a replica and a save in $(timer_ms) ms"
}

# --- byte for byte -----------------------------------------------------------------------
: >"$NET_DIR/empty"
roundtrip empty
printf 'no final newline' >"$NET_DIR/nofinal"
roundtrip nofinal
printf 'line one\r\nline two\r\n\r\nlast, also CRLF\r\n' >"$NET_DIR/crlf"
roundtrip crlf
printf 'mixed\r\nends\nand a lone CR\rhere\n\r' >"$NET_DIR/mixed-ends"
roundtrip mixed-ends
mb=$(pick 20 200)
head -c $((mb * 786432)) /dev/urandom | base64 -w 0 | head -c $((mb * 1048576)) >"$NET_DIR/one-line"
roundtrip one-line
printf 'NUL\0in\0\0the middle\0\nand at the end\0' >"$NET_DIR/nul"
roundtrip nul
# Lone continuation bytes, overlong forms, surrogates, a truncated sequence at the end,
# bytes that are never UTF-8, mixed with valid multi-byte characters.
printf 'ok \xc3\xa9 \x80 \xbf\xbf \xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xfe\xff \xe2\x82 \xf0\x9f\x98\x80 end \xe2\x82' \
    >"$NET_DIR/bad-utf8"
roundtrip bad-utf8
head -c 1048576 /dev/urandom >"$NET_DIR/binary"
roundtrip binary

# --- refused -----------------------------------------------------------------------------
# refused NAME FILE REGEX [RUNAS...]: weft serve FILE exits 1 at once with a message
# matching REGEX, having listened on nothing.
refused() {
    local name=$1 file=$2 re=$3 st=0
    shift 3
    timeout 10 "$@" "$WEFT" serve "$file" >"$NET_DIR/$name.out" 2>"$NET_DIR/$name.err" || st=$?
    [ "$st" -eq 1 ] || fail "$name: weft serve exited $st, want 1; it said: $(cat "$NET_DIR/$name.err")"
    grep -q -E "$re" "$NET_DIR/$name.err" || fail "$name: want a message matching '$re';" \
        "got: $(cat "$NET_DIR/$name.err")"
    [ -s "$NET_DIR/$name.out" ] && fail "$name: tickets were printed: $(cat "$NET_DIR/$name.out")"
    report "$name: refused: $(head -1 "$NET_DIR/$name.err")"
}
mkfifo "$NET_DIR/a-fifo"
refused fifo "$NET_DIR/a-fifo" 'a-fifo is not a regular file'

mkdir "$NET_DIR/locked"
printf 'secret\n' >"$NET_DIR/locked/unreadable"
chmod 000 "$NET_DIR/locked/unreadable"
if [ "$(id -u)" -eq 0 ]; then
    if command -v setpriv >/dev/null && setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null; then
        # nobody must reach the file: the directories on the way are searchable.
        chmod 711 "$NET_DIR" "$NET_DIR/locked"
        mkdir -m 777 "$NET_DIR/nobody-state"
        XDG_STATE_HOME=$NET_DIR/nobody-state refused unreadable "$NET_DIR/locked/unreadable" \
            'unreadable.*[Pp]ermission denied' setpriv --reuid=nobody --regid=nogroup --clear-groups
        chmod 700 "$NET_DIR"
    else
        echo "SKIP: an unreadable file (root here, and cannot run as nobody)"
    fi
else
    refused unreadable "$NET_DIR/locked/unreadable" 'unreadable.*[Pp]ermission denied'
fi

# --- vanishing files and directories -----------------------------------------------------
printf 'will vanish\n' >"$NET_DIR/vanish"
serve_fresh "$NET_DIR/vanish"
client_start v1
wait_online v1
client_send v1 mark 20 V 1
client_wait v1 '^marked 20$' || fail "v1 could not type"
rm "$NET_DIR/vanish"
converge v1
client_send v1 save
client_wait v1 '^saved ' 30 || fail "no answer to a save of a vanished file"
case $REPLY in
"saved ok"*)
    "$WEFT" cat "$TICKET" >"$NET_DIR/vanish.cat" || fail "weft cat failed"
    cmp "$NET_DIR/vanish.cat" "$NET_DIR/vanish" >/dev/null \
        || fail "the recreated file differs from the session's text"
    expect_markers "$NET_DIR/vanish" V 20
    wait_log 'vanish was removed since it was loaded' \
        || fail "the host did not say the file had gone since it was loaded"
    report "a file deleted before a save: recreated with the session's text; the log says:" \
        "$(grep -m1 'was removed since' "$SERVE_LOG" | sed 's/^weft [0-9:]*: //')"
    ;;
*)
    echo "$REPLY" | grep -q -i 'vanish\|no such\|deleted\|gone' || fail "a failed save of a" \
        "vanished file must say why; it said: $REPLY"
    report "a file deleted before a save: the save failed clearly: $REPLY"
    ;;
esac
quit_guests v1

# The whole directory goes: the save must fail clearly, the session go on.
mkdir "$NET_DIR/gone-dir"
printf 'in a directory that will vanish\n' >"$NET_DIR/gone-dir/file"
serve_fresh "$NET_DIR/gone-dir/file"
client_start v2
wait_online v2
client_send v2 mark 10 W 1
client_wait v2 '^marked 10$' || fail "v2 could not type"
rm -r "$NET_DIR/gone-dir"
client_send v2 save
client_wait v2 '^saved ' 30 || fail "no answer to a save into a vanished directory"
why=$REPLY
case $REPLY in "saved fail"*) ;; *) fail "a save into a vanished directory: want a failure, got: $REPLY" ;; esac
echo "$REPLY" | grep -q 'gone-dir/file.*No such file or directory' \
    || fail "the failure should name the file and the reason; it said: $REPLY"
wait_log 'cannot save .*gone-dir/file' || fail "the log does not say the save failed"
client_send v2 mark 10 W2 1
client_wait v2 '^marked 10$' || fail "v2 could not type after the failed save"
converge v2
"$WEFT" cat "$TICKET" >"$NET_DIR/gone.cat" || fail "weft cat failed after a failed save"
expect_markers "$NET_DIR/gone.cat" W 10
expect_markers "$NET_DIR/gone.cat" W2 10
report "a directory deleted before a save: '${why#saved fail }'; the session went on"
quit_guests v2
# On SIGTERM the save fails again: exit 1, and the journal stays for --recover.
kill -TERM "$SERVE_PID"
st=0
wait "$SERVE_PID" || st=$?
SERVE_PID=""
[ "$st" -eq 1 ] || fail "weft serve exited $st when it could not save at the end; want 1"
ls "$XDG_STATE_HOME"/weft/*.journal >/dev/null 2>&1 || fail "no journal left after a failed final save"
rm -f "$XDG_STATE_HOME"/weft/*.journal

# --- a full disk -------------------------------------------------------------------------
# small_tmpfs DIR SIZE: mounts a tmpfs of SIZE on DIR; false when we cannot.
small_tmpfs() {
    mkdir -p "$1"
    [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o "size=$2" tmpfs "$1" 2>/dev/null || return 1
    MOUNTS="$MOUNTS $1"
}
full=$NET_DIR/full
if ! small_tmpfs "$full" 1m; then
    echo "SKIP: a full disk on save (needs root and a tmpfs mount; uid $(id -u))"
else
    head -c 300000 /dev/urandom | base64 >"$full/doc"
    cp "$full/doc" "$NET_DIR/full-orig"
    # Leave less room than a second copy of the file needs.
    avail=$(($(stat -f -c '%a * %S' "$full")))
    head -c $((avail - 200000)) /dev/zero >"$full/filler" 2>/dev/null
    serve_fresh "$full/doc"
    client_start d1
    wait_online d1
    client_send d1 mark 50 F 1
    client_wait d1 '^marked 50$' || fail "d1 could not type"
    converge d1
    client_send d1 save
    client_wait d1 '^saved ' 30 || fail "no answer to a save on a full disk"
    why=$REPLY
    case $REPLY in "saved fail"*) ;; *) fail "a save on a full disk: want a failure, got: $REPLY" ;; esac
    echo "$REPLY" | grep -q 'full/doc.*No space left on device' \
        || fail "the failure should name the file and say the disk is full; it said: $REPLY"
    wait_log 'cannot save .*full/doc.*No space left on device' || fail "the log does not say why the save failed"
    cmp "$full/doc" "$NET_DIR/full-orig" >/dev/null || fail "the original file changed after a failed save"
    leftover=$(find "$full" -mindepth 1 ! -name doc ! -name filler)
    [ -z "$leftover" ] || fail "a failed save left files behind: $leftover"
    # Still serving: more typing, a new guest, weft cat.
    client_send d1 mark 50 F2 1
    client_wait d1 '^marked 50$' || fail "d1 could not type after the failed save"
    client_start d2
    wait_online d2
    converge d1 d2
    "$WEFT" cat "$TICKET" >"$NET_DIR/full.cat" || fail "weft cat failed after a failed save"
    expect_markers "$NET_DIR/full.cat" F 50
    expect_markers "$NET_DIR/full.cat" F2 50
    # Room again: the next save works.
    rm "$full/filler"
    client_send d2 save
    client_wait d2 '^saved ok' 30 || fail "the save after freeing room failed: $(tail -n 1 "$NET_DIR/d2.out")"
    cmp "$full/doc" "$NET_DIR/full.cat" >/dev/null || fail "the file saved once there was room differs from weft cat"
    report "a full disk on save: '${why#saved fail }'; the original file intact, nothing left" \
        "behind, the session went on; saved once there was room"
    quit_guests d1 d2
    serve_stop

    # The journal's directory fills up: the log says so, the session goes on.
    jstate=$NET_DIR/jstate
    if small_tmpfs "$jstate" 256k; then
        head -c 20000 /dev/urandom | base64 >"$NET_DIR/jdoc"
        XDG_STATE_HOME=$jstate serve_fresh "$NET_DIR/jdoc"
        client_start j1
        wait_online j1
        chunk=$(head -c 150000 /dev/urandom | base64 -w 0 | tr -d '+/=')
        for i in 1 2 3; do
            client_send j1 insert 0 "<J-$i>$chunk"
            client_wait j1 '^ok$' || fail "j1 could not paste"
        done
        wait_log 'cannot write the journal' 10 || fail "a full journal directory is not reported"
        client_send j1 mark 20 J2 1
        client_wait j1 '^marked 20$' || fail "j1 could not type after the journal filled up"
        converge j1
        "$WEFT" cat "$TICKET" >"$NET_DIR/j.cat" || fail "weft cat failed with the journal full"
        expect_markers "$NET_DIR/j.cat" J 3
        expect_markers "$NET_DIR/j.cat" J2 20
        # Said once, in words: the journal stops recording, and the updates it refuses then
        # say nothing (they used to log whatever was on the stack, once per update).
        said=$(grep -c 'journal' "$SERVE_LOG")
        [ "$said" -eq 1 ] || fail "the full journal was reported $said times: $(grep journal "$SERVE_LOG")"
        odd=$(LC_ALL=C grep -n '[^[:print:]]\|: $' "$SERVE_LOG" | head -3)
        [ -z "$odd" ] || fail "the log has lines that are not words: $odd"
        report "a full journal directory: $(grep -m1 'cannot write the journal' "$SERVE_LOG" | sed 's/^weft [0-9:]*: //')"
        quit_guests j1
        serve_stop
    fi
fi

for f in "$NET_DIR"/*.err; do expect_clean_log "$f"; done
report "files: ran in $((($(date +%s%N) - T_ALL) / 1000000)) ms"
finish files
