#!/usr/bin/env bash
# ssh_scenarios.sh - a real OpenSSH server on 127.0.0.1:2222 whose PAM stack is pam_obactors.so:
# an online login, the same login offline once the portal is stopped, a wrong password refused.
#
# sshd's PAM service name is the basename of its argv[0] (OpenSSH's SSHD_PAM_SERVICE = __progname;
# Debian does not override it), so sshd runs through a symlink named sshd-obactors and reads
# /etc/pam.d/sshd-obactors; the system's /etc/pam.d/sshd is never touched. That the right stack is used
# is proven by the logins themselves: the test accounts have no Unix password.
set -uo pipefail
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

SSH_DIR="$E2E_DIR/ssh"
SSH_PORT=${E2E_SSH_PORT:-2222}
SSH_SERVICE=sshd-obactors
SSHD_PID=

sshd_stop() {
  [ -n "$SSHD_PID" ] || return 0
  kill -TERM "$SSHD_PID" 2>/dev/null; wait "$SSHD_PID" 2>/dev/null; SSHD_PID=
}

# Local accounts: sshd only logs in users that exist locally. Created without a Unix password
# (locked) and marked in their GECOS field; removed at exit only if marked (created by these scripts,
# possibly by an earlier run that was killed).
E2E_USER_MARK="obactors-e2e test user"
ensure_user() {
  if ! getent passwd "$1" >/dev/null; then
    useradd -m -s /bin/sh -c "$E2E_USER_MARK" "$1" || return 1
  fi
  [ "$(getent passwd "$1" | cut -d: -f5)" = "$E2E_USER_MARK" ] && on_exit "userdel -r $1"
  return 0
}

sshd_start() {
  kill_stale "$SSH_DIR/sshd.pid" "$SSH_SERVICE"
  rm -rf "$SSH_DIR"; mkdir -p "$SSH_DIR"; chmod 755 "$SSH_DIR"
  [ -d /run/sshd ] || { mkdir -p /run/sshd; chmod 755 /run/sshd; on_exit "rmdir /run/sshd"; }
  ssh-keygen -q -t ed25519 -N '' -f "$SSH_DIR/host_ed25519" || return 1
  cat >"$SSH_DIR/sshd_config" <<EOF
# written by tests/e2e/ssh_scenarios.sh
ListenAddress 127.0.0.1
Port $SSH_PORT
HostKey $SSH_DIR/host_ed25519
PidFile $SSH_DIR/sshd.pid
UsePAM yes
KbdInteractiveAuthentication yes
PasswordAuthentication yes
PubkeyAuthentication no
AuthorizedKeysFile none
PermitRootLogin no
AllowUsers dwho rtyler
MaxAuthTries 3
LoginGraceTime 30
PrintMotd no
PrintLastLog no
LogLevel VERBOSE
EOF
  ln -s /usr/sbin/sshd "$SSH_DIR/$SSH_SERVICE"
  # auth and account both on pam_obactors alone (its account step vouches for the user its auth step
  # accepted; sshd runs both in the same PAM handle); no session or password business here.
  pam_service_install "$SSH_SERVICE" "session optional pam_permit.so
password required pam_deny.so"
  on_exit "rm -f /etc/pam.d/$SSH_SERVICE"
  "$SSH_DIR/$SSH_SERVICE" -t -f "$SSH_DIR/sshd_config" || return 1
  "$SSH_DIR/$SSH_SERVICE" -D -f "$SSH_DIR/sshd_config" -E "$SSH_DIR/sshd.log" </dev/null &
  SSHD_PID=$!
  on_exit sshd_stop
  wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$SSH_PORT" 2>/dev/null \
    || { log "sshd did not listen on $SSH_PORT"; cat "$SSH_DIR/sshd.log"; return 1; }
  log "sshd up on 127.0.0.1:$SSH_PORT (pid $SSHD_PID, PAM service $SSH_SERVICE)"
}

# ssh_login USER PASS: sets SSH_OUT, SSH_RC; succeeds only if the remote command really ran.
ssh_login() {
  SSH_OUT=$(SSHPASS=$2 timeout 40 sshpass -e ssh -p "$SSH_PORT" -o StrictHostKeyChecking=no \
    -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=10 -o PubkeyAuthentication=no \
    -o PreferredAuthentications="${SSH_METHODS:-keyboard-interactive,password}" -o NumberOfPasswordPrompts=1 \
    "$1@127.0.0.1" 'echo E2E-LOGGED-IN-AS-$(id -un)' 2>&1) && SSH_RC=0 || SSH_RC=$?
  [ "$SSH_RC" -eq 0 ] && contains "$SSH_OUT" "E2E-LOGGED-IN-AS-$1"
}
ssh_refused() { ! ssh_login "$@" && ! contains "$SSH_OUT" "E2E-LOGGED-IN"; }

e2e_setup
for u in dwho rtyler; do ensure_user "$u" || { log "cannot create local user $u"; exit 1; }; done
sshd_start || exit 1

echo "== ssh through pam_obactors"
assert "online: ssh dwho@127.0.0.1 with dwho's portal password" ssh_login dwho dwho
[ "$SSH_RC" -eq 0 ] || printf '        ssh said: %s\n' "$SSH_OUT"
assert "dwho is cached" wait_for 10 test -s "$(cache_file dwho)"
assert "online: a wrong password is refused" ssh_refused dwho 'Wr0ng-e2e-ssh'
assert "online: the 'password' method (sshd's own PAM conversation) works too" eval 'SSH_METHODS=password ssh_login dwho dwho'
llng_stop >/dev/null
assert "offline: ssh dwho@127.0.0.1 succeeds from the cache" ssh_login dwho dwho
[ "$SSH_RC" -eq 0 ] || printf '        ssh said: %s\n' "$SSH_OUT"
assert "offline: a wrong password is refused" ssh_refused dwho 'Wr0ng-e2e-ssh'
assert "offline: the 'password' method works too" eval 'SSH_METHODS=password ssh_login dwho dwho'
assert "offline: a user never cached is refused" ssh_refused rtyler rtyler
assert "sshd used the $SSH_SERVICE PAM service (its log shows accepted logins)" \
  grep -qE "Accepted (keyboard-interactive/pam|password) for dwho" "$SSH_DIR/sshd.log"
assert "both methods were accepted by sshd" eval 'grep -q "Accepted keyboard-interactive/pam for dwho" "$SSH_DIR/sshd.log" && grep -q "Accepted password for dwho" "$SSH_DIR/sshd.log"' 

finish
