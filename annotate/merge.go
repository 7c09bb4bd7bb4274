package annotate

// MergeStats counts what one merge of an annotator's database (evident merge) read and
// added; both backends' Merge return it.
type MergeStats struct {
	Documents    int // documents read from the source
	NewDocuments int // of those, copied because the store lacked their text
	Spans        int // spans added
	SameSpans    int // source spans already present (same document, range, label, annotator, status)
	Events       int // events added
	Arguments    int // event arguments added (to new events or to identical existing ones)
	Labels       int // labels, event types and roles the store lacked, added from the source's schema

	Incidents     int // incidents of the source added as new incidents
	Links         int // events linked to an incident (new or matching)
	Adjudications int // adjudications added (history kept: identical ones are not repeated)
	// SkippedIncidents are source incidents whose events are spread over several
	// incidents of the store: which one they belong to is a reviewer's call.
	SkippedIncidents int
}
