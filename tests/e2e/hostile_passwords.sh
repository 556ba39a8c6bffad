#!/usr/bin/env bash
# hostile_passwords.sh - issue 10 §1 against the real LLNG 2.16 portal: passwords the portal refuses as a
# request rather than judging them ("" and "0" are Perl-false: LLNG answers 400 invalid_request), a lone
# space, a 1024-byte one (the bridge's bound) and non-ASCII ones, ten times each, for a user with a
# cached entry. None of them may push the daemon offline, count a failure or lock the entry; the next
# good login is online. Before the fix, six "0" locked the user and marked LLNG offline for everyone.
set -uo pipefail
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

e2e_setup
mapfile -t DAEMON < <(daemon_cmd)
admin() { ADMIN_OUT=$(timeout 60 "${DAEMON[@]}" admin -c "$E2E_CONF" "$@" 2>&1) && ADMIN_RC=0 || ADMIN_RC=$?; return "$ADMIN_RC"; }
WIRE="$E2E_DIR/wire.py"
install -m 0755 "$(dirname "$0")/wire.py" "$WIRE"
wire() { PYTHONIOENCODING=utf-8 /usr/bin/python3 "$WIRE" "$E2E_SOCK" "$@"; }
obclient() { "$E2E_OBCLIENT" -s "$E2E_SOCK" -t 10 "$@"; }

echo "== a cached user"
assert "dwho logs in online" login_ok dwho dwho
assert "dwho's entry is written" wait_for 15 test -s "$(cache_file dwho)"
assert "status says online" eval 'admin status && matches "$ADMIN_OUT" "^online"'

long=$(head -c 1024 /dev/zero | tr '\0' 'L')
names=(empty zero space long1024 latin1 cjk emoji)
passwords=("" "0" " " "$long" "pässwörd" "密码" "🔑🙈")
declare -A bytes
for i in "${!names[@]}"; do bytes[${names[i]}]=$(printf '%s' "${passwords[i]}" | wc -c); done
log "password sizes in bytes: $(for n in "${names[@]}"; do printf '%s=%s ' "$n" "${bytes[$n]}"; done)"

echo "== ten times each, through the C client (obclient, the module's codec)"
for i in "${!names[@]}"; do
  name=${names[i]} pw=${passwords[i]} answers=()
  for n in $(seq 10); do
    out=$(printf '%s\n' "$pw" | obclient dwho 2>&1); answers+=("$? ${out%% message=*}")
  done
  distinct=$(printf '%s\n' "${answers[@]}" | sort -u)
  printf '        %-9s (%4s bytes): %s\n' "$name" "${bytes[$name]}" "$(tr '\n' ';' <<<"$distinct")"
  assert "password $name: refused online ten times (WRONG_PASSWORD, not offline)" \
    eval '[ "$distinct" = "1 WRONG_PASSWORD flags=0 seconds=0" ]'
  assert "status is still online right after the $name batch" eval 'admin status && matches "$ADMIN_OUT" "^online"'
done

echo "== the same through the Python client (wire.py), a second codec"
for i in "${!names[@]}"; do
  name=${names[i]} pw=${passwords[i]} answers=()
  for n in $(seq 10); do answers+=("$(printf '%s\n' "$pw" | wire auth dwho 2>&1 | sed 's/ message=.*//')"); done
  distinct=$(printf '%s\n' "${answers[@]}" | sort -u)
  assert "password $name via wire.py: WRONG_PASSWORD online ten times ($distinct)" \
    eval '[ "$distinct" = "AUTH status=1 flags=0 seconds=0" ]'
done
out=$(printf '%sX\n' "$long" | obclient dwho 2>&1); rc=$?
assert "a 1025-byte password is refused by the client before anything is sent (exit $rc)" eval '[ "$rc" -eq 101 ]'
out=$(printf '%sX\n' "$long" | wire auth dwho 2>&1)
assert "a 1025-byte password sent anyway is refused by the daemon's frame bound: MALFORMED ($out)" matches "$out" '^ERROR code=3 '

echo "== afterwards"
assert "status still says online" eval 'admin status && matches "$ADMIN_OUT" "^online"'
admin -q show dwho; printf '        show dwho: %s\n' "$(tr '\n' ' ' <<<"$ADMIN_OUT")"
assert "dwho's entry counts no failure" matches "$ADMIN_OUT" '^failures=0$'
assert "dwho's entry is not locked" eval 'matches "$ADMIN_OUT" "^status=ACTIVE$" && matches "$ADMIN_OUT" "^locked_until=-$"'
out=$(printf 'dwho\n' | obclient dwho 2>&1); rc=$?
printf '        next good login: %s\n' "${out%% gecos=*}"
assert "the next good login of dwho is online (no offline flag)" eval '[ "$rc" -eq 0 ] && matches "$out" "^SUCCESS flags=0 "'
out=$(printf 'rtyler\n' | obclient -n rtyler 2>&1); rc=$?
assert "a no_offline_cache login of rtyler reaches the portal (SUCCESS online)" eval '[ "$rc" -eq 0 ] && matches "$out" "^SUCCESS flags=0 "'
assert "the daemon logged the refused requests, never as an outage" \
  eval 'grep -q "online auth refused by the portal for user '"'"'dwho'"'"' (invalid_request)" "$E2E_DAEMON_LOG" && ! grep -q "switching to offline mode" "$E2E_DAEMON_LOG"'
assert "the daemon logged the empty passwords as refused locally" grep -q "empty password refused for user 'dwho'" "$E2E_DAEMON_LOG"
assert "no test password in the daemon's log" eval '! grep -qE "LLLLLLLL|pässwörd|密码|🔑" "$E2E_DAEMON_LOG"'

finish
