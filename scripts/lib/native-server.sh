# shellcheck shell=bash disable=SC2154 # bin, work and data are set by the caller (see below)
# Starts and stops the native `fastscim` binary for scripts/smoke-native.sh,
# scripts/conformance.sh and perf/scale/run.sh, which source this file (it runs nothing when
# sourced); perf/load/run.sh uses its stop_process.
#
# The caller sets, before calling start_native_server:
#   bin   the published binary
#   work  a scratch directory: the server's stdout and stderr go to $work/server.out and
#         $work/server.err
#   data  the data directory, emptied before every start
# and installs the EXIT trap itself (trap cleanup EXIT), after which the server is always stopped
# and $work removed.

server_pid=""

# stop_process PID: SIGTERM, up to 10 s for the process to end, then SIGKILL; a no-op for an
# empty PID or one that has already ended.
stop_process() {
    local pid=$1
    [[ -n $pid ]] || return 0
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    wait "$pid" 2>/dev/null || true
}

# stop_server: stop_process on the server started here; a no-op when none runs.
stop_server() {
    stop_process "$server_pid"
    server_pid=""
}

# shellcheck disable=SC2317 # called by the caller's EXIT trap
cleanup() {
    stop_server
    rm -rf "$work"
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# free_port: prints a random port in 20000-39999 that nothing on 127.0.0.1 listens on (50 tries).
free_port() {
    local port
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 20000))
        if ! port_in_use "$port"; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

# start_native_server [ON_FAILED_ATTEMPT]: starts "$bin" serve on a free 127.0.0.1 port with an
# empty $data, up to three times, until the banner shows the first tenant's token. Sets port,
# token and server_pid. Always returns 0 (so that `set -e` holds inside): token is empty when no
# attempt printed one, and port is empty too when no free port was found. After each failed
# attempt, the server is stopped and ON_FAILED_ATTEMPT, when given, is called with the attempt's
# number and port.
start_native_server() {
    local on_failed_attempt=${1:-} attempt
    token=""
    port=""
    for attempt in 1 2 3; do
        port=$(free_port) || { port=""; return 0; }
        rm -rf "$data"
        mkdir -p "$data"
        "$bin" serve --urls "http://127.0.0.1:$port" --data "$data" >"$work/server.out" 2>"$work/server.err" </dev/null &
        server_pid=$!
        # The banner's token line is `  Bearer token:  scim_…` (src/FastScim/Commands/ServeCommand.cs).
        for _ in $(seq 1 300); do
            token=$(sed -n 's/^ *Bearer token: *\(scim_[A-Za-z0-9_-]*\).*$/\1/p' "$work/server.out" | head -n 1)
            [[ -n $token ]] && break
            kill -0 "$server_pid" 2>/dev/null || break
            sleep 0.1
        done
        [[ -n $token ]] && return 0
        stop_server
        if [[ -n $on_failed_attempt ]]; then
            "$on_failed_attempt" "$attempt" "$port"
        fi
    done
    return 0
}
