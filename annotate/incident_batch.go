package annotate

import "context"

// IncidentBatcher is implemented by stores that create many incidents at once without
// keeping other writers waiting meanwhile (PostgreSQL, where a transaction locks only
// the rows it writes): `evident incidents --accept-proposals` stores every proposal
// through it, so the user sees all of them or, after a failure or a killed process,
// none. The SQLite store does not offer it: one transaction for thousands of proposals
// holds the file's write lock for seconds (6,388 proposals: about 10 s of CPU), so it
// stores them one by one and the window's saves get in between.
type IncidentBatcher interface {
	// CreateIncidents makes each incident of incs as CreateIncident does, in one
	// transaction logged as one action, and returns their ids in order.
	CreateIncidents(ctx context.Context, incs []Incident, annotator string) ([]int64, error)
}
