#!/bin/sh
# Guests' side of a shared session: a read-only guest cannot edit and says so; a guest's
# save request is refused when the file changed on disk, and the host decides; a guest that
# loses the host (a proxy in between cuts it off) keeps editing, counts its unsent edits,
# saves a copy with Ctrl-S, and sends its edits when the host is back; quitting with
# unsent edits asks first; a guest joins through ssh (an sshd on loopback; that part is
# skipped when sshd cannot run here).
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/collablib.sh"
PX_DIR=$WORK/px
mkdir -p "$PX_DIR"
. "${srcdir:-.}/tests/e2e/proxy-lib.sh"
. "${srcdir:-.}/tests/e2e/sshd.sh"
trap 'px_kill_all; sshd_stop; cleanup' EXIT
PROXY=${PROXY:-$PWD/tests/tools/proxy}

# --- the command line ------------------------------------------------------------------------
"$WEFT" join >"$WORK/out" 2>&1 && fail "weft join without a ticket succeeded"
[ $? -eq 2 ] && grep -q "missing TICKET" "$WORK/out" || fail "weft join: $(cat "$WORK/out")"
"$WEFT" join 'weft://short@127.0.0.1:1' >"$WORK/out" 2>&1
[ $? -eq 2 ] && grep -q "token has 5 characters" "$WORK/out" || fail "bad ticket: $(cat "$WORK/out")"
"$WEFT" host "$WORK/x.txt" </dev/null >"$WORK/out" 2>&1
[ $? -eq 1 ] && grep -q "needs a terminal" "$WORK/out" || fail "no terminal: $(cat "$WORK/out")"
grep -q "weft://" "$WORK/out" && fail "weft host printed tickets it could not serve"
start_as bad 100 6 "$WEFT host --listen nonsense x.txt"
expect_exit_of bad 1
expect_on bad "Give --listen an address of this machine"

printf 'one\ntwo\n' >"$WORK/doc.txt"
start_as host 100 10 "$WEFT host --name hana --read-only-guests doc.txt"
TICKET=$(ticket_of host)
RO=$(ticket_of host read-only)
[ -n "$TICKET" ] && [ -n "$RO" ] || fail "no tickets"
port=${TICKET##*:}
# gus goes through a proxy that the test can cut.
px_start p 4 "$PROXY" 127.0.0.1 "$port"
VIA=${TICKET%:*}:$(px_port p)
start_as gus 100 10 "$WEFT join --name gus '$VIA'"
expect_on gus "online"
start_as rita 100 10 "$WEFT join --name rita '$RO'"

# --- read-only -----------------------------------------------------------------------------
expect_on rita "Joined hana's session (read-only"
expect_on rita "read-only  Ln 1, Col 1"
type_to rita "x"
expect_on rita "Read-only session: you can watch"
keys_to rita End
expect_cursor_on rita "3,0"
expect_row_on rita 0 "one   hana   gus"
expect_on host " gus   rita "
expect_colour_at host 0 "48;5;34" 3   # rita's cursor, in her colour, at the end of "one"
expect_row_on host 0 "one   gus   rita"

# --- a save request when the file changed on disk ----------------------------------------
printf 'changed elsewhere\n' >"$WORK/doc.txt"
keys_to gus C-s
expect_on gus "hana could not save: Not saved: doc.txt changed on disk"
expect_on host "gus asked to save, but doc.txt changed on disk"
expect_file "$WORK/doc.txt" 'changed elsewhere\n'
keys_to host C-s
expect_on host "Overwrite"
keys_to host y
expect_file "$WORK/doc.txt" 'one\ntwo\n'
expect_on gus "Saved 2 lines to doc.txt."

# --- offline: edits wait, a copy can be saved, and they go out when the host is back ------
px_ctl p refuse on
px_ctl p cut
expect_on gus "Lost the host"
expect_on gus "reconnecting"
keys_to gus End
type_to gus " offline"
expect_on gus "reconnecting… 8 unsent"
expect_row_on host 0 "one   rita"        # nothing reached the host; gus's cursor is gone
keys_to gus C-s
expect_on gus "Not connected to the host. Save a copy to"
expect_on gus "doc.txt.weft-copy"
keys_to gus Enter
expect_on gus "Saved a copy (2 lines) to doc.txt.weft-copy."
expect_file "$WORK/doc.txt.weft-copy" 'one offline\ntwo\n'
px_ctl p refuse off
expect_on gus "Back online with hana"
expect_row_on host 0 "one offline   rita   gus"
expect_on gus "online ✓"
expect_not_on gus "unsent"

# --- quitting with unsent edits asks ----------------------------------------------------------
px_ctl p refuse on
px_ctl p cut
expect_on gus "reconnecting"
type_to gus "!"
expect_on gus "1 unsent"
keys_to gus C-q
expect_on gus "Quit anyway?"
keys_to gus n
expect_not_on gus "Quit anyway?"
keys_to gus C-q
keys_to gus y
expect_exit_of gus 0
expect_on host "left: gus"

# --- through ssh ----------------------------------------------------------------------------
if sshd_start; then
    token=${TICKET#weft://}
    token=${token%%@*}
    SSH_TICKET="ssh://$SSHD_USER@127.0.0.1:$SSHD_PORT/$token@127.0.0.1:$port"
    start_as sam 100 10 "env WEFT_SSH='$WEFT_SSH' $WEFT join --name sam '$SSH_TICKET'"
    expect_on sam "Joined hana's session."
    expect_row_on sam 0 "one offline   hana   rita"
    type_to sam "via ssh "
    expect_row_on host 0 "via ssh one offline   rita   sam"
    keys_to sam C-q
    expect_exit_of sam 0
else
    echo "(the ssh part was skipped)"
fi

# --- the host leaves: the guests know ------------------------------------------------------
keys_to host C-q
expect_on host "Save changes"
keys_to host y
expect_exit_of host 0
grep -q 'one offline' "$WORK/doc.txt" || fail "the host did not save the guest's edit"
expect_on rita "hana ended the session (quit). Ctrl-S saves a copy."
keys_to rita C-q
expect_exit_of rita 0
echo "PASS: collab-guest"
