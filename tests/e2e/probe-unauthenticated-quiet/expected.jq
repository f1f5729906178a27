.endpoints[2].probes[0].note != null and .endpoints[2].probes[0].sent_count == 0
