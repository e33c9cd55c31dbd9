#!/usr/bin/env bash
# The streaming benchmark: the Java streaming client io.nats:java-nats-streaming 2.2.3 against
# bin/natsee-streaming (side-car broker, bound to 127.0.0.1), once with the memory store and once
# with the file store (--file_sync=true, one fsync per flush, the default). For each store:
# acknowledged async publishes per second (200k messages after a warm-up of WARMUP messages that
# lets the JIT compile the client and the server, 16 B and 1 KiB, the median of RUNS runs, each run the messages divided by the time until the last ack), the sync
# round trip (blocking publishes one at a time), the delivery rate to a new durable subscriber
# reading 200k stored messages, and the server's resident memory (VmRSS and peak VmHWM).
# Then the client's own ceiling: the same async runs against a stand-in that acknowledges every
# publish without storing anything (AckOnlyServer, behind the same side-car broker).
# The last line is `acked publishes/s: N`, N being the file store's 16-byte async median.
#
# Usage: bench/streaming-bench.sh        (a few minutes; hold the benchmark lock while it runs)
# Environment:
#   COUNT    messages per measured run (default 200000)
#   RUNS     async runs per payload size (default 5)
#   WARMUP   async 16-byte publishes before the measured runs (default 100000)
#   STORES   which stores, comma-separated MEMORY,FILE,SQL (default MEMORY,FILE)
#   SQL_DRIVER, SQL_SOURCE  the SQL store's --sql_driver (default postgres) and --sql_source; without
#            SQL_SOURCE a throw-away PostgreSQL database is created with createdb/dropdb as PGUSER
#            (default natsee, PGPASSWORD natsee, PGHOST 127.0.0.1) and dropped at the end
#   STANDIN  1 also measures the stand-in (default 1)
#   BUILD    1 builds the jar and the benchmark classes first (default: only when missing)
#   NATSEE_JAVA_OPTS  JVM options of the server (default: ParallelGC, -Xmx3g: the memory store keeps
#            every run's messages, about 1.3 GB with the defaults, on the heap)
set -euo pipefail

export NATSEE_JAVA_OPTS="${NATSEE_JAVA_OPTS:--XX:+UseParallelGC -Xms64m -Xmx3g -XX:+ExitOnOutOfMemoryError}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
count="${COUNT:-200000}"
runs="${RUNS:-5}"
warmup="${WARMUP:-100000}"
stores="${STORES:-MEMORY,FILE}"
standin="${STANDIN:-1}"
compat="$root/streaming-ejb/streaming-compat-tests"
jar="$root/streaming-ejb/streaming-core/target/natsee-streaming.jar"
classes="$compat/target/test-classes"
classpath_file="$compat/target/bench.classpath"

if [[ "${BUILD:-0}" == "1" || ! -f "$jar" || ! -f "$classes/io/natsee/streaming/compat/bench/StreamingBench.class" \
        || ! -f "$classpath_file" ]]; then
    echo "building the server jar and the benchmark client" >&2
    (cd "$root" && mvn -o -q -pl streaming-ejb/streaming-compat-tests -am package dependency:build-classpath \
        -DskipTests -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=test \
        -DexcludeArtifactIds=streaming-core) >&2
fi
client_cp="$classes:$(cat "$classpath_file")"
java="java"
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    java="$JAVA_HOME/bin/java"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/streaming-bench.XXXXXX")"
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
    if [[ -n "${bench_db:-}" ]]; then
        dropdb --if-exists "$bench_db" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_for FILE TEXT: waits up to 30 s for TEXT to appear in FILE.
wait_for() {
    for _ in $(seq 300); do
        if grep -q "$2" "$1" 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    echo "timed out waiting for '$2' in $1:" >&2
    cat "$1" >&2
    return 1
}

# start_server NAME ARGS...: starts bin/natsee-streaming, sets server_pid and server_url.
start_server() {
    local name="$1"
    shift
    local port
    port="$(free_port)"
    "$root/bin/natsee-streaming" -a 127.0.0.1 -p "$port" "$@" >"$work/$name.log" 2>&1 &
    server_pid=$!
    pids+=("$server_pid")
    server_url="nats://127.0.0.1:$port"
    wait_for "$work/$name.log" "Streaming Server is ready"
}

stop_server() {
    kill "$1" 2>/dev/null || true
    for _ in $(seq 100); do
        kill -0 "$1" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -9 "$1" 2>/dev/null || true
}

rss_kib() {
    awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"
}

value() {
    awk -F= -v key="$2" '$1 == key { print $2 }' "$1"
}

declare -A result
IFS=',' read -r -a store_list <<<"$stores"
for store in "${store_list[@]}"; do
    case "$store" in
        MEMORY) start_server memory -cid bench ;;
        FILE) mkdir -p "$work/data"; start_server file -cid bench -st FILE --dir "$work/data" --file_sync=true ;;
        SQL)
            source="${SQL_SOURCE:-}"
            if [[ -z "$source" ]]; then
                export PGUSER="${PGUSER:-natsee}" PGPASSWORD="${PGPASSWORD:-natsee}" PGHOST="${PGHOST:-127.0.0.1}"
                bench_db="natsee_bench_$$"
                createdb "$bench_db"
                source="host=$PGHOST port=${PGPORT:-5432} dbname=$bench_db user=$PGUSER password=$PGPASSWORD sslmode=disable"
            fi
            start_server sql -cid bench -st SQL --sql_driver "${SQL_DRIVER:-postgres}" --sql_source "$source" ;;
        *) echo "unknown store $store" >&2; exit 1 ;;
    esac
    echo "== $store store ($count messages per run, $runs runs)" >&2
    "$java" -Xmx512m -cp "$client_cp" io.natsee.streaming.compat.bench.StreamingBench --url "$server_url" \
        --cluster bench --count "$count" --runs "$runs" --warmup "$warmup" | tee "$work/$store.out" >&2
    result[$store,rss]="$(( $(rss_kib "$server_pid" VmRSS) / 1024 ))"
    result[$store,hwm]="$(( $(rss_kib "$server_pid" VmHWM) / 1024 ))"
    for key in async_16 async_1024 async_16_runs async_1024_runs sync_round_trip_us sync_per_second deliver_durable; do
        result[$store,$key]="$(value "$work/$store.out" "$key")"
    done
    stop_server "$server_pid"
done

if [[ "$standin" == "1" ]]; then
    start_server broker -cid broker-only
    "$java" -Xmx256m -cp "$client_cp" io.natsee.streaming.compat.bench.AckOnlyServer "$server_url" standin \
        >"$work/standin.log" 2>&1 &
    pids+=("$!")
    wait_for "$work/standin.log" "ready"
    echo "== stand-in (acks without storing)" >&2
    "$java" -Xmx512m -cp "$client_cp" io.natsee.streaming.compat.bench.StreamingBench --url "$server_url" \
        --cluster standin --count "$count" --runs "$runs" --warmup "$warmup" --phases async | tee "$work/standin.out" >&2
    result[STANDIN,async_16]="$(value "$work/standin.out" async_16)"
    result[STANDIN,async_1024]="$(value "$work/standin.out" async_1024)"
    result[STANDIN,async_16_runs]="$(value "$work/standin.out" async_16_runs)"
fi

printf '\n| store | async 16 B acked/s | async 1 KiB acked/s | sync round trip | durable delivery/s | RSS (peak) |\n'
printf '|---|---|---|---|---|---|\n'
for store in "${store_list[@]}"; do
    printf '| %s | %s %s | %s | %s us (%s/s) | %s | %s MiB (%s MiB) |\n' "$store" \
        "${result[$store,async_16]}" "${result[$store,async_16_runs]}" "${result[$store,async_1024]}" \
        "${result[$store,sync_round_trip_us]}" "${result[$store,sync_per_second]}" \
        "${result[$store,deliver_durable]}" "${result[$store,rss]}" "${result[$store,hwm]}"
done
if [[ "$standin" == "1" ]]; then
    printf '| stand-in (no store) | %s %s | %s | - | - | - |\n' "${result[STANDIN,async_16]}" \
        "${result[STANDIN,async_16_runs]}" "${result[STANDIN,async_1024]}"
fi
final="${result[FILE,async_16]:-${result[MEMORY,async_16]:-0}}"
echo "acked publishes/s: $final"
