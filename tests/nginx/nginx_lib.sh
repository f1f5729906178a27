# nginx_lib.sh - start a real nginx (the Debian package's /usr/sbin/nginx)
# for a test, on 127.0.0.1 and a free port, with everything in one temporary
# directory, and stop it again. Source it from bash:
#
#   . tests/nginx/nginx_lib.sh
#   nginx_find || exit $?          # 77 (skip) when absent; 1 when $CI is set
#   nginx_start "$server_snippet" "$http_snippet" || exit 1
#   ... files into "$NGINX_ROOT", requests to "$NGINX_URL" ...
#   nginx_stop                     # by PID; removes the directory
#
# or run a command with one (tests/nginx/run_nginx.sh).
#
# nginx_start SERVER_SNIPPET [HTTP_SNIPPET]
#   SERVER_SNIPPET is text put inside the server { } block (locations...),
#   HTTP_SNIPPET text put in http { } before it (limit_req_zone...). In both,
#   @DIR@ becomes the temporary directory and @ROOT@ the document root
#   ($NGINX_DIR/www, the server's `root`). Sets NGINX_BIN, NGINX_DIR,
#   NGINX_ROOT, NGINX_PORT, NGINX_URL (http://127.0.0.1:PORT) and NGINX_PID.
#   NGINX_LISTEN_OPTS, when set, is appended to the listen directive:
#   "ssl" (NGINX_URL is then https://...), "ssl http2" (h2 by ALPN, nginx
#   1.22's syntax), "http2" (cleartext h2 with prior knowledge only); the
#   server snippet then carries ssl_certificate and the like.
#   nginx runs in the foreground of a background job (daemon off,
#   master_process off: one process, its PID is the server), with its pid
#   file, error and access logs and every *_temp_path inside NGINX_DIR, so
#   it needs no root and touches nothing outside. A port already taken is
#   retried with another (at most 20 tries). On failure prints the error log
#   and returns 1.
# nginx_stop
#   Sends SIGTERM to NGINX_PID, waits for it (at most 10 s, then SIGKILL),
#   removes NGINX_DIR (kept when NGINX_KEEP is set, for debugging). Safe to
#   call twice; install it as an EXIT trap.

NGINX_BIN=""
NGINX_DIR=""
NGINX_ROOT=""
NGINX_PORT=""
NGINX_URL=""
NGINX_PID=""

# Finds the nginx binary. Returns 0, or 77 (skip) when there is none, or 1
# when there is none but $CI is set: in CI a missing nginx is a failure, not
# a quiet skip (.ci/install-deps installs it).
nginx_find() {
  local b
  for b in "${NGINX:-}" /usr/sbin/nginx "$(command -v nginx 2>/dev/null)"; do
    if [ -n "$b" ] && [ -x "$b" ]; then
      NGINX_BIN=$b
      return 0
    fi
  done
  if [ -n "${CI:-}" ]; then
    echo "nginx not found (CI is set: install it with .ci/install-deps)" >&2
    return 1
  fi
  echo "skip: nginx not installed (apt-get install nginx-light)" >&2
  return 77
}

_nginx_write_conf() { # PORT SERVER_SNIPPET HTTP_SNIPPET
  local port=$1 server=$2 http=$3 mime=""
  [ -r /etc/nginx/mime.types ] && mime="include /etc/nginx/mime.types;"
  server=${server//@DIR@/$NGINX_DIR}
  server=${server//@ROOT@/$NGINX_ROOT}
  http=${http//@DIR@/$NGINX_DIR}
  http=${http//@ROOT@/$NGINX_ROOT}
  cat >"$NGINX_DIR/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log info;
events { worker_connections ${NGINX_WORKER_CONNECTIONS:-64}; }
http {
  $mime
  default_type application/octet-stream;
  access_log $NGINX_DIR/access.log;
  client_body_temp_path $NGINX_DIR/client_body_temp;
  proxy_temp_path $NGINX_DIR/proxy_temp;
  fastcgi_temp_path $NGINX_DIR/fastcgi_temp;
  uwsgi_temp_path $NGINX_DIR/uwsgi_temp;
  scgi_temp_path $NGINX_DIR/scgi_temp;
$http
  server {
    listen 127.0.0.1:$port${NGINX_LISTEN_OPTS:+ $NGINX_LISTEN_OPTS};
    server_name localhost;
    root $NGINX_ROOT;
$server
  }
}
CONF
}

nginx_start() {
  local server=${1:-} http=${2:-}
  [ -n "$NGINX_BIN" ] || nginx_find || return 1
  NGINX_DIR=$(mktemp -d "${TMPDIR:-/tmp}/apilint-nginx.XXXXXX") || return 1
  NGINX_ROOT=$NGINX_DIR/www
  mkdir -p "$NGINX_ROOT"
  local try port i
  for try in $(seq 1 20); do
    # A pseudo-random port in 20000-59999; a taken one makes nginx fail to
    # bind, and the next try picks another.
    port=$((20000 + (RANDOM * 32768 + RANDOM + $$ + try * 7919) % 40000))
    _nginx_write_conf "$port" "$server" "$http"
    : >"$NGINX_DIR/error.log"
    "$NGINX_BIN" -p "$NGINX_DIR" -e "$NGINX_DIR/error.log" \
      -c "$NGINX_DIR/nginx.conf" </dev/null >>"$NGINX_DIR/stdout.log" 2>&1 &
    NGINX_PID=$!
    # Ready when the pid file is written and the port answers (10 s at most).
    for i in $(seq 1 100); do
      if ! kill -0 "$NGINX_PID" 2>/dev/null; then
        break
      fi
      if [ -s "$NGINX_DIR/nginx.pid" ] &&
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        NGINX_PORT=$port
        case " ${NGINX_LISTEN_OPTS:-} " in
        *" ssl "*) NGINX_URL=https://127.0.0.1:$port ;;
        *) NGINX_URL=http://127.0.0.1:$port ;;
        esac
        return 0
      fi
      sleep 0.1
    done
    if kill -0 "$NGINX_PID" 2>/dev/null; then
      kill "$NGINX_PID" 2>/dev/null
      wait "$NGINX_PID" 2>/dev/null
    else
      wait "$NGINX_PID" 2>/dev/null
    fi
    NGINX_PID=""
    grep -q "Address already in use" "$NGINX_DIR/error.log" \
      "$NGINX_DIR/stdout.log" 2>/dev/null || break
  done
  echo "nginx did not start; its error log:" >&2
  cat "$NGINX_DIR/error.log" "$NGINX_DIR/stdout.log" >&2 2>/dev/null
  nginx_stop
  return 1
}

nginx_stop() {
  if [ -n "$NGINX_PID" ]; then
    kill "$NGINX_PID" 2>/dev/null
    local i
    for i in $(seq 1 100); do
      kill -0 "$NGINX_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$NGINX_PID" 2>/dev/null && kill -KILL "$NGINX_PID" 2>/dev/null
    wait "$NGINX_PID" 2>/dev/null
    NGINX_PID=""
  fi
  if [ -n "$NGINX_DIR" ] && [ -d "$NGINX_DIR" ]; then
    if [ -n "${NGINX_KEEP:-}" ]; then
      echo "nginx directory kept: $NGINX_DIR" >&2
    else
      rm -rf "$NGINX_DIR"
    fi
  fi
  NGINX_DIR=""
}
