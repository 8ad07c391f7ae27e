#!/usr/bin/env bash
# The import benchmark: two zoomchat builds side by side on one archive, builds alternated round
# after round, each import into a fresh store (accounts made first), then the same file again into
# that store (every line a duplicate). Prints wall time, messages/s, CPU µs per line and peak RSS per
# run, and the medians. See docs/benchmarks.md#import.
#
#   bench/import.sh BASELINE_ZOOMCHAT CANDIDATE_ZOOMCHAT ARCHIVE.ndjson [ROUNDS]
#
# The archive is one that bench/ZoomChat.Bench.DataGen wrote, with its .meta.json beside it (for the
# account names); for another archive, set ACCOUNTS="a b c". Needs GNU time and jq.
#
# With POSTGRES=postgres://user@host:port (a server, no database named), each fresh store is the
# database zoomchat_import on it, dropped and created again (needs psql); the database's own CPU is
# not in the CPU column.
set -euo pipefail
[ $# -ge 3 ] || { sed -n '2,14p' "$0" >&2; exit 2; }
baseline=$(realpath "$1")
candidate=$(realpath "$2")
archive=$(realpath "$3")
rounds=${4:-3}
accounts=${ACCOUNTS:-$(jq -r '.accounts[].account' "$archive.meta.json" 2>/dev/null | tr '\n' ' ')}
[ -n "$accounts" ] || { echo "bench/import.sh: no accounts: set ACCOUNTS or keep $archive.meta.json beside the archive" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
results="$work/results.tsv"

run() { # label, zoomchat, store, pass
  local label=$1 zoomchat=$2 store=$3 pass=$4
  /usr/bin/time -v -o "$work/time" "$zoomchat" import "$archive" --store "$store" --json >"$work/summary.json" 2>"$work/err" ||
    { echo "bench/import.sh: $label failed:" >&2; tail -3 "$work/err" >&2; exit 1; }
  local wall cpu rss lines stored duplicates
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$work/time")
  cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { print u + s }' "$work/time")
  rss=$(awk -F': ' '/Maximum resident set size/ { print int($2 / 1024) }' "$work/time")
  read -r lines stored duplicates < <(jq -r '"\(.stored + .duplicates + .rejected) \(.stored) \(.duplicates)"' "$work/summary.json")
  awk -v l="$label" -v p="$pass" -v w="$wall" -v c="$cpu" -v r="$rss" -v n="$lines" -v s="$stored" -v d="$duplicates" 'BEGIN {
    printf "%s\t%s\t%.2f\t%.0f\t%.2f\t%d\t%d\t%d\n", l, p, w, n / w, c * 1e6 / n, r, s, d }' | tee -a "$results"
}

printf 'build\tpass\twall s\tlines/s\tCPU µs/line\tpeak RSS MB\tstored\tduplicates\n'
for round in $(seq 1 "$rounds"); do
  for label in baseline candidate; do
    zoomchat=$baseline
    [ "$label" = candidate ] && zoomchat=$candidate
    if [ -n "${POSTGRES:-}" ]; then
      store="$POSTGRES/zoomchat_import"
      psql "$POSTGRES/postgres" -X -q -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS zoomchat_import WITH (FORCE);" -c "CREATE DATABASE zoomchat_import;"
    else
      store="$work/$label.db"
      rm -f "$store" "$store"-* "$store.rate-limits"*
    fi
    for account in $accounts; do "$zoomchat" account create "$account" --store "$store" >/dev/null; done
    run "$label" "$zoomchat" "$store" fresh
    run "$label" "$zoomchat" "$store" again
  done
done

echo
echo "the median run of $rounds by lines/s, per build and pass:"
for pass in fresh again; do
  for label in baseline candidate; do
    awk -F'\t' -v l="$label" -v p="$pass" '$1 == l && $2 == p { print $4 "\t" $5 "\t" $6 }' "$results" | sort -n |
      awk -v l="$label" -v p="$pass" '{ r[NR] = $1; c[NR] = $2; m[NR] = $3 } END { k = int((NR + 1) / 2);
        printf "%-9s %-5s %8.0f lines/s  %6.2f CPU µs/line  %4d MB peak RSS\n", l, p, r[k], c[k], m[k] }'
  done
done
