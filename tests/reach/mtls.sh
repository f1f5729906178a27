#!/usr/bin/env bash
# reach/mtls (issue 9 item 2): nginx with ssl_verify_client on and a client
# CA; apilint without a client certificate (nginx answers 400), with
# --cert/--key, with an encrypted key (--cert FILE:PASSWORD, --pass, the
# spec's tls.key_password), with --cert-type/--key-type, and with a wrong
# password (exit 3). The password never appears in any output or report.
#
#   mtls.sh APILINT
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=reach_lib.sh
. "$here/reach_lib.sh"
reach_begin mtls "$1"
nginx_find || exit $?
reach_need openssl jq timeout
reach_certs
cp "$here/mtls/spec.yaml" "$here/mtls/spec-cert.yaml" "$work/"

NGINX_LISTEN_OPTS="ssl"
nginx_start "
    ssl_certificate $work/server.pem;
    ssl_certificate_key $work/server.key;
    ssl_client_certificate $work/client-ca.pem;
    ssl_verify_client on;
    server_tokens off;
    location = /ok { default_type application/json; return 200 '{\"ok\": true}'; }
" || exit 1
export TLS_URL=$NGINX_URL

# no_secret TAG: the key password is in none of TAG's outputs.
no_secret() {
  local f
  for f in "$work/$1.out" "$work/$1.err" "$work/$1.json"; do
    [ -f "$f" ] && expect_no_grep "$f" "$CLIENT_KEY_PASS|wr0ng-pa55"
  done
}

# Without a certificate nginx still answers (400 "No required SSL
# certificate was sent"): an HTTP answer, not a transport error.
run_apilint none --cacert ca.pem spec.yaml
expect_jq none '.endpoints[0].status == 400'

run_apilint plain --cacert ca.pem --cert client.pem --key client.key spec.yaml
expect_exit plain 0
expect_jq plain '.endpoints[0].status == 200'

run_apilint typed --cacert ca.pem --cert client.pem --cert-type PEM \
  --key client.key --key-type pem spec.yaml
expect_exit typed 0

run_apilint colon -v --cacert ca.pem --cert "client.pem:$CLIENT_KEY_PASS" \
  --key client-enc.key spec.yaml
expect_exit colon 0
expect_jq colon '.endpoints[0].status == 200'
no_secret colon

run_apilint pass -v --cacert ca.pem --cert client.pem --key client-enc.key \
  --pass "$CLIENT_KEY_PASS" spec.yaml
expect_exit pass 0
no_secret pass

CLIENT_KEY_PASSWORD=$CLIENT_KEY_PASS run_apilint spec -v spec-cert.yaml
expect_exit spec 0
expect_jq spec '.endpoints[0].status == 200'
no_secret spec

# A wrong password: the key cannot be used, nothing is reached; the
# password is not quoted in the reason.
run_apilint wrong --cacert ca.pem --cert client.pem:wr0ng-pa55 \
  --key client-enc.key spec.yaml
expect_exit wrong 3
expect_jq wrong '.endpoints[0].transport_error | test("^\\(58\\)")'
no_secret wrong

# A bad --cert-type is a usage error before anything is sent.
run_apilint badtype --cert client.pem --cert-type JKS spec.yaml
expect_exit badtype 2
expect_grep "$work/badtype.err" "--cert-type must be PEM, DER or P12"

reach_end "no certificate, --cert/--key, types, FILE:PASSWORD, --pass, spec, wrong password"
