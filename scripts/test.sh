#!/usr/bin/env bash
# test.sh - build everything and run every test: unit, actor specs, daemon and admin tests, the LLNG
# integration tests, the PAM module tests (pamtester), a fuzz smoke run (tests/fuzz/run.sh --smoke) and
# the end-to-end suite (real LLNG portal, daemon, PAM module under pamtester and OpenSSH). This is
# the README's test command and exactly what CI runs (.ci/run). Needs root (it installs packages, a
# PAM service file and runs sshd).
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh || exit 1

status=0
summary=()
step() {   # step NAME COMMAND...: run, remember the outcome, keep going so every suite reports
  local name=$1; shift
  echo; echo "######## $name"
  if "$@"; then summary+=("ok      $name"); else summary+=("FAILED  $name"); status=1; fi
}

step "restore" dotnet restore OpenBastion.Actors.sln
step "build (Release)" dotnet build OpenBastion.Actors.sln -c Release --no-restore -nologo
step "PAM module (make)" make -C src/PamBridge
step "dotnet test" dotnet test OpenBastion.Actors.sln -c Release --no-build --logger "console;verbosity=normal"
step "PAM module tests (pamtester + fake daemon)" tests/pam/run.sh
step "fuzz smoke" tests/fuzz/run.sh --smoke
step "end to end (LLNG + daemon + PAM + sshd)" env E2E_SKIP_DOTNET_BUILD=1 tests/e2e/run.sh

echo; echo "######## summary"
printf '%s\n' "${summary[@]}"
exit $status
