#!/usr/bin/env bash
# Where a workload's wall time goes, thread by thread (issue 7 item 6): for each busy thread of a
# native FastScim, the share of the time it ran on a CPU and the share it waited to run (the
# kernel's schedstat), and how idle the machine's CPUs were meanwhile. A profile says what a
# thread does when it runs; this says whether the one thread every write goes through (the
# tenant's writer) is busy, starved, or waiting for work.
#
#   bash perf/profile/threads.sh [WORKLOAD.lua] [--binary PATH] [--seconds S]
#
# Starts PATH (default artifacts/publish/FastScim/release_linux-x64/fastscim) `serve` on
# 127.0.0.1 port 0 with a fresh data directory and seeded users (perf/load/seeded-server.sh), runs
# WORKLOAD (a script in perf/load, default users-post.lua) with wrk -t2 -c32 for S + 3 seconds
# (default S 5) and reads /proc over S seconds from its second second on. Prints wrk's rate, then
# one line per thread that ran at least 3% of the time. Binds 127.0.0.1 only, every wait is
# bounded, the server is stopped on exit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
workload=users-post.lua
bin=artifacts/publish/FastScim/release_linux-x64/fastscim
seconds=5
while (($# > 0)); do
    case $1 in
        --binary) bin=${2:?}; shift 2 ;;
        --seconds) seconds=${2:?}; shift 2 ;;
        -h | --help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *.lua) workload=$1; shift ;;
        *) echo "threads: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
[[ $seconds =~ ^[0-9]+$ ]] && ((seconds >= 1 && seconds <= 60)) || { echo "threads: seconds between 1 and 60" >&2; exit 2; }
[[ -x $bin ]] || { echo "threads: no $bin; run: dotnet publish src/FastScim -c Release -r linux-x64" >&2; exit 1; }
[[ -f perf/load/$workload ]] || { echo "threads: no perf/load/$workload" >&2; exit 2; }
for tool in wrk curl jq; do
    command -v "$tool" >/dev/null || { echo "threads: needs $tool" >&2; exit 1; }
done

# shellcheck source=../load/seeded-server.sh
source perf/load/seeded-server.sh
work=$(mktemp -d /tmp/fastscim-threads.XXXXXX)
server=""
load=""
cleanup() {
    [[ -n $load ]] && kill "$load" 2>/dev/null
    if [[ -n $server ]] && kill "$server" 2>/dev/null; then
        for _ in $(seq 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$server" 2>/dev/null
    fi
    rm -rf "$work"
    true
}
trap cleanup EXIT
start_seeded_server "$bin" "$work" threads || exit 1

# One line per thread: tid, ns on a CPU, ns waiting on a run queue, name (schedstat, comm).
snapshot() {
    for task in /proc/"$server"/task/*; do
        read -r oncpu waiting _ <"$task/schedstat" || continue
        printf '%s %s %s %s\n' "${task##*/}" "$oncpu" "$waiting" "$(tr ' ' '_' <"$task/comm")"
    done | sort
}
# The CPU line of /proc/stat: idle and iowait ticks, ticks stolen by the hypervisor, and all ticks.
cpu_ticks() { awk '/^cpu / { print $5 + $6, $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }

timeout $((seconds + 60)) wrk -t2 -c32 -d$((seconds + 3))s -s "perf/load/$workload" "$url" >"$work/wrk.txt" 2>&1 &
load=$!
sleep 1
snapshot >"$work/before"
read -r idle_before stolen_before all_before < <(cpu_ticks)
sleep "$seconds"
snapshot >"$work/after"
read -r idle_after stolen_after all_after < <(cpu_ticks)
wait "$load" || { cat "$work/wrk.txt" >&2; exit 1; }
load=""

sed -n 's/.*FASTSCIM_RESULT requests=\([0-9]*\) duration_us=\([0-9]*\) non2xx=\([0-9]*\).*/\1 \2 \3/p' "$work/wrk.txt" |
    awk -v w="$workload" '{ printf "%s: %.0f req/s, non-2xx %s\n", w, $1 / ($2 / 1e6), $3 }'
awk -v i=$((idle_after - idle_before)) -v t=$((stolen_after - stolen_before)) -v a=$((all_after - all_before)) \
    'BEGIN { printf "CPUs idle (with iowait): %.1f%%, stolen by the hypervisor: %.1f%%\n", 100 * i / a, 100 * t / a }'
printf '%-24s %8s %10s\n' thread "on CPU" "run queue"
# A thread started during the window counts from its start (-a 2 -e 0: zero before).
join -a 2 -e 0 -o 0,1.2,1.3,2.4,2.2,2.3 "$work/before" "$work/after" |
    awk -v s="$seconds" '{ run = ($5 - $2) / (s * 1e7); wait = ($6 - $3) / (s * 1e7); if (run >= 3) printf "%-24s %7.1f%% %9.1f%%\n", $4, run, wait }' |
    sort -k2 -nr
