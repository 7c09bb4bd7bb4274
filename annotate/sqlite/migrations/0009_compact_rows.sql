-- 0009: spans, events and event arguments stored smaller (issue 20: a suggestion run
-- grew the database by about 3× its text; the rows below take about 40% less). What every
-- query reads does not change: `spans`, `events` and `event_args` become views that
-- decode the rows, with the same columns and values as before, and INSTEAD OF triggers
-- turn writes to them into writes to the rows. The store's hot paths (suggestion runs, imports, merges) write
-- the row tables directly with the same encodings.
--
-- In the row tables (span_rows, event_rows):
-- * st is the status as a small integer: 0 suggested, 1 accepted, 2 rejected (0 and 1 are
--   stored in no bytes; 'suggested' took 9, twice: in the row and in the index).
-- * label is the label's id (labels gets an explicit id column: its rowid).
-- * origin is the id of its name in names (a handful of names, each once; arguments'
--   roles are there too).
-- * span_rows.text is NULL when it is the document's text[start:end] (code points), which
--   is what every undecided suggestion's text is: the view reads it from the document, and
--   the store's span reader slices it from the document once per document.
-- * spans_doc holds (doc, st) only: the spans of a document are read whole and sorted
--   (tens of rows), and the document list's counts by status still read the index alone.
-- event_args becomes a view too, over arg_rows: the role as the id of its name in names.
-- The arguments keep their ids (the operations log names rows by id) but lose the
-- UNIQUE (event, role, span) index, replaced by one on event: the writers skip a
-- duplicate themselves (NOT EXISTS), and `evident check` reports one.
--
-- The store runs migrations with foreign keys off (migrate.go): tables are rebuilt as
-- SQLite's ALTER TABLE documentation describes, rows keep their ids, and `evident check`
-- reports any broken reference a damaged file already had.

CREATE TABLE names (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);
INSERT INTO names (name) SELECT origin FROM spans UNION SELECT origin FROM events UNION SELECT role FROM event_args;

-- Renaming first makes the references of other tables (events.trigger, event_args,
-- incident_events) follow to the row tables.
ALTER TABLE spans RENAME TO span_rows;
ALTER TABLE events RENAME TO event_rows;

-- Labels get an explicit id, their rowid (which the operations log names them by), so a
-- span refers to its label by a small integer and the foreign key still guards it. A
-- label a damaged file's spans name but the table lacks is added (grey), so the file
-- still opens; before, `evident check` reported it.
CREATE TABLE labels_new (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL UNIQUE,
	kind        TEXT NOT NULL CHECK (kind IN ('trigger', 'span')),
	color       TEXT NOT NULL,
	key         TEXT NOT NULL DEFAULT '',
	description TEXT NOT NULL DEFAULT '',
	position    INTEGER NOT NULL DEFAULT 0
);
INSERT INTO labels_new (id, name, kind, color, key, description, position)
	SELECT rowid, name, kind, color, key, description, position FROM labels;
INSERT INTO labels_new (name, kind, color, position)
	SELECT DISTINCT label, 'span', '#888888', (SELECT coalesce(max(position), -1) + 1 FROM labels) FROM span_rows
	WHERE label NOT IN (SELECT name FROM labels);
DROP TABLE labels;
ALTER TABLE labels_new RENAME TO labels;

CREATE TABLE span_rows_new (
	id         INTEGER PRIMARY KEY,
	doc        INTEGER NOT NULL REFERENCES documents (id),
	start      INTEGER NOT NULL,
	"end"      INTEGER NOT NULL,
	label      INTEGER NOT NULL REFERENCES labels (id),
	st         INTEGER NOT NULL CHECK (st IN (0, 1, 2)),
	origin     INTEGER NOT NULL REFERENCES names (id),
	annotator  TEXT NOT NULL DEFAULT '',
	created    INTEGER NOT NULL,
	updated    INTEGER NOT NULL,
	attrs      TEXT,
	text       TEXT,
	confidence REAL,
	run        INTEGER REFERENCES runs (id),
	proposers  TEXT,
	CHECK (start >= 0 AND start < "end")
);
INSERT INTO span_rows_new (id, doc, start, "end", label, st, origin, annotator, created, updated, attrs, text,
		confidence, run, proposers)
	SELECT s.id, s.doc, s.start, s."end", (SELECT l.id FROM labels l WHERE l.name = s.label),
		CASE s.status WHEN 'suggested' THEN 0 WHEN 'accepted' THEN 1 ELSE 2 END,
		(SELECT o.id FROM names o WHERE o.name = s.origin), s.annotator, s.created, s.updated, s.attrs,
		CASE WHEN s.status = 'suggested' THEN NULL ELSE s.text END, s.confidence, s.run, s.proposers
	FROM span_rows s;
DROP TABLE span_rows;
ALTER TABLE span_rows_new RENAME TO span_rows;
CREATE INDEX spans_doc ON span_rows (doc, st);

CREATE TABLE event_rows_new (
	id        INTEGER PRIMARY KEY,
	doc       INTEGER NOT NULL REFERENCES documents (id),
	type      TEXT NOT NULL,
	trigger   INTEGER NOT NULL REFERENCES span_rows (id),
	st        INTEGER NOT NULL CHECK (st IN (0, 1, 2)),
	origin    INTEGER NOT NULL REFERENCES names (id),
	annotator TEXT NOT NULL DEFAULT '',
	created   INTEGER NOT NULL
);
INSERT INTO event_rows_new (id, doc, type, trigger, st, origin, annotator, created)
	SELECT e.id, e.doc, e.type, e.trigger, CASE e.status WHEN 'suggested' THEN 0 WHEN 'accepted' THEN 1 ELSE 2 END,
		(SELECT o.id FROM names o WHERE o.name = e.origin), e.annotator, e.created
	FROM event_rows e;
DROP TABLE event_rows;
ALTER TABLE event_rows_new RENAME TO event_rows;
CREATE INDEX events_doc ON event_rows (doc);
CREATE INDEX events_trigger ON event_rows (trigger);

CREATE TABLE arg_rows (
	id    INTEGER PRIMARY KEY,
	event INTEGER NOT NULL REFERENCES event_rows (id),
	role  INTEGER NOT NULL REFERENCES names (id),
	span  INTEGER NOT NULL REFERENCES span_rows (id)
);
INSERT INTO arg_rows (id, event, role, span)
	SELECT a.id, a.event, (SELECT o.id FROM names o WHERE o.name = a.role), a.span FROM event_args a;
DROP TABLE event_args;
CREATE INDEX event_args_event ON arg_rows (event);
CREATE INDEX event_args_span ON arg_rows (span);

-- The views: the columns, their order and their values as the tables had them.
CREATE VIEW spans AS SELECT s.id AS id, s.doc AS doc, s.start AS start, s."end" AS "end",
		(SELECT l.name FROM labels l WHERE l.id = s.label) AS label,
		CASE s.st WHEN 0 THEN 'suggested' WHEN 1 THEN 'accepted' ELSE 'rejected' END AS status,
		(SELECT o.name FROM names o WHERE o.id = s.origin) AS origin, s.annotator AS annotator,
		s.created AS created, s.updated AS updated, s.attrs AS attrs,
		coalesce(s.text, substr((SELECT d.text FROM documents d WHERE d.id = s.doc), s.start + 1, s."end" - s.start)) AS text,
		s.confidence AS confidence, s.run AS run, s.proposers AS proposers,
		s.text AS stored_text -- NULL: the document's; the store's reader slices it itself
	FROM span_rows s;

CREATE VIEW events AS SELECT e.id AS id, e.doc AS doc, e.type AS type, e.trigger AS trigger,
		CASE e.st WHEN 0 THEN 'suggested' WHEN 1 THEN 'accepted' ELSE 'rejected' END AS status,
		(SELECT o.name FROM names o WHERE o.id = e.origin) AS origin, e.annotator AS annotator, e.created AS created
	FROM event_rows e;

-- Writes to the views. A status other than the three fails st's NOT NULL, as the old
-- CHECK did, and so does an unknown label, as the old foreign key did; a missing origin
-- or annotator is '' as the old defaults were. An UPDATE keeps a span's text NULL unless
-- its text or place changed.
CREATE TRIGGER spans_insert INSTEAD OF INSERT ON spans BEGIN
	INSERT INTO names (name) SELECT coalesce(NEW.origin, '') WHERE true ON CONFLICT (name) DO NOTHING;
	INSERT INTO span_rows (id, doc, start, "end", label, st, origin, annotator, created, updated, attrs, text,
			confidence, run, proposers)
		VALUES (NEW.id, NEW.doc, NEW.start, NEW."end", (SELECT id FROM labels WHERE name = NEW.label),
			CASE NEW.status WHEN 'suggested' THEN 0 WHEN 'accepted' THEN 1 WHEN 'rejected' THEN 2 END,
			(SELECT id FROM names WHERE name = coalesce(NEW.origin, '')), coalesce(NEW.annotator, ''),
			NEW.created, NEW.updated, NEW.attrs, NEW.text, NEW.confidence, NEW.run, NEW.proposers);
END;
CREATE TRIGGER spans_update INSTEAD OF UPDATE ON spans BEGIN
	INSERT INTO names (name) SELECT coalesce(NEW.origin, '') WHERE true ON CONFLICT (name) DO NOTHING;
	UPDATE span_rows SET id = NEW.id, doc = NEW.doc, start = NEW.start, "end" = NEW."end",
			label = (SELECT id FROM labels WHERE name = NEW.label),
			st = CASE NEW.status WHEN 'suggested' THEN 0 WHEN 'accepted' THEN 1 WHEN 'rejected' THEN 2 END,
			origin = (SELECT id FROM names WHERE name = coalesce(NEW.origin, '')),
			annotator = coalesce(NEW.annotator, ''), created = NEW.created, updated = NEW.updated, attrs = NEW.attrs,
			text = CASE WHEN NEW.text IS OLD.text AND NEW.doc = OLD.doc AND NEW.start = OLD.start
				AND NEW."end" = OLD."end" THEN text ELSE NEW.text END,
			confidence = NEW.confidence, run = NEW.run, proposers = NEW.proposers
		WHERE id = OLD.id;
END;
CREATE TRIGGER spans_delete INSTEAD OF DELETE ON spans BEGIN
	DELETE FROM span_rows WHERE id = OLD.id;
END;

CREATE VIEW event_args AS SELECT a.id AS id, a.event AS event,
		(SELECT o.name FROM names o WHERE o.id = a.role) AS role, a.span AS span
	FROM arg_rows a;

CREATE TRIGGER event_args_insert INSTEAD OF INSERT ON event_args BEGIN
	INSERT INTO names (name) SELECT NEW.role WHERE true ON CONFLICT (name) DO NOTHING;
	INSERT INTO arg_rows (id, event, role, span)
		VALUES (NEW.id, NEW.event, (SELECT id FROM names WHERE name = NEW.role), NEW.span);
END;
CREATE TRIGGER event_args_update INSTEAD OF UPDATE ON event_args BEGIN
	INSERT INTO names (name) SELECT NEW.role WHERE true ON CONFLICT (name) DO NOTHING;
	UPDATE arg_rows SET id = NEW.id, event = NEW.event, role = (SELECT id FROM names WHERE name = NEW.role), span = NEW.span
		WHERE id = OLD.id;
END;
CREATE TRIGGER event_args_delete INSTEAD OF DELETE ON event_args BEGIN
	DELETE FROM arg_rows WHERE id = OLD.id;
END;

CREATE TRIGGER events_insert INSTEAD OF INSERT ON events BEGIN
	INSERT INTO names (name) SELECT coalesce(NEW.origin, '') WHERE true ON CONFLICT (name) DO NOTHING;
	INSERT INTO event_rows (id, doc, type, trigger, st, origin, annotator, created)
		VALUES (NEW.id, NEW.doc, NEW.type, NEW.trigger,
			CASE NEW.status WHEN 'suggested' THEN 0 WHEN 'accepted' THEN 1 WHEN 'rejected' THEN 2 END,
			(SELECT id FROM names WHERE name = coalesce(NEW.origin, '')), coalesce(NEW.annotator, ''), NEW.created);
END;
CREATE TRIGGER events_update INSTEAD OF UPDATE ON events BEGIN
	INSERT INTO names (name) SELECT coalesce(NEW.origin, '') WHERE true ON CONFLICT (name) DO NOTHING;
	UPDATE event_rows SET id = NEW.id, doc = NEW.doc, type = NEW.type, trigger = NEW.trigger,
			st = CASE NEW.status WHEN 'suggested' THEN 0 WHEN 'accepted' THEN 1 WHEN 'rejected' THEN 2 END,
			origin = (SELECT id FROM names WHERE name = coalesce(NEW.origin, '')),
			annotator = coalesce(NEW.annotator, ''), created = NEW.created
		WHERE id = OLD.id;
END;
CREATE TRIGGER events_delete INSTEAD OF DELETE ON events BEGIN
	DELETE FROM event_rows WHERE id = OLD.id;
END;
