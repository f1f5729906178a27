.endpoints[0].probes[0].sent_count == 10
.endpoints[0].probes[0].statuses == "401 x3, 429 x7"
.endpoints[0].probes[0].status == 429
.endpoints[1].probes[0].statuses == "200 x10"
