#!/bin/sh
# The screen through a real terminal (tmux): emoji made of several code points (a ZWJ
# sequence, a flag, a skin tone) and a spacing mark drawn whole, with the cursor's columns
# right; a message too long for the status line is cut after a whole word and shown whole
# by the messages screen (Alt-M); Ctrl-L repaints what another program wrote over the
# screen.
. "${srcdir:-.}/tests/e2e/lib.sh"

# --- grapheme clusters: drawn whole, one cursor step each, at their columns ---------------
# man ZWJ woman ZWJ girl (5 code points), a flag (two regional indicators), thumbs up with
# a skin tone, Devanagari ka with the spacing vowel sign aa. The skin tone ends its line:
# tmux 3.3 draws the modifier as two more columns, over what would follow it.
family=$(printf '\360\237\221\250\342\200\215\360\237\221\251\342\200\215\360\237\221\247')
flag=$(printf '\360\237\207\257\360\237\207\265')
thumb=$(printf '\360\237\221\215\360\237\217\275')
kaa=$(printf '\340\244\225\340\244\276')
printf 'a%sb\n%sx\nc%s\n%sz\n' "$family" "$flag" "$thumb" "$kaa" >"$WORK/emoji.txt"
cp "$WORK/emoji.txt" "$WORK/emoji.orig"
start 60 10 "$WEFT emoji.txt"
expect_row 0 "a${family}b"
expect_row 1 "${flag}x"
expect_row 2 "c${thumb}"
expect_row 3 "${kaa}z"
keys End
expect_cursor "4,0"           # a(1) family(2) b(1)
expect_screen "Ln 1, Col 4"   # columns count clusters
keys Left Left
expect_cursor "1,0"           # the family is one step
keys Down End
expect_cursor "3,1"           # flag(2) x(1)
keys Left Left
expect_cursor "0,1"
keys Down End
expect_cursor "3,2"           # c(1) thumb and skin tone(2)
keys Left
expect_cursor "1,2"
keys Down End
expect_cursor "3,3"           # ka with its vowel sign: 2 columns, one step
keys Left Left
expect_cursor "0,3"
# Drawn whole after every redraw, also selected.
keys C-Home S-Down S-Down
expect_row 0 "a${family}b"
expect_row 1 "${flag}x"
keys C-Home
expect_screen "Ln 1, Col 1"
keys C-s
expect_screen "Saved 4 lines"
cmp -s "$WORK/emoji.txt" "$WORK/emoji.orig" || fail "an unchanged save changed the bytes"
# Backspace takes a whole cluster.
keys Down Down End BSpace
expect_row 2 "c"
expect_cursor "1,2"
keys C-s
expect_screen "Saved 4 lines"
printf 'a%sb\n%sx\nc\n%sz\n' "$family" "$flag" "$kaa" >"$WORK/emoji.want"
cmp -s "$WORK/emoji.txt" "$WORK/emoji.want" || fail "Backspace did not remove the skin-toned thumb whole"
keys C-q
expect_exit 0
echo "PASS: ZWJ sequences, flags, skin tones and spacing marks are drawn whole"
stop_server

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
