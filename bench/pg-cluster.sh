# A throwaway PostgreSQL 15 cluster for the benchmarks (bench/run.sh --store-kind postgres, bench/pg-explain.sh):
# sourced, not run. pg_cluster_start makes one in a temp folder on a free port and starts it; pg_cluster_stop
# stops it and removes the folder (call it from the caller's EXIT trap). initdb and pg_ctl refuse to run
# as root, so as root they run as the `postgres` user (runuser). Settings are PostgreSQL's defaults
# (shared_buffers 128 MB, fsync on) except the port, the socket folder and max_connections, which must
# exceed the servers' pools (docs/operations.md#running-on-postgresql).
#
#   source bench/pg-cluster.sh
#   trap pg_cluster_stop EXIT
#   pg_cluster_start                 # or: pg_cluster_use postgres://user:password@host:port (a server of your own)
#   pg_createdb zoomchat_bench       # prints the database's postgres:// URL
#   pg_psql zoomchat_bench -c 'SELECT 1'

PG_BIN=""
PG_FOLDER=""
PG_PORT=""
PG_BASE=""
PG_STARTED=no

pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(( 20000 + RANDOM % 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  echo "pg-cluster: no free port found" >&2; return 1
}

pg_cluster_start() {
  pg_find_binaries || return 1
  # Not zoomchat-postgres-*: the test suite removes those folders when their owner process is gone.
  PG_FOLDER=$(mktemp -d /tmp/zoomchat-bench-pg-XXXXXX)
  chmod 755 "$PG_FOLDER"
  [ "$(id -u)" = 0 ] && chown postgres "$PG_FOLDER"
  pg_as_owner "$PG_BIN/initdb" -D "$PG_FOLDER/data" -U postgres -A trust -E UTF8 --locale=C >"$PG_FOLDER/initdb.log" 2>&1 \
    || { echo "pg-cluster: initdb failed; see $PG_FOLDER/initdb.log" >&2; return 1; }
  local attempt
  for attempt in 1 2 3; do
    PG_PORT=$(pg_free_port) || return 1
    if pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_FOLDER/data" -l "$PG_FOLDER/log" -w -t 60 start \
        -o "-p $PG_PORT -k $PG_FOLDER -c listen_addresses=127.0.0.1 -c max_connections=300" >/dev/null; then
      PG_STARTED=yes
      PG_BASE="postgres://postgres@127.0.0.1:$PG_PORT"
      return 0
    fi
  done
  echo "pg-cluster: pg_ctl start failed; see $PG_FOLDER/log" >&2; return 1
}

pg_find_binaries() {
  PG_BIN=$(pg_config --bindir 2>/dev/null || true)
  [ -x "$PG_BIN/psql" ] || PG_BIN=/usr/lib/postgresql/15/bin
  [ -x "$PG_BIN/psql" ] || { echo "pg-cluster: no PostgreSQL binaries (pg_config --bindir, /usr/lib/postgresql/15/bin): apt-get install postgresql-15" >&2; return 1; }
}

# A server of one's own instead: postgres://user[:password]@host[:port], a user that may create databases.
pg_cluster_use() {
  [[ "$1" =~ ^postgres(ql)?://[^/?]+$ ]] || { echo "pg-cluster: give postgres://user[:password]@host[:port], without a database: '${1%%:*}://...'" >&2; return 1; }
  pg_find_binaries || return 1
  PG_BASE=$1
}

pg_cluster_stop() {
  if [ "$PG_STARTED" = yes ]; then
    pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_FOLDER/data" -m fast -w -t 60 stop >/dev/null 2>&1 \
      || pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_FOLDER/data" -m immediate -w stop >/dev/null 2>&1 || true
    PG_STARTED=no
  fi
  if [ -n "$PG_FOLDER" ] && [ -d "$PG_FOLDER" ]; then rm -rf "$PG_FOLDER"; fi
  PG_FOLDER=""
}

pg_psql() { # database, psql arguments...
  local database=$1; shift
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$PG_BASE/$database" "$@"
}

# A fresh database (dropped first if it exists); prints its postgres:// URL.
pg_createdb() {
  local name=$1
  pg_psql postgres -c "DROP DATABASE IF EXISTS $name WITH (FORCE);" -c "CREATE DATABASE $name;" >/dev/null || return 1
  echo "$PG_BASE/$name"
}
