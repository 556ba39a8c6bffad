#!/usr/bin/env bash
# deps.sh - install the Debian packages that building and testing need (idempotent; needs root).
#   LemonLDAP::NG 2.16 portal (the real IdP for integration and end-to-end tests), PAM headers and
#   test tools (pamtester, libpam-wrapper), OpenSSH server + sshpass, Debian's argon2 CLI (benchmark
#   reference), a C toolchain for the PAM module, clang + libFuzzer and afl++ for tests/fuzz.
set -euo pipefail
pkgs="liblemonldap-ng-portal-perl libplack-perl libstring-random-perl libio-string-perl
      libdbi-perl libdbd-sqlite3-perl openssl curl jq
      gcc make libpam0g-dev pamtester libpam-wrapper openssh-server sshpass argon2 procps python3 psmisc faketime
      clang libclang-rt-14-dev afl++"
# shellcheck disable=SC2086
if dpkg -s $pkgs >/dev/null 2>&1; then echo "deps: all packages present"; exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "deps: missing packages and not root; run: sudo $0" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt="apt-get -y -q --no-install-recommends -o DPkg::Lock::Timeout=300"
apt-get -q update -o DPkg::Lock::Timeout=300 >/dev/null || true
for i in 1 2 3; do
  # shellcheck disable=SC2086
  if $apt install $pkgs; then echo "deps: installed"; exit 0; fi
  # a half-upgraded perl (docker-clean hooks) is repaired by -f install, then retry
  $apt -f install || true
  sleep $((i * 3))
  apt-get -q update -o DPkg::Lock::Timeout=300 >/dev/null || true
done
echo "deps: package installation failed" >&2; exit 1
