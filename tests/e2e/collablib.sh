# Helpers for end-to-end tests of shared sessions in the editor (sourced after lib.sh).
#
# Each participant runs in a tmux session of its own (same private server, so one
# kill-server ends them all), named after the participant; the helpers take that name
# where lib.sh's work on "main". Colours are read with capture-pane -e: the column of a
# participant's cursor is where the first cell with their background colour starts.
#
#   start_as NAME COLS ROWS COMMAND [TERM]   runs COMMAND (TERM default screen-256color)
#   keys_to NAME KEY...  /  type_to NAME TEXT
#   expect_on NAME TEXT  /  expect_not_on NAME TEXT
#   expect_row_on NAME N TEXT                row N (0-based) is exactly TEXT
#   expect_cursor_on NAME X,Y  /  expect_cursor_hidden_on NAME
#   expect_colour_at NAME ROW SGR COL        first cell with SGR (e.g. 48;5;160) is at COL
#   text_rows NAME N                         the first N rows, trailing blanks dropped
#   expect_same_rows N NAME...               those rows are equal on every screen
#   ticket_of NAME [KIND]                    the ticket shown by Ctrl-T (read-write, ...)
#   expect_exit_of NAME STATUS

start_as() {
    rm -f "$WORK/.status-$1"
    _env="LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=${5:-screen-256color}"
    t start-server \; set-option -g remain-on-exit on \; \
        new-session -d -s "$1" -x "$2" -y "$3" \
        "cd '$WORK' && env $_env $4; echo \$? >.status-$1" \
        >/dev/null || fail "cannot start tmux for $1"
}

screen_of() { t capture-pane -p -t "$1"; }
has_on() { screen_of "$1" | grep -qF -- "$2"; }
lacks_on() { ! screen_of "$1" | grep -qF -- "$2"; }
row_of() { screen_of "$1" | sed -n "$(($2 + 1))p" | sed 's/ *$//'; }
row_is_on() { [ "$(row_of "$1" "$2")" = "$3" ]; }
cursor_of() { t display-message -p -t "$1" '#{cursor_x},#{cursor_y}'; }
cursor_is_on() { [ "$(cursor_of "$1")" = "$2" ]; }
cursor_hidden_on() { [ "$(t display-message -p -t "$1" '#{cursor_flag}')" = 0 ]; }
keys_to() { _who=$1; shift; t send-keys -t "$_who" "$@"; }
type_to() { t send-keys -t "$1" -l -- "$2"; }

show_screen_of() {
    echo "--- screen of $1:"
    screen_of "$1" | sed 's/^/|/'
    echo "--- cursor at $(cursor_of "$1")"
}

# fail_on NAME MESSAGE: the message, NAME's screen, and the end of the test.
fail_on() {
    echo "FAIL: $2"
    show_screen_of "$1"
    exit 1
}
expect_on() {
    poll has_on "$1" "$2" || fail_on "$1" "expected on $1's screen: '$2'"
}
expect_not_on() {
    poll lacks_on "$1" "$2" || fail_on "$1" "expected gone from $1's screen: '$2'"
}
expect_row_on() {
    poll row_is_on "$1" "$2" "$3" || {
        echo "FAIL: $1's row $2: expected '$3'"
        echo "                    got '$(row_of "$1" "$2")'"
        show_screen_of "$1"
        exit 1
    }
}
expect_cursor_hidden_on() {
    poll cursor_hidden_on "$1" || fail_on "$1" "$1's cursor should be hidden"
}
expect_cursor_on() {
    poll cursor_is_on "$1" "$2" || {
        echo "FAIL: $1's cursor: expected $2, got $(cursor_of "$1")"
        show_screen_of "$1"
        exit 1
    }
}

# The display column where the first cell drawn with SGR parameter $3 starts on row $2 of
# $1's screen, or "none".
colour_col() {
    _esc=$(printf '\033')
    _row=$(t capture-pane -p -e -t "$1" | sed -n "$(($2 + 1))p")
    case "$_row" in
    *"$_esc[$3m"*) ;;
    *) echo none; return ;;
    esac
    _before=${_row%%"$_esc[$3m"*}
    printf '%s' "$_before" | sed "s/$_esc\[[0-9;:]*m//g" | wc -L
}
colour_at() { [ "$(colour_col "$1" "$2" "$3")" = "$4" ]; }
expect_colour_at() {
    poll colour_at "$@" || {
        echo "FAIL: on $1's row $2, the first cell in colour $3: expected column $4," \
            "got $(colour_col "$1" "$2" "$3")"
        echo "--- that row with its escapes:"
        t capture-pane -p -e -t "$1" | sed -n "$(($2 + 1))p" | cat -v
        show_screen_of "$1"
        exit 1
    }
}

text_rows() { screen_of "$1" | head -n "$2" | sed 's/ *$//'; }

# The text rows, without the names drawn after the lines: a name is a tag that starts two
# columns after the text, so screens are compared on what is left of "   name".
bare_rows() { text_rows "$1" "$2" | sed -E "s/ {2,}($NAMES_RE)[^ ]*( +($NAMES_RE)[^ ]*)* *\$//"; }
NAMES_RE=${NAMES_RE:-hana|gus|ivy}

same_rows() {
    _n=$1
    shift
    _first=$(bare_rows "$1" "$_n")
    for _who in "$@"; do
        [ "$(bare_rows "$_who" "$_n")" = "$_first" ] || return 1
    done
}
expect_same_rows() {
    poll same_rows "$@" || {
        echo "FAIL: the screens did not converge (first $1 rows)"
        _n=$1
        shift
        for _who in "$@"; do
            echo "--- $_who:"
            bare_rows "$_who" "$_n" | sed 's/^/|/'
        done
        exit 1
    }
}

ticket_line() { screen_of "$1" | sed -n "s/^$2: //p" | head -n 1; }
ticket_shown() { [ -n "$(ticket_line "$1" "$2")" ]; }
# ticket_of NAME [KIND]: opens Ctrl-T on NAME's screen, reads the ticket, closes it.
ticket_of() {
    keys_to "$1" C-t
    poll ticket_shown "$1" "${2:-read-write}" ||
        fail_on "$1" "no ${2:-read-write} ticket on $1's screen" >&2
    ticket_line "$1" "${2:-read-write}"
    # Any key closes the screen (not Esc: with the next key it would read as Alt-key).
    keys_to "$1" q
    poll lacks_on "$1" "Any key returns to the text."
}

exited_as() { [ -s "$WORK/.status-$1" ]; }
expect_exit_of() {
    poll exited_as "$1" || { echo "FAIL: $1's weft did not exit"; show_screen_of "$1"; exit 1; }
    [ "$(cat "$WORK/.status-$1")" = "$2" ] || {
        echo "FAIL: $1's weft exited $(cat "$WORK/.status-$1"), expected $2"
        show_screen_of "$1"
        exit 1
    }
}
