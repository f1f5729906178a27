# the slow head never completed; the slow body's head did and is kept
.endpoints[0].status == null or .endpoints[0].status == 0
.endpoints[1].status == 200
.endpoints[2].status == 200 and .endpoints[2].findings == []
