# the repeated name belongs to the right file
.endpoints[0] | (.spec | startswith("second.yaml:")) and .findings[0].rule == "error-body-on-success"
.endpoints[2] | (.spec | startswith("spec.yaml:")) and .findings == []
