#!/usr/bin/env bash
# project-figures.sh: issue 11's figures for a shared directory, with the real programs.
#
#   tests/bench/project-figures.sh [BUILD] [DIR]
#
# BUILD is the build directory (default build/). Without DIR, generates 100,000 files in 100
# directories (a few of them 1 MB) in a temporary directory. Starts `weft serve DIR` and
# prints:
#   ticket_ms   from starting it to the first ticket on its standard output
#   ls_during_ms, ls_during_lines  `weft ls` of the whole manifest, started at once (while
#               the host may still be listing the tree)
#   listed_ms   from starting it to the summary line ("N files shared, M hidden")
#   rss_kb      the host's memory once the whole tree is listed, no file opened
#   ls_ms, ls_lines  `weft ls` of the whole manifest after that
#   cat_ms, cat_bytes  `weft cat` of the largest shared file up to 1.1 MB, not opened before
#               (the handshake, the manifest's first page and the open; the host reads the
#               file from disk at that first open)
# then runs fuzzy-bench over the manifest's paths (the picker's matcher). A benchmark: it
# prints figures and fails only when something does not work.
set -euo pipefail
build=${1:-build}
dir=${2:-}
weft=$build/app/weft
[ -x "$weft" ] || { echo "project-figures: no $weft (build first)" >&2; exit 1; }
tmp=$(mktemp -d)
host=
cleanup() {
    [ -n "$host" ] && kill -INT "$host" 2>/dev/null && wait "$host" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
if [ -z "$dir" ]; then
    dir=$tmp/tree
    mkdir -p "$dir"
    for d in $(seq 0 99); do
        mkdir -p "$dir/d$d"
        (cd "$dir/d$d" && seq -f "f%g.c" 0 999 | xargs touch)
    done
    head -c 1000000 /dev/zero | tr '\0' 'x' | fold -w 79 > "$dir/d0/big.txt"
fi
ms() { date +%s%3N; }
export XDG_STATE_HOME=$tmp/state
t0=$(ms)
"$weft" serve "$dir" > "$tmp/out" 2> "$tmp/err" &
host=$!
ticket=
for _ in $(seq 1 2000); do
    ticket=$(grep -o 'weft://[^ ]*' "$tmp/out" 2>/dev/null | head -1 || true)
    [ -n "$ticket" ] && break
    sleep 0.005
done
[ -n "$ticket" ] || { echo "project-figures: no ticket" >&2; cat "$tmp/err" >&2; exit 1; }
echo "ticket_ms=$(( $(ms) - t0 ))"
a=$(ms)
n=$("$weft" ls "$ticket" | wc -l)
echo "ls_during_ms=$(( $(ms) - a )) ls_during_lines=$n"
for _ in $(seq 1 6000); do
    grep -q "files shared.*hidden" "$tmp/err" && ! grep "files shared" "$tmp/err" | tail -1 | grep -q "so far" && break
    sleep 0.01
done
echo "listed_ms=$(( $(ms) - t0 ))  ($(grep 'files shared' "$tmp/err" | tail -1 | sed 's/^weft [0-9:]*: //'))"
echo "rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$host/status)"
a=$(ms)
"$weft" ls "$ticket" > "$tmp/paths"
echo "ls_ms=$(( $(ms) - a )) ls_lines=$(wc -l < "$tmp/paths")"
big=$(cd "$dir" && tr '\n' '\0' < "$tmp/paths" | xargs -0 stat -c '%s %n' |
      awk '$1 <= 1100000' | sort -n | tail -1)
a=$(ms)
bytes=$("$weft" cat "$ticket" "${big#* }" | wc -c)
echo "cat_ms=$(( $(ms) - a )) cat_bytes=$bytes (${big#* })"
"$build/tests/bench/fuzzy-bench" 0 "$tmp/paths" | tail -13
