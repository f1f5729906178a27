# probes_agree.jq - over apilint's JSON report (CONTRACT.md): one line per
# probe finding that contradicts the endpoint's own answer, nothing when
# every probe finding is about the difference the probe made (issue 13).
# Run as
#   jq -r --argjson probe_rules '["not-found-instead-of-405", ...]' \
#     -f probes_agree.jq out.json
# with probe_rules the ids `apilint rules` marks "[probe: ...]".
#
# A probe finding contradicts the endpoint's own answer when
#   same-failure  a probe rule (except allow-inconsistent, which compares
#                 the OPTIONS answer's Allow with the other answers by
#                 design) blames a probe answer whose status is the very
#                 failure the endpoint's own request got (a status that is
#                 not 2xx/3xx, or no answer): the probe changed nothing;
#   own-failure   validation-server-error, no-rate-limit or
#                 head-differs-from-get fires although the endpoint's own
#                 request got a 5xx or no answer (validation-server-error:
#                 or a 405): the endpoint fails without the probe's help;
#   allow-misread allow-inconsistent says Allow lists a method that the
#                 quoted Allow does not name (GET read as GET + HEAD).
def own_works: .status != null and .status >= 200 and .status < 400;
def own_fails: .status == null or .status >= 500;
def allow_names($allow; $m):
  $allow | ascii_upcase | split(",") | map(gsub("^[ \t]+|[ \t]+$"; ""))
  | index($m | ascii_upcase) != null;

.endpoints[] as $e
| ($e.probes // [])[] as $p
| ($p.findings // [])[] as $f
| (if ($probe_rules | index($f.rule)) != null
      and $f.rule != "allow-inconsistent"
      and ($e | own_works | not) and $p.status == $e.status
   then "same-failure"
   elif ($f.rule == "validation-server-error" or $f.rule == "no-rate-limit"
         or $f.rule == "head-differs-from-get")
        and (($e | own_fails)
             or ($f.rule == "validation-server-error" and $e.status == 405))
   then "own-failure"
   elif $f.rule == "allow-inconsistent"
        and ($f.message | test("Allow: .* lists [^ ]+, but"))
        and (($f.message | capture("Allow: (?<a>.*) lists (?<m>[^ ]+), but"))
             as $c | allow_names($c.a; $c.m) | not)
   then "allow-misread"
   else empty end) as $why
| "\($why)\t\($e.name) (own: \($e.status // "no answer"))\t\($p.probe)/\($p.step) -> \($p.status // "no answer")\t\($f.rule): \($f.message)"
