#!/bin/bash
# Fault-injection scenarios of issue 5 that faults.sh and recover.sh do not cover, through
# tests/tools/proxy, each against a fresh `weft serve`:
#   (2) a guest's link stalls for a while (3 s; 30 s with --long) while others type, then
#       heals;
#   (3) a big join (10 MB) whose link is cut mid-frame, again and again, before it succeeds;
#   (4) a guest that reads nothing while four others type 10,000 edits (100,000 with --long): the
#       host's memory stays bounded and the slow guest catches up once resumed, or is
#       dropped with a reason; then a flood of pastes well past the host's per-guest queue
#       limit (WN_SLOW_BYTES), which must drop it with "could not keep up";
#   (5) guests (16; 64 with --long) join and leave at random for a while (~8 s; 60 s with
#       --long) while others type.
# Each ends with every replica, `weft cat` and the saved file equal, and every marker typed
# by every participant present exactly once (at most once for guests SIGKILLed while
# typing). Figures (memory, times) are printed as "FIGURE:" lines.
#
#   scenarios.sh [--long]          WEFT_LONG=1 is the same as --long
#   WEFT_SCENARIOS="2 4"           run only those scenarios
#   WEFT_SEED=N                    replay the random choices of scenario 5
set -u
builddir=${builddir:-.}
srcdir=${srcdir:-.}
. "$srcdir/tests/e2e/netlib.sh"
. "$srcdir/tests/e2e/rellib.sh"
PX_DIR=$NET_DIR
PROXY=$builddir/tests/tools/proxy
. "$srcdir/tests/e2e/proxy-lib.sh"
trap 'px_kill_all 2>/dev/null; net_cleanup' EXIT
export XDG_STATE_HOME=$NET_DIR/state
ONLY=${WEFT_SCENARIOS:-2 3 4 5}
SEED=${WEFT_SEED:-$(date +%s)}
echo "mode: $(pick ci long); seed: $SEED (replay with WEFT_SEED=$SEED)"
RANDOM=$SEED

# serve_fresh FILE: stops the previous `weft serve` (saving) and starts one on FILE.
serve_fresh() {
    serve_stop
    : >"$SERVE_LOG"
    rm -f "$NET_DIR/tickets" # or the new serve's tickets might be read from the old file
    serve_start "$@"
    PORT=${TICKET##*:}
}


# via NAME: the ticket through proxy NAME.
via() { echo "${TICKET%:*}:$(px_port "$1")"; }

# mark_all N MS NAME:PREFIX...: each guest types N markers, one every MS ms; waits for all.
mark_all() {
    local n=$1 ms=$2 secs=$(($1 * ($2 + 2) / 1000 + 30)) spec
    shift 2
    for spec in "$@"; do client_send "${spec%%:*}" mark "$n" "${spec#*:}" "$ms"; done
    for spec in "$@"; do
        client_wait "${spec%%:*}" "^marked $n\$" "$secs" || fail "${spec%%:*} did not finish its markers"
    done
}

# --- (2) a stalled link ------------------------------------------------------------------
scenario_stall() {
    local secs n
    secs=$(pick 3 30)
    n=$((secs * 100)) # markers, one every 10 ms: the stall lasts as long as the typing
    printf 'stall scenario\n' >"$NET_DIR/s2.txt"
    serve_fresh "$NET_DIR/s2.txt"
    px_start p2 4 "$PROXY" 127.0.0.1 "$PORT"
    client_start s2slow "$(via p2)"
    client_start s2a
    client_start s2b
    wait_online s2slow s2a s2b
    mark_all 50 2 s2slow:S2x s2a:A2x s2b:B2x
    converge s2slow s2a s2b

    px_ctl p2 stall
    timer_start
    client_send s2slow mark 200 S2 5
    mark_all "$n" 10 s2a:A2 s2b:B2
    client_wait s2slow '^marked 200$' 30 || fail "s2slow could not type during the stall"
    local stalled
    stalled=$(timer_ms)
    px_ctl p2 resume
    wait_online_again s2slow
    final_check "$NET_DIR/s2.txt" s2slow s2a s2b
    local t=$NET_DIR/final.txt
    expect_markers "$t" S2x 50; expect_markers "$t" A2x 50; expect_markers "$t" B2x 50
    expect_markers "$t" S2 200; expect_markers "$t" A2 "$n"; expect_markers "$t" B2 "$n"
    local drops
    drops=$(grep -c 'left: s2slow' "$SERVE_LOG")
    report "scenario 2: link stalled ${stalled} ms while 2 guests typed $n markers each" \
        "and the stalled one 200; host dropped it $drops time(s); all converged," \
        "$((2 * n + 350)) markers each present once"
    quit_guests s2slow s2a s2b
    px_ctl p2 quit
}

# --- (3) cuts during a big join ----------------------------------------------------------
scenario_big_join() {
    local mb=10 rounds300 roundsmid
    rounds300=$(pick 3 4)
    roundsmid=$(pick 1 3)
    # 10 MB of lines of random letters.
    head -c $((mb * 786432)) /dev/urandom | base64 -w 76 >"$NET_DIR/s3.txt"
    local size orig
    size=$(stat -c %s "$NET_DIR/s3.txt")
    orig=$(hash_of "$NET_DIR/s3.txt")
    serve_fresh "$NET_DIR/s3.txt"
    px_start p3 4 "$PROXY" 127.0.0.1 "$PORT"
    client_start s3a
    wait_online s3a
    client_send s3a mark 20 A3x 1
    client_wait s3a '^marked 20$' || fail "s3a did not type"

    timer_start
    px_ctl p3 cutafter 300
    client_start s3j "$(via p3)"
    # The joining guest types while it has never been in: its markers must arrive once.
    client_send s3j mark 30 J3 5
    client_wait s3j '^marked 30$' 30 || fail "s3j could not type before joining"
    local r budget
    for ((r = 1; r <= rounds300 + roundsmid; r++)); do
        budget=300
        # Then mid-way through the document (about 7.5 MB on the wire, compressed).
        [ "$r" -gt "$rounds300" ] && budget=$((1000000 + (r - rounds300 - 1) * 1500000))
        px_ctl p3 cutafter "$budget"
        poll_until 40 "round $r: the guest did not connect and get cut (cutafter $budget)" \
            _cut_round p3 "$r"
    done
    local cut_down
    cut_down=$(px_stat p3 bytes_down)
    px_ctl p3 cutafter 0
    client_wait s3j '^state online' 60 || fail "s3j did not get in once the cuts stopped"
    local joined
    joined=$(timer_ms)
    client_send s3a mark 20 A3y 1
    client_wait s3a '^marked 20$' || fail "s3a did not type"
    [ "$(grep -c '^state online' "$NET_DIR/s3j.out")" -eq 1 ] \
        || fail "s3j was online before the cuts stopped: $(grep '^state' "$NET_DIR/s3j.out" | tr '\n' ';')"
    local accepted
    accepted=$(px_stat p3 accepted)
    final_check "$NET_DIR/s3.txt" s3j s3a
    local t=$NET_DIR/final.txt
    expect_markers "$t" J3 30; expect_markers "$t" A3x 20; expect_markers "$t" A3y 20
    # The file's text is all there, in order: strip the markers and compare.
    sed 's/<[A-Za-z0-9]*-[0-9]*>//g' "$t" >"$NET_DIR/s3.stripped"
    [ "$(hash_of "$NET_DIR/s3.stripped")" = "$orig" ] \
        || fail "the joined text, markers aside, differs from the $size-byte file"
    report "scenario 3: a $((size / 1048576)) MB join cut $((accepted - 1)) times" \
        "($rounds300 after 300 bytes, $roundsmid mid-document; $((cut_down / 1024)) kB had" \
        "reached it in vain), joined after ${joined} ms;" \
        "the text equals the file; 90 markers each present once"
    quit_guests s3j s3a
    px_ctl p3 quit
}

hash_of() { b2sum -l 256 <"$1" | cut -d' ' -f1; }

# Round r is over when the proxy has accepted r connections and none is open.
_cut_round() {
    local acc conns
    px_ctl "$1" stats >/dev/null
    acc=$(px_field "$1" accepted)
    conns=$(px_field "$1" conns)
    echo "accepted=$acc conns=$conns, want accepted>=$2 conns=0"
    [ "$acc" -ge "$2" ] && [ "$conns" -eq 0 ]
}

# --- (4) a guest that reads nothing ------------------------------------------------------
# Memory: the host's VmRSS is sampled as it goes, together with that of a guest that keeps
# up (it holds the same document, so its growth is the document's); the host's excess over
# it is what the slow guest costs. WN_SLOW_BYTES (net/host.h) bounds the bytes queued for one
# guest at 32 MiB; the test allows that plus 16 MiB of slack for the allocator and the
# other guests' traffic. Under sanitizers, whose allocators keep freed memory, the figures
# are printed but not judged.
SLOW_KB=$((32 * 1024))
EXCESS_LIMIT_KB=$((SLOW_KB + 16 * 1024))

# mem_judge WHAT: soft_fail unless MEM_EXCESS is within EXCESS_LIMIT_KB.
mem_judge() {
    if [ "$SANITIZED" = 1 ]; then
        echo "SKIP: the memory bound of $1 under sanitizers (measured +$MEM_EXCESS kB)"
    elif [ "$MEM_EXCESS" -gt "$EXCESS_LIMIT_KB" ]; then
        soft_fail "$1: a guest that reads nothing cost the host up to $MEM_EXCESS kB beyond" \
            "what a guest that keeps up holds; the limit is WN_SLOW_BYTES ($SLOW_KB kB)" \
            "queued, want <= $EXCESS_LIMIT_KB kB with slack"
    fi
}

# mem_begin CONTROL / mem_sample / mem_end: the host's and CONTROL's growth since
# mem_begin; the peaks go to MEM_PEAK (host, kB), MEM_EXCESS (host growth minus control
# growth at the same moment, kB).
mem_begin() {
    MEM_CONTROL=$1
    MEM_H0=$(rss_kb "$SERVE_PID")
    MEM_C0=$(rss_kb "${CLIENT_PID[$1]}")
    MEM_PEAK=$MEM_H0
    MEM_EXCESS=0
}
mem_sample() {
    local h c
    h=$(rss_kb "$SERVE_PID")
    c=$(rss_kb "${CLIENT_PID[$MEM_CONTROL]}")
    [ -n "$h" ] || fail "weft serve died"
    [ -n "$c" ] || fail "$MEM_CONTROL died"
    [ "$h" -gt "$MEM_PEAK" ] && MEM_PEAK=$h
    local e=$(((h - MEM_H0) - (c - MEM_C0)))
    [ "$e" -gt "$MEM_EXCESS" ] && MEM_EXCESS=$e
    MEM_NOW=$h
    return 0
}

scenario_slow() {
    local typers per total
    typers=4
    per=$(pick 2500 25000)
    total=$((typers * per))
    printf 'slow reader scenario\n' >"$NET_DIR/s4.txt"
    serve_fresh "$NET_DIR/s4.txt"
    # The proxy holds at most 64 KiB per direction: the rest queues in the host.
    px_start p4 4 "$PROXY" --limit 65536 127.0.0.1 "$PORT"
    client_start s4slow "$(via p4)"
    local names="" i
    for ((i = 1; i <= typers; i++)); do
        client_start "s4t$i"
        names="$names s4t$i"
    done
    wait_online s4slow $names
    converge s4slow $names
    mem_begin s4t1

    px_ctl p4 stall
    timer_start
    for i in $names; do client_send "$i" mark "$per" "T4$i" 0; done
    for i in $names; do
        while ! client_wait "$i" "^marked $per\$" 1 2>/dev/null; do
            mem_sample
            [ "$(timer_ms)" -lt $((per * 2 + 120000)) ] || fail "$i did not finish typing"
        done
    done
    local typed_ms held
    typed_ms=$(timer_ms)
    mem_sample
    held=$(px_stat p4 queued)
    px_ctl p4 resume
    wait_online_again s4slow
    final_check "$NET_DIR/s4.txt" s4slow $names
    local t=$NET_DIR/final.txt
    for i in $names; do expect_markers "$t" "T4$i" "$per"; done
    local outcome="caught up once resumed"
    grep -q 'left: s4slow' "$SERVE_LOG" && outcome="was dropped $(grep -m1 'left: s4slow' "$SERVE_LOG" | sed 's/.*left: s4slow //') and caught up on reconnecting"
    report "scenario 4: $typers guests typed $total edits in ${typed_ms} ms while one read" \
        "nothing (the proxy held $held bytes): host VmRSS $MEM_H0 -> $MEM_NOW kB (peak" \
        "$MEM_PEAK kB); host growth beyond a keeping-up guest's: $MEM_EXCESS kB at most;" \
        "the slow guest $outcome; $total markers each present once"
    mem_judge "scenario 4 ($total edits)"

    scenario_slow_flood s4slow $names
    quit_guests s4slow $names
    px_ctl p4 quit
}

# Pastes of 1 MB while s4slow's link carries 32 kB a second, until the host's queue for it
# passes WN_SLOW_BYTES: it must be dropped for that reason, the host's memory must stay
# bounded, and the guest must catch up afterwards. A slow link rather than a stalled one: a
# stall silences both ends, and on a slow machine the 20 s dead-peer timer would then drop
# the guest before the queue fills: right, but not what this scenario is about.
scenario_slow_flood() {
    local slow=$1 typer=$2 control=$3 mb
    shift
    mb=$(pick 120 256) # at most; CI stops a few pastes after the drop
    # ~1 MB of letters and digits (compressed on the wire to about 3/4).
    local chunk
    chunk=$(head -c 786432 /dev/urandom | base64 -w 0 | tr -d '+/=')
    local i k before dropped_at=""
    before=$(grep -c "left: $slow" "$SERVE_LOG")
    mem_begin "$control"
    px_ctl p4 rate 32768
    timer_start
    for ((i = 1; i <= mb; i++)); do
        client_send "$typer" insert 0 "<P4-$i>$chunk"
        # Four pastes in flight at a time.
        [ $((i % 4)) -eq 0 ] || [ "$i" -eq "$mb" ] || continue
        for ((k = 0; k < (i % 4 ? i % 4 : 4); k++)); do
            client_wait "$typer" '^ok$' 30 || fail "$typer could not paste"
        done
        mem_sample
        [ -z "$dropped_at" ] && [ "$(grep -c "left: $slow" "$SERVE_LOG")" -gt "$before" ] \
            && dropped_at=$i
        # In CI, a few pastes past the drop are enough; --long goes on to show that memory
        # stays bounded whatever is pasted.
        [ "$LONG" = 0 ] && [ -n "$dropped_at" ] && [ "$i" -ge $((dropped_at + 4)) ] && break
    done
    mb=$((i > mb ? mb : i))
    local pasted_ms
    pasted_ms=$(timer_ms)
    poll_until 30 "the host did not drop the guest that reads nothing after $mb MB" \
        _dropped_slowly "$slow" "$before"
    [ -n "$dropped_at" ] || dropped_at="$mb (or just after)"
    mem_sample
    local why
    why=$(grep "left: $slow" "$SERVE_LOG" | tail -n 1 | sed "s/.*left: $slow //")
    px_ctl p4 rate 0
    wait_online_again "$slow"
    final_check "$NET_DIR/s4.txt" "$@"
    expect_markers "$NET_DIR/final.txt" P4 "$mb"
    local doc_kb=$(($(stat -c %s "$NET_DIR/final.txt") / 1024))
    report "scenario 4 (flood): $mb pastes of 1 MB in ${pasted_ms} ms while one guest's link" \
        "carried 32 kB/s; it was dropped after paste $dropped_at $why, and caught up after;" \
        "host VmRSS $MEM_H0 -> peak $MEM_PEAK kB, $MEM_NOW kB after the drop (document" \
        "$doc_kb kB); host growth beyond a keeping-up guest's: $MEM_EXCESS kB at most"
    mem_judge "scenario 4 (flood of $mb MB)"
}
_dropped_slowly() {
    local n
    n=$(grep -c "left: $1 .*could not keep up" "$SERVE_LOG")
    echo "$n drops for being slow; log ends: $(tail -n 2 "$SERVE_LOG" | tr '\n' ' ')"
    [ "$n" -gt 0 ]
}

# --- (5) join and leave churn ------------------------------------------------------------
scenario_churn() {
    local slots secs
    slots=$(pick 16 64)
    secs=$(pick 8 60)
    printf 'churn scenario\n' >"$NET_DIR/s5.txt"
    serve_fresh "$NET_DIR/s5.txt"
    client_start s5a
    client_start s5b
    wait_online s5a s5b
    local steady=$((secs * 1000 / 10))
    client_send s5a mark "$steady" A5 10
    client_send s5b mark "$steady" B5 10
    timer_start
    # Per slot: its state (idle, joining, marking, quitting), incarnation and marker count.
    local -a st inc cnt
    local s
    for ((s = 0; s < slots; s++)); do st[s]=idle; inc[s]=0; done
    local joins=0 quits=0 kills=0 clean_list="" killed_list="" name
    while [ "$(timer_ms)" -lt $((secs * 1000)) ]; do
        s=$((RANDOM % slots))
        name="s5c${s}i${inc[s]}"
        case ${st[s]} in
        idle)
            inc[s]=$((inc[s] + 1))
            name="s5c${s}i${inc[s]}"
            client_start "$name"
            st[s]=joining
            joins=$((joins + 1))
            ;;
        joining)
            if grep -q '^state online' "$NET_DIR/$name.out"; then
                cnt[s]=$((5 + RANDOM % 40))
                client_send "$name" mark "${cnt[s]}" "C${s}i${inc[s]}" 3
                st[s]=marking
            elif [ $((RANDOM % 8)) -eq 0 ]; then
                _churn_kill "$name"   # gone before it even joined
                killed_list="$killed_list $name:C${s}i${inc[s]}:0"
                kills=$((kills + 1))
                st[s]=idle
            fi
            ;;
        marking)
            if grep -q '^marked ' "$NET_DIR/$name.out" && [ $((RANDOM % 2)) -eq 0 ]; then
                client_send "$name" quit
                clean_list="$clean_list $name:C${s}i${inc[s]}:${cnt[s]}"
                st[s]=quitting
                quits=$((quits + 1))
            elif [ $((RANDOM % 6)) -eq 0 ]; then
                _churn_kill "$name"   # SIGKILLed, perhaps mid-typing
                killed_list="$killed_list $name:C${s}i${inc[s]}:${cnt[s]}"
                kills=$((kills + 1))
                st[s]=idle
            fi
            ;;
        quitting)
            if _gone "${CLIENT_PID[$name]}"; then
                _close_fifo "$name"
                st[s]=idle
            fi
            ;;
        esac
        sleep 0.02 # pacing of the churn itself, not a wait for anything
    done
    local churn_ms rss
    churn_ms=$(timer_ms)
    rss=$(rss_kb "$SERVE_PID")
    # The churn is over: the remaining churners leave cleanly (those marking finish first).
    local survivors=""
    for ((s = 0; s < slots; s++)); do
        name="s5c${s}i${inc[s]}"
        case ${st[s]} in
        joining)
            client_wait "$name" '^state online' 30 || fail "$name did not join"
            survivors="$survivors $name"
            ;;
        marking)
            client_wait "$name" '^marked ' 30 || fail "$name did not finish its markers"
            clean_list="$clean_list $name:C${s}i${inc[s]}:${cnt[s]}"
            survivors="$survivors $name"
            ;;
        quitting)
            poll_until 20 "$name did not exit after quit" _gone "${CLIENT_PID[$name]}"
            ;;
        esac
    done
    client_wait s5a "^marked $steady\$" 60 || fail "s5a did not finish"
    client_wait s5b "^marked $steady\$" 60 || fail "s5b did not finish"
    final_check "$NET_DIR/s5.txt" s5a s5b $survivors
    local t=$NET_DIR/final.txt spec n_once=0 n_atmost=0
    expect_markers "$t" A5 "$steady"
    expect_markers "$t" B5 "$steady"
    for spec in $clean_list; do
        IFS=: read -r name pfx n <<<"$spec"
        expect_markers "$t" "$pfx" "$n"
        n_once=$((n_once + n))
    done
    for spec in $killed_list; do
        IFS=: read -r name pfx n <<<"$spec"
        expect_markers "$t" "$pfx" 1000 at-most-once
        n_atmost=$((n_atmost + n))
    done
    local joined left
    joined=$(grep -c 'joined: s5c' "$SERVE_LOG")
    left=$(grep -c 'left: s5c' "$SERVE_LOG")
    report "scenario 5: $slots guest slots churned for ${churn_ms} ms: $joins started," \
        "$joined joined, $left left ($quits quit, $kills SIGKILLed) while 2 guests typed" \
        "$steady markers each; host VmRSS $rss kB; survivors ($(echo $survivors | wc -w)" \
        "churners + 2) converged; $((2 * steady + n_once)) markers exactly once, the killed" \
        "guests' markers at most once"
    quit_guests s5a s5b $survivors
}
_churn_kill() {
    kill -9 "${CLIENT_PID[$1]}" 2>/dev/null
    wait "${CLIENT_PID[$1]}" 2>/dev/null
    _close_fifo "$1"
}
# Closes our end of a gone guest's FIFO.
_close_fifo() {
    local fd=${CLIENT_FD[$1]}
    exec {fd}>&-
}

T_ALL=$(date +%s%N)
for sc in $ONLY; do
    t0=$(date +%s%N)
    case $sc in
    2) scenario_stall ;;
    3) scenario_big_join ;;
    4) scenario_slow ;;
    5) scenario_churn ;;
    *) fail "no scenario $sc" ;;
    esac
    echo "scenario $sc passed in $((($(date +%s%N) - t0) / 1000000)) ms"
done
serve_stop
for f in "$NET_DIR"/*.err; do expect_clean_log "$f"; done
echo "all scenarios ($ONLY) ran in $((($(date +%s%N) - T_ALL) / 1000000)) ms"
finish "scenarios ($ONLY)"
