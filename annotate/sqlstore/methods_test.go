package sqlstore_test

import (
	"reflect"
	"testing"

	"evident/annotate/sqlstore"
)

// TestMethodsHideTheBackend: each backend's Store embeds Methods, so an exported field
// of it would be a field of *sqlite.Store and *postgres.Store, handing any caller the
// backend's transactions and pool (raw SQL past the domain's interfaces).
func TestMethodsHideTheBackend(t *testing.T) {
	typ := reflect.TypeOf(sqlstore.Methods{})
	for i := 0; i < typ.NumField(); i++ {
		if f := typ.Field(i); f.IsExported() {
			t.Errorf("Methods.%s is exported: a Store's callers could reach its backend", f.Name)
		}
	}
}
