.endpoints[0].transport_error == null
.endpoints[0].body_prefix_only == true
.endpoints[0].status == 200
.endpoints[1].body_prefix_only == false
.summary.unreachable == 0
