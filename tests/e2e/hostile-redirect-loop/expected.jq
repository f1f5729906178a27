[.endpoints[].status] == [302, 301, 307]
