# the endpoint after the hostile ones got its own clean answer
.endpoints[3] | .status == 200 and .findings == []
# the header flood and the bomb got an HTTP response (status 200)
[.endpoints[1,2].status] == [200, 200]
# whatever the endless body ended in, it is at most one finding
(.endpoints[0].findings | length) <= 1
