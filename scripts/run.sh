#!/usr/bin/env bash
# run.sh - the README's "run" command: build everything, start a throw-away LemonLDAP::NG portal on
# 127.0.0.1, and run the obactors daemon in the foreground against it, with its cache, key and socket
# under .run/. Prints how to try a login. Ctrl-C stops the daemon and the portal.
#
# Environment: LLNG_PORT (18080), LLNG_DIR (.run/llng), LLNG_CLIENT_ID (bastion),
#              LLNG_CLIENT_SECRET (bastionsecret), RUN_DIR (.run), RUN_NO_BUILD=1 (skip the builds),
#              OBACTORS_BIN (the daemon; default: src/Host's Release build),
#              OBACTORS_BUILD (the PAM module and obclient; default: src/PamBridge/build).
# Demo users (LLNG's demo backend): dwho/dwho, rtyler/rtyler, msmith/msmith.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

run_dir=${RUN_DIR:-$repo/.run}
export LLNG_PORT=${LLNG_PORT:-18080}
export LLNG_DIR=${LLNG_DIR:-$run_dir/llng}
export LLNG_AUTH=${LLNG_AUTH:-demo}
client_id=${LLNG_CLIENT_ID:-bastion}
client_secret=${LLNG_CLIENT_SECRET:-bastionsecret}
conf="$run_dir/openbastion.conf"
sock="$run_dir/obactors.sock"
key="$run_dir/cache.key"
pam_service=obactors-run
pam_file=/etc/pam.d/$pam_service

say() { printf '\033[1mrun:\033[0m %s\n' "$*"; }

if [ "${RUN_NO_BUILD:-0}" != 1 ]; then
  scripts/deps.sh
  say "building the daemon (dotnet build src/Host -c Release)"
  dotnet build src/Host -c Release -nologo -v quiet
  say "building the PAM module and obclient (make -C src/PamBridge)"
  make -s -C src/PamBridge
fi
bin=${OBACTORS_BIN:-src/Host/bin/Release/net10.0/obactors}
pam_build=${OBACTORS_BUILD:-$repo/src/PamBridge/build}
[ -x "$bin" ] || { echo "run: $bin not built" >&2; exit 1; }

umask 077
mkdir -p "$run_dir"
chmod 0700 "$run_dir"
if [ ! -s "$key" ]; then
  head -c 32 /dev/urandom >"$key"
  chmod 0600 "$key"
  say "created the cache key file $key (32 random bytes, 0600)"
fi
cat >"$conf" <<CONF
# Written by scripts/run.sh: a local daemon against the throw-away portal.
portal_url = http://127.0.0.1:$LLNG_PORT
client_id = $client_id
client_secret = $client_secret
offline_mode = enabled
offline_cache_dir = $run_dir/cache
offline_cache_key_file = $key
socket_path = $sock
CONF
chmod 0600 "$conf"   # it holds client_secret: the daemon refuses it readable by others (also when left by an older run)

daemon_pid=
cleanup() {
  trap - INT TERM EXIT
  if [ -n "$daemon_pid" ] && kill -0 "$daemon_pid" 2>/dev/null; then
    kill -TERM "$daemon_pid" 2>/dev/null || true
    wait "$daemon_pid" 2>/dev/null || true
  fi
  [ -f "$pam_file" ] && grep -q 'scripts/run.sh' "$pam_file" && rm -f "$pam_file"
  say "stopping the portal"
  scripts/llng.sh stop || true
}
trap cleanup INT TERM EXIT

say "starting the LLNG portal on 127.0.0.1:$LLNG_PORT ($LLNG_DIR)"
scripts/llng.sh stop >/dev/null 2>&1 || true
scripts/llng.sh configure
scripts/llng.sh start

pamtester_hint="(pamtester: run as root to get a PAM service)"
if [ "$(id -u)" = 0 ] && [ -d /etc/pam.d ] && [ -f "$pam_build/pam_obactors.so" ]; then
  cat >"$pam_file" <<PAM
# Written by scripts/run.sh (removed when it stops).
auth     required  $pam_build/pam_obactors.so socket=$sock
account  required  pam_permit.so
PAM
  pamtester_hint="pamtester -v $pam_service dwho authenticate      (password: dwho)"
fi

cat <<HINT

  obactors is starting in the foreground (Ctrl-C stops it and the portal).
  Try a login from another terminal:

    echo dwho | $pam_build/obclient -s $sock dwho
    $pamtester_hint

  Offline mode: LLNG_DIR=$LLNG_DIR LLNG_PORT=$LLNG_PORT scripts/llng.sh freeze   (thaw to end it),
  then log in again with a cached user.
  Configuration: $conf      cache: $run_dir/cache

HINT
"$bin" --config "$conf" --foreground &
daemon_pid=$!
set +e
wait "$daemon_pid"
rc=$?
set -e
daemon_pid=
exit "$rc"
