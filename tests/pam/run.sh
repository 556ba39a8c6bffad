#!/usr/bin/env bash
# run.sh - tests of the PAM module pam_obactors.so against a scripted fake daemon (fake_daemon.py),
# driven by pamtester through a temporary PAM service /etc/pam.d/obactors-test-<pid> (removed on exit).
# Needs root (writes /etc/pam.d, chowns sockets), gcc, libpam0g-dev, pamtester, python3, openssl.
# The syslog checks run pamtester in a private mount namespace (unshare -m) with a log socket as
# /dev/log; the PAM-stack checks mount test /etc/passwd and /etc/shadow files the same way; both are
# skipped where unshare is not permitted. pam_driver.c (built here) passes PAM flags and runs an
# interval timer, which pamtester cannot. KEEP=1 keeps the work directory.
# Prints one line per check and a final "N passed, M failed"; exits non-zero on any failure.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ "$(id -u)" != 0 ]; then
    echo "run.sh: must run as root (installs a temporary PAM service, chowns test sockets)" >&2
    exit 2
fi
for tool in gcc make pamtester python3; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (scripts/deps.sh installs it)" >&2; exit 2; }
done

work=$(mktemp -d /tmp/obactors-pam-test.XXXXXX)
chmod 0700 "$work"
service="obactors-test-$$"
svcfile="/etc/pam.d/$service"
sock="$work/obactors.sock"
log="$work/fake.log"
fake_pid=""
sink_pid=""
passed=0
failed=0

stop_fake() {
    if [ -n "$fake_pid" ]; then
        kill "$fake_pid" 2>/dev/null
        wait "$fake_pid" 2>/dev/null
        fake_pid=""
    fi
}
cleanup() {
    stop_fake
    if [ -n "$sink_pid" ]; then kill "$sink_pid" 2>/dev/null; wait "$sink_pid" 2>/dev/null; fi
    rm -f "$svcfile"
    [ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

make -s -C "$root/src/PamBridge" BUILD="$work/build" all || { echo "run.sh: build failed" >&2; exit 1; }
module="$work/build/pam_obactors.so"
obclient="$work/build/obclient"
driver="$work/build/pam_driver"
gcc -Wall -Wextra -Werror -O2 -std=c11 -D_GNU_SOURCE -o "$driver" "$here/pam_driver.c" -lpam \
    || { echo "run.sh: building pam_driver failed (libpam0g-dev?)" >&2; exit 1; }

# start_fake [fake_daemon.py options...]: a fresh fake (and log) on $sock, ready to accept.
start_fake() {
    stop_fake
    rm -f "$log" "$sock"
    python3 "$here/fake_daemon.py" --socket "$sock" --log "$log" --expect-password "pw-$$" "$@" &
    fake_pid=$!
    for _ in $(seq 1 200); do
        grep -q '"ready"' "$log" 2>/dev/null && return 0
        kill -0 "$fake_pid" 2>/dev/null || break
        sleep 0.05
    done
    echo "run.sh: the fake daemon did not start" >&2
    exit 1
}

# auth_service [module args...]: one auth and one account line for the module on $sock.
auth_service() {
    printf 'auth required %s socket=%s timeout=2 debug %s\naccount required %s\n' \
        "$module" "$sock" "$*" "$module" > "$svcfile"
}

# pt INPUT [pamtester args / operations...]: runs pamtester as user alice; sets $rc, $out, $elapsed_ms.
pt() {
    local input=$1; shift
    local items=() ops=()
    for a in "$@"; do
        case $a in -I*) items+=("$a") ;; *) ops+=("$a") ;; esac
    done
    [ ${#ops[@]} -gt 0 ] || ops=(authenticate)
    local t0 t1
    t0=$(date +%s%N)
    out=$(printf '%b' "$input" | timeout 30 pamtester -v "${items[@]}" "$service" alice "${ops[@]}" 2>&1)
    rc=$?
    t1=$(date +%s%N)
    elapsed_ms=$(( (t1 - t0) / 1000000 ))
}

# logq PYTHON-EXPR: evaluates the expression over the fake's log (events, requests, connects).
logq() {
    python3 - "$log" "$1" <<'PY'
import json, sys
events = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")] if __import__("os").path.exists(sys.argv[1]) else []
requests = [e for e in events if e["event"] == "request"]
connects = sum(1 for e in events if e["event"] == "connect")
req = requests[-1] if requests else {}
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
}

# drv [pam_driver options...]: pam_driver on $service as alice (bounded by 10 s); sets $rc, $out,
# $elapsed_ms (wall time of the whole program) and $signals (SIGALRMs it received during the call).
drv() {
    local t0 t1
    t0=$(date +%s%N)
    out=$(timeout 10 "$driver" "$@" "$service" alice 2>&1)
    rc=$?
    t1=$(date +%s%N)
    elapsed_ms=$(( (t1 - t0) / 1000000 ))
    signals=$(printf '%s\n' "$out" | sed -n 's/^signals=//p')
    signals=${signals:-0}
}

ok() { passed=$((passed + 1)); echo "PASS $1"; }
ko() { failed=$((failed + 1)); echo "FAIL $1"; printf '%s\n' "$out" | sed 's/^/    | /'; }

# check NAME CONDITION...: the condition is a command (test, grep, logq…).
check() {
    local name=$1; shift
    if "$@"; then ok "$name"; else ko "$name"; fi
}
has() { printf '%s' "$out" | grep -qF -- "$1"; }
hasnt() { ! has "$1"; }

PW="pw-$$\n"
AUTH_ERR="Authentication failure"
MAXTRIES="Have exhausted maximum number of retries for service"
UNAVAIL="Authentication service cannot retrieve authentication info"
OFFLINE_INFO="Authenticated with cached credentials (offline mode)"

# --- statuses ---------------------------------------------------------------------------------
auth_service
start_fake --status SUCCESS
pt "$PW"
check "SUCCESS online: authenticated" test "$rc" = 0
check "SUCCESS online: pamtester says so" has "successfully authenticated"
check "SUCCESS online: no offline notice" hasnt "$OFFLINE_INFO"
check "request carries user, service, password, flags, timeout" \
    logq "req['user']=='alice' and req['service']=='$service' and req['password_ok'] and req['allow_offline'] and req['timeout_ms']==2000"

start_fake --status SUCCESS --offline --seconds 3600
pt "$PW"
check "SUCCESS offline: authenticated" test "$rc" = 0
check "SUCCESS offline: notice shown" has "$OFFLINE_INFO"

pt "$PW" "authenticate(PAM_SILENT)"
check "SUCCESS offline with PAM_SILENT: authenticated, notice suppressed" eval '[ "$rc" = 0 ] && hasnt "$OFFLINE_INFO"'

start_fake --status WRONG_PASSWORD
pt "$PW"
check "WRONG_PASSWORD: PAM_AUTH_ERR" eval '[ "$rc" != 0 ] && has "$AUTH_ERR"'

start_fake --status LOCKED --seconds 120
pt "$PW"
check "LOCKED: PAM_MAXTRIES" eval '[ "$rc" != 0 ] && has "$MAXTRIES"'
check "LOCKED: the seconds left are shown" has "Account locked (offline mode): try again in 120 seconds"

for status in NOT_CACHED EXPIRED UNAVAILABLE BUSY ERROR TIMED_OUT; do
    start_fake --status "$status"
    pt "$PW"
    check "$status: PAM_AUTHINFO_UNAVAIL" eval '[ "$rc" != 0 ] && has "$UNAVAIL"'
done

# --- PAM_DISALLOW_NULL_AUTHTOK (pamtester cannot pass flags: pam_driver does) -----------------
auth_service
start_fake --status SUCCESS
drv -n -p ""
check "PAM_DISALLOW_NULL_AUTHTOK, empty password: PAM_AUTH_ERR, the daemon never asked" \
    eval '[ "$rc" = 7 ] && has "$AUTH_ERR" && logq "connects==0 and not requests"'
drv -n -p "pw-$$"
check "PAM_DISALLOW_NULL_AUTHTOK with a password: sent as usual" eval '[ "$rc" = 0 ] && logq "req[\"password_ok\"]"'
start_fake --status SUCCESS
drv -p ""
check "empty password without the flag: sent, the daemon judges it" \
    eval '[ "$rc" = 0 ] && logq "connects==1 and req[\"password_len\"]==0"'
stack_empty_token() {
    printf 'auth optional %s socket=%s/missing.sock\nauth required %s socket=%s timeout=2 use_first_pass\n' \
        "$module" "$work" "$module" "$sock" > "$svcfile"
}
stack_empty_token
start_fake --status SUCCESS
drv -n -p ""
check "PAM_DISALLOW_NULL_AUTHTOK, empty PAM_AUTHTOK from an earlier module (use_first_pass): PAM_AUTH_ERR, not sent" \
    eval '[ "$rc" = 7 ] && logq "connects==0"'

# --- module arguments -------------------------------------------------------------------------
start_fake --status SUCCESS
auth_service no_offline_cache
pt "$PW"
check "no_offline_cache: flags bit0 cleared" eval '[ "$rc" = 0 ] && logq "req[\"allow_offline\"] is False"'
auth_service offline_cache
pt "$PW"
check "offline_cache: flags bit0 set" eval '[ "$rc" = 0 ] && logq "req[\"allow_offline\"] is True"'
printf 'auth required %s socket=%s timeout=7\n' "$module" "$sock" > "$svcfile"
pt "$PW"
check "timeout=7: timeout_ms 7000" logq "req['timeout_ms']==7000"
printf 'auth required %s socket=%s timeout=junk\n' "$module" "$sock" > "$svcfile"
pt "$PW"
check "timeout=junk: default 10 s" logq "req['timeout_ms']==10000"
printf 'auth required %s socket=relative.sock\n' "$module" > "$svcfile"
start_fake --status SUCCESS
pt "$PW"
check "socket=relative path: refused, no connection" eval '[ "$rc" != 0 ] && has "$UNAVAIL" && logq "connects==0"'

auth_service
pt "$PW" -Irhost=192.0.2.9 -Itty=pts/3
check "rhost and tty forwarded" logq "req['rhost']=='192.0.2.9' and req['tty']=='pts/3'"

# --- password sources -------------------------------------------------------------------------
auth_service use_first_pass
start_fake --status SUCCESS
pt "$PW"
check "use_first_pass without a token: PAM_AUTH_ERR, no connection" \
    eval '[ "$rc" != 0 ] && has "$AUTH_ERR" && logq "connects==0"'

# An earlier module (this one, aimed at a missing socket, optional) prompts and stores PAM_AUTHTOK.
stack_after_prompt() {
    printf 'auth optional %s socket=%s/missing.sock\nauth required %s socket=%s timeout=2 %s\n' \
        "$module" "$work" "$module" "$sock" "$1" > "$svcfile"
}
stack_after_prompt use_first_pass
pt "$PW"
check "use_first_pass with a token: reused (one prompt), sent once" \
    eval '[ "$rc" = 0 ] && logq "connects==1 and req[\"password_ok\"]"'
stack_after_prompt try_first_pass
pt "$PW"
check "try_first_pass with a token: reused (one prompt)" eval '[ "$rc" = 0 ] && logq "req[\"password_ok\"]"'
auth_service try_first_pass
pt "$PW"
check "try_first_pass without a token: prompts" eval '[ "$rc" = 0 ] && logq "req[\"password_ok\"]"'
stack_after_prompt ""
pt "first\\n$PW"
check "no *_first_pass: prompts again even with a token" eval '[ "$rc" = 0 ] && logq "req[\"password_ok\"]"'

# --- account ----------------------------------------------------------------------------------
auth_service
start_fake --status SUCCESS
pt "$PW" authenticate acct_mgmt
check "acct_mgmt after this module authenticated: PAM_SUCCESS" eval '[ "$rc" = 0 ] && has "account management done"'
pt "" acct_mgmt
check "acct_mgmt without authentication here: ignored (stack denies)" eval '[ "$rc" != 0 ] && logq "connects==1"'

# --- daemon misbehaviour ----------------------------------------------------------------------
printf 'auth required %s socket=%s timeout=1\n' "$module" "$sock" > "$svcfile"
start_fake --mode hang
pt "$PW"
check "daemon hangs: PAM_AUTHINFO_UNAVAIL after the timeout (${elapsed_ms} ms for timeout=1)" \
    eval '[ "$rc" != 0 ] && has "$UNAVAIL" && [ "$elapsed_ms" -ge 1000 ]'
# One deadline for the whole exchange, whatever signals interrupt it: a 300 ms interval timer whose
# SIGALRM handler has no SA_RESTART makes every blocking call fail with EINTR. Bounds are generous
# (timeout=1, < 3 s): this checks that a retry never restarts the timeout (before the fix, a
# connect() waiting on a full backlog looped until killed), not a latency.
drv -p "pw-$$" -i 300
check "daemon hangs, 300 ms SIGALRM timer without SA_RESTART: PAM_AUTHINFO_UNAVAIL by the deadline (${elapsed_ms} ms, ${signals} signals)" \
    eval '[ "$rc" = 9 ] && [ "$elapsed_ms" -ge 1000 ] && [ "$elapsed_ms" -lt 3000 ] && [ "$signals" -ge 2 ]'
start_fake --mode full
drv -p "pw-$$"
check "backlog full (connect blocks): PAM_AUTHINFO_UNAVAIL by the deadline (${elapsed_ms} ms for timeout=1)" \
    eval '[ "$rc" = 9 ] && [ "$elapsed_ms" -ge 1000 ] && [ "$elapsed_ms" -lt 3000 ]'
drv -p "pw-$$" -i 300
check "backlog full, 300 ms SIGALRM timer without SA_RESTART: connect's EINTR retries keep the one deadline (${elapsed_ms} ms, ${signals} signals)" \
    eval '[ "$rc" = 9 ] && [ "$elapsed_ms" -ge 1000 ] && [ "$elapsed_ms" -lt 3000 ] && [ "$signals" -ge 2 ]'
start_fake --mode full
out=$(printf 'pw-%s\n' "$$" | timeout 10 "$obclient" -s "$sock" -t 1 alice 2>&1); rc=$?
check "obclient, backlog full: times out (exit 104)" eval '[ "$rc" = 104 ] && has "timed out"'
auth_service
for mode in close garbage oversize badversion trailing error forbid; do
    start_fake --mode "$mode"
    pt "$PW"
    check "daemon answers $mode: PAM_AUTHINFO_UNAVAIL" eval '[ "$rc" != 0 ] && has "$UNAVAIL" && logq "connects==1"'
done

# --- socket safety ----------------------------------------------------------------------------
start_fake --status SUCCESS
chown nobody "$sock"
pt "$PW"
check "socket owned by nobody: refused without connecting" \
    eval '[ "$rc" != 0 ] && has "$UNAVAIL" && logq "connects==0"'
chown root "$sock"
pt "$PW"
check "same socket owned by root again: accepted" eval '[ "$rc" = 0 ] && logq "connects==1"'
stop_fake
rm -f "$sock"
pt "$PW"
check "no daemon (socket missing): PAM_AUTHINFO_UNAVAIL" eval '[ "$rc" != 0 ] && has "$UNAVAIL"'
: > "$sock"
pt "$PW"
check "socket path is a regular file: refused" eval '[ "$rc" != 0 ] && has "$UNAVAIL"'
rm -f "$sock"

# --- syslog: what the module logs, and never the password ------------------------------------
# pamtester runs in a private mount namespace whose /dev holds null/zero/urandom and a log socket
# read by syslog_sink.py, so the module's syslog lines can be inspected without touching the host.
devdir="$work/dev"
mkdir -p "$devdir"
for f in null zero urandom; do touch "$devdir/$f"; done
: > "$work/syslog.txt"
python3 "$here/syslog_sink.py" "$devdir/log" "$work/syslog.txt" &
sink_pid=$!
for _ in $(seq 1 200); do grep -q ready "$work/syslog.txt" && break; sleep 0.05; done
# pt_ns INPUT: like pt, inside the namespace.
pt_ns() {
    out=$(printf '%b' "$1" | timeout 30 unshare -m --propagation private sh -c '
        for f in null zero urandom; do mount --bind "/dev/$f" "$0/$f" || exit 97; done
        mount --rbind "$0" /dev || exit 97
        exec pamtester -v "$1" alice authenticate' "$devdir" "$service" 2>&1)
    rc=$?
}
secret="pw-$$-never-logged"
if unshare -m --propagation private true 2>/dev/null; then
    auth_service
    start_fake --status SUCCESS --offline --seconds 60
    pt_ns "$secret\n"
    start_fake --status LOCKED --seconds 30
    pt_ns "$secret\n"
    chown nobody "$sock"
    pt_ns "$secret\n"
    syslog=$(cat "$work/syslog.txt")
    # <87> = LOG_AUTHPRIV|LOG_DEBUG, <83> = LOG_AUTHPRIV|LOG_ERR.
    check "syslog: debug lines (authpriv.debug) name the user and the outcome" \
        eval 'printf "%s" "$syslog" | grep -q "^<87>.*pam_obactors($service:auth): user .alice.: SUCCESS offline (seconds=60)" &&
              printf "%s" "$syslog" | grep -q "^<87>.*user .alice.: LOCKED (seconds=30)"'
    check "syslog: the unsafe socket refusal is logged (authpriv.err) with its owner" \
        eval 'printf "%s" "$syslog" | grep -q "^<83>.*unsafe socket: refusing .* owned by uid $(id -u nobody), not root"'
    check "syslog: the password never appears" eval '! printf "%s" "$syslog" | grep -qF "$secret"'
else
    echo "SKIP syslog checks: unshare -m is not permitted here"
fi

# --- README's account stack (local and directory users) and common-auth stack -----------------
# Debian's common-account followed by the module's recommended account line, for users whose account
# data differ. pamtester runs in a private mount namespace where /etc/passwd and /etc/shadow are small
# test files (no real entry is copied), so pam_unix sees: a local user, a local user whose account has
# expired, a directory-style user whose passwd field is "x" but who has no shadow entry (pam_unix then
# answers PAM_AUTHINFO_UNAVAIL), one whose passwd field is "*" (not shadowed: pam_unix has no policy to
# apply), and a user NSS does not know. The daemon (fake) says SUCCESS for all of them.
acct_stack() {
    printf '%s\n' \
        "auth     [success=done authinfo_unavail=ignore default=die]  $module socket=$sock timeout=2" \
        "auth     requisite  pam_deny.so" \
        "account  [success=1 new_authtok_reqd=done default=ignore]  pam_unix.so $1" \
        "account  requisite  pam_deny.so" \
        "account  required   pam_permit.so" \
        "account  [success=ok ignore=ignore user_unknown=ignore default=bad]  $module" > "$svcfile"
}
# pt_users USER: authenticate then acct_mgmt as USER with the test passwd/shadow mounted.
pt_users() {
    out=$(printf '%b' "$PW" | timeout 30 unshare -m --propagation private sh -c '
        mount --bind "$0/passwd" /etc/passwd && mount --bind "$0/shadow" /etc/shadow || exit 97
        exec pamtester -v "$1" "$2" authenticate acct_mgmt' "$work/nss" "$service" "$1" 2>&1)
    rc=$?
}
if unshare -m --propagation private true 2>/dev/null; then
    mkdir -p "$work/nss"
    printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' \
        'oblocal:x:60001:60001:local:/nonexistent:/bin/sh' \
        'obexpired:x:60002:60002:local, expired:/nonexistent:/bin/sh' \
        'obdirx:x:60003:60003:directory, x without shadow:/nonexistent:/bin/sh' \
        'obdirstar:*:60004:60004:directory, not shadowed:/nonexistent:/bin/sh' > "$work/nss/passwd"
    printf '%s\n' 'root:*:20000:0:99999:7:::' 'oblocal:!:20000:0:99999:7:::' \
        'obexpired:!:20000:0:99999:7::1:' > "$work/nss/shadow"
    chmod 0644 "$work/nss/passwd"; chmod 0640 "$work/nss/shadow"; chgrp shadow "$work/nss/shadow" 2>/dev/null
    start_fake --status SUCCESS
    ACCT_OK="account management done"
    acct_stack ""
    pt_users oblocal
    check "account stack, local user: accepted" eval '[ "$rc" = 0 ] && has "$ACCT_OK"'
    pt_users obexpired
    check "account stack, expired local user: refused though the daemon said SUCCESS" \
        eval '[ "$rc" != 0 ] && has "successfully authenticated" && has "account has expired" && hasnt "$ACCT_OK"'
    pt_users obdirstar
    check "account stack, directory user not shadowed (passwd field *): accepted" eval '[ "$rc" = 0 ] && has "$ACCT_OK"'
    pt_users obdirx
    check "account stack, directory user with x and no shadow entry: refused by Debian's common-account" \
        eval '[ "$rc" != 0 ] && has "successfully authenticated" && hasnt "$ACCT_OK"'
    pt_users obnobody
    check "account stack, user unknown to NSS: refused" eval '[ "$rc" != 0 ] && hasnt "$ACCT_OK"'
    acct_stack broken_shadow
    pt_users obdirx
    check "account stack with pam_unix broken_shadow: directory user with x and no shadow entry accepted" \
        eval '[ "$rc" = 0 ] && has "$ACCT_OK"'
    pt_users obexpired
    check "account stack with pam_unix broken_shadow: the expired local user is still refused" \
        eval '[ "$rc" != 0 ] && has "account has expired" && hasnt "$ACCT_OK"'
    # README's common-auth: a daemon success ends the stack, "not cached" falls through to pam_unix
    # with the typed password (one prompt), a wrong password ends it.
    printf 'oblocal:%s:20000:0:99999:7:::\n' "$(openssl passwd -6 -salt obtest local-pw)" > "$work/nss/shadow.auth"
    grep -v '^oblocal:' "$work/nss/shadow" >> "$work/nss/shadow.auth" && mv "$work/nss/shadow.auth" "$work/nss/shadow"
    chmod 0640 "$work/nss/shadow"; chgrp shadow "$work/nss/shadow" 2>/dev/null
    printf '%s\n' \
        "auth     [success=2 authinfo_unavail=ignore default=die]  $module socket=$sock timeout=2" \
        "auth     [success=1 default=ignore]  pam_unix.so nullok try_first_pass" \
        "auth     requisite  pam_deny.so" \
        "auth     required   pam_permit.so" \
        "auth     optional   pam_cap.so" > "$svcfile"
    # pt_local INPUT: authenticate oblocal, INPUT on stdin, test passwd/shadow mounted.
    pt_local() {
        out=$(printf '%b' "$1" | timeout 30 unshare -m --propagation private sh -c '
            mount --bind "$0/passwd" /etc/passwd && mount --bind "$0/shadow" /etc/shadow || exit 97
            exec pamtester -v "$1" oblocal authenticate' "$work/nss" "$service" 2>&1)
        rc=$?
    }
    start_fake --status SUCCESS
    pt_local "$PW"
    check "common-auth stack, daemon SUCCESS: authenticated" eval '[ "$rc" = 0 ] && logq "connects==1"'
    start_fake --status NOT_CACHED
    pt_local "local-pw\n"
    check "common-auth stack, daemon NOT_CACHED: pam_unix authenticates with the password typed once" \
        eval '[ "$rc" = 0 ] && [ "$(printf "%s" "$out" | grep -o "Password:" | wc -l)" = 1 ] && logq "connects==1"'
    start_fake --status WRONG_PASSWORD
    pt_local "local-pw\n"
    check "common-auth stack, daemon WRONG_PASSWORD: refused (die), pam_unix not consulted" \
        eval '[ "$rc" != 0 ] && has "$AUTH_ERR"'
    stop_fake
    pt_local "local-pw\n"
    check "common-auth stack, no daemon: pam_unix authenticates" eval '[ "$rc" = 0 ]'
    stop_fake
else
    echo "SKIP account stack checks: unshare -m is not permitted here"
fi

# --- obclient ---------------------------------------------------------------------------------
start_fake --status LOCKED --seconds 42 --message "locked for 42s"
out=$(printf 'pw-%s\n' "$$" | "$obclient" -s "$sock" -t 2 alice 2>&1); rc=$?
check "obclient LOCKED: exit 2, prints status and seconds" \
    eval '[ "$rc" = 2 ] && has "LOCKED" && has "seconds=42" && has "locked for 42s"'
start_fake --status SUCCESS --offline --seconds 60
out=$(printf 'pw-%s\n' "$$" | "$obclient" -s "$sock" -n alice 2>&1); rc=$?
check "obclient -n: flags bit0 cleared, SUCCESS offline printed" \
    eval '[ "$rc" = 0 ] && has "SUCCESS flags=1(offline) seconds=60" && logq "req[\"allow_offline\"] is False and req[\"service\"]==\"obclient\""'
start_fake --mode forbid
forbid_codes=""
for _ in $(seq 1 20); do
    printf 'pw\n' | "$obclient" -s "$sock" -t 2 alice >"$work/forbid.out" 2>&1
    forbid_codes="$forbid_codes $?"
done
out="exit codes:$forbid_codes; last: $(cat "$work/forbid.out")"
check "obclient refused by the daemon (FORBIDDEN before reading): exit 107 every time, code shown" \
    eval '[ -z "$(echo $forbid_codes | tr " " "\n" | grep -vx 107)" ] && has "ERROR_FRAME FORBIDDEN"'
start_fake --status SUCCESS
out=$(head -c 1025 /dev/zero | tr '\0' x | "$obclient" -s "$sock" alice 2>&1); rc=$?
check "obclient: password over 1024 bytes refused without connecting" eval '[ "$rc" = 101 ] && logq "connects==0"'
out=$(head -c 1024 /dev/zero | tr '\0' x | "$obclient" -s "$sock" alice 2>&1); rc=$?
check "obclient: password of exactly 1024 bytes sent" eval '[ "$rc" = 0 ] && logq "req[\"password_len\"]==1024"'
# The request example of docs/PROTOCOL.md, byte for byte, from the C encoder.
start_fake --status SUCCESS --expect-frame 0000002a010101000027100005616c6963650002707700047373686400093139322e302e322e3700057074732f30
out=$(printf 'pw\n' | "$obclient" -s "$sock" -S sshd -r 192.0.2.7 -T pts/0 alice 2>&1); rc=$?
check "C encoder produces the documented AUTH_REQUEST bytes" \
    eval '[ "$rc" = 0 ] && logq "any(e[\"event\"]==\"frame\" and e[\"matches\"] for e in events)"'
stop_fake
# The fake's responses (which the C decoder is tested against) are the documented bytes too.
check "fake daemon encodes the documented AUTH_RESPONSE bytes" python3 -B -c '
import sys, types
sys.path.insert(0, sys.argv[1])
import fake_daemon as f
a = types.SimpleNamespace(status="SUCCESS", offline=True, seconds=21600, message="", gecos="Alice", shell="/bin/bash", home="/home/alice")
assert f.response(a).hex() == "00000029010200010000546000000005416c69636500092f62696e2f62617368000b2f686f6d652f616c696365"
a = types.SimpleNamespace(status="LOCKED", offline=True, seconds=120, message="locked", gecos="x", shell="x", home="x")
assert f.response(a).hex() == "00000016010202010000007800066c6f636b6564000000000000"
assert f.error_frame(4, "frame too large").hex() == "00000015017f0004000f6672616d6520746f6f206c61726765"
' "$here"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
