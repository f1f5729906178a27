#!/usr/bin/env bash
# frameworks/<case>: the real apilint, every probe, against a real Python
# server: Debian's python3-flask and python3's own http.server, run with
# /usr/bin/python3 (the python3 on PATH may be an interpreter without
# Debian's modules; PYTHON overrides). Checks
#   - the exit status is CASE/expected.exit;
#   - the findings, the endpoints' own (ENDPOINT<TAB>RULE) and their
#     probes' (ENDPOINT<TAB>RULE<TAB>PROBE), are exactly
#     CASE/expected.findings (an equal set, as tests/e2e/run_case.sh does);
#   - no probe finding contradicts the endpoint's own answer
#     (tests/agree/probes_agree.jq).
# The case directory holds
#   server            the interpreter's arguments, one line; @CASE@ is the
#                     case directory, @HERE@ this directory. The server
#                     listens on 127.0.0.1 port 0 and prints "... port N"
#                     on stdout once it listens (http.server does; the apps
#                     here print the same line).
#   needs             optional: Python modules it needs (flask); without
#                     them the case is skipped (exit 77), unless CI is set:
#                     then that is a failure (.ci/packages-debian.txt
#                     installs them).
#   spec.yaml         base_url: ${SERVER_URL}; the probes are asked for in
#                     its defaults (probes: [all]).
#   expected.findings, expected.exit
#
#   run_case.sh CASE_DIR APILINT
#
# KEEP_OUT=FILE keeps a copy of apilint's JSON report.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# case_run, case_equal_set, case_end (the nginx cases' driver functions).
# shellcheck source-path=SCRIPTDIR source=../nginx/case_lib.sh
. "$here/../nginx/case_lib.sh"
case_dir=$(cd "${1:?usage: run_case.sh CASE_DIR APILINT}" && pwd)
_case_apilint=$(realpath "${2:?usage: run_case.sh CASE_DIR APILINT}")
name=${case_dir##*/}
python=${PYTHON:-/usr/bin/python3}

skip_or_fail() { # WHY
  if [ -n "${CI:-}" ]; then
    echo "FAIL [$name]: $1 (CI is set: .ci/install-deps installs it)" >&2
    exit 1
  fi
  echo "skip [$name]: $1" >&2
  exit 77
}
[ -x "$python" ] || skip_or_fail "$python not found"
if [ -f "$case_dir/needs" ]; then
  for module in $(grep -v '^#' "$case_dir/needs"); do
    "$python" -c "import $module" 2>/dev/null ||
      skip_or_fail "$python cannot import $module (apt-get install python3-$module)"
  done
fi
command -v jq >/dev/null || {
  echo "jq is needed" >&2
  exit 1
}

server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  if [ -n "${KEEP_OUT:-}" ] && [ -n "$work" ]; then
    cp "$work/out.json" "$KEEP_OUT" 2>/dev/null
  fi
  [ -n "$work" ] && rm -rf "$work"
}
trap cleanup EXIT
work=$(mktemp -d "${TMPDIR:-/tmp}/apilint-fw-$name.XXXXXX") || exit 1

# Start the server; its port comes on stdout (at most 60 s: importing Flask
# on a loaded machine takes a while).
args=$(grep -v '^#' "$case_dir/server")
args=${args//@CASE@/$case_dir}
args=${args//@HERE@/$here}
# shellcheck disable=SC2086 # the line is a list of arguments
"$python" $args >"$work/server.out" 2>"$work/server.err" </dev/null &
server_pid=$!
port=""
for _ in $(seq 1 600); do
  port=$(sed -n 's/.* port \([0-9][0-9]*\).*/\1/p' "$work/server.out" | head -1)
  [ -n "$port" ] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    break
  fi
  sleep 0.1
done
if [ -z "$port" ]; then
  echo "FAIL [$name]: the server did not say its port:" >&2
  cat "$work/server.out" "$work/server.err" >&2
  exit 1
fi
SERVER_URL=http://127.0.0.1:$port
export SERVER_URL

case_run
# The jq filters' $n and \(...) are jq's, not the shell's.
# shellcheck disable=SC2016
case_equal_set expected.findings \
  '.endpoints[] | .name as $n
   | ((.findings // [])[] | "\($n)\t\(.rule)"),
     ((.probes // [])[] | .probe as $p | (.findings // [])[]
      | "\($n)\t\(.rule)\t\($p)")' \
  reported "ENDPOINT<TAB>RULE[<TAB>PROBE]"
case_probes_agree
case_end "$work/server.err" \
  "frameworks/$name: ok ($(wc -l <"$work/reported") findings as expected)"
