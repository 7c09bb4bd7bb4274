-- 0001: the first schema. Never edit a released migration; add 0002_... instead.
-- Times are Unix microseconds (UTC). JSON columns hold an object or NULL.

CREATE TABLE labels (
	name        TEXT PRIMARY KEY,
	kind        TEXT NOT NULL CHECK (kind IN ('trigger', 'span')),
	color       TEXT NOT NULL,
	key         TEXT NOT NULL DEFAULT '',
	description TEXT NOT NULL DEFAULT '',
	position    INTEGER NOT NULL DEFAULT 0
);

-- Event types and roles of the project's schema (labels live in their own table
-- because spans reference them).
CREATE TABLE event_types (
	name     TEXT PRIMARY KEY,
	trigger  TEXT NOT NULL,
	roles    TEXT NOT NULL DEFAULT '[]', -- JSON array of role names
	position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE roles (
	name     TEXT PRIMARY KEY,
	position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE documents (
	id          INTEGER PRIMARY KEY,
	external_id TEXT NOT NULL DEFAULT '',
	title       TEXT NOT NULL DEFAULT '',
	source      TEXT NOT NULL DEFAULT '',
	url         TEXT NOT NULL DEFAULT '',
	published   TEXT NOT NULL DEFAULT '',
	status      TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'in_progress', 'done')),
	added       INTEGER NOT NULL,
	sha256      TEXT NOT NULL,
	meta        TEXT,
	text        TEXT NOT NULL -- last, so list queries never read past the short columns
);
-- The same document (external id and text hash) is stored once; re-imports skip it.
CREATE UNIQUE INDEX documents_ext_sha ON documents (external_id, sha256);

CREATE TABLE spans (
	id        INTEGER PRIMARY KEY,
	doc       INTEGER NOT NULL REFERENCES documents (id),
	start     INTEGER NOT NULL,
	"end"     INTEGER NOT NULL,
	label     TEXT NOT NULL REFERENCES labels (name),
	status    TEXT NOT NULL CHECK (status IN ('suggested', 'accepted', 'rejected')),
	origin    TEXT NOT NULL DEFAULT '',
	annotator TEXT NOT NULL DEFAULT '',
	created   INTEGER NOT NULL,
	updated   INTEGER NOT NULL,
	attrs     TEXT,
	text      TEXT NOT NULL, -- the document's text[start:end], denormalised for phrases and checks
	CHECK (start >= 0 AND start < "end")
);
-- Serves "spans of a document in order", the duplicate test of AddSuggestions and, since
-- status is in it, the per-document counts of the document list without touching rows.
CREATE INDEX spans_doc ON spans (doc, start, "end", label, status);
-- The learned matcher's memory: decisions grouped by phrase and label.
CREATE INDEX spans_phrase ON spans (text, label, status);

CREATE TABLE events (
	id        INTEGER PRIMARY KEY,
	doc       INTEGER NOT NULL REFERENCES documents (id),
	type      TEXT NOT NULL,
	trigger   INTEGER NOT NULL REFERENCES spans (id),
	status    TEXT NOT NULL CHECK (status IN ('suggested', 'accepted', 'rejected')),
	origin    TEXT NOT NULL DEFAULT '',
	annotator TEXT NOT NULL DEFAULT '',
	created   INTEGER NOT NULL
);
CREATE INDEX events_doc ON events (doc);
CREATE INDEX events_trigger ON events (trigger);

CREATE TABLE event_args (
	id    INTEGER PRIMARY KEY,
	event INTEGER NOT NULL REFERENCES events (id),
	role  TEXT NOT NULL,
	span  INTEGER NOT NULL REFERENCES spans (id),
	UNIQUE (event, role, span)
);
CREATE INDEX event_args_span ON event_args (span);

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- The operations log: one row per user action. state: done, undone, or dropped (an
-- undone action that a newer action by the same annotator made impossible to redo).
CREATE TABLE ops (
	id        INTEGER PRIMARY KEY,
	kind      TEXT NOT NULL,
	annotator TEXT NOT NULL,
	at        INTEGER NOT NULL,
	doc       INTEGER NOT NULL DEFAULT 0,
	summary   TEXT NOT NULL DEFAULT '',
	undoable  INTEGER NOT NULL DEFAULT 1,
	state     TEXT NOT NULL DEFAULT 'done' CHECK (state IN ('done', 'undone', 'dropped'))
);
CREATE INDEX ops_annotator ON ops (annotator, state, id);

-- What one op changed, row by row, in order. before/after are JSON images of the row
-- (NULL: the row did not exist). Undo applies before-images in reverse, redo after-images.
CREATE TABLE op_changes (
	id     INTEGER PRIMARY KEY,
	op     INTEGER NOT NULL REFERENCES ops (id),
	seq    INTEGER NOT NULL,
	tbl    TEXT NOT NULL,
	row_id INTEGER NOT NULL,
	before TEXT,
	after  TEXT
);
CREATE INDEX op_changes_op ON op_changes (op, seq);
