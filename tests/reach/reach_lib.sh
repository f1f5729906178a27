# shellcheck shell=bash
# reach_lib.sh - what the tests/reach/*.sh tests share (issue 9: TLS, client
# certificates, HTTP/2, proxies, rate and retry), over real sockets on
# 127.0.0.1. Source it from bash:
#
#   reach_begin NAME APILINT FIXTURE_SERVER   # $work (temp dir), EXIT trap
#   reach_need TOOL...        # exit 77 (skip) when missing; 1 when $CI is set
#   reach_certs               # CA, server and client certificates in $work
#   fixture_start REPLIES [ARG...]  # FIX_URL, FIX_PORT, FIX_LOG
#   py_start VAR SCRIPT ARG...      # a tests/reach/*.py helper; VAR_PORT
#   run_apilint TAG ARG...    # $work/TAG.{out,err,exit,json}
#   expect_exit TAG N / expect_grep FILE ERE / expect_no_grep FILE ERE
#   expect_jq TAG FILTER      # jq FILTER over TAG.json must print true
#   reach_end                 # exit 1 with the details when anything failed
#
# Every process started here is stopped by its PID on exit (nginx through
# nginx_lib.sh); every wait is bounded. Certificates are made by openssl at
# run time in $work and removed with it: nothing secret is in the tree.

# shellcheck source-path=SCRIPTDIR source=../nginx/nginx_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../nginx/nginx_lib.sh"

REACH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=${PYTHON:-/usr/bin/python3} # Debian's, not the pyenv one on PATH
work=""
reach_name=""
reach_fail=0
reach_pids=()
APILINT=""
FIXTURE=""

_reach_cleanup() {
  local pid
  for pid in ${reach_pids[@]+"${reach_pids[@]}"}; do
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  nginx_stop
  if [ -n "$work" ]; then
    if [ "$reach_fail" = 0 ] || [ -z "${REACH_KEEP:-}" ]; then
      rm -rf "$work"
    else
      echo "$reach_name: kept $work" >&2
    fi
  fi
}

_abs() {
  case $1 in
  /* | "") printf '%s' "$1" ;;
  *) printf '%s/%s' "$(pwd)" "$1" ;;
  esac
}

reach_begin() {
  reach_name=$1
  APILINT=$(_abs "$2")
  FIXTURE=$(_abs "${3:-}")
  work=$(mktemp -d "${TMPDIR:-/tmp}/apilint-reach-$reach_name.XXXXXX") || exit 1
  trap _reach_cleanup EXIT
  trap 'exit 130' INT TERM
  export NO_COLOR=1
  # The proxy environment of whoever runs the tests must not leak in.
  unset http_proxy https_proxy HTTPS_PROXY HTTP_PROXY all_proxy ALL_PROXY \
    no_proxy NO_PROXY CURL_CA_BUNDLE SSL_CERT_FILE SSL_CERT_DIR
}

# reach_need TOOL...: a path or a command name for each.
reach_need() {
  local t
  for t in "$@"; do
    if [ -x "$t" ] || command -v "$t" >/dev/null 2>&1; then
      continue
    fi
    if [ -n "${CI:-}" ]; then
      echo "$reach_name: $t not found (CI is set: .ci/install-deps installs it)" >&2
      exit 1
    fi
    echo "skip: $reach_name needs $t" >&2
    exit 77
  done
}

fail() {
  echo "FAIL [$reach_name]: $*"
  reach_fail=1
}

# The test PKI, made fresh: a server CA and a server certificate for
# 127.0.0.1/localhost ($work/ca.pem, server.pem, server.key), an unrelated CA
# ($work/other-ca.pem), a client CA and client certificate (client-ca.pem,
# client.pem, client.key, and client-enc.key: the same key under the
# password in $CLIENT_KEY_PASS), and a c_rehash'ed CA directory ($work/capath).
CLIENT_KEY_PASS=key-pa55-s3cret
reach_certs() {
  local d=$work ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  (
    cd "$d" || exit 1
    set -e
    for ca in ca other-ca client-ca; do
      openssl req -x509 "${ec[@]}" -keyout "$ca.key" -out "$ca.pem" -days 2 \
        -subj "/CN=apilint test $ca" \
        -addext basicConstraints=critical,CA:TRUE \
        -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
    done
    openssl req -new "${ec[@]}" -keyout server.key -out server.csr \
      -subj /CN=127.0.0.1 2>/dev/null
    printf '%s\n' 'subjectAltName=IP:127.0.0.1,DNS:localhost' \
      'basicConstraints=CA:FALSE' 'extendedKeyUsage=serverAuth' >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key \
      -CAcreateserial -days 2 -extfile server.ext -out server.pem 2>/dev/null
    openssl req -new "${ec[@]}" -keyout client.key -out client.csr \
      -subj /CN=apilint-client 2>/dev/null
    printf '%s\n' 'basicConstraints=CA:FALSE' \
      'extendedKeyUsage=clientAuth' >client.ext
    openssl x509 -req -in client.csr -CA client-ca.pem -CAkey client-ca.key \
      -CAcreateserial -days 2 -extfile client.ext -out client.pem 2>/dev/null
    openssl pkey -in client.key -aes256 -passout "pass:$CLIENT_KEY_PASS" \
      -out client-enc.key
    mkdir capath
    cp ca.pem capath/
    openssl rehash capath 2>/dev/null || c_rehash capath >/dev/null
  ) || {
    echo "$reach_name: openssl could not make the test certificates" >&2
    exit 1
  }
}

# wait_port_file FILE PID WHAT: until FILE has a port (10 s at most).
wait_port_file() {
  local i
  for i in $(seq 1 200); do
    [ -s "$1" ] && return 0
    if ! kill -0 "$2" 2>/dev/null; then
      echo "$reach_name: $3 exited before listening" >&2
      return 1
    fi
    sleep 0.05
  done
  echo "$reach_name: $3 wrote no port within 10 s" >&2
  return 1
}

# fixture_start REPLIES [ARG...]: the fixture server with a request log
# (--log-times is among the ARGs when a test needs timestamps).
fixture_start() {
  local replies=$1
  shift
  FIX_LOG=$work/fixture.log
  rm -f "$work/fixture.port"
  "$FIXTURE" --replies "$replies" --port-file "$work/fixture.port" \
    --log "$FIX_LOG" --max-seconds 120 "$@" >"$work/fixture.out" 2>&1 &
  reach_pids+=($!)
  wait_port_file "$work/fixture.port" $! "the fixture server" || exit 1
  read -r FIX_PORT <"$work/fixture.port"
  FIX_URL=http://127.0.0.1:$FIX_PORT
  export FIX_URL FIX_PORT
}

# py_start VAR SCRIPT ARG...: starts tests/reach/SCRIPT with
# --port-file; sets VAR_PORT and VAR_PID.
py_start() {
  local var=$1 script=$2
  shift 2
  local pf=$work/$var.port
  "$PY" "$REACH_DIR/$script" --port-file "$pf" "$@" \
    >"$work/$var.out" 2>&1 &
  local pid=$!
  reach_pids+=("$pid")
  wait_port_file "$pf" "$pid" "$script" || {
    cat "$work/$var.out" >&2
    exit 1
  }
  local port
  read -r port <"$pf"
  printf -v "${var}_PORT" '%s' "$port"
  printf -v "${var}_PID" '%s' "$pid"
}

# run_apilint TAG ARG...: from $work, with a JSON report; never hangs.
run_apilint() {
  local tag=$1
  shift
  (cd "$work" && timeout -k 5 60 "$APILINT" --json "$work/$tag.json" "$@") \
    >"$work/$tag.out" 2>"$work/$tag.err"
  echo $? >"$work/$tag.exit"
  if grep -E -q 'AddressSanitizer|LeakSanitizer|runtime error:' \
    "$work/$tag.err"; then
    fail "$tag: sanitizer report:"
    head -30 "$work/$tag.err"
  fi
}

_show() {
  echo "--- $1: exit $(cat "$work/$1.exit" 2>/dev/null) stdout ---"
  head -40 "$work/$1.out" 2>/dev/null
  echo "--- $1: stderr ---"
  head -20 "$work/$1.err" 2>/dev/null
}

expect_exit() {
  local got
  got=$(cat "$work/$1.exit")
  if [ "$got" != "$2" ]; then
    fail "$1: exit $got, expected $2"
    _show "$1"
  fi
}

expect_grep() {
  if ! grep -E -q -- "$2" "$1"; then
    fail "$(basename "$1") does not match /$2/"
    head -20 "$1"
  fi
}

expect_no_grep() {
  if grep -E -q -- "$2" "$1"; then
    fail "$(basename "$1") matches /$2/ but must not:"
    grep -E -n -- "$2" "$1" | head -5
  fi
}

expect_jq() {
  local got
  got=$(jq -c "$2" "$work/$1.json" 2>&1)
  if [ "$got" != true ]; then
    fail "$1.json: not true: $2 (got: $got)"
    _show "$1"
  fi
}

reach_end() {
  if [ "$reach_fail" != 0 ]; then
    echo "$reach_name: FAILED"
    exit 1
  fi
  echo "$reach_name: ok${1:+ ($1)}"
  exit 0
}
