#!/usr/bin/env bash
# The CI recipes of the README (issue 12 item 5), each a file in docs/ci/,
# checked as far as this machine allows:
#  1. the README's recipe text is the file, byte for byte;
#  2. each YAML recipe parses (Debian's python3-yaml); the GitHub workflow
#     validates against the workflow schema (npm @action-validator/cli,
#     pinned); the audit script passes shellcheck (Debian's shellcheck);
#  3. each runs for real against the fixture server (tests/ci/recipes/):
#     run_recipe.py plays GitHub Actions (the shard matrix, artifacts, the
#     merge job) and GitLab CI (parallel: 4 as CI_NODE_INDEX 1..4 and
#     CI_NODE_TOTAL 4, then the merge job); the shard jobs pass, the merge
#     job fails as one unsharded run would (exit 1), its JUnit validates
#     against both schemas of ../shared, its SARIF is SARIF 2.1.0 with one
#     result per finding, its JSON equals an unsharded run's, and the
#     secret token is in no file; the pre-release audit records a baseline
#     as its comment says, passes with it, and fails on a new finding with
#     the HTML report written.
# Parts that need a report option this apilint lacks (--sarif, --baseline)
# are reported and the test exits 77 (skipped) after the rest passed; so
# does a clone without ../shared's schemas, under CI too (a missing folder
# beside the clone is no broken CI machine; a missing tool is, and fails).
# Usage: recipes.sh APILINT SHARED_DIR SOURCE_DIR
set -euo pipefail
apilint=$(realpath "$1")
shared=$2
src=$(realpath "$3")
here=$(dirname "$(realpath "$0")")
tmp=$(mktemp -d)
trap 'stop_server; rm -rf "$tmp"' EXIT
. "$here/../cli/lib/run.bash"
require jq xmllint
py=/usr/bin/python3
if ! "$py" -c 'import yaml' 2>/dev/null; then
  [ -n "${CI:-}" ] && fail "python3-yaml is required under CI"
  echo "skip: Debian's python3-yaml is not installed"
  exit 77
fi
missing=() schemas_missing=0
# --help read once into a variable: `--help | grep -q` under pipefail fails
# when grep quits before apilint has written all of it (SIGPIPE).
help_text=$("$apilint" --help)
has_option() { grep -q -- "--$1 " <<<"$help_text"; }

# ---- 1. README = files ----
for f in github-actions.yml gitlab-ci.yml pre-release-audit.sh; do
  "$py" - "$src/README.md" "docs/ci/$f" > "$tmp/readme.$f" <<'PY' || fail "README has no recipe block for docs/ci/$f"
import sys
text = open(sys.argv[1]).read().split("\n")
marker = "<!-- %s -->" % sys.argv[2]
i = text.index(marker)
assert text[i + 1].startswith("```"), "no code block after " + marker
j = text.index("```", i + 2)
sys.stdout.write("\n".join(text[i + 2:j]) + "\n")
PY
  cmp -s "$tmp/readme.$f" "$src/docs/ci/$f" ||
    fail "README's recipe differs from docs/ci/$f: $(diff "$tmp/readme.$f" "$src/docs/ci/$f" | head -10)"
  echo "ok: the README's recipe is docs/ci/$f"
done

# ---- 2. parsers and validators ----
for f in github-actions.yml gitlab-ci.yml; do
  "$py" -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' "$src/docs/ci/$f" ||
    fail "docs/ci/$f does not parse as YAML"
  echo "ok: docs/ci/$f parses (PyYAML)"
done
validator=$src/build-tools/node_modules/.bin/action-validator
if [ -x "$validator" ]; then
  "$validator" "$src/docs/ci/github-actions.yml" > "$tmp/av.out" 2>&1 ||
    fail "docs/ci/github-actions.yml is not a valid workflow: $(head -30 "$tmp/av.out")"
  echo "ok: docs/ci/github-actions.yml validates (action-validator)"
elif [ -n "${CI:-}" ]; then
  fail "npm @action-validator/cli missing under CI (bash .ci/install-deps)"
else
  missing+=("@action-validator/cli")
fi
if command -v shellcheck >/dev/null; then
  shellcheck "$src/docs/ci/pre-release-audit.sh" || fail "shellcheck finds problems in the audit script"
  echo "ok: docs/ci/pre-release-audit.sh passes shellcheck"
elif [ -n "${CI:-}" ]; then
  fail "shellcheck missing under CI"
else
  missing+=(shellcheck)
fi

# ---- 3. run them ----
start_server "$here/recipes/replies"
export STAGING_URL=$FIXTURE_URL API_TOKEN=recipe-token-5d41402abc
checkout=$tmp/checkout
mkdir -p "$checkout/specs" "$checkout/build" "$checkout/docs"
cp "$here/recipes/api.yaml" "$checkout/specs/api.yaml"
cp -r "$src/docs/ci" "$checkout/docs/ci"
ln -s "$apilint" "$checkout/build/apilint" # what the build lines make
# What one unsharded run writes: the merges must equal it.
(cd "$checkout" && API_URL=$STAGING_URL ./build/apilint specs/api.yaml --json "$tmp/whole.json" -q >/dev/null 2>&1) || true
norm='del(.started, .summary.elapsed_ms)
  | walk(if type == "object" then del(.elapsed_ms) else . end)
  | walk(if type == "string" then gsub("127\\.0\\.0\\.1:[0-9]+"; "HOST") else . end)'
jq "$norm" "$tmp/whole.json" > "$tmp/whole.norm"
[ "$(jq '.summary.errors' "$tmp/whole.json")" -ge 1 ] || fail "the recipes' API has no error finding to fail on"

validate_junit() {
  for xsd in ant-junit.xsd jenkins-xunit-junit-10.xsd; do
    if [ -f "$shared/schemas/$xsd" ]; then
      xmllint --noout --schema "$shared/schemas/$xsd" "$1" 2>"$tmp/xsd.err" ||
        fail "$2: $1 does not validate against $xsd: $(cat "$tmp/xsd.err")"
    else
      schemas_missing=1
    fi
  done
}
# no_secret DIR WHAT: the token is in no file under DIR, outcome.json (the
# jobs' logs: what apilint printed) included.
no_secret() {
  local hits rc=0
  hits=$(grep -rl -- "$API_TOKEN" "$1") || rc=$?
  [ "$rc" -le 1 ] || fail "$2: grep could not read $1 ($rc)"
  [ -z "$hits" ] || fail "$2: the API token is in $(head -3 <<<"$hits")"
}
# jobs_rc OUTCOME FILTER: prints "job rc" lines.
jobs_of() { jq -r "$2" "$1"; }

# GitHub Actions: lint x4, then report.
if has_option sarif; then
  "$py" "$here/recipes/run_recipe.py" github "$src/docs/ci/github-actions.yml" "$checkout" "$tmp/gh" ||
    fail "run_recipe.py could not play the GitHub workflow"
  o=$tmp/gh/outcome.json
  [ "$(jq '[.jobs[] | select(.job | startswith("lint-"))] | length' "$o")" = 4 ] || fail "GitHub: not 4 lint jobs: $(jq -c '[.jobs[].job]' "$o")"
  jq -e '[.jobs[] | select(.job | startswith("lint-")) | .failed] | all(. == false)' "$o" >/dev/null ||
    fail "GitHub: a shard job failed: $(jq -c '.jobs[] | select(.failed) | .steps[] | select(.rc != 0)' "$o" | head -3)"
  merge_rc=$(jq '.jobs[] | select(.job == "report") | .steps[] | select(.step == "Merge the shards") | .rc' "$o")
  [ "$merge_rc" = 1 ] || fail "GitHub: the merge step exits $merge_rc, want 1 (an error finding): $(jq -c '.jobs[] | select(.job == "report")' "$o" | head -c 2000)"
  jq -e '.jobs[] | select(.job == "report") | [.steps[] | select(.step | test("junit|sarif")) | .rc] == [0, 0]' "$o" >/dev/null ||
    fail "GitHub: the JUnit report and SARIF upload did not run after the failed merge"
  junit=$(jq -r '.reports.junit[0]' "$o")
  sarif=$(jq -r '.reports.sarif[0]' "$o")
  validate_junit "$junit" GitHub
  jq -e '.version == "2.1.0" and (.runs | length) == 1' "$sarif" >/dev/null || fail "GitHub: $sarif is not a SARIF 2.1.0 log"
  [ "$(jq '.runs[0].results | length' "$sarif")" = "$(jq '[.endpoints[] | .findings[], (.probes[].findings[])] | length' "$tmp/whole.json")" ] ||
    fail "GitHub: SARIF results are not one per finding"
  jq "$norm" "$(dirname "$junit")/apilint.json" | diff "$tmp/whole.norm" - > "$tmp/gh.diff" ||
    fail "GitHub: merged JSON differs from one run's: $(head -20 "$tmp/gh.diff")"
  no_secret "$tmp/gh" GitHub
  echo "ok: GitHub Actions: 4 shard jobs pass, the merge job fails (1) like one run, JUnit valid, SARIF one result per finding, JSON = one run's"
else
  missing+=("--sarif (the GitHub recipe)")
fi

# GitLab CI: build, api-lint 1/4..4/4, api-lint-report.
"$py" "$here/recipes/run_recipe.py" gitlab "$src/docs/ci/gitlab-ci.yml" "$checkout" "$tmp/gl" ||
  fail "run_recipe.py could not play the GitLab pipeline"
o=$tmp/gl/outcome.json
[ "$(jobs_of "$o" '[.jobs[].job] | join(",")')" = "build-apilint,api-lint 1/4,api-lint 2/4,api-lint 3/4,api-lint 4/4,api-lint-report" ] ||
  fail "GitLab: jobs $(jobs_of "$o" '[.jobs[].job] | join(",")')"
jq -e '[.jobs[] | select(.job | startswith("api-lint ")) | .rc] | all(. == 0)' "$o" >/dev/null ||
  fail "GitLab: a shard job failed: $(jq -c '.jobs[] | select(.rc != 0)' "$o" | head -c 2000)"
for i in 1 2 3 4; do
  jq -e --arg j "api-lint $i/4" --arg a "apilint-$i.json" '.jobs[] | select(.job == $j) | .artifacts == [$a]' "$o" >/dev/null ||
    fail "GitLab: api-lint $i/4 did not leave apilint-$i.json"
done
[ "$(jq '.jobs[] | select(.job == "api-lint-report") | .rc' "$o")" = 1 ] ||
  fail "GitLab: the merge job: $(jq -c '.jobs[] | select(.job == "api-lint-report")' "$o" | head -c 2000)"
junit=$(jq -r '.reports.junit[0]' "$o")
[ -f "$junit" ] || fail "GitLab: no JUnit report artifact"
validate_junit "$junit" GitLab
jq "$norm" "$(dirname "$junit")/apilint.json" | diff "$tmp/whole.norm" - > "$tmp/gl.diff" ||
  fail "GitLab: merged JSON differs from one run's: $(head -20 "$tmp/gl.diff")"
no_secret "$tmp/gl" GitLab
echo "ok: GitLab CI: parallel: 4 with --shard auto, the merge job fails (1) like one run, JUnit artifact valid, JSON = one run's"

# The pre-release audit: record the baseline as the comment says, pass
# with it, fail on a new finding.
if has_option baseline && has_option html; then
  audit=$tmp/audit
  cp -r "$checkout" "$audit"
  record=$(sed -n 's/^#   \(apilint .*--write-baseline.*\)$/\1/p' "$src/docs/ci/pre-release-audit.sh")
  [ -n "$record" ] || fail "the audit script does not say how to record the baseline"
  (cd "$audit" && export API_URL=$STAGING_URL PATH="$audit/build:$PATH" && eval "$record" >/dev/null 2>&1) ||
    fail "recording the baseline ('$record') failed"
  [ -s "$audit/apilint-baseline.yaml" ] || fail "no baseline recorded"
  set +e
  (cd "$audit" && API_URL=$STAGING_URL APILINT="$apilint" sh docs/ci/pre-release-audit.sh > "$tmp/audit1.out" 2>&1)
  rc=$?
  set -e
  [ "$rc" = 0 ] || fail "the audit with a fresh baseline exits $rc: $(cat "$tmp/audit1.out")"
  grep -q 'audit passed' "$tmp/audit1.out" || fail "the audit does not say it passed"
  [ -s "$audit/audit/apilint.html" ] || fail "the audit wrote no HTML report"
  jq -e '.summary.suppressed > 0 and .summary.failing == 0' "$audit/audit/apilint.json" >/dev/null ||
    fail "the audit's findings are not suppressed by the baseline: $(jq -c .summary "$audit/audit/apilint.json")"
  # A new endpoint with a new problem fails the audit.
  printf '  - name: new thing\n    path: /health\n    expect: {status: 204}\n' >> "$audit/specs/api.yaml"
  set +e
  (cd "$audit" && API_URL=$STAGING_URL APILINT="$apilint" sh docs/ci/pre-release-audit.sh > "$tmp/audit2.out" 2>&1)
  rc=$?
  set -e
  [ "$rc" = 1 ] || fail "the audit with a new finding exits $rc: $(cat "$tmp/audit2.out")"
  grep -q 'audit failed: new findings' "$tmp/audit2.out" || fail "the audit does not say why it failed"
  grep -q 'new thing' "$audit/audit/apilint.html" || fail "the HTML report does not show the new endpoint"
  no_secret "$audit/audit" audit
  echo "ok: pre-release audit: baseline recorded as documented, passes with it (findings suppressed), fails (1) on a new finding, HTML written"
else
  missing+=("--baseline/--html (the pre-release audit)")
fi

if [ ${#missing[@]} -gt 0 ]; then
  [ -n "${CI:-}" ] && fail "missing under CI: ${missing[*]}"
  echo "skip: not checked here: ${missing[*]}"
  exit 77
fi
if [ "$schemas_missing" = 1 ]; then
  echo "skip: $shared/schemas absent: the merged JUnit reports were not validated"
  exit 77
fi
echo "all recipe checks passed"
