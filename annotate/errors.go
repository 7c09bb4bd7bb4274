package annotate

import (
	"errors"
	"fmt"
)

// Error codes. Callers branch on the code, never on the message text.
const (
	EInvalid  = "invalid"   // input that can never succeed as given
	ENotFound = "not_found" // the thing named does not exist
	EConflict = "conflict"  // the change collides with existing state
	ETooNew   = "too_new"   // a database written by a newer Evident
	// EUnavailable: the database server cannot be reached right now; the same call may
	// succeed later (a team database whose server or network dropped).
	EUnavailable = "unavailable"
	EInternal    = "internal"
)

// Error is a domain error with a machine-readable code and a message meant for a person.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf builds an *Error with the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal for any other
// non-nil error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}
