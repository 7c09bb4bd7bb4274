-- The search index's bookkeeping (see search.go). Created at open when missing, not as a
-- numbered migration: the index is derived from the documents and can be rebuilt, and a
-- build without FTS5 must open the same file.
--
-- search_pending lists documents whose text the full-text index does not reflect yet:
-- triggers add every inserted, changed or deleted document, so any writer (this store,
-- a merge, a script) keeps it true without knowing about the index; the store drains it
-- into the full-text index (in the file <db>-search, see searchfile.go) during imports and
-- at open. Searches read pending documents directly, so results never depend on the index
-- having caught up.
CREATE TABLE IF NOT EXISTS search_pending (
	doc   INTEGER PRIMARY KEY,
	stale INTEGER NOT NULL DEFAULT 0 -- 1: the index may hold an older text to remove first
);
-- search_state ties the index file to this one: its stamp (random, set by the store) and
-- the latest index commit whose documents' pending rows were removed here.
CREATE TABLE IF NOT EXISTS search_state (
	id    INTEGER PRIMARY KEY CHECK (id = 1),
	stamp TEXT NOT NULL,
	seq   INTEGER NOT NULL
);
CREATE TRIGGER IF NOT EXISTS search_doc_insert AFTER INSERT ON documents BEGIN
	INSERT INTO search_pending (doc) VALUES (new.id) ON CONFLICT (doc) DO NOTHING;
END;
CREATE TRIGGER IF NOT EXISTS search_doc_update AFTER UPDATE OF text ON documents BEGIN
	INSERT INTO search_pending (doc, stale) VALUES (new.id, 1) ON CONFLICT (doc) DO UPDATE SET stale = 1;
END;
CREATE TRIGGER IF NOT EXISTS search_doc_delete AFTER DELETE ON documents BEGIN
	INSERT INTO search_pending (doc, stale) VALUES (old.id, 1) ON CONFLICT (doc) DO UPDATE SET stale = 1;
END;
INSERT INTO search_pending (doc) SELECT id FROM documents WHERE true ON CONFLICT (doc) DO NOTHING;
