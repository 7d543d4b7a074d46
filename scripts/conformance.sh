#!/usr/bin/env bash
# Runs Microsoft's SCIM Postman collection (shared/conformance/, see its README) with newman
# against a freshly started FastScim on 127.0.0.1, and prints newman's summary.
#
#   bash scripts/conformance.sh [COLLECTION]
#
# COLLECTION defaults to $FASTSCIM_CONFORMANCE_COLLECTION, else
# ../shared/conformance/microsoft-scim-tests.postman_collection.json beside the repository.
# Every top-level folder and request runs, in collection order, except the first folder,
# "Get Token" (it asks the reference sample's own /Token endpoint); the tenant 'default''s token
# is passed as `token` instead. newman has no option to exclude a folder, so the others are
# named with one --folder each. The variables: Protocol=http, Server=127.0.0.1, Port=:PORT
# (the URLs are {{Server}}{{Port}}), Api=t/default/api/v1/scim/v2 (the URLs are /{{Api}}/Users).
#
# FASTSCIM_CONFORMANCE_PROFILE=strict runs it against a tenant in the strict compatibility
# profile (`fastscim tenant set default --compat strict`): then the assertions that rely on a
# shape RFC 7643/7644 do not allow are expected to fail too, and are listed, each with the rule
# that refuses it, in scripts/conformance-known-differences-strict.txt. In the lenient profile
# (the default) the run ends with `fastscim tenant compat-report default`: which of those rules
# Microsoft's collection relied on.
#
# .ci/run runs it (in both profiles) after the native smoke test. Assertions that check a behaviour peculiar to
# the reference sample rather than RFC 7643/7644 are listed, each with its reason, in
# scripts/conformance-known-differences.txt; any other failed assertion or request fails the run.
#
# Exits 0 when every failure is a known difference, 1 otherwise, 2 when it could not run. Needs node and
# npm (newman is installed with npm into artifacts/tools/newman when not on PATH), the .NET SDK
# and a C toolchain (for the Native AOT publish, as in scripts/smoke-native.sh).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export MSBUILDTERMINALLOGGER=off

collection=${1:-${FASTSCIM_CONFORMANCE_COLLECTION:-$root/../shared/conformance/microsoft-scim-tests.postman_collection.json}}
if [[ ! -f $collection ]]; then
    echo "conformance: no collection at $collection (pass its path as the first argument)" >&2
    exit 2
fi
collection=$(cd "$(dirname "$collection")" && pwd)/$(basename "$collection")

profile=${FASTSCIM_CONFORMANCE_PROFILE:-lenient}
if [[ $profile != lenient && $profile != strict ]]; then
    echo "conformance: FASTSCIM_CONFORMANCE_PROFILE must be lenient or strict, not '$profile'" >&2
    exit 2
fi
known_files=("$root/scripts/conformance-known-differences.txt")
if [[ $profile == strict ]]; then
    known_files+=("$root/scripts/conformance-known-differences-strict.txt")
fi

rid=linux-x64
bin="$root/artifacts/publish/FastScim/release_$rid/fastscim"
newman_version=6.2.2

work=$(mktemp -d /tmp/fastscim-conformance.XXXXXX)
data="$work/data"
# shellcheck source=scripts/lib/native-server.sh
source "$root/scripts/lib/native-server.sh"

trap cleanup EXIT
trap 'exit 130' INT TERM

# --- newman ------------------------------------------------------------------------------
if command -v newman >/dev/null 2>&1; then
    newman=$(command -v newman)
else
    newman="$root/artifacts/tools/newman/node_modules/.bin/newman"
    if [[ ! -x $newman ]]; then
        if ! command -v npm >/dev/null 2>&1; then
            echo "conformance: newman needs node and npm (Debian: apt-get install -y nodejs npm)" >&2
            exit 2
        fi
        echo "conformance: npm install newman@$newman_version into artifacts/tools/newman"
        mkdir -p "$root/artifacts/tools/newman"
        timeout 300 npm install --no-save --no-audit --no-fund --loglevel=error \
            --prefix "$root/artifacts/tools/newman" "newman@$newman_version"
    fi
fi
echo "conformance: newman $("$newman" --version)"

# Every top-level item but the first ("Get Token"), in collection order.
folders=()
while IFS= read -r name; do
    folders+=(--folder "$name")
done < <(node -e '
    const c = require(process.argv[1]);
    if (c.item[0].name !== "Get Token") { console.error("first folder is not \"Get Token\""); process.exit(1); }
    for (const item of c.item.slice(1)) console.log(item.name);' "$collection")
echo "conformance: running ${#folders[@]} of the collection's top-level items (all but \"Get Token\")"

# --- server ------------------------------------------------------------------------------
if [[ ${FASTSCIM_CONFORMANCE_REUSE_BINARY:-} == 1 && -x $bin ]]; then
    echo "conformance: reusing $bin (FASTSCIM_CONFORMANCE_REUSE_BINARY=1)"
else
echo "conformance: dotnet publish src/FastScim -c Release -r $rid"
timeout --kill-after=30s 10m dotnet publish src/FastScim -c Release -r "$rid" >"$work/publish.log" 2>&1 || {
    cat "$work/publish.log"
    echo "conformance: dotnet publish failed" >&2
    exit 2
}
fi

# shellcheck disable=SC2119 # no ON_FAILED_ATTEMPT: a failed attempt prints nothing here
start_native_server
if [[ -z $port ]]; then
    echo "conformance: found no free port on 127.0.0.1" >&2
    exit 2
fi
if [[ -z $token ]]; then
    echo "conformance: the server did not start; its output:" >&2
    cat "$work/server.out" "$work/server.err" >&2
    exit 2
fi
echo "conformance: FastScim on http://127.0.0.1:$port, tenant 'default'"
if [[ $profile == strict ]]; then
    "$bin" tenant set default --compat strict --data "$data" >/dev/null
fi
echo "conformance: compatibility profile $profile"

# --- run ---------------------------------------------------------------------------------
set +e
timeout --kill-after=10s 15m "$newman" run "$collection" "${folders[@]}" \
    --env-var Protocol=http \
    --env-var Server=127.0.0.1 \
    --env-var "Port=:$port" \
    --env-var Api=t/default/api/v1/scim/v2 \
    --env-var "token=$token" \
    --timeout-request 10000 \
    --reporters cli,json --reporter-json-export "$work/report.json" --color off
status=$?
set -e

if [[ -s $work/server.err ]]; then
    echo "conformance: server stderr (last 30 lines):"
    tail -n 30 "$work/server.err" | sed 's/^/    /'
fi
if [[ ! -s $work/report.json ]]; then
    echo "conformance: newman exited with $status and wrote no report"
    exit 2
fi

if [[ $profile == lenient ]]; then
    echo "conformance: the compatibility rules the collection relied on:"
    "$bin" tenant compat-report default --data "$data" | sed 's/^/    /'
fi

# Every failure must be a known difference (scripts/conformance-known-differences*.txt).
python3 - "$work/report.json" "${known_files[@]}" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
known = {}
for path in sys.argv[2:]:
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if line and not line.startswith("#"):
            where, assertion, why = [part.strip() for part in line.split("|", 2)]
            known[(where, assertion)] = why
paths = {}
def walk(items, prefix):
    for item in items:
        if "item" in item:
            walk(item["item"], prefix + [item["name"]])
        else:
            paths[item["id"]] = " / ".join(prefix + [item["name"]])
walk(report["collection"]["item"], [])
run = report["run"]
assertions = run["stats"]["assertions"]
failures, unknown = [], []
for failure in run["failures"]:
    where = paths.get(failure["source"].get("id"), failure["source"].get("name", "?"))
    assertion = failure["error"].get("test") or failure["error"].get("name", "?")
    (failures if (where, assertion) in known else unknown).append((where, assertion, failure["error"].get("message", "")))
print(f"conformance: {assertions['total']} assertions, {assertions['failed']} failed: {len(failures)} known differences, {len(unknown)} unexpected")
for where, assertion, _ in failures:
    print(f"conformance:   known: {where} | {assertion} -- {known[(where, assertion)]}")
for where, assertion, message in unknown:
    print(f"conformance:   FAILED: {where} | {assertion}: {message}")
stale = set(known) - {(w, a) for w, a, _ in failures}
for where, assertion in sorted(stale):
    print(f"conformance:   note: known difference no longer fails: {where} | {assertion}")
if run["stats"]["requests"]["failed"]:
    print(f"conformance:   FAILED: {run['stats']['requests']['failed']} request(s) got no response")
sys.exit(1 if unknown or run["stats"]["requests"]["failed"] else 0)
PY
