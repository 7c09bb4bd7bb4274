-- 0005: imports in bounded chunks. An import writes its documents (with their spans and
-- events) in short transactions so that other writers get in between, tagged with its
-- batch; documents of a batch still 'staged' are left out of every list, count and export.
-- The last transaction of the import flips the batch to 'published' (one row), so the user
-- sees the whole import or none of it. A batch left 'staged' by a killed process is
-- removed by the next import; `evident check` reports it until then.
CREATE TABLE import_batches (
	id        INTEGER PRIMARY KEY,
	state     TEXT NOT NULL DEFAULT 'staged' CHECK (state IN ('staged', 'published')),
	annotator TEXT NOT NULL DEFAULT '',
	pid       INTEGER NOT NULL DEFAULT 0, -- the importing process, to tell a running import from a killed one
	started   INTEGER NOT NULL,
	documents INTEGER NOT NULL DEFAULT 0  -- documents staged so far (committed chunks)
);

-- 0: not imported through a batch (older imports, merges). Kept after publishing, so the
-- partial index below holds every batch-imported document; it is appended to in id order
-- and answers "documents of staged batches" without reading a document row.
ALTER TABLE documents ADD COLUMN batch INTEGER NOT NULL DEFAULT 0;
CREATE INDEX documents_batch ON documents (batch) WHERE batch != 0;
