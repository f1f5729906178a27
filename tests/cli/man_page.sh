#!/usr/bin/env bash
# docs/apilint.1 stays in step with the binary: every option and command of
# `apilint --help` is in the man page and every option the man page
# describes exists; every exit status and every environment variable the
# sources read (getenv) is documented; the page renders with man -l and
# groff reports no warnings. Skipped (77) without man/groff unless CI is set.
# Usage: man_page.sh APILINT SHARED_DIR SOURCE_DIR
set -euo pipefail
apilint=$1
src=$3
page=$src/docs/apilint.1
if ! command -v man >/dev/null || ! command -v groff >/dev/null; then
  [ -n "${CI:-}" ] && { echo "man or groff missing under CI"; exit 1; }
  echo "skip: man or groff not installed"; exit 77
fi

warnings=$(groff -man -ww -z "$page" 2>&1 || true)
[ -z "$warnings" ] || { echo "groff warnings:"; echo "$warnings"; exit 1; }
rendered=$(MANWIDTH=100 man -l "$page" 2>&1 | col -bx)
grep -q '^NAME' <<<"$rendered" || { echo "man -l did not render the page"; exit 1; }
help=$("$apilint" --help)

section() { # the rendered text of one top-level section
  awk -v s="$1" '/^[A-Z][A-Z ]+$/ {on = ($0 == s); next} on' <<<"$rendered"
}

failed=0
# Options: the long and short names in --help's option list.
mapfile -t help_long < <(grep -oE '(^|[ ,])--[a-z0-9][a-z0-9.-]*' <<<"$help" |
                         sed 's/^[ ,]//' | sort -u)
mapfile -t help_short < <(grep -oE '^  -[A-Za-z0-9],' <<<"$help" | tr -d ' ,' | sort -u)
[ "${#help_long[@]}" -ge 15 ] || { echo "read only ${#help_long[@]} options from --help"; exit 1; }
options=$(section OPTIONS)
for o in "${help_long[@]}" "${help_short[@]}"; do
  if ! grep -qE -- "(^|[ ,])$o([ ,=]|$)" <<<"$options"; then
    echo "--help has $o, the man page's OPTIONS section does not"
    failed=1
  fi
done
# ... and back: an option the man page describes must exist.
mapfile -t man_long < <(grep -oE '^ {7}(-[A-Za-z0-9], )?--[a-z0-9][a-z0-9.-]*' <<<"$options" |
                        grep -oE -- '--[a-z0-9.-]+' | sort -u)
for o in "${man_long[@]}"; do
  if ! grep -qE -- "(^|[ ,])$o([ ,=]|$)" <<<"$help"; then
    echo "the man page describes $o, --help does not list it"
    failed=1
  fi
done
# Commands: every "apilint WORD" of the usage lines.
mapfile -t commands < <(grep -oE '^(Usage:|      ) +apilint [a-z]+' <<<"$help" |
                        awk '{print $NF}' | sort -u)
[ "${#commands[@]}" -ge 3 ] || { echo "read only ${#commands[@]} commands from --help"; exit 1; }
for c in "${commands[@]}"; do
  if ! section COMMANDS | grep -qE "^ {7}$c( |$)"; then
    echo "command '$c' is not described under COMMANDS"
    failed=1
  fi
done
# Exit statuses: every number of --help's "Exit status:" line.
mapfile -t codes < <(sed -n '/^Exit status:/,/^$/p' <<<"$help" |
                     grep -oE '(^|[ :,])[0-9]+ [a-z]' | grep -oE '[0-9]+' | sort -u)
[ "${#codes[@]}" -ge 4 ] || { echo "read only ${#codes[@]} exit statuses from --help"; exit 1; }
for c in "${codes[@]}"; do
  if ! section "EXIT STATUS" | grep -qE "^ {7}$c( |$)"; then
    echo "exit status $c is not under EXIT STATUS"
    failed=1
  fi
done
# Environment: every variable the sources read by name.
mapfile -t vars < <(grep -ohE 'getenv\("[A-Za-z_][A-Za-z0-9_]*"\)' "$src"/src/*.c |
                    grep -oE '"[^"]+"' | tr -d '"' | sort -u)
for v in "${vars[@]}"; do
  if ! section ENVIRONMENT | grep -qw -- "$v"; then
    echo "src/ reads \$$v; the man page's ENVIRONMENT does not name it"
    failed=1
  fi
done
[ "$failed" -eq 0 ] &&
  echo "man page: ${#help_long[@]} options, ${#commands[@]} commands, ${#codes[@]} exit statuses, ${#vars[@]} variables in step"
exit "$failed"
