#!/usr/bin/env bash
# import/hostile: inputs made to hurt. Each gives a clear error (exit 2,
# file:line:col where there is a place) or a result, within a time limit
# and (without ASan) a 1 GiB address-space limit: a 50 MB document, a
# schema nested deeper than the loader allows, self-referencing and
# mutually recursive schemas, a $ref loop, a schema whose $ref'd required
# properties fan out exponentially, YAML anchors, truncated JSON, a HAR
# with a 20 MB base64 body.
#
#   hostile.sh APILINT FIXTURE_SERVER
test_name=hostile
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
apilint=$(realpath "$1")
cd "$tmp" || exit 1
py=$(command -v python3 || command -v /usr/bin/python3)

# run NAME WANT-EXIT ARGS...: bounded, no crash (exit >= 124 is a timeout
# or a signal), the expected exit.
run() {
  local name=$1 want=$2
  shift 2
  bounded "$apilint" "$@" >"$name.out" 2>"$name.err"
  local rc=$?
  if [ "$rc" -ge 124 ]; then
    fail "$name: killed or timed out (exit $rc): $(head -c 300 "$name.err")"
  elif [ "$rc" -ne "$want" ]; then
    fail "$name: exit $rc, expected $want: $(head -c 300 "$name.err")"
  fi
  if grep -q 'Sanitizer' "$name.err"; then
    fail "$name: sanitizer report"
  fi
}

"$py" - <<'PY'
import json
head = {"openapi": "3.0.3", "info": {"title": "hostile", "version": "1"}}

# 50 MB: one operation with a huge description.
doc = dict(head, paths={"/a": {"get": {"description": "x" * (50 * 1024 * 1024),
                                       "responses": {"200": {"description": "ok"}}}}})
json.dump(doc, open("big.json", "w"))

# Nested deeper than any spec needs.
s = {"type": "string"}
for _ in range(300):
    s = {"type": "object", "required": ["n"], "properties": {"n": s}}
doc = dict(head, paths={"/a": {"post": {"requestBody": {"content": {"application/json": {"schema": s}}},
                                        "responses": {"200": {"description": "ok"}}}}})
json.dump(doc, open("deep.json", "w"))

# Self-reference, mutual recursion, an exponential fan-out of $refs.
schemas = {
    "Self": {"type": "object", "required": ["name", "self"],
             "properties": {"name": {"type": "string"}, "self": {"$ref": "#/components/schemas/Self"}}},
    "A": {"type": "object", "required": ["b"], "properties": {"b": {"$ref": "#/components/schemas/B"}}},
    "B": {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/A"}},
    "Loop": {"$ref": "#/components/schemas/Loop2"},
    "Loop2": {"$ref": "#/components/schemas/Loop"},
}
for lvl in range(8):
    nxt = "#/components/schemas/F%d" % (lvl + 1) if lvl < 7 else None
    props = {("p%d" % i): ({"$ref": nxt} if nxt else {"type": "integer"}) for i in range(64)}
    schemas["F%d" % lvl] = {"type": "object", "required": list(props), "properties": props}
def op(ref):
    return {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": ref}}}},
                     "responses": {"201": {"description": "made"}}}}
doc = dict(head, components={"schemas": schemas},
           paths={"/self": op("#/components/schemas/Self"), "/ab": op("#/components/schemas/A"),
                  "/fan": op("#/components/schemas/F0")})
json.dump(doc, open("recursive.json", "w"), indent=1)
doc["paths"]["/loop"] = op("#/components/schemas/Loop")
json.dump(doc, open("loop.json", "w"), indent=1)

# Truncated JSON.
text = json.dumps(dict(head, paths={"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}), indent=1)
open("truncated.json", "w").write(text[: len(text) // 2])
PY
printf 'openapi: 3.0.0\ninfo: &i {title: x, version: "1"}\nx-copy: *i\npaths: {}\n' >anchors.yaml
"$py" "$top/tests/import/make_har.py" bigbody 20 bigbody.har

run big 2 import big.json
expect_grep 'big\.json: file is larger than' big.err "50 MB document"
run big-as-spec 2 big.json --dry-run
run deep 2 import deep.json
expect_grep 'deep\.json:[0-9]+:[0-9]+: nested more than [0-9]+ levels deep' deep.err "deep document"
run recursive 0 import recursive.json --methods all -o recursive.yaml
expect_grep '^      self: null$' recursive.yaml "a self-reference ends in null"
expect_grep '^      name: string$' recursive.yaml "the self-referencing schema's other field"
run recursive-dry 0 recursive.yaml --dry-run --base-url http://127.0.0.1:9
[ "$(wc -c <recursive.yaml)" -lt 4000000 ] || fail "the fan-out was not bounded: $(wc -c <recursive.yaml) bytes"
run loop 2 import loop.json --methods all
expect_grep 'loop\.json:[0-9]+:[0-9]+: \$ref chain longer than [0-9]+ hops' loop.err "\$ref loop"
run truncated 2 import truncated.json
expect_grep 'truncated\.json:[0-9]+:[0-9]+: ' truncated.err "truncated JSON"
run anchors 2 import anchors.yaml
expect_grep 'anchors\.yaml:2:7: anchors' anchors.err "YAML anchors"
# The body is kept up to the 1 MiB cap (like a live answer's), so the cut
# JSON is not judged as JSON: a result, not a finding.
run bigbody 0 har bigbody.har
expect_grep '^GET /v1/export -> 200 OK' bigbody.out "the 20 MB body's entry is judged"
expect_grep '^1 endpoint, ' bigbody.out "the 20 MB body's summary"
finish
