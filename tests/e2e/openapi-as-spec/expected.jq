.endpoints[0].spec == "spec.yaml:23"
([.endpoints[].name] == ["listUsers", "getUser", "GET /health", "listTeams"])
