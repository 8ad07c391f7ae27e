#!/usr/bin/env bash
# The query plans of chat/get and chat/list on PostgreSQL (docs/benchmarks.md#postgresql): generates (or
# reuses) the seeded archive, starts a throwaway PostgreSQL 15 cluster (bench/pg-cluster.sh), imports the
# archive into a fresh database (timed, peak RSS), runs VACUUM ANALYZE as autovacuum would after a bulk
# load, and prints EXPLAIN (ANALYZE, BUFFERS) of the statements those requests run, taken verbatim from
# src/ZoomChat.Server/Storage/Postgres/PostgresArchiveStore.cs, with the parameters of a busy session and
# of a busy user over 30 days. The cluster is stopped and removed at the end.
#
#   bench/pg-explain.sh                          10M messages (the size of the targets)
#   bench/pg-explain.sh --messages 1000000       a smaller archive
#
# Needs: the .NET SDK, jq, GNU time, PostgreSQL 15 (pg_config --bindir).
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/pg-explain.sh [--messages N] [--seed S] [--accounts K] [--postgres URL] [--no-build]

  --messages N      archive size (default 10000000)
  --seed S          generator seed (default 1)
  --accounts K      accounts in the archive (default 3)
  --postgres URL    use this server (postgres://user[:password]@host[:port], a user that may create
                    databases) instead of starting a throwaway cluster; database zoomchat_explain is
                    created there (dropped first if it exists) and left in place
  --no-build        use bench/data/bin as it is (bench/run.sh or an earlier run built it)
EOF
}

messages=10000000
seed=1
accounts=3
postgres=""
build=on
while [ $# -gt 0 ]; do
  case "$1" in
    --messages) messages=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --accounts) accounts=$2; shift 2 ;;
    --postgres) postgres=$2; shift 2 ;;
    --no-build) build=off; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench/pg-explain.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
for number in "$messages" "$seed" "$accounts"; do
  [[ "$number" =~ ^[0-9]+$ ]] || { echo "bench/pg-explain.sh: '$number' is not a whole number" >&2; exit 2; }
done
for tool in dotnet jq awk; do
  command -v "$tool" >/dev/null || { echo "bench/pg-explain.sh: '$tool' is missing" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "bench/pg-explain.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

root=$(cd "$(dirname "$0")/.." && pwd)
bench="$root/bench"
data="$bench/data"
bin="$data/bin"
out="$data/pg-explain-m$messages-s$seed-a$accounts"
source_file="$root/src/ZoomChat.Server/Storage/Postgres/PostgresArchiveStore.cs"
mkdir -p "$bin" "$out"
cd "$root"
say() { printf '\n== %s\n' "$*"; }
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

# shellcheck source=bench/pg-cluster.sh
source "$bench/pg-cluster.sh"
trap pg_cluster_stop EXIT
trap 'exit 130' INT TERM

if [ "$build" = on ]; then
  say "build (Release)"
  build_flags=(-c Release -nodeReuse:false -p:UseSharedCompilation=false --nologo -v:quiet)
  dotnet publish src/ZoomChat.Cli "${build_flags[@]}" -o "$bin/zoomchat"
  dotnet publish "$bench/ZoomChat.Bench.DataGen" "${build_flags[@]}" -o "$bin/datagen"
fi
zoomchat="$bin/zoomchat/zoomchat"
datagen="$bin/datagen/zoomchat-bench-datagen"

archive="$data/archive-m$messages-s$seed-a$accounts.ndjson"
meta="$archive.meta.json"
if [ -s "$archive" ] && [ -s "$meta" ]; then
  say "data: reusing $archive"
else
  say "data: generating $archive"
  "$datagen" --messages "$messages" --seed "$seed" --accounts "$accounts" --output "$archive"
fi

say "PostgreSQL"
if [ -n "$postgres" ]; then pg_cluster_use "$postgres"; else pg_cluster_start; fi
database=zoomchat_explain
store=$(pg_createdb "$database")
pg_psql postgres -At -c "SELECT version();" | tee "$out/version.txt"

say "import into a fresh database"
jq -r '.accounts[].account' "$meta" | while read -r name; do "$zoomchat" account create "$name" --store "$store" >/dev/null; done
api_key=$("$zoomchat" key create --account "$(jq -r '.accounts[0].account' "$meta")" --store "$store" --json | jq -r .api_key)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
/usr/bin/time -v -o "$out/import.time" "$zoomchat" import "$archive" --store "$store" --json >"$out/import.json" 2>"$out/import.err" || {
  echo "bench/pg-explain.sh: the import failed; see $out/import.err" >&2; tail -5 "$out/import.err" >&2; exit 1; }
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$out/import.time")
rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$out/import.time")
stored=$(jq -r .stored "$out/import.json")
echo "import: $stored messages in ${seconds}s = $(awk -v n="$stored" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }') msg/s; peak RSS $((rss_kb / 1024)) MB; load average $load_before before, $load_after after" \
  | tee "$out/import.txt"

say "VACUUM ANALYZE"
started=$(date +%s)
pg_psql "$database" -c "VACUUM ANALYZE;"
echo "VACUUM ANALYZE: $(( $(date +%s) - started )) s" | tee -a "$out/import.txt"
pg_psql "$database" -At -F ' ' -c "
  SELECT relname, pg_size_pretty(pg_total_relation_size(oid)) FROM pg_class
  WHERE relname IN ('messages', 'messages_by_session_time', 'messages_pkey', 'session_days', 'session_days_pkey', 'participants', 'participants_by_user')
  ORDER BY relname;" | tee "$out/sizes.txt"

# ---------------------------------------------------------------- the statements, from the source
# The nth C# raw string literal (""" ... """) after the line declaring `method`, its indentation removed.
statement() { # method nth
  # An opening """ stands alone on its line; a closing one is followed by `,` or `)`.
  awk -v method="$1" -v nth="$2" '
    !inside && index($0, " " method "(") && /(public|private|internal)/ { inside = 1; next }
    open && /^ *"""/ { exit }
    open { print substr($0, indent + 1); next }
    inside && /^ *"""$/ { if (++seen == nth) { open = 1; indent = index($0, "\"") - 1 } }
  ' "$source_file" | sed '$ s/;[[:space:]]*$//'
}
for method in FindCallerAsync CountMessagesAsync GetMessagesAsync ListSessionsAsync; do
  [ -n "$(statement "$method" 1)" ] || { echo "bench/pg-explain.sh: no SQL found after $method in $source_file" >&2; exit 1; }
done

# ---------------------------------------------------------------- parameters: a busy session, a busy user, 30 days
account=$(jq -r '.accounts[0].account' "$meta")
session_public=$(jq -r '.accounts[0].big_sessions[0].session_id' "$meta")
session_messages=$(jq -r '.accounts[0].big_sessions[0].messages' "$meta")
busy_email=$(jq -r '.accounts[0].busy_emails[0]' "$meta")
day=86400000
read -r session_first session_last < <(jq -r '.accounts[0].big_sessions[0] | "\(.first_ms) \(.last_ms)"' "$meta")
read -r account_first account_last < <(jq -r '.accounts[0] | "\(.first_ms) \(.last_ms)"' "$meta")
# 30 whole UTC days in the middle of the session's life, and of the account's.
get_from=$(( ((session_first + session_last) / 2) / day * day )); get_to=$(( get_from + 30 * day - 1 ))
list_from=$(( ((account_first + account_last) / 2) / day * day )); list_to=$(( list_from + 30 * day - 1 ))
vars=$(pg_psql "$database" -At -F ' ' -c "
  SELECT a.id, s.id, u.id, (SELECT coalesce(max(id), 0) FROM messages),
         (SELECT count(*) FROM messages m WHERE m.session_id = s.id AND m.date_time BETWEEN $get_from AND $get_to),
         (SELECT count(*) FROM sessions x WHERE x.account_id = a.id),
         (SELECT count(*) FROM participants p WHERE p.user_id = u.id)
  FROM accounts a JOIN sessions s ON s.account_id = a.id AND s.public_id = '$session_public'
  JOIN users u ON u.account_id = a.id AND u.email = '$busy_email'
  WHERE a.name = '$account';")
read -r account_id session_id user_id mark window_messages account_sessions user_sessions <<<"$vars"
# A deep page: the cursor of the 300th message of the window, as the tenth page's token carries it.
read -r cursor_time cursor_arrival < <(pg_psql "$database" -At -F ' ' -c "
  SELECT date_time, id FROM messages WHERE session_id = $session_id AND date_time >= $get_from AND id <= $mark
  ORDER BY date_time, id OFFSET 299 LIMIT 1;")
day_of() { echo $(( $1 >= 0 ? $1 / day : ($1 - day + 1) / day )); }

params="account '$account' (id $account_id, $account_sessions sessions); session $session_public (id $session_id, $session_messages messages, $window_messages of them in the chat/get window); user $busy_email (id $user_id, in $user_sessions sessions); snapshot mark $mark; chat/get window $(date -u -d @$((get_from / 1000)) +%F) to $(date -u -d @$((get_to / 1000)) +%F) (30 days); chat/list window $(date -u -d @$((list_from / 1000)) +%F) to $(date -u -d @$((list_to / 1000)) +%F) (30 days); page_size 30 (LIMIT 31)"
echo "$params" | tee "$out/parameters.txt"

# ---------------------------------------------------------------- EXPLAIN
# Each statement runs once to warm the cache, then under EXPLAIN (ANALYZE, BUFFERS): the plan shown is the
# one a server that has been answering sees. PREPARE with the types Npgsql sends; EXECUTE with the values.
explain() { # title, method, nth, parameter types, values
  local title=$1 method=$2 nth=$3 types=$4 values=$5
  local sql; sql=$(statement "$method" "$nth")
  {
    printf '\n### %s\n\n' "$title"
    printf -- '-- %s, statement %s; EXECUTE (%s)\n' "$method" "$nth" "$values"
    pg_psql "$database" <<SQL
PREPARE q($types) AS
$sql;
EXECUTE q($values) \g /dev/null
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE q($values);
SQL
  } | tee -a "$out/explain.txt"
}
: >"$out/explain.txt"
token_hash="'\\x00'::bytea"
explain "every request: the caller, the session and the snapshot mark" FindCallerAsync 1 "text, bytea, text" \
  "'$api_key', $token_hash, '$session_public'"
explain "chat/get first page, a busy session, 30 days" GetMessagesAsync 1 "bigint, bigint, bigint, bigint, bigint, integer" \
  "$session_id, $get_from, 0, $get_to, $mark, 31"
explain "chat/get deep page (the tenth), same window" GetMessagesAsync 1 "bigint, bigint, bigint, bigint, bigint, integer" \
  "$session_id, $cursor_time, $cursor_arrival, $get_to, $mark, 31"
explain "chat/get page count, same window" CountMessagesAsync 1 "bigint, bigint, bigint, bigint, bigint, bigint" \
  "$session_id, $get_from, $get_to, $mark, $(day_of "$get_from"), $(day_of "$get_to")"
explain "chat/list, 30 days, no email" ListSessionsAsync 1 "bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, text, integer" \
  "$account_id, $list_from, $list_to, $mark, $(day_of "$list_from"), $(day_of "$list_to"), NULL, NULL, NULL, 31"
explain "chat/list, 30 days, email of a busy user" ListSessionsAsync 1 "bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, text, integer" \
  "$account_id, $list_from, $list_to, $mark, $(day_of "$list_from"), $(day_of "$list_to"), $user_id, NULL, NULL, 31"
one_on_one=$(pg_psql "$database" -At -c "
  SELECT coalesce(string_agg(s.id::text, ','), '') FROM (
    SELECT DISTINCT d.session_id FROM session_days d WHERE d.account_id = $account_id AND d.day BETWEEN $(day_of "$list_from") AND $(day_of "$list_to")
  ) w JOIN sessions s ON s.id = w.session_id WHERE s.type = '1:1' LIMIT 1;" | cut -d, -f1-30)
explain "chat/list, 1:1 participants of 30 sessions of the window" ListSessionsAsync 2 "bigint[]" "'{$one_on_one}'"

say "written to $(realpath -s --relative-to="$root" "$out")/explain.txt"
