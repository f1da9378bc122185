#!/bin/sh
# compare.sh WEFT_BENCH TRACE...
#
# Runs weft's trace benchmark and the same traces in peer CRDT libraries
# (Yjs, Loro, Automerge: tests/bench/peers/replay.mjs) and prints one
# side-by-side table per trace, with ratio columns lib/weft (> 1: the peer
# takes more time / bytes / memory than weft).
#
#   WEFT_BENCH  weft's benchmark program; run as `WEFT_BENCH --runs N TRACE...`,
#               it prints one line per trace:
#               trace=NAME ops=N final_cp=N apply_ms=X merge_ms=X encode_ms=X
#               state_bytes=N mem_kb=N gap_ms=X
#   TRACE...    tests/data/traces/*.trace.gz, and concurrent/*.ctrace.gz (one
#               replica per agent exchanging updates; lines also give
#               agents=N updates=N exchanged_bytes=N, shown under the table)
#
# Environment: RUNS  runs per measurement, medians are printed (default 3)
#              LIBS  peers to run, comma-separated (default yjs,loro,automerge)
#
# Without node/npm the peers are skipped with a message and only weft's
# figures are printed (exit 0). Exit status is non-zero if weft's benchmark
# or the peer replay fails (e.g. a library's final text differs from the
# expected one).

RUNS=${RUNS:-3}
LIBS=${LIBS:-yjs,loro,automerge}

if [ $# -lt 2 ]; then
	echo "usage: compare.sh WEFT_BENCH TRACE...   (env: RUNS=$RUNS LIBS=$LIBS)" >&2
	exit 2
fi
case $RUNS in
'' | *[!0-9]* | 0)
	echo "compare.sh: RUNS must be a positive integer (got '$RUNS')" >&2
	exit 2
	;;
esac

WEFT_BENCH=$1
shift
PEERS_DIR=$(cd "$(dirname "$0")/peers" && pwd) || exit 1

TMP=$(mktemp -d "${TMPDIR:-/tmp}/weft-compare.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM
: >"$TMP/weft.out"
: >"$TMP/peers.out"
status=0

# ---------------------------------------------------------------- weft
if [ -x "$WEFT_BENCH" ]; then
	echo "== weft: $WEFT_BENCH --runs $RUNS $*"
	if ! "$WEFT_BENCH" --runs "$RUNS" "$@" >"$TMP/weft.out"; then
		echo "compare.sh: $WEFT_BENCH failed" >&2
		status=1
	fi
	cat "$TMP/weft.out"
else
	echo "compare.sh: weft's benchmark '$WEFT_BENCH' is missing or not executable" \
		"(build it: make tests/bench/trace-bench)" >&2
	status=1
fi

# ---------------------------------------------------------------- peers
have_node=yes
for tool in node npm; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		have_node=no
	fi
done
if [ $have_node = no ]; then
	echo
	echo "compare.sh: node and npm are needed to compare with Yjs, Loro and Automerge;"
	echo "            install them (Debian/Ubuntu: apt-get install nodejs npm) and run again."
	echo "            Only weft's figures are shown."
elif [ ! -d "$PEERS_DIR/node_modules" ] &&
	! (cd "$PEERS_DIR" && npm ci --silent); then
	echo "compare.sh: 'npm ci' in $PEERS_DIR failed; peers skipped" >&2
	status=1
else
	echo
	echo "== peers ($LIBS): node --expose-gc replay.mjs --runs $RUNS"
	if ! node --expose-gc "$PEERS_DIR/replay.mjs" --runs "$RUNS" --libs "$LIBS" "$@" \
		>"$TMP/peers.out"; then
		echo "compare.sh: peer replay failed (see messages above)" >&2
		status=1
	fi
	cat "$TMP/peers.out"
fi

# ---------------------------------------------------------------- tables
echo
awk -v runs="$RUNS" '
function field(line, key,    n, i, f, a) {
	n = split(line, f, " ")
	for (i = 1; i <= n; i++)
		if (index(f[i], key "=") == 1)
			return substr(f[i], length(key) + 2)
	return ""
}
function ratio(v, w) {
	if (v == "" || w == "" || v == "-" || w == "-" || w + 0 <= 0) return "-"
	return sprintf("%.2f", v / w)
}
function cell(v) { return v == "" ? "-" : v }
# right-aligned "NAME ×" in a column of width w (printf widths count bytes,
# and "×" is two bytes in UTF-8)
function xhdr(name, w) { return sprintf("%" (w - length(name) - 2) "s%s ×", "", name) }
/(^| )trace=/ {
	lib = field($0, "lib"); if (lib == "") lib = "weft"
	t = field($0, "trace")
	if (!(t in seen)) { seen[t] = 1; order[++ntraces] = t }
	key = t SUBSEP lib
	have[key] = 1
	ops[key] = field($0, "ops"); fcp[key] = field($0, "final_cp")
	ap[key] = field($0, "apply_ms"); mg[key] = field($0, "merge_ms")
	en[key] = field($0, "encode_ms"); sb[key] = field($0, "state_bytes")
	mk[key] = field($0, "mem_kb"); v2[key] = field($0, "state_v2_bytes")
	xb[key] = field($0, "exchanged_bytes"); nu[key] = field($0, "updates")
	rn[key] = field($0, "runs")
}
END {
	nlibs = split("weft yjs loro automerge", libs, " ")
	for (i = 1; i <= ntraces; i++) {
		t = order[i]; w = t SUBSEP "weft"
		ref = w in have ? w : ""
		if (ref == "")
			for (j = 2; j <= nlibs; j++)
				if ((t SUBSEP libs[j]) in have) { ref = t SUBSEP libs[j]; break }
		printf "trace %s: %s ops, final %s code points, medians of %s runs\n", t, ops[ref], fcp[ref], runs
		printf "%-10s %10s %10s %10s %12s %9s %s %s %s %s %s\n", \
			"lib", "apply_ms", "merge_ms", "encode_ms", "state_bytes", "mem_kb", \
			xhdr("apply", 8), xhdr("merge", 8), xhdr("encode", 8), xhdr("bytes", 8), xhdr("mem", 8)
		notes = ""
		for (j = 1; j <= nlibs; j++) {
			k = t SUBSEP libs[j]
			if (!(k in have)) {
				if (j == 1) printf "%-10s %10s\n", "weft", "(no figures)"
				continue
			}
			printf "%-10s %10s %10s %10s %12s %9s %8s %8s %8s %8s %8s\n", libs[j], \
				cell(ap[k]), cell(mg[k]), cell(en[k]), cell(sb[k]), cell(mk[k]), \
				ratio(ap[k], ap[w]), ratio(mg[k], mg[w]), ratio(en[k], en[w]), \
				ratio(sb[k], sb[w]), ratio(mk[k], mk[w])
			if (ops[k] != ops[ref] || fcp[k] != fcp[ref])
				notes = notes sprintf("  warning: %s reports ops=%s final_cp=%s, %s reports ops=%s final_cp=%s\n", \
					libs[j], ops[k], fcp[k], (ref == w ? "weft" : "the first lib"), ops[ref], fcp[ref])
			if (v2[k] != "")
				notes = notes sprintf("  %s: state_v2_bytes=%s (update format v2; %s × weft)\n", \
					libs[j], v2[k], ratio(v2[k], sb[w]))
			if (xb[k] != "")
				notes = notes sprintf("  %s: session of %s updates exchanged %s bytes (%s × weft)%s\n", \
					libs[j], nu[k], xb[k], ratio(xb[k], xb[w]), \
					rn[k] != "" && rn[k] != runs ? sprintf("; figures of %s run", rn[k]) : "")
		}
		printf "%s", notes
		print "  (x ×: lib/weft; > 1 means the library needs more time, bytes or memory than weft)"
		print ""
	}
	if (ntraces == 0) print "compare.sh: no figures to compare"
}' "$TMP/weft.out" "$TMP/peers.out"

exit $status
