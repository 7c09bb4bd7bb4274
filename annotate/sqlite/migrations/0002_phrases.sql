-- 0002: the learned matcher's memory as a table of counts instead of an index on spans.
-- An index on spans (text, label, status) made every imported span a random B-tree
-- insert and cost about a third of import time; counts per (text, label) are kept up to
-- date by the store with each change (and checked by Check), and read in one scan.
DROP INDEX spans_phrase;

CREATE TABLE phrases (
	text     TEXT NOT NULL,
	label    TEXT NOT NULL,
	accepted INTEGER NOT NULL DEFAULT 0,
	rejected INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (text, label)
) WITHOUT ROWID;

INSERT INTO phrases (text, label, accepted, rejected)
	SELECT text, label, sum(status = 'accepted'), sum(status = 'rejected')
	FROM spans WHERE status IN ('accepted', 'rejected') GROUP BY text, label;
