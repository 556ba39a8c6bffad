#!/usr/bin/env bash
# key_scenarios.sh - issue 10 item 4 with the real daemon and PAM module: a key change never destroys the
# cache (the key file moved away: status says MISMATCH, offline logins answer unavailable, nothing is
# quarantined; restored: the same entries serve again), and ob-cache-admin rekey (through the daemon,
# directly with the daemon stopped, and the recovery form --from-key-file) keeps offline logins working.
set -uo pipefail
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

e2e_setup
mapfile -t DAEMON < <(daemon_cmd)
KEY="$E2E_DIR/cache.key"
admin() { ADMIN_OUT=$(timeout 60 "${DAEMON[@]}" admin -c "$E2E_CONF" "$@" 2>&1) && ADMIN_RC=0 || ADMIN_RC=$?; return "$ADMIN_RC"; }
admin_says() { admin "${@:2}" && matches "$ADMIN_OUT" "$1"; }     # admin_says ERE COMMAND...
restart() { daemon_stop; daemon_start; }
offline_login_ok() { admin offline >/dev/null && login_ok "$1" "$1" && contains "$PAM_OUT" "cached credentials"; }
on_exit "rm -f '$E2E_DIR/cache.key.moved' '$E2E_DIR/cache.key.saved' '$KEY.old'"

echo "== a cached user"
assert "dwho logs in online" login_ok dwho dwho
assert "dwho's entry is written" wait_for 10 test -s "$(cache_file dwho)"
ENTRY_SUM=$(checksum "$(cache_file dwho)")
assert "status shows the cache key OK" admin_says 'Cache key: OK' status

echo "== the key file goes missing"
daemon_stop; mv "$KEY" "$E2E_DIR/cache.key.moved"; daemon_start
assert "status says MISMATCH and how to recover" admin_says 'Cache key: MISMATCH .*rekey --from-key-file' status
assert "stats says MISMATCH too" admin_says 'Cache key: +MISMATCH' stats
assert "the daemon logs the frozen cache at start" grep -q "OFFLINE CACHE FROZEN" "$E2E_DAEMON_LOG"
assert "forced offline" admin offline
assert "an offline login of dwho answers unavailable" login_refused dwho dwho "$PAM_TXT_UNAVAIL"
assert "cleanup is refused while frozen" eval '! admin cleanup'
assert "nothing in the quarantine folder" eval '[ -z "$(ls -A "$E2E_CACHE/quarantine" 2>/dev/null)" ]'
assert "dwho's entry is untouched" eval '[ "$(checksum "$(cache_file dwho)")" = "$ENTRY_SUM" ]'

echo "== the key file is restored"
daemon_stop; mv "$E2E_DIR/cache.key.moved" "$KEY"; daemon_start
assert "status shows the cache key OK again" admin_says 'Cache key: OK' status
assert "dwho logs in offline from the same entry" offline_login_ok dwho

echo "== rekey through the daemon"
KEY_SUM=$(checksum "$KEY")
assert "rekey" admin_says 're-encrypted' rekey
assert "the key file is new, 0600, and no .old is left" \
  eval '[ "$(checksum "$KEY")" != "$KEY_SUM" ] && [ "$(stat -c %a "$KEY")" = 600 ] && [ ! -e "$KEY.old" ]'
assert "dwho logs in offline right after the rekey" eval 'login_ok dwho dwho && contains "$PAM_OUT" "cached credentials"'
restart
assert "after a restart on the new key: cache key OK, dwho offline" eval 'admin_says "Cache key: OK" status && offline_login_ok dwho'

echo "== rekey with the daemon stopped"
daemon_stop
assert "direct rekey" admin_says 're-encrypted' rekey
daemon_start
assert "dwho logs in offline after the direct rekey" offline_login_ok dwho

echo "== recovery after the key file was replaced by mistake"
daemon_stop; cp -p "$KEY" "$E2E_DIR/cache.key.saved"; (umask 077; head -c 32 /dev/urandom >"$KEY"); daemon_start
assert "status says MISMATCH" admin_says 'Cache key: MISMATCH' status
assert "rekey --from-key-file the saved key" admin_says 're-encrypted' rekey --from-key-file "$E2E_DIR/cache.key.saved"
assert "status shows the cache key OK" admin_says 'Cache key: OK' status
assert "dwho logs in offline under the current key material" offline_login_ok dwho
assert "no key bytes in the daemon's log" eval '! grep -qiE "$(od -An -tx1 -N8 "$KEY" | tr -d " \n")" "$E2E_DAEMON_LOG"'

finish
