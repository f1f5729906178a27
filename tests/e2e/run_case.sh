#!/usr/bin/env bash
# run_case.sh CASE_DIR APILINT_BIN FIXTURE_SERVER
#
# Runs one end-to-end case (tests/e2e/README.md): starts the fixture server on
# 127.0.0.1 with CASE_DIR/replies, runs the real apilint binary on
# CASE_DIR/spec.yaml over real sockets, then checks whatever expected.* files
# the case has. Every check runs (all failures are listed, not just the first);
# the temporary directory is kept and named when anything fails.
set -eu

if [ $# -ne 3 ]; then
  echo "usage: $0 CASE_DIR APILINT_BIN FIXTURE_SERVER" >&2
  exit 2
fi

case_dir=$(cd "$1" && pwd)
# Absolute paths: apilint runs from the case directory.
abspath() {
  case $1 in
    /*) printf '%s' "$1" ;;
    *) printf '%s/%s' "$(pwd)" "$1" ;;
  esac
}
apilint=$(abspath "$2")
server=$(abspath "$3")
case_name=$(basename "$case_dir")
here=$(cd "$(dirname "$0")" && pwd)
shared_dir=${APILINT_SHARED_DIR:-$here/../../../shared}

for tool in jq xmllint timeout; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$case_name: '$tool' not found (Debian: apt-get install jq libxml2-utils coreutils)" >&2
    exit 2
  fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/apilint-e2e-$case_name.XXXXXX")
server_pid=
passed=0

cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "$passed" = 1 ]; then
    rm -rf "$tmp"
  else
    echo "$case_name: temporary directory kept: $tmp" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

failures=0
fail() {
  echo "FAIL [$case_name]: $*"
  failures=$((failures + 1))
}

# Lines of an expected.* file that are not blank and not '#' comments.
lines_of() {
  grep -v -e '^[[:space:]]*$' -e '^#' "$1" || true
}

# Replaces the placeholders an args/pattern line may use. Only these names are
# expanded, so a line is never evaluated as shell code.
# shellcheck disable=SC2016 # the '${NAME}' are literal on purpose
expand() {
  local s=$1
  s=${s//'${FIXTURE_URL}'/$FIXTURE_URL}
  s=${s//'${FIXTURE_PORT}'/$FIXTURE_PORT}
  s=${s//'${CASE_DIR}'/$case_dir}
  s=${s//'${TMP}'/$tmp}
  s=${s//'\t'/$'\t'}
  printf '%s' "$s"
}

# --- the fixture server -------------------------------------------------------
replies=$case_dir/replies
if [ ! -e "$replies" ]; then
  : >"$tmp/replies"
  replies=$tmp/replies
fi
: >"$tmp/server.log"
"$server" --replies "$replies" --port-file "$tmp/port" --log "$tmp/server.log" \
  --max-seconds 120 >"$tmp/server.out" 2>&1 &
server_pid=$!

tries=0
while [ ! -s "$tmp/port" ]; do
  tries=$((tries + 1))
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "FAIL [$case_name]: fixture server exited before listening:" >&2
    cat "$tmp/server.out" >&2
    exit 1
  fi
  if [ "$tries" -gt 200 ]; then
    echo "FAIL [$case_name]: fixture server wrote no port file within 10 s" >&2
    exit 1
  fi
  sleep 0.05
done
read -r FIXTURE_PORT <"$tmp/port"
FIXTURE_URL=http://127.0.0.1:$FIXTURE_PORT
export FIXTURE_URL FIXTURE_PORT
export NO_COLOR=1

# CASE_DIR/env: shell assignments (exported) for the run, e.g. API_TOKEN=...
# or DEMO_URL=$FIXTURE_URL; it may also unset variables.
if [ -f "$case_dir/env" ]; then
  set -a
  # shellcheck disable=SC1091
  . "$case_dir/env"
  set +a
fi

# --- apilint ------------------------------------------------------------------
args=()
if [ -f "$case_dir/args" ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in '' | '#'*) continue ;; esac
    args+=("$(expand "$line")")
  done <"$case_dir/args"
fi

# CASE_DIR/check.args instead of spec.yaml: `apilint check` with those
# arguments (one a line, same expansion as args), no spec file.
target=(spec.yaml)
if [ -f "$case_dir/check.args" ]; then
  target=()
  args=(check)
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in '' | '#'*) continue ;; esac
    args+=("$(expand "$line")")
  done <"$case_dir/check.args"
fi

# Run from the case directory so spec positions read "spec.yaml:LINE:COL".
set +e
(cd "$case_dir" && timeout -k 5 100 "$apilint" ${args[@]+"${args[@]}"} \
  --json "$tmp/out.json" --junit "$tmp/out.xml" ${target[@]+"${target[@]}"}) \
  >"$tmp/stdout" 2>"$tmp/stderr"
status=$?
set -e
printf '%s\n' "$status" >"$tmp/exit"
echo "$case_name: apilint exited $status ($(wc -l <"$tmp/server.log") requests logged)"

if [ "$status" = 124 ] || [ "$status" = 137 ]; then
  fail "apilint did not finish within 100 s"
fi
if grep -E -q 'AddressSanitizer|LeakSanitizer|runtime error:' "$tmp/stderr"; then
  fail "sanitizer report on stderr:"
  grep -E -A 12 'AddressSanitizer|LeakSanitizer|runtime error:' "$tmp/stderr" | head -40
fi

# Stop the server now (the log is complete) so that its own sanitizer report,
# written at exit, can be checked too.
kill "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
server_pid=
if grep -E -q 'AddressSanitizer|LeakSanitizer|runtime error:' "$tmp/server.out"; then
  fail "sanitizer report from the fixture server:"
  grep -E -A 12 'AddressSanitizer|LeakSanitizer|runtime error:' "$tmp/server.out" | head -40
fi

# --- checks -------------------------------------------------------------------
if [ -f "$case_dir/expected.exit" ]; then
  want=$(lines_of "$case_dir/expected.exit" | head -1)
  if [ "$status" != "$want" ]; then
    fail "exit status $status, expected $want"
  fi
fi

# stdout is a file and NO_COLOR is set: no ANSI colour anywhere.
if grep -q "$(printf '\033')" "$tmp/stdout" "$tmp/stderr"; then
  fail "ANSI escape sequences in the output although it is not a terminal"
fi

# Reports are written through a temporary file and a rename: none may be
# left behind next to them.
leftover=$(cd "$tmp" && find . -maxdepth 1 -name '*out*' ! -name out.json \
  ! -name out.xml ! -name server.out ! -name stdout -print)
if [ -n "$leftover" ]; then
  fail "temporary report files left behind: $leftover"
fi

# CONTRACT.md: report files are written whatever the exit status but 2.
json_ok=0
if [ "$status" = 2 ]; then
  for f in out.json out.xml; do
    if [ -e "$tmp/$f" ]; then fail "exit 2 but $f was written"; fi
  done
else
  for f in out.json out.xml; do
    if [ ! -s "$tmp/$f" ]; then fail "exit $status but $f was not written"; fi
  done
  if [ -s "$tmp/out.json" ]; then
    if jq -e 'type == "object" and (.endpoints | type == "array")' \
      "$tmp/out.json" >/dev/null 2>"$tmp/jq.err"; then
      json_ok=1
    else
      fail "out.json is not a JSON object with an endpoints array:"
      cat "$tmp/jq.err"
      head -c 600 "$tmp/out.json"
      echo
    fi
  fi
fi

if [ -f "$case_dir/expected.findings" ]; then
  lines_of "$case_dir/expected.findings" | LC_ALL=C sort >"$tmp/findings.want"
  if [ "$json_ok" = 1 ]; then
    # The endpoint's own findings as ENDPOINT<TAB>RULE, its probes' as
    # ENDPOINT<TAB>RULE<TAB>PROBE; one set, compared whole.
    jq -r '.endpoints[] | .name as $n
           | ((.findings // [])[] | "\($n)\t\(.rule)"),
             ((.probes // [])[] | .probe as $p | (.findings // [])[]
              | "\($n)\t\(.rule)\t\($p)")' "$tmp/out.json" |
      LC_ALL=C sort >"$tmp/findings.got"
  else
    : >"$tmp/findings.got"
  fi
  if ! diff -u --label expected.findings --label out.json \
    "$tmp/findings.want" "$tmp/findings.got" >"$tmp/findings.diff"; then
    fail "findings differ (- expected, + reported: ENDPOINT<TAB>RULE[<TAB>PROBE]):"
    cat "$tmp/findings.diff"
  fi
fi

if [ -f "$case_dir/expected.order" ]; then
  lines_of "$case_dir/expected.order" >"$tmp/order.want"
  if [ "$json_ok" = 1 ]; then
    jq -r '.endpoints[].name' "$tmp/out.json" >"$tmp/order.got"
  else
    : >"$tmp/order.got"
  fi
  if ! diff -u --label expected.order --label out.json \
    "$tmp/order.want" "$tmp/order.got" >"$tmp/order.diff"; then
    fail "endpoint order differs from the spec:"
    head -40 "$tmp/order.diff"
  fi
fi

# expected.jq: jq filters over out.json, each must print true.
if [ -f "$case_dir/expected.jq" ] && [ "$json_ok" = 1 ]; then
  while IFS= read -r filter; do
    got=$(jq -c "$filter" "$tmp/out.json" 2>&1 || true)
    if [ "$got" != true ]; then
      fail "out.json: jq filter is not true: $filter (got: $got)"
    fi
  done < <(lines_of "$case_dir/expected.jq")
fi

cat "$tmp/stdout" "$tmp/stderr" >"$tmp/output"
: >"$tmp/reports"
for f in out.json out.xml; do
  if [ -f "$tmp/$f" ]; then cat "$tmp/$f" >>"$tmp/reports"; fi
done

# check_patterns EXPECTED_FILE SUBJECT_FILE must|must-not WHAT
check_patterns() {
  local file=$case_dir/$1 subject=$2 mode=$3 what=$4 pat
  [ -f "$file" ] || return 0
  while IFS= read -r pat; do
    pat=$(expand "$pat")
    if grep -E -q -- "$pat" "$subject"; then
      if [ "$mode" = must-not ]; then
        fail "$what matches /$pat/ but must not:"
        grep -E -n -- "$pat" "$subject" | head -5
      fi
    elif [ "$mode" = must ]; then
      fail "$what does not match /$pat/"
    fi
  done < <(lines_of "$file")
}

# expected.stdout: the exact text output, pinned (a format change is a
# visible diff). Volatile parts are rewritten first, on both runs alike
# (tests/e2e/README.md, "Pinned output"): the fixture server's port becomes
# PORT, durations "N ms" / "N milliseconds". APILINT_E2E_REGEN=1 writes the
# rewritten stdout into expected.stdout instead of comparing.
strip_volatile() {
  sed -E \
    -e "s/(127\.0\.0\.1|localhost)(:| port )$FIXTURE_PORT([^0-9]|\$)/\1\2PORT\3/g" \
    -e 's/(^|[^0-9.])[0-9]+ ms([^a-z]|$)/\1N ms\2/g' \
    -e 's/(^|[^0-9.])[0-9]+ milliseconds/\1N milliseconds/g' "$1"
}
if [ -f "$case_dir/expected.stdout" ]; then
  strip_volatile "$tmp/stdout" >"$tmp/stdout.stripped"
  if [ -n "${APILINT_E2E_REGEN:-}" ]; then
    cp "$tmp/stdout.stripped" "$case_dir/expected.stdout"
    echo "$case_name: expected.stdout rewritten"
  elif ! diff -u "$case_dir/expected.stdout" "$tmp/stdout.stripped" \
    >"$tmp/stdout.diff"; then
    fail "stdout differs from expected.stdout (- expected, + got):"
    head -80 "$tmp/stdout.diff"
  fi
fi

check_patterns expected.stdout.grep "$tmp/stdout" must "stdout"
check_patterns expected.stderr.grep "$tmp/stderr" must "stderr"
check_patterns expected.output.grep "$tmp/output" must "stdout+stderr"
check_patterns expected.stdout.not "$tmp/output" must-not "stdout+stderr"
check_patterns expected.reports.not "$tmp/reports" must-not "out.json+out.xml"
check_patterns expected.requests "$tmp/server.log" must "the server log"
check_patterns expected.requests.not "$tmp/server.log" must-not "the server log"

# out.xml's counts must match its test cases, in every case; then
# expected.junit.xpath: XPath expressions over out.xml that must be true.
if [ -s "$tmp/out.xml" ]; then
  {
    echo 'count(//testsuite[@tests != count(testcase)]) = 0'
    echo 'count(//testsuite[@failures != count(testcase/failure)]) = 0'
    echo 'count(//testsuite[@errors != count(testcase/error)]) = 0'
    echo 'count(//testsuite[@skipped and @skipped != count(testcase/skipped)]) = 0'
  } >"$tmp/xpath"
  if [ -f "$case_dir/expected.junit.xpath" ]; then
    lines_of "$case_dir/expected.junit.xpath" >>"$tmp/xpath"
  fi
  while IFS= read -r xp; do
    got=$(xmllint --xpath "boolean($xp)" "$tmp/out.xml" 2>&1 || true)
    if [ "$got" != true ]; then
      fail "out.xml: XPath is not true: $xp ($got)"
    fi
  done <"$tmp/xpath"
fi

# JUnit: both third-party schemas from ../shared (never copied into the repo).
if [ -s "$tmp/out.xml" ]; then
  if [ -d "$shared_dir/schemas" ]; then
    for xsd in ant-junit.xsd jenkins-xunit-junit-10.xsd; do
      if ! xmllint --noout --schema "$shared_dir/schemas/$xsd" "$tmp/out.xml" \
        >"$tmp/xmllint.out" 2>&1; then
        fail "out.xml does not validate against $xsd:"
        head -20 "$tmp/xmllint.out"
      fi
    done
  else
    echo "skip: ../shared/schemas absent ($shared_dir/schemas), JUnit not validated"
  fi
fi

if [ "$failures" -gt 0 ]; then
  echo "--- stdout ---"
  head -60 "$tmp/stdout"
  echo "--- stderr ---"
  head -30 "$tmp/stderr"
  echo "--- server log ($tmp/server.log) ---"
  head -20 "$tmp/server.log"
  echo "--- server output ---"
  tail -10 "$tmp/server.out"
  echo "$case_name: $failures check(s) failed"
  exit 1
fi
passed=1
echo "$case_name: ok"
