# Take the database back to schema version 1, as an older gca left it.
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executescript("""
DROP TABLE edition_tiers; DROP TABLE edition_scores; DROP TABLE evidence;
DROP TABLE blobs; DROP TABLE answers; DROP TABLE editions;
DROP TABLE users; DROP TABLE audit_events;
DELETE FROM schema_migrations WHERE version >= 2;
""")
c.commit()
