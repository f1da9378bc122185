#!/bin/sh
# `weft join` through ssh (issue 9), with a throwaway sshd on loopback (SKIP, 77, when sshd
# cannot run here):
#   - a login that ssh refuses (permission denied) is a final no: exit 1 with the reason;
#   - ssh asks on the terminal as it is, before the editor starts: an unknown host key
#     (StrictHostKeyChecking=ask) and a key's passphrase, answered with send-keys; the
#     editor then starts clean, without the prompt over it;
#   - a reconnect never lets ssh ask: with the passphrase key it fails (BatchMode), the
#     status line says why and what to do, and the editor stays clean;
#   - 20 reconnects through ssh (a proxy in front of the host cuts the link each time):
#     every ssh child is reaped, none is left <defunct>.
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/collablib.sh"
PX_DIR=$WORK/px
mkdir -p "$PX_DIR"
. "${srcdir:-.}/tests/e2e/proxy-lib.sh"
. "${srcdir:-.}/tests/e2e/sshd.sh"
PROXY=${PROXY:-$PWD/tests/tools/proxy}
export XDG_STATE_HOME="$WORK/state"
sshd_start || exit $?
trap 'px_kill_all; sshd_stop; cleanup' EXIT
SSH_BASE="ssh -F /dev/null -p $SSHD_PORT -o IdentitiesOnly=yes -o LogLevel=ERROR"
NO_HOSTKEY="-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"

printf 'one\ntwo\n' >"$WORK/sdoc.txt"
start_as host 100 10 "$WEFT host --name hana sdoc.txt"
TICKET=$(ticket_of host)
[ -n "$TICKET" ] || fail "no ticket"
port=${TICKET##*:}
token=${TICKET#weft://}
token=${token%%@*}
# The guests reach the host through a proxy, which the test cuts.
px_start p 4 "$PROXY" 127.0.0.1 "$port"
via="$token@127.0.0.1:$(px_port p)"
SSH_TICKET="ssh://$SSHD_USER@127.0.0.1:$SSHD_PORT/$via"

# --- permission denied: a final no -----------------------------------------------------------
start_as denied 250 8 "env WEFT_SSH='$SSH_BASE $NO_HOSTKEY -o BatchMode=yes' $WEFT join 'ssh://nobody@127.0.0.1:$SSHD_PORT/$via'"
expect_exit_of denied 1
expect_on denied "weft join: cannot join 127.0.0.1:"
expect_on denied "ssh could not log in to ssh://nobody@127.0.0.1:$SSHD_PORT: permission"
expect_on denied "Check the user name in the ticket"

# --- an unknown host key: ssh asks on the terminal, before the editor --------------------------
start_as hostkey 120 12 "env WEFT_SSH='$SSH_BASE -i $SSHD_KEY -o UserKnownHostsFile=$WORK/known_hosts -o StrictHostKeyChecking=ask' $WEFT join --name kim '$SSH_TICKET'"
expect_on hostkey "Are you sure you want to continue connecting"
type_to hostkey "yes"
keys_to hostkey Enter
expect_on hostkey "Joined hana's session."
expect_row_on hostkey 0 "one   hana"
expect_not_on hostkey "continue connecting"   # nothing of the prompt over the editor
expect_not_on hostkey "authenticity"
grep -q "127.0.0.1" "$WORK/known_hosts" || fail "ssh did not keep the accepted host key"
keys_to hostkey C-q
expect_exit_of hostkey 0

# --- a passphrase: asked before the editor; a reconnect cannot ask -----------------------------
ssh-keygen -q -t ed25519 -N 'weft-test-passphrase' -C weft-test-pass -f "$WORK/passkey" </dev/null \
    || fail "ssh-keygen could not make a key with a passphrase"
cat "$WORK/passkey.pub" >>"$SSHD_DIR/authorized_keys"
start_as pass 300 12 "env -u SSH_AUTH_SOCK WEFT_SSH='$SSH_BASE -i $WORK/passkey $NO_HOSTKEY' $WEFT join --name pat '$SSH_TICKET'"
expect_on pass "Enter passphrase for key"
type_to pass "weft-test-passphrase"
keys_to pass Enter
expect_on pass "Joined hana's session."
expect_row_on pass 0 "one   hana"
expect_not_on pass "Enter passphrase"
px_ctl p cut
expect_on pass "Offline: ssh needs a password or passphrase for ssh://$SSHD_USER@127.0.0.1:$SSHD_PORT, and cannot ask while the editor runs: use ssh-agent"
expect_on pass "offline"
expect_row_on pass 0 "one"                 # the editor is as it was: no prompt over it
expect_row_on pass 1 "two"
lacks_on pass "Enter passphrase" || fail_on pass "ssh asked for the passphrase over the editor"
keys_to pass C-q
expect_exit_of pass 0

# --- 20 reconnects through ssh: every child reaped -------------------------------------------
start_as sam 120 10 "env WEFT_SSH='$WEFT_SSH' $WEFT join --name sam '$SSH_TICKET'"
expect_on sam "Joined hana's session."
pane=$(t display-message -p -t sam '#{pane_pid}')
pid=$(pgrep -P "$pane" | head -n 1)
[ -n "$pid" ] || fail "cannot find sam's weft process"
# Each rejoin shows on the host as "joined: sam from 127.0.0.1:PORT", PORT the proxy's
# side of the new connection: the next cut comes once the guest is back in the session.
joined_port() { screen_of host | sed -n 's/.*joined: sam from 127\.0\.0\.1:\([0-9]*\).*/\1/p' | tail -n 1; }
rejoined() { _p=$(joined_port); [ -n "$_p" ] && [ "$_p" != "$1" ]; }
i=0
while [ "$i" -lt 20 ]; do
    i=$((i + 1))
    before=$(joined_port)
    px_ctl p cut
    TIMEOUT=30 poll rejoined "$before" || fail_on sam "reconnect $i: sam did not rejoin (host:" \
        "$(screen_of host | tail -n 2 | head -n 1))"
done
defunct() { ps --ppid "$pid" -o stat= | grep -c '^Z'; }
no_defunct() { [ "$(defunct)" -eq 0 ]; }
poll no_defunct || fail "sam's weft has $(defunct) <defunct> children after 20 reconnects:" \
    "$(ps --ppid "$pid" -o pid=,stat=,comm=)"
[ "$(ps --ppid "$pid" -o comm= | grep -c ssh)" -le 1 ] \
    || fail "more than one ssh child alive: $(ps --ppid "$pid" -o pid=,stat=,comm=)"
echo "ok: 20 reconnects through ssh, no <defunct> child of weft ($pid)"
keys_to sam C-q
expect_exit_of sam 0

# (The guests' journals of this ticket may have resumed a copy, whose diff the host took
# as a change: whether it asks to save is not this test's matter.)
keys_to host C-q
asked_or_gone() { exited_as host || has_on host "Save changes"; }
poll asked_or_gone
has_on host "Save changes" && keys_to host n
expect_exit_of host 0
echo "PASS: join-ssh"
