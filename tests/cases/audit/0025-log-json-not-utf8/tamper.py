# Tamper with the audit log as an attacker with the file would: drop
# the triggers that refuse UPDATE and DELETE, then change the rows.
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executescript("""
DROP TRIGGER audit_events_no_update;
DROP TRIGGER audit_events_no_delete;
INSERT INTO audit_events VALUES (5, '2026-11-23T10:21:00Z',
    CAST(X'6576FF6C' AS TEXT), 'user.add', 'user/z', '{}', '0000000000000000000000000000000000000000000000000000000000000000', 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb');
""")
c.commit()
