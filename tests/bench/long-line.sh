#!/bin/sh
# weft on one very long line: a file of 2,000,000 x "abcdefghi?" on a single line (20 M
# characters, no newline), where ? is "j" (ASCII) or "é" (one character in ten not ASCII).
# Prints, for each form, the time until the first screen, until End shows the last column,
# and until each of three typed keys shows in the status line's column:
#   line=ascii|mixed bytes=N open_ms=X end_ms=X key_ms=X,X,X
# Usage: tests/bench/long-line.sh [WEFT]   (WEFT defaults to build/app/weft)
# Times are polled every 10 ms through tmux, so they carry up to ~10 ms of polling.
set -u
WEFT=${1:-build/app/weft}
NAME=long-line
. "$(dirname "$0")/tmuxbench.sh"

# wait_for TEXT: polls the screen until TEXT shows (30 s at most).
wait_for() {
    n=0
    until tmux -L "$SOCK" capture-pane -p 2>/dev/null | grep -qF -- "$1"; do
        n=$((n + 1))
        if [ $n -gt 3000 ]; then
            echo "long-line: '$1' did not show within 30 s" >&2
            tmux -L "$SOCK" capture-pane -p | tail -3 >&2
            exit 1
        fi
        sleep 0.01
    done
}

for form in ascii mixed; do
    if [ $form = ascii ]; then last=j; else last=$(printf '\303\251'); fi
    awk -v last="$last" 'BEGIN { s = ""; for (i = 0; i < 1000; i++) s = s "abcdefghi" last;
        for (i = 0; i < 2000; i++) printf "%s", s }' >"$DIR/line.txt"
    bytes=$(wc -c <"$DIR/line.txt")
    tmux -L "$SOCK" kill-server 2>/dev/null
    t0=$(ms)
    tmux -L "$SOCK" -f /dev/null new-session -d -x 120 -y 40 -c "$DIR" "$WEFT line.txt"
    wait_for "Ln 1, Col 1"
    open=$(($(ms) - t0))
    t0=$(ms)
    tmux -L "$SOCK" send-keys End
    wait_for "Col 20000001"
    end=$(($(ms) - t0))
    keys=""
    col=20000001
    for k in x y z; do
        col=$((col + 1))
        t0=$(ms)
        tmux -L "$SOCK" send-keys $k
        wait_for "Col $col"
        keys="$keys${keys:+,}$(($(ms) - t0))"
    done
    echo "line=$form bytes=$bytes open_ms=$open end_ms=$end key_ms=$keys"
    # Quit without saving: killed, weft would write the text to line.txt.weft-save.
    tmux -L "$SOCK" send-keys C-q
    wait_for "Save changes"
    tmux -L "$SOCK" send-keys n
    n=0
    while tmux -L "$SOCK" has-session 2>/dev/null && [ $n -lt 3000 ]; do
        n=$((n + 1))
        sleep 0.01
    done
done
