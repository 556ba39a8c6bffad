#!/usr/bin/env bash
# clock_scenarios.sh - issue 10 item 6 with the real daemon under libfaketime (Debian package faketime):
# setting the clock back — across a restart — neither revives an expired entry nor changes a lock's
# remaining time, because policy time is a persisted high-water mark (<cache>/.clock).
set -uo pipefail
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

LIBFAKETIME=${LIBFAKETIME:-/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1}
if [ ! -e "$LIBFAKETIME" ]; then
  echo "libfaketime not installed (apt-get install faketime): skipped"
  echo "0 passed, 0 failed"; exit 0
fi

e2e_setup
mapfile -t REAL < <(daemon_cmd)
FAKE_BIN="$E2E_DIR/obactors-at"
# The daemon with its clock shifted by $OBACTORS_SHIFT (libfaketime, no extra process: exec keeps the pid).
printf '#!/bin/sh\nLD_PRELOAD="%s" FAKETIME="$OBACTORS_SHIFT" FAKETIME_DONT_FAKE_MONOTONIC=1 exec %s "$@"\n' \
  "$LIBFAKETIME" "${REAL[*]}" >"$FAKE_BIN"
chmod 755 "$FAKE_BIN"
on_exit "rm -f '$FAKE_BIN'"
start_at() { export OBACTORS_SHIFT=$1; OBACTORS_BIN=$FAKE_BIN daemon_start; }
admin() { ADMIN_OUT=$(timeout 60 "${REAL[@]}" admin -c "$E2E_CONF" "$@" 2>&1) && ADMIN_RC=0 || ADMIN_RC=$?; return "$ADMIN_RC"; }
lock_left() { admin auth --password-stdin rtyler <<<rtyler; sed -n 's/.*try again in \([0-9]*\) seconds.*/\1/p' <<<"$ADMIN_OUT" | head -1; }

echo "== a lock, then the clock set back an hour across a restart"
assert "rtyler logs in online" login_ok rtyler rtyler
assert "rtyler's entry is written" wait_for 10 test -s "$(cache_file rtyler)"
assert "forced offline" admin offline
for i in 1 2 3 4 5; do pam_login rtyler "Wr0ng-e2e-clock-$i"; done
assert "rtyler is locked for at most 30 s" eval 'n=$(lock_left); [ -n "$n" ] && [ "$n" -le 30 ]'
daemon_stop; start_at "-1h"
assert "the daemon warns that the clock is behind the high-water mark" wait_for 10 grep -q "behind the highest time seen" "$E2E_DAEMON_LOG"
assert "forced offline (clock -1 h)" admin offline
assert "still locked, for what is left of 30 s (not an hour more)" eval 'n=$(lock_left); [ -n "$n" ] && [ "$n" -ge 1 ] && [ "$n" -le 30 ]'

echo "== an entry cached two days ago, expired now, then the clock set back two days"
daemon_stop; rm -rf "$E2E_CACHE"; daemon_configure
start_at "-2d"
assert "dwho logs in online with the clock two days back" wait_online_login dwho
assert "dwho's entry is written" wait_for 10 test -s "$(cache_file dwho)"
daemon_stop; daemon_start
assert "at the real time the entry is expired" eval 'admin show dwho && matches "$ADMIN_OUT" "Status: +EXPIRED"'
assert "the high-water mark is persisted 0600" eval '[ "$(stat -c %a "$E2E_CACHE/.clock")" = 600 ]'
daemon_stop; start_at "-2d"
assert "forced offline (clock -2 d)" admin offline
assert "the expired entry does not come back: dwho offline is unavailable" login_refused dwho dwho "$PAM_TXT_UNAVAIL"
assert "and it was removed as expired" eval '[ ! -e "$(cache_file dwho)" ]'

finish
