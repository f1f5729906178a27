.endpoints[0].probes[0].status == 406
