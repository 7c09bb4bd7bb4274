-- 0003: incidents. An incident links events from several documents that describe one
-- happening; reviewers adjudicate its casualty figures; rejected link proposals are
-- remembered so they are not offered again. Times are Unix microseconds (UTC).

CREATE TABLE incidents (
	id        INTEGER PRIMARY KEY,
	title     TEXT NOT NULL DEFAULT '',
	type      TEXT NOT NULL DEFAULT '',
	place     TEXT NOT NULL DEFAULT '',
	date      TEXT NOT NULL DEFAULT '',
	annotator TEXT NOT NULL DEFAULT '',
	created   INTEGER NOT NULL,
	updated   INTEGER NOT NULL
);

-- One row per linked event. An event belongs to one incident at most (UNIQUE). doc is
-- the event's document, kept here so "incidents of a document" needs no join; Check
-- verifies it. Deleting an event removes its link in the same action (undo restores it).
CREATE TABLE incident_events (
	id        INTEGER PRIMARY KEY,
	incident  INTEGER NOT NULL REFERENCES incidents (id),
	doc       INTEGER NOT NULL REFERENCES documents (id),
	event     INTEGER NOT NULL UNIQUE REFERENCES events (id),
	annotator TEXT NOT NULL DEFAULT '',
	created   INTEGER NOT NULL
);
CREATE INDEX incident_events_incident ON incident_events (incident);
CREATE INDEX incident_events_doc ON incident_events (doc);

-- Adjudications are never updated: each decision is a new row, the latest per
-- (incident, kind) is in effect and the others are its history. Merging incidents
-- moves them (the incident column) and nothing else.
CREATE TABLE adjudications (
	id       INTEGER PRIMARY KEY,
	incident INTEGER NOT NULL REFERENCES incidents (id),
	kind     TEXT NOT NULL,
	best     INTEGER,
	low      INTEGER,
	high     INTEGER,
	note     TEXT NOT NULL DEFAULT '',
	reviewer TEXT NOT NULL DEFAULT '',
	at       INTEGER NOT NULL
);
CREATE INDEX adjudications_incident ON adjudications (incident, at, id);

-- A proposal a reviewer rejected: its events as JSON [{"doc_id":..,"event_id":..},...],
-- with the score and reasons it was offered with. No foreign keys: a rejection stays
-- meaningful (and harmless) after one of its events is deleted.
CREATE TABLE rejected_proposals (
	id        INTEGER PRIMARY KEY,
	events    TEXT NOT NULL,
	score     REAL NOT NULL DEFAULT 0,
	reasons   TEXT NOT NULL DEFAULT '[]',
	annotator TEXT NOT NULL DEFAULT '',
	at        INTEGER NOT NULL
);
