.endpoints[2].probes[0].note != null
.endpoints[0].probes[0].status == 304
