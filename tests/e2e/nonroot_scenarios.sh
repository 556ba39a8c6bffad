#!/usr/bin/env bash
# nonroot_scenarios.sh - PAM callers that do not run as root (a screen locker, su run by a user):
# the bridge socket is 0666 and the daemon applies its peer policy (src/Host/Bridge/PeerPolicy.cs).
# pamtester run as an ordinary user (runuser) against the real portal: its own account works, online
# and offline; another user's account is FORBIDDEN (PAM_AUTHINFO_UNAVAIL, the daemon logs "forbidden");
# admin frames are FORBIDDEN; over the rate (burst 5, then one per refill period: 15 s in this test) the answer is BUSY and reaches no
# actor, while root and other users are still served.
set -uo pipefail
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

# Local accounts named after the portal's demo users (password = login), created without a Unix
# password and marked in their GECOS field; removed at exit only if marked (as ssh_scenarios.sh does).
E2E_USER_MARK="obactors-e2e test user"
nonroot_user() {
  if ! getent passwd "$1" >/dev/null; then
    useradd -M -s /bin/sh -c "$E2E_USER_MARK" "$1" || return 1
  fi
  [ "$(getent passwd "$1" | cut -d: -f5)" = "$E2E_USER_MARK" ] && on_exit "userdel $1"
  return 0
}

# A refill period long enough that a loaded machine cannot refill a token between the burst and the
# checks that follow it (the shipped 6 s is tested on virtual time in Host.Tests' PeerPolicyTests).
REFILL=15
E2E_HOCON_EXTRA="obactors.bridge.peer-refill = ${REFILL}s"
e2e_setup
WIRE="$E2E_DIR/wire.py"
install -m 0755 "$(dirname "$0")/wire.py" "$WIRE"
nonroot_user rtyler || { log "cannot create the local account rtyler"; exit 1; }
nonroot_user msmith || { log "cannot create the local account msmith"; exit 1; }
RTYLER=$(id -u rtyler); MSMITH=$(id -u msmith)

# as USER PAM-USER PASSWORD: pamtester run by USER for PAM-USER (sets PAM_OUT, PAM_RC like pam_login).
as() {
  PAM_OUT=$(cd / && printf '%s\n' "$3" | timeout 30 runuser -u "$1" -- pamtester "$E2E_SERVICE" "$2" authenticate 2>&1) && PAM_RC=0 || PAM_RC=$?
  return "$PAM_RC"
}
# wire_as USER PAM-USER PASSWORD: the raw answer of one AUTH_REQUEST sent by USER.
wire_as() { (cd / && printf '%s\n' "$3" | runuser -u "$1" -- /usr/bin/python3 "$WIRE" "$E2E_SOCK" auth "$2" 2>&1); }
log_count() { grep -cF -- "$1" "$E2E_DAEMON_LOG"; }

echo "== the socket"
assert_that "the socket is owned by root" '[ "$(stat -c %u "$E2E_SOCK")" = 0 ]'
assert_that "the socket is mode 0666 (any local user may connect; the daemon decides)" '[ "$(stat -c %a "$E2E_SOCK")" = 666 ]'

echo "== a user authenticates their own account"
as rtyler rtyler rtyler
printf '        pamtester run by rtyler for rtyler: %s\n' "$(tail -n 1 <<<"$PAM_OUT")"
assert "rtyler's own account, online through the portal: success" eval '[ "$PAM_RC" -eq 0 ] && contains "$PAM_OUT" "$PAM_TXT_OK"'
# The verifier is written after the answer (off the login's critical path).
assert "rtyler's verifier is cached" wait_for 20 test -s "$(cache_file rtyler)"
as rtyler rtyler Wr0ng-own-e2e
assert "rtyler's own account with a wrong password: refused by the portal (PAM_AUTH_ERR)" contains "$PAM_OUT" "$PAM_TXT_AUTH_ERR"

echo "== a user asks for another user's account"
as rtyler msmith Forbidden-pw-e2e
printf '        pamtester run by rtyler for msmith: %s\n' "$(tail -n 1 <<<"$PAM_OUT")"
assert "rtyler asking for msmith: refused (FORBIDDEN → PAM_AUTHINFO_UNAVAIL, the stack may fall through)" \
  eval '[ "$PAM_RC" -ne 0 ] && contains "$PAM_OUT" "$PAM_TXT_UNAVAIL"'
assert "the daemon logged it as forbidden, naming the uid and the user" \
  eval 'grep -F "forbidden: uid $RTYLER " "$E2E_DAEMON_LOG" | grep -qF "user '"'"'msmith'"'"'"'
assert "no entry was written for msmith" test ! -e "$(cache_file msmith)"
assert "the refused password is not in the daemon's log" eval '! grep -qF Forbidden-pw-e2e "$E2E_DAEMON_LOG"'
out=$(wire_as rtyler root root)
assert "rtyler asking for root on the wire: ERROR FORBIDDEN ($out)" matches "$out" '^ERROR code=5 '
# ADMIN_REQUEST LIST: length 3, version 1, type 0x10, command 1.
out=$(cd / && runuser -u rtyler -- /usr/bin/python3 "$WIRE" "$E2E_SOCK" raw 00000003011001 2>&1)
assert "an admin frame from rtyler: ERROR FORBIDDEN ($out)" matches "$out" '^ERROR code=5 '

echo "== the rate of a non-root peer (burst 5, then one request per ${REFILL} s)"
before=$(log_count "rate limit: uid $MSMITH ")
dir=$(mktemp -d "$E2E_DIR/burst.XXXXXX")
pids=()
for i in 1 2 3 4 5 6 7; do wire_as msmith msmith msmith >"$dir/$i" & pids+=($!); done
wait "${pids[@]}"   # these only: the daemon is a background job of this shell too
answers=$(cat "$dir"/*); rm -rf "$dir"
ok=$(grep -c '^AUTH status=0 ' <<<"$answers"); busy=$(grep -c '^AUTH status=6 ' <<<"$answers")
printf '        7 requests at once by msmith for msmith: %s served (SUCCESS), %s BUSY\n' "$ok" "$busy"
assert "exactly 5 of 7 simultaneous requests are served, 2 are answered BUSY" eval '[ "$ok" -eq 5 ] && [ "$busy" -eq 2 ]'
assert "the daemon logged the rate limit for msmith's uid" eval '[ "$(log_count "rate limit: uid $MSMITH ")" -gt "$before" ]'
as msmith msmith msmith
assert "pamtester run by msmith over the rate: PAM_AUTHINFO_UNAVAIL (BUSY: the stack may fall through)" \
  eval '[ "$PAM_RC" -ne 0 ] && contains "$PAM_OUT" "$PAM_TXT_UNAVAIL"'
assert "root is not rate-limited: msmith through root's pamtester logs in" login_ok msmith msmith
out=$(wire_as rtyler rtyler rtyler)
assert "another uid has its own bucket: rtyler is served ($out)" matches "$out" '^AUTH status=0 '
sleep $((REFILL + 1))
out=$(wire_as msmith msmith msmith)
assert "after one refill period msmith is served again ($out)" matches "$out" '^AUTH status=0 '

echo "== a screen unlock while the portal is down"
llng_stop >/dev/null 2>&1
sleep $((REFILL + 1))   # one more token for rtyler
as rtyler rtyler rtyler
printf '        pamtester run by rtyler, portal stopped: %s\n' "$(tr '\n' ' ' <<<"$PAM_OUT")"
assert "rtyler's own account offline, from the cache: success with the cached-credentials notice" \
  eval '[ "$PAM_RC" -eq 0 ] && contains "$PAM_OUT" "cached credentials"'
as rtyler msmith msmith
assert "offline, rtyler asking for msmith (cached) is still refused" eval '[ "$PAM_RC" -ne 0 ] && contains "$PAM_OUT" "$PAM_TXT_UNAVAIL"'

assert "the daemon is still running" kill -0 "$E2E_DAEMON_PID"
finish
