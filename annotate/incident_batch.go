package annotate

import "context"

// IncidentBatcher is implemented by stores that create many incidents at once without
// keeping other writers waiting meanwhile: `evident incidents --accept-proposals` stores
// every proposal through it, so the user sees all of them or, after a failure or a killed
// process, none. PostgreSQL does it in one transaction (it locks only the rows it
// writes); SQLite stages the rows without the write lock and publishes them in one short
// transaction (annotate/sqlite/incident_batch.go).
type IncidentBatcher interface {
	// CreateIncidents makes each incident of incs as CreateIncident does, in one
	// transaction logged as one action, and returns their ids in order.
	CreateIncidents(ctx context.Context, incs []Incident, annotator string) ([]int64, error)
}
