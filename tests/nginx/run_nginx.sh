#!/usr/bin/env bash
# run_nginx.sh - a real nginx on 127.0.0.1 for tests (see nginx_lib.sh).
#
#   run_nginx.sh run SERVER_SNIPPET_FILE [HTTP_SNIPPET_FILE] -- CMD [ARG...]
#       starts nginx, runs CMD with NGINX_PORT, NGINX_URL, NGINX_DIR and
#       NGINX_ROOT (the document root, empty: CMD puts files there)
#       exported, stops nginx and removes its directory; exits with CMD's
#       status.
#   run_nginx.sh start SERVER_SNIPPET_FILE [HTTP_SNIPPET_FILE]
#       starts nginx and prints "PORT PID DIR" (the document root is
#       DIR/www); it keeps running until
#   run_nginx.sh stop PID DIR
#       stops it by its PID and removes DIR.
#
# Snippet files hold config text for the server { } block and for http { }
# (@DIR@ and @ROOT@ are replaced). Exit status 77 when nginx is not
# installed (1 when $CI is set), 1 when it does not start.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/nginx_lib.sh"

usage() {
  sed -n '2,19p' "${BASH_SOURCE[0]}" >&2
  exit 2
}

read_snippets() { # SERVER_FILE [HTTP_FILE]
  server_text=$(cat "$1") || exit 2
  http_text=""
  if [ -n "${2:-}" ]; then
    http_text=$(cat "$2") || exit 2
  fi
}

case "${1:-}" in
run)
  shift
  [ $# -ge 1 ] || usage
  server_file=$1
  shift
  http_file=""
  if [ $# -ge 1 ] && [ "$1" != "--" ]; then
    http_file=$1
    shift
  fi
  [ "${1:-}" = "--" ] && [ $# -ge 2 ] || usage
  shift
  read_snippets "$server_file" "$http_file"
  nginx_find || exit $?
  trap nginx_stop EXIT
  nginx_start "$server_text" "$http_text" || exit 1
  export NGINX_PORT NGINX_URL NGINX_DIR NGINX_ROOT
  "$@"
  exit $?
  ;;
start)
  [ $# -ge 2 ] || usage
  read_snippets "$2" "${3:-}"
  nginx_find || exit $?
  nginx_start "$server_text" "$http_text" || exit 1
  echo "$NGINX_PORT $NGINX_PID $NGINX_DIR"
  ;;
stop)
  [ $# -eq 3 ] || usage
  NGINX_PID=$2
  NGINX_DIR=$3
  case "$NGINX_DIR" in
  */apilint-nginx.*) ;;
  *)
    echo "refusing to remove $NGINX_DIR: not an nginx_lib.sh directory" >&2
    exit 2
    ;;
  esac
  # Not our child here: wait by polling.
  kill "$NGINX_PID" 2>/dev/null
  for _ in $(seq 1 100); do
    kill -0 "$NGINX_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$NGINX_PID" 2>/dev/null && kill -KILL "$NGINX_PID" 2>/dev/null
  NGINX_PID=""
  nginx_stop
  ;;
*)
  usage
  ;;
esac
