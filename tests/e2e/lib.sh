# Helpers for weft's end-to-end tests (sourced, POSIX sh).
#
# Each test runs weft in a private tmux server (tmux -L weft-PID -f /dev/null), types with
# send-keys and reads the screen with capture-pane. Every wait is a bounded poll: the
# condition is checked every 50 ms for at most $TIMEOUT seconds, and a failure prints what
# was expected and what was there (the screen, or the file's bytes). Nothing waits by
# sleeping a fixed time and hoping.

TIMEOUT=${TIMEOUT:-10}
WEFT=${WEFT:-$PWD/app/weft}
srcdir=${srcdir:-.}
. "$srcdir/tests/e2e/poll.sh"

if ! command -v tmux >/dev/null 2>&1; then
    echo "SKIP: tmux is not installed (apt-get install tmux)"
    exit 77
fi
if [ ! -x "$WEFT" ]; then
    echo "FAIL: $WEFT is not built"
    exit 1
fi

SOCK=weft-$$
TMUX_CMD="tmux -L $SOCK -f /dev/null"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/weft-e2e.XXXXXX")

# A weft killed with the server may still be writing its .weft-save file: retry the removal.
cleanup() {
    $TMUX_CMD kill-server >/dev/null 2>&1
    poll rm -rf "$WORK" || rm -rf "$WORK"
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"
}
trap cleanup EXIT

t() { $TMUX_CMD "$@"; }

fail() { e2e_fail "$@"; }

server_gone() { ! t list-sessions >/dev/null 2>&1; }
# Ends the tmux server (and the program in it), and waits until it is gone, so that the
# next start() does not reach the old server on its way out.
stop_server() {
    t kill-server >/dev/null 2>&1
    poll server_gone || fail "the tmux server did not exit"
    # The socket file can outlive the server for a moment.
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"
}

# start COLS ROWS COMMAND: runs COMMAND in a new pane of that size. A small shell around it
# writes its exit status to $WORK/.status (tmux's own #{pane_dead_status} is sometimes
# lost when a program exits right after drawing); the pane stays after it exits.
start() {
    rm -f "$WORK/.status"
    t start-server \; set-option -g remain-on-exit on \; \
        new-session -d -s main -x "$1" -y "$2" \
        "cd '$WORK' && env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color $3; echo \$? >.status" \
        >/dev/null || fail "cannot start tmux"
}

screen() { t capture-pane -p -t main; }
screen_has() { screen | grep -qF -- "$1"; }
# The screen and its scrollback: what a program printed before it exited.
output_has() { t capture-pane -p -S - -t main | grep -qF -- "$1"; }
screen_lacks() { ! screen | grep -qF -- "$1"; }
row() { screen | sed -n "$(($1 + 1))p" | sed 's/ *$//'; }
row_is() { [ "$(row "$1")" = "$2" ]; }
cursor() { t display-message -p -t main '#{cursor_x},#{cursor_y}'; }
cursor_is() { [ "$(cursor)" = "$1" ]; }
exited() { [ -s "$WORK/.status" ]; }
exit_status() { cat "$WORK/.status"; }
# The pid of the program started by start() (a child of the pane's shell).
program_pid() { pgrep -P "$(t display-message -p -t main '#{pane_pid}')" | head -n 1; }

# poll COMMAND...: true as soon as COMMAND succeeds, false after $TIMEOUT seconds.
poll() { e2e_poll "$TIMEOUT" "$@"; }

show_screen() {
    echo "--- actual screen:"
    screen | sed 's/^/|/'
    echo "--- cursor at $(cursor)"
}

expect_screen() {
    poll screen_has "$1" || { echo "FAIL: expected on screen: '$1'"; show_screen; exit 1; }
}
expect_output() {
    poll output_has "$1" || { echo "FAIL: expected in the output: '$1'"; show_screen; exit 1; }
}
expect_no_screen() {
    poll screen_lacks "$1" || { echo "FAIL: expected gone from screen: '$1'"; show_screen; exit 1; }
}
# expect_row N TEXT: screen row N (0-based), trailing blanks ignored, is exactly TEXT.
expect_row() {
    poll row_is "$1" "$2" || {
        echo "FAIL: row $1: expected '$2'"
        echo "                 got '$(row "$1")'"
        show_screen
        exit 1
    }
}
expect_cursor() {
    poll cursor_is "$1" || { echo "FAIL: cursor: expected $1, got $(cursor)"; show_screen; exit 1; }
}

# expect_file PATH EXPECTED: the file's bytes equal the printf-style string EXPECTED.
expect_file() {
    printf "$2" >"$WORK/.expected"
    poll cmp -s "$1" "$WORK/.expected" || {
        echo "FAIL: $1 differs from what was expected"
        echo "--- expected bytes:"
        od -c "$WORK/.expected" | sed 's/^/|/'
        echo "--- actual bytes:"
        od -c "$1" 2>&1 | sed 's/^/|/'
        show_screen
        exit 1
    }
}

# expect_exit STATUS: weft has exited with STATUS.
expect_exit() {
    poll exited || { echo "FAIL: weft did not exit"; show_screen; exit 1; }
    [ "$(exit_status)" = "$1" ] || { echo "FAIL: exit status $(exit_status), expected $1"; show_screen; exit 1; }
}

keys() { t send-keys -t main "$@"; }
# type TEXT: sends TEXT literally (no key names).
type_text() { t send-keys -t main -l -- "$1"; }
