.endpoints[3].probes[0].note != null and .endpoints[3].probes[0].sent_count == 0
.endpoints[2].probes[0].step == "no-cookie" and .endpoints[2].probes[0].status == 403
