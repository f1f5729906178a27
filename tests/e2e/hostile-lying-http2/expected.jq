[.endpoints[] | select(.name == "ep23") | .status] == [null] or [.endpoints[] | select(.name == "ep23") | .status] == [0]
