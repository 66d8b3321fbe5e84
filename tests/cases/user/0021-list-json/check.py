import json, sys
users = json.load(open(sys.argv[1]))
assert [u["name"] for u in users] == ["fay", "root"], users
assert users[0]["country"] == "FRA" and users[1]["country"] is None, users
assert users[1]["role"] == "admin" and users[1]["disabled"] is False, users
assert users[1]["has_password"] is False, users
assert set(users[0]) == {"name", "role", "country", "disabled",
                         "has_password", "created_at"}, users[0]
print("users ok")
