#!/usr/bin/env bash
# reach/tls (issue 9 items 1 and 3): a real nginx on 127.0.0.1 serving
# anti-patterns over HTTPS with HTTP/2 by ALPN, with a CA and server
# certificate openssl makes at run time. Proves: untrusted -> exit 3 with
# curl's reason; trust by --cacert, --capath, CURL_CA_BUNDLE, SSL_CERT_FILE,
# SSL_CERT_DIR and the spec's tls.cacert (the command line winning);
# -k/--insecure with one warning line recorded in the JSON report; the HTTP
# version of each answer (--http1.1, --http2, default ALPN h2) and, on a
# cleartext nginx listener, --http2-prior-knowledge.
#
#   tls.sh APILINT
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=reach_lib.sh
. "$here/reach_lib.sh"
reach_begin tls "$1"
nginx_find || exit $?
reach_need openssl jq timeout
reach_certs
cp "$here/tls/spec.yaml" "$here/tls/spec-ca.yaml" "$work/"

locations="
    server_tokens off;
    location = /ok { default_type application/json; return 200 '{\"ok\": true}'; }
    location = /unauth { return 401; }
    location = /created { default_type application/json; return 201 '{\"id\": 1}'; }
"
NGINX_LISTEN_OPTS="ssl http2"
nginx_start "
    ssl_certificate $work/server.pem;
    ssl_certificate_key $work/server.key;
$locations" || exit 1
export TLS_URL=$NGINX_URL
case $TLS_URL in https://*) ;; *) fail "nginx URL is not https: $TLS_URL" ;; esac

# Untrusted: nothing reached, exit 3, curl's reason in the finding.
run_apilint untrusted spec.yaml
expect_exit untrusted 3
expect_grep "$work/untrusted.out" '\(60\) SSL certificate problem'
expect_jq untrusted '[.endpoints[].transport_error | test("^\\(60\\)")] | all'
# A CA that did not sign the server's certificate is no better.
run_apilint other --cacert other-ca.pem spec.yaml
expect_exit other 3

# has_findings TAG: the anti-patterns were judged over TLS.
has_findings() {
  expect_exit "$1" 1
  expect_jq "$1" '[.endpoints[] | select(.name == "unauth") | .findings[].rule]
    | index("unauthorized-without-challenge") != null'
  expect_jq "$1" '[.endpoints[] | select(.name == "created") | .findings[].rule]
    | index("created-without-location") != null'
  expect_jq "$1" '[.endpoints[].transport_error] | all(. == null)'
}

run_apilint cacert --cacert ca.pem spec.yaml
has_findings cacert
# libcurl's default over TLS: HTTP/2 when the server offers it (ALPN).
expect_jq cacert '[.endpoints[].http_version] == ["2", "2", "2"]'
expect_jq cacert '.tls_verified == true and .warnings == []'
expect_no_grep "$work/cacert.err" 'not verified'

run_apilint capath --capath capath spec.yaml
has_findings capath

CURL_CA_BUNDLE=$work/ca.pem run_apilint env-bundle spec.yaml
has_findings env-bundle
SSL_CERT_FILE=$work/ca.pem run_apilint env-file spec.yaml
has_findings env-file
SSL_CERT_DIR=$work/capath run_apilint env-dir spec.yaml
has_findings env-dir
# --cacert wins over the environment, as in curl.
CURL_CA_BUNDLE=$work/ca.pem run_apilint env-lost --cacert other-ca.pem spec.yaml
expect_exit env-lost 3

# -k: judged, one warning line, and the report says it.
run_apilint insecure -k spec.yaml
has_findings insecure
n=$(grep -c 'not verified' "$work/insecure.err")
[ "$n" = 1 ] || fail "insecure: $n warning lines about verification, expected 1"
expect_grep "$work/insecure.err" '^apilint: warning: TLS certificates are not verified'
expect_jq insecure '.tls_verified == false and (.warnings | length) == 1'
run_apilint insecure-long --insecure spec.yaml
expect_exit insecure-long 1

# Protocol versions, recorded per answer.
run_apilint h1 --cacert ca.pem --http1.1 spec.yaml
has_findings h1
expect_jq h1 '[.endpoints[].http_version] == ["1.1", "1.1", "1.1"]'
run_apilint h2 --cacert ca.pem --http2 -j 3 spec.yaml
has_findings h2
expect_jq h2 '[.endpoints[].http_version] == ["2", "2", "2"]'

# The spec's tls.cacert (relative to the spec), and the command line wins.
run_apilint spec-ca spec-ca.yaml
expect_exit spec-ca 0
expect_jq spec-ca '.endpoints[0].status == 200'
run_apilint spec-ca-lost --cacert other-ca.pem spec-ca.yaml
expect_exit spec-ca-lost 3

# Cleartext HTTP/2 with prior knowledge (nginx 1.22: `listen ... http2`
# without ssl speaks only h2c prior knowledge).
nginx_stop
NGINX_LISTEN_OPTS="http2"
nginx_start "$locations" || exit 1
export TLS_URL=$NGINX_URL
run_apilint h2c --http2-prior-knowledge spec.yaml
has_findings h2c
expect_jq h2c '[.endpoints[].http_version] == ["2", "2", "2"]'
# Without it, HTTP/1.1 meets an h2-only port: no HTTP answer at all.
run_apilint h2c-without --http1.1 spec.yaml
expect_exit h2c-without 3

reach_end "untrusted, --cacert, --capath, 3 environment variables, -k, spec tls, h1/h2/h2c"
