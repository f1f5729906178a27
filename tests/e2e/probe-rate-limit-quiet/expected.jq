.endpoints[0].probes[0].sent_count == 6
.endpoints[1].probes[0].status == 429
