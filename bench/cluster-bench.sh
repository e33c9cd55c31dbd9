#!/usr/bin/env bash
# Messages across one route: a pair of nats-server 2.9.10 and a pair of bin/natsee-server, each
# pair clustered on 127.0.0.1 (B dials A), then ClusterBench (a raw-protocol publisher on A and
# subscriber on B, JDK only) runs interleaved A/B pairs of 16 B and 1 KiB and prints the median
# msgs/s of each pair and the median of the paired ratios natsee/nats-server (target >= 1.5).
# Then, for each server, the time for a fourth node seeded with only the first to join a
# three-node mesh (from its launch until a message published on the second node reaches a
# subscriber on it: process start-up included). jnats failover times come from the cluster
# contract tests (ClusterReferenceIT / ClusterNatseeIT print "[cluster] ... failover ... ms").
#
# Usage: flock /tmp/natsee-bench.lock bench/cluster-bench.sh     (about 1 minute with the defaults)
# Environment:
#   BASE_CMD   baseline server command (default: nats-server)
#   CAND_CMD   candidate server command (default: <repo>/bin/natsee-server)
#   PAIRS      measured A/B pairs per size (default 5)
#   SECONDS_PER_RUN  length of one measurement (default 1.5)
#   WARMUP     seconds each side runs a size before the measured pairs (default 3; was 0.5,
#              which measured a JVM still compiling its route path in the first pairs)
#   SIZES      comma-separated payload sizes (default 16,1024)
#   JOIN       1 to measure the join time, 0 to skip (default 1)
#   LIMIT      hard time limit in seconds for the load generator (default 600)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
base_cmd="${BASE_CMD:-nats-server}"
cand_cmd="${CAND_CMD:-$root/bin/natsee-server}"
pairs="${PAIRS:-5}"
seconds="${SECONDS_PER_RUN:-1.5}"
sizes="${SIZES:-16,1024}"
join="${JOIN:-1}"
limit="${LIMIT:-600}"
bench="$root/nats-broker-ear/broker-core/src/test/java/io/natsee/broker/bench/ClusterBench.java"

work="$(mktemp -d "${TMPDIR:-/tmp}/cluster-bench.XXXXXX")"
pids=()
stop_all() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
    pids=()
}
cleanup() {
    stop_all
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

used_ports=" "
free_port() {
    local port
    for _ in $(seq 100); do
        port=$((20000 + RANDOM % 40000))
        if [[ "$used_ports" != *" $port "* ]] && ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            used_ports="$used_ports$port "
            echo "$port"
            return
        fi
    done
    echo "no free port" >&2
    exit 1
}

start() { # name command client-port cluster-port routes -> pid in started_pid
    local name="$1" cmd="$2" port="$3" cport="$4" routes="$5"
    local extra=()
    if [[ -n "$routes" ]]; then extra=(--routes "$routes"); fi
    # shellcheck disable=SC2086
    $cmd -a 127.0.0.1 -p "$port" -n "$name" --cluster "nats://127.0.0.1:$cport" --cluster_name bench "${extra[@]}" \
        >"$work/$name.log" 2>&1 &
    started_pid=$!
    pids+=("$started_pid")
}

await_port() { # name port
    local name="$1" port="$2"
    for _ in $(seq 600); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return; fi
        sleep 0.05
    done
    echo "$name did not accept on 127.0.0.1:$port within 30 s" >&2
    cat "$work/$name.log" >&2
    exit 1
}

# Compiled once, so no measurement includes the source launcher's compilation.
javac -d "$work/classes" "$bench"

echo "baseline:  $base_cmd ($(${base_cmd} --version 2>/dev/null || echo '?'))"
echo "candidate: $cand_cmd"
echo "cpus: $(nproc), java: $(java -version 2>&1 | head -1)"

declare -A client cluster
for side in base cand; do
    cmd="$base_cmd"; [[ "$side" == cand ]] && cmd="$cand_cmd"
    for node in a b; do client[$side$node]="$(free_port)"; cluster[$side$node]="$(free_port)"; done
    start "$side-a" "$cmd" "${client[${side}a]}" "${cluster[${side}a]}" ""
    await_port "$side-a" "${client[${side}a]}"
    start "$side-b" "$cmd" "${client[${side}b]}" "${cluster[${side}b]}" "nats://127.0.0.1:${cluster[${side}a]}"
    await_port "$side-b" "${client[${side}b]}"
done
status=0
timeout "$limit" java -cp "$work/classes" io.natsee.broker.bench.ClusterBench --a-pub "${client[basea]}" --a-sub "${client[baseb]}" --a-name nats-server \
    --b-pub "${client[canda]}" --b-sub "${client[candb]}" --b-name natsee \
    --pairs "$pairs" --seconds "$seconds" --warmup "${WARMUP:-3}" --sizes "$sizes" || status=$?
stop_all

if [[ "$join" == 1 ]]; then
    for side in base cand; do
        cmd="$base_cmd"; name=nats-server
        if [[ "$side" == cand ]]; then cmd="$cand_cmd"; name=natsee; fi
        for node in a b c d; do client[$side$node]="$(free_port)"; cluster[$side$node]="$(free_port)"; done
        seed="nats://127.0.0.1:${cluster[${side}a]}"
        start "$side-a" "$cmd" "${client[${side}a]}" "${cluster[${side}a]}" ""
        start "$side-b" "$cmd" "${client[${side}b]}" "${cluster[${side}b]}" "$seed"
        start "$side-c" "$cmd" "${client[${side}c]}" "${cluster[${side}c]}" "$seed"
        for node in a b c; do await_port "$side-$node" "${client[$side$node]}"; done
        # The mesh is up when C hears B.
        timeout 60 java -cp "$work/classes" io.natsee.broker.bench.ClusterBench --join-pub "${client[${side}b]}" --join-sub "${client[${side}c]}" >/dev/null
        launched="$(date +%s%3N)"
        start "$side-d" "$cmd" "${client[${side}d]}" "${cluster[${side}d]}" "$seed"
        ms="$(timeout 60 java -cp "$work/classes" io.natsee.broker.bench.ClusterBench --join-pub "${client[${side}b]}" --join-sub "${client[${side}d]}" --timeout 30 \
            --since "$launched")" || status=$?
        echo "join of a 4th node seeded with one peer ($name): ${ms} ms from its launch to B->D delivery (its start-up included)"
        stop_all
    done
fi
exit "$status"
