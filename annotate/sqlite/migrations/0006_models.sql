-- 0006: trained models. The learned tagger (and later other learned suggesters) keeps
-- each trained model here: the encoded model, its version within its kind, when it was
-- made, how many documents and decisions it learned from and its cross-validated figures.
-- Models are derived data: they are not in the operations log, and training never
-- changes a span.

CREATE TABLE models (
	id        INTEGER PRIMARY KEY,
	kind      TEXT NOT NULL,
	version   INTEGER NOT NULL,
	created   INTEGER NOT NULL,  -- Unix microseconds (UTC)
	blob      BLOB NOT NULL,
	docs      INTEGER NOT NULL DEFAULT 0,
	decisions INTEGER NOT NULL DEFAULT 0,
	metrics   TEXT,              -- JSON object or NULL
	UNIQUE (kind, version)
);
