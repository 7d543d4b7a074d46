#!/usr/bin/env bash
# Where a benchmark request's allocations come from, by call stack (issue 7 item 6: the why of a
# missed allocation budget).
#
#   bash perf/profile/allocations.sh BENCHMARK [REQUESTS] [--depth N] [--top N] [--type TYPE]
#
# Runs `FastScim.Benchmarks --allocations BENCHMARK REQUESTS` (default 1500; a benchmark of
# perf/FastScim.Benchmarks/Pipeline/AllocationProfile.cs, e.g. PostUsersConcurrently,
# PatchUsersConcurrently) under dotnet-trace, recording the runtime's GCAllocationTick events with
# their stacks (one about every 100 KB allocated: a sample proportional to bytes), then prints the
# TOP stacks (default 30) cut to DEPTH frames (default 4) that took the most, with their share;
# --type keeps the types whose name contains TYPE. The benchmark's own first lines come first: its
# bytes per request, its collections and the bytes they promoted. Builds what it runs (Release); installs dotnet-trace into
# artifacts/tools when it is missing. The trace is left in a scratch directory it names.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
benchmark=${1:?usage: allocations.sh BENCHMARK [REQUESTS] [--depth N] [--top N] [--type TYPE]}
shift
requests=1500
if [[ ${1:-} =~ ^[0-9]+$ ]]; then
    requests=$1
    shift
fi
depth=4 top=30 type=""
while [[ $# -gt 0 ]]; do
    case $1 in
        --depth) depth=$2; shift 2 ;;
        --top) top=$2; shift 2 ;;
        --type) type=$2; shift 2 ;;
        *) echo "allocations: unknown argument '$1'" >&2; exit 2 ;;
    esac
done

tools="$root/artifacts/tools"
if [[ ! -x $tools/dotnet-trace ]]; then
    timeout 300 dotnet tool install dotnet-trace --version 10.0.750501 --tool-path "$tools" >/dev/null
fi
timeout 600 dotnet build -c Release "$root/perf/FastScim.Benchmarks" -v quiet -nologo >/dev/null
timeout 600 dotnet build -c Release "$root/perf/profile/AllocationStacks" -v quiet -nologo >/dev/null

scratch=$(mktemp -d /tmp/fastscim-allocations.XXXXXX)
trace="$scratch/$benchmark.nettrace"
# GC keyword (0x1) at verbose level (5): GCAllocationTick, with stacks.
timeout 900 "$tools/dotnet-trace" collect --providers 'Microsoft-Windows-DotNETRuntime:0x1:5' -o "$trace" --show-child-io -- \
    "$root/artifacts/bin/FastScim.Benchmarks/release/FastScim.Benchmarks" --allocations "$benchmark" "$requests" | sed -n '1,2p'
timeout 600 dotnet "$root/artifacts/bin/AllocationStacks/release/AllocationStacks.dll" "$trace" "$depth" "$top" "$type"
echo "allocations: trace in $trace"
