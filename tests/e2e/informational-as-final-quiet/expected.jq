[.endpoints[].status] == [200, 201, 200, 200]
