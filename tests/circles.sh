#!/bin/sh
# Call circles between source files, read from the built objects: file A calls file B when an
# undefined symbol of A's object is defined by B's. A circle is a set of files that all reach
# one another through such calls (a strongly connected component of more than one file).
#
#   tests/circles.sh [--report] [DIR...]
#
# Looks at the objects of each DIR (relative to the build directory, e.g. app/editor; by
# default app/'s rooms, as make check runs it: app app/editor app/ui app/cmd app/project). With
# --report, prints every circle and its edges and exits 0; without, exits 1 when the DIRs
# together hold any circle (make check runs it on app/'s rooms: none is allowed there). The
# core's doc <-> undo circle is by design (../shared/REVIEW.md §2.1), as are net's
# host <-> host-files and guest <-> guest-files (one module in two files behind a private
# *-internal.h header), so core/ and net/ are only reported. Needs nm (binutils) and awk.
report=0
if [ "$1" = "--report" ]; then
    report=1
    shift
fi
[ $# -gt 0 ] || set -- app app/editor app/ui app/cmd app/project

objs=
for d in "$@"; do
    for o in "$d"/*.o; do
        [ -f "$o" ] && objs="$objs $o"
    done
done
[ -n "$objs" ] || { echo "circles: no objects in $* (build first)" >&2; exit 2; }

# One line per symbol: "D file sym" (defined) or "U file sym" (undefined), file being the
# source's name: app/editor/libweftedit_a-route.o -> app/editor/route, net/libweftnet_a-host-files.o
# -> net/host-files.
for o in $objs; do
    dir=${o%/*}
    base=${o##*/}
    base=${base%.o}
    case $base in *_a-* | weft-*) base=${base#*-} ;; esac # automake's per-target prefix
    nm -P -g "$o" | awk -v f="$dir/$base" '$2 == "U" { print "U", f, $1; next }
                                            $2 ~ /[TDBRC]/ { print "D", f, $1 }'
done | awk -v report="$report" '
    $1 == "D" { def[$3] = $2; files[$2] = 1; next }
    { use[NR] = $2 " " $3 }
    END {
        for (k in use) {
            split(use[k], a, " ")
            to = def[a[2]]
            if (to == "" || to == a[1]) continue
            edge[a[1], to] = 1
            if (!((a[1], to, a[2]) in seen)) { seen[a[1], to, a[2]] = 1; why[a[1], to] = why[a[1], to] " " a[2] }
        }
        n = 0
        for (f in files) name[++n] = f
        # reach[i,j]: j is reachable from i (Warshall; a few hundred files at most).
        for (i = 1; i <= n; i++) for (j = 1; j <= n; j++) reach[i, j] = ((name[i], name[j]) in edge)
        for (k = 1; k <= n; k++) for (i = 1; i <= n; i++) if (reach[i, k])
            for (j = 1; j <= n; j++) if (reach[k, j]) reach[i, j] = 1
        circles = 0
        for (i = 1; i <= n; i++) {
            if (done[i] || !reach[i, i]) continue
            members = ""; circles++
            for (j = 1; j <= n; j++) if (reach[i, j] && reach[j, i]) { done[j] = 1; members = members " " name[j]; m[j] = 1 }
            print "circle:" members
            for (p = 1; p <= n; p++) for (q = 1; q <= n; q++)
                if (m[p] && m[q] && ((name[p], name[q]) in edge))
                    print "  " name[p] " -> " name[q] ":" why[name[p], name[q]]
            for (j = 1; j <= n; j++) m[j] = 0
        }
        printf "%d files, %d circle(s)\n", n, circles
        exit (report || circles == 0) ? 0 : 1
    }'
