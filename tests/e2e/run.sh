#!/usr/bin/env bash
# run.sh - the end-to-end suite: builds the daemon and the PAM module when needed, then runs
# pam_scenarios.sh, ssh_scenarios.sh, security_scenarios.sh, admin_scenarios.sh,
# nonroot_scenarios.sh and hostile_passwords.sh against a real LLNG portal.
# Prints "N passed, M failed" over all of them and exits non-zero if anything failed. Needs root.
#
# OBACTORS_BIN / OBACTORS_PAM_SO / OBACTORS_OBCLIENT point at already-built pieces (then nothing is
# built); otherwise the daemon is built with `dotnet build src/Host -c Release` and the module with make.
# E2E_SKIP_DOTNET_BUILD=1 skips the dotnet build (when the caller has just built the solution in
# Release); make is incremental and always runs unless OBACTORS_PAM_SO is given.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

if [ -z "${OBACTORS_BIN:-}" ] && [ "${E2E_SKIP_DOTNET_BUILD:-0}" != 1 ]; then
  echo "== building the daemon (dotnet build src/Host -c Release)"
  dotnet build "$repo/src/Host" -c Release -nologo -v quiet || { echo "0 passed, 1 failed"; exit 1; }
fi
if [ -z "${OBACTORS_PAM_SO:-}" ]; then
  echo "== building the PAM module (make -C src/PamBridge)"
  make -s -C "$repo/src/PamBridge" || { echo "0 passed, 1 failed"; exit 1; }
fi

passed=0 failed=0
logdir=$(mktemp -d /tmp/obactors-e2e-logs.XXXXXX)
for script in pam_scenarios.sh ssh_scenarios.sh security_scenarios.sh admin_scenarios.sh nonroot_scenarios.sh hostile_passwords.sh key_scenarios.sh clock_scenarios.sh; do
  echo "==== $script"
  t0=$SECONDS
  "$here/$script" 2>&1 | tee "$logdir/$script.log"; rc=${PIPESTATUS[0]}
  cp "${E2E_DIR:-/tmp/obactors-e2e}/obactors.log" "$logdir/$script.daemon.log" 2>/dev/null
  line=$(tail -n 1 "$logdir/$script.log")
  if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2]))
    if [ "$rc" -ne 0 ] && [ "${BASH_REMATCH[2]}" -eq 0 ]; then
      echo "==== $script exited with status $rc: counted as one failure"; failed=$((failed + 1))
    fi
  else
    echo "==== $script ended without a summary line: counted as one failure"
    failed=$((failed + 1))
  fi
  echo "==== $script: $line ($((SECONDS - t0)) s)"
done
grep -h '^LATENCY' "$logdir"/*.log 2>/dev/null
echo "(logs of each script: $logdir)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
