#!/usr/bin/env bash
# The benchmark of docs/benchmarks.md in one command: builds ZoomChat and the bench tools in Release, generates (or
# reuses) a seeded archive, imports it (timed, peak RSS), starts the baseline, ZoomChat and Prism,
# runs each wrk load against them in turn, round after round, and prints medians, percentiles and
# ratios to the baseline; then writes them into docs/benchmarks.md. See docs/benchmarks.md.
#
#   bench/run.sh                          1M messages, 3 rounds of 15 s per load and server
#   bench/run.sh --messages 10000000      the size of the targets
#   DURATION=5 bench/run.sh --messages 100000 --rounds 1     a quick trial of the tooling
#
# Needs: the .NET SDK, wrk, curl, jq, GNU time (apt-get install wrk jq time curl); npm for Prism.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/run.sh [--messages N] [--seed S] [--accounts K] [--rounds R] [--duration SECONDS]
                    [--loads a,b,...] [--ref GIT_REF] [--prism-spec FILE] [--no-docs] [--reuse-store]

  --messages N      archive size (default 1000000; the targets are for 10000000)
  --seed S          generator seed (default 1)
  --accounts K      accounts in the archive (default 3)
  --rounds R        rounds of every load against every server (default 3, or $ROUNDS)
  --duration S      seconds of each wrk run (default 15, or $DURATION)
  --loads LIST      among chat-get-first,chat-get-deep,chat-list,chat-list-email (default: all)
  --ref REF         benchmark ZoomChat as committed at REF (git archive) instead of the working tree
  --prism-spec FILE also run the Prism mock server on Zoom's OpenAPI file FILE, as a peer (default: no Prism)
  --no-prism        leave out the Prism mock server (the default; kept for older command lines)
  --no-docs         print the results only; leave docs/benchmarks.md alone
  --reuse-store     keep an imported store of the same archive instead of importing again

Environment: THREADS (2), CONNECTIONS (64), WARMUP seconds per load and server (5),
PORT (18090: ZoomChat; +1 baseline, +2 Prism), ZOOMCHAT_REQUEST_LOG=off to silence ZoomChat's
per-request log line (on by default, as shipped; it goes to a file).
EOF
}

messages=1000000
seed=1
accounts=3
rounds=${ROUNDS:-3}
duration=${DURATION:-15}
threads=${THREADS:-2}
connections=${CONNECTIONS:-64}
warmup=${WARMUP:-5}
port=${PORT:-18090}
loads="chat-get-first,chat-get-deep,chat-list,chat-list-email"
ref=""
prism=off
prism_spec=""
docs=on
reuse_store=off
invocation="bench/run.sh $*"

while [ $# -gt 0 ]; do
  case "$1" in
    --messages) messages=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --accounts) accounts=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --loads) loads=$2; shift 2 ;;
    --ref) ref=$2; shift 2 ;;
    --prism-spec) prism=on; prism_spec=$2; shift 2 ;;
    --no-prism) prism=off; prism_spec=""; shift ;;
    --no-docs) docs=off; shift ;;
    --reuse-store) reuse_store=on; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench/run.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

for number in "$messages" "$seed" "$accounts" "$rounds" "$duration" "$threads" "$connections" "$warmup" "$port"; do
  [[ "$number" =~ ^[0-9]+$ ]] || { echo "bench/run.sh: '$number' is not a whole number" >&2; exit 2; }
done
IFS=, read -r -a load_list <<<"$loads"
for load in "${load_list[@]}"; do
  case "$load" in chat-get-first|chat-get-deep|chat-list|chat-list-email) ;;
    *) echo "bench/run.sh: unknown load '$load'" >&2; exit 2 ;;
  esac
done

if [ "$prism" = on ]; then
  [ -f "$prism_spec" ] || { echo "bench/run.sh: --prism-spec: no file '$prism_spec'" >&2; exit 2; }
  prism_spec=$(realpath "$prism_spec")
fi

for tool in dotnet wrk curl jq awk; do
  command -v "$tool" >/dev/null || { echo "bench/run.sh: '$tool' is missing (apt-get install wrk jq curl; the .NET SDK for dotnet)" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "bench/run.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

root=$(cd "$(dirname "$0")/.." && pwd)
bench="$root/bench"
data="$bench/data"
bin="$data/bin"
run="$data/run-m$messages-s$seed-a$accounts"
mkdir -p "$bin" "$run"
cd "$root"
rel() { realpath -s --relative-to="$root" "$1"; }
say() { printf '\n== %s\n' "$*"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
commas() { sed -e ':a' -e 's/\B[0-9]\{3\}\>/,&/' -e 'ta' <<<"$1"; }
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

declare -a started_pids=()
stop_pid() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  for pid in "${started_pids[@]}"; do stop_pid "$pid"; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

machine_load=$(cut -d' ' -f1-3 /proc/loadavg)
started_at=$(date -u '+%Y-%m-%d %H:%M UTC')

# ---------------------------------------------------------------- build
say "build (Release)"
source_root="$root"
if [ -n "$ref" ]; then
  commit=$(git -C "$root" rev-parse --verify "$ref^{commit}")
  source_root="$data/src-${commit:0:12}"
  rm -rf "$source_root"; mkdir -p "$source_root"
  git -C "$root" archive "$commit" | tar -x -C "$source_root"
  zoomchat_version="commit ${commit:0:12} ($ref)"
else
  commit=$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)
  if [ -n "$(git -C "$root" status --porcelain -- src 2>/dev/null)" ]; then
    zoomchat_version="working tree at ${commit:0:12}, with uncommitted changes under src/"
  else
    zoomchat_version="commit ${commit:0:12}"
  fi
fi
# No build servers left behind to compete with the servers under test.
build_flags=(-c Release -nodeReuse:false -p:UseSharedCompilation=false --nologo -v:quiet)
# A fresh folder: a publish over another commit's build kept its zoomchat.deps.json, which named
# none of the dependencies added since.
rm -rf "$bin/zoomchat"
dotnet publish "$source_root/src/ZoomChat.Cli" "${build_flags[@]}" -o "$bin/zoomchat"
dotnet publish "$bench/ZoomChat.Bench.DataGen" "${build_flags[@]}" -o "$bin/datagen"
dotnet publish "$bench/ZoomChat.Bench.Baseline" "${build_flags[@]}" -o "$bin/baseline"
zoomchat="$bin/zoomchat/zoomchat"
datagen="$bin/datagen/zoomchat-bench-datagen"
baseline="$bin/baseline/zoomchat-bench-baseline"

# ---------------------------------------------------------------- data
archive="$data/archive-m$messages-s$seed-a$accounts.ndjson"
meta="$archive.meta.json"
generate_command="$(rel "$datagen") --messages $messages --seed $seed --accounts $accounts --output $(rel "$archive")"
if [ -s "$archive" ] && [ -s "$meta" ]; then
  say "data: reusing $(rel "$archive") ($(du -h "$archive" | cut -f1))"
else
  say "data: generating $(rel "$archive")"
  "$datagen" --messages "$messages" --seed "$seed" --accounts "$accounts" --output "$archive"
fi
# The generator's own speed, without the disk: the same lines to /dev/null.
say "data: generator speed to /dev/null"
"$datagen" --messages "$messages" --seed "$seed" --accounts "$accounts" --output - --meta "$run/generator-devnull.meta.json" >/dev/null

# ---------------------------------------------------------------- store: accounts, credentials, import
store="$run/zoomchat.db"
zc() { "$zoomchat" "$@" --store "$store" --json; }
import_command="/usr/bin/time -v $(rel "$zoomchat") import $(rel "$archive") --store $(rel "$store") --json"
if [ "$reuse_store" = on ] && [ -s "$store" ] && [ -s "$run/credentials.json" ] && [ -s "$run/import.json" ]; then
  say "store: reusing $(rel "$store")"
else
  say "store: accounts, API keys, archive viewers and their tokens"
  rm -f "$store" "$store-wal" "$store-shm" "$run/credentials.json"
  jq -c '.accounts[] | {account, admin_email}' "$meta" | while read -r row; do
    name=$(jq -r .account <<<"$row")
    admin=$(jq -r .admin_email <<<"$row")
    zc account create "$name" >/dev/null
    key=$(zc key create --account "$name")
    zc user add --account "$name" --email "$admin" --archive-viewer >/dev/null
    token=$(zc token issue --account "$name" --email "$admin")
    jq -cn --arg account "$name" --argjson key "$key" --argjson token "$token" \
      '{account: $account, api_key: $key.api_key, api_secret: $key.api_secret, access_token: $token.access_token}' >>"$run/credentials.json"
  done

  say "store: import $(rel "$archive")"
  /usr/bin/time -v -o "$run/import.time" "$zoomchat" import "$archive" --store "$store" --json >"$run/import.json" 2>"$run/import.err" || {
    echo "bench/run.sh: the import failed; see $(rel "$run/import.err")" >&2; tail -5 "$run/import.err" >&2; exit 1; }
fi
import_seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$run/import.time")
import_rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$run/import.time")
import_cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { print u + s }' "$run/import.time")
read -r stored duplicates rejected < <(jq -r '"\(.stored) \(.duplicates) \(.rejected)"' "$run/import.json")
import_rate=$(awk -v n="$stored" -v s="$import_seconds" 'BEGIN { printf "%.0f", (s > 0) ? n / s : 0 }')
store_bytes=$(du -cb "$store"* | tail -1 | cut -f1)
echo "import: $stored stored, $duplicates duplicates, $rejected rejected in ${import_seconds}s = $import_rate msg/s; peak RSS $((import_rss_kb / 1024)) MB; store $((store_bytes / 1048576)) MB"
if [ "$rejected" != 0 ]; then
  echo "bench/run.sh: warning: the import rejected $rejected lines; first reasons:" >&2; head -3 "$run/import.err" >&2
fi

# ---------------------------------------------------------------- targets for the load scripts
targets="$run/targets.lua"
jq -r --slurpfile creds <(jq -s . "$run/credentials.json") -f "$bench/wrk/targets.jq" "$meta" >"$targets"

# ---------------------------------------------------------------- servers
server_names=(baseline zoomchat)
declare -A server_port=([zoomchat]=$port [baseline]=$((port + 1)) [prism]=$((port + 2)))
declare -A server_pid=() server_prefix=([zoomchat]=/v1 [baseline]=/v1 [prism]="") server_command=()

port_in_use() { curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/" ; }
for name in zoomchat baseline prism; do
  if port_in_use "${server_port[$name]}"; then
    echo "bench/run.sh: something already listens on port ${server_port[$name]}; set PORT to another base port" >&2; exit 1
  fi
done

# Starts a server and waits until `ready_url` answers; ready_ms is then the milliseconds from start to ready.
ready_ms=0
start_server() {
  local name=$1 ready_url=$2; shift 2
  local started; started=$(now_ms)
  "$@" >"$run/$name.log" 2>&1 &
  local pid=$!
  started_pids+=("$pid")
  server_pid[$name]=$pid
  for _ in $(seq 1 12000); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "bench/run.sh: $name stopped during start-up; its log:" >&2; tail -20 "$run/$name.log" >&2; return 1
    fi
    if curl -s -o /dev/null --max-time 1 "$ready_url"; then
      ready_ms=$(( $(now_ms) - started ))
      return 0
    fi
    sleep 0.01
  done
  echo "bench/run.sh: $name was not ready within 120 s" >&2; return 1
}

say "servers"
server_command[baseline]="$(rel "$baseline") --urls http://127.0.0.1:${server_port[baseline]} --sample $(rel "$archive")"
start_server baseline "http://127.0.0.1:${server_port[baseline]}/healthz" \
  "$baseline" --urls "http://127.0.0.1:${server_port[baseline]}" --sample "$archive"
baseline_ready_ms=$ready_ms
baseline_page=$(head -1 "$run/baseline.log")
echo "$baseline_page (ready after $baseline_ready_ms ms)"

zoomchat_env=()
[ "${ZOOMCHAT_REQUEST_LOG:-on}" = off ] && zoomchat_env=("Logging__LogLevel__ZoomChat.Requests=None")
server_command[zoomchat]="$(rel "$zoomchat") serve --store $(rel "$store") --urls http://127.0.0.1:${server_port[zoomchat]} --rate-limits off --error-status http"
start_server zoomchat "http://127.0.0.1:${server_port[zoomchat]}/healthz" \
  env "${zoomchat_env[@]}" "$zoomchat" serve --store "$store" --urls "http://127.0.0.1:${server_port[zoomchat]}" --rate-limits off --error-status http
zoomchat_ready_ms=$ready_ms
# The first real answer: a first page of the largest session over its whole life.
first_body=$(jq -r --slurpfile creds <(jq -s . "$run/credentials.json") '
  .accounts[0] as $a | $a.big_sessions[0] as $s | ($creds[0][] | select(.account == $a.account)) as $k
  | "api_key=\($k.api_key)&api_secret=\($k.api_secret)&access_token=\($k.access_token)&session_id=\($s.session_id)&from=\($s.first)&to=\($s.last)"' "$meta")
first_page_started=$(now_ms)
first_page=$(curl -s -X POST "http://127.0.0.1:${server_port[zoomchat]}/v1/chat/get" -d "$first_body")
first_page_ms=$(( $(now_ms) - first_page_started + zoomchat_ready_ms ))
if ! jq -e '.chat_messages | length > 0' >/dev/null 2>&1 <<<"$first_page"; then
  echo "bench/run.sh: ZoomChat's first chat/get page holds no messages: ${first_page:0:300}" >&2; exit 1
fi
echo "zoomchat: /healthz after $zoomchat_ready_ms ms; the first chat/get page ($(jq '.page_count' <<<"$first_page") pages in all) answered $first_page_ms ms after start"

prism_note=""
if [ "$prism" = on ]; then
  prism_bin="$bench/node_modules/.bin/prism"
  if [ ! -x "$prism_bin" ]; then
    say "prism: npm install (bench/package.json)"
    (cd "$bench" && npm install --no-audit --no-fund --loglevel=error) || true
  fi
  if [ -x "$prism_bin" ]; then
    spec=$prism_spec
    server_command[prism]="$(rel "$prism_bin") mock -h 127.0.0.1 -p ${server_port[prism]} -v silent $(rel "$spec")"
    if start_server prism "http://127.0.0.1:${server_port[prism]}/" "$prism_bin" mock -h 127.0.0.1 -p "${server_port[prism]}" -v silent "$spec"; then
      server_names+=(prism)
      echo "prism: ready after $ready_ms ms"
    else
      prism_note="Prism did not start (see bench/data/.../prism.log); left out."
    fi
  else
    prism_note="Prism could not be installed (npm install of @stoplight/prism-cli failed); left out."
  fi
  [ -n "$prism_note" ] && echo "prism: $prism_note"
fi

hwm_kb() { awk '/VmHWM/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# ---------------------------------------------------------------- loads
results="$run/results.jsonl"
: >"$results"
run_wrk() { # server load seconds round
  local name=$1 load=$2 seconds=$3 round=$4
  ZOOMCHAT_BENCH_TARGETS="$targets" ZOOMCHAT_BENCH_PREFIX="${server_prefix[$name]}" ZOOMCHAT_BENCH_ROUND="$round" \
    wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 10s -s "$bench/wrk/$load.lua" "http://127.0.0.1:${server_port[$name]}"
}

# What ZoomChat answers: each load for 2 s with every body looked at (errors, empty pages).
say "check: ZoomChat's answers to each load"
checks=""
for load in "${load_list[@]}"; do
  out="$run/check-$load.txt"
  ZOOMCHAT_BENCH_CHECK=1 ZOOMCHAT_BENCH_TARGETS="$targets" ZOOMCHAT_BENCH_ROUND=-1 \
    wrk -t1 -c8 -d2s --timeout 10s -s "$bench/wrk/$load.lua" "http://127.0.0.1:${server_port[zoomchat]}" >"$out"
  check=$(grep '^BENCH_RESULT ' "$out" | tail -1 | cut -d' ' -f2- | jq -r '
    "\(.load): \(.requests) answers, " + (if .full_pages != null then "\(.full_pages) with rows, \(.empty_pages) empty, " else "\(.deep_pages) via a token, " end)
    + "\(.api_errors + .non_2xx + .socket_errors) errors"')
  echo "  $check"
  checks+="${checks:+; }$check"
done

say "warm-up: ${warmup}s of each load on each server"
for load in "${load_list[@]}"; do
  for name in "${server_names[@]}"; do
    run_wrk "$name" "$load" "$warmup" 0 >"$run/warmup-$load-$name.txt"
  done
done

for round in $(seq 1 "$rounds"); do
  say "round $round of $rounds (${duration}s per run)"
  for load in "${load_list[@]}"; do
    # Alternate which server goes first, so neither always runs on the warmer machine.
    order=("${server_names[@]}")
    if (( round % 2 == 0 )); then
      order=(zoomchat baseline); [[ " ${server_names[*]} " == *" prism "* ]] && order+=(prism)
    fi
    for name in "${order[@]}"; do
      out="$run/wrk-$load-$name-$round.txt"
      run_wrk "$name" "$load" "$duration" "$round" >"$out"
      line=$(grep '^BENCH_RESULT ' "$out" | tail -1 | cut -d' ' -f2-)
      [ -n "$line" ] || { echo "bench/run.sh: wrk printed no result; see $(rel "$out")" >&2; exit 1; }
      jq -c --arg server "$name" --arg load "$load" --argjson round "$round" --argjson hwm "$(hwm_kb "${server_pid[$name]}")" \
        '. + {server: $server, load_file: $load, round: $round, server_hwm_kb: $hwm}' <<<"$line" >>"$results"
      jq -r '"  \(.server | . + "        " | .[0:9]) \(.load_file | . + "                " | .[0:16]) \(.rps | floor) req/s  p50 \(.p50_ms) ms  p99 \(.p99_ms) ms  \(.bytes_per_response) B/resp  non-2xx \(.non_2xx)"' <<<"$(tail -1 "$results")"
    done
  done
done

declare -A peak_rss_mb=()
for name in "${server_names[@]}"; do peak_rss_mb[$name]=$(( $(hwm_kb "${server_pid[$name]}") / 1024 )); done
zoomchat_log_mb=$(( $(stat -c %s "$run/zoomchat.log") / 1048576 ))
cleanup; started_pids=()

# ---------------------------------------------------------------- summary
trial=no
if (( messages < 1000000 || rounds < 3 || duration < 15 )); then trial=yes; fi
gen_file_rate=$(jq -r '.generation.lines_per_second' "$meta")
gen_null_rate=$(jq -r '.generation.lines_per_second' "$run/generator-devnull.meta.json")
gen_null_cpu=$(jq -r '.generation.cpu_seconds' "$run/generator-devnull.meta.json")
gen_null_seconds=$(jq -r '.generation.seconds' "$run/generator-devnull.meta.json")

table=$(jq -rs --arg trial "$trial" '
  def median: sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def f1: if . == null then "–" else (. * 10 | round / 10 | tostring) end;
  def f0: if . == null then "–" else (round | tostring) end;
  def pct: if . == null then "–" else ((. * 100 | round | tostring) + "%") end;
  {"chat-get-first": ["chat/get first pages", 0.40, 5], "chat-get-deep": ["chat/get deep pages (real tokens)", 0.40, null],
   "chat-list": ["chat/list, 30 days", 0.30, 10], "chat-list-email": ["chat/list, 30 days, with email", 0.30, 10]} as $names
  | ["chat-get-first", "chat-get-deep", "chat-list", "chat-list-email"] as $order
  | group_by(.load_file) | sort_by(.[0].load_file as $l | $order | index($l)) | map(
      . as $runs | $runs[0].load_file as $load
      | (reduce ("baseline", "zoomchat", "prism") as $s ({}; . + {($s): ($runs | map(select(.server == $s)))})) as $by
      | ($by | map_values({rps: (map(.rps) | median), p50: (map(.p50_ms) | median), p99: (map(.p99_ms) | median),
                           bytes: (map(.bytes_per_response) | median), errors: (map(.non_2xx + .socket_errors + (.api_errors // 0)) | add),
                           deep: (map(.deep_pages // 0) | add), first: (map(.first_pages // 0) | add), runs: length})) as $m
      | ($m.zoomchat.rps / $m.baseline.rps) as $ratio
      | (if $m.prism.runs > 0 then ($m.prism.rps | f0) + " (" + ($m.prism.rps / $m.baseline.rps | pct) + ")" else "–" end) as $prism
      | $names[$load] as $n
      | "| \($n[0]) | \($m.baseline.rps | f0) | \($m.zoomchat.rps | f0) | **\($ratio | pct)** | \($m.zoomchat.p50 | f1) / \($m.zoomchat.p99 | f1) | \($m.baseline.p50 | f1) / \($m.baseline.p99 | f1) | \($prism) | \($m.zoomchat.bytes | f0) / \($m.baseline.bytes | f0) | \($m.zoomchat.errors) | ≥ \($n[1] | pct)\(if $n[2] then ", p99 ≤ \($n[2]) ms" else "" end)"
        + (if $trial == "yes" then " |" else " | " + (if $ratio >= $n[1] and ($n[2] == null or $m.zoomchat.p99 <= $n[2]) then "yes" else "**no**" end) + " |" end)
    ) | .[]' "$results")
deep_share=$(jq -rs '[.[] | select(.server == "zoomchat" and .load_file == "chat-get-deep")] as $r
  | if ($r | length) == 0 then "" else ($r | map(.deep_pages) | add) as $d | ($r | map(.first_pages) | add) as $f | ($r | map(.finished_traversals) | add) as $t
    | "\($d) of \($d + $f) ZoomChat requests in the deep-page load followed a token (\($t) traversals ran to their last page)." end' "$results")

if [ "$trial" = yes ]; then
  heading="Trial of the tooling: $(commas "$messages") messages, ${duration} s runs, $rounds round(s) — not a measurement against the targets"
else
  heading="$(commas "$messages") messages, $rounds rounds of ${duration} s"
fi
archive_shape=$(jq -r '"\(.sessions.count) sessions (\(.sessions.one_on_one) 1:1; median \(.sessions.median_messages) messages, p99 \(.sessions.p99_messages), largest \(.sessions.largest_messages)) in \(.accounts | length) accounts; texts of \(.message_text_bytes.mean) bytes on average (median \(.message_text_bytes.median), p99 \(.message_text_bytes.p99), max \(.message_text_bytes.max)); \(.first) to \(.last)"' "$meta")

# Growth (the target: p50 within 1.3x from 1M to 10M): against the 1M run of the same seed, if there is one.
growth=""
smaller="$data/run-m1000000-s$seed-a$accounts/results.jsonl"
if (( messages > 1000000 )) && [ -s "$smaller" ]; then
  growth=$(jq -rs --slurpfile small "$smaller" '
    def median: sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
    def p50($runs; $load): $runs | map(select(.server == "zoomchat" and .load_file == $load) | .p50_ms) | median;
    . as $big | [("chat-get-first", "chat-get-deep", "chat-list", "chat-list-email") as $l
      | (p50($big; $l)) as $b | (p50($small; $l)) as $s
      | select($b != null and $s != null and $s > 0) | "\($l) \($b / $s * 100 | round / 100)x"] | join(", ")' "$results")
  [ -n "$growth" ] && growth="ZoomChat p50 growth from the 1M run ($(rel "$smaller")): $growth (target: within 1.3x)."
fi
cpu_model=$(lscpu 2>/dev/null | awk -F': *' '/^Model name/ { print $2; exit }')
memory=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
header_row="| load | baseline req/s | ZoomChat req/s | ZoomChat / baseline | ZoomChat p50 / p99 ms | baseline p50 / p99 ms | Prism req/s (/ baseline) | bytes per response, ZoomChat / baseline | ZoomChat errors | target |"
rule_row="|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
if [ "$trial" = no ]; then header_row+=" met |"; rule_row+="---|"; fi

section=$(cat <<EOF
### $heading

Run $started_at with \`$invocation\` (DURATION=$duration, THREADS=$threads, CONNECTIONS=$connections), on
$(nproc) CPUs ($cpu_model), $memory, Linux $(uname -r), .NET SDK $(dotnet --version), $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2);
wrk on the same machine. Load average before the run: $machine_load. ZoomChat: $zoomchat_version.

| figure | measured |
|---|---|
| archive | $archive_shape |
| generator | $(commas "$gen_file_rate") lines/s writing $(rel "$archive") ($(jq -r '.bytes / 1e6 | round' "$meta") MB) when it was made; $(commas "$gen_null_rate") lines/s to /dev/null in this run ($gen_null_seconds s, $gen_null_cpu CPU s) |
| import | $(commas "$import_rate") messages/s: $stored stored, $duplicates duplicates, $rejected rejected in $import_seconds s ($import_cpu CPU s); peak RSS $((import_rss_kb / 1024)) MB; store $((store_bytes / 1048576)) MB |
| ZoomChat start | \`/healthz\` answered $zoomchat_ready_ms ms after start; the first chat/get page $first_page_ms ms after start |
| peak RSS under load | ZoomChat ${peak_rss_mb[zoomchat]} MB, baseline ${peak_rss_mb[baseline]} MB$( [ -n "${peak_rss_mb[prism]:-}" ] && echo ", Prism ${peak_rss_mb[prism]} MB") |
| baseline page | $(sed 's/^baseline: //' <<<"$baseline_page") |

ZoomChat's answers, each load for 2 s with every body looked at: $checks.

Medians of $rounds run(s) per load and server; latencies as wrk measures them (with 64 connections
they include queueing).

$header_row
$rule_row
$table

$deep_share ZoomChat's request log: $zoomchat_log_mb MB. ${prism_note} ${growth}

Commands (paths from the repository root):

    $generate_command
    $import_command
    ${server_command[baseline]}
    ${server_command[zoomchat]}
$( [ -n "${server_command[prism]:-}" ] && echo "    ${server_command[prism]}")
    ZOOMCHAT_BENCH_TARGETS=$(rel "$targets") wrk -t$threads -c$connections -d${duration}s --timeout 10s -s bench/wrk/LOAD.lua http://127.0.0.1:PORT
EOF
)

say "results"
printf '%s\n' "$section"

if [ "$docs" = on ]; then
  doc="$root/docs/benchmarks.md"
  begin="<!-- bench:results:$messages:begin -->"
  end="<!-- bench:results:$messages:end -->"
  block=$(mktemp)
  { echo "$begin"; printf '%s\n' "$section" | sed 's/[[:space:]]*$//'; echo "$end"; } >"$block"
  if grep -qF "$begin" "$doc"; then
    awk -v begin="$begin" -v end="$end" -v block="$block" '
      $0 == begin { while ((getline line < block) > 0) print line; skipping = 1; next }
      $0 == end { skipping = 0; next }
      !skipping { print }' "$doc" >"$doc.new"
  else
    { cat "$doc"; echo; cat "$block"; } >"$doc.new"
  fi
  mv "$doc.new" "$doc"
  rm -f "$block"
  echo; echo "written to docs/benchmarks.md (section for $messages messages)"
fi
