.endpoints[0].probes[0].sent_count == 2
.endpoints[0].probes[0].statuses == "no answer x2; stopped after 2 of 40: the server no longer answered"
