#!/usr/bin/env bash
# Growth from one archive size to another, side by side in one run: ZoomChat serves both stores at
# once, and each load runs on one and then the other (the first alternating between rounds), so that
# the machine's load between runs made minutes apart does not show as growth. Prints each run and,
# per load, the median p50 of each store and their ratio (the target is within 1.3x: docs/benchmarks.md#targets).
# Runs on stores and targets files that bench/run.sh made, with the binaries it published:
#
#   bench/growth.sh bench/data/run-m1000000-s1-a3 bench/data/run-m10000000-s1-a3 [ROUNDS]   # DURATION=15
#   LOADS="chat-list chat-list-email" bench/growth.sh ...
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,10p' "$0" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
small=$(realpath "$1")
large=$(realpath "$2")
rounds=${3:-5}
duration=${DURATION:-15}
port=${PORT:-18390}
zoomchat="$root/bench/data/bin/zoomchat/zoomchat"
for file in "$small/zoomchat.db" "$small/targets.lua" "$large/zoomchat.db" "$large/targets.lua" "$zoomchat"; do
  [ -e "$file" ] || { echo "bench/growth.sh: $file is missing: run bench/run.sh first" >&2; exit 1; }
done

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
declare -A url=([small]="http://127.0.0.1:$port" [large]="http://127.0.0.1:$((port + 1))")
declare -A run=([small]="$small" [large]="$large")
for size in small large; do
  "$zoomchat" serve --store "${run[$size]}/zoomchat.db" --urls "${url[$size]}" --rate-limits off --error-status http \
    >"${run[$size]}/growth-zoomchat.log" 2>&1 & pids+=($!)
done
for size in small large; do
  for _ in $(seq 1 600); do curl -s -o /dev/null --max-time 1 "${url[$size]}/healthz" && break; sleep 0.1; done
done

measure() { # size load seconds round -> "p50_ms requests/s"
  ZOOMCHAT_BENCH_TARGETS="${run[$1]}/targets.lua" ZOOMCHAT_BENCH_ROUND="$4" \
    wrk -t2 -c64 -d"$3s" -s "$root/bench/wrk/$2.lua" "${url[$1]}" |
    sed -n 's/^BENCH_RESULT //p' | jq -r '"\(.p50_ms) \(.rps | round)"'
}

read -r -a loads <<<"${LOADS:-chat-get-first chat-get-deep chat-list chat-list-email}"
declare -A results=()
for load in "${loads[@]}"; do
  for size in small large; do measure "$size" "$load" 5 0 >/dev/null; done   # warm-up
done
for round in $(seq 1 "$rounds"); do
  order=(small large)
  (( round % 2 == 0 )) && order=(large small)
  for load in "${loads[@]}"; do
    for size in "${order[@]}"; do
      line=$(measure "$size" "$load" "$duration" "$round")
      echo "round $round $load ${run[$size]##*/}: $line (p50 ms, requests/s)"
      results[$load.$size]+="$line"$'\n'
    done
  done
done

median() { sed '/^$/d' | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for load in "${loads[@]}"; do
  p50_small=$(cut -d' ' -f1 <<<"${results[$load.small]}" | median)
  p50_large=$(cut -d' ' -f1 <<<"${results[$load.large]}" | median)
  awk -v l="$load" -v s="$p50_small" -v g="$p50_large" -v a="${small##*/}" -v b="${large##*/}" \
    'BEGIN { printf "%-16s p50 %.2f ms (%s)  %.2f ms (%s)  growth %.2fx\n", l, s, a, g, b, g / s }'
done
