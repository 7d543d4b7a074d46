#!/usr/bin/env bash
# A CPU profile of the native binary under one load workload (issue 7 item 6: the why of a miss).
#
#   bash perf/profile/native.sh [WORKLOAD.lua] [--users N] [--seconds S]
#
# Starts the published native `fastscim serve` (artifacts/publish/FastScim/release_linux-x64;
# build it with `dotnet publish src/FastScim -c Release -r linux-x64`) on 127.0.0.1 port 0 with a
# fresh data directory, creates users with POST /Users for 3 s (users-post.lua), takes 200 ids
# from the middle of them, then runs WORKLOAD (a script in perf/load, default users-post.lua)
# with wrk -t2 -c32 and records it with `perf record -e cpu-clock -g` (software clock: works
# where hardware counters do not) for S seconds (default 8) after a 4 s warm-up. It prints wrk's
# result and leaves perf.data and stacks.txt (perf script: thread, frames) in the scratch
# directory it names; read them with perf/profile/callees.py. Binds 127.0.0.1 only, every wait
# is bounded, the server is stopped on exit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
workload=users-post.lua
users=10000
seconds=8
while (($# > 0)); do
    case $1 in
        --users) users=${2:?}; shift 2 ;;
        --seconds) seconds=${2:?}; shift 2 ;;
        -h | --help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *.lua) workload=$1; shift ;;
        *) echo "profile: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
[[ $seconds =~ ^[0-9]+$ ]] && ((seconds >= 1 && seconds <= 120)) || { echo "profile: seconds between 1 and 120" >&2; exit 2; }
bin=artifacts/publish/FastScim/release_linux-x64/fastscim
[[ -x $bin ]] || { echo "profile: no $bin; run: dotnet publish src/FastScim -c Release -r linux-x64" >&2; exit 1; }
for tool in perf wrk curl jq; do
    command -v "$tool" >/dev/null || { echo "profile: needs $tool" >&2; exit 1; }
done

# shellcheck source=../load/seeded-server.sh
source perf/load/seeded-server.sh
work=$(mktemp -d /tmp/fastscim-profile.XXXXXX)
server=""
cleanup() { [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; true; }
trap cleanup EXIT
export FASTSCIM_USERS=$users
start_seeded_server "$bin" "$work" profile || exit 1
timeout $((seconds + 60)) wrk -t2 -c32 -d$((seconds + 8))s -s "perf/load/$workload" "$url" >"$work/wrk.txt" 2>&1 &
load=$!
sleep 4
perf record -F 499 -g -e cpu-clock -p "$server" -o "$work/perf.data" -- sleep "$seconds" 2>"$work/perf.err"
wait "$load"
grep -E "Requests/sec|FASTSCIM_RESULT" "$work/wrk.txt"
perf script -i "$work/perf.data" -F comm,ip,sym 2>/dev/null >"$work/stacks.txt"
echo "profile: $work/stacks.txt  (python3 perf/profile/callees.py $work/stacks.txt [FRAME])"
