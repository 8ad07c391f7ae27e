#!/usr/bin/env bash
# The soak of docs/reliability.md#soak: builds zoomchat and the data generator in Release, imports a
# generated archive, measures the peak requests/s of a chat/get + chat/list mix (bench/wrk/soak-mix.lua),
# then holds about 80% of that rate for --minutes while fresh generated archives are imported into the
# same store, one after another. Every interval (10 s) it keeps the latency percentiles, the requests
# and the errors of that interval, and the server's RSS; at the end it prints a summary and draws RSS
# and p99 over time with gnuplot.
#
#   bench/soak.sh                        30 minutes on a SQLite store of 200,000 messages
#   bench/soak.sh --minutes 2            a quick trial of the tooling
#   bench/soak.sh --store "Host=...;Database=..."   any value `zoomchat --store` takes
#   bench/soak.sh --steady-store         the imports during the load repeat one archive, so the store keeps its size
#
# Needs: the .NET SDK, wrk, curl, jq; gnuplot (installed with apt-get when missing, if it can be).
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/soak.sh [--minutes M] [--store VALUE] [--messages N] [--import-messages N] [--import-pause S]
                     [--steady-store] [--share PERCENT] [--connections C] [--threads T] [--interval S]
                     [--png FILE]

  --minutes M          length of the paced load (default 30)
  --store VALUE        the store, as `zoomchat --store` takes it (default: a new SQLite file under
                       bench/data/soak-*/; a store given here must be empty: the script creates its accounts)
  --messages N         the archive imported before the load (default 200000)
  --import-messages N  messages in each archive imported during the load (default 20000)
  --import-pause S     seconds between the end of one import and the start of the next (default 20)
  --steady-store       import one archive of --import-messages before the load, then import that same
                       file again and again during it: every line is a duplicate, the store keeps its
                       size, and memory that still grows is not the archive's growth
  --share PERCENT      the paced rate as a share of the peak (default 80)
  --connections C      wrk connections (default 64); --threads T wrk threads (default 2)
  --interval S         seconds per sample of latency and RSS (default 10)
  --png FILE           the figure (default docs/reliability-soak.png)

Environment: PORT (18190), PEAK_SECONDS (20), SOAK_REUSE_BUILD=1 to keep the binaries of an earlier
build under bench/data/bin/ instead of publishing again.
EOF
}

minutes=30
store=""
messages=200000
import_messages=20000
import_pause=20
share=80
steady=0
connections=64
threads=2
interval=10
port=${PORT:-18190}
peak_seconds=${PEAK_SECONDS:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
png="$root/docs/reliability-soak.png"
invocation="bench/soak.sh $*"

while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes=$2; shift 2 ;;
    --store) store=$2; shift 2 ;;
    --messages) messages=$2; shift 2 ;;
    --import-messages) import_messages=$2; shift 2 ;;
    --import-pause) import_pause=$2; shift 2 ;;
    --share) share=$2; shift 2 ;;
    --steady-store) steady=1; shift ;;
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --interval) interval=$2; shift 2 ;;
    --png) png=$(realpath -m "$2"); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench/soak.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
for number in "$minutes" "$messages" "$import_messages" "$import_pause" "$share" "$connections" "$threads" "$interval" "$port" "$peak_seconds"; do
  [[ "$number" =~ ^[0-9]+$ ]] || { echo "bench/soak.sh: '$number' is not a whole number" >&2; exit 2; }
done
(( share >= 1 && share <= 100 )) || { echo "bench/soak.sh: --share must be from 1 to 100, not $share" >&2; exit 2; }

for tool in dotnet wrk curl jq awk; do
  command -v "$tool" >/dev/null || { echo "bench/soak.sh: '$tool' is missing (apt-get install wrk jq curl; the .NET SDK for dotnet)" >&2; exit 1; }
done
if ! command -v gnuplot >/dev/null; then
  echo "bench/soak.sh: gnuplot is missing; installing gnuplot-nox" >&2
  { apt-get install -y -q gnuplot-nox >/dev/null 2>&1 || sudo -n apt-get install -y -q gnuplot-nox >/dev/null 2>&1; } ||
    { echo "bench/soak.sh: could not install gnuplot (apt-get install gnuplot-nox); the figure will be missing" >&2; }
fi

bench="$root/bench"
data="$bench/data"
bin="$data/bin"
run="$data/soak-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$bin" "$run"
cd "$root"
say() { printf '\n== %s\n' "$*"; }
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

declare -a started_pids=()
stop_pid() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  touch "$run/stop"
  for pid in "${started_pids[@]}"; do stop_pid "$pid"; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

machine_load=$(cut -d' ' -f1-3 /proc/loadavg)
started_at=$(date -u '+%Y-%m-%d %H:%M UTC')
commit=$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)

say "build (Release)"
build_flags=(-c Release -nodeReuse:false -p:UseSharedCompilation=false --nologo -v:quiet)
if [ "${SOAK_REUSE_BUILD:-0}" != 1 ] || [ ! -x "$bin/zoomchat/zoomchat" ]; then
  rm -rf "$bin/zoomchat"
  dotnet publish "$root/src/ZoomChat.Cli" "${build_flags[@]}" -o "$bin/zoomchat"
  dotnet publish "$bench/ZoomChat.Bench.DataGen" "${build_flags[@]}" -o "$bin/datagen"
fi
zoomchat="$bin/zoomchat/zoomchat"
datagen="$bin/datagen/zoomchat-bench-datagen"

say "data and store"
archive="$data/archive-m$messages-s1-a3.ndjson"
meta="$archive.meta.json"
if [ ! -s "$archive" ] || [ ! -s "$meta" ]; then
  "$datagen" --messages "$messages" --seed 1 --accounts 3 --output "$archive"
fi
if [ -z "$store" ]; then
  store="$run/zoomchat.db"
fi
zc() { "$zoomchat" "$@" --store "$store" --json; }
: >"$run/credentials.json"
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
zc import "$archive" >"$run/import-base.json"
echo "imported $(jq -r .stored "$run/import-base.json") messages"
if (( steady )); then
  # The one archive the load's imports repeat; stored once here, a duplicate ever after.
  repeated="$run/repeated.ndjson"
  "$datagen" --messages "$import_messages" --seed 1001 --accounts 3 --output "$repeated" --meta "$repeated.meta.json" >/dev/null 2>>"$run/datagen.log"
  zc import "$repeated" >"$run/import-repeated.json"
  echo "imported $(jq -r .stored "$run/import-repeated.json") messages more, to be imported again during the load"
fi

# The load scripts' targets, from the generator's sidecar and the credentials (as bench/run.sh writes them).
targets="$run/targets.lua"
jq -r --slurpfile creds <(jq -s . "$run/credentials.json") -f "$bench/wrk/targets.jq" "$meta" >"$targets"

say "server"
if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
  echo "bench/soak.sh: something already listens on port $port; set PORT to another port" >&2; exit 1
fi
url="http://127.0.0.1:$port"
"$zoomchat" serve --store "$store" --urls "$url" --rate-limits off --error-status http >"$run/zoomchat.log" 2>&1 &
server=$!
started_pids+=("$server")
for _ in $(seq 1 1200); do
  kill -0 "$server" 2>/dev/null || { echo "bench/soak.sh: zoomchat serve stopped during start-up:" >&2; tail -20 "$run/zoomchat.log" >&2; exit 1; }
  curl -s -o /dev/null --max-time 1 "$url/healthz" && break
  sleep 0.1
done
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_kb() { awk '/^VmHWM/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# One wrk run: its BENCH_RESULT line, with the seconds since the soak's start.
wrk_run() { # seconds rate round (rate 0: unpaced)
  ZOOMCHAT_BENCH_TARGETS="$targets" ZOOMCHAT_BENCH_RATE="$2" ZOOMCHAT_BENCH_THREADS="$threads" ZOOMCHAT_BENCH_ROUND="$3" \
    wrk -t"$threads" -c"$connections" -d"$1s" --timeout 10s -s "$bench/wrk/soak-mix.lua" "$url" \
    | sed -n 's/^BENCH_RESULT //p'
}

say "peak: $peak_seconds s unpaced, $connections connections (after 5 s of warm-up)"
wrk_run 5 0 0 >/dev/null
peak=$(wrk_run "$peak_seconds" 0 1)
peak_rps=$(jq -r '.rps' <<<"$peak")
target_rps=$(awk -v p="$peak_rps" -v s="$share" 'BEGIN { printf "%.0f", p * s / 100 }')
echo "peak $peak_rps requests/s (p99 $(jq -r .p99_ms <<<"$peak") ms); pacing at $target_rps requests/s ($share%)"

steady_words=""
(( steady )) && steady_words=" (the same archive each time: the store keeps its size)"
say "soak: $minutes minutes at about $target_rps requests/s, imports of $import_messages messages every ${import_pause}s$steady_words"
samples="$run/samples.tsv"      # seconds since start, RSS MB, VmHWM MB
intervals="$run/intervals.jsonl" # one wrk result per interval, with .t (seconds since start at its end)
imports="$run/imports.jsonl"
: >"$samples"; : >"$intervals"; : >"$imports"
soak_start=$(date +%s)
printf '0\t%s\t%s\n' "$(( $(rss_kb "$server") / 1024 ))" "$(( $(hwm_kb "$server") / 1024 ))" >>"$samples"
rss_start_mb=$(( $(rss_kb "$server") / 1024 ))
(
  while [ ! -e "$run/stop" ]; do
    sleep "$interval"
    kill -0 "$server" 2>/dev/null || break
    printf '%s\t%s\t%s\n' "$(( $(date +%s) - soak_start ))" "$(( $(rss_kb "$server") / 1024 ))" "$(( $(hwm_kb "$server") / 1024 ))" >>"$samples"
  done
) &
started_pids+=("$!")
(
  i=0
  while [ ! -e "$run/stop" ]; do
    i=$((i + 1))
    if (( steady )); then
      file="$repeated"
    else
      file="$run/fresh-$i.ndjson"
      "$datagen" --messages "$import_messages" --seed $((1000 + i)) --accounts 3 --output "$file" --meta "$file.meta.json" >/dev/null 2>>"$run/datagen.log"
    fi
    begun=$(date +%s%N)
    if summary=$("$zoomchat" import "$file" --store "$store" --json 2>>"$run/imports.err"); then code=0; else code=$?; fi
    ended=$(date +%s%N)
    jq -cn --argjson i "$i" --argjson code "$code" --argjson t "$(( $(date +%s) - soak_start ))" \
      --argjson seconds "$(awk -v a="$begun" -v b="$ended" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')" \
      --arg summary "$summary" '{i: $i, t: $t, exit: $code, seconds: $seconds, summary: ($summary | fromjson? // $summary)}' >>"$imports"
    (( steady )) || rm -f "$file" "$file.meta.json"
    for _ in $(seq 1 "$import_pause"); do [ -e "$run/stop" ] && break; sleep 1; done
  done
) &
importer=$!
started_pids+=("$importer")

round=10
while (( $(date +%s) - soak_start < minutes * 60 )); do
  round=$((round + 1))
  line=$(wrk_run "$interval" "$target_rps" "$round")
  if [ -z "$line" ]; then line='{"requests":0,"rps":0,"p50_ms":0,"p90_ms":0,"p99_ms":0,"max_ms":0,"non_2xx":0,"socket_errors":-1}'; fi
  jq -c --argjson t "$(( $(date +%s) - soak_start ))" '. + {t: $t}' <<<"$line" >>"$intervals"
  kill -0 "$server" 2>/dev/null || { echo "bench/soak.sh: the server stopped during the soak; its log: $run/zoomchat.log" >&2; break; }
done
touch "$run/stop"
wait "$importer" 2>/dev/null || true
rss_end_mb=$(( $(rss_kb "$server") / 1024 ))
hwm_end_mb=$(( $(hwm_kb "$server") / 1024 ))
healthz=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url/healthz" || true)
log_mb=$(( $(stat -c %s "$run/zoomchat.log") / 1048576 ))
stop_pid "$server"

# ---------------------------------------------------------------- summary
summary=$(jq -rs --argjson target "$target_rps" '
  def median: sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def pct($p): sort | .[((length - 1) * $p / 100) | floor];
  def r1: . * 10 | round / 10;
  (length) as $n
  | (.[0:($n / 6 | floor)] | map(.p99_ms) | median) as $first
  | (.[($n - ($n / 6 | floor)):] | map(.p99_ms) | median) as $last
  | "intervals: \($n); requests: \(map(.requests) | add); mean rate \((map(.rps) | add) / $n | round) requests/s (aimed at \($target))\n"
  + "errors: \(map(.non_2xx) | add) non-2xx, \(map(.socket_errors) | add) socket errors\n"
  + "p50 per interval: median \(map(.p50_ms) | median | r1) ms, max \(map(.p50_ms) | max | r1) ms\n"
  + "p99 per interval: median \(map(.p99_ms) | median | r1) ms, 90th percentile \(map(.p99_ms) | pct(90) | r1) ms, max \(map(.p99_ms) | max | r1) ms; first sixth median \($first | r1) ms, last sixth median \($last | r1) ms\n"
  + "max latency: \(map(.max_ms) | max | r1) ms"' "$intervals")
import_summary=$(jq -rs '
  "imports: \(length), \(map(select(.exit == 0)) | length) exited 0, \(map(select(.exit != 0)) | length) failed; \(map(.summary.stored? // 0) | add) messages stored, \(map(.summary.duplicates? // 0) | add) duplicates; "
  + "seconds per import: median \(map(.seconds) | sort | .[length / 2 | floor]), max \(map(.seconds) | max)"' "$imports")
rss_max_mb=$(awk -F'\t' 'BEGIN { m = 0 } $2 > m { m = $2 } END { print m }' "$samples")

if command -v gnuplot >/dev/null; then
  jq -r '[.t, .p99_ms, .rps] | @tsv' "$intervals" >"$run/intervals.tsv"
  mkdir -p "$(dirname "$png")"
  gnuplot <<EOF
set terminal pngcairo size 1000,560 font ",10" noenhanced
set output "$png"
set title "bench/soak.sh: $minutes min at ~$target_rps req/s ($share% of the $peak_rps req/s peak); $(nproc) cores shared\nimports of $import_messages messages throughout$steady_words"
set xlabel "minutes"
set ylabel "RSS (MB)"
set y2label "p99 per ${interval}s interval (ms)"
set ytics nomirror
set y2tics
set yrange [0:*]
set y2range [0:*]
set offsets 0, 0, graph 0.15, 0
set key top left
set grid
plot "$samples" using (\$1/60):2 with lines lw 2 title "server RSS (MB)" axes x1y1, \
     "$run/intervals.tsv" using (\$1/60):2 with points pt 7 ps 0.5 title "p99 (ms)" axes x1y2
EOF
  figure="$png"
else
  figure="(none: gnuplot is missing)"
fi

say "results"
cat <<EOF | tee "$run/summary.txt"
Run $started_at with \`$invocation\`, zoomchat at $commit, on $(nproc) CPUs, load average before: $machine_load.
store: $store ($(jq -r .stored "$run/import-base.json") messages imported first)
peak (unpaced, $connections connections, $peak_seconds s): $peak_rps requests/s, p99 $(jq -r .p99_ms <<<"$peak") ms
paced: $connections connections, send times spaced for $target_rps requests/s (bench/wrk/soak-mix.lua through wrk's delay() hook)
$summary
$import_summary
RSS: start $rss_start_mb MB, end $rss_end_mb MB, max sampled $rss_max_mb MB, VmHWM $hwm_end_mb MB
/healthz after the soak: $healthz; request log: $log_mb MB
figure: $figure
files: $(realpath -s --relative-to="$root" "$run")/ (samples.tsv, intervals.jsonl, imports.jsonl, zoomchat.log)
EOF
