#!/bin/sh
# Time to first screen and resident memory for a 100 MB, 2-million-line file, in weft and
# (when installed) vim and nano, each in its own private tmux server with the same window
# size. Prints one line per editor and run:
#   editor=NAME run=K first_screen_ms=X rss_kb=N
# Usage: tests/bench/large-open.sh [WEFT] [RUNS]   (WEFT defaults to build/app/weft)
#
# "First screen" is the time from starting the editor until tmux shows the file's first
# line on the screen (polled every 10 ms, so the figures carry up to ~10 ms of polling);
# the memory is the editor's VmRSS at that moment. The file is read once beforehand so
# that it comes from the page cache for every editor. vim runs with -u NONE (no plugins,
# no swap file), nano with --ignorercfiles.
set -u
WEFT=${1:-build/app/weft}
RUNS=${2:-3}
NAME=large-open
. "$(dirname "$0")/tmuxbench.sh"

awk 'BEGIN { for (i = 1; i <= 2000000; i++)
    printf "%07d the quick brown fox jumps over a lazy dog\n", i }' >"$DIR/big.txt"
cat "$DIR/big.txt" >/dev/null
FIRST="0000001 the quick brown fox jumps over a lazy dog"

# measure NAME COMMAND...: one run; prints its line, or says why it could not.
measure() {
    name=$1
    shift
    tmux -L "$SOCK" kill-server 2>/dev/null
    t0=$(ms)
    tmux -L "$SOCK" -f /dev/null new-session -d -x 100 -y 40 -c "$DIR" "$@"
    n=0
    until tmux -L "$SOCK" capture-pane -p 2>/dev/null | grep -qF "$FIRST"; do
        n=$((n + 1))
        if [ $n -gt 3000 ]; then
            echo "editor=$name: no first screen within 30 s"
            return
        fi
        sleep 0.01
    done
    t1=$(ms)
    pid=$(tmux -L "$SOCK" list-panes -F '#{pane_pid}' | head -1)
    rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
    echo "editor=$name run=$run first_screen_ms=$((t1 - t0)) rss_kb=${rss:-?}"
    tmux -L "$SOCK" kill-server 2>/dev/null
}

echo "file: 100,000,000 bytes, 2,000,000 lines; window 100x40; $RUNS runs each"
run=1
while [ $run -le "$RUNS" ]; do
    measure weft "$WEFT" big.txt
    if command -v vim >/dev/null; then
        measure vim vim -u NONE -n big.txt
    else
        echo "editor=vim: not installed (apt-get install vim)"
    fi
    if command -v nano >/dev/null; then
        measure nano nano --ignorercfiles big.txt
    else
        echo "editor=nano: not installed (apt-get install nano)"
    fi
    run=$((run + 1))
done
