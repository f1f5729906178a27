#!/usr/bin/env bash
# import/basics: `apilint import` on documents written for this test (OpenAPI
# 3.0 YAML, Swagger 2.0 JSON), what it writes and that it loads back; an
# OpenAPI document given as a spec with --dry-run: every request printed
# with secrets masked, nothing sent (the fixture server's log stays empty).
#
#   import.sh APILINT FIXTURE_SERVER
test_name=import-basics
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
apilint=$(realpath "$1")
server=$(realpath "$2")
docs=$top/tests/import/docs
cd "$tmp" || exit 1
cp "$docs/users.yaml" "$docs/petstore-swagger2.json" .

# --- OpenAPI 3.0 YAML -------------------------------------------------------
"$apilint" import users.yaml -o users.spec.yaml 2>err
expect_exit 0 $? "import users.yaml"
"$apilint" import users.yaml >users.again.yaml 2>>err
cmp -s users.spec.yaml users.again.yaml ||
  fail "import is not deterministic (-o and stdout differ)"
s=users.spec.yaml
expect_grep '^# apilint spec imported from users\.yaml \(OpenAPI 3\.0\.3' $s "header comment"
expect_grep '^base_url: "\$\{API_URL:-https://api\.example\.invalid/v1\}"$' $s "base_url from servers"
expect_grep '^secrets: \[API_TOKEN\]$' $s "secrets from the bearer scheme"
expect_grep '^  - name: listUsers$' $s "named by operationId"
expect_grep '^  - name: GET /health$' $s "named METHOD path without operationId"
expect_grep '^    path: /users\?limit=\$\{LIMIT:-10\}$' $s "required query parameter from its default"
expect_grep '^    path: /users/\$\{ID:-7\}$' $s "path parameter (path-level) from its example"
expect_grep '^    source: users\.yaml:23:5$' $s "source: the operation's line"
expect_grep '^      Authorization: Bearer \$\{API_TOKEN:-replace-me\}$' $s "credential header"
expect_grep '^      status: \[200, 404\]$' $s "expect.status from documented codes"
expect_grep '^    skip: "POST may change data' $s "POST switched off"
expect_grep '^  # GET /users/\{id\}$' $s "a comment per endpoint"
# `default` is not a status: GET /health expects only 200
awk '/name: GET \/health/{f=1} f&&/status:/{print; exit}' $s >health.status
expect_grep 'status: 200$' health.status "default response left out"

# It loads unchanged, and --dry-run sends nothing.
start_fixture "$server" /dev/null
API_TOKEN=dry-run-secret-4242 "$apilint" "$s" --dry-run --base-url "$FIXTURE_URL" >dry.out 2>dry.err
expect_exit 0 $? "written spec --dry-run"
expect_grep "^users\.yaml:23:5: listUsers$" dry.out "dry run names the operation's place"
expect_grep "^GET $FIXTURE_URL/users\?limit=10$" dry.out "dry run request line"
expect_grep '^  Authorization: \*\*\*$' dry.out "dry run masks Authorization"
expect_grep '^users\.yaml:29:5: createUser: not sent \(skip: POST may change data' dry.out "dry run lists the skipped"
expect_grep '^dry run: 4 requests would be sent for 4 endpoints \(1 skipped\); nothing was sent$' dry.out "dry run summary"
expect_no_grep 'dry-run-secret-4242' dry.out "dry run leaks the token"
API_TOKEN=dry-run-secret-4242 "$apilint" users.yaml --dry-run --probe all --base-url "$FIXTURE_URL" >dry2.out 2>dry2.err
expect_exit 0 $? "OpenAPI document --dry-run --probe all"
expect_grep '^  probe unauthenticated/no-credentials: GET ' dry2.out "dry run plans the probes"
expect_grep '^  probe conditional: planned from the endpoint' dry2.out "dry run names probes planned later"
expect_no_grep 'dry-run-secret-4242' dry2.out "dry run (probes) leaks the token"
[ -s "$FIXTURE_LOG" ] && fail "--dry-run sent requests: $(head -3 "$FIXTURE_LOG")"
# A broken spec under --dry-run: exit 2 with the position.
printf 'version: 1\nbase_url: http://h\nendpoints:\n  - paht: /x\n' >broken.yaml
"$apilint" broken.yaml --dry-run >/dev/null 2>broken.err
expect_exit 2 $? "--dry-run of a broken spec"
expect_grep "broken\.yaml:4:5: unknown key 'paht'" broken.err "--dry-run load error"

# --methods all: the POST is switched on, with a minimal body from the
# required fields of a self-referencing schema.
"$apilint" import users.yaml --methods all -o all.yaml 2>err
expect_exit 0 $? "import --methods all"
expect_no_grep '^    skip:' all.yaml "--methods all still skips"
expect_grep '^    json:$' all.yaml "request body written"
expect_grep '^      name: hak$' all.yaml "body from the required field's example"

# --- Swagger 2.0 JSON --------------------------------------------------------
"$apilint" import petstore-swagger2.json -o pets.yaml 2>err
expect_exit 0 $? "import Swagger 2.0 JSON: $(cat err)"
expect_grep '^base_url: "\$\{API_URL:-https://pets\.example\.invalid/api\}"$' pets.yaml "host+basePath+schemes"
expect_grep '^    path: /pets/\$\{PETID:-rex\}$' pets.yaml "\$ref'd parameter from its enum"
expect_grep '^      X-Trace: "\$\{X_TRACE:-t-1\}"$' pets.yaml "header parameter from its default"
expect_grep '^      X-Api-Key: "\$\{X_API_KEY:-replace-me\}"$' pets.yaml "API-key header"
expect_grep '^      Authorization: "?Basic \$\{API_CREDENTIALS:-' pets.yaml "Basic credentials"
expect_grep '^      status: \[200, "4xx"\]$' pets.yaml "a status class"
expect_grep 'X_API_KEY' pets.yaml "secret variable listed"
expect_grep '^      name: "Rex é🐶 \$\$HOME"$' pets.yaml "surrogate pair and a literal dollar"
expect_grep '^        - label: "00000000-0000-4000-8000-000000000000"$' pets.yaml "minItems: 1 of a \$ref'd item"
X_API_KEY=swagger-key-777 "$apilint" pets.yaml --dry-run --base-url "$FIXTURE_URL" >pets.dry 2>pets.err
expect_exit 0 $? "Swagger spec --dry-run: $(cat pets.err)"
expect_grep '^  X-Api-Key: \*\*\*$' pets.dry "API key masked"
expect_no_grep 'swagger-key-777' pets.dry "API key leaked"
[ -s "$FIXTURE_LOG" ] && fail "--dry-run sent requests"

# --- what is not an OpenAPI document ------------------------------------------
"$apilint" import "$top/specs/api.yaml" >/dev/null 2>notdoc.err
expect_exit 2 $? "import of an apilint spec"
expect_grep "api\.yaml:[0-9]+:[0-9]+: not an OpenAPI document" notdoc.err "not a document"
printf 'openapi: 3.0.0\ninfo: {title: x, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n        "200": {$ref: "other.yaml#/components/responses/ok"}\n      parameters:\n        - $ref: "common.yaml#/parameters/id"\n' >ext.yaml
"$apilint" import ext.yaml >/dev/null 2>ext.err
expect_exit 2 $? "external \$ref"
expect_grep "ext\.yaml:9:17: external \\\$ref 'common\.yaml#/parameters/id' is not supported" ext.err "external \$ref names its place"
printf '{"openapi": "3.1.0", "info": {"title": "x", "version": "1"},\n "paths": {"/a": {"get": {"responses": {"200" {"description": "ok"}}}}}}\n' >broken.json
"$apilint" import broken.json >/dev/null 2>brokenjson.err
expect_exit 2 $? "broken JSON"
expect_grep "broken\.json:2:[0-9]+: " brokenjson.err "broken JSON names line:col"
printf 'openapi: 3.0.0\ninfo: {title: x, version: "1"}\npaths:\n  /a:\n    get:\n      parameters:\n        - $ref: "#/components/parameters/nope"\n      responses: {"200": {description: ok}}\n' >dangling.yaml
"$apilint" import dangling.yaml >/dev/null 2>dangling.err
expect_exit 2 $? "dangling \$ref"
expect_grep "dangling\.yaml:7:17: \\\$ref '#/components/parameters/nope' points at nothing" dangling.err "dangling \$ref"
finish
