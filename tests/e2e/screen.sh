#!/bin/sh
# The screen through a real terminal (tmux): a message too long for the status line is cut
# after a whole word and shown whole by the messages screen (Alt-M); Ctrl-L repaints what
# another program wrote over the screen.
. "${srcdir:-.}/tests/e2e/lib.sh"

# --- a long message: cut after a whole word, whole on the messages screen ---------------
printf 'text\n' >"$WORK/notes.md"
printf 'older text\n' >"$WORK/notes.md.weft-save"
start 80 12 "$WEFT notes.md"
expect_row 0 "text"
msg="notes.md.weft-save holds unsaved text from an earlier weft that was stopped"
expect_screen " notes.md.weft-save holds unsaved text from an earlier weft… Alt-M"
keys M-m
expect_screen "Messages (1, the newest last)"
# The message's lines, without the time and the indent, joined: the whole message.
log_has() {
    screen | sed -n '2,$p' | sed 's/^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]//; s/^ *//; s/ *$//' |
        tr '\n' ' ' | grep -qF -- "$1"
}
poll log_has "$msg (written " || { show_screen; fail "the messages screen lacks the whole message"; }
poll log_has "compare it with notes.md, keep what you want, then delete it." ||
    { show_screen; fail "the messages screen lacks the end of the message"; }
keys Escape
expect_row 0 "text"
expect_no_screen "Messages ("
# Narrow: the status line still cuts after a whole word, the screen still shows it all.
t resize-window -t main -x 40
keys C-b
expect_screen " Ctrl-B does nothing… Alt-M Ln 1, Col 1"
keys M-m
expect_screen "Messages (2, the newest last)"
poll log_has "Ctrl-B does nothing in weft; F1 lists the keys." ||
    { show_screen; fail "the narrow messages screen lacks the whole message"; }
poll log_has "$msg (written " || { show_screen; fail "the narrow messages screen lacks the first message"; }
keys q
expect_row 0 "text"
echo "PASS: long messages are cut after a word and shown whole by Alt-M"

# --- Ctrl-L: what another program wrote over the screen goes away ------------------------
tty=$(t display-message -p -t main '#{pane_tty}')
printf '\033[3;5HSCRIBBLED OVER' >"$tty"
expect_screen "SCRIBBLED OVER"
keys C-l
expect_no_screen "SCRIBBLED"
expect_row 0 "text"
expect_screen "Ln 1, Col 1"
keys C-q
expect_exit 0
echo "PASS: Ctrl-L redraws the whole screen"
