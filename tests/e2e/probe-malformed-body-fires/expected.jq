.endpoints[1].probes[0].note != null
[.endpoints[0].probes[].step] == ["invalid-json", "wrong-types", "missing-fields"]
