# Sourced by perf/profile/native.sh and perf/load/alternate.sh: a native FastScim on 127.0.0.1
# with a fresh data directory and users created for a workload to read, patch or page over.
#
#   start_seeded_server BINARY WORK NAME
#
# Starts `BINARY serve` on port 0 with WORK/data, waits (bounded) for its URL and the default
# tenant's token, creates users with POST /Users for 3 s (users-post.lua) and writes 200 of their
# ids (FASTSCIM_SEED_IDS of them, when set) to WORK/ids.txt. Sets `server` (the pid), `url` and `token`, and exports what the wrk scripts
# read (FASTSCIM_TOKEN, FASTSCIM_LOAD_DIR, FASTSCIM_USERS, FASTSCIM_IDS, and FASTSCIM_RUN: a run
# name of its own for the workload, since the seeding's userNames would make its POSTs 409s).
# Returns non-zero, saying why with NAME, when the server does not start or seeding fails; the
# caller stops `server`. Needs wrk, curl and jq.
start_seeded_server() {
    local bin=$1 dir=$2 name=$3
    mkdir -p "$dir/data"
    "$bin" serve --urls http://127.0.0.1:0 --data "$dir/data" >"$dir/out.txt" 2>"$dir/err.txt" </dev/null &
    server=$!
    url=""
    for _ in $(seq 100); do
        url=$(sed -n 's/^FastScim is serving SCIM 2.0 on \(http:\/\/127\.0\.0\.1:[0-9]*\).*$/\1/p' "$dir/out.txt" | head -n 1)
        [[ -n $url ]] && break
        kill -0 "$server" 2>/dev/null || { cat "$dir/err.txt" >&2; return 1; }
        sleep 0.1
    done
    [[ -n $url ]] || { echo "$name: $bin did not start" >&2; return 1; }
    token=$(sed -n 's/^ *Bearer token: *\(scim_[A-Za-z0-9_-]*\).*$/\1/p' "$dir/out.txt")
    export FASTSCIM_TOKEN=$token FASTSCIM_LOAD_DIR=$PWD/perf/load FASTSCIM_RUN=seed$$ FASTSCIM_USERS=${FASTSCIM_USERS:-10000} FASTSCIM_IDS=$dir/ids.txt
    timeout 60 wrk -t2 -c32 -d3s -s perf/load/users-post.lua "$url" >/dev/null 2>&1
    # FASTSCIM_SEED_IDS (default 200, from the 5,000th user on): how many users the workload spreads
    # over. A few hot ones (the default) keep PATCH's superseded log records simply deleted; all of
    # them, as the load test's PATCH, make the writer compact its log as it goes.
    local want=${FASTSCIM_SEED_IDS:-200} start=5000 have=0 page got
    ((want > 200)) && start=1
    : >"$dir/ids.txt"
    while ((have < want)); do
        page=$((want - have > 200 ? 200 : want - have))
        got=$(curl -sf --max-time 10 -H "Authorization: Bearer $token" "$url/t/default/api/v1/scim/v2/Users?attributes=id&count=$page&startIndex=$start" |
            jq -r '.Resources[].id' | tee -a "$dir/ids.txt" | wc -l)
        have=$((have + got)) start=$((start + page))
        ((got == page)) || break # no more users
    done
    [[ -s $dir/ids.txt ]] || { echo "$name: could not read seeded ids" >&2; return 1; }
    export FASTSCIM_RUN=run$$
}
