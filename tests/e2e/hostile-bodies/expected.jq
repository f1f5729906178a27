# the heads arrived, so their status is kept as evidence
[.endpoints[0:4][].status] == [200, 200, 200, 200]
.endpoints[4].status == 200 and .endpoints[4].findings == []
