(.endpoints | length) == 20
[.endpoints[].probes[] | .note] | all(. == "the endpoint itself got no answer")
[.endpoints[].probes[]] | length >= 40
[.endpoints[].probes[] | .sent_count] | add == 0
.specs[0].base_url == "http://127.0.0.1:1"
.summary.unreachable == 20
