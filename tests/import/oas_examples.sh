#!/usr/bin/env bash
# import/oas-examples: documents nobody here wrote. Every document of npm
# @readme/oas-examples (Swagger 2.0, OpenAPI 3.0 and 3.1, JSON and YAML;
# pinned in .ci/packages-npm.txt) imports, the spec written loads and passes
# --dry-run, and the document given directly as a spec passes --dry-run
# too; GitHub's REST description (npm @octokit/openapi, about 1,000
# operations) imports and dry-runs. Nothing is sent: every base URL is
# pointed at a fixture server whose log must stay empty. (The import's
# speed is measured by bench/import.sh, not here.) Skipped (77) without the
# npm packages, unless CI is set.
#
#   oas_examples.sh APILINT FIXTURE_SERVER
test_name=oas-examples
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
apilint=$(realpath "$1")
server=$(realpath "$2")
# First in this shell: a skip inside $(...) would only end the subshell.
need_npm @readme/oas-examples >/dev/null
need_npm @octokit/openapi >/dev/null
examples=$(need_npm @readme/oas-examples)
octokit=$(need_npm @octokit/openapi)
cd "$tmp" || exit 1
start_fixture "$server" /dev/null

docs=()
while IFS= read -r f; do docs+=("$f"); done < <(
  find "$examples/2.0" "$examples/3.0" "$examples/3.1" -type f \
    \( -name '*.json' -o -name '*.yaml' \) | sort)
[ "${#docs[@]}" -ge 100 ] || fail "found only ${#docs[@]} documents in $examples"
docs+=("$octokit/generated/api.github.com.json")

n=0 endpoints=0
specs=()
for f in "${docs[@]}"; do
  n=$((n + 1))
  out=spec-$n.yaml
  if ! "$apilint" import "$f" -o "$out" 2>import.err; then
    fail "import $f: $(cat import.err)"
    continue
  fi
  grep -q '^# apilint spec imported from ' "$out" || fail "$f: no header comment"
  specs+=("$out")
  endpoints=$((endpoints + $(grep -c '^  - name: ' "$out")))
done
# One run for all the written specs, one for all the documents as specs
# (every file loads before anything would be sent, and a broken one is
# named): both plan the same requests, as the in-memory spec is the one
# import writes.
API_URL=$FIXTURE_URL "$apilint" "${specs[@]}" --dry-run >dry.out 2>dry.err
expect_exit 0 $? "--dry-run of the written specs: $(head -c 2000 dry.err)"
"$apilint" "${docs[@]}" --dry-run --base-url "$FIXTURE_URL" >dry2.out 2>dry2.err
expect_exit 0 $? "--dry-run of the documents as specs: $(head -c 2000 dry2.err)"
sed 's/^[^ ]*:[0-9]*:[0-9]*: //' dry.out >dry.plan
sed 's/^[^ ]*:[0-9]*:[0-9]*: //' dry2.out >dry2.plan
cmp -s dry.plan dry2.plan ||
  fail "the written specs and the documents plan different requests: $(diff dry.plan dry2.plan | head -5)"
expect_grep "^dry run: [0-9]+ requests would be sent for [0-9]+ endpoints" dry.out "dry run summary"
[ -s "$FIXTURE_LOG" ] && fail "--dry-run sent requests: $(head -3 "$FIXTURE_LOG")"
finish "$n documents, $endpoints endpoints imported"
