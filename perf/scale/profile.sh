#!/usr/bin/env bash
# A hook for `perf/scale/run.sh --on-measure perf/scale/profile.sh` (with --server
# perf/scale/jit-server.sh: it needs EventPipe): called as `profile.sh PHASE PID` right after
# run.sh has read the server's RSS. For the phases that match $FASTSCIM_PROFILE_PHASES (an
# extended regex; default: the big tenant and the many tenants, not the start-up runs), writes
# into $FASTSCIM_PROFILE_DIR (default /tmp/fastscim-profile):
#
#   PHASE.smaps.txt        /proc/PID/smaps_rollup and status (RSS split: anonymous vs file)
#   PHASE.counters.csv     dotnet-counters, System.Runtime, 5 s (GC heap and generation
#                          sizes, fragmentation, committed memory, working set)
#   PHASE.heapstat.md      perf/scale/HeapStat: live and dead bytes per GC segment kind and per
#                          type, and what the read models and LiteDB's engines keep reachable
#                          (build it first: dotnet build -c Release perf/scale/HeapStat)
#   PHASE.gcdump(.txt)     dotnet-gcdump and its report: managed heap by type (it forces a full
#                          GC, so it runs last)
#   PHASE.after-gc.txt     VmRSS after that GC
#
# Tools: dotnet-counters and dotnet-gcdump in ~/.dotnet/tools
# (dotnet tool install -g dotnet-gcdump --version 10.0.750501).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
phase=$1
pid=$2
phases=${FASTSCIM_PROFILE_PHASES:-^(big-|many-)}
out=${FASTSCIM_PROFILE_DIR:-/tmp/fastscim-profile}
tools=${DOTNET_TOOLS:-$HOME/.dotnet/tools}

[[ $phase =~ $phases ]] || exit 0
mkdir -p "$out"
{
    cat "/proc/$pid/smaps_rollup"
    grep -E '^(VmRSS|VmHWM|RssAnon|RssFile|RssShmem|Threads)' "/proc/$pid/status"
} >"$out/$phase.smaps.txt"
timeout 60 "$tools/dotnet-counters" collect -p "$pid" --counters System.Runtime --format csv \
    -o "$out/$phase.counters.csv" --duration 00:00:05 >/dev/null
heapstat="$root/artifacts/bin/HeapStat/release/HeapStat.dll"
if [[ -f $heapstat ]]; then
    timeout 300 dotnet "$heapstat" "$pid" >"$out/$phase.heapstat.md"
else
    echo "profile: no $heapstat; build it: dotnet build -c Release perf/scale/HeapStat" >&2
fi
timeout 300 "$tools/dotnet-gcdump" collect -p "$pid" -o "$out/$phase.gcdump" >/dev/null
timeout 120 "$tools/dotnet-gcdump" report "$out/$phase.gcdump" >"$out/$phase.gcdump.txt"
grep -E '^(VmRSS|VmHWM)' "/proc/$pid/status" >"$out/$phase.after-gc.txt"
