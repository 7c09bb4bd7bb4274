-- 0009: SQLite's 0009 stores spans, events and arguments smaller (status, origin and role
-- as small integers, an undecided suggestion's text left to the document, no unique index
-- on event_args) behind views with the old columns. PostgreSQL keeps its tables as they are:
-- nothing reads or writes them differently, and a copy between the backends moves the
-- same columns and values (SQLite dumps its views). This file keeps both backends at the
-- same schema version.
SELECT 1;
