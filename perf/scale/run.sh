#!/usr/bin/env bash
# Start-up, memory and scale of the native `fastscim` binary (issue 7 item 5):
#
#   1. start-up: wall time from exec to the first 200 of an authenticated
#      GET /ServiceProviderConfig and GET /Users, on an empty data directory (median of
#      --starts runs), and to the first 200 on an existing data directory that holds a big tenant;
#   2. RSS idle (VmRSS, VmHWM from /proc/PID/status) after those first requests;
#   3. a tenant of --users users (default 100,000) seeded through POST /Bulk: RSS with it open,
#      after a `userName eq` seek and a `co` scan, and after a restart and the first request to
#      it (which opens the tenant and loads its in-memory read model; that time too);
#   4. --tenants tenants (default 1,000) of --tenant-users users (default 100) in one process:
#      RSS as they are touched (the LRU keeps TenantStoreCache.DefaultCapacity = 256 open; `serve`
#      has no option for it), and the latency of requests to cold tenants (evicted from the LRU,
#      and first requests after a restart) against warm ones.
#
# Prints a table (measure, value, target, met?) and appends it, with the machine, the date and
# the commit, to perf/RESULTS.md as a new dated section (FASTSCIM_SCALE_RECORD=0: print only).
#
#   bash perf/scale/run.sh                                  (the issue's sizes; ~10 minutes)
#   bash perf/scale/run.sh --users 10000 --tenants 100 --tenant-users 20 --no-record
#   FASTSCIM_REUSE_BINARY=1 bash perf/scale/run.sh ...      (skip `dotnet publish`)
#
# Options (or the environment variables in brackets):
#   --users N          users in the big tenant            [FASTSCIM_SCALE_USERS, 100000]
#   --tenants N        tenants in the many-tenant phase   [FASTSCIM_SCALE_TENANTS, 1000]
#   --tenant-users N   users in each of those tenants     [FASTSCIM_SCALE_TENANT_USERS, 100]
#   --starts N         start-up runs on an empty data dir [FASTSCIM_SCALE_STARTS, 5]
#   --samples N        cold and warm requests measured    [FASTSCIM_SCALE_SAMPLES, 20]
#   --no-record        print the table only               [FASTSCIM_SCALE_RECORD=0]
#   --reuse-binary     use the published binary as it is  [FASTSCIM_REUSE_BINARY=1]
#   --server CMD       run the server with CMD instead of the native binary, e.g.
#                      perf/scale/jit-server.sh (the JIT build, for dotnet-counters and
#                      dotnet-gcdump); the CLI stays native    [FASTSCIM_SCALE_SERVER]
#   --on-measure CMD   after each RSS reading, run CMD PHASE PID (e.g. perf/scale/profile.sh,
#                      which takes counters, a HeapStat and a GC dump) [FASTSCIM_SCALE_ON_MEASURE]
#
# Binds 127.0.0.1 only. Every wait is bounded, every curl has --max-time, every CLI call a
# timeout; the server is stopped and the scratch directory removed on exit (trap).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export MSBUILDTERMINALLOGGER=off

big_users=${FASTSCIM_SCALE_USERS:-100000}
tenants=${FASTSCIM_SCALE_TENANTS:-1000}
tenant_users=${FASTSCIM_SCALE_TENANT_USERS:-100}
starts=${FASTSCIM_SCALE_STARTS:-5}
samples=${FASTSCIM_SCALE_SAMPLES:-20}
record=${FASTSCIM_SCALE_RECORD:-1}
reuse=${FASTSCIM_REUSE_BINARY:-0}
server_cmd=${FASTSCIM_SCALE_SERVER:-}
on_measure=${FASTSCIM_SCALE_ON_MEASURE:-}

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
while (($# > 0)); do
    case $1 in
        --users) big_users=$2; shift 2 ;;
        --tenants) tenants=$2; shift 2 ;;
        --tenant-users) tenant_users=$2; shift 2 ;;
        --starts) starts=$2; shift 2 ;;
        --samples) samples=$2; shift 2 ;;
        --no-record) record=0; shift ;;
        --reuse-binary) reuse=1; shift ;;
        --server) server_cmd=$2; shift 2 ;;
        --on-measure) on_measure=$2; shift 2 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "scale: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
for n in big_users tenants tenant_users starts samples; do
    [[ ${!n} =~ ^[1-9][0-9]*$ ]] || { echo "scale: $n must be a positive integer, not '${!n}'" >&2; exit 2; }
done
((tenant_users <= 1000)) || { echo "scale: --tenant-users is at most 1000 (one Bulk per tenant)" >&2; exit 2; }

# The server's defaults this script reports against (ScimServerOptions.OpenTenantLimit; not an
# option of `fastscim serve`).
open_tenant_limit=256
rid=linux-x64
bin="$root/artifacts/publish/FastScim/release_$rid/fastscim"
base_path=/api/v1/scim/v2

# Short and under /tmp: the admin socket lives in the data directory (108-byte limit).
work=$(mktemp -d /tmp/fastscim-scale.XXXXXX)
data=""
# shellcheck source=scripts/lib/native-server.sh
source "$root/scripts/lib/native-server.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf 'scale: %s\n' "$*"; }
die() {
    printf 'scale: FAIL %s\n' "$*" >&2
    if [[ -s $work/server.err ]]; then
        echo "scale: server stderr (last 20 lines):" >&2
        tail -n 20 "$work/server.err" | sed 's/^/    /' >&2
    fi
    exit 1
}

# A wait without a fork: read from a FIFO that this shell holds open for writing, so nothing
# ever arrives and `read -t` times out.
mkfifo "$work/never"
exec {never}<>"$work/never"
pause() { read -r -t "$1" -u "$never" _ || true; }

# stamp: sets now to the wall clock in microseconds (no fork, unlike date +%s%N).
stamp() { local t=$EPOCHREALTIME; now=$((10#${t/./})); }
since_s() { stamp; awk -v us="$((now - $1))" -v f="${2:-%.1f}" 'BEGIN { printf f, us / 1e6 }'; }
ms() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1000 }'; }
mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
maximum() { printf '%s\n' "$@" | sort -g | tail -n 1; }
status_kb() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }

# measure PHASE: reads the server's VmRSS and VmHWM (rss_kb, hwm_kb; rss_mb, hwm_mb), logs them
# with the 1-minute load average, then runs the --on-measure hook (after the reading: a GC
# dump collects garbage and would change it).
measure() {
    rss_kb=$(status_kb "$server_pid" VmRSS)
    hwm_kb=$(status_kb "$server_pid" VmHWM)
    rss_mb=$(mb "$rss_kb")
    hwm_mb=$(mb "$hwm_kb")
    local load
    load=$(cut -d ' ' -f 1 /proc/loadavg)
    phase_loads+=("$1 $load")
    log "[$1] VmRSS $rss_mb MB, VmHWM $hwm_mb MB, load $load"
    if [[ -n $on_measure ]]; then
        timeout 600 "$on_measure" "$1" "$server_pid" || log "[$1] the --on-measure command failed"
    fi
}

# --- 1. the binary -----------------------------------------------------------------------
if [[ $reuse == 1 ]]; then
    [[ -x $bin ]] || die "FASTSCIM_REUSE_BINARY=1 but there is no binary at ${bin#"$root"/}"
    log "reusing ${bin#"$root"/}"
else
    log "dotnet publish src/FastScim -c Release -r $rid"
    timeout --kill-after=30s 15m dotnet publish src/FastScim -c Release -r "$rid" >"$work/publish.log" 2>&1 \
        || { tail -n 30 "$work/publish.log" >&2; die "dotnet publish failed"; }
    [[ -x $bin ]] || die "no executable at ${bin#"$root"/} after publish"
fi

# --- server control ----------------------------------------------------------------------
# start_server DIR: starts "$bin" serve on port 0 (the OS picks a free one, so no other process
# can take it in between) with the data directory DIR as it is (not emptied). Sets server_pid
# and started_us (just before the exec), and empties port: wait_status reads it from the banner.
# Does not wait.
start_server() {
    data=$1
    mkdir -p "$data"
    port=""
    : >"$work/server.out"
    stamp
    started_us=$now
    "${server_cmd:-$bin}" serve --urls "http://127.0.0.1:0" --data "$data" >"$work/server.out" 2>>"$work/server.err" </dev/null &
    server_pid=$!
}

# banner_port: the port from the banner's "serving" line so far, or empty (no fork).
banner_port() {
    local line
    while IFS= read -r line; do
        if [[ $line =~ ^FastScim\ is\ serving\ SCIM\ 2\.0\ on\ http://127\.0\.0\.1:([0-9]+) ]]; then
            port=${BASH_REMATCH[1]}
            return
        fi
    done <"$work/server.out"
}

# banner_token: the first tenant's token from the banner so far, or empty (no fork).
banner_token() {
    token=""
    local line
    while IFS= read -r line; do
        if [[ $line =~ ^\ *Bearer\ token:\ *(scim_[A-Za-z0-9_-]+) ]]; then
            token=${BASH_REMATCH[1]}
            return
        fi
    done <"$work/server.out"
}

# tcp_status PATH TOKEN: one GET over a new connection, without a fork; sets http_status to the
# status code, or empty when nothing listens or nothing answers within 5 s.
tcp_status() {
    local fd line
    http_status=""
    { exec {fd}<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 0
    { printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nAuthorization: Bearer %s\r\nConnection: close\r\n\r\n' "$1" "$port" "$2" 1>&"$fd"; } 2>/dev/null || true
    if IFS=' ' read -r -t 5 -u "$fd" line; then
        [[ $line =~ ^HTTP/1\.[01]\ ([0-9]{3}) ]] && http_status=${BASH_REMATCH[1]}
    fi
    exec {fd}<&-
}

# wait_status PATH TOKEN LIMIT_S: polls PATH (a GET every ~2 ms) until it answers 200; sets
# answered_us to the microseconds since started_us. When TOKEN is "-", the token is taken from
# the banner as soon as it appears. Dies after LIMIT_S seconds or when the server exits.
wait_status() {
    local path=$1 want_token=$2 limit_us=$(($3 * 1000000))
    token=""
    [[ $want_token == - ]] || token=$want_token
    while true; do
        [[ -n $token ]] || banner_token
        [[ -n $port ]] || banner_port
        if [[ -n $token && -n $port ]]; then
            tcp_status "$path" "$token"
            if [[ $http_status == 200 ]]; then
                stamp
                answered_us=$((now - started_us))
                return 0
            fi
        fi
        kill -0 "$server_pid" 2>/dev/null || die "the server exited while waiting for $path"
        stamp
        ((now - started_us < limit_us)) || die "no 200 from $path within $3 s (last status: ${http_status:-none})"
        pause 0.002
    done
}

scim() { echo "/t/$1$base_path"; }

# get TENANT TOKEN PATH_AND_QUERY [MAX_TIME]: one GET with curl; sets http_status and seconds.
get() {
    local answer
    answer=$(curl -s -o "$work/get.out" --max-time "${4:-30}" -w '%{http_code} %{time_total}' \
        -H "Authorization: Bearer $2" "http://127.0.0.1:$port$(scim "$1")$3") || true
    http_status=${answer%% *}
    seconds=${answer##* }
}

# create_tenant NAME: `fastscim tenant create` against the running server (admin socket);
# sets tenant_token to the last line of its output.
create_tenant() {
    tenant_token=$(timeout 30 "$bin" tenant create "$1" --data "$data" 2>>"$work/cli.err" | tail -n 1) \
        || die "fastscim tenant create $1 failed: $(tail -n 3 "$work/cli.err")"
    [[ $tenant_token =~ ^scim_[A-Za-z0-9_-]{43}$ ]] || die "fastscim tenant create $1 printed no token (last line: '$tenant_token')"
}

# bulk_users FIRST COUNT > file: a BulkRequest creating users FIRST..FIRST+COUNT-1, shaped like
# perf/FastScim.Benchmarks/UserData.cs (two emails, title, name, every third with the
# enterprise extension), without passwords. User i is always the same.
bulk_users() {
    awk -v first="$1" -v count="$2" 'BEGIN {
        split("Barbara John Ana Wei Fatima Olga Kofi Ravi", given, " ")
        split("Jensen Smith Garcia Chen Khan Ivanova Mensah Patel", family, " ")
        split("Tour Guide|Engineer|Intern|Manager", title, "|")
        ent = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
        printf "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"],\"Operations\":["
        for (i = first; i < first + count; i++) {
            g = given[i % 8 + 1]; f = family[int(i / 8) % 8 + 1]
            enterprise = (i % 3 == 0)
            printf "%s{\"method\":\"POST\",\"path\":\"/Users\",\"bulkId\":\"u%d\",\"data\":{", (i > first ? "," : ""), i
            printf "\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"%s],", (enterprise ? ",\"" ent "\"" : "")
            printf "\"userName\":\"user%d@example.com\",\"externalId\":\"ext-%d\",\"displayName\":\"%s %s %d\",", i, i, g, f, i
            printf "\"name\":{\"givenName\":\"%s\",\"familyName\":\"%s\"},\"title\":\"%s\",\"active\":%s,", g, f, title[i % 4 + 1], (i % 5 != 0 ? "true" : "false")
            printf "\"emails\":[{\"value\":\"user%d@example.com\",\"type\":\"work\",\"primary\":true},{\"value\":\"%s\",\"type\":\"home\"}]", i, tolower(g "." f "." i "@example.org")
            if (enterprise) printf ",\"%s\":{\"department\":\"Tour Operations\"}", ent
            printf "}}"
        }
        printf "]}"
    }'
}

# seed TENANT TOKEN COUNT: creates users 0..COUNT-1 through POST /Bulk, 1,000 operations per
# request; every Bulk must answer 200 with one "201" per operation.
seed() {
    local tenant=$1 tok=$2 count=$3 first answer created chunk
    for ((first = 0; first < count; first += 1000)); do
        chunk=$((count - first < 1000 ? count - first : 1000))
        bulk_users "$first" "$chunk" >"$work/bulk.json"
        answer=$(curl -s -o "$work/bulk.out" --max-time 120 -w '%{http_code}' \
            -H "Authorization: Bearer $tok" -H 'Content-Type: application/scim+json' \
            --data-binary "@$work/bulk.json" "http://127.0.0.1:$port$(scim "$tenant")/Bulk") || true
        [[ $answer == 200 ]] || die "Bulk $first..$((first + chunk - 1)) on $tenant answered '${answer:-nothing}': $(head -c 300 "$work/bulk.out")"
        created=$(grep -o '"status":"201"' "$work/bulk.out" | wc -l || true)
        ((created == chunk)) || die "Bulk $first..$((first + chunk - 1)) on $tenant: $created of $chunk operations answered 201: $(grep -o '"status":"[0-9]*"[^}]*' "$work/bulk.out" | grep -v '"201"' | head -n 3)"
    done
}

# curl_batch CONFIG: runs the requests of a curl config file in one curl process, one after
# the other on a kept-alive connection; prints "status seconds" per request. (The entries end
# in "next"; the last one is dropped, or curl looks for one more URL.)
curl_batch() {
    sed '$d' "$1" >"$1.run"
    timeout 600 curl -s -K "$1.run" || true
}
# batch_entry TENANT TOKEN PATH_AND_QUERY: one request of a curl config file.
batch_entry() {
    printf 'url = "http://127.0.0.1:%s%s%s"\nheader = "Authorization: Bearer %s"\noutput = "/dev/null"\nwrite-out = "%%{http_code} %%{time_total}\\n"\nmax-time = 60\nnext\n' \
        "$port" "$(scim "$1")" "$3" "$2"
}
# check_batch FILE WHAT COUNT: FILE holds COUNT lines, each a 200.
check_batch() {
    local bad
    bad=$(awk '$1 != 200' "$1" | head -n 3)
    [[ -z $bad ]] || die "$2: a request did not answer 200: $bad"
    (($(wc -l <"$1") == $3)) || die "$2: $(wc -l <"$1") answers, not $3"
}
# batch_ms FILE: the times of a checked batch in ms, one per line.
batch_ms() { awk '{ printf "%.1f\n", $2 * 1000 }' "$1"; }

# --- results table -----------------------------------------------------------------------
rows=()
phase_loads=()
# row MEASURE VALUE TARGET MET
row() { rows+=("| $1 | $2 | $3 | $4 |"); }
met_le() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t ? "yes" : "**no**") }'; }
met_lt() { awk -v v="$1" -v t="$2" 'BEGIN { print (v < t ? "yes" : "**no**") }'; }

load_before=$(cut -d ' ' -f 1-3 /proc/loadavg)
log "load average before: $load_before (nproc $(nproc))"

# --- 2. start-up and RSS idle on an empty data directory ---------------------------------
spc_ms=() users_ms=() idle_rss=() idle_hwm=()
for ((run = 1; run <= starts; run++)); do
    start_server "$work/empty-$run"
    wait_status "$(scim default)/ServiceProviderConfig" - 10
    spc_ms+=("$(ms "$answered_us")")
    wait_status "$(scim default)/Users" "$token" 10
    users_ms+=("$(ms "$answered_us")")
    pause 1 # idle: nothing more is asked
    measure "idle-$run"
    idle_rss+=("$rss_kb")
    idle_hwm+=("$hwm_kb")
    log "start $run: ServiceProviderConfig ${spc_ms[-1]} ms, GET /Users ${users_ms[-1]} ms; idle VmRSS $(mb "${idle_rss[-1]}") MB, VmHWM $(mb "${idle_hwm[-1]}") MB"
    stop_server
    rm -rf "$work/empty-$run"
done
start_spc=$(median "${spc_ms[@]}")
start_users=$(median "${users_ms[@]}")
rss_idle=$(mb "$(median "${idle_rss[@]}")")
row "start-up, empty data dir: exec → first 200 \`GET /ServiceProviderConfig\` (median of $starts; all: ${spc_ms[*]})" "$start_spc ms" "≤ 150 ms" "$(met_le "$start_spc" 150)"
row "start-up, empty data dir: exec → first 200 \`GET /Users\` of the first tenant (median of $starts; all: ${users_ms[*]})" "$start_users ms" "≤ 150 ms" "$(met_le "$start_users" 150)"
row "RSS idle after those two requests + 1 s (median of $starts; VmHWM $(mb "$(median "${idle_hwm[@]}")") MB)" "$rss_idle MB" "< 50 MB" "$(met_lt "$rss_idle" 50)"

# --- 3. the big tenant -------------------------------------------------------------------
users_label=$(sed ':a; s/\B[0-9]\{3\}\>/,&/; ta' <<<"$big_users")
big_target() { # the 400 MB target is for 100,000 users
    if ((big_users == 100000)); then echo "< 400 MB"; else echo "(< 400 MB at 100,000)"; fi
}
big_met() { if ((big_users == 100000)); then met_lt "$1" 400; else echo "n/a"; fi; }
big_dir="$work/big"
start_server "$big_dir"
wait_status "$(scim default)/ServiceProviderConfig" - 10
default_token=$token
create_tenant big
big_token=$tenant_token
log "seeding $users_label users into tenant 'big' through POST /Bulk (1,000 per request)"
stamp; t=$now
seed big "$big_token" "$big_users"
seed_s=$(since_s "$t")
get big "$big_token" "/Users?count=1"
[[ $http_status == 200 ]] || die "GET /Users on big answered $http_status"
grep -q "\"totalResults\":${big_users}[,}]" "$work/get.out" || die "big holds $(grep -o '"totalResults":[0-9]*' "$work/get.out"), not $big_users users"
pause 1
measure big-seeded
rss_seeded=$rss_mb
log "seeded in $seed_s s; VmRSS $rss_seeded MB"
row "seed $users_label users through \`POST /Bulk\` (1,000 per request, no passwords)" "$seed_s s" "—" ""
row "RSS with the $users_label-user tenant open, just seeded" "$rss_seeded MB" "$(big_target)" "$(big_met "$rss_seeded")"
# The server compacts its heap once it has been idle for a moment after a burst (IdleCompaction,
# every 2 s): what the tenant costs when it is open and quiet, rather than mid-burst.
pause 5
measure big-settled
rss_settled=$rss_mb
row "RSS with the $users_label-user tenant open, 6 s after seeding (idle)" "$rss_settled MB" "$(big_target)" "$(big_met "$rss_settled")"

# queries: a seek and a scan, 3 times each; medians of curl's time_total
seek_q="/Users?filter=userName%20eq%20%22USER$((big_users / 2))%40EXAMPLE.COM%22"
scan_q="/Users?filter=displayName%20co%20%22Garcia%2012%22&count=100"
run_queries() {
    local q times=() what=$1
    for q in "$seek_q" "$scan_q"; do
        times=()
        for _ in 1 2 3; do
            get big "$big_token" "$q" 60
            [[ $http_status == 200 ]] || die "$q answered $http_status"
            times+=("$(awk -v s="$seconds" 'BEGIN { printf "%.1f", s * 1000 }')")
        done
        if [[ $q == "$seek_q" ]]; then seek_ms=$(median "${times[@]}"); else scan_ms=$(median "${times[@]}"); fi
    done
    pause 1
    measure "$2"
    rss_queried=$rss_mb
    log "$what: userName eq $seek_ms ms, displayName co $scan_ms ms; VmRSS $rss_queried MB"
}
run_queries "queries after seeding" big-seeded-queried
row "RSS after 3 \`userName eq\` seeks and 3 \`displayName co\` scans (${seek_ms} ms and ${scan_ms} ms each, curl, median)" "$rss_queried MB" "$(big_target)" "$(big_met "$rss_queried")"
stop_server

# restart on the existing data directory: the process answers (default tenant), then the first
# request to the big tenant opens it and loads its read model.
answers_ms=()
for ((run = 1; run <= starts; run++)); do
    start_server "$big_dir"
    wait_status "$(scim default)/ServiceProviderConfig" "$default_token" 10
    answers_ms+=("$(ms "$answered_us")")
    if ((run < starts)); then stop_server; fi
done
start_existing=$(median "${answers_ms[@]}")
log "restarts with the big tenant on disk: the process answers in ${answers_ms[*]} ms"
row "start-up, data dir with the $users_label-user tenant: exec → first 200 of the (small) default tenant (median of $starts; all: ${answers_ms[*]})" "$start_existing ms" "≤ 150 ms" "$(met_le "$start_existing" 150)"
get big "$big_token" "/Users?count=1" 300
[[ $http_status == 200 ]] || die "the first GET /Users on big after the restart answered ${http_status:-nothing}"
first_big_s=$(since_s "$started_us" %.2f)
load_s=$(awk -v s="$seconds" 'BEGIN { printf "%.2f", s }')
pause 1
measure big-loaded
rss_loaded=$rss_mb
log "first request to big after the restart: $load_s s (exec → answer $first_big_s s); VmRSS $rss_loaded MB"
row "restart: first request to the $users_label-user tenant (opens the file, loads the read model; exec → answer $first_big_s s)" "$load_s s" "—" ""
row "RSS after that restart and first request" "$rss_loaded MB" "$(big_target)" "$(big_met "$rss_loaded")"
run_queries "queries after the restart" big-loaded-queried
hwm_big=$hwm_mb
row "RSS after the restart, the first request and the same queries (${seek_ms} ms and ${scan_ms} ms; VmHWM $hwm_big MB)" "$rss_queried MB" "$(big_target)" "$(big_met "$rss_queried")"
stop_server
rm -rf "$big_dir"

# --- 4. many tenants ---------------------------------------------------------------------
many_dir="$work/many"
start_server "$many_dir"
wait_status "$(scim default)/ServiceProviderConfig" - 10
default_token=$token
names=() tokens=()
log "creating $tenants tenants with \`fastscim tenant create\` (admin socket)"
stamp; t=$now
for ((i = 1; i <= tenants; i++)); do
    names+=("$(printf 't%05d' "$i")")
    create_tenant "${names[-1]}"
    tokens+=("$tenant_token")
done
create_s=$(since_s "$t")
create_each=$(awk -v s="$create_s" -v n="$tenants" 'BEGIN { printf "%.1f", s * 1000 / n }')
log "created in $create_s s ($create_each ms each); seeding $tenant_users users into each"
stamp; t=$now
for ((i = 0; i < tenants; i++)); do
    seed "${names[i]}" "${tokens[i]}" "$tenant_users"
done
seed_many_s=$(since_s "$t")
pause 1
measure many-seeded
rss_seeded_many=$rss_mb
log "seeded in $seed_many_s s; VmRSS $rss_seeded_many MB"
row "create $tenants tenants with \`fastscim tenant create\` while the server runs" "$create_s s ($create_each ms each)" "—" ""
row "seed $tenant_users users into each, one \`POST /Bulk\` per tenant" "$seed_many_s s" "—" ""
row "RSS just after that seeding (every tenant written to once, LRU of $open_tenant_limit open)" "$rss_seeded_many MB" "—" ""

# Touch every tenant in order (GET /Users?count=1), in steps of the LRU's capacity, and read
# VmRSS after each step: once the LRU is full, RSS should stay flat.
touch_rss=()
for ((from = 0; from < tenants; from += open_tenant_limit)); do
    : >"$work/touch.cfg"
    for ((i = from; i < tenants && i < from + open_tenant_limit; i++)); do
        batch_entry "${names[i]}" "${tokens[i]}" "/Users?count=1" >>"$work/touch.cfg"
    done
    curl_batch "$work/touch.cfg" >"$work/touch.out"
    check_batch "$work/touch.out" "touching tenants $((from + 1))..$i" $((i - from))
    pause 1
    measure "many-touched-$i"
    touch_rss+=("$i:$rss_mb")
done
rss_touched=${touch_rss[-1]#*:}
hwm_many=$hwm_mb
log "VmRSS after touching n tenants (n:MB): ${touch_rss[*]}; VmHWM $hwm_many MB"
if ((tenants > open_tenant_limit)); then
    rss_full=${touch_rss[0]#*:}
    bounded=$(awk -v a="$rss_full" -v b="$rss_touched" 'BEGIN { print (b <= a * 1.25 ? "yes" : "**no**") }')
    bound_target="flat once the LRU is full: ≤ 1.25 × RSS at $open_tenant_limit tenants"
else
    bounded="n/a"
    bound_target="(the LRU of $open_tenant_limit never fills at $tenants tenants)"
fi
row "RSS after touching all $tenants tenants of $tenant_users users, LRU of $open_tenant_limit open (after n tenants, n:MB: ${touch_rss[*]}; VmHWM $hwm_many MB)" "$rss_touched MB" "$bound_target" "$bounded"

# timed_requests KEY FIRST N WHAT: one GET /Users?count=1 in each of the tenants FIRST … FIRST+N-1
# over one kept-alive curl, every answer checked; sets med_ms and max_ms (curl time_total).
timed_requests() {
    local key=$1 first=$2 n=$3 what=$4 i
    local -a times
    : >"$work/$key.cfg"
    for ((i = first; i < first + n; i++)); do
        batch_entry "${names[i]}" "${tokens[i]}" "/Users?count=1" >>"$work/$key.cfg"
    done
    curl_batch "$work/$key.cfg" >"$work/$key.out"
    check_batch "$work/$key.out" "$what" "$n"
    mapfile -t times < <(batch_ms "$work/$key.out")
    med_ms=$(median "${times[@]}")
    max_ms=$(maximum "${times[@]}")
    log "$what: median $med_ms ms, max $max_ms ms"
}

# Warm: the most recently touched tenants. Cold: the first ones, evicted from the LRU when
# there are more tenants than it holds.
warm_n=$((samples < tenants ? samples : tenants))
timed_requests warm $((tenants - warm_n)) "$warm_n" "warm requests"
warm_med=$med_ms
warm_max=$max_ms
row "warm request (\`GET /Users?count=1\`, $warm_n most recently used tenants; curl time_total, kept-alive connection) median / max" "$warm_med / $warm_max ms" "—" ""

if ((tenants >= open_tenant_limit + samples)); then
    timed_requests cold 0 "$samples" "cold requests (evicted)"
    cold_med=$med_ms
    cold_max=$max_ms
    row "cold request: a tenant evicted from the LRU ($samples tenants, each opened again) median / max" "$cold_med / $cold_max ms" "≤ 50 ms" "$(met_le "$cold_max" 50) (max), $(met_le "$cold_med" 50) (median)"
else
    row "cold request: a tenant evicted from the LRU" "not measured" "≤ 50 ms" "n/a (needs ≥ $((open_tenant_limit + samples)) tenants)"
fi
stop_server

# Cold after a restart: no tenant is open; after one request to the default tenant, the first
# request to each of $samples tenants opens it.
start_server "$many_dir"
wait_status "$(scim default)/ServiceProviderConfig" "$default_token" 10
restart_n=$((samples < tenants ? samples : tenants))
timed_requests restart $((tenants - restart_n)) "$restart_n" "first requests after the restart"
cold_restart_med=$med_ms
cold_restart_max=$max_ms
row "cold request: first request to each of $restart_n tenants after a restart, median / max" "$cold_restart_med / $cold_restart_max ms" "≤ 50 ms" "$(met_le "$cold_restart_max" 50) (max), $(met_le "$cold_restart_med" 50) (median)"
stop_server

load_after=$(cut -d ' ' -f 1-3 /proc/loadavg)

# --- 5. the table ------------------------------------------------------------------------
commit=$(git rev-parse --short HEAD)
[[ -z $(git status --porcelain --untracked-files=no) ]] || commit="$commit-dirty"
table=$(
    echo "| measure | value | target | met? |"
    echo "|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
)
echo
echo "$table"
echo
log "load average before $load_before, after $load_after"

if [[ $record == 1 ]]; then
    {
        echo
        echo "### $(date -u +%F) — Start-up, memory and scale (issue 7 item 5), commit $commit"
        echo
        echo "**What was run**: \`bash perf/scale/run.sh --users $big_users --tenants $tenants --tenant-users $tenant_users --starts $starts --samples $samples${server_cmd:+ --server $server_cmd}\`"
        if [[ -n $server_cmd ]]; then
            echo "(the server run by \`$server_cmd\`, **not** the native binary; data"
        else
            echo "(the native AOT binary \`artifacts/publish/FastScim/release_$rid/fastscim serve\`, data"
        fi
        echo "directories under \`/tmp\`; curl on the same machine)."
        echo
        echo "**The machine**: \`nproc\` = $(nproc), $(lscpu | sed -n 's/^Model name: *//p' | head -n 1),"
        echo "$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r), \`dotnet --version\` $(dotnet --version 2>/dev/null || echo '?')."
        echo "Load average (1, 5, 15 min) before: $load_before; after: $load_after. 1-minute load at each"
        echo "RSS reading: $(printf '%s, ' "${phase_loads[@]}" | sed 's/, $//')."
        echo
        echo "$table"
    } >>"$root/perf/RESULTS.md"
    log "appended to perf/RESULTS.md"
fi
