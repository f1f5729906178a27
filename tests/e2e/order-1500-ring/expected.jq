[.endpoints[] | .url | sub(".*/items/"; "") | tonumber] == [range(1; 1501) | (. * 7919) % 1511]
[.endpoints[] | select(.status == 200)] | length == 1500
