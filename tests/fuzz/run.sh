#!/bin/bash
# Builds the libFuzzer targets with clang and runs each for a while.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]      (default: 30 s each, every target)
#
# Each target runs from its committed seed corpus (tests/fuzz/corpus/TARGET, read only)
# into a scratch corpus, with its dictionary when there is one, under AddressSanitizer and
# UndefinedBehaviorSanitizer (LeakSanitizer included). A crash, leak or timeout fails the
# run and leaves the input in $FUZZ_DIR; the last line of every run (executions, speed) is
# printed. Environment: CC (default clang), FUZZ_DIR (default build-fuzz in the current
# directory), FUZZ_JOBS.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
seconds=${1:-30}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(update frame handshake ticket journal converge path manifest)
CC=${CC:-clang}
FUZZ_DIR=${FUZZ_DIR:-$PWD/build-fuzz}
mkdir -p "$FUZZ_DIR"
if ! command -v "$CC" >/dev/null; then
    echo "fuzz: $CC is not installed (apt-get install clang libclang-rt-dev)" >&2
    exit 1
fi
flags=(-g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -D_XOPEN_SOURCE=700 -DPACKAGE_VERSION='"fuzz"'
       -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I"$top")
core=("$top"/core/*.c)
net=("$top"/net/frame.c "$top"/net/crypto.c "$top"/net/error.c "$top"/net/presence.c
     "$top"/net/proto.c "$top"/net/ticket.c)
libs=$(pkg-config --libs libsodium libuv)
status=0
for t in "${targets[@]}"; do
    src=("$here/fuzz_$t.c")
    case $t in
        converge) src+=("$top/tests/common/naive.c" "$top/tests/common/testutil.c") ;;
        journal) src+=("$top/app/cmd/journal.c" "$top/app/editor/file.c") ;;
        path | manifest) src+=("$top"/app/project/*.c) ;;
    esac
    extra=""
    [ "$t" = converge ] && extra="$(pkg-config --cflags --libs check)"
    case $t in path | manifest) extra="$(pkg-config --cflags --libs libutf8proc)" ;; esac
    bin=$FUZZ_DIR/fuzz_$t
    # shellcheck disable=SC2086
    "$CC" "${flags[@]}" "${src[@]}" "${core[@]}" "${net[@]}" $libs $extra -o "$bin"
    work=$FUZZ_DIR/corpus-$t
    mkdir -p "$work"
    args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
          -artifact_prefix="$FUZZ_DIR/$t-")
    [ -f "$here/$t.dict" ] && args+=(-dict="$here/$t.dict")
    seeds=()
    [ -d "$here/corpus/$t" ] && seeds=("$here/corpus/$t")
    echo "== fuzz_$t for ${seconds}s"
    if "$bin" "${args[@]}" "$work" "${seeds[@]}" >"$FUZZ_DIR/$t.log" 2>&1; then
        grep -E '^stat::number_of_executed_units|^stat::average_exec_per_sec|^stat::peak_rss_mb' \
            "$FUZZ_DIR/$t.log" | tr '\n' ' '
        echo
    else
        status=1
        echo "fuzz_$t FAILED; the end of its log:"
        tail -n 40 "$FUZZ_DIR/$t.log"
    fi
done
exit $status
