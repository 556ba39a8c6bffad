#!/usr/bin/env bash
# tests/fuzz/run.sh - coverage-guided fuzzing of what parses untrusted bytes (tests/fuzz/README.md).
#
#   tests/fuzz/run.sh --smoke           build, replay every corpus file through every harness, then run
#                                       each fuzzer for SMOKE_SECONDS (default 10); fails on any crash
#   tests/fuzz/run.sh --long [SECONDS]  the same, each target for SECONDS (default 600), one at a time;
#                                       new corpus entries stay in tests/fuzz/.out/work/<target>/
#   tests/fuzz/run.sh --replay          build and replay the corpora only
#   TARGETS="frame ini" tests/fuzz/run.sh --smoke     only these targets
#
# C targets (src/PamBridge/ob_bridge.c and pam_obactors.c, compiled as they are): libFuzzer with ASan + UBSan (Debian clang,
# libclang-rt-14-dev). .NET targets (src/Engine): SharpFuzz + afl-fuzz (Debian afl++), on a copy of
# OpenBastion.Engine.dll and OpenBastion.Wire.dll instrumented in tests/fuzz/.out/dotnet only. Every run is bounded in time
# and reads nothing from standard input. Crash inputs are kept in tests/fuzz/.out/crashes/.
set -uo pipefail
cd "$(dirname "$0")/../.."
FUZZ=tests/fuzz
OUT=$FUZZ/.out
CORPUS=$FUZZ/corpus
C_TARGETS="decode_response read_frame encode_request pam_module"
NET_TARGETS="frame reader admin entry ini"

mode=${1:---smoke}
case $mode in
  --smoke) seconds=${SMOKE_SECONDS:-10} ;;
  --long) seconds=${2:-600} ;;
  --replay) seconds=0 ;;
  *) sed -n '2,14p' "$0"; exit 2 ;;
esac
selected=${TARGETS:-$C_TARGETS $NET_TARGETS}
if [ "$(id -u)" != 0 ] && [[ " $selected " == *" pam_module "* ]]; then
  echo "fuzz: pam_module skipped: the module only talks to a root-owned socket, run as root" >&2
  selected=${selected//pam_module/}
fi
want() { [[ " $selected " == *" $1 "* ]]; }

failures=()
stats=()
fail() { echo "fuzz: FAILED: $*" >&2; failures+=("$*"); }
started=$SECONDS
say() { echo "fuzz: [$((SECONDS - started))s] $*"; }
mkdir -p "$OUT/c" "$OUT/work" "$OUT/crashes"

# ---- build ----------------------------------------------------------------------------------------
build_c() {
  local cc=${FUZZ_CC:-clang} t libs
  local san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
  for t in $C_TARGETS; do
    want "$t" || continue
    libs=
    if [ "$t" = pam_module ]; then
      # The module as libpam loads it: a shared object built from the sources as they are.
      # shellcheck disable=SC2086
      "$cc" -g -O1 -std=c11 -D_GNU_SOURCE -Wall -Wextra -fPIC -shared -fvisibility=hidden \
        -fsanitize=fuzzer-no-link $san src/PamBridge/pam_obactors.c src/PamBridge/ob_bridge.c -lpam \
        -o "$OUT/c/pam_obactors_fuzz.so" || return 1
      libs="-lpam -ldl -lpthread"
    fi
    # shellcheck disable=SC2086
    "$cc" -g -O1 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -fsanitize=fuzzer $san \
      -Isrc/PamBridge "$FUZZ/c/fuzz_$t.c" $libs -o "$OUT/c/$t" || return 1
  done
}

build_dotnet() {
  local any=0 t
  for t in $NET_TARGETS; do want "$t" && any=1; done
  [ $any = 1 ] || return 0
  dotnet tool restore >/dev/null || return 1
  dotnet build "$FUZZ/dotnet/Fuzz.csproj" -c Release -nologo -v q -o "$OUT/dotnet-plain" || return 1
  # The instrumented copy lives apart: no other project's output ever sees it.
  rm -rf "$OUT/dotnet" && cp -a "$OUT/dotnet-plain" "$OUT/dotnet" || return 1
  dotnet sharpfuzz "$OUT/dotnet/OpenBastion.Engine.dll" OpenBastion.Engine >/dev/null || return 1
  # The bridge protocol's codec lives at the edge (src/Host/Wire): instrument it as well.
  dotnet sharpfuzz "$OUT/dotnet/OpenBastion.Wire.dll" OpenBastion.Wire >/dev/null || return 1
}

say "building"
build_c || { fail "C harness build"; }
build_dotnet || { fail ".NET harness build"; }
if [ ${#failures[@]} -gt 0 ]; then exit 1; fi

# ---- replay: every corpus file through every harness -----------------------------------------------
files=()
while IFS= read -r f; do files+=("$f"); done < <(find "$CORPUS" -type f | sort)
say "replaying ${#files[@]} corpus files through every harness"
for t in $C_TARGETS; do
  want "$t" || continue
  "$OUT/c/$t" -runs=1 "${files[@]}" >"$OUT/work/replay-$t.log" 2>&1 \
    || { tail -20 "$OUT/work/replay-$t.log" >&2; fail "replay through $t"; }
done
for t in $NET_TARGETS; do
  want "$t" || continue
  dotnet "$OUT/dotnet-plain/OpenBastion.Fuzz.dll" "$t" "$CORPUS" || fail "replay through $t"
done
[ "$seconds" = 0 ] && { [ ${#failures[@]} -eq 0 ] && echo "fuzz: replay ok"; [ ${#failures[@]} -eq 0 ]; exit $?; }

# ---- fuzz ----------------------------------------------------------------------------------------
keep_crashes() {   # keep_crashes TARGET FILE...: copy crash inputs where a developer finds them
  local t=$1 f; shift
  for f in "$@"; do [ -f "$f" ] && cp "$f" "$OUT/crashes/$t-$(basename "$f")"; done
}

run_libfuzzer() {
  local t=$1 work=$OUT/work/$1 log rc
  mkdir -p "$work/corpus"
  log=$work/libfuzzer.log
  say "$t (libFuzzer, ${seconds}s)"
  timeout -k 10 $((seconds + 120)) "$OUT/c/$t" -max_total_time="$seconds" -max_len=9000 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/" \
    "$work/corpus" "$CORPUS/$t" </dev/null >"$log" 2>&1
  rc=$?
  local execs per
  execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
  per=$(grep -o 'exec/s: [0-9]*' "$log" | tail -1 | awk '{print $2}')
  stats+=("$t  libFuzzer  ${execs:-?} execs  ${per:-?} exec/s")
  if [ $rc != 0 ]; then
    grep -E 'ERROR|fuzz property|SUMMARY|Test unit written' "$log" | head -20 >&2
    keep_crashes "$t" "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*
    fail "$t: libFuzzer exit $rc (see $log)"
  fi
}

run_afl() {
  local t=$1 work=$OUT/work/$1 rc crashes
  rm -rf "$work/afl" && mkdir -p "$work"
  say "$t (afl-fuzz + SharpFuzz, ${seconds}s)"
  # Seeds: the repository's corpus, plus what earlier long runs found (kept outside the repository).
  local seeds=$work/seeds
  rm -rf "$seeds" && mkdir -p "$seeds" && cp "$CORPUS/$t"/* "$seeds/"
  local dict=()
  [ -f "$FUZZ/dict/$t.dict" ] && dict=(-x "$FUZZ/dict/$t.dict")
  if [ -d "$work/queue" ]; then cp "$work"/queue/id* "$seeds/" 2>/dev/null || true; fi
  AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
  AFL_NO_AFFINITY=1 AFL_FAST_CAL=1 AFL_QUIET=1 \
  AFL_IGNORE_PROBLEMS=1 \
    timeout -k 10 $((seconds + 180)) afl-fuzz -i "$seeds" -o "$work/afl" "${dict[@]}" -V "$seconds" -t 5000 -m none \
      -- dotnet "$OUT/dotnet/OpenBastion.Fuzz.dll" "$t" </dev/null >"$work/afl.log" 2>&1
  rc=$?
  local fs=$work/afl/default/fuzzer_stats execs per
  execs=$(awk -F': *' '/^execs_done/ {print $2}' "$fs" 2>/dev/null)
  per=$(awk -F': *' '/^execs_per_sec/ {print $2}' "$fs" 2>/dev/null)
  stats+=("$t  afl-fuzz   ${execs:-?} execs  ${per:-?} exec/s")
  if [ -d "$work/afl/default/queue" ]; then
    mkdir -p "$work/queue" && cp "$work"/afl/default/queue/id* "$work/queue/" 2>/dev/null || true
  fi
  crashes=$(find "$work/afl/default/crashes" -type f -name 'id*' 2>/dev/null)
  if [ -n "$crashes" ]; then
    # shellcheck disable=SC2086
    keep_crashes "$t" $crashes
    # shellcheck disable=SC2086
    dotnet "$OUT/dotnet-plain/OpenBastion.Fuzz.dll" "$t" $crashes 2>&1 | head -20 >&2
    fail "$t: afl-fuzz found $(echo "$crashes" | wc -l) crashing input(s), kept in $OUT/crashes"
  elif [ $rc != 0 ] || [ ! -f "$fs" ]; then
    tail -30 "$work/afl.log" >&2
    fail "$t: afl-fuzz exit $rc (see $work/afl.log)"
  fi
}

for t in $C_TARGETS; do want "$t" && run_libfuzzer "$t"; done
for t in $NET_TARGETS; do want "$t" && run_afl "$t"; done

say "executions"
printf '  %s\n' "${stats[@]}"
if [ ${#failures[@]} -gt 0 ]; then
  printf 'fuzz: FAILED: %s\n' "${failures[@]}" >&2
  exit 1
fi
echo "fuzz: no crash"
