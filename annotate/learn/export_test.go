package learn

// PRF is prf for the external tests: precision, recall and F1 of overlap counts.
var PRF = prf
