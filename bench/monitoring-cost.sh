#!/usr/bin/env bash
# The cost of monitoring on the message path: the shared benchmark's compare.sh with our server
# as both sides, the baseline unobserved and the candidate with /connz?subs=1 polled ten times a
# second (bench/connz-polled-server.sh). A ratio of 1.00 means monitoring costs nothing.
# Hold the benchmark lock while it runs: flock <lock file> bench/monitoring-cost.sh
#
# Usage: bench/monitoring-cost.sh [compare.sh options]   (default: --rounds 2 --pairs 3)
# Environment:
#   COMPARE   the shared benchmark's compare.sh (default: ../shared/bench/compare.sh beside the repository)
#   SPECS     workloads (default: pub:16,pubsub:16,pubsub:1024,fanout:16:raw:4)
#   POLL_INTERVAL, POLL_QUERY  passed to the poller (default 0.1 s, /connz?subs=1)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
compare="${COMPARE:-$root/../shared/bench/compare.sh}"
[[ -x "$compare" ]] || { echo "compare.sh not found at $compare; set COMPARE" >&2; exit 2; }
export SPECS="${SPECS:-pub:16,pubsub:16,pubsub:1024,fanout:16:raw:4}"
export BASE_CMD="$root/bin/natsee-server"
export CAND_CMD="$root/bench/connz-polled-server.sh"
if [[ $# -eq 0 ]]; then
    set -- --rounds 2 --pairs 3
fi
echo "baseline: natsee unobserved; candidate: natsee with ${POLL_QUERY:-/connz?subs=1} every ${POLL_INTERVAL:-0.1} s"
exec "$compare" "$@"
