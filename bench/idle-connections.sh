#!/usr/bin/env bash
# idle-connections.sh - memory per idle connection and connection set-up rate, ours beside
# nats-server. For each server: start it on a free 127.0.0.1 port, let it settle, read its
# RSS, open N client connections (each reads INFO, sends CONNECT, one SUB and a PING, and waits
# for the PONG), read the RSS again, close them all and read it a last time. Prints one line
# per server and the ratio lines.
#
#   bench/idle-connections.sh                 # 10,000 connections, ours and nats-server
#   N=2000 bench/idle-connections.sh
#   CAND_CMD="bin/natsee-server" BASE_CMD=nats-server bench/idle-connections.sh
#
# Needs python3 (the load generator: one asyncio process, no thread per connection) and an
# open-files limit above N for both processes (ulimit -n).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
N="${N:-10000}"
SETTLE="${SETTLE:-3}"
BASE_CMD="${BASE_CMD:-nats-server}"
CAND_CMD="${CAND_CMD:-$root/bin/natsee-server}"

if (( $(ulimit -n) < N + 100 )); then
    ulimit -n $((N + 200)) 2>/dev/null || { echo "idle-connections: open-files limit $(ulimit -n) is below N=$N" >&2; exit 1; }
fi

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

rss_kib() {
    awk '/^VmRSS:/ {print $2}' "/proc/$1/status"
}

hwm_kib() {
    awk '/^VmHWM:/ {print $2}' "/proc/$1/status"
}

wait_port() {
    local port=$1 deadline=$((SECONDS + 60))
    until python3 -c "import socket,sys; s=socket.create_connection(('127.0.0.1',$port),1); s.recv(1); s.close()" 2>/dev/null; do
        if (( SECONDS > deadline )); then
            echo "idle-connections: nothing listens on $port after 60 s" >&2
            return 1
        fi
        sleep 0.1
    done
}

# Opens N connections, holds them until stdin says "close", then closes them.
# Prints "setup_seconds" when all are subscribed and "closed" after closing.
loader='
import asyncio, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
async def one(i, conns, gate):
    async with gate:
        r, w = await asyncio.open_connection("127.0.0.1", port)
        line = await r.readline()
        if not line.startswith(b"INFO "):
            raise SystemExit("connection %d: expected INFO, got %r" % (i, line[:40]))
        w.write(b"CONNECT {\"verbose\":false,\"pedantic\":false,\"name\":\"idle\"}\r\nSUB idle.%d 1\r\nPING\r\n" % i)
        await w.drain()
        while True:
            line = await r.readline()
            if line == b"PONG\r\n":
                break
            if not line:
                raise SystemExit("connection %d closed by the server" % i)
        conns.append((r, w))
async def main():
    conns, gate = [], asyncio.Semaphore(200)
    start = time.monotonic()
    await asyncio.gather(*(one(i, conns, gate) for i in range(n)))
    print("%.3f" % (time.monotonic() - start), flush=True)
    async def answer(r, w):
        # Idle connections still answer the server'"'"'s keep-alive PINGs.
        try:
            while True:
                line = await r.readline()
                if not line:
                    return
                if line == b"PING\r\n":
                    w.write(b"PONG\r\n")
        except Exception:
            return
    tasks = [asyncio.create_task(answer(r, w)) for r, w in conns]
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    for t in tasks:
        t.cancel()
    for _, w in conns:
        w.close()
    print("closed", flush=True)
asyncio.run(main())
'

measure() {
    local label=$1 cmd=$2 port pid rss0 rss1 rss2 hwm setup
    port=$(free_port)
    local started=$SECONDS
    # shellcheck disable=SC2086
    $cmd -a 127.0.0.1 -p "$port" >/dev/null 2>&1 &
    pid=$!
    local start_ns; start_ns=$(date +%s%N)
    wait_port "$port"
    local start_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
    sleep "$SETTLE"
    rss0=$(rss_kib "$pid")
    coproc LOADER { python3 -c "$loader" "$port" "$N"; }
    read -r setup <&"${LOADER[0]}"
    sleep "$SETTLE"
    rss1=$(rss_kib "$pid")
    echo close >&"${LOADER[1]}"
    read -r _ <&"${LOADER[0]}"
    wait "$LOADER_PID" 2>/dev/null || true
    sleep "$SETTLE"
    rss2=$(rss_kib "$pid")
    hwm=$(hwm_kib "$pid")
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    local per=$(( (rss1 - rss0) * 1024 / N ))
    local rate; rate=$(python3 -c "print(round($N / max($setup, 0.001)))")
    printf '%-12s start %5d ms  idle %7d KiB  with %d conns %8d KiB  per conn %6d B  setup %7d conn/s  after close %7d KiB  peak %7d KiB\n' \
        "$label" "$start_ms" "$rss0" "$N" "$rss1" "$per" "$rate" "$rss2" "$hwm"
    eval "${label//-/_}_per=$per ${label//-/_}_rate=$rate ${label//-/_}_start=$start_ms"
}

measure baseline "$BASE_CMD"
measure candidate "$CAND_CMD"
python3 - "$baseline_per" "$candidate_per" "$baseline_rate" "$candidate_rate" "$baseline_start" "$candidate_start" <<'PY'
import sys
bp, cp, br, cr, bs, cs = map(float, sys.argv[1:])
print("bytes per idle connection: candidate %.0f, baseline %.0f (candidate/baseline %.2f)" % (cp, bp, cp / max(bp, 1)))
print("connection set-up rate: candidate/baseline %.2f" % (cr / max(br, 1)))
print("start to listening: candidate %.0f ms, baseline %.0f ms" % (cs, bs))
PY
