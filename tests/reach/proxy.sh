#!/usr/bin/env bash
# reach/proxy (issue 9 item 4): a forwarding proxy on 127.0.0.1
# (forward_proxy.py, which logs what passes through it) between apilint and
# the fixture server, plain and through a TLS relay (CONNECT). Proves the
# environment as curl reads it (http_proxy; HTTP_PROXY ignored; https_proxy
# and HTTPS_PROXY; all_proxy/ALL_PROXY; no_proxy), --proxy, --noproxy, the
# spec's proxy: (the command line winning, "" = none), and that proxy
# credentials are sent to the proxy but never shown.
#
#   proxy.sh APILINT FIXTURE_SERVER
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=reach_lib.sh
. "$here/reach_lib.sh"
reach_begin proxy "$1" "$2"
reach_need openssl jq timeout "$PY"
reach_certs
cp "$here/proxy/spec.yaml" "$here/proxy/spec-proxy.yaml" "$work/"
fixture_start "$here/proxy/replies"
py_start RELAY tls_relay.py --cert "$work/server.pem" --key "$work/server.key" \
  --upstream "$FIX_PORT"
py_start PA forward_proxy.py --log "$work/pa.log"
PROXY_USER=apilint
PROXY_PASS=pr0xy-pa55-s3cret
py_start PB forward_proxy.py --log "$work/pb.log" --auth "$PROXY_USER:$PROXY_PASS"
PA=http://127.0.0.1:$PA_PORT
PLAIN=$FIX_URL
TLS=https://127.0.0.1:$RELAY_PORT

# lines FILE: how many lines it has now.
lines() { wc -l <"$1" | tr -d ' '; }

# via TAG LOG PATTERN: the run TAG (both endpoints answered) went through
# the proxy whose LOG got exactly two new lines matching PATTERN.
before=0
mark() { before=$(lines "$work/pa.log"); }
via() {
  expect_exit "$1" 0
  expect_jq "$1" '[.endpoints[].status] == [200, 200]'
  local new
  new=$(tail -n +"$((before + 1))" "$work/pa.log")
  local n
  n=$(grep -E -c -- "$2" <<<"$new")
  [ "$n" = 2 ] || fail "$1: $n proxy log lines match /$2/, expected 2: $new"
}
# direct TAG: answered, and the proxy saw nothing new.
direct() {
  expect_exit "$1" 0
  expect_jq "$1" '[.endpoints[].status] == [200, 200]'
  [ "$(lines "$work/pa.log")" = "$before" ] ||
    fail "$1: the proxy saw requests: $(tail -n +"$((before + 1))" "$work/pa.log")"
}

export TARGET_URL=$PLAIN
mark; http_proxy=$PA run_apilint env-http spec.yaml
via env-http "^GET	http://127\.0\.0\.1:$FIX_PORT/(one|two)$"
# curl ignores HTTP_PROXY in upper case (httpoxy): so does apilint.
mark; HTTP_PROXY=$PA run_apilint env-HTTP spec.yaml
direct env-HTTP
mark; all_proxy=$PA run_apilint env-all spec.yaml
via env-all "^GET	http://"
mark; ALL_PROXY=$PA run_apilint env-ALL spec.yaml
via env-ALL "^GET	http://"
mark; http_proxy=$PA no_proxy=127.0.0.1 run_apilint env-noproxy spec.yaml
direct env-noproxy
mark; http_proxy=$PA NO_PROXY=127.0.0.1 run_apilint env-NOPROXY spec.yaml
direct env-NOPROXY
mark; run_apilint opt-proxy --proxy "$PA" spec.yaml
via opt-proxy "^GET	http://"
mark; run_apilint opt-x -x "$PA" spec.yaml
via opt-x "^GET	http://"
mark; http_proxy=$PA run_apilint opt-noproxy --noproxy '*' spec.yaml
direct opt-noproxy

# https:// through the proxy: a CONNECT tunnel, TLS inside it.
export TARGET_URL=$TLS
mark; https_proxy=$PA run_apilint env-https --cacert ca.pem spec.yaml
via env-https "^CONNECT	127\.0\.0\.1:$RELAY_PORT$"
mark; HTTPS_PROXY=$PA run_apilint env-HTTPS --cacert ca.pem spec.yaml
via env-HTTPS "^CONNECT	"
mark; http_proxy=$PA run_apilint env-https-not-http --cacert ca.pem spec.yaml
direct env-https-not-http

# The spec's proxy:, the command line's --proxy winning, "" = none.
export TARGET_URL=$PLAIN
mark; SPEC_PROXY=$PA run_apilint spec-proxy spec-proxy.yaml
expect_exit spec-proxy 0
[ "$(lines "$work/pa.log")" = $((before + 1)) ] || fail "spec-proxy: not through the proxy"
mark; SPEC_PROXY=http://127.0.0.1:9 run_apilint spec-proxy-lost --proxy "$PA" \
  spec-proxy.yaml
expect_exit spec-proxy-lost 0
[ "$(lines "$work/pa.log")" = $((before + 1)) ] || fail "spec-proxy-lost: --proxy did not win"
mark; SPEC_PROXY="" http_proxy=$PA run_apilint spec-proxy-none spec-proxy.yaml
expect_exit spec-proxy-none 0
[ "$(lines "$work/pa.log")" = "$before" ] || fail "spec-proxy-none: the proxy saw it"

# Proxy credentials: the proxy gets them, nobody sees them; wrong ones get
# the proxy's 407 (an answer, judged like any other).
b64=$(printf '%s' "$PROXY_USER:$PROXY_PASS" | base64)
run_apilint creds -v --proxy "http://$PROXY_USER:$PROXY_PASS@127.0.0.1:$PB_PORT" \
  spec.yaml
expect_exit creds 0
expect_grep "$work/pb.log" "Proxy-Authorization: Basic $b64"
http_proxy=http://$PROXY_USER:$PROXY_PASS@127.0.0.1:$PB_PORT \
  run_apilint creds-env -v spec.yaml
expect_exit creds-env 0
export TARGET_URL=$TLS
run_apilint creds-tls -v --cacert ca.pem \
  --proxy "http://$PROXY_USER:$PROXY_PASS@127.0.0.1:$PB_PORT" spec.yaml
expect_exit creds-tls 0
for tag in creds creds-env creds-tls; do
  for f in "$work/$tag.out" "$work/$tag.err" "$work/$tag.json"; do
    expect_no_grep "$f" "$PROXY_PASS|$b64"
  done
done
export TARGET_URL=$PLAIN
run_apilint creds-wrong --proxy "http://$PROXY_USER:wrong@127.0.0.1:$PB_PORT" \
  spec.yaml
expect_jq creds-wrong '[.endpoints[].status] == [407, 407]'

reach_end "env upper/lower case, no_proxy, --proxy/-x, --noproxy, CONNECT, spec proxy:, credentials"
