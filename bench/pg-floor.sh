#!/usr/bin/env bash
# The floor of an import into PostgreSQL on this machine: how fast the database itself moves the
# messages of an imported store into empty tables shaped as the store's own (`messages` and the
# search table `message_search`, each with its indexes, copied with LIKE ... INCLUDING ALL), in two
# INSERT ... SELECT statements of one transaction (no COPY from a client, no parsing, no duplicate
# checks, synchronous_commit off as the import has it). No import that keeps these indexes can be
# faster. Then the same as an import into an empty database does it: only the primary keys and
# messages_by_message_id live during the load, the indexes it puts off (docs/operations.md#import-into-an-empty-store)
# built after it. The same into tables without indexes is shown for scale. The work tables are dropped at the end.
#
#   bench/pg-floor.sh postgres://postgres@127.0.0.1:55440/zoomchat_bench
#
# Needs psql; the database is one that `zoomchat import` filled (bench/run.sh --store-kind postgres
# --postgres URL leaves zoomchat_bench in place).
set -euo pipefail
[ $# -eq 1 ] || { sed -n '2,13p' "$0" >&2; exit 2; }
url=$1
psql=(psql "$url" -X -q -A -t -v ON_ERROR_STOP=1)

# Seconds that one statement takes, from psql's \timing line.
timed() {
  "${psql[@]}" -c '\timing on' -c "$1" | awk '/^Time: / { printf "%.3f", $2 / 1000 }'
}

cleanup() { "${psql[@]}" -c "DROP TABLE IF EXISTS floor_source, floor_messages, floor_search, floor_late_messages, floor_late_search, floor_bare_messages, floor_bare_search;" 2>/dev/null || true; }
trap cleanup EXIT
cleanup

"${psql[@]}" -c "CREATE UNLOGGED TABLE floor_source AS
  SELECT m.id, m.account_id, m.session_id, m.date_time, m.sender_id, m.message_id, m.body, s.words::text AS words
  FROM messages m JOIN message_search s USING (id) ORDER BY m.id;"
rows=$("${psql[@]}" -c "SELECT count(*) FROM floor_source;")
[ "$rows" -gt 0 ] || { echo "bench/pg-floor.sh: the store holds no messages" >&2; exit 1; }
"${psql[@]}" -c "CREATE TABLE floor_messages (LIKE messages INCLUDING ALL);
  CREATE TABLE floor_search (LIKE message_search INCLUDING ALL);
  CREATE TABLE floor_late_messages (LIKE messages, PRIMARY KEY (id));
  CREATE INDEX ON floor_late_messages (account_id, message_id) WHERE message_id IS NOT NULL;
  CREATE TABLE floor_late_search (LIKE message_search, PRIMARY KEY (id));
  CREATE TABLE floor_bare_messages (LIKE messages);
  CREATE TABLE floor_bare_search (LIKE message_search);
  CHECKPOINT;"

load() { # messages table, search table
  timed "BEGIN; SET LOCAL synchronous_commit = off;
    INSERT INTO $1 SELECT id, account_id, session_id, date_time, sender_id, message_id, body FROM floor_source;
    INSERT INTO $2 (id, account_id, session_id, sender_id, date_time, words)
      SELECT id, account_id, session_id, sender_id, date_time, words::tsvector FROM floor_source;
    COMMIT;"
}

with=$(load floor_messages floor_search)
late_load=$(load floor_late_messages floor_late_search)
# The indexes PostgresSchema.DeferredIndexes names, as its version scripts define them.
late_build=$(timed "CREATE INDEX ON floor_late_messages (session_id, date_time, id);
  CREATE INDEX ON floor_late_messages (sender_id) WHERE sender_id IS NOT NULL;
  CREATE INDEX ON floor_late_search USING gin (words);
  CREATE INDEX ON floor_late_search (account_id, date_time, id);
  CREATE INDEX ON floor_late_search (session_id);")
bare=$(load floor_bare_messages floor_bare_search)
echo "PostgreSQL $("${psql[@]}" -c 'SHOW server_version;'), $rows messages; load average $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v n="$rows" -v w="$with" -v l="$late_load" -v i="$late_build" -v b="$bare" 'BEGIN {
  printf "with the store'"'"'s indexes:  %8.2f s  %9.0f messages/s\n", w, n / w
  printf "five indexes after it:    %8.2f s  %9.0f messages/s  (load %.2f s, then the indexes %.2f s)\n", l + i, n / (l + i), l, i
  printf "without indexes:          %8.2f s  %9.0f messages/s\n", b, n / b }'
