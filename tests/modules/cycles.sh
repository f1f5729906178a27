#!/usr/bin/env bash
# cycles.sh LIBRARY.a - fails when the object files of LIBRARY.a form a
# cycle (issue 7: "zero cycles in the graph of which object file uses a
# symbol another defines").
#
# The graph: an edge A -> B for every symbol A's object leaves undefined
# (nm type U) that B's object defines (T, D, B, R, and the other global
# types). Two objects are in one cycle when each reaches the other; the
# reachability is a Warshall closure in awk (a few dozen objects), so the
# test needs only nm (binutils, with gcc) and awk. It prints every cycle
# with the symbols behind each edge inside it, then "cycles: N".
# Exit 0 with no cycle, 1 with one, 77 (skipped) when nm is missing and CI
# is not set.
set -euo pipefail
if [ $# -ne 1 ] || [ ! -f "$1" ]; then
  echo "usage: $0 LIBRARY.a" >&2
  exit 2
fi
if ! command -v nm >/dev/null 2>&1; then
  echo "nm not found (Debian: binutils)" >&2
  [ -n "${CI:-}" ] && exit 1
  exit 77
fi

# "archive:member.o:ADDR TYPE NAME" / "archive:member.o:   U NAME"
nm -A "$1" | awk '
{
  n = split($0, part, ":")
  if (n < 3) next
  obj = part[n - 1]
  sub(/\.c\.o$/, "", obj); sub(/\.o$/, "", obj)
  if (!(obj in seen)) { seen[obj] = 1; objs[++count] = obj }
  nf = split(part[n], f, " ")
  if (nf == 2 && f[1] == "U") { uses[obj SUBSEP f[2]] = 1; used[f[2]] = 1 }
  else if (nf == 3 && f[2] ~ /^[TDBRCGSVW]$/) def[f[3]] = obj
}
END {
  for (k in uses) {
    split(k, p, SUBSEP)
    d = def[p[2]]
    if (d != "" && d != p[1]) {
      edge[p[1], d] = 1
      why[p[1], d] = why[p[1], d] " " p[2]
    }
  }
  edges = 0
  for (i = 1; i <= count; i++)
    for (j = 1; j <= count; j++) {
      r[i, j] = ((objs[i], objs[j]) in edge)
      edges += r[i, j]
    }
  for (k = 1; k <= count; k++)
    for (i = 1; i <= count; i++)
      if (r[i, k])
        for (j = 1; j <= count; j++)
          if (r[k, j]) r[i, j] = 1
  cycles = 0
  for (i = 1; i <= count; i++) {
    if (done[i] || !r[i, i]) continue
    line = ""
    for (j = i; j <= count; j++)
      if (r[i, j] && r[j, i]) { done[j] = 1; line = line (line ? ", " : "") objs[j]; member[++m] = j }
    cycles++
    print "cycle: {" line "}"
    for (a = 1; a <= m; a++)
      for (b = 1; b <= m; b++) {
        x = objs[member[a]]; y = objs[member[b]]
        if ((x, y) in edge) print "  " x " -> " y ":" why[x, y]
      }
    m = 0
  }
  print "objects: " count ", edges: " edges ", cycles: " cycles
  exit cycles > 0
}'
