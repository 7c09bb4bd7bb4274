-- 0010: PostgreSQL's 0010 checks a span's document and label once per statement
-- instead of as per-row foreign keys (the per-row checks were half of a PostgreSQL
-- import's server time). SQLite's foreign-key checks are an index probe in the same
-- process and stay as they are. This file keeps both backends at the same schema version.
SELECT 1;
