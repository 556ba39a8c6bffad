#!/usr/bin/env bash
# install.sh - install obactors into a real system (as root), or into a staging tree with DESTDIR.
#   /usr/lib/obactors/          the daemon (dotnet publish, framework-dependent: needs the .NET 10 runtime)
#   /usr/sbin/ob-cache-admin    the admin tool (wrapper: obactors admin "$@")
#   /lib/x86_64-linux-gnu/security/pam_obactors.so, /usr/bin/obclient
#   /lib/systemd/system/obactors.service
#   /etc/open-bastion/openbastion.conf (example, 0600, only if absent), /etc/open-bastion/cache.key
#   (32 random bytes, 0600, only if absent)
# It never edits /etc/pam.d: the README says which line to add to which service.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${DESTDIR:-}
libdir=$dest/usr/lib/obactors
pamdir=$dest${PAMDIR:-/lib/x86_64-linux-gnu/security}

dotnet publish src/Host -c Release -nologo -o "$libdir"
make -C src/PamBridge install DESTDIR="$dest" PAMDIR="${PAMDIR:-/lib/x86_64-linux-gnu/security}" BINDIR=/usr/bin
install -D -m 0755 deploy/ob-cache-admin "$dest/usr/sbin/ob-cache-admin"
install -D -m 0644 deploy/obactors.service "$dest/lib/systemd/system/obactors.service"
install -d -m 0755 "$dest/etc/open-bastion"
[ -e "$dest/etc/open-bastion/openbastion.conf" ] || install -m 0600 etc/openbastion.conf "$dest/etc/open-bastion/openbastion.conf"
if [ ! -e "$dest/etc/open-bastion/cache.key" ]; then
  (umask 077; head -c 32 /dev/urandom >"$dest/etc/open-bastion/cache.key")
fi
install -d -m 0700 "$dest/var/cache/open-bastion" "$dest/var/cache/open-bastion/credentials"
echo "installed under ${dest:-/}; module: $pamdir/pam_obactors.so"
echo "next: set portal_url, client_id, client_secret in /etc/open-bastion/openbastion.conf,"
echo "      systemctl daemon-reload && systemctl enable --now obactors, then add the PAM line (README)."
