import json, sys
v = json.load(open(sys.argv[1]))
assert v["intact"] is False and v["first_bad_seq"] == 4, v
assert v["head_seq"] == 2, v
assert "audit event 4: event 3 before it is missing" in v["error"], v
print("broken chain reported")
