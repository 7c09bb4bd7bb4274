-- 0002: the learned matcher's memory as a table of counts (as in the SQLite backend).
DROP INDEX spans_phrase;

CREATE TABLE phrases (
	text     TEXT NOT NULL,
	label    TEXT NOT NULL,
	accepted BIGINT NOT NULL DEFAULT 0,
	rejected BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (text, label)
);

INSERT INTO phrases (text, label, accepted, rejected)
	SELECT text, label, count(*) FILTER (WHERE status = 'accepted'), count(*) FILTER (WHERE status = 'rejected')
	FROM spans WHERE status IN ('accepted', 'rejected') GROUP BY text, label;
