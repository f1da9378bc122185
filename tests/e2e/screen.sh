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

# --- Ctrl-T at a narrow width: every ticket whole on a row of its own --------------------
# (capture-pane without -J: a ticket broken across rows would not be found whole.)
. "${srcdir:-.}/tests/e2e/collablib.sh"
stop_server
printf 'alpha beta\nbravo\n' >"$WORK/doc.txt"
export XDG_STATE_HOME="$WORK/state"
start_as host 200 16 "$WEFT host --name hana --ssh-host devbox --read-only-guests doc.txt"
expect_on host "hosting"
RW=$(ticket_of host read-write)
SSH=$(ticket_of host "read-write over ssh")
RO=$(ticket_of host read-only)
[ -n "$RW" ] && [ -n "$SSH" ] && [ -n "$RO" ] || fail "no tickets on the host's screen"
has_row() { screen_of "$1" | grep -qxF -- "$2"; }
expect_row_whole() {
    poll has_row "$1" "$2" || { show_screen_of "$1"; fail "no row holds exactly '$2'"; }
}
cols=$((${#SSH} + 4))   # wide enough for each ticket, not for "read-write over ssh: " too
t resize-window -t host -x "$cols"
keys_to host C-t
expect_on host "Join tickets"
expect_row_whole host "$RW"
expect_row_whole host "$SSH"
expect_row_whole host "$RO"
expect_row_whole host "read-write over ssh:"
keys_to host q
expect_not_on host "Join tickets"
# Narrower than a ticket: its row is a part of it, never a piece of one beside a piece of
# another; the arrows scroll it, End shows its end.
t resize-window -t host -x 30
keys_to host C-t
expect_on host "Left and Right scroll"
expect_row_whole host "$(printf '%s' "$SSH" | cut -c1-30)"
keys_to host End
expect_row_whole host "$(printf '%s' "$SSH" | rev | cut -c1-30 | rev)"
keys_to host Home
expect_row_whole host "$(printf '%s' "$RW" | cut -c1-30)"
keys_to host q
expect_not_on host "Left and Right scroll"
echo "PASS: Ctrl-T shows each ticket whole on a row"

# --- NO_COLOR: no colour, others' cursors and selections still told apart ---------------
t resize-window -t host -x 100
start_as ana 100 8 "env NO_COLOR=1 $WEFT join --name ana '$RW'"
expect_on ana "online"
expect_row_on ana 0 "alpha beta   hana"
keys_to host S-Right S-Right   # hana selects "al", her cursor before "p"
# On ana's screen: hana's selection underlined, her cursor reverse and underlined, her tag
# bold and reverse, and no colour anywhere.
expect_colour_at ana 0 "4" 0
expect_colour_at ana 0 "7" 2
expect_on ana " hana "
colours_of() {
    t capture-pane -p -e -t "$1" | grep -o "$(printf '\033')\[[0-9;:]*m" |
        tr -d '\033[m' | tr ';' '\n' |
        awk '($1 >= 30 && $1 <= 37) || ($1 >= 40 && $1 <= 47) || $1 == 38 || $1 == 48 ||
             ($1 >= 90 && $1 <= 97) || ($1 >= 100 && $1 <= 107)' | sort -u | tr '\n' ' '
}
no_colours_on() { [ -z "$(colours_of "$1")" ]; }
poll no_colours_on ana || fail "NO_COLOR: ana's screen has colours: $(colours_of ana)"
# The host, without NO_COLOR, has them (so the check above can fail).
start_as ben 100 8 "$WEFT join --name ben '$RW'"
expect_on ben "online"
poll colour_at ben 0 "48;5;33" 2 || { show_screen_of ben; fail "ben does not see hana's cursor in her colour"; }
[ -n "$(colours_of ben)" ] || fail "without NO_COLOR, ben's screen has no colours"
echo "PASS: NO_COLOR drops colours; cursors and selections stay distinct"
