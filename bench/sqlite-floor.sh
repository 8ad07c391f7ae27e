#!/usr/bin/env bash
# The floor of an import into SQLite on this machine: how fast SQLite itself stores the messages of
# a benchmark store into an empty messages table with ZoomChat's two indexes (as the store has them,
# read from it: messages_by_session_time and messages_by_hash since schema version 6), in one INSERT ... SELECT
# (one statement, one transaction, no parsing, no checks, the import's pragmas and 64 MB page cache).
# No import that keeps these indexes can be faster; the table without indexes is shown for scale. An
# import into an empty store loads without messages_by_session_time and builds it after the load
# (docs/operations.md#import-into-an-empty-store): its floor is the third line, the load then the build.
#
#   bench/sqlite-floor.sh bench/data/run-m1000000-s1-a3/zoomchat.db
#
# Needs the sqlite3 command (apt-get install sqlite3).
set -euo pipefail
[ $# -eq 1 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
source_db=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
schema=$(sqlite3 "$source_db" ".schema messages")
rows=$(sqlite3 "$source_db" "SELECT count(*) FROM messages;")

measure() { # label, schema, [SQL run after the load, in the same timing]
  rm -f "$work/floor.db"*
  local started ended
  sqlite3 "$work/floor.db" "PRAGMA journal_mode=WAL;" >/dev/null
  started=$(date +%s.%N)
  sqlite3 "$work/floor.db" >/dev/null <<SQL
PRAGMA synchronous=NORMAL;
PRAGMA cache_size=-65536;
$2
ATTACH '$source_db' AS source;
INSERT INTO messages SELECT * FROM source.messages ORDER BY id;
PRAGMA threads=2;
${3:-}
SQL
  ended=$(date +%s.%N)
  awk -v label="$1" -v n="$rows" -v a="$started" -v b="$ended" \
    'BEGIN { printf "%s: %d messages in %.1f s = %.0f messages/s\n", label, n, b - a, n / (b - a) }'
}

measure "messages with ZoomChat's indexes" "$schema"
measure "messages without indexes" "$(grep -v '^CREATE \(UNIQUE \)\?INDEX' <<<"$schema")"
deferred=$(grep '^CREATE INDEX messages_by_session_time' <<<"$schema")
measure "messages_by_session_time built after the load" "$(grep -v '^CREATE INDEX messages_by_session_time' <<<"$schema")" "$deferred"
