# The byte 0xFF cannot be in JSON text: it is shown as '?'.
import json, sys
ev = json.load(open(sys.argv[1]))
assert [e["actor"] for e in ev] == ["ev?l"], ev
print("not utf-8 shown")
