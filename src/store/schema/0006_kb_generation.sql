-- 0006_kb_generation.sql - a counter of changes to the knowledge base,
-- moved by triggers on every write to its tables, so that a process that
-- keeps an in-memory search index (gca_kb_keep_index, store/kbindex.c)
-- knows when to rebuild it, whoever made the change.
CREATE TABLE kb_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO kb_generation (id, n) VALUES (1, 0);

CREATE TRIGGER kb_gen_entries_i AFTER INSERT ON kb_entries BEGIN
    UPDATE kb_generation SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER kb_gen_entries_u AFTER UPDATE ON kb_entries BEGIN
    UPDATE kb_generation SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER kb_gen_entries_d AFTER DELETE ON kb_entries BEGIN
    UPDATE kb_generation SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER kb_gen_countries_i AFTER INSERT ON kb_entry_countries BEGIN
    UPDATE kb_generation SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER kb_gen_countries_u AFTER UPDATE ON kb_entry_countries BEGIN
    UPDATE kb_generation SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER kb_gen_countries_d AFTER DELETE ON kb_entry_countries BEGIN
    UPDATE kb_generation SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER kb_gen_pillars_i AFTER INSERT ON kb_entry_pillars BEGIN
    UPDATE kb_generation SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER kb_gen_pillars_u AFTER UPDATE ON kb_entry_pillars BEGIN
    UPDATE kb_generation SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER kb_gen_pillars_d AFTER DELETE ON kb_entry_pillars BEGIN
    UPDATE kb_generation SET n = n + 1 WHERE id = 1;
END;
