import json, sys
ev = json.load(open(sys.argv[1]))
assert len(ev) == 1, ev
e = ev[0]
assert e["seq"] == 3 and e["actor"] == "root" and e["action"] == "user.add", e
assert e["object"] == "user/fay", e
assert e["payload"] == {"country": "FRA", "name": "fay", "role": "focal"}, e
assert len(e["hash"]) == 64 and len(e["prev_hash"]) == 64, e
print("log ok")
