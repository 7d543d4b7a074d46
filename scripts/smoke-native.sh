#!/usr/bin/env bash
# Native AOT smoke test: publishes the `fastscim` binary with Native AOT, starts it on
# 127.0.0.1 with a fresh data directory, and checks the basics over HTTP with curl.
#
#   bash scripts/smoke-native.sh            (from anywhere; run by .ci/run after the tests)
#
# Every check prints `smoke: ok` or `smoke: FAIL`; the script exits 0 only when all pass.
# The server is always stopped (trap), every wait is bounded, every curl has --max-time.
# Needs the .NET SDK, curl and a C toolchain (clang or gcc, for the native link); curl and
# clang are installed with apt-get when missing and this runs as root.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export MSBUILDTERMINALLOGGER=off

rid=linux-x64
# .NET's artifacts layout (Directory.Build.props sets ArtifactsPath to ./artifacts):
# artifacts/publish/<project name>/<configuration>_<RID>/<assembly name>.
bin="$root/artifacts/publish/FastScim/release_$rid/fastscim"
base_path=/api/v1/scim/v2

# Short and under /tmp: the admin socket lives in the data directory and a Unix socket path
# is limited to 108 bytes.
work=$(mktemp -d /tmp/fastscim-smoke.XXXXXX)
data="$work/data"
# shellcheck source=scripts/lib/native-server.sh
source "$root/scripts/lib/native-server.sh"

failures=()
checks=0
ok() {
    checks=$((checks + 1))
    echo "smoke: ok    $1"
}
fail() {
    checks=$((checks + 1))
    failures+=("$1")
    echo "smoke: FAIL  $1"
    if (($# > 1)); then
        printf '%s\n' "$2" | sed 's/^/               /' | head -n 20
    fi
}

trap cleanup EXIT
trap 'exit 130' INT TERM

finish() {
    echo
    if ((${#failures[@]} == 0)); then
        echo "smoke: all $checks checks passed"
        exit 0
    fi
    echo "smoke: ${#failures[@]} of $checks checks failed:"
    printf 'smoke:   - %s\n' "${failures[@]}"
    if [[ -s $work/server.err ]]; then
        echo "smoke: server stderr (last 30 lines):"
        tail -n 30 "$work/server.err" | sed 's/^/    /'
    fi
    exit 1
}

# --- prerequisites -----------------------------------------------------------------------
apt_updated=""
apt_install() {
    if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
        return 1
    fi
    if [[ -z $apt_updated ]]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || return 1
        apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! command -v curl >/dev/null 2>&1; then
    echo "smoke: installing curl"
    apt_install curl || { fail "curl is missing and could not be installed"; finish; }
fi
if ! command -v clang >/dev/null 2>&1 && ! command -v gcc >/dev/null 2>&1; then
    echo "smoke: installing clang (Native AOT links with clang or gcc)"
    apt_install clang || { fail "no C toolchain (clang or gcc) for the Native AOT link"; finish; }
fi

# --- 1. publish --------------------------------------------------------------------------
# Remove the native intermediate output so ILC runs again and prints its trim/AOT warnings
# even when an earlier publish left the binary up to date.
rm -rf "$root/artifacts/obj/FastScim/release_$rid/native"
echo "smoke: dotnet publish src/FastScim -c Release -r $rid"
set +e
timeout --kill-after=30s 10m dotnet publish src/FastScim -c Release -r "$rid" >"$work/publish.log" 2>&1
publish_status=$?
set -e
sed 's/^/    /' "$work/publish.log"
if ((publish_status != 0)); then
    fail "dotnet publish exited with $publish_status"
    finish
fi
ok "dotnet publish succeeded"

# Any warning line fails the smoke ("warning IL2026", "Trim analysis warning IL2057",
# "AOT analysis warning IL3050", or any other); a "0 Warning(s)" summary is not one.
warnings=$(grep -Ei '(^|[^a-z])warning([^a-z(]|$)' "$work/publish.log" || true)
if [[ -z $warnings ]]; then
    ok "publish printed no warnings"
else
    fail "publish printed warnings" "$warnings"
fi

if [[ -x $bin ]]; then
    ok "native binary at ${bin#"$root"/} ($(du -h "$bin" | cut -f1))"
else
    reported=$(sed -n 's/^ *FastScim -> \(.*\)$/\1/p' "$work/publish.log" | tail -n 1)
    fail "no executable at ${bin#"$root"/}" "dotnet publish reported: ${reported:-nothing}"
    finish
fi

# --- 2. start the server -----------------------------------------------------------------
# shellcheck disable=SC2317 # called by start_native_server
on_failed_attempt() {
    echo "smoke: attempt $1: the server on port $2 printed no token; stderr:"
    sed 's/^/    /' "$work/server.err" | tail -n 10
}

start_native_server on_failed_attempt
if [[ -z $port ]]; then
    fail "found no free port on 127.0.0.1"
    finish
fi
if [[ -z $token ]]; then
    fail "server started and printed the first tenant's token" "$(cat "$work/server.out")"
    finish
fi
ok "server started on 127.0.0.1:$port and printed the 'default' tenant's token"

if [[ $token =~ ^scim_[A-Za-z0-9_-]{43}$ ]]; then
    ok "token has the form scim_ + 43 base64url characters (32 bytes)"
else
    fail "token has the form scim_ + 43 base64url characters (32 bytes)" "got: ${token:0:12}… (${#token} characters)"
fi

base="http://127.0.0.1:$port/t/default$base_path"

# request NAME METHOD URL [curl args...]: writes $work/NAME.headers and $work/NAME.body and
# prints the status code (000 when the request failed).
request() {
    local name=$1 method=$2 url=$3
    shift 3
    curl -sS --max-time 10 -X "$method" -o "$work/$name.body" -D "$work/$name.headers" \
        -w '%{http_code}' "$@" "$url" 2>"$work/$name.curl" || true
}

# header NAME HEADER: the value of a response header (case-insensitive name), CR stripped.
header() {
    sed -n "s/^$2: *//Ip" "$work/$1.headers" | tr -d '\r' | tail -n 1
}

describe() {
    printf 'status %s\n%s\n%s' "$1" "$(cat "$work/$2.curl" 2>/dev/null)" "$(head -c 600 "$work/$2.body" 2>/dev/null)"
}

# --- 3. checks ---------------------------------------------------------------------------
status=$(request spc GET "$base/ServiceProviderConfig" -H "Authorization: Bearer $token")
content_type=$(header spc Content-Type)
if [[ $status == 200 && ${content_type,,} == application/scim+json* ]]; then
    ok "GET /ServiceProviderConfig: 200, Content-Type $content_type"
else
    fail "GET /ServiceProviderConfig: want 200 application/scim+json" "$(describe "$status" spc)
Content-Type: $content_type"
fi

status=$(request anon GET "$base/Users")
challenge=$(header anon WWW-Authenticate)
if [[ $status == 401 && $challenge == Bearer* ]]; then
    ok "GET /Users without a token: 401, WWW-Authenticate: $challenge"
else
    fail "GET /Users without a token: want 401 with WWW-Authenticate: Bearer" "$(describe "$status" anon)
WWW-Authenticate: $challenge"
fi

user_name="smoke.user.$RANDOM@example.com"
status=$(request create POST "$base/Users" -H "Authorization: Bearer $token" \
    -H "Content-Type: application/scim+json" \
    --data-binary "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"$user_name\",\"name\":{\"givenName\":\"Smoke\",\"familyName\":\"Test\"},\"emails\":[{\"value\":\"$user_name\",\"type\":\"work\",\"primary\":true}],\"active\":true}")
location=$(header create Location)
if [[ $status == 201 && -n $location ]]; then
    ok "POST /Users: 201, Location $location"
else
    fail "POST /Users: want 201 with a Location header" "$(describe "$status" create)"
fi

if [[ -n $location ]]; then
    status=$(request get GET "$location" -H "Authorization: Bearer $token")
    if [[ $status == 200 ]] && grep -qF "\"$user_name\"" "$work/get.body"; then
        ok "GET the created user: 200 with its userName"
    else
        fail "GET the created user: want 200 with userName $user_name" "$(describe "$status" get)"
    fi
else
    fail "GET the created user: skipped, POST gave no Location"
fi

# tenant create while the server runs: goes through the admin socket.
set +e
timeout --kill-after=5s 30s "$bin" tenant create acme --data "$data" >"$work/tenant.out" 2>"$work/tenant.err" </dev/null
tenant_status=$?
set -e
acme_token=$(tail -n 1 "$work/tenant.out")
if ((tenant_status == 0)) && [[ $acme_token =~ ^scim_[A-Za-z0-9_-]{43}$ ]]; then
    ok "fastscim tenant create acme (server running): exit 0, token on the last line"
else
    fail "fastscim tenant create acme (server running): want exit 0 and a token as the last line" \
        "exit $tenant_status; stdout: $(cat "$work/tenant.out"); stderr: $(cat "$work/tenant.err")"
    acme_token=""
fi

if [[ -n $acme_token ]]; then
    acme="http://127.0.0.1:$port/t/acme$base_path"
    status=000
    for _ in $(seq 1 10); do
        status=$(request acme GET "$acme/ServiceProviderConfig" -H "Authorization: Bearer $acme_token")
        [[ $status == 200 ]] && break
        sleep 0.1
    done
    if [[ $status == 200 ]]; then
        ok "acme's new token works on /t/acme within a second"
    else
        fail "acme's new token works on /t/acme within a second" "$(describe "$status" acme)"
    fi

    status=$(request cross GET "$base/Users" -H "Authorization: Bearer $acme_token")
    if [[ $status == 401 ]]; then
        ok "acme's token on /t/default: 401"
    else
        fail "acme's token on /t/default: want 401" "$(describe "$status" cross)"
    fi

    status=$(request cross2 GET "$acme/Users" -H "Authorization: Bearer $token")
    if [[ $status == 401 ]]; then
        ok "default's token on /t/acme: 401"
    else
        fail "default's token on /t/acme: want 401" "$(describe "$status" cross2)"
    fi
fi

# --- 4. stop -----------------------------------------------------------------------------
kill -TERM "$server_pid" 2>/dev/null || true
stopped=""
for _ in $(seq 1 100); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
        stopped=1
        break
    fi
    sleep 0.1
done
if [[ -n $stopped ]]; then
    ok "server stopped on SIGTERM within 10 s"
else
    fail "server stopped on SIGTERM within 10 s"
fi
stop_server

finish
