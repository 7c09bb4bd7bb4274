-- 0008: every suggester that proposed a span. The rules, the in-app tagger and outside
-- models may propose the same span and label; the span is stored once, its origin, run
-- and confidence those of the first proposer. When several proposed it, proposers holds
-- all of them as a compact JSON array of [origin, score or null, run] (no text), and
-- confidence is their combined evidence (annotate.CombinedConfidence). NULL = one
-- proposer, so spans one suggester made cost nothing. A re-run of one suggester removes
-- only its own entry; accepting a span keeps the column.

ALTER TABLE spans ADD COLUMN proposers TEXT;
