.endpoints[3].probes[0].sent_count == 12
.endpoints[3].probes[0].statuses == "200 x12"
.summary.probe_requests == 15
