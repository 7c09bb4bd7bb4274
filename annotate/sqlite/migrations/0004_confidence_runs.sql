-- 0004: confidences and suggestion runs. A suggestion may carry a confidence (rules, the
-- learned tagger and outside models each give one; NULL = none, never read as 1.0) and
-- the run that made it. A run is one pass of one suggester (the rules, the in-app model,
-- an outside model) over some documents: its source and version say which, so a later
-- run of the same source can replace its own undecided suggestions. Accepting a
-- suggestion keeps its confidence and run on the span.

CREATE TABLE runs (
	id        INTEGER PRIMARY KEY,
	source    TEXT NOT NULL,              -- 'rules', 'tagger', or an outside model's name
	version   TEXT NOT NULL DEFAULT '',
	annotator TEXT NOT NULL DEFAULT '',
	started   INTEGER NOT NULL,           -- Unix microseconds (UTC)
	finished  INTEGER,                    -- NULL while running or when cancelled
	params    TEXT                        -- JSON object or NULL
);
CREATE INDEX runs_source ON runs (source, version);

ALTER TABLE spans ADD COLUMN confidence REAL;
ALTER TABLE spans ADD COLUMN run INTEGER REFERENCES runs (id);
CREATE INDEX spans_run ON spans (run) WHERE run IS NOT NULL;
