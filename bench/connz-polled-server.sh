#!/usr/bin/env bash
# bin/natsee-server with its monitoring port on a free loopback port and /connz?subs=1 read ten
# times a second for as long as the server runs: the candidate of bench/monitoring-cost.sh.
# Takes the same arguments as bin/natsee-server (compare.sh passes -a 127.0.0.1 -p PORT).
# The poller uses only bash built-ins (no process per request), so what it costs the machine is
# the server's answering, not a curl start-up. It stops by itself when the server exits.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
interval="${POLL_INTERVAL:-0.1}"
query="${POLL_QUERY:-/connz?subs=1}"

monitor_port=""
for _ in $(seq 100); do
    candidate=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
        monitor_port="$candidate"
        break
    fi
done
[[ -n "$monitor_port" ]] || { echo "no free monitoring port" >&2; exit 1; }

server_pid=$$
(
    # A pipe held open at both ends: read -t on it is a sleep without a process.
    exec {pause}<> <(:)
    polls=0
    while kill -0 "$server_pid" 2>/dev/null; do
        if { exec 3<>"/dev/tcp/127.0.0.1/$monitor_port"; } 2>/dev/null; then
            printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$query" >&3
            while IFS= read -r -u 3 _; do :; done
            exec 3>&-
            polls=$((polls + 1))
        fi
        read -r -t "$interval" -u "$pause" _ || true
    done
    echo "connz poller: $polls requests" >&2
) &

exec "$root/bin/natsee-server" "$@" -m "$monitor_port"
