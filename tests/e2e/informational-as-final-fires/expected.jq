[.endpoints[] | select(.name == "100 then close") | .status] == [100]
[.endpoints[] | select(.name == "102 then never") | .status] == [102]
