([.endpoints[].findings[] | select(.rule == "version-disclosure")] | length) == 13
