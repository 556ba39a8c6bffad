#!/usr/bin/env bash
# admin_scenarios.sh - ob-cache-admin ('obactors admin') against the running daemon, with logins through
# pamtester to prove each command's effect: list/show, unlock, forced offline/online, invalidate, auth.
set -uo pipefail
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

e2e_setup
mapfile -t DAEMON < <(daemon_cmd)
admin() { ADMIN_OUT=$(timeout 60 "${DAEMON[@]}" admin -c "$E2E_CONF" "$@" 2>&1) && ADMIN_RC=0 || ADMIN_RC=$?; return "$ADMIN_RC"; }
admin_says() { admin "${@:2}" && matches "$ADMIN_OUT" "$1"; }     # admin_says ERE COMMAND...

echo "== inspect"
login_ok dwho dwho; login_ok rtyler rtyler
wait_for 10 test -s "$(cache_file rtyler)"
assert "list names the cached users" eval 'admin list && contains "$ADMIN_OUT" dwho && contains "$ADMIN_OUT" rtyler'
assert "show dwho works and never prints the verifier" eval 'admin show dwho && ! matches "$ADMIN_OUT" "password_hash|salt"'
assert "status says online" admin_says '^online' status
assert "show of an unknown user: exit 1" eval '! admin show nosuchuser && [ "$ADMIN_RC" -eq 1 ]'

echo "== forced offline while the portal is up"
assert "offline" admin offline
assert "status says offline, forced" admin_says '^offline \(forced' status
assert "dwho logs in from the cache (portal up, state forced)" eval 'login_ok dwho dwho && contains "$PAM_OUT" "cached credentials"'
assert "an uncached user gets PAM_AUTHINFO_UNAVAIL" login_refused e2eback e2eback "$PAM_TXT_UNAVAIL"

echo "== lockout and unlock"
for i in 1 2 3 4 5; do pam_login dwho "Wr0ng-e2e-admin-$i"; done
assert "dwho is locked" login_refused dwho dwho "$PAM_TXT_MAXTRIES"
assert "list shows dwho LOCKED" eval 'admin list && grep -i dwho <<<"$ADMIN_OUT" | grep -q LOCKED'
assert "unlock dwho" admin unlock dwho
assert "unlocked: dwho logs in offline at once" eval 'login_ok dwho dwho && contains "$PAM_OUT" "cached credentials"'

echo "== invalidate"
assert "invalidate rtyler" admin invalidate rtyler
assert "rtyler's file is gone" eval '[ ! -e "$(cache_file rtyler)" ]'
assert "rtyler offline: PAM_AUTHINFO_UNAVAIL" login_refused rtyler rtyler "$PAM_TXT_UNAVAIL"

echo "== back online"
assert "online --clear" admin online --clear
assert "status says online again" wait_for 15 admin_says '^online' status
assert "an uncached user logs in (online)" wait_online_login e2eback
assert "auth test through the daemon: right password" eval 'admin auth --password-stdin rtyler <<<rtyler'
assert "auth test through the daemon: wrong password refused (exit 1)" \
  eval '! admin auth --password-stdin rtyler <<<Wr0ng-e2e-admin && [ "$ADMIN_RC" -eq 1 ]'
assert "no test password in the daemon's log" eval '! grep -qE "Wr0ng-e2e-admin|bastionsecret" "$E2E_DAEMON_LOG"'

finish
