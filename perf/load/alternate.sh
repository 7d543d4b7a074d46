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

work=""
server=""
cleanup() {
    [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    [[ -n $work ]] && rm -rf "$work"
    true
}
trap cleanup EXIT

run_once() {
    local bin=$1 url="" token
    work=$(mktemp -d /tmp/fastscim-alternate.XXXXXX)
    mkdir -p "$work/data"
    "$bin" serve --urls http://127.0.0.1:0 --data "$work/data" >"$work/out.txt" 2>"$work/err.txt" </dev/null &
    server=$!
    for _ in $(seq 100); do
        url=$(sed -n 's/^FastScim is serving SCIM 2.0 on \(http:\/\/127\.0\.0\.1:[0-9]*\).*$/\1/p' "$work/out.txt" | head -n 1)
        [[ -n $url ]] && break
        kill -0 "$server" 2>/dev/null || { cat "$work/err.txt" >&2; return 1; }
        sleep 0.1
    done
    [[ -n $url ]] || { echo "alternate: $bin did not start" >&2; return 1; }
    token=$(sed -n 's/^ *Bearer token: *\(scim_[A-Za-z0-9_-]*\).*$/\1/p' "$work/out.txt")
    export FASTSCIM_TOKEN=$token FASTSCIM_LOAD_DIR=$PWD/perf/load FASTSCIM_RUN=seed$$ FASTSCIM_USERS=10000 FASTSCIM_IDS=$work/ids.txt
    timeout 60 wrk -t2 -c32 -d3s -s perf/load/users-post.lua "$url" >/dev/null 2>&1
    curl -sf --max-time 10 -H "Authorization: Bearer $token" "$url/t/default/api/v1/scim/v2/Users?attributes=id&count=200&startIndex=5000" |
        jq -r '.Resources[].id' >"$work/ids.txt"
    [[ -s $work/ids.txt ]] || { echo "alternate: could not read seeded ids" >&2; return 1; }
    # A run name of its own: the seeding's userNames would make the measured POSTs 409s.
    export FASTSCIM_RUN=run$$
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
