#!/bin/sh
# A 100 MB, 2-million-line file: the first screen within WEFT_LARGE_MS (default 1000) ms,
# resident memory under twice the file's size, jumps to the end and to a line in the middle
# answered at once, and a save after edits at both ends and in the middle that is exactly
# the original with those edits.
. "${srcdir:-.}/tests/e2e/lib.sh"

LIMIT_MS=${WEFT_LARGE_MS:-1000}
LINES=2000000
BIG="$WORK/big.txt"
# 2,000,000 lines of 50 bytes = 100,000,000 bytes.
awk -v n=$LINES 'BEGIN { for (i = 1; i <= n; i++)
    printf "%07d the quick brown fox jumps over a lazy dog\n", i }' >"$BIG"
SIZE=$(wc -c <"$BIG")
[ "$SIZE" -eq 100000000 ] || fail "the test file has $SIZE bytes, not 100000000"
cat "$BIG" >/dev/null # into the page cache, so that the disk is not what is measured

ms() { echo $(($(date +%s%N) / 1000000)); }

# Time to first screen: from starting the program until its first screen is visible.
t0=$(ms)
start 100 40 "$WEFT big.txt"
n=0
until row_is 0 "0000001 the quick brown fox jumps over a lazy dog" && screen_has "Ln 1, Col 1"; do
    n=$((n + 1))
    [ $n -gt $((TIMEOUT * 100)) ] && { echo "FAIL: no first screen"; show_screen; exit 1; }
    sleep 0.01
done
t1=$(ms)
first=$((t1 - t0))

rss_kb=$(awk '/^VmRSS/ { print $2 }' "/proc/$(program_pid)/status")
echo "large: 100 MB / 2M lines: first screen in $first ms, resident memory $((rss_kb / 1024)) MiB"
[ "$first" -le "$LIMIT_MS" ] || fail "first screen took $first ms (limit $LIMIT_MS ms)"
[ "$rss_kb" -lt $((SIZE * 2 / 1024)) ] || fail "resident memory $rss_kb KiB is over twice the file"

# The end, at once.
t0=$(ms)
keys C-End
expect_screen "Ln 2000001, Col 1"
expect_screen "2000000 the quick brown fox jumps over a lazy dog"
echo "large: Ctrl-End answered in $(($(ms) - t0)) ms"
type_text "END"
expect_screen "Ln 2000001, Col 4"

# The middle, through go to line, and typing there.
t0=$(ms)
keys C-g
expect_screen "Go to line"
type_text "1000000"
keys Enter
expect_screen "Ln 1000000, Col 1"
expect_screen "1000000 the quick"
type_text "XYZ"
expect_screen "XYZ1000000 the quick"
echo "large: go to line 1000000 and type in $(($(ms) - t0)) ms"
keys PageDown PageDown Down
expect_screen "Ln 1000075, Col 4"

keys C-Home
type_text "START"
expect_row 0 "START0000001 the quick brown fox jumps over a lazy dog"

t0=$(ms)
keys C-s
expect_screen "Saved 2000001 lines"
echo "large: saved in $(($(ms) - t0)) ms"
awk -v n=$LINES 'BEGIN { for (i = 1; i <= n; i++)
    printf "%s%07d the quick brown fox jumps over a lazy dog\n",
        i == 1 ? "START" : i == 1000000 ? "XYZ" : "", i; printf "END" }' >"$WORK/expected"
cmp "$BIG" "$WORK/expected" || fail "the saved file is not the original plus the edits"
keys C-q
expect_exit 0
echo "PASS: large file"
