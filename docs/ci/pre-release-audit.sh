#!/bin/sh
# apilint pre-release audit: every probe against the release candidate, an
# HTML report for the auditor (one self-contained file to read, print or
# attach to the release), and the team's baseline so only findings new
# since the last release fail it. Record the baseline once and commit it:
#   apilint specs/api.yaml --probe all --write-baseline apilint-baseline.yaml --fail-on never
# Then, before each release (API_URL = the release candidate):
#   API_URL=https://rc.example.com API_TOKEN=... sh docs/ci/pre-release-audit.sh
set -eu
: "${API_URL:?set API_URL to the release candidate}"
apilint=${APILINT:-apilint}
mkdir -p audit
status=0
"$apilint" specs/api.yaml --probe all --baseline apilint-baseline.yaml \
  --fail-on warning --html audit/apilint.html --json audit/apilint.json \
  --junit audit/apilint.xml || status=$?
case $status in
  0) echo "audit passed: nothing new at warning or above; report: audit/apilint.html" ;;
  1) echo "audit failed: new findings (see audit/apilint.html)" ;;
  *) echo "audit could not run (exit $status)" ;;
esac
exit "$status"
