# Tamper with the audit log as an attacker with the file would: drop
# the triggers that refuse UPDATE and DELETE, then change the rows.
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executescript("""
DROP TRIGGER audit_events_no_update;
DROP TRIGGER audit_events_no_delete;
UPDATE audit_events SET seq = 100 WHERE seq = 2;
UPDATE audit_events SET seq = 2 WHERE seq = 3;
UPDATE audit_events SET seq = 3 WHERE seq = 100;
""")
c.commit()
