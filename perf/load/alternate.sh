#!/usr/bin/env bash
# Alternates two native binaries on one workload, to tell a change from this machine's noise
# (±15% between runs): compare the two columns of one run, never figures of different runs.
#
#   bash perf/load/alternate.sh BINARY_A BINARY_B WORKLOAD.lua [--rounds N] [--seconds S]
#
# For each round (default 3) and each binary in turn: starts `BINARY serve` on 127.0.0.1 port 0
# with a fresh data directory, creates users with POST /Users for 3 s (users-post.lua), takes 200
# of their ids, runs WORKLOAD (a script in perf/load) with wrk -t2 -c32 for S seconds (default
# 8), prints the requests per second and non-2xx count, and stops the server. Build a binary with
# `dotnet publish src/FastScim -c Release -r linux-x64 -o DIR` (DIR/fastscim). Every wait is
# bounded; the servers bind 127.0.0.1 only and are stopped on exit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
(($# >= 3)) || { sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2; }
binaries=("$1" "$2")
workload=$3
shift 3
rounds=3
seconds=8
while (($# > 0)); do
    case $1 in
        --rounds) rounds=${2:?}; shift 2 ;;
        --seconds) seconds=${2:?}; shift 2 ;;
        *) echo "alternate: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
[[ $rounds =~ ^[0-9]+$ ]] && ((rounds >= 1 && rounds <= 20)) || { echo "alternate: rounds between 1 and 20" >&2; exit 2; }
[[ $seconds =~ ^[0-9]+$ ]] && ((seconds >= 1 && seconds <= 120)) || { echo "alternate: seconds between 1 and 120" >&2; exit 2; }
[[ -f perf/load/$workload ]] || { echo "alternate: no perf/load/$workload" >&2; exit 2; }
for bin in "${binaries[@]}"; do
    [[ -x $bin ]] || { echo "alternate: $bin is not an executable" >&2; exit 1; }
done
for tool in wrk curl jq; do
    command -v "$tool" >/dev/null || { echo "alternate: needs $tool" >&2; exit 1; }
done

# shellcheck source=seeded-server.sh
source perf/load/seeded-server.sh
work=""
server=""
cleanup() {
    [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    [[ -n $work ]] && rm -rf "$work"
    true
}
trap cleanup EXIT

run_once() {
    work=$(mktemp -d /tmp/fastscim-alternate.XXXXXX)
    start_seeded_server "$1" "$work" alternate || return 1
    timeout $((seconds + 60)) wrk -t2 -c32 -d"${seconds}s" -s "perf/load/$workload" "$url" 2>&1 |
        sed -n 's/.*FASTSCIM_RESULT requests=\([0-9]*\) duration_us=\([0-9]*\) non2xx=\([0-9]*\).*/\1 \2 \3/p' |
        awk '{ printf "%.0f req/s, non-2xx %s\n", $1 / ($2 / 1e6), $3 }'
    kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
    server=""
    rm -rf "$work"
    work=""
}

echo "alternate: $workload, $rounds rounds of ${seconds}s; nproc $(nproc); $(date -u +%F)"
for round in $(seq "$rounds"); do
    for which in 0 1; do
        printf 'round %d  %s  ' "$round" "$([[ $which == 0 ]] && echo A || echo B)"
        run_once "${binaries[$which]}"
    done
done
