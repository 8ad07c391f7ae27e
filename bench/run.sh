#!/usr/bin/env bash
# The benchmark of docs/benchmarks.md in one command: builds ZoomChat and the bench tools in Release, generates (or
# reuses) a seeded archive, imports it (timed, peak RSS), starts the baseline, ZoomChat and Prism,
# runs each wrk load against them in turn, round after round, and prints medians, percentiles and
# ratios to the baseline; then writes them into docs/benchmarks.md. See docs/benchmarks.md.
#
#   bench/run.sh                          1M messages, 3 rounds of 15 s per load and server
#   bench/run.sh --messages 10000000      the size of the targets
#   DURATION=5 bench/run.sh --messages 100000 --rounds 1     a quick trial of the tooling
#   bench/run.sh --store-kind postgres    ZoomChat on PostgreSQL beside ZoomChat on SQLite and the baseline
#
# Needs: the .NET SDK, wrk, curl, jq, GNU time (apt-get install wrk jq time curl); npm for Prism;
# PostgreSQL 15 (pg_config --bindir) for --store-kind postgres.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/run.sh [--messages N] [--seed S] [--accounts K] [--rounds R] [--duration SECONDS]
                    [--loads a,b,...] [--ref GIT_REF] [--prism-spec FILE] [--no-docs] [--reuse-store]
                    [--store-kind sqlite|postgres] [--postgres URL]

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
  --store-kind K    sqlite (default): ZoomChat on SQLite beside the baseline; postgres: also ZoomChat on
                    PostgreSQL, imported into a fresh database of a throwaway PostgreSQL 15 cluster
                    (bench/pg-cluster.sh) that is stopped and removed at the end; its results go to
                    their own section of docs/benchmarks.md
  --postgres URL    with --store-kind postgres: use this server (postgres://user[:password]@host[:port],
                    a user that may create databases) instead of a throwaway cluster; database
                    zoomchat_bench is created there (dropped first if it exists) and left in place

Environment: THREADS (2), CONNECTIONS (64), WARMUP seconds per load and server (5),
PORT (18090: ZoomChat; +1 baseline, +2 Prism, +3 ZoomChat on PostgreSQL), ZOOMCHAT_REQUEST_LOG=off to silence ZoomChat's
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
store_kind=sqlite
postgres_url=""
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
    --store-kind) store_kind=$2; shift 2 ;;
    --postgres) postgres_url=$2; shift 2 ;;
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

case "$store_kind" in sqlite|postgres) ;;
  *) echo "bench/run.sh: --store-kind: '$store_kind' is neither sqlite nor postgres" >&2; exit 2 ;;
esac
if [ -n "$postgres_url" ] && [ "$store_kind" != postgres ]; then
  echo "bench/run.sh: --postgres goes with --store-kind postgres" >&2; exit 2
fi

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

# shellcheck source=bench/pg-cluster.sh
source "$bench/pg-cluster.sh"
if [ "$store_kind" = postgres ]; then
  if [ -n "$postgres_url" ]; then pg_cluster_use "$postgres_url"; else pg_find_binaries; fi
fi

declare -a started_pids=()
stop_pid() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  for pid in "${started_pids[@]}"; do stop_pid "$pid"; done
  started_pids=()
}
trap 'cleanup; pg_cluster_stop' EXIT
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
# Accounts, API keys, archive viewers and their tokens in a store, one JSON line of credentials per account.
make_credentials() { # credentials file
  local credentials=$1
  rm -f "$credentials"
  jq -c '.accounts[] | {account, admin_email}' "$meta" | while read -r row; do
    name=$(jq -r .account <<<"$row")
    admin=$(jq -r .admin_email <<<"$row")
    zc account create "$name" >/dev/null
    key=$(zc key create --account "$name")
    zc user add --account "$name" --email "$admin" --archive-viewer >/dev/null
    token=$(zc token issue --account "$name" --email "$admin")
    jq -cn --arg account "$name" --argjson key "$key" --argjson token "$token" \
      '{account: $account, api_key: $key.api_key, api_secret: $key.api_secret, access_token: $token.access_token}' >>"$credentials"
  done
}
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
import_command="/usr/bin/time -v $(rel "$zoomchat") import $(rel "$archive") --store $(rel "$store") --json"
import_when=""
if [ "$reuse_store" = on ] && [ -s "$store" ] && [ -s "$run/credentials.json" ] && [ -s "$run/import.json" ]; then
  say "store: reusing $(rel "$store")"
  # Its import figures are those of the run that made it, which may be of another build.
  import_when=" (not this run's: the reused store's import, $(date -u -r "$run/import.json" '+%Y-%m-%d %H:%M UTC'))"
else
  say "store: accounts, API keys, archive viewers and their tokens"
  rm -f "$store" "$store-wal" "$store-shm"
  make_credentials "$run/credentials.json"

  say "store: import $(rel "$archive")"
  loadavg >"$run/import.load-before"
  /usr/bin/time -v -o "$run/import.time" "$zoomchat" import "$archive" --store "$store" --json >"$run/import.json" 2>"$run/import.err" || {
    echo "bench/run.sh: the import failed; see $(rel "$run/import.err")" >&2; tail -5 "$run/import.err" >&2; exit 1; }
  loadavg >"$run/import.load-after"
fi
import_load="$(cat "$run/import.load-before" 2>/dev/null || echo unknown) before, $(cat "$run/import.load-after" 2>/dev/null || echo unknown) after"
import_seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$run/import.time")
import_rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$run/import.time")
import_cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { print u + s }' "$run/import.time")
read -r stored duplicates rejected < <(jq -r '"\(.stored) \(.duplicates) \(.rejected)"' "$run/import.json")
import_rate=$(awk -v n="$stored" -v s="$import_seconds" 'BEGIN { printf "%.0f", (s > 0) ? n / s : 0 }')
store_bytes=$(du -cb "$store"* | tail -1 | cut -f1)
echo "import$import_when: $stored stored, $duplicates duplicates, $rejected rejected in ${import_seconds}s = $import_rate msg/s; peak RSS $((import_rss_kb / 1024)) MB; store $((store_bytes / 1048576)) MB; load average $import_load"
if [ "$rejected" != 0 ]; then
  echo "bench/run.sh: warning: the import rejected $rejected lines; first reasons:" >&2; head -3 "$run/import.err" >&2
fi

# ---------------------------------------------------------------- PostgreSQL: a fresh database, the same archive
# CPU seconds of the whole cluster: the postmaster, its live children, and the children it has reaped
# (cutime, cstime), such as the import's backends once its connections close (proc(5), /proc/PID/stat).
# The postmaster is found from its data directory: the throwaway cluster's, or a given server's when it
# runs on this machine; 0 otherwise.
pg_postmaster=""
pg_cpu_seconds() {
  local postmaster=$pg_postmaster
  if [ -z "$postmaster" ] || [ ! -d "/proc/$postmaster" ]; then echo 0; return; fi
  local ticks; ticks=$(getconf CLK_TCK)
  { cat "/proc/$postmaster/stat"; for child in $(pgrep -P "$postmaster"); do cat "/proc/$child/stat" 2>/dev/null || true; done; } \
    | awk -v ticks="$ticks" -v root="$postmaster" '{ sub(/^.*\) /, ""); total += $12 + $13; if (NR == 1) total += $14 + $15 } END { printf "%.2f", total / ticks }'
}
if [ "$store_kind" = postgres ]; then
  say "PostgreSQL: a fresh database"
  if [ -z "$postgres_url" ]; then pg_cluster_start; fi
  pg_store=$(pg_createdb zoomchat_bench)
  pg_postmaster=$(head -1 "$(pg_psql postgres -At -c "SHOW data_directory;")/postmaster.pid" 2>/dev/null || true)
  pg_version=$(pg_psql postgres -At -c "SHOW server_version;")
  pg_settings=$(pg_psql postgres -At -F ' ' -c "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name) FROM pg_settings
    WHERE name IN ('shared_buffers', 'fsync', 'synchronous_commit', 'max_wal_size', 'max_connections', 'work_mem');")
  echo "PostgreSQL $pg_version ($([ -n "$postgres_url" ] && echo "given" || echo "throwaway cluster in $PG_FOLDER")): $pg_settings"
  pg_zoomchat_store=$store
  store=$pg_store
  make_credentials "$run/credentials-pg.json"
  say "PostgreSQL: import $(rel "$archive")"
  pg_import_load_before=$(loadavg)
  pg_cpu_before=$(pg_cpu_seconds)
  /usr/bin/time -v -o "$run/import-pg.time" "$zoomchat" import "$archive" --store "$pg_store" --json >"$run/import-pg.json" 2>"$run/import-pg.err" || {
    echo "bench/run.sh: the import into PostgreSQL failed; see $(rel "$run/import-pg.err")" >&2; tail -5 "$run/import-pg.err" >&2; exit 1; }
  pg_import_load_after=$(loadavg)
  sleep 1 # the import's backends exit once its connections close
  pg_import_db_cpu=$(awk -v a="$pg_cpu_before" -v b="$(pg_cpu_seconds)" 'BEGIN { printf "%.1f", b - a }')
  store=$pg_zoomchat_store
  pg_import_seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$run/import-pg.time")
  pg_import_rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$run/import-pg.time")
  pg_import_cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { print u + s }' "$run/import-pg.time")
  pg_stored=$(jq -r .stored "$run/import-pg.json")
  pg_rejected=$(jq -r .rejected "$run/import-pg.json")
  pg_import_rate=$(awk -v n="$pg_stored" -v s="$pg_import_seconds" 'BEGIN { printf "%.0f", (s > 0) ? n / s : 0 }')
  pg_database_mb=$(pg_psql zoomchat_bench -At -c "SELECT pg_database_size(current_database()) / 1048576;")
  echo "import into PostgreSQL: $pg_stored stored, $pg_rejected rejected in ${pg_import_seconds}s = $pg_import_rate msg/s; peak RSS $((pg_import_rss_kb / 1024)) MB; zoomchat $pg_import_cpu CPU s, the database $pg_import_db_cpu CPU s; database $pg_database_mb MB; load average $pg_import_load_before before, $pg_import_load_after after"
  # As autovacuum would after a bulk load; its time is not the import's.
  pg_psql zoomchat_bench -c "VACUUM ANALYZE;"
fi

# ---------------------------------------------------------------- targets for the load scripts
targets="$run/targets.lua"
jq -r --slurpfile creds <(jq -s . "$run/credentials.json") -f "$bench/wrk/targets.jq" "$meta" >"$targets"
declare -A server_targets=([zoomchat]=$targets [baseline]=$targets [prism]=$targets)
if [ "$store_kind" = postgres ]; then
  # The same requests with the PostgreSQL store's own credentials.
  server_targets[zoomchat-pg]="$run/targets-pg.lua"
  jq -r --slurpfile creds <(jq -s . "$run/credentials-pg.json") -f "$bench/wrk/targets.jq" "$meta" >"${server_targets[zoomchat-pg]}"
fi

# ---------------------------------------------------------------- servers
server_names=(baseline zoomchat)
declare -A server_port=([zoomchat]=$port [baseline]=$((port + 1)) [prism]=$((port + 2)) [zoomchat-pg]=$((port + 3)))
declare -A server_pid=() server_prefix=([zoomchat]=/v1 [baseline]=/v1 [prism]="" [zoomchat-pg]=/v1) server_command=()

port_in_use() { curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/" ; }
for name in zoomchat baseline prism zoomchat-pg; do
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
# The first real answer: a first page of the largest session over its whole life. Sets first_page_ms.
first_page_ms=0
first_answer() { # server credentials-file ready-ms
  local name=$1 credentials=$2 ready=$3
  local body page started
  body=$(jq -r --slurpfile creds <(jq -s . "$credentials") '
    .accounts[0] as $a | $a.big_sessions[0] as $s | ($creds[0][] | select(.account == $a.account)) as $k
    | "api_key=\($k.api_key)&api_secret=\($k.api_secret)&access_token=\($k.access_token)&session_id=\($s.session_id)&from=\($s.first)&to=\($s.last)"' "$meta")
  started=$(now_ms)
  page=$(curl -s -X POST "http://127.0.0.1:${server_port[$name]}/v1/chat/get" -d "$body")
  first_page_ms=$(( $(now_ms) - started + ready ))
  if ! jq -e '.chat_messages | length > 0' >/dev/null 2>&1 <<<"$page"; then
    echo "bench/run.sh: $name's first chat/get page holds no messages: ${page:0:300}" >&2; exit 1
  fi
  echo "$name: /healthz after $ready ms; the first chat/get page ($(jq '.page_count' <<<"$page") pages in all) answered $first_page_ms ms after start"
}
first_answer zoomchat "$run/credentials.json" "$zoomchat_ready_ms"
sqlite_first_page_ms=$first_page_ms

if [ "$store_kind" = postgres ]; then
  server_command[zoomchat-pg]="$(rel "$zoomchat") serve --store ${pg_store} --urls http://127.0.0.1:${server_port[zoomchat-pg]} --rate-limits off --error-status http"
  start_server zoomchat-pg "http://127.0.0.1:${server_port[zoomchat-pg]}/healthz" \
    env "${zoomchat_env[@]}" "$zoomchat" serve --store "$pg_store" --urls "http://127.0.0.1:${server_port[zoomchat-pg]}" --rate-limits off --error-status http
  pg_ready_ms=$ready_ms
  first_answer zoomchat-pg "$run/credentials-pg.json" "$pg_ready_ms"
  pg_first_page_ms=$first_page_ms
  server_names+=(zoomchat-pg)
fi
first_page_ms=$sqlite_first_page_ms

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
# utime + stime of a process (proc(5)); the comm field may hold spaces, so fields count from its ')'.
process_cpu_seconds() {
  awk -v ticks="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / ticks }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# ---------------------------------------------------------------- loads
results="$run/results.jsonl"
: >"$results"
run_wrk() { # server load seconds round
  local name=$1 load=$2 seconds=$3 round=$4
  ZOOMCHAT_BENCH_TARGETS="${server_targets[$name]}" ZOOMCHAT_BENCH_PREFIX="${server_prefix[$name]}" ZOOMCHAT_BENCH_ROUND="$round" \
    wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 10s -s "$bench/wrk/$load.lua" "http://127.0.0.1:${server_port[$name]}"
}

# What ZoomChat answers: each load for 2 s with every body looked at (errors, empty pages).
say "check: ZoomChat's answers to each load"
checks=""
pg_checks=""
check_servers=(zoomchat); [ "$store_kind" = postgres ] && check_servers+=(zoomchat-pg)
for name in "${check_servers[@]}"; do
  for load in "${load_list[@]}"; do
    out="$run/check-$load$([ "$name" = zoomchat ] || echo "-$name").txt"
    ZOOMCHAT_BENCH_CHECK=1 ZOOMCHAT_BENCH_TARGETS="${server_targets[$name]}" ZOOMCHAT_BENCH_ROUND=-1 \
      wrk -t1 -c8 -d2s --timeout 10s -s "$bench/wrk/$load.lua" "http://127.0.0.1:${server_port[$name]}" >"$out"
    check=$(grep '^BENCH_RESULT ' "$out" | tail -1 | cut -d' ' -f2- | jq -r '
      "\(.load): \(.requests) answers, " + (if .full_pages != null then "\(.full_pages) with rows, \(.empty_pages) empty, " else "\(.deep_pages) via a token, " end)
      + "\(.api_errors + .non_2xx + .socket_errors) errors"')
    echo "  $name $check"
    if [ "$name" = zoomchat ]; then checks+="${checks:+; }$check"; else pg_checks+="${pg_checks:+; }$check"; fi
  done
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
    # (the servers but Prism, in reverse, on even rounds; Prism last).
    order=("${server_names[@]}")
    if (( round % 2 == 0 )); then
      order=()
      for (( i = ${#server_names[@]} - 1; i >= 0; i-- )); do [ "${server_names[$i]}" = prism ] || order+=("${server_names[$i]}"); done
      [[ " ${server_names[*]} " == *" prism "* ]] && order+=(prism)
    fi
    for name in "${order[@]}"; do
      out="$run/wrk-$load-$name-$round.txt"
      # CPU seconds of the server (and of the database, for ZoomChat on PostgreSQL) over the run: on a
      # shared machine CPU per request holds where requests per second swing.
      cpu_before=$(process_cpu_seconds "${server_pid[$name]}"); db_before=$(pg_cpu_seconds)
      run_wrk "$name" "$load" "$duration" "$round" >"$out"
      cpu_after=$(process_cpu_seconds "${server_pid[$name]}"); db_after=$(pg_cpu_seconds)
      line=$(grep '^BENCH_RESULT ' "$out" | tail -1 | cut -d' ' -f2-)
      [ -n "$line" ] || { echo "bench/run.sh: wrk printed no result; see $(rel "$out")" >&2; exit 1; }
      jq -c --arg server "$name" --arg load "$load" --argjson round "$round" --argjson hwm "$(hwm_kb "${server_pid[$name]}")" \
        --argjson load1 "$(cut -d' ' -f1 /proc/loadavg)" --argjson cpu "$(awk -v a="$cpu_before" -v b="$cpu_after" 'BEGIN { printf "%.2f", b - a }')" \
        --argjson db_cpu "$(awk -v a="$db_before" -v b="$db_after" 'BEGIN { printf "%.2f", b - a }')" \
        '. + {server: $server, load_file: $load, round: $round, server_hwm_kb: $hwm, load1: $load1, server_cpu_s: $cpu}
           + (if $server == "zoomchat-pg" then {db_cpu_s: $db_cpu} else {} end)' <<<"$line" >>"$results"
      jq -r '"  \(.server | . + "           " | .[0:11]) \(.load_file | . + "                " | .[0:16]) \(.rps | floor) req/s  p50 \(.p50_ms) ms  p99 \(.p99_ms) ms  \(.bytes_per_response) B/resp  non-2xx \(.non_2xx)  load \(.load1)"' <<<"$(tail -1 "$results")"
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
| import$import_when | $(commas "$import_rate") messages/s: $stored stored, $duplicates duplicates, $rejected rejected in $import_seconds s ($import_cpu CPU s); peak RSS $((import_rss_kb / 1024)) MB; store $((store_bytes / 1048576)) MB |
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

if [ "$store_kind" = postgres ]; then
  # ZoomChat on PostgreSQL beside ZoomChat on SQLite and the baseline, run by run in the same rounds: the
  # ratio of each round's PostgreSQL to SQLite requests/s, whose median is the figure against the target.
  pg_table=$(jq -rs --arg trial "$trial" '
    def median: sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
    def f1: if . == null then "–" else (. * 10 | round / 10 | tostring) end;
    def f0: if . == null then "–" else (round | tostring) end;
    def pct: if . == null then "–" else ((. * 100 | round | tostring) + "%") end;
    {"chat-get-first": "chat/get first pages", "chat-get-deep": "chat/get deep pages (real tokens)",
     "chat-list": "chat/list, 30 days", "chat-list-email": "chat/list, 30 days, with email"} as $names
    | ["chat-get-first", "chat-get-deep", "chat-list", "chat-list-email"] as $order
    | group_by(.load_file) | sort_by(.[0].load_file as $l | $order | index($l)) | map(
        . as $runs | $runs[0].load_file as $load
        | (reduce ("baseline", "zoomchat", "zoomchat-pg") as $s ({}; . + {($s): ($runs | map(select(.server == $s)))})) as $by
        | ($by | map_values({rps: (map(.rps) | median), p50: (map(.p50_ms) | median), p99: (map(.p99_ms) | median),
                             cpu_us: (map(((.server_cpu_s + (.db_cpu_s // 0)) * 1e6 / .requests)) | median),
                             db_us: (map(select(.db_cpu_s != null) | .db_cpu_s * 1e6 / .requests) | median),
                             errors: (map(.non_2xx + .socket_errors + (.api_errors // 0)) | add)})) as $m
        | [$by.zoomchat[] | .round as $r | .rps as $q | ($by["zoomchat-pg"][] | select(.round == $r) | .rps / $q)] as $ratios
        | ($ratios | median) as $ratio
        | ($runs | map(.load1)) as $loads
        | "| \($names[$load]) | \($m.baseline.rps | f0) | \($m.zoomchat.rps | f0) | \($m["zoomchat-pg"].rps | f0) | **\($ratio | pct)** (\($ratios | min | pct)–\($ratios | max | pct)) | \($m.zoomchat.rps / $m.baseline.rps | pct) | \($m["zoomchat-pg"].rps / $m.baseline.rps | pct) | \($m.zoomchat.p50 | f1) / \($m.zoomchat.p99 | f1) | \($m["zoomchat-pg"].p50 | f1) / \($m["zoomchat-pg"].p99 | f1) | \($m.zoomchat.cpu_us | f0) | \($m["zoomchat-pg"].cpu_us | f0) (\($m["zoomchat-pg"].db_us | f0)) | \($m.zoomchat.errors) / \($m["zoomchat-pg"].errors) | \($loads | min)–\($loads | max) |"
          + (if $trial == "yes" then "" else " " + (if $ratio >= 0.6 then "yes" else "**no**" end) + " |" end)
      ) | .[]' "$results")
  pg_header="| load | baseline req/s | SQLite req/s | PostgreSQL req/s | PostgreSQL / SQLite, median of rounds (range) | SQLite / baseline | PostgreSQL / baseline | SQLite p50 / p99 ms | PostgreSQL p50 / p99 ms | CPU µs per request, SQLite | CPU µs per request, PostgreSQL (of it the database) | errors SQLite / PostgreSQL | load average at the runs' ends |"
  pg_rule="|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  if [ "$trial" = no ]; then pg_header+=" PostgreSQL ≥ 60% of SQLite |"; pg_rule+="---|"; fi
  pg_where=$([ -n "$postgres_url" ] && echo "a given server" || echo "a throwaway cluster (bench/pg-cluster.sh)")
  section=$(cat <<EOF
### ZoomChat on PostgreSQL beside SQLite: $heading

Run $started_at with \`$invocation\` (DURATION=$duration, THREADS=$threads, CONNECTIONS=$connections), on
$(nproc) CPUs ($cpu_model), $memory, Linux $(uname -r), .NET SDK $(dotnet --version), $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2);
wrk, ZoomChat's servers and PostgreSQL on the same machine. Load average before the run: $machine_load.
ZoomChat: $zoomchat_version. PostgreSQL $pg_version on $pg_where: $pg_settings.

| figure | measured |
|---|---|
| archive | $archive_shape |
| import into a fresh SQLite store$import_when | $(commas "$import_rate") messages/s: $stored stored, $rejected rejected in $import_seconds s ($import_cpu CPU s); peak RSS $((import_rss_kb / 1024)) MB; store $((store_bytes / 1048576)) MB; load average $import_load |
| import into a fresh PostgreSQL database | $(commas "$pg_import_rate") messages/s: $pg_stored stored, $pg_rejected rejected in $pg_import_seconds s (zoomchat $pg_import_cpu CPU s, the database $pg_import_db_cpu CPU s); peak RSS of zoomchat $((pg_import_rss_kb / 1024)) MB; database $pg_database_mb MB; load average $pg_import_load_before before, $pg_import_load_after after |
| start | SQLite: \`/healthz\` after $zoomchat_ready_ms ms, the first chat/get page after $first_page_ms ms; PostgreSQL: after $pg_ready_ms ms and $pg_first_page_ms ms |
| peak RSS under load | ZoomChat on SQLite ${peak_rss_mb[zoomchat]} MB, on PostgreSQL ${peak_rss_mb[zoomchat-pg]} MB (the database's processes not counted), baseline ${peak_rss_mb[baseline]} MB |

Answers, each load for 2 s with every body looked at: SQLite $checks; PostgreSQL $pg_checks.

Medians of $rounds run(s) per load and server, the servers taking turns within each round; latencies as
wrk measures them (with 64 connections they include queueing). CPU per request is the server's
utime + stime over its requests (for PostgreSQL, plus the whole cluster's), median of the rounds.

$pg_header
$pg_rule
$pg_table

Commands (paths from the repository root; PORT is the cluster's port):

    $generate_command
    $import_command
    $(rel "$zoomchat") import $(rel "$archive") --store postgres://postgres@127.0.0.1:PORT/zoomchat_bench --json
    ${server_command[baseline]}
    ${server_command[zoomchat]}
    $(sed -E 's#127\.0\.0\.1:[0-9]+/zoomchat_bench#127.0.0.1:PORT/zoomchat_bench#' <<<"${server_command[zoomchat-pg]}")
    ZOOMCHAT_BENCH_TARGETS=$(rel "$targets") wrk -t$threads -c$connections -d${duration}s --timeout 10s -s bench/wrk/LOAD.lua http://127.0.0.1:PORT
EOF
)
fi

say "results"
printf '%s\n' "$section"

if [ "$docs" = on ]; then
  doc="$root/docs/benchmarks.md"
  begin="<!-- bench:results:$messages:begin -->"
  end="<!-- bench:results:$messages:end -->"
  if [ "$store_kind" = postgres ]; then
    begin="<!-- bench:postgres:$messages:begin -->"
    end="<!-- bench:postgres:$messages:end -->"
  fi
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
