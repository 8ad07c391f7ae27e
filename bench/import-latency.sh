#!/usr/bin/env bash
# How long chat/get waits while an import runs into the same store: an import must never
# block the API for more than a moment. Serves a copy of a benchmark run's store with rate limits on, as
# shipped (each request then also writes its rate-limit tokens, in their own file beside the store),
# imports FILE into that copy, and meanwhile asks for a chat/get first page of each account's
# largest session once a second (each key's chat/get limit). Errors are HTTP statuses
# (--error-status http), so that a refused or failed request counts as "not 200". Prints the latency
# percentiles and worst case of those requests before and during the import.
#
#   bench/data/bin/datagen/zoomchat-bench-datagen --messages 300000 --seed 2 --accounts 3 --output bench/data/archive-m300000-s2-a3.ndjson
#   bench/import-latency.sh bench/data/run-m1000000-s1-a3 bench/data/archive-m300000-s2-a3.ndjson
#
# Run bench/run.sh first: it publishes bench/data/bin/zoomchat and makes the run folder (store,
# credentials). FILE should hold messages the store does not have (another seed: the same seed
# reuses message ids, which the import then rejects or finds as duplicates).
set -euo pipefail

[ $# -eq 2 ] || { sed -n '2,15p' "$0" >&2; exit 2; }
run=$1 file=$2
bench=$(cd "$(dirname "$0")" && pwd)
zoomchat=$bench/data/bin/zoomchat/zoomchat
port=${PORT:-18190}
meta=$(ls "$bench"/data/archive-m"$(basename "$run" | sed -E 's/^run-m([0-9]+)-.*/\1/')"-*.meta.json | head -1)
for needed in "$zoomchat" "$run/zoomchat.db" "$run/credentials.json" "$file" "$meta"; do
  [ -e "$needed" ] || { echo "bench/import-latency.sh: $needed is missing; run bench/run.sh first" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
cp "$run/zoomchat.db" "$work/store.db"
if [ -e "$run/zoomchat.db-wal" ]; then cp "$run/zoomchat.db-wal" "$work/store.db-wal"; fi

"$zoomchat" serve --store "$work/store.db" --urls "http://127.0.0.1:$port" --error-status http >"$work/server.log" 2>&1 &
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.1; done

# One request body per account: the first page of its largest session over that session's life.
mapfile -t bodies < <(jq -r --slurpfile creds <(jq -s . "$run/credentials.json") '
  .accounts[] as $a | $a.big_sessions[0] as $s | ($creds[0][] | select(.account == $a.account)) as $k
  | "api_key=\($k.api_key)&api_secret=\($k.api_secret)&access_token=\($k.access_token)&session_id=\($s.session_id)&from=\($s.first)&to=\($s.last)"' "$meta")

probe() {
  while [ ! -e "$work/done" ]; do
    for body in "${bodies[@]}"; do
      curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -X POST "http://127.0.0.1:$port/v1/chat/get" -d "$body" >>"$work/latency.txt"
    done
    sleep 1
  done
}
probe &
probe_pid=$!
sleep 5   # latencies before the import, for comparison
before=$(wc -l <"$work/latency.txt")
started=$(date +%s.%N)
"$zoomchat" import "$file" --store "$work/store.db" --json >"$work/import.json" 2>"$work/import.err"
ended=$(date +%s.%N)
touch "$work/done"
wait "$probe_pid" || true

echo "import: $(cat "$work/import.json") in $(awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.1f", b - a }') s"
summarise() { # label, lines of "code seconds"
  sort -k2 -g | awk -v label="$1" '{ code[NR] = $1; t[NR] = $2 * 1000; if ($1 != 200) bad++ }
    END { if (NR == 0) { print label ": no requests"; exit }
          printf "%s: %d requests, p50 %.1f ms, p99 %.1f ms, worst %.1f ms, %d not 200\n",
                 label, NR, t[int((NR + 1) * 0.5)], t[int((NR - 1) * 0.99) + 1], t[NR], bad }'
}
head -n "$before" "$work/latency.txt" | summarise "chat/get before the import"
tail -n +"$((before + 1))" "$work/latency.txt" | summarise "chat/get during the import"
