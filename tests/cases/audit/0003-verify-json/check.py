import json, sys
v = json.load(open(sys.argv[1]))
assert v["intact"] is True and v["events"] == 4 and v["head_seq"] == 4, v
assert len(v["head_hash"]) == 64, v
print("verify ok")
