#!/usr/bin/env bash
# security_scenarios.sh - the bridge's trust boundaries with the real daemon and module:
# the socket is 0666 and a non-root peer asking for another account is FORBIDDEN (SO_PEERCRED),
# the module refuses a socket that root does not own, malformed frames get an error, not a crash.
set -uo pipefail
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

e2e_setup
WIRE="$E2E_DIR/wire.py"
install -m 0755 "$(dirname "$0")/wire.py" "$WIRE"
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all "$@"; }
wire() { /usr/bin/python3 "$WIRE" "$E2E_SOCK" "$@"; }

echo "== the socket"
assert_that "the socket is owned by root" '[ "$(stat -c %u "$E2E_SOCK")" = 0 ]'
assert_that "the socket is mode 0666 (what a peer may ask is the daemon's peer policy)" '[ "$(stat -c %a "$E2E_SOCK")" = 666 ]'
assert "root gets an answer (dwho online)" eval 'out=$(echo dwho | wire auth dwho) && matches "$out" "^AUTH status=0 "'

echo "== a non-root peer asking for another account (more in nonroot_scenarios.sh)"
out=$(echo dwho | as_nobody /usr/bin/python3 "$WIRE" "$E2E_SOCK" auth dwho 2>&1)
printf '        daemon said to nobody: %s\n' "$out"
assert "nobody asking for dwho: FORBIDDEN (SO_PEERCRED uid is not dwho's)" matches "$out" '^ERROR code=5 '
if [ -x "$E2E_OBCLIENT" ]; then
  install -m 0755 "$E2E_OBCLIENT" "$E2E_DIR/obclient"
  # obclient exits 107 with the daemon's ERROR frame. Three runs: with the one above, within nobody's
  # burst of 5 (over it the answer would be BUSY).
  codes=()
  for i in $(seq 3); do
    out=$(echo dwho | as_nobody "$E2E_DIR/obclient" -s "$E2E_SOCK" dwho 2>&1); codes+=($?)
  done
  printf '        obclient as nobody, exit codes of 3 runs: %s; last said: %s\n' "${codes[*]}" "$out"
  assert "the C obclient run by nobody for dwho gets ERROR FORBIDDEN every time (exit 107)" \
    eval '[ "$(printf "%s\n" "${codes[@]}" | sort -u)" = 107 ] && contains "$out" FORBIDDEN'
fi

echo "== the module refuses a socket root does not own"
chown nobody "$E2E_SOCK"
assert "socket owned by nobody: PAM_AUTHINFO_UNAVAIL" login_refused dwho dwho "$PAM_TXT_UNAVAIL"
chown root "$E2E_SOCK"
assert "socket owned by root again: dwho logs in" login_ok dwho dwho

echo "== malformed frames"
out=$(wire raw 00100000 2>&1)
assert "a header announcing 1 MiB: TOO_LARGE or close ($out)" matches "$out" '^(ERROR code=4 |CLOSED)'
out=$(wire raw 00000000 2>&1)
assert "a header announcing 0 bytes: TOO_LARGE or close ($out)" matches "$out" '^(ERROR code=4 |CLOSED)'
out=$(wire raw 000000020901 2>&1)
assert "version 9: BAD_VERSION ($out)" matches "$out" '^ERROR code=1 '
out=$(wire raw 0000000401010000 2>&1)
assert "a truncated AUTH_REQUEST: MALFORMED ($out)" matches "$out" '^ERROR code=3 '
out=$(wire raw 000000020155 2>&1)
assert "an unknown type: BAD_TYPE or MALFORMED ($out)" matches "$out" '^ERROR code=(2|3) '
t0=$SECONDS; out=$(wire slow 2>&1)
assert "half a header then silence: TIMEOUT or close within 10 s ($out, $((SECONDS - t0)) s)" \
  eval 'matches "$out" "^(ERROR code=6 |CLOSED)" && [ $((SECONDS - t0)) -le 10 ]'
assert "the daemon survived all of it" kill -0 "$E2E_DAEMON_PID"
assert "and still authenticates" login_ok dwho dwho
assert "no password in the daemon's log" eval '! grep -qE "bastionsecret" "$E2E_DAEMON_LOG"'

echo "== the daemon's start-up checks"
mapfile -t DAEMON < <(daemon_cmd)
(umask 077; sed "s|^socket_path = .*|socket_path = $E2E_RUN/second.sock|" "$E2E_CONF" >"$E2E_DIR/second.conf")
out=$(timeout 60 "${DAEMON[@]}" --config "$E2E_DIR/second.conf" 2>&1); rc=$?
printf '        second daemon (exit %s): %s\n' "$rc" "$(tail -n 1 <<<"$out")"
assert_that "a second daemon on the same cache directory refuses to start (exit 75, cache locked)" '[ "$rc" -eq 75 ]'
assert "the first daemon still authenticates" login_ok dwho dwho
(umask 077; sed "s|^offline_timeout = .*|offline_timeout = 0|" "$E2E_CONF" >"$E2E_DIR/bad.conf")
out=$(timeout 60 "${DAEMON[@]}" --config "$E2E_DIR/bad.conf" 2>&1); rc=$?
printf '        bad configuration (exit %s): %s\n' "$rc" "$out"
assert_that "a bad value stops start-up (exit 78) with a line naming the key" \
  '[ "$rc" -eq 78 ] && grep -q "offline_timeout" <<<"$out"'
rm -f "$E2E_DIR/second.conf" "$E2E_DIR/bad.conf"

finish
