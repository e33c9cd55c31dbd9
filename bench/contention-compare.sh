#!/usr/bin/env bash
# The shared benchmark (compare.sh) under contention: BURNERS CPU-burning processes (busy loops
# at normal priority, one core each) run beside both servers for the whole comparison, so that
# the servers and the load generator share what is left of the machine, as on a busy host. Both
# servers meet the same burners, interleaved A/B as compare.sh always does, so the ratio stays
# fair; the absolute figures fall.
#
# Every burner stops by itself: each one is a shell loop under `timeout` with a hard limit
# (BURN_LIMIT seconds), and it is also stopped by pid when this script exits (normally, on
# error or on Ctrl-C). compare.sh itself runs under the same limit.
#
# Usage: bench/contention-compare.sh [compare.sh options]     e.g. --quick, --workload pub --size 16
# Environment:
#   CAND_CMD    candidate server command (default: <repo>/bin/natsee-server)
#   BASE_CMD    baseline server command (compare.sh's default: nats-server)
#   COMPARE_SH  the shared benchmark driver (default: the repository's ../shared/bench/compare.sh)
#   BURNERS     busy processes to start (default 1: one core of a 2-core machine)
#   BURN_LIMIT  hard limit in seconds for the burners and for compare.sh (default 900)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
compare="${COMPARE_SH:-$root/../shared/bench/compare.sh}"
burners="${BURNERS:-1}"
limit="${BURN_LIMIT:-900}"
export CAND_CMD="${CAND_CMD:-$root/bin/natsee-server}"

case "$burners$limit" in ''|*[!0-9]*) echo "error: BURNERS and BURN_LIMIT want whole numbers" >&2; exit 2 ;; esac
if [[ "$burners" -gt 16 || "$limit" -lt 1 || "$limit" -gt 3600 ]]; then
    echo "error: BURNERS must be 0..16 and BURN_LIMIT 1..3600" >&2
    exit 2
fi
if [[ ! -x "$compare" ]]; then
    echo "error: $compare not found or not executable (set COMPARE_SH)" >&2
    exit 2
fi

pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for _ in $(seq "$burners"); do
    # A pure busy loop: no IO, no forks; timeout ends it after the limit whatever happens here.
    timeout "$limit" bash -c 'while :; do :; done' &
    pids+=("$!")
done
echo "contention: $burners busy process(es) (pids ${pids[*]:-none}), limit ${limit}s; $(uptime)" >&2

status=0
timeout "$limit" "$compare" "$@" || status=$?
echo "contention: done; $(uptime)" >&2
exit "$status"
