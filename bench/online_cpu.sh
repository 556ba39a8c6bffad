#!/usr/bin/env bash
# bench/online_cpu.sh [REPO] - CPU per login of the daemon of scripts/run.sh (issue 15, bar 1, a first look):
# 30 spaced online logins of 3 returning users, then 30 offline logins (forced offline), daemon CPU
# (utime+stime) from /proc/PID/stat, and the portal's CPU for the online ones. Needs root; bounded (run.sh
# under a 600 s timeout); stops the daemon and the portal at the end. Not yet part of bench/run.sh.
set -u
cd "${1:-$(dirname "$0")/..}"
( timeout 600 ./scripts/run.sh > /tmp/cpu_run.log 2>&1 & )
for i in $(seq 1 90); do [ -S .run/obactors.sock ] && break; sleep 2; done
sleep 2
pid=$(pgrep -f "obactors.dll|bin/Release/net10.0/obactors" | head -1)
ppid=$(pgrep -f plackup | head -1)
tck=$(getconf CLK_TCK)
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
login() { echo "$2" | src/PamBridge/build/obclient -s .run/obactors.sock "$1" >/dev/null; }
for u in dwho rtyler msmith; do login $u $u; done; sleep 3   # first logins: verifiers computed
a=$(cpu $pid); pa=$(cpu $ppid)
for r in $(seq 1 10); do for u in dwho rtyler msmith; do login $u $u; sleep 0.3; done; done
b=$(cpu $pid); pb=$(cpu $ppid)
OB_CONFIG_FILE=.run/openbastion.conf scripts/ob-cache-admin offline >/dev/null
c=$(cpu $pid)
for r in $(seq 1 10); do for u in dwho rtyler msmith; do login $u $u; sleep 0.3; done; done
d=$(cpu $pid)
echo "daemon pid $pid portal pid $ppid CLK_TCK $tck"
echo "online: daemon $(( (b-a)*1000/tck/30 )) ms CPU/login, portal $(( (pb-pa)*1000/tck/30 )) ms CPU/login"
echo "offline: daemon $(( (d-c)*1000/tck/30 )) ms CPU/login"
pkill -INT -f "scripts/run.sh"; sleep 4
