# Shared start of the benchmarks that drive an editor in a private tmux server
# (large-open.sh, long-line.sh). Source it with NAME set to the benchmark's name and
# WEFT to the weft binary; it checks both, makes WEFT absolute, and sets DIR (a scratch
# directory) and SOCK (the tmux server's name), both removed on exit. Defines ms().
[ -x "$WEFT" ] || { echo "$NAME: no weft at $WEFT (build first)" >&2; exit 2; }
command -v tmux >/dev/null || { echo "$NAME: needs tmux (apt-get install tmux)" >&2; exit 2; }
WEFT=$(cd "$(dirname "$WEFT")" && pwd)/$(basename "$WEFT")
DIR=$(mktemp -d "${TMPDIR:-/tmp}/weft-$NAME.XXXXXX")
SOCK="weft-$NAME-$$"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; rm -rf "$DIR"' EXIT INT TERM

ms() { echo $(($(date +%s%N) / 1000000)); }
