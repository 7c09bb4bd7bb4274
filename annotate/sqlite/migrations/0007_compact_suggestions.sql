-- 0007: machine suggestions stored smaller (issue 20). A suggestion run stores millions of
-- spans nobody has decided on; each byte per row is megabytes per corpus.
--
-- run_docs: the documents a suggestion run stored spans in, one row per (run, document).
-- Undoing a run finds its spans through it and the spans_doc index, so the index on
-- spans (run) (one entry per span, about 10 bytes of every suggestion) goes.
CREATE TABLE run_docs (
	run INTEGER NOT NULL REFERENCES runs (id),
	doc INTEGER NOT NULL,
	PRIMARY KEY (run, doc)
) WITHOUT ROWID;
INSERT INTO run_docs (run, doc) SELECT DISTINCT run, doc FROM spans WHERE run IS NOT NULL;
DROP INDEX spans_run;

-- From now on a run's spans are written with created = updated = 0, which SQLite stores
-- in no bytes at all (16 bytes a row before), and read as the run's start time (spanCols
-- in spans.go); deciding or editing a span sets updated as before. Rows written before
-- keep their times.
