#!/usr/bin/env bash
# The crash test of docs/reliability.md#crash-safety: SIGKILL at random moments, many times, against the
# Release build of zoomchat, and a check of what the store holds afterwards.
#
#   import: a generated archive is imported into a fresh store; each run of the same import is killed
#           at a random moment, until a run finishes by itself; the store's export (sorted, SHA-256) must
#           then equal the export of one uninterrupted import of the same file. Again, on a fresh store,
#           until the kills add up.
#   serve:  the server is killed at a random moment while wrk reads chat/get and chat/list from it and
#           imports of freshly generated archives run into the same store; after each restart the
#           server must answer (/healthz, chat/list) and serve the messages of the last import that
#           exited 0; at the end every message of every import that exited 0 must be in the store.
#
#   bench/crash.sh                                   60 import kills + 50 server kills on SQLite files
#   bench/crash.sh --import-kills 5 --serve-kills 5 --messages 20000     a quick trial
#   bench/crash.sh --store "Host=...;Database=crash_{name}"              another store ({name}: see --help)
#
# Needs: the .NET SDK, wrk, curl, jq, sha256sum.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/crash.sh [--import-kills N] [--serve-kills N] [--messages N] [--seed S] [--store TEMPLATE]

  --import-kills N   SIGKILLs of `zoomchat import` (default 60)
  --serve-kills N    SIGKILLs of `zoomchat serve` (default 50)
  --messages N       lines of the generated archive the import kills interrupt (default 100000)
  --seed S           seed of the archive and of the random moments (default 1)
  --store TEMPLATE   the stores, as `zoomchat --store` takes them, with {name} in place of each store's
                     name (reference, import-1, import-2, ..., serve). Default: SQLite files
                     bench/data/crash-*/{name}.db, removed and created as needed; stores named by a
                     template given here must be empty when the script reaches them.

Environment: PORT (18290), CRASH_REUSE_BUILD=1 to keep the binaries of an earlier build under
bench/data/bin-crash/ instead of publishing again.
EOF
}

import_kills=60
serve_kills=50
messages=100000
seed=1
template=""
port=${PORT:-18290}
invocation="bench/crash.sh $*"
while [ $# -gt 0 ]; do
  case "$1" in
    --import-kills) import_kills=$2; shift 2 ;;
    --serve-kills) serve_kills=$2; shift 2 ;;
    --messages) messages=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --store) template=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench/crash.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
for number in "$import_kills" "$serve_kills" "$messages" "$seed" "$port"; do
  [[ "$number" =~ ^[0-9]+$ ]] || { echo "bench/crash.sh: '$number' is not a whole number" >&2; exit 2; }
done
if [ -n "$template" ] && [[ "$template" != *"{name}"* ]]; then
  echo "bench/crash.sh: --store must contain {name}, where each store's name goes" >&2; exit 2
fi
for tool in dotnet wrk curl jq awk sha256sum; do
  command -v "$tool" >/dev/null || { echo "bench/crash.sh: '$tool' is missing (apt-get install wrk jq curl)" >&2; exit 1; }
done

root=$(cd "$(dirname "$0")/.." && pwd)
bench="$root/bench"
data="$bench/data"
bin="$data/bin-crash" # its own: a soak or benchmark may be running from bench/data/bin
run="$data/crash-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$bin" "$run"
cd "$root"
say() { printf '\n== %s\n' "$*"; }
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
RANDOM=$seed

declare -a started_pids=()
cleanup() {
  touch "$run/stop"
  for pid in "${started_pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

started_at=$(date -u '+%Y-%m-%d %H:%M UTC')
machine_load=$(cut -d' ' -f1-3 /proc/loadavg)
commit=$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)

say "build (Release)"
if [ "${CRASH_REUSE_BUILD:-0}" != 1 ] || [ ! -x "$bin/zoomchat/zoomchat" ]; then
  build_flags=(-c Release -nodeReuse:false -p:UseSharedCompilation=false --nologo -v:quiet)
  rm -rf "$bin/zoomchat"
  dotnet publish "$root/src/ZoomChat.Cli" "${build_flags[@]}" -o "$bin/zoomchat"
  dotnet publish "$bench/ZoomChat.Bench.DataGen" "${build_flags[@]}" -o "$bin/datagen"
fi
zoomchat="$bin/zoomchat/zoomchat"
datagen="$bin/datagen/zoomchat-bench-datagen"

store_of() { # name
  if [ -n "$template" ]; then echo "${template//\{name\}/$1}"; else echo "$run/$1.db"; fi
}
fresh_store() { # name: a new store with the archive's accounts
  local store; store=$(store_of "$1")
  [ -z "$template" ] && rm -f "$store" "$store-wal" "$store-shm"
  jq -r '.accounts[].account' "$meta" | while read -r name; do
    "$zoomchat" account create "$name" --store "$store" >/dev/null
  done
}
# The whole store as sorted NDJSON lines, hashed: equal hashes, equal archives.
export_hash() { # store
  "$zoomchat" export --store "$1" --output "$run/export.ndjson" 2>"$run/export.err" || {
    echo "export failed: $(tail -1 "$run/export.err")"; return 0; }
  echo "$(LC_ALL=C sort "$run/export.ndjson" | sha256sum | cut -c1-16) $(wc -l <"$run/export.ndjson")"
}
now_ns() { date +%s%N; }
random_ms() { # below N: two draws of $RANDOM, so that the moments are spread over long runs too
  echo $(( (RANDOM * 32768 + RANDOM) % $1 ))
}

archive="$run/archive.ndjson"
meta="$archive.meta.json"
"$datagen" --messages "$messages" --seed "$seed" --accounts 3 --output "$archive" 2>>"$run/datagen.log"
echo "archive: $messages lines, $(du -h "$archive" | cut -f1)"

# ---------------------------------------------------------------- import kills
reference="" reference_ms=0 rounds=0 round_ok=0 round_bad=0 finished_before_kill=0 failed_runs=0 import_total=0
if (( import_kills > 0 )); then
say "import: one uninterrupted import"
fresh_store reference
begun=$(now_ns)
"$zoomchat" import "$archive" --store "$(store_of reference)" --json >"$run/reference.json"
reference_ms=$(( ($(now_ns) - begun) / 1000000 ))
reference=$(export_hash "$(store_of reference)")
echo "reference: ${reference_ms} ms; export hash and lines: $reference"

say "import: $import_kills kills at random moments"
kills=0
: >"$run/import-rounds.tsv"
while (( kills < import_kills )); do
  rounds=$((rounds + 1))
  name="import-$rounds"
  store=$(store_of "$name")
  fresh_store "$name"
  round_kills=0
  while :; do
    # A moment in the first 110% of an uninterrupted import: most land in the middle of a batch,
    # some after the run's own end (it then finishes by itself).
    wait_ms=$(random_ms $(( reference_ms * 11 / 10 + 1 )))
    "$zoomchat" import "$archive" --store "$store" --json >"$run/attempt.json" 2>"$run/attempt.err" &
    pid=$!
    started_pids+=("$pid")
    sleep "$(awk -v ms="$wait_ms" 'BEGIN { printf "%.3f", ms / 1000 }')"
    if kill -KILL "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null || true
      kills=$((kills + 1)); round_kills=$((round_kills + 1))
      (( kills >= import_kills )) && break
      continue
    fi
    if wait "$pid"; then
      finished_before_kill=$((finished_before_kill + 1))
      break
    fi
    failed_runs=$((failed_runs + 1))
    echo "an import run failed by itself: $(tail -1 "$run/attempt.err")" >&2
    break
  done
  # Whatever the last kill left, one more run to its end, then the comparison.
  if ! "$zoomchat" import "$archive" --store "$store" --json >"$run/attempt.json" 2>"$run/attempt.err"; then
    failed_runs=$((failed_runs + 1))
    echo "the completing import failed: $(tail -1 "$run/attempt.err")" >&2
  fi
  got=$(export_hash "$store")
  if [ "$got" = "$reference" ]; then round_ok=$((round_ok + 1)); verdict=same; else round_bad=$((round_bad + 1)); verdict="DIFFERENT: $got"; fi
  printf '%s\t%s\t%s\n' "$rounds" "$round_kills" "$verdict" | tee -a "$run/import-rounds.tsv"
  [ -z "$template" ] && rm -f "$store" "$store-wal" "$store-shm"
done
import_total=$kills
fi

# ---------------------------------------------------------------- serve kills
say "serve: $serve_kills kills while wrk reads and imports run"
store=$(store_of serve)
fresh_store serve
: >"$run/credentials.json"
jq -c '.accounts[] | {account, admin_email}' "$meta" | while read -r row; do
  name=$(jq -r .account <<<"$row"); admin=$(jq -r .admin_email <<<"$row")
  key=$("$zoomchat" key create --account "$name" --store "$store" --json)
  "$zoomchat" user add --account "$name" --email "$admin" --archive-viewer --store "$store" >/dev/null
  token=$("$zoomchat" token issue --account "$name" --email "$admin" --store "$store" --json)
  jq -cn --arg account "$name" --argjson key "$key" --argjson token "$token" \
    '{account: $account, api_key: $key.api_key, api_secret: $key.api_secret, access_token: $token.access_token}' >>"$run/credentials.json"
done
"$zoomchat" import "$archive" --store "$store" --json >/dev/null
targets="$run/targets.lua"
jq -r --slurpfile creds <(jq -s . "$run/credentials.json") -f "$bench/wrk/targets.jq" "$meta" >"$targets"
declare -A credentials=()
while IFS=$'\t' read -r account form; do credentials[$account]=$form; done < <(
  jq -r '[.account, "api_key=\(.api_key)&api_secret=\(.api_secret)&access_token=\(.access_token)"] | @tsv' "$run/credentials.json")
credentials_of() { echo "${credentials[$1]}"; }

: >"$run/acknowledged"
# Imports of fresh archives into the same store, one after another, for the whole phase. Each that
# exits 0 is acknowledged: its file is kept, for the checks.
(
  i=0
  while [ ! -e "$run/stop-imports" ]; do
    i=$((i + 1))
    file="$run/fresh-$i.ndjson"
    "$datagen" --messages 5000 --seed $((seed * 1000 + i)) --accounts 3 --output "$file" --meta "$file.meta.json" >/dev/null 2>>"$run/datagen.log"
    if "$zoomchat" import "$file" --store "$store" --json >"$file.summary.json" 2>>"$run/imports.err"; then
      echo "$i" >>"$run/acknowledged"
    else
      echo "$i $?" >>"$run/imports-failed"
    fi
  done
) &
importer=$!
started_pids+=("$importer")

url="http://127.0.0.1:$port"
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "bench/crash.sh: something already listens on port $port; set PORT to another port" >&2; exit 1
fi
: >"$run/serve-restarts.tsv"
restarts_ok=0 restarts_bad=0 serve_total=0 ready_ms_max=0 wrk_requests=0
start_server() {
  "$zoomchat" serve --store "$store" --urls "$url" --rate-limits off --error-status http >>"$run/zoomchat.log" 2>&1 &
  server=$!
  started_pids+=("$server")
  local begun; begun=$(now_ns)
  for _ in $(seq 1 600); do
    kill -0 "$server" 2>/dev/null || { problem="serve stopped during start-up: $(tail -1 "$run/zoomchat.log")"; return 1; }
    # Ready when /healthz answers and this server still runs: not another one on the port.
    if curl -s -o /dev/null --max-time 1 "$url/healthz" && kill -0 "$server" 2>/dev/null; then
      ready_ms=$(( ($(now_ns) - begun) / 1000000 ))
      return 0
    fi
    sleep 0.05
  done
  problem="not ready within 30 s"; return 1
}
# After a restart: the server answers, and serves every message of a sampled session per account of
# the newest acknowledged import (checked page by page through next_page_token).
check_server() {
  local health list; health=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url/healthz")
  [ "$health" = 200 ] || { problem="healthz answered $health"; return 1; }
  local first_account; first_account=$(jq -r '.accounts[0].account' "$meta")
  list=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X POST "$url/v1/chat/list" \
    -d "$(credentials_of "$first_account")&from=2021-01-01&to=2021-01-30")
  [ "$list" = 200 ] || { problem="chat/list answered $list"; return 1; }
  local last; last=$(tail -1 "$run/acknowledged")
  [ -n "$last" ] || return 0
  local sessions; sessions=$(jq -r '.accounts[] | .account as $a | .sample_sessions[0] | [$a, .session_id, .first, .last, .messages] | @tsv' "$run/fresh-$last.ndjson.meta.json")
  while IFS=$'\t' read -r account id from to expected; do
    local count=0 token="" page got
    while :; do
      page=$(curl -s --max-time 10 -X POST "$url/v1/chat/get" \
        -d "$(credentials_of "$account")&session_id=$id&from=$from&to=$to&next_page_token=$token")
      got=$(jq -r '"\(.chat_messages | length) \(.next_page_token // "")"' <<<"$page" 2>/dev/null || echo "0 ")
      count=$(( count + ${got%% *} ))
      token=${got#* }
      [ -n "$token" ] || break
    done
    [ "$count" = "$expected" ] || { problem="session $id of acknowledged import $last: $count of $expected messages served"; return 1; }
  done <<<"$sessions"
  return 0
}

start_server || { echo "bench/crash.sh: the server did not start: $problem" >&2; exit 1; }
# One wrk for the whole phase: it reconnects after each kill, counting the broken connections as errors.
ZOOMCHAT_BENCH_TARGETS="$targets" wrk -t2 -c16 -d24h --timeout 5s -s "$bench/wrk/soak-mix.lua" "$url" >"$run/wrk.out" 2>&1 &
wrk_pid=$!
started_pids+=("$wrk_pid")
for kill_number in $(seq 1 "$serve_kills"); do
  # `touch bench/data/crash-<time>/finish` ends the phase early, with its checks and table.
  [ -e "$run/finish" ] && break
  sleep "$(awk -v ms="$(( 200 + $(random_ms 2800) ))" 'BEGIN { printf "%.3f", ms / 1000 }')"
  kill -KILL "$server" 2>/dev/null && serve_total=$((serve_total + 1))
  wait "$server" 2>/dev/null || true
  problem=""
  if start_server && check_server; then
    restarts_ok=$((restarts_ok + 1)); verdict="answers; last acknowledged import served (ready after ${ready_ms:-?} ms)"
  else
    restarts_bad=$((restarts_bad + 1)); verdict="FAILED: $problem"
    kill -0 "${server:-0}" 2>/dev/null || start_server || true
  fi
  (( ${ready_ms:-0} > ready_ms_max )) && ready_ms_max=$ready_ms
  printf '%s\t%s\n' "$kill_number" "$verdict" | tee -a "$run/serve-restarts.tsv"
done
kill -INT "$wrk_pid" 2>/dev/null || true
wait "$wrk_pid" 2>/dev/null || true
served=$(awk '/requests in/ { print $1; exit }' "$run/wrk.out")
wrk_requests=${served:-0}
touch "$run/stop-imports"
wait "$importer" 2>/dev/null || true
kill -TERM "$server" 2>/dev/null || true
wait "$server" 2>/dev/null || true

# Every message of every acknowledged import is in the store.
"$zoomchat" export --store "$store" --output "$run/serve-export.ndjson" 2>>"$run/export.err"
jq -r .message_id "$run/serve-export.ndjson" | LC_ALL=C sort -u >"$run/stored-ids"
acknowledged=$(wc -l <"$run/acknowledged")
missing=0
while read -r i; do
  n=$(jq -r .message_id "$run/fresh-$i.ndjson" | LC_ALL=C sort -u | LC_ALL=C comm -23 - "$run/stored-ids" | wc -l)
  missing=$((missing + n))
done <"$run/acknowledged"
failed_imports=$( [ -e "$run/imports-failed" ] && wc -l <"$run/imports-failed" || echo 0)

# ---------------------------------------------------------------- table
import_outcome=$( (( round_bad == 0 && failed_runs == 0 )) && echo "all $round_ok stores equal the uninterrupted import" || echo "**$round_bad of $rounds stores differ; $failed_runs runs failed by themselves**")
serve_outcome=$( (( restarts_bad == 0 && missing == 0 && failed_imports == 0 )) && echo "all $restarts_ok restarts answered and served the last acknowledged import; $acknowledged acknowledged imports, 0 messages missing" ||
  echo "**$restarts_bad restarts failed; $missing messages of acknowledged imports missing; $failed_imports imports failed**")
say "results"
cat <<EOF | tee "$run/summary.txt"
Run $started_at with \`$invocation\`, zoomchat at $commit, on $(nproc) CPUs, load average before: $machine_load.

| phase | SIGKILLs | what was checked | outcome |
|---|---:|---|---|
| \`zoomchat import\` of $messages lines | $import_total | $rounds fresh stores, each imported by killed runs until one finished ($finished_before_kill finished before their kill), then run once more; sorted export hashed against one uninterrupted import ($reference_ms ms; $reference) | $import_outcome |
| \`zoomchat serve\` under wrk and imports | $serve_total | after each restart: /healthz, chat/list, every message of a sampled session per account of the newest acknowledged import (through next_page_token); at the end every message_id of every acknowledged import in the export | $serve_outcome; restart to /healthz at most $ready_ms_max ms; $wrk_requests wrk requests |
| total | $((import_total + serve_total)) | | |

files: $(realpath -s --relative-to="$root" "$run")/ (import-rounds.tsv, serve-restarts.tsv, zoomchat.log)
EOF
(( round_bad == 0 && failed_runs == 0 && restarts_bad == 0 && missing == 0 && failed_imports == 0 ))
