#!/usr/bin/env bash
# reach/tls_stray (issue 9 item 3): body bytes a server sends late after a
# 204 or a HEAD answer are found over TLS as over plain HTTP/1.1. The fixture
# server sends them (split=150: head, pause, body); tls_relay.py puts TLS in
# front of it byte for byte, so the late bytes arrive as a TLS record of
# their own, after libcurl has finished the transfer. The correct answers
# stay quiet, and the connection that carried late bytes is not reused (the
# next answer is judged on its own).
#
#   tls_stray.sh APILINT FIXTURE_SERVER
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=reach_lib.sh
. "$here/reach_lib.sh"
reach_begin tls_stray "$1" "$2"
reach_need openssl jq timeout "$PY"
reach_certs
cp "$here/tls_stray/spec.yaml" "$work/"
fixture_start "$here/tls_stray/replies"
py_start RELAY tls_relay.py --cert "$work/server.pem" --key "$work/server.key" \
  --upstream "$FIX_PORT"

# findings TAG: the set of ENDPOINT<TAB>RULE, one a line, sorted.
findings() {
  jq -r '.endpoints[] | .name as $n | .findings[] | "\($n)\t\(.rule)"' \
    "$work/$1.json" | LC_ALL=C sort
}
want=$(printf '%s\n' "late 204	no-content-with-body" \
  "late HEAD	head-with-body" | LC_ALL=C sort)

for scheme in plain tls; do
  if [ "$scheme" = plain ]; then
    export STRAY_URL=$FIX_URL
  else
    export STRAY_URL=https://127.0.0.1:$RELAY_PORT
  fi
  for jobs in 1 4; do
    tag=$scheme-j$jobs
    run_apilint "$tag" --cacert ca.pem --http1.1 -j "$jobs" spec.yaml
    expect_exit "$tag" 1
    got=$(findings "$tag")
    if [ "$got" != "$want" ]; then
      fail "$tag: findings differ: got"
      printf '%s\n' "$got"
    fi
    expect_jq "$tag" '[.endpoints[] | select(.name == "after") | .status] == [200]'
  done
done
# Over TLS the content is encrypted: the finding says bytes came, and
# about how many (the 28-byte body in one record).
expect_jq tls-j1 '[.endpoints[0].findings[] | .message | test("[0-9]+ bytes")] | any'

reach_end "late bytes after 204 and HEAD over plain HTTP and TLS, -j 1 and 4"
