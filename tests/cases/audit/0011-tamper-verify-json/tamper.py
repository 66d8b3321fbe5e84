# Tamper with the audit log as an attacker with the file would: drop
# the triggers that refuse UPDATE and DELETE, then change the rows.
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executescript("""
DROP TRIGGER audit_events_no_update;
DROP TRIGGER audit_events_no_delete;
DELETE FROM audit_events WHERE seq = 3;
""")
c.commit()
