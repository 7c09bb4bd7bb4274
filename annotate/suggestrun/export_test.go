package suggestrun

// SplitDraft is splitDraft for the tests.
var SplitDraft = splitDraft
