#!/usr/bin/env bash
# TLS on both sides: nats-server and bin/natsee-server started with the same freshly generated
# certificates (--tls --tlscert --tlskey, bound to 127.0.0.1 only), then TlsBench (a JDK TLS
# client with TLS_AES_128_GCM_SHA256 forced, see its javadoc) runs interleaved A/B pairs of
# pubsub 16 B, pubsub 1 KiB and pub 16 B and prints the median msgs/s of each and the median of
# the paired ratios natsee/nats-server.
#
# Usage: bench/tls-compare.sh            (about 2 minutes with the defaults)
# Environment:
#   BASE_CMD   baseline server command (default: nats-server)
#   CAND_CMD   candidate server command (default: <repo>/bin/natsee-server)
#   PAIRS      measured A/B pairs per workload (default 7)
#   SECONDS_PER_RUN  length of one measurement (default 1.5)
#   WORKLOADS  comma-separated kind:size (default pubsub:16,pubsub:1024,pub:16)
#   ROUNDS     rounds, each with freshly started servers (default 1)
#   LIMIT      hard time limit in seconds for each round's load generator (default 600)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
base_cmd="${BASE_CMD:-nats-server}"
cand_cmd="${CAND_CMD:-$root/bin/natsee-server}"
pairs="${PAIRS:-7}"
seconds="${SECONDS_PER_RUN:-1.5}"
workloads="${WORKLOADS:-pubsub:16,pubsub:1024,pub:16}"
rounds="${ROUNDS:-1}"
limit="${LIMIT:-600}"
bench="$root/nats-broker-ear/broker-core/src/test/java/io/natsee/broker/bench/TlsBench.java"

work="$(mktemp -d "${TMPDIR:-/tmp}/tls-compare.XXXXXX")"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A throw-away CA and a server certificate for 127.0.0.1 and localhost (EC P-256).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj "/CN=tls-compare CA" \
    -keyout "$work/ca-key.pem" -out "$work/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
    -keyout "$work/server-key.pem" -out "$work/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > "$work/server.ext"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca-key.pem" -CAcreateserial \
    -days 1 -extfile "$work/server.ext" -out "$work/server-cert.pem" 2>/dev/null

free_port() {
    local port
    for _ in $(seq 100); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    echo "no free port" >&2
    exit 1
}

start() { # name command port -> pid in started_pid
    local name="$1" cmd="$2" port="$3"
    # shellcheck disable=SC2086
    $cmd -a 127.0.0.1 -p "$port" --tls --tlscert "$work/server-cert.pem" --tlskey "$work/server-key.pem" \
        >"$work/$name.log" 2>&1 &
    started_pid=$!
    pids+=("$started_pid")
    for _ in $(seq 600); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            return
        fi
        if ! kill -0 "$started_pid" 2>/dev/null; then
            echo "$name exited:" >&2
            cat "$work/$name.log" >&2
            exit 1
        fi
        sleep 0.1
    done
    echo "$name did not accept on 127.0.0.1:$port within 60 s" >&2
    exit 1
}

echo "baseline:  $base_cmd ($(${base_cmd} --version 2>/dev/null || echo '?'))"
echo "candidate: $cand_cmd"
echo "cpus: $(nproc), java: $(java -version 2>&1 | head -1)"
status=0
for round in $(seq "$rounds"); do
    base_port="$(free_port)"
    cand_port="$(free_port)"
    while [[ "$cand_port" == "$base_port" ]]; do cand_port="$(free_port)"; done
    start nats-server "$base_cmd" "$base_port"
    start natsee "$cand_cmd" "$cand_port"
    echo "round $round/$rounds"
    timeout "$limit" java "$bench" --ca "$work/ca.pem" \
        --a-port "$base_port" --a-name nats-server --b-port "$cand_port" --b-name natsee \
        --pairs "$pairs" --seconds "$seconds" --workloads "$workloads" || status=$?
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
    pids=()
done
exit "$status"
