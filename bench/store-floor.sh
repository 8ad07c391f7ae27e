#!/usr/bin/env bash
# The floor of chat/get on a ZoomChat store: how many pages per second any SQLite-backed chat/get
# could serve on this machine, beside the baseline and ZoomChat, in one run, for first pages and for
# deep pages via tokens. The floor is the baseline with --store (bench/ZoomChat.Bench.Baseline/
# StoreFloor.cs): Kestrel, form parsing and the one read no chat/get can skip (the window's next 30
# messages of the session), and nothing else. With LOADS="chat-list", the same for chat/list first
# pages (ListFloor.cs: the page's 30 sessions read in one statement). Runs on a store and targets
# file that bench/run.sh made, with the binaries it published:
#
#   bench/store-floor.sh bench/data/run-m1000000-s1-a3 [ROUNDS]      # DURATION=15 (seconds per run)
#   LOADS="chat-get-first chat-get-deep chat-list" bench/store-floor.sh ...
#
# Prints each run and, per load and server, the medians of requests/s and p50/p99 latency.
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,13p' "$0" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
run=$(realpath "$1")
rounds=${2:-3}
duration=${DURATION:-15}
port=${PORT:-18290}
bin="$root/bench/data/bin"
store="$run/zoomchat.db"
targets="$run/targets.lua"
sample="$root/bench/data/archive-${run##*/run-}.ndjson"   # the run's own archive, for the baseline's page
for file in "$store" "$targets" "$sample" "$bin/zoomchat/zoomchat" "$bin/baseline/zoomchat-bench-baseline"; do
  [ -e "$file" ] || { echo "bench/store-floor.sh: $file is missing: run bench/run.sh first" >&2; exit 1; }
done

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
declare -A url=([baseline]="http://127.0.0.1:$port" [floor]="http://127.0.0.1:$((port + 1))" [zoomchat]="http://127.0.0.1:$((port + 2))")
"$bin/baseline/zoomchat-bench-baseline" --urls "${url[baseline]}" --sample "$sample" >"$run/floor-baseline.log" 2>&1 & pids+=($!)
"$bin/baseline/zoomchat-bench-baseline" --urls "${url[floor]}" --sample "$sample" --store "$store" >"$run/floor-floor.log" 2>&1 & pids+=($!)
"$bin/zoomchat/zoomchat" serve --store "$store" --urls "${url[zoomchat]}" --rate-limits off --error-status http >"$run/floor-zoomchat.log" 2>&1 & pids+=($!)
for name in baseline floor zoomchat; do
  for _ in $(seq 1 600); do curl -s -o /dev/null --max-time 1 "${url[$name]}/healthz" && break; sleep 0.1; done
done

measure() { # server load seconds round -> "requests/s p50_ms p99_ms bytes_per_response non_2xx"
  ZOOMCHAT_BENCH_TARGETS="$targets" ZOOMCHAT_BENCH_ROUND="$4" \
    wrk -t2 -c64 -d"$3s" -s "$root/bench/wrk/$2.lua" "${url[$1]}" |
    sed -n 's/^BENCH_RESULT //p' | jq -r '"\(.rps | round) \(.p50_ms) \(.p99_ms) \(.bytes_per_response) \(.non_2xx)"'
}

read -r -a loads <<<"${LOADS:-chat-get-first chat-get-deep}"
declare -A results=()
for load in "${loads[@]}"; do
  for name in baseline floor zoomchat; do measure "$name" "$load" 5 0 >/dev/null; done   # warm-up
done
for round in $(seq 1 "$rounds"); do
  for load in "${loads[@]}"; do
    for name in baseline floor zoomchat; do
      line=$(measure "$name" "$load" "$duration" "$round")
      echo "round $round $load $name: $line (requests/s, p50 ms, p99 ms, bytes per response, non-2xx)"
      results[$load.$name]+="$line"$'\n'
    done
  done
done

median() { sed '/^$/d' | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for load in "${loads[@]}"; do
  base=$(cut -d' ' -f1 <<<"${results[$load.baseline]}" | median)
  for name in baseline floor zoomchat; do
    rps=$(cut -d' ' -f1 <<<"${results[$load.$name]}" | median)
    p50=$(cut -d' ' -f2 <<<"${results[$load.$name]}" | median)
    p99=$(cut -d' ' -f3 <<<"${results[$load.$name]}" | median)
    awk -v l="$load" -v n="$name" -v r="$rps" -v b="$base" -v p="$p50" -v q="$p99" \
      'BEGIN { printf "%-14s %-9s %7.0f requests/s  %5.1f%% of the baseline  p50 %.2f ms  p99 %.2f ms\n", l, n, r, 100 * r / b, p, q }'
  done
done
