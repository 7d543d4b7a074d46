#!/usr/bin/env bash
# Load test (issue 7 item 2): FastScim's native binary under wrk, beside perf/baseline.
#
#   bash perf/load/run.sh [-n USERS] [-d SECONDS] [-c CONNECTIONS] [-t THREADS] [-w WARMUP]
#                         [--workloads get,eq,co,page,patch,post,bulk] [--no-build] [--no-append] [--keep]
#
# Defaults: 10,000 users, 10 s per workload after a 2 s warm-up, 32 connections, 2 wrk threads,
# every workload, and the result appended to perf/RESULTS.md.
#
#   1. publishes both native AOT binaries in Release (src/FastScim, perf/baseline);
#   2. starts perf/baseline on 127.0.0.1 (a free port), checks its two answers, runs the GET
#      workload against it, and stops it;
#   3. starts `fastscim serve` on 127.0.0.1 (a free port) with a fresh data directory (its first
#      start makes the tenant `default` and prints its token), and seeds USERS users and 5 groups
#      of 100 members through POST /Bulk (1,000 operations a request);
#   4. for each workload: checks one response with curl + jq (a fast wrong answer is not fast),
#      warms up, then runs wrk; the Lua scripts count every non-2xx answer and every body that
#      fails their check (common.lua);
#   5. prints one table (workload, req/s, p50, p99, errors, ratio to the baseline's req/s) and,
#      unless --no-append, appends it to perf/RESULTS.md with the date, commit, nproc and machine.
#
# Everything binds 127.0.0.1 only; every wait and every wrk run has a time limit; both servers
# are stopped and the scratch directory removed on exit (trap), also on failure or Ctrl-C.
# Needs the .NET SDK, a C toolchain (Native AOT link), curl, jq and wrk: jq and wrk are
# installed with apt-get when missing (as root, or through sudo).
# shellcheck disable=SC2016 # the jq programs name jq variables ($i, $urn) inside single quotes
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$(pwd)
load_dir="$root/perf/load"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export MSBUILDTERMINALLOGGER=off

users=10000
seconds=10
connections=32
threads=2
warmup=2
workloads="get,eq,co,page,patch,post,bulk"
build=1
append=1
keep=""

usage() {
    sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 2
}

while (($# > 0)); do
    case $1 in
        -n | --users) users=${2:?}; shift 2 ;;
        -d | --duration) seconds=${2:?}; shift 2 ;;
        -c | --connections) connections=${2:?}; shift 2 ;;
        -t | --threads) threads=${2:?}; shift 2 ;;
        -w | --warmup) warmup=${2:?}; shift 2 ;;
        --workloads) workloads=${2:?}; shift 2 ;;
        --no-build) build=""; shift ;;
        --no-append) append=""; shift ;;
        --keep) keep=1; shift ;;
        -h | --help) usage ;;
        *) echo "load: unknown argument '$1'" >&2; usage ;;
    esac
done

for number in "$users" "$seconds" "$connections" "$threads" "$warmup"; do
    [[ $number =~ ^[0-9]+$ ]] || { echo "load: '$number' is not a number" >&2; exit 2; }
done
((users >= 100)) || { echo "load: at least 100 users (a group has 100 members)" >&2; exit 2; }
((seconds >= 1 && seconds <= 600)) || { echo "load: duration between 1 and 600 s" >&2; exit 2; }
((connections >= threads && threads >= 1)) || { echo "load: need connections >= threads >= 1" >&2; exit 2; }
IFS=, read -r -a selected <<<"$workloads"
for key in "${selected[@]}"; do
    [[ $key =~ ^(get|eq|co|page|patch|post|bulk)$ ]] || { echo "load: unknown workload '$key' (get, eq, co, page, patch, post, bulk)" >&2; exit 2; }
done

rid=linux-x64
fastscim="$root/artifacts/publish/FastScim/release_$rid/fastscim"
baseline="$root/artifacts/publish/FastScim.Baseline/release_$rid/fastscim-baseline"
base_path=/t/default/api/v1/scim/v2

# Short and under /tmp: the admin socket lives in the data directory (108-byte socket paths).
work=$(mktemp -d /tmp/fastscim-load.XXXXXX)
data="$work/data"

log() { echo "load: $*"; }
die() {
    echo "load: FAIL: $*" >&2
    exit 1
}

# --- processes ---------------------------------------------------------------------------
fastscim_pid=""
baseline_pid=""

# shellcheck source=scripts/lib/native-server.sh
source "$root/scripts/lib/native-server.sh" # stop_process; its cleanup is replaced below

cleanup() {
    stop_process "$baseline_pid"
    baseline_pid=""
    stop_process "$fastscim_pid"
    fastscim_pid=""
    if [[ -n $keep ]]; then
        echo "load: kept $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_for FILE SED-EXPRESSION PID: prints the first match of the sed -n expression in FILE,
# waiting up to 60 s while PID lives; prints nothing when it never appears.
wait_for() {
    local file=$1 expression=$2 pid=$3 found
    for _ in $(seq 1 600); do
        found=$(sed -n "$expression" "$file" 2>/dev/null | head -n 1)
        if [[ -n $found ]]; then
            echo "$found"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
}

# --- prerequisites -----------------------------------------------------------------------
apt_updated=""
apt_install() {
    local apt=(apt-get)
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || return 1
        apt=(sudo -n apt-get)
    fi
    command -v apt-get >/dev/null 2>&1 || return 1
    if [[ -z $apt_updated ]]; then
        DEBIAN_FRONTEND=noninteractive timeout 5m "${apt[@]}" update -qq >/dev/null || return 1
        apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive timeout 10m "${apt[@]}" install -y -qq "$@" >/dev/null
}

for tool in curl jq wrk; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        log "installing $tool with apt-get"
        apt_install "$tool" || die "$tool is missing and could not be installed (apt-get install $tool)"
    fi
done

# --- 1. build ----------------------------------------------------------------------------
if [[ -n $build ]]; then
    for project in src/FastScim perf/baseline; do
        log "dotnet publish $project -c Release -r $rid"
        timeout --kill-after=30s 20m dotnet publish "$project" -c Release -r "$rid" >"$work/publish.log" 2>&1 ||
            { tail -n 30 "$work/publish.log" >&2; die "dotnet publish $project failed"; }
    done
fi
[[ -x $fastscim ]] || die "no binary at $fastscim (run without --no-build)"
[[ -x $baseline ]] || die "no binary at $baseline (run without --no-build)"

# --- checks (curl + jq) ------------------------------------------------------------------
# request NAME METHOD URL [curl args]: body in $work/NAME.json, headers in $work/NAME.headers;
# prints the status (000 when the request failed).
request() {
    local name=$1 method=$2 url=$3
    shift 3
    curl -sS --max-time 300 -X "$method" -o "$work/$name.json" -D "$work/$name.headers" \
        -w '%{http_code}' "$@" "$url" 2>"$work/$name.curl" || echo 000
}
auth=(-H "Authorization: Bearer x")
json=(-H "Content-Type: application/scim+json")

header() { sed -n "s/^$2: *//Ip" "$work/$1.headers" | tr -d '\r' | tail -n 1; }

# expect NAME STATUS WANT JQ-TEST DESCRIPTION: fails the run unless the status is WANT, the
# Content-Type is SCIM's and the jq test holds on the body.
expect() {
    local name=$1 status=$2 want=$3 test=$4 what=$5 type
    type=$(header "$name" Content-Type)
    if [[ $status != "$want" ]] || [[ ${type,,} != application/scim+json* ]] || ! jq -e "$test" "$work/$name.json" >/dev/null 2>&1; then
        echo "load: check failed: $what: status $status (want $want), Content-Type '$type', test: $test" >&2
        head -c 1000 "$work/$name.json" >&2 2>/dev/null || true
        echo >&2
        cat "$work/$name.curl" >&2 2>/dev/null || true
        die "a workload answered wrongly before it was timed"
    fi
    log "ok   $what ($(stat -c %s "$work/$name.json") bytes)"
}

# --- wrk -----------------------------------------------------------------------------------
declare -A rps p50 p99 errors
rows=()

# measure KEY LABEL SCRIPT URL: warm-up (discarded), then the timed run; fills the arrays.
measure() {
    local key=$1 label=$2 script=$3 url=$4 out line
    if ((warmup > 0)); then
        FASTSCIM_RUN="$run-$key-w" timeout --kill-after=10s $((warmup + 60)) wrk -t"$threads" -c"$connections" -d"${warmup}s" --timeout 30s \
            -s "$load_dir/$script" "$url" >"$work/wrk-$key-warmup.txt" 2>&1 ||
            { cat "$work/wrk-$key-warmup.txt" >&2; die "wrk warm-up of $label failed"; }
    fi
    out="$work/wrk-$key.txt"
    FASTSCIM_RUN="$run-$key" timeout --kill-after=10s $((seconds + 90)) wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 30s --latency \
        -s "$load_dir/$script" "$url" >"$out" 2>&1 || { cat "$out" >&2; die "wrk run of $label failed"; }
    line=$(grep '^FASTSCIM_RESULT ' "$out" | tail -n 1)
    [[ -n $line ]] || { cat "$out" >&2; die "wrk printed no FASTSCIM_RESULT line for $label"; }
    local requests duration non2xx bad socket
    requests=$(field "$line" requests)
    duration=$(field "$line" duration_us)
    non2xx=$(field "$line" non2xx)
    bad=$(field "$line" bad)
    socket=$(field "$line" socket_errors)
    rps[$key]=$(awk -v r="$requests" -v d="$duration" 'BEGIN { printf "%.0f", (d > 0 ? r / (d / 1e6) : 0) }')
    p50[$key]=$(field "$line" p50_us)
    p99[$key]=$(field "$line" p99_us)
    errors[$key]=$((non2xx + bad + socket))
    rows+=("$key|$label")
    log "$label: ${rps[$key]} req/s, p50 $(ms "${p50[$key]}"), p99 $(ms "${p99[$key]}"), errors ${errors[$key]} (non-2xx $non2xx, bad body $bad, socket $socket) in $requests requests"
}

field() { sed -n "s/.* $2=\([0-9]*\).*/\1/p" <<<" $1"; }
ms() { awk -v us="$1" 'BEGIN { printf "%.2f ms", us / 1000 }'; }

export FASTSCIM_LOAD_DIR="$load_dir" FASTSCIM_USERS="$users" FASTSCIM_BASE_PATH="$base_path"
export FASTSCIM_IDS="$work/ids.txt"
run="r$RANDOM$RANDOM" # in every userName the scripts create: FASTSCIM_RUN is "$run-WORKLOAD[-w]" for each wrk

load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# --- 2. the baseline -----------------------------------------------------------------------
"$baseline" --urls http://127.0.0.1:0 >"$work/baseline.out" 2>"$work/baseline.err" </dev/null &
baseline_pid=$!
baseline_url=$(wait_for "$work/baseline.out" 's/^Now listening on: \(http:\/\/127\.0\.0\.1:[0-9]*\).*$/\1/p' "$baseline_pid")
[[ -n $baseline_url ]] || { cat "$work/baseline.err" >&2; die "perf/baseline did not start"; }
log "baseline listening on $baseline_url"

# The GET script needs ids; any will do for the baseline, which ignores the path.
seq 1 "$users" | sed 's/^/baseline-/' >"$work/ids.txt"
status=$(request baseline-get GET "$baseline_url$base_path/Users/x" "${auth[@]}")
expect baseline-get "$status" 200 '.userName | type == "string"' "baseline GET with Authorization: 200 User"
status=$(request baseline-anon GET "$baseline_url$base_path/Users/x")
expect baseline-anon "$status" 401 '.status == "401"' "baseline GET without Authorization: 401"
[[ $(header baseline-anon WWW-Authenticate) == Bearer* ]] || die "baseline 401 without WWW-Authenticate: Bearer"
baseline_bytes=$(stat -c %s "$work/baseline-get.json")
export FASTSCIM_TOKEN=x
measure baseline "baseline GET (perf/baseline)" users-get.lua "$baseline_url"
stop_process "$baseline_pid"
baseline_pid=""

# --- 3. FastScim, seeded -------------------------------------------------------------------
mkdir -p "$data"
"$fastscim" serve --urls http://127.0.0.1:0 --data "$data" >"$work/fastscim.out" 2>"$work/fastscim.err" </dev/null &
fastscim_pid=$!
token=$(wait_for "$work/fastscim.out" 's/^ *Bearer token: *\(scim_[A-Za-z0-9_-]*\).*$/\1/p' "$fastscim_pid")
url=$(sed -n 's/^FastScim is serving SCIM 2.0 on \(http:\/\/127\.0\.0\.1:[0-9]*\).*$/\1/p' "$work/fastscim.out" | head -n 1)
[[ -n $token && -n $url ]] || { cat "$work/fastscim.out" "$work/fastscim.err" >&2; die "fastscim serve did not start"; }
export FASTSCIM_TOKEN="$token"
auth=(-H "Authorization: Bearer $token")
scim="$url$base_path"
log "fastscim listening on $url (data $data)"

# The seeded user i, in jq; perf/load/users.lua makes the same shape for created users.
seed_user='def user($i): {
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
  userName: "user\($i)@example.com", externalId: "ext-\($i)",
  name: {formatted: "Barbara Jensen", familyName: "Jensen", givenName: "Barbara"},
  displayName: "Barbara Jensen \($i)", title: "Tour Guide", preferredLanguage: "en-US", locale: "en-US", timezone: "America/Los_Angeles",
  emails: [{value: "user\($i)@example.com", type: "work", primary: true}, {value: "barbara.jensen.\($i)@example.org", type: "home"}],
  phoneNumbers: [{value: "+1 555 555 \($i)", type: "work"}],
  addresses: [{streetAddress: "100 Universal City Plaza", locality: "Hollywood", region: "CA", postalCode: "91608", country: "US", type: "work", primary: true}],
  active: true,
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {employeeNumber: "\($i)", department: "Tour Operations", costCenter: "4130", organization: "Universal Studios"}
};'
bulk_urn=urn:ietf:params:scim:api:messages:2.0:BulkRequest

seed_started=$SECONDS
: >"$work/ids.txt"
for ((first = 1; first <= users; first += 1000)); do
    last=$((first + 999 < users ? first + 999 : users))
    jq -nc --argjson a "$first" --argjson b "$last" --arg urn "$bulk_urn" "$seed_user"'
        {schemas: [$urn], Operations: [range($a; $b + 1) as $i | {method: "POST", path: "/Users", bulkId: "u\($i)", data: user($i)}]}' \
        >"$work/seed.body"
    status=$(request seed POST "$scim/Bulk" "${auth[@]}" "${json[@]}" --data-binary "@$work/seed.body")
    count=$((last - first + 1))
    expect seed "$status" 200 "[.Operations[] | select(.status == \"201\")] | length == $count" "seed users $first..$last through /Bulk"
    jq -r '.Operations[].location | sub(".*/"; "")' "$work/seed.json" >>"$work/ids.txt"
done
[[ $(wc -l <"$work/ids.txt") -eq $users ]] || die "seeding recorded $(wc -l <"$work/ids.txt") ids, not $users"

# 5 groups of 100 members: group g has users ((100g + k) mod N) + 1, k = 0..99.
jq -nc --rawfile ids "$work/ids.txt" --argjson n "$users" --arg urn "$bulk_urn" '
    ($ids | split("\n") | map(select(length > 0))) as $id
    | {schemas: [$urn], Operations: [range(0; 5) as $g | {method: "POST", path: "/Groups", bulkId: "g\($g)",
        data: {schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Load group \($g)",
               members: [range(0; 100) as $k | {value: $id[(100 * $g + $k) % $n]}]}}]}' >"$work/seed.body"
status=$(request seed-groups POST "$scim/Bulk" "${auth[@]}" "${json[@]}" --data-binary "@$work/seed.body")
expect seed-groups "$status" 200 '[.Operations[] | select(.status == "201")] | length == 5' "seed 5 groups of 100 members through /Bulk"
status=$(request groups GET "$scim/Groups?filter=displayName%20sw%20%22Load%20group%22" "${auth[@]}")
expect groups "$status" 200 '.totalResults == 5 and ([.Resources[].members | length] | all(. == 100))' "the 5 groups hold 100 members each"
log "seeded $users users and 5 groups in $((SECONDS - seed_started)) s"

id_of() { sed -n "$1p" "$work/ids.txt"; }
pick() { echo $((1 + (RANDOM * 32768 + RANDOM) % $1)); }

# --- 4. the workloads ----------------------------------------------------------------------
# Always in this order: the reads see the seeded users as they were seeded (the PATCH workload
# renames users, which the co and paging checks would not expect), and the writes come last.
for key in get eq co page patch post bulk; do
    [[ ,$workloads, == *,$key,* ]] || continue
    case $key in
        get)
            i=$(pick "$users")
            status=$(request check GET "$scim/Users/$(id_of "$i")" "${auth[@]}")
            expect check "$status" 200 ".id == \"$(id_of "$i")\" and .userName == \"user$i@example.com\"" "GET /Users/{id} of user $i"
            fastscim_get_bytes=$(stat -c %s "$work/check.json")
            measure get "GET /Users/{id}" users-get.lua "$url"
            ;;
        eq)
            i=$(pick "$users")
            status=$(request check GET "$scim/Users?filter=userName%20eq%20%22user$i%40example.com%22" "${auth[@]}")
            expect check "$status" 200 ".totalResults == 1 and .Resources[0].id == \"$(id_of "$i")\"" "filter=userName eq \"user$i@example.com\""
            grep -qF '"totalResults":1,' "$work/check.json" || die "the eq body does not hold the text users-filter-eq.lua looks for"
            measure eq 'filter=userName eq' users-filter-eq.lua "$url"
            ;;
        co)
            low=$((users / 10 + 1))
            i=$((low + $(pick $((users - low + 1))) - 1))
            expected=$(awk -v n="$users" -v p="$i" 'BEGIN { c = 0; for (k = 1; k <= n; k++) if (index(k "", p "") == 1) c++; print c }')
            status=$(request check GET "$scim/Users?filter=displayName%20co%20%22Jensen%20$i%22" "${auth[@]}")
            expect check "$status" 200 ".totalResults == $expected and .Resources[0].id == \"$(id_of "$i")\"" "filter=displayName co \"Jensen $i\" ($expected match)"
            grep -qF '"totalResults":1,' "$work/check.json" || die "the co body does not hold the text users-filter-co.lua looks for"
            measure co 'filter=displayName co (scan)' users-filter-co.lua "$url"
            ;;
        page)
            s=$(pick $((users - 99)))
            status=$(request check GET "$scim/Users?startIndex=$s&count=100" "${auth[@]}")
            expect check "$status" 200 ".totalResults == $users and .startIndex == $s and .itemsPerPage == 100 and (.Resources | length) == 100
                and .Resources[0].id == \"$(id_of "$s")\" and .Resources[99].id == \"$(id_of $((s + 99)))\"" "paging startIndex=$s&count=100"
            grep -qF '"itemsPerPage":100,' "$work/check.json" || die "the page body does not hold the text users-page.lua looks for"
            measure page 'paging count=100' users-page.lua "$url"
            ;;
        patch)
            i=$(pick "$users")
            status=$(request check PATCH "$scim/Users/$(id_of "$i")" "${auth[@]}" "${json[@]}" --data-binary \
                '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false},{"op":"replace","path":"displayName","value":"Checked patch"}]}')
            expect check "$status" 200 '.active == false and .displayName == "Checked patch"' "PATCH replace active, displayName of user $i"
            measure patch 'PATCH active+displayName' users-patch.lua "$url"
            ;;
        post)
            status=$(request check POST "$scim/Users" "${auth[@]}" "${json[@]}" --data-binary \
                "$(jq -nc "$seed_user"' user("check-post-'"$run"'")')")
            expect check "$status" 201 ".userName == \"usercheck-post-$run@example.com\" and (.id | length) > 0" "POST /Users"
            [[ -n $(header check Location) ]] || die "POST /Users answered without a Location"
            measure post 'POST /Users' users-post.lua "$url"
            ;;
        bulk)
            jq -nc --arg urn "$bulk_urn" --arg run "$run" "$seed_user"'
                {schemas: [$urn], Operations: [range(0; 100) as $k | {method: "POST", path: "/Users", bulkId: "c\($k)", data: user("check-bulk-\($run)-\($k)")}]}' \
                >"$work/check.body"
            status=$(request check POST "$scim/Bulk" "${auth[@]}" "${json[@]}" --data-binary "@$work/check.body")
            expect check "$status" 200 '[.Operations[] | select(.status == "201")] | length == 100' "POST /Bulk of 100 creates"
            [[ $(grep -o '"status":"201"' "$work/check.json" | wc -l) -eq 100 ]] || die "the Bulk body does not hold the text bulk-post.lua looks for"
            measure bulk 'POST /Bulk (100 creates)' bulk-post.lua "$url"
            ;;
    esac
done

stop_process "$fastscim_pid"
fastscim_pid=""
[[ ! -s $work/fastscim.err ]] || { log "fastscim stderr:"; tail -n 20 "$work/fastscim.err" | sed 's/^/    /'; }
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- 5. the table --------------------------------------------------------------------------
table() {
    printf '| %-28s | %8s | %10s | %10s | %6s | %11s |\n' workload 'req/s' p50 p99 errors 'vs baseline'
    printf '|%s|%s:|%s:|%s:|%s:|%s:|\n' "$(printf -- '-%.0s' {1..30})" "$(printf -- '-%.0s' {1..9})" \
        "$(printf -- '-%.0s' {1..11})" "$(printf -- '-%.0s' {1..11})" "$(printf -- '-%.0s' {1..7})" "$(printf -- '-%.0s' {1..12})"
    local row key label ratio
    for row in "${rows[@]}"; do
        key=${row%%|*}
        label=${row#*|}
        ratio=$(awk -v a="${rps[$key]}" -v b="${rps[baseline]}" 'BEGIN { printf "%.3g", (b > 0 ? a / b : 0) }')
        printf '| %-28s | %8s | %10s | %10s | %6s | %11s |\n' "$label" "${rps[$key]}" "$(ms "${p50[$key]}")" "$(ms "${p99[$key]}")" "${errors[$key]}" "$ratio"
    done
}

commit=$(git -C "$root" rev-parse --short HEAD)
[[ -z $(git -C "$root" status --porcelain) ]] || commit="$commit-dirty"
wrk_version=$( (wrk -v 2>&1 || true) | head -n 1 | cut -d' ' -f1-2) # wrk -v exits 1
summary="users $users, ${seconds}s per workload after ${warmup}s warm-up, $connections connections, $threads wrk threads; nproc $(nproc); commit $commit"
echo
echo "$summary"
echo "The checked GET /Users/{id} answered ${fastscim_get_bytes:-?} bytes, the baseline $baseline_bytes. Load average before $load_before, after $load_after."
table | tee "$work/table.md"

if [[ -n $append ]]; then
    cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)
    memory=$(free -g 2>/dev/null | awk '/^Mem:/ { print $2 " GiB" }')
    filesystem=$(df -T "$work" 2>/dev/null | awk 'NR == 2 { print $2 }')
    {
        echo
        echo "### $(date -u +%F) — load test (perf/load/run.sh), commit $commit"
        echo
        echo "**What was run**: \`bash perf/load/run.sh -n $users -d $seconds -c $connections -t $threads -w $warmup --workloads $workloads\`:"
        echo "$wrk_version \`-t$threads -c$connections -d${seconds}s --timeout 30s\` per workload after a ${warmup}s warm-up, against the native"
        echo "AOT \`fastscim serve --urls http://127.0.0.1:0\` on a fresh data directory ($filesystem under /tmp), seeded with $users users and 5"
        echo "groups of 100 members through /Bulk; the baseline is \`perf/baseline\` (native AOT) under the same GET script."
        echo "The checked GET /Users/{id} answered ${fastscim_get_bytes:-?} bytes, the baseline $baseline_bytes. Errors are non-2xx answers, bodies that"
        echo "failed the script's check and socket errors. wrk runs on the same cores as the server."
        echo
        echo "**The machine**: \`nproc\` = $(nproc), $cpu, $memory, kernel $(uname -r), \`dotnet --version\` $(dotnet --version 2>/dev/null)."
        echo "Load average (1, 5, 15 min) before $load_before, after $load_after."
        echo
        echo "**When and what**: $(date -u +%F), commit $commit."
        echo
        echo '```'
        cat "$work/table.md"
        echo '```'
    } >>"$root/perf/RESULTS.md"
    log "appended to perf/RESULTS.md"
fi
