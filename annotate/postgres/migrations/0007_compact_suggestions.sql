-- 0007: machine suggestions stored smaller, as SQLite's 0007 (see its comments): the
-- documents of each suggestion run in run_docs instead of an index on spans (run); a
-- run's spans are written with created = updated = 0 and read as the run's start time.
CREATE TABLE run_docs (
	run BIGINT NOT NULL REFERENCES runs (id),
	doc BIGINT NOT NULL,
	PRIMARY KEY (run, doc)
);
INSERT INTO run_docs (run, doc) SELECT DISTINCT run, doc FROM spans WHERE run IS NOT NULL;
DROP INDEX spans_run;
