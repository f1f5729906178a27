#!/usr/bin/env bash
# The SARIF report (issue 12 item 1) against the fixture server over real
# sockets, validated by Microsoft's SARIF multitool (npm
# @microsoft/sarif-multitool, pinned in .ci/packages-npm.txt; its Linux
# build is a self-contained .NET program that loads Debian's libicu72) with
# zero errors: a spec in a subdirectory with endpoint and probe findings
# and an echoed secret, and an OpenAPI document linted directly. Checks
# that there is one result per finding of the JSON report (probes
# included), each at the spec file (relative to the working directory) and
# the endpoint's line - the operation's line in the OpenAPI document -,
# with the JSON report's fingerprint in partialFingerprints, its rule's
# help from `apilint explain`, and no secret anywhere.
# Usage: sarif.sh APILINT SOURCE_DIR (APILINT_FIXTURE_SERVER in the environment)
set -euo pipefail
apilint=$(realpath "$1")
src=$(realpath "$2")
here=$(dirname "$(realpath "$0")")
tmp=$(mktemp -d)
trap 'stop_server; rm -rf "$tmp"' EXIT
. "$here/../cli/lib/run.bash"
require jq
multitool="$src/build-tools/node_modules/.bin/sarif-multitool"
if [ ! -x "$multitool" ]; then
  [ -n "${CI:-}" ] && fail "npm @microsoft/sarif-multitool is required under CI (.ci/install-deps)"
  echo "skip: $multitool missing (bash .ci/install-deps)"
  exit 77
fi

# validate FILE: status 0 when the multitool finds no error of level error
# in FILE, else 1 with them in $tmp/val.errors as "ruleId: text" lines. The
# multitool's exit status is 0 whatever it finds, so its own SARIF log (-o)
# is read, and its console as well. Called in the test's own shell, not in
# $(...): a multitool, jq or grep that cannot do its part fails the test.
validate() {
  rm -f "$tmp/val.sarif" "$tmp/val.errors"
  "$multitool" validate "$1" -o "$tmp/val.sarif" >"$tmp/val.out" 2>&1 ||
    fail "the multitool did not run on $1: $(cat "$tmp/val.out")"
  [ -s "$tmp/val.sarif" ] || fail "the multitool wrote no log for $1: $(cat "$tmp/val.out")"
  jq -r '.runs[] | .tool.driver.rules as $r | .results[]
         | select((.level // ($r[.ruleIndex // -1].defaultConfiguration.level // "warning")) == "error")
         | "\(.ruleId): \(.message.text // .message.id)"' "$tmp/val.sarif" >"$tmp/val.errors" 2>"$tmp/val.jq" ||
    fail "jq cannot read the multitool's log for $1: $(cat "$tmp/val.jq")"
  local rc=0
  grep -E ': error [A-Z]+[0-9]+:' "$tmp/val.out" >>"$tmp/val.errors" || rc=$?
  [ "$rc" -le 1 ] || fail "grep could not read the multitool's console output ($rc)"
  [ ! -s "$tmp/val.errors" ]
}

# The validator can fail: a SARIF log without a tool name or message.
echo '{"version": "2.1.0", "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
  "runs": [{"tool": {"driver": {}}, "results": [{"message": {}}]}]}' > "$tmp/broken.sarif"
if validate "$tmp/broken.sarif"; then
  fail "the multitool found nothing wrong in a broken log"
fi

cat > "$tmp/replies" <<'R'
=== GET /boom
HTTP/1.1 500 Internal Server Error
Content-Type: text/plain
Content-Length: auto

Traceback (most recent call last): token=tok-9f8e7d6c5b4a-secret
=== GET /users/7
HTTP/1.1 401 Unauthorized
Content-Length: 0

=== GET /ok
HTTP/1.1 200 OK
Content-Type: application/json
Content-Length: auto

{"ok": true}
=== GET /v1/users/7
HTTP/1.1 401 Unauthorized
Content-Length: 0

=== GET /v1/teams
HTTP/1.1 500 Internal Server Error
Content-Type: text/plain
Content-Length: auto

oops
R
start_server "$tmp/replies"
mkdir -p "$tmp/specs"
cat > "$tmp/specs/api.yaml" <<'S'
version: 1
base_url: ${FIXTURE_URL}
secrets: [API_TOKEN]
defaults:
  headers: {Authorization: "Bearer ${API_TOKEN}"}
endpoints:
  - name: boom
    path: /boom
  - name: get user
    path: /users/${USER_ID:-7}
    probes: [head]
  - name: fine
    path: /ok
S
cat > "$tmp/specs/openapi.yaml" <<'O'
openapi: 3.0.3
info: {title: t, version: "1"}
servers: [{url: "http://localhost/v1"}]
paths:
  /users/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer, example: 7}}
    get:
      operationId: getUser
      responses: {"200": {description: ok}}
  /teams:
    get:
      operationId: listTeams
      responses: {"200": {description: ok}}
O
cd "$tmp"
export API_TOKEN=tok-9f8e7d6c5b4a-secret

# 1. A spec: --sarif beside --json, the same findings.
rc=0
"$apilint" specs/api.yaml --sarif out.sarif --json out.json >run.out 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "exit $rc, expected 1: $(cat run.out)"
validate out.sarif || fail "the multitool finds errors in out.sarif: $(cat "$tmp/val.errors")"
! grep -q "$API_TOKEN" out.sarif || fail "the secret is in the SARIF report"
jq -e '.version == "2.1.0" and (.runs | length) == 1
       and .runs[0].tool.driver.name == "apilint"' out.sarif >/dev/null ||
  fail "not one apilint run of SARIF 2.1.0"

# One result per finding, probes' included, in the same order.
jq -c '[.endpoints[] | (.findings[] , (.probes[].findings[]))
        | {rule, fingerprint}]' out.json > want.json
jq -c '[.runs[0].results[] | {rule: .ruleId,
        fingerprint: .partialFingerprints["apilintFingerprint/v1"]}]' out.sarif > got.json
cmp -s want.json got.json || fail "results differ from the JSON findings: $(cat want.json) vs $(cat got.json)"
[ "$(jq length got.json)" -ge 4 ] || fail "expected at least 4 results: $(cat got.json)"
jq -e '[.[] | select(.rule == "head-differs-from-get")] | length == 1' got.json >/dev/null ||
  fail "the probe's finding is not a result"

# Each result at the spec file, relative to the working directory, and the
# endpoint's line and column; the base is the working directory.
jq -e --arg root "file://$(pwd)/" '.runs[0].originalUriBaseIds["%SRCROOT%"].uri == $root' out.sarif >/dev/null ||
  fail "%SRCROOT% is not the working directory: $(jq -c '.runs[0].originalUriBaseIds' out.sarif)"
jq -e '.runs[0].results | all(.[].locations[0].physicalLocation;
        .artifactLocation.uri == "specs/api.yaml"
        and .artifactLocation.uriBaseId == "%SRCROOT%")' out.sarif >/dev/null ||
  fail "a result is not located at specs/api.yaml"
boom_line=$(grep -n 'name: boom' specs/api.yaml | cut -d: -f1)
user_line=$(grep -n 'name: get user' specs/api.yaml | cut -d: -f1)
jq -e --argjson b "$boom_line" --argjson u "$user_line" '
  [.runs[0].results[] | {r: .ruleId, l: .locations[0].physicalLocation.region}]
  | (map(select(.r == "server-error"))[0].l == {startLine: $b, startColumn: 5})
    and (map(select(.r == "head-differs-from-get"))[0].l == {startLine: $u, startColumn: 5})' out.sarif >/dev/null ||
  fail "results are not at the endpoints' lines: $(jq -c '[.runs[0].results[].locations[0].physicalLocation.region]' out.sarif)"

# Rules: every rule of `apilint rules`, with the summary, the explain text
# and the level/source as properties; each result's ruleIndex names its rule.
rules=$("$apilint" rules | awk '/^$/ {exit} NR > 1 {print $1}' | sort)
[ "$(jq -r '.runs[0].tool.driver.rules[].id' out.sarif | sort)" = "$rules" ] ||
  fail "tool.driver.rules is not the rule list of 'apilint rules'"
jq -e '.runs[0] as $r | all($r.results[]; $r.tool.driver.rules[.ruleIndex].id == .ruleId)' out.sarif >/dev/null ||
  fail "a ruleIndex points at another rule"
explain=$("$apilint" explain server-error)
summary=$(printf '%s\n' "$explain" | sed -n 's/^  summary:  //p')
jq -e --arg s "$summary" '.runs[0].tool.driver.rules[] | select(.id == "server-error")
  | .shortDescription.text == $s and (.fullDescription.text | length) > 100
    and (.help.text | contains("apilint explain server-error"))
    and .properties.level == "advice" and (.properties.source | test("RFC 9110"))
    and .defaultConfiguration.level == "error"' out.sarif >/dev/null ||
  fail "server-error's rule metadata is not its explain text"
line=$(printf '%s\n' "$explain" | sed -n '/^  summary:/,$p' | sed -n '3p' | sed 's/^  //')
[ -n "$line" ] && jq -e --arg l "$line" '.runs[0].tool.driver.rules[] | select(.id == "server-error")
  | .fullDescription.text | contains($l)' out.sarif >/dev/null ||
  fail "fullDescription does not hold the explain text ('$line')"
jq -e '[.runs[0].results[] | select(.ruleId == "unauthorized-without-challenge")][0]
       | .level == "error" and .properties.level == "MUST"
         and (.message.text | startswith("get user: "))' out.sarif >/dev/null ||
  fail "a result's level, properties or message are wrong"

# 2. -f sarif on stdout: the same report, valid too.
rc=0
"$apilint" specs/api.yaml -f sarif >stdout.sarif 2>run.err || rc=$?
[ "$rc" = 1 ] || fail "-f sarif: exit $rc: $(cat run.err)"
validate stdout.sarif || fail "the multitool finds errors in -f sarif output: $(cat "$tmp/val.errors")"
[ "$(jq '.runs[0].results | length' stdout.sarif)" = "$(jq length got.json)" ] ||
  fail "-f sarif has another number of results"

# 3. An OpenAPI document linted directly: each result at its operation's
# line in the document.
rc=0
"$apilint" specs/openapi.yaml --base-url "$FIXTURE_URL/v1" --sarif oas.sarif >run.out 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "openapi: exit $rc: $(cat run.out)"
validate oas.sarif || fail "the multitool finds errors in oas.sarif: $(cat "$tmp/val.errors")"
get_line=$(grep -n '    get:' specs/openapi.yaml | head -1 | cut -d: -f1)
teams_line=$(grep -n '    get:' specs/openapi.yaml | sed -n 2p | cut -d: -f1)
jq -e --argjson g "$get_line" --argjson t "$teams_line" '
  [.runs[0].results[] | {r: .ruleId, u: .locations[0].physicalLocation.artifactLocation.uri,
                         l: .locations[0].physicalLocation.region.startLine}]
  | (map(select(.r == "unauthorized-without-challenge"))[0] == {r: "unauthorized-without-challenge", u: "specs/openapi.yaml", l: $g})
    and (map(select(.r == "server-error"))[0] == {r: "server-error", u: "specs/openapi.yaml", l: $t})' oas.sarif >/dev/null ||
  fail "OpenAPI results are not at the operations' lines: $(jq -c '[.runs[0].results[] | [.ruleId, .locations[0].physicalLocation]]' oas.sarif)"

# 4. A spec outside the working directory gets an absolute file: URI.
mkdir -p sub
rc=0
(cd sub && "$apilint" ../specs/api.yaml --sarif ../up.sarif >/dev/null 2>&1) || rc=$?
[ "$rc" = 1 ] || fail "from sub/: exit $rc"
jq -e --arg u "file://$tmp/specs/api.yaml" '.runs[0].results[0].locations[0].physicalLocation.artifactLocation
       | .uri == $u and (has("uriBaseId") | not)' up.sarif >/dev/null ||
  fail "a spec outside the working directory: $(jq -c '.runs[0].results[0].locations[0].physicalLocation.artifactLocation' up.sarif)"
validate up.sarif || fail "the multitool finds errors in up.sarif: $(cat "$tmp/val.errors")"
echo "ok"
