#!/bin/sh
# Joins that cannot work say so (issue 9): a wrong token exits 1 with the reason before the
# editor starts; a host that cannot be reached (nothing listens on the port) is retried
# visibly in the editor, with the attempt, the next try and the key that gives up (Ctrl-Q,
# exit 1 with the reason on the terminal); a host that comes up meanwhile is joined by
# itself; `weft cat` says what, why and what to do for a closed port.
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/collablib.sh"
export XDG_STATE_HOME="$WORK/state"
BAD_TOKEN=AAAAAAAAAAAAAAAAAAAAAA

printf 'one\ntwo\n' >"$WORK/jdoc.txt"
start_as host 100 10 "$WEFT host --name hana jdoc.txt"
TICKET=$(ticket_of host)
[ -n "$TICKET" ] || fail "no ticket"
port=${TICKET##*:}

# --- a wrong token: a final no, before the editor starts ----------------------------------
start_as wrong 100 8 "$WEFT join 'weft://$BAD_TOKEN@127.0.0.1:$port'"
expect_exit_of wrong 1
expect_on wrong "weft join: cannot join 127.0.0.1:$port: wrong token: check the ticket"
lacks_on wrong "^Q Quit" || fail_on wrong "the editor started for a wrong token"

# --- nothing listens: retried visibly, Ctrl-Q gives up --------------------------------------
start_as closed 250 8 "$WEFT join 'weft://$BAD_TOKEN@127.0.0.1:1'"
expect_on closed "Cannot reach the host (attempt "
expect_on closed "): next try in "
expect_on closed "Ctrl-Q gives up"
expect_on closed "^Q Quit"             # the editor runs meanwhile
expect_on closed "reconnecting"
expect_on closed "(attempt 3)"         # the count goes up with each try
keys_to closed C-q
expect_exit_of closed 1
expect_on closed "weft join: gave up on 127.0.0.1:1 after"
expect_on closed "nothing listens there (connection refused)"
expect_on closed "Is the host still running"

# --- the host comes up meanwhile: the retrying join gets in by itself ---------------------
# A port that was just free: a host's, which then quits.
LATE_TOKEN=late-host-token-0123456789
printf 'late\n' >"$WORK/late.txt"
start_as late 100 10 "$WEFT host --name gus --token $LATE_TOKEN late.txt"
LATE=$(ticket_of late)
late_port=${LATE##*:}
keys_to late C-q
expect_exit_of late 0
start_as early 120 8 "$WEFT join --name ivy 'weft://$LATE_TOKEN@127.0.0.1:$late_port'"
expect_on early "(attempt 2)"
start_as late2 100 10 "$WEFT host --name gus --token $LATE_TOKEN --listen 127.0.0.1:$late_port late.txt"
expect_on late2 "hosting"
expect_on early "Joined gus's session."
expect_row_on early 0 "late   gus"
keys_to early C-q
expect_exit_of early 0
keys_to late2 C-q
expect_exit_of late2 0

# --- weft cat: what, why and what to do ------------------------------------------------------
"$WEFT" cat "weft://$BAD_TOKEN@127.0.0.1:1" >"$WORK/cat.out" 2>"$WORK/cat.err"
[ $? -eq 1 ] || fail "weft cat to a closed port: exit status, expected 1"
grep -q "weft cat: cannot connect to 127.0.0.1:1: nothing listens there (connection refused). Is the host still running, and is the ticket current?" "$WORK/cat.err" \
    || fail "weft cat to a closed port said: $(cat "$WORK/cat.err")"
"$WEFT" cat "weft://$BAD_TOKEN@127.0.0.1:$port" >"$WORK/cat.out" 2>"$WORK/cat.err"
[ $? -eq 1 ] && grep -q "wrong token" "$WORK/cat.err" || fail "weft cat with a wrong token: $(cat "$WORK/cat.err")"

keys_to host C-q
expect_exit_of host 0
echo "PASS: join"
