#!/bin/sh
# The emergency save (FILE.weft-save) under signals that keep coming: a shell whose terminal
# closes sends SIGHUP a second time a few milliseconds after the first, and a save that
# was still being written when it arrived was lost (only a hidden .FILE.weft-save.weft-XXXXXX
# was left). Here: 20 tries of two SIGHUPs 0-10 ms apart (and SIGTERM, SIGINT and SIGHUP
# together), each leaving FILE.weft-save with exactly the text typed, no temporary file,
# and the message on the terminal; then the real thing (tmux kill-session under an
# interactive bash); then the next start of weft FILE reporting what the earlier one left.
. "${srcdir:-.}/tests/e2e/lib.sh"

# A file big enough (8 MB) that writing its copy takes a while: the second signal must
# arrive while the save is under way, as it did when the terminal closed.
awk 'BEGIN { for (i = 0; i < 200000; i++) printf "line %06d of the text, not yet saved\n", i }' \
    >"$WORK/f.txt"
cp "$WORK/f.txt" "$WORK/.base"

no_temporaries() { ! ls -A "$WORK" | grep -q '\.weft-......$'; }

# try N SIGNALS...: types "tryN" at the start of f.txt, sends the first signal, then the
# others N % 11 ms later, and checks the copy, the message and that nothing else is left.
try() {
    n=$1
    shift
    rm -f "$WORK/f.txt.weft-save"
    stop_server
    start 80 10 "$WEFT f.txt"
    expect_row 0 "line 000000 of the text, not yet saved"
    type_text "try$n "
    expect_row 0 "try$n line 000000 of the text, not yet saved"
    pid=$(program_pid)
    [ -n "$pid" ] || fail "try $n: no weft process"
    delay=$(awk -v n="$n" 'BEGIN { printf "%.3f", (n % 11) / 1000 }')
    first=$1
    shift
    kill -"$first" "$pid"
    [ "$delay" = "0.000" ] || sleep "$delay" # the interval under test, not a wait
    for sig in "$@"; do kill -"$sig" "$pid" 2>/dev/null; done
    expect_exit 1
    { printf 'try%s ' "$n"; cat "$WORK/.base"; } >"$WORK/.want"
    cmp -s "$WORK/f.txt.weft-save" "$WORK/.want" || {
        echo "FAIL: try $n ($first $*, ${delay}s apart): f.txt.weft-save is not the text typed"
        ls -la "$WORK"
        show_screen
        exit 1
    }
    no_temporaries || { ls -la "$WORK"; fail "try $n: a temporary file was left"; }
    expect_output "the unsaved changes are in f.txt.weft-save"
    cmp -s "$WORK/f.txt" "$WORK/.base" || fail "try $n: f.txt itself was changed"
}

i=0
while [ "$i" -lt 20 ]; do
    try "$i" HUP HUP
    i=$((i + 1))
done
try 20 TERM INT HUP QUIT
try 21 HUP TERM
echo "PASS: 22 tries of repeated signals, the emergency save whole each time"

# --- the terminal closed under an interactive shell: the shell forwards its SIGHUP -------
printf 'base\n' >"$WORK/g.txt"
stop_server
t start-server \; new-session -d -s main -x 80 -y 10 \
    "cd '$WORK' && env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color PS1='$ ' bash --norc -i" \
    >/dev/null || fail "cannot start tmux"
expect_screen '$'
type_text "$WEFT g.txt"
keys Enter
expect_row 0 "base"
keys C-End
type_text "closed"
expect_screen "closed"
t kill-session -t main
has_copy() { cmp -s "$WORK/g.txt.weft-save" "$WORK/.want"; }
printf 'base\nclosed' >"$WORK/.want"
poll has_copy || { ls -la "$WORK"; fail "closing the terminal lost the emergency save"; }
poll no_temporaries || { ls -la "$WORK"; fail "closing the terminal left a temporary file"; }
echo "PASS: the terminal closed under bash: the emergency save is whole"

# --- the next start says what was left ------------------------------------------------
stop_server
start 200 10 "$WEFT g.txt"
expect_screen "g.txt.weft-save holds unsaved text from an earlier weft"
keys C-q
expect_exit 0
rm -f "$WORK/g.txt.weft-save"
printf 'half' >"$WORK/.g.txt.weft-save.weft-Ab12Cd"
stop_server
start 200 10 "$WEFT g.txt"
expect_screen ".g.txt.weft-save.weft-Ab12Cd is an unfinished emergency save"
keys C-q
expect_exit 0
rm -f "$WORK/.g.txt.weft-save.weft-Ab12Cd"
printf 'half' >"$WORK/.g.txt.weft-Zz9yX8"
stop_server
start 200 10 "$WEFT g.txt"
expect_screen ".g.txt.weft-Zz9yX8 is left from a save that was interrupted"
keys C-q
expect_exit 0
rm -f "$WORK/.g.txt.weft-Zz9yX8"
stop_server
start 200 10 "$WEFT g.txt"
expect_row 0 "base"
expect_no_screen "weft-"
keys C-q
expect_exit 0
echo "PASS: leftovers of earlier saves are reported at the next start"
