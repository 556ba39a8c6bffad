#!/usr/bin/env bash
# bench/run.sh - the whole benchmark suite of DESIGN.md §4 in one command; writes docs/BENCHMARKS.md.
#
# Runs as root (the daemon's socket admits uid 0; the portal and the daemon are started here) on the
# machine the project is built on (2 cores: < 15 minutes). Everything lives under $BENCH_DIR:
# its own LemonLDAP::NG portal (scripts/llng.sh on port 18200), its own daemon configurations and caches.
# Every figure is written beside a reference measured in the same run.
#
# Environment (optional): BENCH_DIR (/tmp/obactors-bench), BENCH_OUT (docs/BENCHMARKS.md),
#   BENCH_NO_BUILD=1 (reuse the last build in $BENCH_DIR/art), BENCH_SCALE (100000 entries),
#   BENCH_STORM (500 users), BENCH_MICRO=0 (skip BenchmarkDotNet).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
B=${BENCH_DIR:-/tmp/obactors-bench}
OUT=${BENCH_OUT:-$repo/docs/BENCHMARKS.md}
SCALE=${BENCH_SCALE:-100000}
STORM=${BENCH_STORM:-500}
ART=$B/art
R=$B/results.txt
SOCK=$B/run/obactors.sock
DLOG=$B/daemon.log
PASS=bench-Passw0rd
WARMUP_USER=bench-warmup-nobody                     # unknown to the portal: rejected online, never cached
OFFLINE_TIMEOUT=2
export LLNG_DIR=$B/llng LLNG_PORT=18200 LLNG_AUTH=sqlite
PORTAL=http://127.0.0.1:$LLNG_PORT

say() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
put() { printf '%s=%s\n' "$1" "$2" >>"$R"; }
skip() { say "scenario $1 not measured: $2"; put "$1.skip" "$2"; }
llng() { "$repo/scripts/llng.sh" "$@"; }
bench() { "$ART/bin/Bench/release/OpenBastion.Bench" "$@"; }
daemon_bin() { printf '%s\n' "$ART/bin/Host/release/obactors"; }

[ "$(id -u)" -eq 0 ] || { echo "bench/run.sh needs root (the daemon's socket, the portal)" >&2; exit 2; }
command -v argon2 >/dev/null || echo "warning: the argon2 CLI is missing (scripts/deps.sh): scenario 1 has no reference" >&2

DAEMON_PID=
PORTAL_UP=
PORTAL_FROZEN=
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  daemon_stop
  [ -n "$PORTAL_FROZEN" ] && llng thaw >/dev/null 2>&1
  [ -n "$PORTAL_UP" ] && llng stop >/dev/null 2>&1
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the daemon ------------------------------------------------------------------------------------

# conf NAME: a configuration of its own (cache directory $B/NAME/cache) sharing the key file and machine id.
conf() {
  local name=$1
  mkdir -p "$B/$name" "$B/run"; chmod 700 "$B/$name"; chmod 755 "$B/run"
  (umask 077; cat >"$B/$name/openbastion.conf" <<EOF
# written by bench/run.sh
portal_url = $PORTAL
client_id = bastion
client_secret = bastionsecret
offline_mode = enabled
offline_cache_dir = $B/$name/cache
offline_cache_key_file = $B/cache.key
machine_id_file = $B/machine-id
offline_timeout = $OFFLINE_TIMEOUT
offline_max_attempts = 5
offline_lockout_initial = 600
socket_path = $SOCK
EOF
  )
  chmod 600 "$B/$name/openbastion.conf"   # holds client_secret: refused when others can read it
  printf '%s\n' "$B/$name/openbastion.conf"
}

# daemon_start CONF LABEL: starts the daemon, records LABEL.startup_ms (spawn until the socket accepts).
daemon_start() {
  local conf=$1 label=$2
  OB_CONFIG_FILE=$conf bench start --socket "$SOCK" --log "$DLOG" --pidfile "$B/daemon.pid" --label "$label" --results "$R" \
    -- "$(daemon_bin)" --config "$conf" --hocon "$B/obactors.hocon" --foreground
  DAEMON_PID=$(<"$B/daemon.pid")
  CONF=$conf
}

daemon_stop() {
  local pid=$DAEMON_PID i
  [ -n "$pid" ] || return 0
  DAEMON_PID=
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  rm -f "$B/daemon.pid"
  return 0
}

admin() { OB_CONFIG_FILE=$CONF "$(daemon_bin)" admin -c "$CONF" "$@"; }
rss_mib() { awk '/^VmRSS:/ { printf "%.1f\n", $2 / 1024 }' "/proc/$DAEMON_PID/status"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
mismatches() { grep -c "offline auth failed for user '$1' (password mismatch" "$DLOG" || true; }

# --- start -----------------------------------------------------------------------------------------

T0=$SECONDS
# Leftovers of an interrupted run: the portal (by its PID file) and a daemon (by ours, checked by name).
llng thaw >/dev/null 2>&1 || true
llng stop >/dev/null 2>&1 || true
if [ -s "$B/daemon.pid" ] && tr '\0' ' ' <"/proc/$(<"$B/daemon.pid")/cmdline" 2>/dev/null | grep -q obactors; then
  DAEMON_PID=$(<"$B/daemon.pid"); daemon_stop
fi
rm -rf "$B/main" "$B/storm" "$B/scale10" "$B/scale100k" "$B/bdn" "$B/run"
mkdir -p "$B"; chmod 755 "$B"
: >"$R"; : >"$DLOG"
[ -s "$B/cache.key" ] || (umask 077; head -c 32 /dev/urandom >"$B/cache.key")
[ -s "$B/machine-id" ] || { od -An -tx1 -N16 /dev/urandom | tr -d ' \n'; echo; } >"$B/machine-id"
# Only the connectivity probe's pace differs from the shipped defaults: the portal comes back within seconds here.
cat >"$B/obactors.hocon" <<'EOF'
obactors.connectivity {
  probe-backoff-initial = 2s
  probe-backoff-max = 4s
}
EOF

put machine.nproc "$(nproc)"
put machine.cpu "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
put machine.mem "$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
put machine.load_start "$(cut -d' ' -f1-3 /proc/loadavg)"
put machine.dotnet ".NET $(dotnet --version 2>/dev/null || echo '?') SDK, Release build"
put machine.workers "$(nproc)"                      # obactors.hashing.workers = 0: one per core
say "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); nproc $(nproc)"

if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  say "building (Release) into $ART"
  dotnet build "$repo/src/Host" -c Release --artifacts-path "$ART" -v q -nologo >"$B/build.log" 2>&1 \
    || { tail -n 30 "$B/build.log"; exit 1; }
  dotnet build "$repo/bench/Bench" -c Release --artifacts-path "$ART" -v q -nologo >>"$B/build.log" 2>&1 \
    || { tail -n 30 "$B/build.log"; exit 1; }
fi

# --- micro-benchmarks (BenchmarkDotNet, short job) and scenario 1 ----------------------------------

if [ "${BENCH_MICRO:-1}" != 0 ]; then
  say "BenchmarkDotNet: verifiers, entry codec, store"
  bench micro --artifacts "$B/bdn" >"$B/micro.log" 2>&1 || say "BenchmarkDotNet reported a failure (see $B/micro.log)"
fi

say "scenario 1: engine Argon2id vs the argon2 CLI"
bench argon2 --rounds 9 --label s1 --results "$R"

# --- the portal and the first daemon ---------------------------------------------------------------

say "starting the portal on $PORTAL"
llng configure >/dev/null
PORTAL_UP=1
llng start >/dev/null
daemon_start "$(conf main)" main

say "scenario 5: online login vs the portal's own answer"
bench online --socket "$SOCK" --portal "$PORTAL" --client-id bastion --client-secret bastionsecret \
  --user dwho --password dwho --rounds 30 --cache-dir "$B/main/cache" --label online --results "$R" || say "online: some logins were not online successes"
for u in rtyler msmith; do                          # cached online for scenarios 3 and 4
  bench load --socket "$SOCK" --user "$u" --password "$u" --expect Success >/dev/null
done
sleep 1                                             # the verifier refresh of the last login

say "scenarios 2 and 4: portal stopped (connection refused)"
# The client warms up on a user the portal rejects (no hash, no cache change), then the portal stops.
bench load --socket "$SOCK" --user dwho --password dwho --requests 21 --interleave-engine --series --expect Success \
  --warmup 5 --warmup-user "$WARMUP_USER" --warmup-password nope --warmup-expect WrongPassword \
  --then "'$repo/scripts/llng.sh' stop >/dev/null" --label refused --results "$R" || true
llng stop >/dev/null 2>&1 || true; PORTAL_UP=
say "scenario 2: offline logins one at a time"
bench load --socket "$SOCK" --user dwho --password dwho --requests 30 --interleave-engine --series --expect Success \
  --label offline --results "$R" || true

say "scenario 3: 100 parallel wrong passwords, then refusals of the locked account"
before=$(mismatches rtyler)
bench load --socket "$SOCK" --user rtyler --password wrong-password --concurrency 100 --requests 100 \
  --label wrong100 --results "$R" || true
sleep 1
put s3.verifications $(( $(mismatches rtyler) - before ))
put s3.max_attempts 5
put s3.failed_attempts "$(admin -q list | awk -F'\t' '$1 == "rtyler" { print $4 }')"
bench load --socket "$SOCK" --user rtyler --password rtyler --warmup 50 --requests 300 --expect Locked --label locked --results "$R" || true

say "scenario 4: portal frozen (SIGSTOP, blackhole)"
put s4.offline_timeout_ms $(( OFFLINE_TIMEOUT * 1000 ))
llng start >/dev/null; PORTAL_UP=1
if bench wait-online --socket "$SOCK" --user dwho --password dwho --limit-s 90; then
  sleep 1
  PORTAL_FROZEN=1
  bench load --socket "$SOCK" --user msmith --password msmith --requests 21 --interleave-engine --series --expect Success \
    --warmup 5 --warmup-user "$WARMUP_USER" --warmup-password nope --warmup-expect WrongPassword \
    --then "'$repo/scripts/llng.sh' freeze >/dev/null" --label blackhole --results "$R" || true
  llng thaw >/dev/null; PORTAL_FROZEN=
else
  skip blackhole "the daemon did not see the portal again within 90 s"
fi
llng stop >/dev/null; PORTAL_UP=
daemon_stop

# --- storm -----------------------------------------------------------------------------------------

say "scenario 6: storm of $STORM distinct cached users (offline)"
WARM=$(( STORM / 5 ))                                # a first, smaller storm of other users: a warm daemon
conf_storm=$(conf storm)
CONF=$conf_storm
bench fill --config "$conf_storm" --user-prefix storm --count $((STORM + WARM + 1)) --password "$PASS" --label stormfill --results "$R"
daemon_start "$conf_storm" storm
# storm000000: detects the outage, then the engine's verification time measured just before the storm
bench load --socket "$SOCK" --user storm000000 --password "$PASS" --requests 16 --interleave-engine --expect Success \
  --label stormref --results "$R" || true
# A daemon that has just started is still compiling its hot paths (tiered JIT, ~10 % of the CPU in the
# first storm): a first storm of $WARM other users, reported as the cold figure, then the measured one.
bench load --socket "$SOCK" --user-prefix storm --user-first $((STORM + 1)) --user-count "$WARM" --password "$PASS" \
  --concurrency "$WARM" --requests "$WARM" --timeout-ms 300000 --expect Success --label stormcold --results "$R" || true
# the machine's own ceiling (as many verifications at once, in-process) just before and just after the storm
bench ceiling --threads "$(nproc)" --rounds 16 --label s6ceil --results "$R"
put s6.timeout_ms 300000
bench load --socket "$SOCK" --user-prefix storm --user-first 1 --user-count "$STORM" --password "$PASS" \
  --concurrency "$STORM" --requests "$STORM" --timeout-ms 300000 --pid "$DAEMON_PID" --expect Success \
  --label storm --results "$R" || true
bench ceiling --threads "$(nproc)" --rounds 16 --label s6ceil2 --results "$R"
daemon_stop

# --- scale -----------------------------------------------------------------------------------------

# scale LABEL ENTRIES: fill, start (timed), idle RSS, sweep, logins.
scale() {
  local label=$1 entries=$2 c t0 t1 t2
  c=$(conf "$label"); CONF=$c
  bench fill --config "$c" --user-prefix scale --count "$entries" --threads 16 --password "$PASS" --label "${label}fill" --results "$R"
  sync
  daemon_start "$c" "$label"
  sleep 5
  put "$label.idle_rss_mib" "$(rss_mib)"
  # the janitor's sweep through the admin protocol, minus the admin CLI's own start and round trip
  # ('status'); medians of 3 each, interleaved
  local starts=() sweeps=() i
  for i in 1 2 3; do
    t0=$(now_ms); admin status >/dev/null || true; t1=$(now_ms)
    admin expire >/dev/null || true; t2=$(now_ms)
    starts+=($((t1 - t0))); sweeps+=($((t2 - t1)))
  done
  put "$label.sweep_ms" $(( $(printf '%s\n' "${sweeps[@]}" | sort -n | sed -n 2p) - $(printf '%s\n' "${starts[@]}" | sort -n | sed -n 2p) ))
  put "$label.admin_start_ms" "$(printf '%s\n' "${starts[@]}" | sort -n | sed -n 2p)"
  bench load --socket "$SOCK" --user scale000001 --password "$PASS" --requests 1 >/dev/null || true   # detects the outage
  bench load --socket "$SOCK" --user scale000002 --password "$PASS" --requests 30 --interleave-engine --expect Success \
    --pid "$DAEMON_PID" --label "$label" --results "$R" || true
  daemon_stop
  rm -rf "$B/$label/cache"
}
say "scenario 7: 10 entries (reference)"
scale scale10 10
say "scenario 7: $SCALE entries"
scale scale100k "$SCALE"

# --- report ----------------------------------------------------------------------------------------

put machine.load_end "$(cut -d' ' -f1-3 /proc/loadavg)"
put machine.duration_s $(( SECONDS - T0 ))
put machine.finished "$(date -u '+%Y-%m-%d %H:%M UTC')"
say "load average at end: $(cut -d' ' -f1-3 /proc/loadavg); $(( SECONDS - T0 )) s"
bench report --results "$R" --out "$OUT" --bdn "$B/bdn" --notes "$repo/bench/NOTES.md" --command "sudo bench/run.sh"
