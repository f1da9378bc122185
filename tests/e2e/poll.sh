# The one polling and failing library of the end-to-end tests (sourced by lib.sh, netlib.sh,
# proxy-lib.sh, rellib.sh and sshd.sh; POSIX sh, so it works under dash and bash).
#
#   e2e_secs SECS          SECS stretched by CK_TIMEOUT_MULTIPLIER when that is above 1 (as
#                          Check stretches its timeouts under sanitizers), rounded up
#   e2e_poll SECS CMD...   true as soon as CMD succeeds (tried every 50 ms in this shell, so
#                          that it may set variables; output dropped), false after
#                          e2e_secs SECS
#   e2e_poll_out SECS CMD...   the same, but CMD runs in a subshell and its last output
#                          (stdout and stderr) is kept in E2E_OUT
#   e2e_fail TEXT...       prints "FAIL: TEXT" and exits 1
#
# No wait sleeps a fixed time and hopes: every one polls for a condition, with a deadline.

e2e_secs() {
    awk -v s="$1" -v m="${CK_TIMEOUT_MULTIPLIER:-1}" \
        'BEGIN { if (m + 0 > 1) s = s * m; printf "%d\n", (s == int(s)) ? s : int(s) + 1 }'
}

e2e_poll() {
    _e2e_n=$(($(e2e_secs "$1") * 20))
    shift
    while ! "$@" >/dev/null 2>&1; do
        _e2e_n=$((_e2e_n - 1))
        [ "$_e2e_n" -le 0 ] && return 1
        sleep 0.05
    done
    return 0
}

E2E_OUT=""
e2e_poll_out() {
    _e2e_n=$(($(e2e_secs "$1") * 20))
    shift
    while ! E2E_OUT=$("$@" 2>&1); do
        _e2e_n=$((_e2e_n - 1))
        [ "$_e2e_n" -le 0 ] && return 1
        sleep 0.05
    done
    return 0
}

e2e_fail() {
    echo "FAIL: $*"
    exit 1
}
