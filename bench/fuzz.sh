#!/usr/bin/env bash
# Long-run fuzzing of the HTTP API (docs/reliability.md#fuzzing): builds zoomchat and the fuzz driver in Release,
# seeds a small archive of two accounts through the zoomchat command, starts `zoomchat serve` on it and
# drives the suite's request generator (tests/ZoomChat.Tests/Fuzzing) at it, sampling the server's RSS
# every second. Prints requests sent, answers outside the envelope, 5xx, hangs and RSS start/end/max;
# exits non-zero when any answer broke the contract (the first ones are printed with their seeds).
#
#   bench/fuzz.sh --requests 1000000
#   bench/fuzz.sh --minutes 10
#   SEED=<seed> bench/fuzz.sh --replay      sends the one request of a printed seed again
#
# Environment: CONNECTIONS (4), PORT (18470), TIMEOUT seconds per request (10), ERROR_STATUS (zoom|http),
# STORE (the store to seed and serve, as `zoomchat --store` takes it, such as an empty PostgreSQL
# database; default: a new SQLite file in the run's temp folder).
set -euo pipefail

usage() {
  echo "usage: bench/fuzz.sh [--requests N | --minutes M | --replay]" >&2
  exit 2
}

mode=()
case "${1:-}" in
  --requests|--minutes) [ $# -eq 2 ] || usage; mode=("$1" "$2") ;;
  --replay) [ -n "${SEED:-}" ] || usage; mode=(--replay "$SEED") ;;
  *) usage ;;
esac

connections=${CONNECTIONS:-4}
port=${PORT:-18470}
timeout=${TIMEOUT:-10}
error_status=${ERROR_STATUS:-zoom}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/zoomchat-fuzz.XXXXXX)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "Building zoomchat and zoomchat-fuzz (Release) in $work ..." >&2
dotnet publish "$root/src/ZoomChat.Cli" -c Release -o "$work/zoomchat" --nologo -v quiet >&2
dotnet build "$root/bench/ZoomChat.Bench.Fuzz" -c Release -o "$work/fuzz" --nologo -v quiet >&2
store=${STORE:-$work/fuzz.db}
zoomchat() { "$work/zoomchat/zoomchat" "$@" --store "$store"; }
fuzz() { "$work/fuzz/zoomchat-fuzz" "$@"; }
json_field() { sed -E "s/.*\"$1\":\"([^\"]*)\".*/\1/"; }

credentials() {
  local account=$1 key token
  zoomchat account create "$account" >/dev/null
  key=$(zoomchat key create --account "$account" --json)
  zoomchat user add --account "$account" --email viewer@fuzz.test --archive-viewer >/dev/null
  token=$(zoomchat token issue --account "$account" --email viewer@fuzz.test --json | json_field access_token)
  fuzz lines "$account" > "$work/$account.ndjson"
  zoomchat import "$work/$account.ndjson" --account "$account" >/dev/null 2>&1
  echo "$(echo "$key" | json_field api_key):$(echo "$key" | json_field api_secret):$token"
}
caller=$(credentials fuzz-a)
other=$(credentials fuzz-b)

if curl -s -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; then
  echo "bench/fuzz.sh: port $port is in use by another server; set PORT" >&2
  exit 2
fi

# Page tokens live as long as the run, so that the generator's harvested tokens stay good to the end.
"$work/zoomchat/zoomchat" serve --store "$store" --urls "http://127.0.0.1:$port" --rate-limits off \
  --page-token-lifetime 86400 --error-status "$error_status" > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 150); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; echo "bench/fuzz.sh: zoomchat serve stopped" >&2; exit 1; }
  sleep 0.2
done

echo "Fuzzing zoomchat serve (pid $server) on 127.0.0.1:$port with $connections connections ..." >&2
status=0
fuzz run --url "http://127.0.0.1:$port" --caller "$caller" --other "$other" "${mode[@]}" \
  --connections "$connections" --timeout "$timeout" --error-status "$error_status" --server-pid "$server" || status=$?
echo "server faults logged:          $(grep -c 'failed' "$work/server.log" || true)"
exit $status
