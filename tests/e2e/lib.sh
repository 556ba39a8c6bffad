# lib.sh - shared helpers of the end-to-end scripts (sourced, not run).
#
# The scripts drive the real product: a LemonLDAP::NG 2.16 portal (scripts/llng.sh), the obactors
# daemon (src/Host) and the C PAM module (src/PamBridge) loaded by real programs (pamtester, sshd).
# They need root (PAM service files, SO_PEERCRED uid 0, local accounts for sshd).
#
# Environment overrides (all optional):
#   OBACTORS_BIN       the daemon: an apphost or obactors.dll   (default: src/Host's Release output)
#   OBACTORS_PAM_SO    pam_obactors.so                           (default: src/PamBridge/build/)
#   OBACTORS_OBCLIENT  the C test client obclient                (default: src/PamBridge/build/)
#   E2E_DIR            scratch directory                         (default: /tmp/obactors-e2e)
#   E2E_LLNG_PORT      the test portal's port                    (default: 18100)
#   E2E_RECOVER_LIMIT  seconds to wait for the daemon to notice the portal is back (default: 90)
# shellcheck shell=bash

E2E_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
E2E_DIR=${E2E_DIR:-/tmp/obactors-e2e}
E2E_LLNG_PORT=${E2E_LLNG_PORT:-18100}
E2E_RECOVER_LIMIT=${E2E_RECOVER_LIMIT:-90}
E2E_OFFLINE_TIMEOUT=2                       # seconds; written into the daemon's configuration
E2E_SERVICE=obactors-e2e                    # PAM service used by pamtester
E2E_CONF="$E2E_DIR/openbastion.conf"
E2E_CACHE="$E2E_DIR/cache"
E2E_RUN="$E2E_DIR/run"
E2E_SOCK="$E2E_RUN/obactors.sock"
E2E_DAEMON_LOG="$E2E_DIR/obactors.log"
E2E_PAM_SO=${OBACTORS_PAM_SO:-$E2E_REPO/src/PamBridge/build/pam_obactors.so}
E2E_OBCLIENT=${OBACTORS_OBCLIENT:-$E2E_REPO/src/PamBridge/build/obclient}

export LLNG_DIR="$E2E_DIR/llng" LLNG_PORT="$E2E_LLNG_PORT" LLNG_AUTH=sqlite

E2E_PASSED=0
E2E_FAILED=0
E2E_DAEMON_PID=
E2E_DAEMON_RC=                              # exit status of the last daemon_stop
E2E_LLNG_STARTED=
E2E_LLNG_FROZEN=
E2E_CLEANUPS=()                             # extra shell commands run at exit, last first

log() { printf '[e2e %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# --- assertions --------------------------------------------------------------------------------

# assert DESCRIPTION COMMAND...   runs COMMAND; counts and prints PASS/FAIL.
assert() {
  local what=$1; shift
  if "$@"; then
    E2E_PASSED=$((E2E_PASSED + 1)); printf '  PASS  %s\n' "$what"
  else
    E2E_FAILED=$((E2E_FAILED + 1)); printf '  FAIL  %s\n' "$what"
  fi
}

# assert_that DESCRIPTION "SHELL EXPRESSION"   (evaluated, for tests like "[ x -lt y ]").
assert_that() { local what=$1; shift; assert "$what" eval "$*"; }

# The summary line; the exit status is non-zero when something failed.
finish() {
  printf '%s passed, %s failed\n' "$E2E_PASSED" "$E2E_FAILED"
  [ "$E2E_FAILED" -eq 0 ]
}

contains() { grep -qiF -- "$2" <<<"$1"; }              # contains TEXT NEEDLE (case-insensitive)
matches() { grep -qiE -- "$2" <<<"$1"; }               # matches TEXT ERE

# --- clean-up ----------------------------------------------------------------------------------

on_exit() { E2E_CLEANUPS+=("$1"); }

e2e_cleanup() {
  local status=$? i
  trap - EXIT INT TERM
  set +e
  for ((i = ${#E2E_CLEANUPS[@]} - 1; i >= 0; i--)); do eval "${E2E_CLEANUPS[i]}" >/dev/null 2>&1; done
  daemon_stop >/dev/null 2>&1
  if [ -n "$E2E_LLNG_STARTED" ]; then
    [ -n "$E2E_LLNG_FROZEN" ] && "$E2E_REPO/scripts/llng.sh" thaw >/dev/null 2>&1
    "$E2E_REPO/scripts/llng.sh" stop >/dev/null 2>&1
  fi
  rm -f "/etc/pam.d/$E2E_SERVICE"
  exit "$status"
}

e2e_init() {
  [ "$(id -u)" -eq 0 ] || { echo "the end-to-end tests need root" >&2; exit 2; }
  trap e2e_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  local f
  for f in "$E2E_PAM_SO" pamtester; do
    command -v "$f" >/dev/null || [ -e "$f" ] || { echo "missing: $f (build first: tests/e2e/run.sh)" >&2; exit 2; }
  done
  mkdir -p "$E2E_DIR"; chmod 755 "$E2E_DIR"
}

# --- the portal --------------------------------------------------------------------------------

llng() { "$E2E_REPO/scripts/llng.sh" "$@"; }

llng_fresh() {
  llng stop >/dev/null 2>&1 || true
  llng configure >/dev/null || return 1
  # two extra accounts, never cached before they are used, to prove the portal answers again
  perl -MDBI -e '
    my $db = DBI->connect("dbi:SQLite:dbname=$ARGV[0]", "", "", { RaiseError => 1, PrintError => 0 });
    $db->do("INSERT INTO users (user, password, name, mail) VALUES (?, ?, ?, ?)", undef, $_, $_, $_, "$_\@example.org")
      for qw(e2eback e2ethaw);
  ' "$LLNG_DIR/users.db" || return 1
  llng_start
}
llng_start() { E2E_LLNG_STARTED=1; llng start; }
llng_stop() { llng stop; E2E_LLNG_FROZEN=; }
llng_freeze() { E2E_LLNG_FROZEN=1; llng freeze; }
llng_thaw() { llng thaw; E2E_LLNG_FROZEN=; }

# --- the daemon --------------------------------------------------------------------------------

daemon_cmd() {
  local bin=${OBACTORS_BIN:-}
  if [ -z "$bin" ]; then
    for bin in "$E2E_REPO/src/Host/bin/Release/net10.0/obactors" "$E2E_REPO/src/Host/bin/Release/net10.0/obactors.dll" ""; do
      [ -e "$bin" ] && break
    done
  fi
  [ -n "$bin" ] && [ -e "$bin" ] || { echo "daemon not built (set OBACTORS_BIN or run tests/e2e/run.sh)" >&2; return 1; }
  case "$bin" in *.dll) printf '%s\n' dotnet "$bin" ;; *) printf '%s\n' "$bin" ;; esac
}

# Writes the configuration, a 0600 key file, a machine-id file, a 0700 cache dir and a 0755 socket dir.
daemon_configure() {
  mkdir -p "$E2E_CACHE" "$E2E_RUN"
  chmod 700 "$E2E_CACHE"; chmod 755 "$E2E_RUN"
  if [ ! -s "$E2E_DIR/cache.key" ]; then
    (umask 077; head -c 32 /dev/urandom >"$E2E_DIR/cache.key")
  fi
  chmod 600 "$E2E_DIR/cache.key"
  [ -s "$E2E_DIR/machine-id" ] || { od -An -tx1 -N16 /dev/urandom | tr -d ' \n'; echo; } >"$E2E_DIR/machine-id"
  (umask 077; cat >"$E2E_CONF" <<EOF
# written by tests/e2e/lib.sh
portal_url = http://127.0.0.1:$E2E_LLNG_PORT
client_id = bastion
client_secret = bastionsecret
offline_mode = enabled
offline_cache_dir = $E2E_CACHE
offline_cache_key_file = $E2E_DIR/cache.key
machine_id_file = $E2E_DIR/machine-id
offline_timeout = $E2E_OFFLINE_TIMEOUT
offline_max_attempts = 5
offline_lockout_initial = 30
socket_path = $E2E_SOCK
EOF
  )
  chmod 600 "$E2E_CONF"   # it holds client_secret: refused when others can read it (a file left by an older run keeps its mode)
  # Only the connectivity probe's pace differs from the shipped defaults: the tests stop and start
  # the portal within seconds, and must not wait for a 5 s .. 300 s backoff to see it come back.
  cat >"$E2E_DIR/obactors.hocon" <<EOF
obactors.connectivity {
  probe-backoff-initial = 2s
  probe-backoff-max = 4s
}
${E2E_HOCON_EXTRA:-}
EOF
}

# Starts the daemon in the background and waits (bounded) for its socket.
daemon_start() {
  local -a cmd; local i
  mapfile -t cmd < <(daemon_cmd) && [ "${#cmd[@]}" -gt 0 ] || return 1
  kill_stale "$E2E_DIR/obactors.pid" obactors
  rm -f "$E2E_SOCK"
  OB_CONFIG_FILE="$E2E_CONF" "${cmd[@]}" --config "$E2E_CONF" --hocon "$E2E_DIR/obactors.hocon" --foreground >>"$E2E_DAEMON_LOG" 2>&1 </dev/null &
  E2E_DAEMON_PID=$!
  echo "$E2E_DAEMON_PID" >"$E2E_DIR/obactors.pid"
  for i in $(seq 300); do                 # 30 s
    [ -S "$E2E_SOCK" ] && { log "daemon up (pid $E2E_DAEMON_PID) after ~$((i / 10)) s"; return 0; }
    if ! kill -0 "$E2E_DAEMON_PID" 2>/dev/null; then
      log "the daemon exited during start-up; last log lines:"; tail -n 20 "$E2E_DAEMON_LOG"
      E2E_DAEMON_PID=; return 1
    fi
    sleep 0.1
  done
  log "the daemon's socket did not appear within 30 s; last log lines:"; tail -n 20 "$E2E_DAEMON_LOG"
  daemon_stop; return 1
}

daemon_stop() {
  local pid=$E2E_DAEMON_PID i
  [ -n "$pid" ] || return 0
  E2E_DAEMON_PID=
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && { log "daemon did not stop on SIGTERM within 10 s, killing"; kill -KILL "$pid" 2>/dev/null; }
  wait "$pid" 2>/dev/null && E2E_DAEMON_RC=0 || E2E_DAEMON_RC=$?
  rm -f "$E2E_DIR/obactors.pid"
}

# kill_stale PIDFILE NAME: stops a process left by an earlier, interrupted run of these scripts
# (only if the PID file still names a live process whose command line mentions NAME).
kill_stale() {
  local pid
  [ -s "$1" ] || return 0
  pid=$(<"$1"); rm -f "$1"
  case "$pid" in ''|*[!0-9]*) return 0 ;; esac
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2" || return 0
  log "stopping $2 (pid $pid) left over by an earlier run"
  kill -TERM "$pid" 2>/dev/null; wait_for 10 eval "! kill -0 $pid 2>/dev/null" || kill -KILL "$pid" 2>/dev/null
}

# --- PAM ---------------------------------------------------------------------------------------

# pam_service_install NAME [EXTRA LINES [MODULE ARGS]]: an auth+account stack on the module under test.
pam_service_install() {
  local name=$1 extra=${2:-} args=${3:-}
  cat >"/etc/pam.d/$name" <<EOF
# temporary, written by tests/e2e/lib.sh
auth required $E2E_PAM_SO socket=$E2E_SOCK timeout=10 $args
account required $E2E_PAM_SO socket=$E2E_SOCK timeout=10 $args
$extra
EOF
}

# pam_login USER PASS: pamtester with the password on stdin (misc_conv reads a pipe as well as a tty).
# Sets PAM_OUT (stdout+stderr), PAM_RC and PAM_MS (wall time in ms); returns PAM_RC.
pam_login() {
  local t0 t1
  t0=$(date +%s%N)
  PAM_OUT=$(printf '%s\n' "$2" | timeout 30 pamtester "${PAM_SERVICE:-$E2E_SERVICE}" "$1" authenticate 2>&1) && PAM_RC=0 || PAM_RC=$?
  t1=$(date +%s%N)
  PAM_MS=$(( (t1 - t0) / 1000000 ))
  return "$PAM_RC"
}

# PAM's own texts (pam_strerror), as pamtester prints them.
PAM_TXT_OK="successfully authenticated"
PAM_TXT_AUTH_ERR="Authentication failure"
PAM_TXT_MAXTRIES="Have exhausted maximum number of retries"
PAM_TXT_UNAVAIL="Authentication service cannot retrieve authentication info"

login_ok() { pam_login "$1" "$2" && contains "$PAM_OUT" "$PAM_TXT_OK"; }
login_refused() { ! pam_login "$1" "$2" && contains "$PAM_OUT" "${3:-$PAM_TXT_AUTH_ERR}"; }

cache_file() { printf '%s/%s.cred\n' "$E2E_CACHE" "$(printf 'cred:%s' "$1" | sha256sum | cut -c1-32)"; }
checksum() { sha256sum "$1" 2>/dev/null | cut -d' ' -f1; }

# wait_for SECONDS COMMAND...: polls COMMAND every 0.1 s until it succeeds; bounded.
wait_for() {
  local limit=$(( $1 * 10 )) i; shift
  for ((i = 0; i < limit; i++)); do "$@" && return 0; sleep 0.1; done
  return 1
}

# Polls a login of USER (password = login, never cached) until the daemon answers it online.
# While the daemon believes the portal is down an uncached user is "not cached"; once its
# connectivity probe sees the portal again the login succeeds.
wait_online_login() {
  local user=$1 t0=$SECONDS
  while ((SECONDS - t0 < E2E_RECOVER_LIMIT)); do
    pam_login "$user" "$user" && return 0
    sleep 1
  done
  log "the daemon did not go back online within ${E2E_RECOVER_LIMIT}s (last answer: $PAM_OUT)"
  return 1
}

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

# Standard set-up: a fresh portal, the daemon on an empty cache, the PAM service for pamtester.
e2e_setup() {
  e2e_init
  log "starting the test portal on 127.0.0.1:$E2E_LLNG_PORT"
  llng_fresh || { log "the portal did not start"; exit 1; }
  rm -rf "$E2E_CACHE"; : >"$E2E_DAEMON_LOG"
  daemon_configure
  daemon_start || exit 1
  pam_service_install "$E2E_SERVICE"
}
