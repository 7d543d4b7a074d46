#!/usr/bin/env bash
# Runs the JIT build of `fastscim` (artifacts/bin/FastScim/release/fastscim.dll) with the given
# arguments, for `perf/scale/run.sh --server perf/scale/jit-server.sh`: dotnet-counters and
# dotnet-gcdump need EventPipe, which the native AOT binary does not have. Build it first with
#
#   dotnet build src/FastScim -c Release -p:EventSourceSupport=true
#
# (src/FastScim sets PublishAot, which turns EventSource off in the runtimeconfig of every build;
# the property turns it back on, for this build only. No code changes.)
# `exec`, so that the server's PID is this script's: run.sh reads /proc/PID/status.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dll="$root/artifacts/bin/FastScim/release/fastscim.dll"
[[ -f $dll ]] || { echo "jit-server: no $dll; build it (see the comment at the top)" >&2; exit 1; }
exec dotnet "$dll" "$@"
