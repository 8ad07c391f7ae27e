#!/usr/bin/env bash
# The floor of an import into SQLite on this machine: how fast SQLite itself stores the messages of
# a benchmark store into an empty messages table with ZoomChat's indexes and its search index (as the
# store has them, read from it), in INSERT ... SELECT statements of one transaction (no parsing, no
# checks, the import's pragmas and 64 MB page cache). No import that keeps these indexes can be faster.
# Also: the messages' indexes without the search index, the load as an import into an empty store does
# it (messages_by_session_time built after it, docs/operations.md#import-into-an-empty-store), and the
# table without indexes for scale; then the look-ups alone of a second import of the same file. Runs on
# the SQLite that the store uses (bench/ZoomChat.Bench.Baseline/ImportFloor.cs), not the sqlite3
# command, which may be too old for the search index's options.
#
#   bench/sqlite-floor.sh bench/data/run-m1000000-s1-a3/zoomchat.db
set -euo pipefail
[ $# -eq 1 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
store=$(realpath "$1")
dotnet run --project "$root/bench/ZoomChat.Bench.Baseline" -c Release -- import-floor "$store"
