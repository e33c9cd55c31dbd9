#!/usr/bin/env bash
# footprint.sh - the broker's footprint beside nats-server's, in one table:
#   start     start to a listening client port (median of START_RUNS starts, each stopped by pid)
#   idle      RSS of a fresh server after SETTLE seconds with no client
#   peak      peak RSS (VmHWM) under the shared benchmark (compare.sh, quick form by default),
#             which starts both servers itself and reads it before stopping them
#   N conns   bytes of RSS per idle connection with N connections open (each sent CONNECT and
#             one SUB) and the connection set-up rate (bench/idle-connections.sh)
#
#   bench/footprint.sh                                  # all four, 10,000 idle connections
#   N=2000 LOAD="--quick --specs pub:16,pubsub:1024" bench/footprint.sh
#   SKIP=peak bench/footprint.sh                        # any of start,idle,peak,conns
#
# Environment: CAND_CMD (default: <repo>/bin/natsee-server), BASE_CMD (nats-server),
# COMPARE_SH (the shared benchmark driver; default <repo>/../shared/bench/compare.sh; it needs a
# writable copy when its load generator is not built yet), LOAD (its options, default --quick),
# START_RUNS (5), SETTLE (3), N (10000). Servers listen on free 127.0.0.1 ports only and are
# stopped by pid (TERM, then KILL after 10 s) when this script ends, whatever way it ends.
# Needs python3 and, for N connections, an open-files limit above N (raised here when allowed).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd -P)"
BASE_CMD="${BASE_CMD:-nats-server}"
CAND_CMD="${CAND_CMD:-$root/bin/natsee-server}"
COMPARE_SH="${COMPARE_SH:-$root/../shared/bench/compare.sh}"
LOAD="${LOAD:---quick}"
START_RUNS="${START_RUNS:-5}"
SETTLE="${SETTLE:-3}"
N="${N:-10000}"
SKIP="${SKIP:-}"
export N SETTLE

case "$START_RUNS$SETTLE$N" in ''|*[!0-9]*) echo "footprint: START_RUNS, SETTLE and N want whole numbers" >&2; exit 2 ;; esac
if (( START_RUNS < 1 || START_RUNS > 50 || SETTLE > 60 || N > 60000 )); then
    echo "footprint: START_RUNS must be 1..50, SETTLE at most 60, N at most 60000" >&2
    exit 2
fi

skipped() { [[ ",$SKIP," == *",$1,"* ]]; }

server_pid=""
stop_server() {
    local pid=$server_pid
    server_pid=""
    [[ -n "$pid" ]] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
trap stop_server EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Starts "$1 -a 127.0.0.1 -p PORT"; sets server_pid, and started_ms to the milliseconds until the port accepts.
start_server() {
    local cmd=$1 port start_ns deadline
    port=$(free_port)
    start_ns=$(date +%s%N)
    # shellcheck disable=SC2086
    $cmd -a 127.0.0.1 -p "$port" >/dev/null 2>&1 &
    server_pid=$!
    deadline=$((SECONDS + 60))
    until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
        if (( SECONDS > deadline )) || ! kill -0 "$server_pid" 2>/dev/null; then
            echo "footprint: $cmd does not listen on $port" >&2
            return 1
        fi
        sleep 0.005
    done
    started_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
}

median() {
    tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

rss_kib() {
    awk '/^VmRSS:/ {print $2}' "/proc/$1/status"
}

declare -A result
for side in baseline candidate; do
    if [[ $side == baseline ]]; then cmd=$BASE_CMD; else cmd=$CAND_CMD; fi
    result[$side,start]="-"
    result[$side,idle]="-"
    if ! skipped start; then
        # One start first, not counted: builds the jar or records the class-data archive if needed.
        start_server "$cmd"
        stop_server
        times=""
        for _ in $(seq "$START_RUNS"); do
            start_server "$cmd"
            times="$times $started_ms"
            stop_server
        done
        result[$side,start]="$(echo "$times" | median)"
        echo "footprint: $side start-to-listening ms:$times" >&2
    fi
    if ! skipped idle; then
        start_server "$cmd"
        sleep "$SETTLE"
        result[$side,idle]="$(rss_kib "$server_pid")"
        stop_server
    fi
done

result[baseline,peak]="-"
result[candidate,peak]="-"
if ! skipped peak; then
    out="$(mktemp)"
    # Up to three tries: compare.sh picks its ports at random, and on a busy machine one may be
    # taken between its check and the server's bind.
    for try in 1 2 3; do
        # shellcheck disable=SC2086
        if CAND_CMD="$CAND_CMD" BASE_CMD="$BASE_CMD" "$COMPARE_SH" $LOAD --out "$out" >&2; then
            break
        fi
        echo "footprint: the load run failed (try $try of 3)" >&2
        grep -q '"server":"cand".*"vmhwm_kb"' "$out" 2>/dev/null && break
    done
    for side in baseline candidate; do
        # The highest VmHWM over the rounds; compare.sh labels the servers base and cand.
        label=${side:0:4}
        result[$side,peak]="$( (grep '"type":"rss"' "$out" || true) | (grep "\"server\":\"$label\"" || true) |
            sed 's/.*"vmhwm_kb":\([0-9]*\).*/\1/' | sort -n | tail -1)"
        result[$side,peak]="${result[$side,peak]:--}"
    done
    rm -f "$out"
fi

for k in per rate; do result[baseline,$k]="-"; result[candidate,$k]="-"; done
if ! skipped conns; then
    conns="$(CAND_CMD="$CAND_CMD" BASE_CMD="$BASE_CMD" "$here/idle-connections.sh")"
    echo "$conns" >&2
    for side in baseline candidate; do
        line="$(echo "$conns" | grep "^$side " || true)"
        [[ -n "$line" ]] || continue
        result[$side,per]="$(echo "$line" | sed 's/.*per conn *\([0-9-]*\) B.*/\1/')"
        result[$side,rate]="$(echo "$line" | sed 's/.*setup *\([0-9]*\) conn\/s.*/\1/')"
    done
fi

mib() { [[ "$1" == "-" ]] && echo "-" || awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
ratio() { [[ "$1" == "-" || "$2" == "-" ]] && echo "-" || awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b == 0) ? 0 : a / b }'; }

echo
echo "footprint: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  base: $BASE_CMD"
echo "  cand: $CAND_CMD"
printf '%-34s %12s %12s %10s\n' "" candidate baseline cand/base
printf '%-34s %12s %12s %10s\n' "start to listening (ms, median)" "${result[candidate,start]}" "${result[baseline,start]}" \
    "$(ratio "${result[candidate,start]}" "${result[baseline,start]}")"
printf '%-34s %12s %12s %10s\n' "idle RSS (MiB)" "$(mib "${result[candidate,idle]}")" "$(mib "${result[baseline,idle]}")" \
    "$(ratio "${result[candidate,idle]}" "${result[baseline,idle]}")"
printf '%-34s %12s %12s %10s\n' "peak RSS under load (MiB)" "$(mib "${result[candidate,peak]}")" "$(mib "${result[baseline,peak]}")" \
    "$(ratio "${result[candidate,peak]}" "${result[baseline,peak]}")"
printf '%-34s %12s %12s %10s\n' "RSS per idle conn, N=$N (bytes)" "${result[candidate,per]}" "${result[baseline,per]}" \
    "$(ratio "${result[candidate,per]}" "${result[baseline,per]}")"
printf '%-34s %12s %12s %10s\n' "connection set-up (conns/s)" "${result[candidate,rate]}" "${result[baseline,rate]}" \
    "$(ratio "${result[candidate,rate]}" "${result[baseline,rate]}")"
