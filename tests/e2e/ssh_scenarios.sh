#!/usr/bin/env bash
# ssh_scenarios.sh - a real OpenSSH server on 127.0.0.1:2222 whose PAM service is README's
# recommended sshd stack: an online login, the same login offline once the portal is stopped, a wrong
# password refused, and local account policy still enforced after pam_obactors accepted the password:
# an expired account (chage -E 0), a pam_access deny and a nologin file each refuse the login.
#
# E2E_SSH_LEGACY_STACK=1 writes the stack README recommended before issue 10 instead (pam_obactors'
# account line with success=done at the top): the three policy checks then fail, as they should.
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

# The PAM service: README's recommended /etc/pam.d/sshd (Debian's file with pam_obactors' two lines),
# line for line except the module's path and socket, and pam_nologin/pam_access pointed at test files
# (file=, accessfile=; pam_access enabled) so that the machine's own are never touched.
SSH_ACCESS="$SSH_DIR/access.conf"
SSH_NOLOGIN="$SSH_DIR/nologin"
ssh_access_allow_all() { printf '# pam_access rules of tests/e2e/ssh_scenarios.sh (none: everyone allowed)\n' >"$SSH_ACCESS"; }
ssh_pam_stack() {
  local so="$E2E_PAM_SO socket=$E2E_SOCK"
  echo "# temporary, written by tests/e2e/ssh_scenarios.sh"
  echo "auth     [success=done authinfo_unavail=ignore default=die]  $so timeout=10"
  [ "${E2E_SSH_LEGACY_STACK:-0}" = 1 ] && echo "account  [success=done ignore=ignore default=bad]            $so"
  cat <<EOF
@include common-auth
account  required  pam_nologin.so file=$SSH_NOLOGIN
account  required  pam_access.so accessfile=$SSH_ACCESS
@include common-account
EOF
  [ "${E2E_SSH_LEGACY_STACK:-0}" = 1 ] ||
    echo "account  [success=ok ignore=ignore user_unknown=ignore default=bad]  $so"
  cat <<'EOF'
session  [success=ok ignore=ignore module_unknown=ignore default=bad]  pam_selinux.so close
session  required  pam_loginuid.so
session  optional  pam_keyinit.so force revoke
@include common-session
session  optional  pam_motd.so motd=/run/motd.dynamic
session  optional  pam_motd.so noupdate
session  optional  pam_mail.so standard noenv
session  required  pam_limits.so
session  required  pam_env.so
session  required  pam_env.so user_readenv=1 envfile=/etc/default/locale
session  [success=ok ignore=ignore module_unknown=ignore default=bad]  pam_selinux.so open
@include common-password
EOF
}

sshd_start() {
  kill_stale "$SSH_DIR/sshd.pid" "$SSH_SERVICE"
  rm -rf "$SSH_DIR"; mkdir -p "$SSH_DIR"; chmod 755 "$SSH_DIR"
  [ -d /run/sshd ] || { mkdir -p /run/sshd; chmod 755 /run/sshd; on_exit "rmdir /run/sshd"; }
  ssh_access_allow_all
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
  ssh_pam_stack >"/etc/pam.d/$SSH_SERVICE"
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

echo "== local account policy after pam_obactors accepted the password (online)"
# account_refusals: how many times sshd said the PAM account step refused dwho.
account_refusals() { grep -c "Access denied for user dwho by PAM account configuration" "$SSH_DIR/sshd.log"; }
# policy_refused: dwho's right password is refused through both methods, and for the 'password'
# method sshd says the account step did it (it runs pam_acct_mgmt after a successful pam_authenticate;
# keyboard-interactive runs both in its PAM thread and logs only the failure).
policy_refused() {
  local before; before=$(account_refusals)
  ssh_refused dwho dwho && SSH_METHODS=password ssh_refused dwho dwho \
    && wait_for 5 eval '[ "$(account_refusals)" -gt "$before" ]'
}
old_expire=$(getent shadow dwho | cut -d: -f8)
on_exit "chage -E '${old_expire:--1}' dwho"
chage -E 0 dwho
assert "expired local account (chage -E 0): refused by the account step" policy_refused
chage -E "${old_expire:--1}" dwho
assert "account expiry restored: the login works again" ssh_login dwho dwho
printf -- '-:dwho:ALL\n' >>"$SSH_ACCESS"
assert "pam_access deny (-:dwho:ALL in its accessfile): refused by the account step" policy_refused
ssh_access_allow_all
assert "pam_access rule removed: the login works again" ssh_login dwho dwho
echo "maintenance (tests/e2e/ssh_scenarios.sh)" >"$SSH_NOLOGIN"
assert "nologin file present (pam_nologin file=): refused by the account step" policy_refused
rm -f "$SSH_NOLOGIN"
assert "nologin file removed: the login works again" ssh_login dwho dwho

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
