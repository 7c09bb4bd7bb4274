-- The search index's tables (see search.go). Created at open when missing, not as a
-- numbered migration: the index is derived from the documents and can be rebuilt, and
-- the schema version stays the SQLite backend's (PostgreSQL-only tables get no number).
--
-- search_text holds the loose folding of each document's text (query.Loose, computed in
-- Go, so PostgreSQL needs no collation or extension to agree with SQLite on what a
-- letter is) and the keys of its index tokens (searchkeys.go, also computed in Go); a
-- GIN index over the keys (the built-in int4[] operator class) finds the documents that
-- hold a query's lookups, and LIKE '%term%' over body checks them.
--
-- search_pending lists documents whose text search_text does not reflect yet: triggers
-- add every inserted, changed or deleted document, so any writer (an import, a copy, a
-- script) keeps it true without knowing about the index; the store drains it at the end
-- of an import or copy and at open. Searches read pending documents directly, so
-- results never depend on the index having caught up.
CREATE TABLE IF NOT EXISTS search_pending (
	doc   BIGINT PRIMARY KEY,
	stale BOOLEAN NOT NULL DEFAULT false -- search_text may hold an older text to remove first
);
CREATE TABLE IF NOT EXISTS search_text (
	doc  BIGINT PRIMARY KEY,
	body TEXT NOT NULL,
	keys INT4[] NOT NULL
);
CREATE INDEX IF NOT EXISTS search_text_keys ON search_text USING gin (keys);
-- A statement-level trigger with a transition table: one INSERT ... SELECT per COPY,
-- not one per document. An import writes its documents' search rows itself and says so
-- for its own transaction (SET LOCAL evident.search_rows_written = 'on'): its documents
-- are not listed only to be removed again (migration 0010 replaces the function of older
-- databases with this one).
CREATE OR REPLACE FUNCTION search_docs_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('evident.search_rows_written', true) = 'on' THEN
		RETURN NULL;
	END IF;
	INSERT INTO search_pending (doc) SELECT id FROM search_new_docs ON CONFLICT (doc) DO NOTHING;
	RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION search_doc_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO search_pending (doc, stale) VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END, true)
		ON CONFLICT (doc) DO UPDATE SET stale = true;
	RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER search_doc_insert AFTER INSERT ON documents
	REFERENCING NEW TABLE AS search_new_docs FOR EACH STATEMENT EXECUTE FUNCTION search_docs_inserted();
CREATE OR REPLACE TRIGGER search_doc_update AFTER UPDATE OF text ON documents
	FOR EACH ROW WHEN (OLD.text IS DISTINCT FROM NEW.text) EXECUTE FUNCTION search_doc_changed();
CREATE OR REPLACE TRIGGER search_doc_delete AFTER DELETE ON documents
	FOR EACH ROW EXECUTE FUNCTION search_doc_changed();
INSERT INTO search_pending (doc) SELECT id FROM documents ON CONFLICT (doc) DO NOTHING;
