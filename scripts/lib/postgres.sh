# Throwaway PostgreSQL cluster for the tests and benchmarks: a temporary folder, a free local
# port, trust authentication on 127.0.0.1 only, stopped and removed by pg_stop.
# Source this file, then: pg_start [extra server options…]; … "$PG_URL" …; pg_stop

pg_bindir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  return 1
}

pg_ensure_installed() {
  if ! pg_bindir >/dev/null; then
    echo "Installing PostgreSQL server (Debian package postgresql)…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
  fi
}

pg_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

pg_start() {
  pg_ensure_installed
  local bin; bin=$(pg_bindir)
  PG_DIR=$(mktemp -d /tmp/secours-pg.XXXXXX)
  PG_PORT=$(pg_free_port)
  local run_as=()
  # PostgreSQL refuses to run as root: run it as the postgres user.
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$PG_DIR"
    run_as=(runuser -u postgres --)
  fi
  "${run_as[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log"; return 1; }
  # The test suite runs its suites in parallel, each application with its own pool (and some with
  # a second instance) on a database of its own: 300 connections were seen to run out.
  "${run_as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$PG_DIR -c max_connections=1000 $*" start >/dev/null \
    || { cat "$PG_DIR/server.log"; return 1; }
  PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  PG_RUN_AS=("${run_as[@]}")
  PG_BIN=$bin
  export PG_URL PG_PORT PG_DIR
  # A service on PostgreSQL starts only with a seal key: a throwaway one for the scripts' servers.
  if [ -z "${SECOURS_SEAL_KEY:-}" ] && [ -z "${SECOURS_SEAL_KEY_FILE:-}" ]; then
    SECOURS_SEAL_KEY=$(head -c 32 /dev/urandom | base64)
    export SECOURS_SEAL_KEY
  fi
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  "${PG_RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=
}
