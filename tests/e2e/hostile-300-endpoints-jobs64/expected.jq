# every endpoint got its own HTTP answer: no transport error under load
[.endpoints[] | select(.status == null)] == []
(.endpoints | length) == 300
