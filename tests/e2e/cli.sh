#!/bin/sh
# The command line (DESIGN.md §1): --help, --version, usage errors (exit 2, usage on
# stderr), runtime failures (exit 1, a message saying what, why and what to do), and the
# man page rendering without warnings.
. "${srcdir:-.}/tests/e2e/lib.sh"

out="$WORK/out"
err="$WORK/err"

# run EXPECTED_STATUS ARGS...: runs weft without a terminal, stdout/stderr to files; one
# that has not ended after $TIMEOUT seconds (a serve that should have refused) is stopped.
run() {
    want=$1
    shift
    timeout "$TIMEOUT" "$WEFT" "$@" >"$out" 2>"$err" </dev/null
    got=$?
    [ "$got" = "$want" ] || {
        echo "FAIL: weft $*: exit status $got, expected $want"
        echo "--- stdout:"; cat "$out"; echo "--- stderr:"; cat "$err"
        exit 1
    }
}
has() { grep -qF -- "$2" "$1" || { echo "FAIL: $1 lacks '$2':"; cat "$1"; exit 1; }; }
empty() { [ ! -s "$1" ] || { echo "FAIL: $1 should be empty:"; cat "$1"; exit 1; }; }

run 0 --help
has "$out" "Usage: weft [OPTIONS] FILE"
has "$out" "--line-numbers"
empty "$err"
run 0 -h
has "$out" "Usage: weft"

run 0 --version
grep -qx 'weft [0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*' "$out" ||
    fail "--version printed '$(cat "$out")'"
empty "$err"
run 0 -V
has "$out" "weft "

run 2
has "$err" "missing FILE"
has "$err" "Usage: weft"
empty "$out"
run 2 --bogus file.txt
has "$err" "unknown option '--bogus'"
has "$err" "Usage: weft"
run 2 -x file.txt
has "$err" "unknown option '-x'"
run 2 one.txt two.txt
has "$err" "too many arguments"

# weft cat's usage errors say what was wrong the same way, naming the option.
run 0 cat --help
has "$out" "Usage: weft cat TICKET"
run 2 cat
has "$err" "weft cat: missing TICKET"
has "$err" "Usage: weft cat"
run 2 cat -x weft://t@127.0.0.1:1
has "$err" "weft cat: unknown option '-x'"
run 2 cat --bogus weft://t@127.0.0.1:1
has "$err" "weft cat: unknown option '--bogus'"
run 2 cat weft://t@127.0.0.1:1 src/a.c src/b.c
has "$err" "weft cat: too many arguments"
run 2 ls weft://t@127.0.0.1:1 weft://t@127.0.0.1:2
has "$err" "weft ls: too many arguments"
run 2 ls
has "$err" "weft ls: missing TICKET"

# A directory is a project (weft DIR), which needs a terminal like any editing (weft serve
# DIR shares one without: project.sh).
run 1 "$WORK"
has "$err" "the editor needs a terminal"
run 1 "$WORK/new.txt"
has "$err" "needs a terminal"
[ ! -e "$WORK/new.txt" ] || fail "a failed start created the file"

# --ssh-host: what cannot go in a ticket is a usage error; a user and a port go in it, and
# the ticket printed is one that `weft join` takes (it gets as far as wanting a terminal).
export XDG_STATE_HOME="$WORK/state"
printf 'shared\n' >"$WORK/shared.txt"
for bad in 'bad host' 'a/b' '' 'devbox:' 'devbox:99999' '::1' 'ben@' '-oProxyCommand=x'; do
    run 2 serve "$WORK/shared.txt" --ssh-host "$bad"
    has "$err" "--ssh-host '$bad' cannot go in a ticket"
    has "$err" "USER@HOST:PORT"
    run 2 host "$WORK/shared.txt" --ssh-host "$bad"
    has "$err" "weft host: --ssh-host '$bad'"
done
run 2 serve "$WORK/shared.txt" --ssh-host 'bad host'
has "$err" "a space at character 4"
served_ticket() { sed -n 's/^read-write over ssh: //p' "$WORK/serve.out" | grep .; }
for via in devbox:2222 ben@devbox:2222 ben@devbox '[::1]:2222' 10.1.2.3; do
    # Not the last one's tickets: the file is emptied by the new process, a moment later.
    rm -f "$WORK/serve.out"
    "$WEFT" serve "$WORK/shared.txt" --ssh-host "$via" >"$WORK/serve.out" 2>"$WORK/serve.err" &
    serve_pid=$!
    poll served_ticket ||
        fail "serve --ssh-host $via printed no ssh ticket: $(cat "$WORK/serve.err")"
    ticket=$(served_ticket)
    kill -TERM "$serve_pid"
    wait "$serve_pid" || fail "serve --ssh-host $via did not end cleanly: $(cat "$WORK/serve.err")"
    case "$ticket" in
    "ssh://$via/"*@127.0.0.1:*) ;;
    *) fail "--ssh-host $via gave the ticket '$ticket'" ;;
    esac
    run 1 join "$ticket"
    has "$err" "needs a terminal"
done

# A file that a session shares: `weft FILE` says by whom, with the tickets, and asks first.
rm -f "$WORK/serve.out"
"$WEFT" serve "$WORK/shared.txt" >"$WORK/serve.out" 2>"$WORK/serve.err" &
serve_pid=$!
poll served_ticket || fail "serve printed no ticket: $(cat "$WORK/serve.err")"
start 120 20 "$WEFT shared.txt"
expect_output "shared.txt is already shared by weft serve (pid $serve_pid): saving it here"
expect_output "  read-write: weft://"
expect_output "Edit it here anyway? [y/N]"
keys n Enter
expect_exit 1
stop_server
start 120 20 "$WEFT shared.txt"
expect_output "Edit it here anyway? [y/N]"
keys y Enter
expect_row 0 "shared"
keys C-q
expect_exit 0
stop_server
kill -TERM "$serve_pid"
wait "$serve_pid" || fail "serve did not end cleanly: $(cat "$WORK/serve.err")"
# Nobody shares it any more: no question.
start 120 20 "$WEFT shared.txt"
expect_row 0 "shared"
keys C-q
expect_exit 0
stop_server

# In a terminal: an unknown TERM, and a file that may not be read.
start 100 10 "env TERM=no-such-terminal $WEFT x.txt"
expect_exit 1
expect_output "not known to ncurses"
stop_server
if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null 2>&1; then
    as_other="runuser -u nobody --"
else
    as_other=""
fi
printf 'secret\n' >"$WORK/secret.txt"
chmod 000 "$WORK/secret.txt"
chmod 755 "$WORK"
start 100 10 "$as_other $WEFT secret.txt"
expect_exit 1
expect_output "cannot open secret.txt: permission denied"
expect_output "Check its permissions"

# The man page renders without warnings.
if command -v man >/dev/null 2>&1; then
    MANWIDTH=80 man --warnings -l "$srcdir/man/weft.1" >"$out" 2>"$err" ||
        fail "man failed: $(cat "$err")"
    empty "$err"
    has "$out" "Ctrl-S"
else
    echo "note: man is not installed; the man page was not rendered"
fi
echo "PASS: command line"
